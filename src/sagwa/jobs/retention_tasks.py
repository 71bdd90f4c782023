"""The daily erasure of customers' personal data that no law keeps any more (개인정보 보호법
제21조: without delay), at 03:00 Korea time, when ``SAGWA_RETENTION_ERASE_DAILY`` is on
(``services.customer_erasure.erase_due``: one transaction and one audit record per customer)."""

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
    """How many customers were erased (0 with the setting off)."""
    if not job_runtime(context).erase_daily:
        return 0
    done = await asyncio.to_thread(erase_due, lambda: job_unit_of_work(context),
                                   actor=RETENTION_ACTOR)
    if done:  # on the access records too, as `sagwa retention run` is
        session_factory = job_runtime(context).database.session_factory
        assert session_factory is not None
        await asyncio.to_thread(record_access, SqlAccessLog(session_factory), AccessRecord(
            account=RETENTION_ACTOR, role=None, client="worker", action=AccessAction.CHANGE,
            what="retention job (SAGWA_RETENTION_ERASE_DAILY)",
            customer_ids=tuple(d.customer_id for d in done)))
    return len(done)
