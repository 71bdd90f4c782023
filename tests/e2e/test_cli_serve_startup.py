"""``sagwa serve`` refuses to start — before its worker touches the queue, before its banner —
when it could not serve: the port is taken, the host is no address, the rules file is bad."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sagwa.adapters.db.database import Database
from sagwa.cli.main import app
from sagwa.cli.serve_checks import address_problem
from sagwa.config import get_settings

pytestmark = pytest.mark.e2e
SECRET = "test-secret-key-0123456789"


def _serve(*args: str, **env: str) -> Result:
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["serve", *args],
                                  env={"SAGWA_SECRET_KEY": SECRET, **env})
    finally:
        get_settings.cache_clear()


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_a_port_in_use_is_refused_before_anything_starts(taken_port: int,
                                                         tmp_path: Path) -> None:
    result = _serve("--port", str(taken_port), SAGWA_DATA_DIR=str(tmp_path / "data"))

    assert result.exit_code == 1
    assert f"port {taken_port} is in use (another sagwa serve?)" in result.output
    assert "sagwa " not in result.stdout  # no banner
    assert not (tmp_path / "data" / "pg").exists()  # no database started, no worker


def test_a_host_that_is_no_address_names_sagwa_host() -> None:
    problem = address_problem("no-such-host.invalid", 8233)

    assert problem is not None and problem.startswith(
        "SAGWA_HOST (or --host) 'no-such-host.invalid' is not an address")


def test_a_bad_rules_file_is_refused_before_the_banner(committed_database: Database,
                                                        tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("this is = not [toml", encoding="utf-8")
    url = committed_database.engine.url.render_as_string(hide_password=False)

    result = _serve("--port", str(_free()), "--no-worker",
                    SAGWA_DATABASE_URL=url, SAGWA_GUARD_RULES=str(rules),
                    SAGWA_DATA_DIR=str(tmp_path / "data"))

    assert result.exit_code != 0
    assert "on http://" not in result.output


def _free() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
