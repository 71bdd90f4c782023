"""The embedded PostgreSQL: shared by several processes, stopped by the last, never orphaned.

Each holder is a real ``python`` process that calls ``start_embedded`` and answers queries on
stdin; the data directory lives under a short /tmp path (unix socket paths are limited to
about 100 characters).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import psutil
import pytest

from sagwa.adapters.embedded_pg import HANDLE_FILE, prune_dead_holders

HOLDER = """
import json, sys
from pathlib import Path
from sqlalchemy import create_engine, text
from sagwa.adapters.embedded_pg import start_embedded

pgdata = Path(sys.argv[1])
engine = create_engine(start_embedded(pgdata))
postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
for line in iter(sys.stdin.readline, ""):
    with engine.connect() as conn:
        answer = conn.execute(text("SELECT 40 + 2")).scalar_one()
    print(json.dumps({"postmaster": postmaster, "answer": answer}), flush=True)
engine.dispose()
"""


class Holder:
    """A process holding the embedded server; ``ask()`` makes it run a query."""

    started: ClassVar[list[Holder]] = []

    def __init__(self, pgdata: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(pgdata)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.pid = self.proc.pid
        Holder.started.append(self)

    def ask(self) -> dict[str, int]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write("query\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            _, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"holder {self.pid} died: {err[-2000:]}")
        answer: dict[str, int] = json.loads(line)
        return answer

    def exit(self) -> None:
        """Close stdin: the holder leaves normally (running pgserver's atexit cleanup)."""
        _, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err[-2000:]

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        self.proc.communicate(timeout=10)
        assert self.proc.returncode == -signal.SIGKILL


def _postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _holders(pgdata: Path) -> list[int]:
    return [int(p) for p in json.loads((pgdata / HANDLE_FILE).read_text() or "[]")]


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def pgdata() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="sg", dir="/tmp"))
    yield root / "pg"
    for holder in Holder.started:
        if holder.proc.poll() is None:
            holder.proc.kill()
        holder.proc.communicate()
    Holder.started.clear()
    pid = _postmaster_pid(root / "pg")
    if pid is not None and _running(pid):  # a failed test must not leave a server behind
        psutil.Process(pid).terminate()
        _gone(pid)
    shutil.rmtree(root, ignore_errors=True)


def test_two_processes_share_one_postmaster_and_the_last_stops_it(pgdata: Path) -> None:
    first = Holder(pgdata)
    a = first.ask()
    second = Holder(pgdata)
    b = second.ask()
    assert a == b == {"postmaster": a["postmaster"], "answer": 42}
    assert sorted(_holders(pgdata)) == sorted([first.pid, second.pid])

    first.exit()
    assert _running(a["postmaster"]), "the server stopped while a holder was still attached"
    assert second.ask()["answer"] == 42
    assert _holders(pgdata) == [second.pid]

    second.exit()
    assert _gone(a["postmaster"]), "the last holder left the server running"
    assert _postmaster_pid(pgdata) is None


def test_holder_killed_with_sigkill_does_not_leave_an_orphan(pgdata: Path) -> None:
    doomed = Holder(pgdata)
    postmaster = doomed.ask()["postmaster"]
    doomed.kill()
    assert _running(postmaster), "nothing stops a server whose holder was SIGKILLed..."
    assert _holders(pgdata) == [doomed.pid]  # ...and its dead PID stays behind

    heir = Holder(pgdata)
    assert heir.ask() == {"postmaster": postmaster, "answer": 42}  # adopted, not restarted
    assert _holders(pgdata) == [heir.pid]  # the dead PID was pruned on start

    heir.exit()
    assert _gone(postmaster), "the orphaned postmaster outlived its last holder"
    assert _postmaster_pid(pgdata) is None


def test_prune_keeps_live_pids_and_resets_an_unreadable_file(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.communicate()
    (tmp_path / HANDLE_FILE).write_text(json.dumps([os.getpid(), dead.pid]))
    assert prune_dead_holders(tmp_path) == [dead.pid]
    assert _holders(tmp_path) == [os.getpid()]
    (tmp_path / HANDLE_FILE).write_text("not json")
    assert prune_dead_holders(tmp_path) == []
    assert _holders(tmp_path) == []
    assert prune_dead_holders(tmp_path / "missing") == []
