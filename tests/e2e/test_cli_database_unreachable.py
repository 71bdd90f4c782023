"""``sagwa worker`` and ``sagwa serve`` with the database unreachable at start: the same one
clean ``error (database_unavailable)`` line and exit status, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.own_thread import in_own_thread

pytestmark = pytest.mark.e2e


def _free() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sagwa(*args: str, tmp_path: Path) -> Result:
    gone = f"postgresql://postgres@127.0.0.1:{_free()}/gone"
    get_settings.cache_clear()
    try:
        def invoke() -> Result:
            return CliRunner().invoke(app, list(args), env={
                "SAGWA_DATABASE_URL": gone, "SAGWA_SECRET_KEY": "test-secret-key-0123456789",
                "SAGWA_DATA_DIR": str(tmp_path / "data")})

        # `sagwa worker` runs an event loop: in a thread of its own, as a test process that ran
        # browser tests first has Playwright's loop running in the main thread
        return in_own_thread(invoke) if args[0] == "worker" else invoke()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("command", [["worker", "--one-shot"], ["worker"],
                                     ["serve", "--no-worker"]])
def test_an_unreachable_database_is_one_clean_line(command: list[str], tmp_path: Path) -> None:
    if command[0] == "serve":
        command = [*command, "--port", str(_free())]
    result = _sagwa(*command, tmp_path=tmp_path)

    assert result.exit_code == 1, result.output
    assert "error (database_unavailable): cannot reach PostgreSQL at" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
