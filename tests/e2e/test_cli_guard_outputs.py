"""Where ``sagwa guard`` writes: through symlinks, into FIFOs, never over its own inputs.

An output path is followed, not replaced: a symlink keeps pointing at its target (which gets the
results), a FIFO or device stays one. An output that is also an input, or another output, is
refused before any work; so is one in a directory that does not exist.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import (
    LABELS_HEADER,
    VERDICT_HEADER,
    assert_refused,
    changes_text,
    file_options,
    input_files,
    run,
)
from typer.testing import Result

pytestmark = pytest.mark.e2e

HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,3.49,2025-01-13,USD
L2,P1,S2,3.79,2025-01-13,USD
"""
CHANGES = changes_text(
    [
        "c1,L1,P1,S1,3.49,2.49,2025-02-01T09:00:00,30,USD",
        "c2,L2,P1,S2,3.79,37.90,2025-02-08T10:00:00,,USD",
    ]
)
LABELS = LABELS_HEADER + "c1,0,none\nc2,1,extra_zero\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return input_files(tmp_path, history=HISTORY, changes=CHANGES, labels=LABELS)


def check(files: dict[str, Path], out: Path, *extra: str | Path) -> Result:
    return run("check", *file_options(files, "history", "changes"), "--out", out, *extra)


def evaluate(files: dict[str, Path], *extra: str | Path) -> Result:
    return run("evaluate", *file_options(files, "history", "changes", "labels"), *extra)


# -- 1. the out path is followed, not replaced --


def test_a_symlinked_out_path_stays_a_symlink_and_its_target_gets_the_verdicts(
    files: dict[str, Path], tmp_path: Path
) -> None:
    (tmp_path / "results").mkdir()
    target = tmp_path / "results" / "verdicts.csv"
    target.write_text("previous run\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = check(files, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8").startswith(VERDICT_HEADER)
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["verdicts.csv"]


def test_a_dangling_symlink_out_path_creates_its_target(
    files: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "new-verdicts.csv"
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    result = check(files, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and pl.read_csv(target)["change_id"].to_list() == ["c1", "c2"]


def test_a_symlinked_json_output_of_evaluate_stays_a_symlink(
    files: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "metrics-real.json"
    target.write_text("{}", encoding="utf-8")
    link = tmp_path / "metrics.json"
    link.symlink_to(target)
    result = evaluate(files, "--json", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and '"recall"' in target.read_text(encoding="utf-8")


def test_a_fifo_out_path_is_written_into_and_stays_a_fifo(
    files: dict[str, Path], tmp_path: Path
) -> None:
    fifo = tmp_path / "verdicts.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as stream:  # blocks until the command opens it for writing
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = check(files, fifo)
    reader.join(timeout=5)  # it read to the end once the command closed the FIFO
    if reader.is_alive():  # nothing opened the FIFO: let the reader go before failing
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # ENXIO: the reader closed it meanwhile (a CI run once raced here)
            pass
        reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].decode("utf-8").startswith(VERDICT_HEADER)


def test_rewriting_an_out_file_keeps_its_permissions(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "verdicts.csv"
    out.write_text("previous run\n", encoding="utf-8")
    out.chmod(0o640)
    assert check(files, out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text(encoding="utf-8").startswith(VERDICT_HEADER)


def test_an_out_path_in_a_missing_directory_is_refused_not_created(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "no-such-dir" / "verdicts.csv"
    assert_refused(check(files, out), "--out", "no-such-dir does not exist")
    assert not (tmp_path / "no-such-dir").exists()


# -- 2. an output is never one of the inputs, nor another output --


@pytest.mark.parametrize("flag", ["history", "changes"])
def test_an_out_path_that_is_an_input_is_refused_and_the_input_kept(
    files: dict[str, Path], flag: str
) -> None:
    before = files[flag].read_bytes()
    assert_refused(check(files, files[flag]), "--out", f"is also the --{flag} file")
    assert files[flag].read_bytes() == before


def test_an_out_path_linking_to_an_input_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    link = tmp_path / "sneaky.csv"
    link.symlink_to(files["history"])
    assert_refused(check(files, link), "--out", "is also the --history file")
    assert files["history"].read_text(encoding="utf-8") == HISTORY


def test_an_out_path_that_is_the_rules_file_is_refused(
    files: dict[str, Path], tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[thresholds]\nhold_score = 0.6\n", encoding="utf-8")
    assert_refused(check(files, rules, "--rules", rules), "--out", "is also the --rules file")
    assert rules.read_text(encoding="utf-8") == "[thresholds]\nhold_score = 0.6\n"


def test_evaluate_refuses_one_path_for_png_and_json(files: dict[str, Path], tmp_path: Path) -> None:
    both = tmp_path / "metrics.out"
    assert_refused(evaluate(files, "--png", both, "--json", both), "--json", "--png file")
    assert not both.exists()


def test_evaluate_refuses_an_output_that_is_the_labels_file(files: dict[str, Path]) -> None:
    assert_refused(evaluate(files, "--json", files["labels"]), "--json", "--labels file")
    assert files["labels"].read_text(encoding="utf-8") == LABELS


def _sagwa_guard(files: dict[str, Path], out: str, stdout: int | None) -> tuple[int, bytes]:
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("sagwa")), "guard", "check", "--history",
               str(files["history"]), "--changes", str(files["changes"]), "--out", out]
    done = subprocess.run(command, stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120, check=False)
    return done.returncode, (done.stdout or b"")


def test_out_dev_stdout_writes_into_a_pipe_and_appends_to_a_redirected_file(
        files: dict[str, Path], tmp_path: Path) -> None:
    """``--out /dev/stdout | …`` and ``--out /dev/stdout >> log``: the verdicts go through the
    descriptor the shell opened — a pipe is no file to resolve, and a file opened for appending
    keeps what it held (renaming over it lost it)."""
    code, piped = _sagwa_guard(files, "/dev/stdout", None)
    assert code == 0 and piped.startswith(b"change_id,verdict,score,error_type,reason\n")
    log = tmp_path / "log.csv"
    log.write_text("earlier line\n")
    with log.open("ab") as appended:
        code, _ = _sagwa_guard(files, "/dev/stdout", appended.fileno())
    assert code == 0
    text = log.read_text()
    assert text.startswith("earlier line\nchange_id,verdict") and "changes checked" not in text


def test_evaluate_json_to_standard_output_is_the_json_alone(files: dict[str, Path]) -> None:
    """``evaluate --json /dev/stdout | jq``: the table and the "->" line go to stderr, and the
    JSON ends with a newline (a review's finding: stdout held the table too)."""
    import json
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("sagwa")), "guard", "evaluate",
               "--history", str(files["history"]), "--changes", str(files["changes"]),
               "--labels", str(files["labels"]), "--json", "/dev/stdout"]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(b"\n")
    assert json.loads(done.stdout)[0]["name"] == "all"
    assert b"price guard" in done.stderr and b"metrics -> /dev/stdout" in done.stderr
