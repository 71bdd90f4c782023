"""What ``sagwa worker`` and ``sagwa serve`` say when they refuse to run, as a service
manager's log keeps it (stderr not a terminal). An ops walk: with ``SAGWA_LOG_FORMAT=json``
the refusals were plain text among JSON lines, and every error was wrapped at 80 columns,
splitting words ("appli\\ncation_name"). Now each refusal of a service is one JSON log line in
JSON mode, and no stderr line is wrapped in either mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SAGWA = Path(sys.executable).with_name("sagwa")
#: A long URL: its refusal is far over 80 columns.
NOWHERE = ("postgresql://sagwa@127.0.0.1:9/a_database_name_long_enough_to_wrap_the_line"
           "?application_name=sagwa-worker-on-host-b")


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SAGWA_")}
    environ |= {"SAGWA_DATA_DIR": str(tmp_path / "data"), "SAGWA_DATABASE_URL": NOWHERE,
                "SAGWA_SECRET_KEY": "a-test-key-for-the-refusal-lines-0001", "COLUMNS": "80"}
    return subprocess.run([str(SAGWA), *args], env=environ | env, capture_output=True, check=False,
                          text=True, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("command", [("worker",), ("serve", "--no-worker")])
def test_in_json_mode_every_stderr_line_of_a_refused_service_is_json(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    made = _run(tmp_path, *command, SAGWA_LOG_FORMAT="json")

    assert made.returncode == 1, made.stderr
    lines = [json.loads(line) for line in made.stderr.splitlines()]
    last = lines[-1]
    assert (last["level"], last["logger"]) == ("ERROR", "sagwa.cli")
    assert last["message"].startswith("error (database_unavailable): cannot reach PostgreSQL")
    assert "application_name=sagwa-worker-on-host-b" in last["message"]  # not split
    # nor did it say it started, before its checks refused it
    assert "sagwa worker: concurrency" not in made.stdout


def test_a_settings_refusal_of_a_service_is_a_json_line_too(tmp_path: Path) -> None:
    made = _run(tmp_path, "worker", SAGWA_LOG_FORMAT="json", SAGWA_PORT="notaport")

    assert made.returncode == 2, made.stderr
    [line] = [json.loads(line) for line in made.stderr.splitlines()]
    assert line["message"].startswith("error (invalid_input): configuration error: SAGWA_PORT")


def test_in_text_mode_a_refusal_is_one_unwrapped_line(tmp_path: Path) -> None:
    made = _run(tmp_path, "worker")

    assert made.returncode == 1
    [said] = [line for line in made.stderr.splitlines() if line.startswith("error")]
    assert said.startswith("error (database_unavailable): cannot reach PostgreSQL")
    assert said.endswith("Connection refused") and len(said) > 80
    # an ordinary command, JSON mode or not, still says it in text
    status = _run(tmp_path, "db", "status", SAGWA_LOG_FORMAT="json")
    assert status.returncode == 1
    assert any(line.startswith("error (database_unavailable)")
               for line in status.stderr.splitlines())
