"""How log lines look: uvicorn's text (the default) or one JSON object per line
(``SAGWA_LOG_FORMAT=json``), and the id of the request being handled on every record.

:data:`current_request_id` holds the id while a request is handled (set by
``web/request_ids.py``); :class:`RequestIdFilter`, on every handler, copies it onto each record
as ``record.request_id`` (None outside a request), so a warning logged deep in a use case can be
found from the id a customer quotes. :class:`JsonFormatter` writes ``time`` (ISO 8601, UTC),
``level``, ``logger``, ``message``, ``request_id`` (when there is one), an access line's
``method``, ``path``, ``status``, ``duration_ms`` and ``client``, and ``exception`` (the traceback's text).
:func:`with_log_format` applies both to a ``logging.config.dictConfig`` configuration.
"""

from __future__ import annotations

import copy
import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The id of the request this task is handling (None outside a request).
current_request_id: ContextVar[str | None] = ContextVar("sagwa_request_id", default=None)

LOG_FORMATS = ("text", "json")
#: Fields an access line carries beside its message (``web/request_ids.py``), kept as JSON keys.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "client")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on a record (one a caller gave with ``extra`` is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        # for a text line's end: the id, unless the line has none or says it already (the
        # access line, the 500's)
        rid = record.request_id
        record.request_suffix = ("" if rid is None or f"request_id={rid}" in _said(record)
                                 else f" request_id={rid}")
        return True


def _said(record: logging.LogRecord) -> str:
    """The record's message; "" for a malformed call (its arguments do not fit), which logging
    reports itself when the line is written — a filter that raised would break the caller."""
    try:
        return record.getMessage()
    except (TypeError, ValueError, KeyError):
        return ""


class JsonFormatter(logging.Formatter):
    """One JSON object per line (see the module)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if (request_id := getattr(record, "request_id", None)) is not None:
            line["request_id"] = request_id
        line.update({k: record.__dict__[k] for k in ACCESS_FIELDS if k in record.__dict__})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def startup_line(text: str, log_format: str, *, logger: str = "sagwa.cli") -> str:
    """What a process prints on stdout as it starts (``sagwa serve``'s address, the worker's
    queues): ``text`` itself, or with ``json`` one JSON object as :class:`JsonFormatter` writes
    the logs (an INFO record of ``logger``), so a log shipper reading both streams reads JSON."""
    if log_format != "json":
        return text
    return json_line(text, logger=logger)


def json_line(text: str, *, logger: str, level: int = logging.INFO, **extra: Any) -> str:
    """``text`` as one JSON log line, as :class:`JsonFormatter` writes a record of ``logger``
    at ``level``, with ``extra``'s keys after its own: for what is printed outside logging (a
    process's first line, its refusal, a notice from reading the settings)."""
    line = JsonFormatter().format(logging.LogRecord(logger, level, __file__, 0, text, None, None))
    return json.dumps(json.loads(line) | extra, ensure_ascii=False) if extra else line


def with_log_format(config: dict[str, Any], log_format: str) -> dict[str, Any]:
    """``config`` (a dictConfig) with :class:`RequestIdFilter` on every handler and, for
    ``json``, every formatter replaced by :class:`JsonFormatter`; ``text`` keeps the formatters,
    the ``default`` one ending a line with ``request_id=…`` while a request is handled."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"the log format must be text or json, not {log_format!r}")
    config = copy.deepcopy(config)
    config.setdefault("filters", {})["request_id"] = {"()": f"{__name__}.RequestIdFilter"}
    for handler in config.get("handlers", {}).values():
        handler["filters"] = [*handler.get("filters", []), "request_id"]
    if log_format == "json":
        config["formatters"] = {name: {"()": f"{__name__}.JsonFormatter"}
                                for name in config.get("formatters", {})}
    elif "fmt" in (default := config.get("formatters", {}).get("default", {})):
        # a line logged while a request is handled ends with its id (a warning deep in a use
        # case, found from the id a customer quotes)
        default["fmt"] = default["fmt"] + "%(request_suffix)s"
    return config
