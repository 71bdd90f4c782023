"""The audit log's periodic anchor: every 15 minutes a worker appends the head of the chain to
the anchors file (``SAGWA_AUDIT_ANCHORS_PATH``, by default in its data directory; ``sagwa audit
verify`` checks every anchor), so that records deleted from the end of the log, or a log
rewritten whole, are found out."""

from __future__ import annotations

import asyncio

from procrastinate import JobContext

from sagwa.jobs.app import app
from sagwa.jobs.runtime import job_runtime, job_unit_of_work
from sagwa.services.audit import anchor_audit_log
from sagwa.services.scheduled import DESK_QUEUE

ANCHOR_TASK = "sagwa.audit_anchor"
ANCHOR_CRON = "*/15 * * * *"


@app.periodic(cron=ANCHOR_CRON, periodic_id="audit_anchor")
@app.task(name=ANCHOR_TASK, queue=DESK_QUEUE, pass_context=True)
async def anchor_audit_log_job(context: JobContext, timestamp: int) -> int:
    """The anchored record's seq (0: an empty log, or a worker without an anchors file)."""
    path = job_runtime(context).anchors_path
    if path is None:
        return 0
    written = await asyncio.to_thread(anchor_audit_log, job_unit_of_work(context), path=path)
    return 0 if written is None else written.seq
