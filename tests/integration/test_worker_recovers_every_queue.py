"""A killed worker's jobs are recovered on every queue, not only the messages': a deadline a
worker was applying when it was killed stayed ``doing`` for good, and the deadline's default
was never applied (a deploy walkthrough read the recovery; this test kills nothing, it leaves a
worker's heartbeat old, as a SIGKILL does)."""

from __future__ import annotations

import pytest

from sagwa.adapters.db.database import Database
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.worker import recover_stalled_jobs
from sagwa.services.outbox import DELIVER_TASK, MESSAGE_QUEUE
from sagwa.services.scheduled import DEADLINE_TASK, DESK_QUEUE
from sagwa.testing.own_thread import run_async

pytestmark = pytest.mark.integration


async def _recovered(db: Database) -> dict[str, tuple[str, str]]:
    """A dead worker (heartbeat an hour old) running a deadline and a message, and a live one
    running another deadline; recovered at 10 s: queue -> (status) of each job by name."""
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    with app.replace_connector(connector_for(db.engine.url)):
        async with app.open_async():
            for queue, task, args in ((DESK_QUEUE, DEADLINE_TASK, {"incident_id": 1}),
                                      (MESSAGE_QUEUE, DELIVER_TASK,
                                       {"message_id": 1}),
                                      (DESK_QUEUE, DEADLINE_TASK, {"incident_id": 2})):
                await app.configure_task(task, queue=queue).defer_async(**args)
            dead = await app.job_manager.register_worker()
            live = await app.job_manager.register_worker()
            for worker, queues in ((dead, [DESK_QUEUE]), (dead, [MESSAGE_QUEUE]),
                                   (live, [DESK_QUEUE])):
                assert await app.job_manager.fetch_job(queues=queues, worker_id=worker)
            await app.connector.execute_query_async(
                "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' "
                "WHERE id = %(id)s", id=dead)
            assert await recover_stalled_jobs(app, 10.0) == 2
            rows = await app.connector.execute_query_all_async(
                "SELECT queue_name, args::text AS args, status FROM procrastinate_jobs")
            return {f"{r['queue_name']} {r['args']}": r["status"] for r in rows}


def test_a_dead_workers_deadline_and_message_go_back_to_todo_and_a_live_ones_stay(
        committed_database: Database) -> None:
    statuses = run_async(_recovered(committed_database))
    assert statuses == {f'{DESK_QUEUE} {{"incident_id": 1}}': "todo",
                        f'{MESSAGE_QUEUE} {{"message_id": 1}}': "todo",
                        f'{DESK_QUEUE} {{"incident_id": 2}}': "doing"}, statuses
