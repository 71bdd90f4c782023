"""Once a day, at 03:30 Korea time, the job table is kept short. procrastinate keeps every
finished job with its events (a job per message sent, per reminder, deadline and periodic run):
left alone the table grows for ever, and every worker's job fetch and the metrics read beside
it. Jobs that succeeded, were cancelled or aborted more than :data:`FINISHED_JOBS_KEPT_DAYS`
days ago are deleted with their events, failed ones after :data:`FAILED_JOBS_KEPT_DAYS` (what
a failed delivery was is kept in the outbox, a desk step in the audit log: the job row only
says it ran). Waiting and running jobs are never touched. procrastinate's own query
(``delete_old_jobs``: by the time of a job's last event)."""

from __future__ import annotations

import logging

from procrastinate import App, JobContext

from sagwa.jobs.app import app
from sagwa.jobs.runtime import SCHEDULED_RETRY
from sagwa.services.scheduled import DESK_QUEUE

PRUNE_TASK = "sagwa.prune_jobs"
#: 03:30 Korea time (UTC+9), after the daily erasure.
PRUNE_CRON = "30 18 * * *"
FINISHED_JOBS_KEPT_DAYS = 14
FAILED_JOBS_KEPT_DAYS = 90

_log = logging.getLogger("sagwa.jobs.upkeep")


@app.periodic(cron=PRUNE_CRON, periodic_id="prune_jobs")
@app.task(name=PRUNE_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def prune_jobs_job(context: JobContext, timestamp: int) -> None:
    assert context.app is not None
    await prune_finished_jobs(context.app)


async def prune_finished_jobs(jobs_app: App, *, finished_days: int = FINISHED_JOBS_KEPT_DAYS,
                              failed_days: int = FAILED_JOBS_KEPT_DAYS) -> None:
    """Delete the jobs finished more than ``finished_days`` ago (succeeded, cancelled,
    aborted) and those failed more than ``failed_days`` ago, with their events."""
    manager = jobs_app.job_manager
    await manager.delete_old_jobs(nb_hours=finished_days * 24, include_cancelled=True,
                                  include_aborted=True)
    await manager.delete_old_jobs(nb_hours=failed_days * 24, include_failed=True,
                                  include_cancelled=True, include_aborted=True)
    _log.info("finished jobs older than %d days and failed ones older than %d deleted",
              finished_days, failed_days)
