"""A worker that wakes up (SIGCONT after SIGSTOP) to record a job another worker has already
finished — recovered from it while it was paused — says so in one WARNING line. procrastinate's
own worker raises from the job's task, which nobody awaits: asyncio then logged "Task exception
was never retrieved" with two tracebacks."""

from __future__ import annotations

import logging

import pytest
from procrastinate import RetryDecision, exceptions, jobs
from procrastinate.worker import Worker

from sagwa.adapters.db.database import Database
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.sagwa_worker import SagwaWorker
from sagwa.jobs.tasks import DELIVER_TASK
from sagwa.services.outbox import MESSAGE_QUEUE
from sagwa.testing.own_thread import run_async

pytestmark = pytest.mark.integration


async def _record_a_job_finished_elsewhere(db: Database, worker_class: type[Worker], *,
                                           retry: bool = False) -> None:
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    with app.replace_connector(connector_for(db.engine.url)):
        async with app.open_async():
            await app.configure_task(DELIVER_TASK, queue=MESSAGE_QUEUE).defer_async(
                message_id=1)
            worker_id = await app.job_manager.register_worker()
            job = await app.job_manager.fetch_job(queues=[MESSAGE_QUEUE], worker_id=worker_id)
            assert job is not None
            # meanwhile the job was recovered and another worker finished it
            await app.job_manager.finish_job(job, status=jobs.Status.SUCCEEDED,
                                             delete_job=False)
            worker = worker_class(app=app, queues=[MESSAGE_QUEUE])
            # a retry (a delivery that asked to run later) is refused in other words
            decision = RetryDecision(retry_in={"seconds": 10}) if retry else None
            await worker._persist_job_status(job, jobs.Status.FAILED if retry
                                             else jobs.Status.SUCCEEDED, decision, None, None)


def test_procrastinates_worker_raises_for_a_job_finished_elsewhere(
        committed_database: Database) -> None:
    with pytest.raises(exceptions.ConnectorException) as raised:
        run_async(_record_a_job_finished_elsewhere(committed_database, Worker))
    assert 'Job was not found or not in "doing"' in str(raised.value.__cause__)


@pytest.mark.parametrize("retry", [False, True])
def test_a_job_finished_elsewhere_is_one_warning_line(
        committed_database: Database, caplog: pytest.LogCaptureFixture, retry: bool) -> None:
    """A retry too: an ops walk saw three "Task exception was never retrieved" ERRORs with
    tracebacks from procrastinate's ``retry_job`` as workers stopped ("Job was not found or
    has an invalid status to retry")."""
    run_async(_record_a_job_finished_elsewhere(committed_database, SagwaWorker, retry=retry))

    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.levelno == logging.WARNING and not line.exc_info
    assert "was already finished by another worker" in line.getMessage()
    outcome = "failed" if retry else "succeeded"
    assert f"its outcome here, {outcome}, is not recorded" in line.getMessage()
