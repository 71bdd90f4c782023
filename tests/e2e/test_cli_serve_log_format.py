"""``SAGWA_LOG_FORMAT=json`` makes ``sagwa serve`` log JSON lines, with the request's id on
each record; text (the default) keeps uvicorn's lines (``log_format.py``). uvicorn itself is
replaced by a stand-in that only keeps what it was given."""

from __future__ import annotations

import gc
import json
import logging
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from sagwa.adapters.db.database import Database
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.log_format import JsonFormatter, current_request_id

pytestmark = pytest.mark.e2e
LOGGERS = ("sagwa", "uvicorn", "uvicorn.error", "uvicorn.access", "procrastinate")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """What ``uvicorn.run`` was given, and a line logged as a request's would be; the logging
    set-up and SIGTERM's handler restored afterwards."""
    given: dict[str, Any] = {}

    def run(_app: object, **kwargs: Any) -> None:
        given.update(kwargs)
        handler = logging.getLogger("sagwa").handlers[0]
        token = current_request_id.set("rid-77")
        try:
            record = logging.getLogger("sagwa.web").makeRecord(
                "sagwa.web", logging.INFO, __file__, 1, "served", None, None)
            handler.filter(record)
            given["line"] = handler.format(record)
        finally:
            current_request_id.reset(token)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level,
                 logging.getLogger(n).propagate) for n in LOGGERS}
    sigterm = signal.getsignal(signal.SIGTERM)
    yield given
    signal.signal(signal.SIGTERM, sigterm)
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


@pytest.mark.parametrize("log_format", ["json", "text", None])
def test_serve_logs_in_the_format_asked(committed_database: Database, tmp_path: Path,
                                        served: dict[str, Any], log_format: str | None) -> None:
    url = committed_database.engine.url.render_as_string(hide_password=False)
    env = {"SAGWA_SECRET_KEY": "test-secret-key-0123456789", "SAGWA_DATABASE_URL": url,
           "SAGWA_DATA_DIR": str(tmp_path / "data"),
           **({"SAGWA_LOG_FORMAT": log_format} if log_format else {})}
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--no-worker", "--port", str(_free())],
                                    env=env)
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    formatters = served["log_config"]["formatters"]
    if log_format == "json":
        assert all(f == {"()": "sagwa.log_format.JsonFormatter"} for f in formatters.values())
        assert isinstance(logging.getLogger("sagwa").handlers[0].formatter, JsonFormatter)
        said = json.loads(served["line"])
        assert (said["message"], said["request_id"], said["logger"]) == (
            "served", "rid-77", "sagwa.web")
    else:
        assert formatters["default"]["()"] == "uvicorn.logging.DefaultFormatter"
        assert served["line"].endswith(" served request_id=rid-77")  # the id at its end
    assert all("request_id" in h["filters"] for h in served["log_config"]["handlers"].values())
    # the line it starts with: JSON too when the logs are (a deploy walk: a log shipper reading
    # both streams choked on a text banner wrapped over two lines), one line either way
    [started] = [line for line in result.stdout.splitlines() if "/docs" in line]
    if log_format == "json":
        line = json.loads(started)
        assert (line["level"], line["logger"]) == ("INFO", "sagwa.serve")
        assert "/docs) — " in line["message"] and "[bold]" not in line["message"]
    else:
        assert started.startswith("sagwa ") and "/docs) — " in started


def _free() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
