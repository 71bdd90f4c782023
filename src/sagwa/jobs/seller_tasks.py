"""Every 30 minutes, each seller of an incident still notifying is emailed the orders of theirs
that became ones to send since (``services.seller_ready_notices``: each order once)."""

from __future__ import annotations

import asyncio

from procrastinate import JobContext

from sagwa.jobs.app import app
from sagwa.jobs.runtime import SCHEDULED_RETRY, job_runtime, job_unit_of_work
from sagwa.services.scheduled import DESK_QUEUE

SELLERS_READY_TASK = "sagwa.sellers_ready"
SELLERS_READY_CRON = "*/30 * * * *"
ACTOR = "system:scheduler"


@app.periodic(cron=SELLERS_READY_CRON, periodic_id="sellers_ready")
@app.task(name=SELLERS_READY_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def tell_sellers_ready_job(context: JobContext, timestamp: int) -> int:
    """How many emails were queued (one per seller and incident with orders newly to send)."""
    from sagwa.config import get_settings
    from sagwa.services.desk_notify import LinkMaker
    from sagwa.services.seller_ready_notices import tell_sellers_ready

    settings = get_settings()
    told = await asyncio.to_thread(
        tell_sellers_ready, lambda: job_unit_of_work(context), actor=ACTOR,
        policy=job_runtime(context).policy,
        links=LinkMaker(settings.secret_key, settings.public_base_url))
    return len(told)
