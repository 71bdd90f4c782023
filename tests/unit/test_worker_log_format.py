"""``sagwa worker`` logs as ``sagwa serve`` does: text by default, JSON lines with
``SAGWA_LOG_FORMAT=json``."""

from __future__ import annotations

import json
import logging

from sagwa.cli.worker import configure_logging, log_handler


def _line(log_format: str) -> str:
    record = logging.LogRecord("sagwa.jobs.worker", logging.WARNING, __file__, 1,
                               "the database went away", None, None)
    return log_handler(log_format).format(record)


def test_json_lines_when_asked() -> None:
    said = json.loads(_line("json"))
    assert (said["level"], said["logger"], said["message"]) == (
        "WARNING", "sagwa.jobs.worker", "the database went away")


def test_text_by_default() -> None:
    assert _line("text").endswith(" WARNING sagwa.jobs.worker: the database went away")



def test_the_worker_keeps_httpx_request_lines_out_of_its_log() -> None:
    """httpx logs every request's address at INFO; an SMS provider's address holds its app key."""
    httpx_log = logging.getLogger("httpx")
    before = httpx_log.level
    httpx_log.setLevel(logging.NOTSET)
    try:
        configure_logging("text", verbose=True)
        assert httpx_log.level == logging.WARNING
    finally:
        httpx_log.setLevel(before)


def test_the_line_a_process_starts_with_is_json_when_the_logs_are() -> None:
    """``sagwa serve`` and ``sagwa worker`` print a line as they start; with
    SAGWA_LOG_FORMAT=json it was the one plain line among the JSON ones."""
    from sagwa.log_format import startup_line

    said = "sagwa worker: concurrency 4, queues all"
    assert startup_line(said, "text") == said
    line = json.loads(startup_line(said, "json", logger="sagwa.worker"))
    assert (line["message"], line["logger"], line["level"]) == (said, "sagwa.worker", "INFO")
