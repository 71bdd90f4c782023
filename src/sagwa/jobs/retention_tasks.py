"""The daily erasure of customers' personal data that no law keeps any more (개인정보 보호법
제21조: without delay), at 03:00 Korea time (``services.customer_erasure.erase_due``: one
transaction and one audit record per customer). Customers who asked to be erased (a request
recorded when the law refused it) are erased as soon as every hold lifts, whatever the setting;
everyone else due only when ``SAGWA_RETENTION_ERASE_DAILY`` is on."""

from __future__ import annotations

import asyncio

from procrastinate import JobContext

from sagwa.adapters.db.access_records_repo import SqlAccessLog
from sagwa.domain.access_records import AccessAction, AccessRecord
from sagwa.jobs.app import app
from sagwa.jobs.runtime import job_runtime, job_unit_of_work
from sagwa.services.access_records import record_access
from sagwa.services.customer_erasure import erase_due
from sagwa.services.scheduled import DESK_QUEUE

RETENTION_TASK = "sagwa.retention_erase"
#: 03:00 Korea time (UTC+9, no daylight saving), when the desk is closed.
RETENTION_CRON = "0 18 * * *"
RETENTION_ACTOR = "sagwa:retention"


@app.periodic(cron=RETENTION_CRON, periodic_id="retention_erase")
@app.task(name=RETENTION_TASK, queue=DESK_QUEUE, pass_context=True)
async def erase_due_job(context: JobContext, timestamp: int) -> int:
    """How many customers were erased: those whose recorded request may now be carried out,
    and, with the setting on, every other customer due."""
    sweep = job_runtime(context).erase_daily
    done = await asyncio.to_thread(erase_due, lambda: job_unit_of_work(context),
                                   actor=RETENTION_ACTOR, due=None if sweep else [])
    if done:  # on the access records too, as `sagwa retention run` is
        session_factory = job_runtime(context).database.session_factory
        assert session_factory is not None
        await asyncio.to_thread(record_access, SqlAccessLog(session_factory), AccessRecord(
            account=RETENTION_ACTOR, role=None, client="worker", action=AccessAction.CHANGE,
            what="retention job" + (" (SAGWA_RETENTION_ERASE_DAILY)" if sweep else
                                    " (erasure requests)"),
            customer_ids=tuple(d.customer_id for d in done)))
    return len(done)
