"""How long temporary delivery failures are retried (``sagwa.services.delivery``), and how a
routine retry is logged by the worker (``sagwa.jobs.worker.OneLineRetries``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sagwa.jobs.tasks import DeliverLater
from sagwa.jobs.worker import OneLineRetries
from sagwa.services.delivery import MAX_ATTEMPTS, attempts_within, retry_delay


def _waited(attempts: int) -> timedelta:
    return sum((retry_delay(n) for n in range(1, attempts)), timedelta())


def test_temporary_failures_are_retried_for_about_a_day_with_waits_capped_at_an_hour() -> None:
    assert timedelta(hours=24) <= _waited(MAX_ATTEMPTS) <= timedelta(hours=25)
    assert retry_delay(1) == timedelta(seconds=10)
    assert retry_delay(2) == timedelta(seconds=20)
    assert max(retry_delay(n) for n in range(1, 200)) == timedelta(hours=1)


def test_the_retry_window_is_a_setting_turned_into_attempts() -> None:
    assert _waited(attempts_within(2)) >= timedelta(hours=2)
    assert _waited(attempts_within(2) - 1) < timedelta(hours=2)
    assert attempts_within(2) < MAX_ATTEMPTS


def _record(exc: BaseException) -> logging.LogRecord:
    return logging.LogRecord("procrastinate.worker", logging.INFO, __file__, 1,
                             "Job %s ended with status: Error, to retry", ("deliver[7]",),
                             (type(exc), exc, None))


def test_a_routine_retry_is_logged_on_one_line_with_its_reason() -> None:
    at = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    record = _record(DeliverLater("temporary failure", at))

    assert OneLineRetries().filter(record)

    assert record.exc_info is None
    assert record.getMessage() == ("Job deliver[7] ended with status: Error, to retry — "
                                   "temporary failure; again at 2026-12-05T03:00:00+00:00")


def test_an_unexpected_error_keeps_its_traceback() -> None:
    record = _record(RuntimeError("boom"))

    assert OneLineRetries().filter(record)

    assert record.exc_info is not None
