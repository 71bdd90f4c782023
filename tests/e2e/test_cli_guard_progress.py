"""The progress bar of a long ``sagwa guard check`` is drawn on stderr, when that is a terminal:
stdout may carry the verdicts (``--out /dev/stdout``) or go to a file or a pipe. (It was drawn on
stdout, so with stdout in a file and stderr on the terminal nobody saw it.)"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import typer.main
from guard_cli_files import changes_text, input_files

from sagwa.cli import guard as guard_cli

pytestmark = pytest.mark.e2e
HISTORY = "listing_id,product_id,seller_id,price,observed_at,currency\n" + "".join(
    f"L{n},P1,S{n},{100 + n}.00,2026-01-0{1 + n % 5}T00:00:00Z,USD\n" for n in range(8))


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, stderr_tty: bool,
           stdout_tty: bool) -> tuple[str, str]:
    monkeypatch.setattr(guard_cli, "PROGRESS_FROM_ROWS", 0)  # a bar for any run
    rows = [f"C{n},L{n},P1,S{n},{100 + n}.00,{99 + n}.00,2026-02-0{1 + n}T00:00:00Z,,USD"
            for n in range(8)]
    files = input_files(tmp_path, history=HISTORY, changes=changes_text(rows))
    err, out = _Stream(stderr_tty), _Stream(stdout_tty)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    typer.main.get_command(guard_cli.app).main(
        ["check", "--history", str(files["history"]), "--changes", str(files["changes"]),
         "--out", str(tmp_path / "verdicts.csv")], standalone_mode=False)
    assert (tmp_path / "verdicts.csv").read_text().count("\n") == 9
    return out.getvalue(), err.getvalue()


def test_the_bar_is_drawn_on_a_terminal_stderr_not_on_stdout(tmp_path, monkeypatch) -> None:
    out, err = _check(tmp_path, monkeypatch, stderr_tty=True, stdout_tty=False)
    assert "checking price changes" in err
    assert "checking price changes" not in out


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path, monkeypatch) -> None:
    out, err = _check(tmp_path, monkeypatch, stderr_tty=False, stdout_tty=True)
    assert "checking price changes" not in err + out
