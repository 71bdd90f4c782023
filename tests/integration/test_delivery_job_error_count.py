"""The delivery job's count of unexpected errors lives in its procrastinate priority: real
PostgreSQL shows that a retry after an unexpected error stores the lowered priority and that a
routine retry (``DeliverLater``) keeps it, though both raise ``attempts``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from procrastinate import jobs
from procrastinate.jobs import Job

from sagwa.adapters.db.database import Database
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.tasks import DELIVER_TASK, DeliverLater, DeliveryRetry
from sagwa.services.outbox import MESSAGE_QUEUE
from sagwa.testing.own_thread import run_async

pytestmark = pytest.mark.integration


async def _retry_and_fetch(job: Job, exception: BaseException, worker_id: int) -> Job:
    decision = DeliveryRetry().get_retry_decision(exception=exception, job=job)
    assert decision is not None
    # now rather than decision.retry_at: the test fetches the job again at once
    await app.job_manager.retry_job(job, retry_at=datetime.now(UTC),
                                    priority=decision.priority)
    fetched = await app.job_manager.fetch_job(queues=[MESSAGE_QUEUE], worker_id=worker_id)
    assert fetched is not None and fetched.id == job.id
    return fetched


async def _count_through_retries(db: Database) -> list[tuple[int, int]]:
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    with app.replace_connector(connector_for(db.engine.url)):
        async with app.open_async():
            await app.configure_task(DELIVER_TASK, queue=MESSAGE_QUEUE).defer_async(
                message_id=-1)
            worker_id = await app.job_manager.register_worker()
            job = await app.job_manager.fetch_job(queues=[MESSAGE_QUEUE], worker_id=worker_id)
            assert job is not None
            seen = [(job.attempts, job.priority)]
            later = DeliverLater("temporary failure", datetime.now(UTC))
            for exception in (ConnectionError("blip"), later, later, ConnectionError("blip")):
                job = await _retry_and_fetch(job, exception, worker_id)
                seen.append((job.attempts, job.priority))
            await app.job_manager.finish_job(job, status=jobs.Status.SUCCEEDED,
                                             delete_job=True)
            return seen


def test_unexpected_errors_are_counted_in_the_priority_and_routine_retries_keep_it(
        committed_database: Database) -> None:
    seen = run_async(_count_through_retries(committed_database))

    assert seen == [(0, 0), (1, -1), (2, -1), (3, -1), (4, -2)]
