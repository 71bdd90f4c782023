"""The delivery job's budget for unexpected errors (a database blip, a bug) counts only those:
routine re-schedules (``DeliverLater``: not due, a temporary failure's backoff, BUSY, IN_DOUBT)
also raise procrastinate's ``attempts``, but never use up that budget, and are never refused.

Each retry is applied as procrastinate's ``procrastinate_retry_job_v2`` does: ``attempts + 1``
and ``priority = COALESCE(new_priority, priority)``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import attr
import pytest
from procrastinate import RetryDecision
from procrastinate.jobs import Job

from sagwa.jobs.tasks import (
    BUSY_MAX_SECONDS,
    UNEXPECTED_ERROR_RETRIES,
    DeliverLater,
    DeliveryRetry,
)
from sagwa.jobs.tasks import deliver_message as deliver_task
from sagwa.services.delivery import Outcome
from sagwa.testing.own_thread import run_async

LATER = DeliverLater("temporary failure", datetime(2026, 12, 6, 4, 0, tzinfo=UTC))
BLIP = ConnectionError("server closed the connection unexpectedly")


def _new_job() -> Job:
    # as the outbox defers it (outbox_repo: priority 0)
    return Job(id=1, queue="messages", priority=0, lock=None, queueing_lock=None,
               task_name="deliver_message", task_kwargs={"message_id": 7})


def _fail(job: Job, exception: BaseException) -> tuple[RetryDecision | None, Job]:
    decision = DeliveryRetry().get_retry_decision(exception=exception, job=job)
    if decision is None:
        return None, job
    priority = job.priority if decision.priority is None else decision.priority
    return decision, attr.evolve(job, attempts=job.attempts + 1, priority=priority)


def _rescheduled(job: Job, times: int) -> Job:
    for _ in range(times):
        decision, job = _fail(job, LATER)
        assert decision is not None and decision.retry_at == LATER.at
    return job


def test_an_unexpected_error_after_many_routine_reschedules_is_still_retried() -> None:
    job = _rescheduled(_new_job(), 3 * UNEXPECTED_ERROR_RETRIES)

    decision, _ = _fail(job, BLIP)

    assert decision is not None and decision.retry_at is not None
    assert decision.retry_at - datetime.now(UTC) < timedelta(seconds=30)  # the first backoff


def test_unexpected_errors_stop_being_retried_after_their_budget_however_interleaved() -> None:
    job = _new_job()
    retried = 0
    while True:
        job = _rescheduled(job, 7)
        decision, job = _fail(job, BLIP)
        if decision is None:
            break
        retried += 1
        assert retried <= UNEXPECTED_ERROR_RETRIES

    assert retried == UNEXPECTED_ERROR_RETRIES


def test_routine_reschedules_are_never_refused_after_unexpected_errors() -> None:
    job = _new_job()
    for _ in range(UNEXPECTED_ERROR_RETRIES):
        job = _fail(job, BLIP)[1]
    assert _fail(job, BLIP)[0] is None

    _rescheduled(job, 50)


def _busy_pause(attempts: int) -> timedelta:
    job = attr.evolve(_new_job(), attempts=attempts)
    context = SimpleNamespace(job=job, additional_context={"delivery": SimpleNamespace(
        deliver=lambda message_id: _outcome(Outcome.BUSY))})
    with pytest.raises(DeliverLater) as raised:
        run_async(deliver_task.func(context, message_id=7))
    return raised.value.at - datetime.now(UTC)


async def _outcome(outcome: Outcome) -> Outcome:
    return outcome


def test_a_message_another_live_worker_holds_is_tried_again_less_and_less_often() -> None:
    first, later, much_later = _busy_pause(0), _busy_pause(4), _busy_pause(400)

    assert first < timedelta(seconds=10)
    assert later > first + timedelta(seconds=30)
    assert timedelta(seconds=BUSY_MAX_SECONDS - 5) < much_later
    assert much_later <= timedelta(seconds=BUSY_MAX_SECONDS)
