"""The daily pruning of finished jobs (``jobs/upkeep_tasks.py``) on real PostgreSQL through
procrastinate's own query: jobs that succeeded (or were cancelled) more than 14 days ago go
with their events, failed ones after 90 days; recent ones, and jobs waiting or running
however old, stay. A periodic job's record of a deleted job loses its link, not its row."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sagwa.adapters.db.database import Database
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.upkeep_tasks import PRUNE_TASK, prune_finished_jobs
from sagwa.testing.own_thread import run_async

pytestmark = pytest.mark.integration

#: (name, status, days since its last event)
JOBS = [("succeeded_old", "succeeded", 20), ("succeeded_new", "succeeded", 3),
        ("cancelled_old", "cancelled", 20), ("failed_old", "failed", 20),
        ("failed_older", "failed", 100), ("todo_old", "todo", 200), ("doing_old", "doing", 30)]


def _job(conn, name: str, status: str, days: int) -> int:  # type: ignore[no-untyped-def]
    job_id = conn.execute(text(
        "INSERT INTO procrastinate_jobs (queue_name, task_name, status, args) VALUES "
        "('messages', 'sagwa.deliver', 'todo', jsonb_build_object('name', CAST(:name AS text))) "
        "RETURNING id"), {"name": name}).scalar_one()
    if status != "todo":
        conn.execute(text("UPDATE procrastinate_jobs SET status = CAST(:status AS "
                          "procrastinate_job_status) WHERE id = :id"),
                     {"status": status, "id": job_id})
    # every event of the job back-dated: its last one is ``days`` old
    conn.execute(text("UPDATE procrastinate_events SET at = now() - make_interval(days => :d) "
                      "WHERE job_id = :id"), {"d": days, "id": job_id})
    return int(job_id)


def test_finished_jobs_are_deleted_after_their_days_and_nothing_else(
        committed_database: Database) -> None:
    with committed_database.engine.begin() as conn:
        ids = {name: _job(conn, name, status, days) for name, status, days in JOBS}
        conn.execute(text(
            "INSERT INTO procrastinate_periodic_defers (task_name, defer_timestamp, job_id, "
            "periodic_id) VALUES ('sagwa.audit_anchor', 1, :id, 'audit_anchor')"),
            {"id": ids["succeeded_old"]})

    async def prune() -> None:
        with app.replace_connector(connector_for(committed_database.engine.url)):
            async with app.open_async():
                await prune_finished_jobs(app)

    run_async(prune())
    with committed_database.engine.connect() as conn:
        left = {row.args["name"] for row in conn.execute(text(
            "SELECT args FROM procrastinate_jobs"))}
        orphans = conn.execute(text(
            "SELECT count(*) FROM procrastinate_events WHERE job_id NOT IN "
            "(SELECT id FROM procrastinate_jobs)")).scalar_one()
        defers = conn.execute(text(
            "SELECT job_id FROM procrastinate_periodic_defers")).scalars().all()
    assert left == {"succeeded_new", "failed_old", "todo_old", "doing_old"}
    assert orphans == 0
    assert defers == [None]  # the anchor's record stays (no second run for that tick)


def test_the_pruning_runs_every_day_on_the_desk_queue() -> None:
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    task = app.tasks[PRUNE_TASK]
    assert task.queue == "desk"
    [periodic] = [p for (name, _id), p in app.periodic_registry.periodic_tasks.items()
                  if name == PRUNE_TASK]
    assert periodic.cron == "30 18 * * *"  # 03:30 in Korea
