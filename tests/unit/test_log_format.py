"""Log lines as JSON (``SAGWA_LOG_FORMAT=json``) and the request id on every record logged while
a request is handled (``log_format.py``)."""

from __future__ import annotations

import copy
import io
import json
import logging
import logging.config
import re
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.config import Settings
from sagwa.log_format import JsonFormatter, RequestIdFilter, current_request_id, with_log_format
from sagwa.web.access_log import log_config


def _record(message: str = "hello %s", args: tuple[object, ...] = ("world",),
            **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("sagwa.web", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_json_line_says_when_what_and_who_logged_it() -> None:
    line = JsonFormatter().format(_record(request_id="abc123"))

    assert "\n" not in line
    said = json.loads(line)
    assert list(said)[:5] == ["time", "level", "logger", "message", "request_id"]
    assert (said["level"], said["logger"], said["message"], said["request_id"]) == (
        "WARNING", "sagwa.web", "hello world", "abc123")
    when = datetime.fromisoformat(said["time"])
    assert when.utcoffset() is not None and when.utcoffset().total_seconds() == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", said["time"])


def test_a_json_line_outside_a_request_has_no_request_id() -> None:
    assert "request_id" not in json.loads(JsonFormatter().format(_record()))
    assert "request_id" not in json.loads(JsonFormatter().format(_record(request_id=None)))


def test_a_json_line_carries_the_exception_text() -> None:
    try:
        raise RuntimeError("boom 콩")
    except RuntimeError:
        record = logging.LogRecord("sagwa", logging.ERROR, __file__, 1, "failed", None,
                                   __import__("sys").exc_info())
    said = json.loads(JsonFormatter().format(record))
    assert said["message"] == "failed"
    assert said["exception"].startswith("Traceback") and "RuntimeError: boom 콩" in said["exception"]


def test_a_json_line_keeps_an_access_lines_fields() -> None:
    said = json.loads(JsonFormatter().format(_record(
        method="GET", path="/api/x", status=200, duration_ms=1.5, request_id="r1")))
    assert {k: said[k] for k in ("method", "path", "status", "duration_ms")} == {
        "method": "GET", "path": "/api/x", "status": 200, "duration_ms": 1.5}


def test_the_filter_puts_the_current_request_id_on_a_record() -> None:
    outside = _record()
    assert RequestIdFilter().filter(outside) is True
    assert outside.request_id is None  # type: ignore[attr-defined]

    token = current_request_id.set("req-1")
    try:
        inside, given = _record(), _record(request_id="given")
        RequestIdFilter().filter(inside)
        RequestIdFilter().filter(given)
    finally:
        current_request_id.reset(token)
    assert inside.request_id == "req-1"  # type: ignore[attr-defined]
    assert given.request_id == "given"  # type: ignore[attr-defined]  # said by the caller


def test_text_keeps_the_formatters_and_adds_the_filter() -> None:
    before = log_config()
    after = with_log_format(copy.deepcopy(before), "text")
    assert after["formatters"]["access"] == before["formatters"]["access"]
    assert after["formatters"]["default"]["fmt"] == (
        before["formatters"]["default"]["fmt"] + "%(request_suffix)s")
    for handler in after["handlers"].values():
        assert "request_id" in handler["filters"]
    assert after["filters"]["request_id"] == {"()": "sagwa.log_format.RequestIdFilter"}


def test_json_replaces_every_formatter() -> None:
    after = with_log_format(log_config(), "json")
    assert set(after["formatters"]) == set(log_config()["formatters"])
    assert all(f == {"()": "sagwa.log_format.JsonFormatter"}
               for f in after["formatters"].values())


def test_a_json_configuration_writes_json_lines() -> None:
    config = with_log_format(log_config(), "json")
    config["loggers"]["sagwa"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level,
                 logging.getLogger(n).propagate) for n in ("sagwa", "uvicorn", "uvicorn.error",
                                                           "uvicorn.access")}
    try:
        logging.config.dictConfig(config)
        written = io.StringIO()
        [handler] = logging.getLogger("sagwa").handlers
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(written)
        token = current_request_id.set("r-9")
        try:
            logging.getLogger("sagwa.web").info("served %s", "/x")
        finally:
            current_request_id.reset(token)
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers, logger.propagate = handlers, propagate
            logger.setLevel(level)
    said = json.loads(written.getvalue())
    assert (said["message"], said["request_id"], said["level"]) == ("served /x", "r-9", "INFO")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="text or json"):
        with_log_format(log_config(), "xml")


def test_the_setting_defaults_to_text_and_takes_json_only(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAGWA_LOG_FORMAT", raising=False)
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-test-key-of-enough-length")  # no key file written
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout
    assert Settings(data_dir=tmp_path).log_format == "text"
    monkeypatch.setenv("SAGWA_LOG_FORMAT", "json")
    assert Settings(data_dir=tmp_path).log_format == "json"
    monkeypatch.setenv("SAGWA_LOG_FORMAT", "yaml")
    with pytest.raises(ValidationError, match="log_format"):
        Settings(data_dir=tmp_path)


@pytest.mark.parametrize(("message", "rid", "line"), [
    ("the SMTP server refused it", "r-7", "the SMTP server refused it request_id=r-7"),
    ("GET /x 200 1.0 ms request_id=r-7", "r-7", "GET /x 200 1.0 ms request_id=r-7"),  # said once
    ("the worker started", None, "the worker started"),  # outside a request
])
def test_a_text_line_logged_during_a_request_ends_with_its_id(message: str, rid: str | None,
                                                              line: str) -> None:
    formatter = logging.Formatter("%(message)s%(request_suffix)s")
    record = _record(message, ())
    token = current_request_id.set(rid)
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    assert formatter.format(record) == line


def test_a_malformed_log_call_does_not_raise_through_the_filter() -> None:
    """A call whose arguments do not fit its message is logging's to report, not the caller's
    to crash on."""
    record = _record("bad args %s %s", (1,))
    token = current_request_id.set("r-8")
    try:
        assert RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    assert record.request_suffix == " request_id=r-8"  # type: ignore[attr-defined]
