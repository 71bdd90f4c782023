"""The market's scheduled jobs: a promotion's price ends with the promotion."""

from __future__ import annotations

import asyncio

from procrastinate import JobContext

from sagwa.jobs.app import app
from sagwa.jobs.runtime import SCHEDULED_RETRY, NotYet, job_unit_of_work
from sagwa.services.promotion_end import (
    MARKET_QUEUE,
    PROMOTION_END_TASK,
    PromotionEnd,
    end_promotion,
)


@app.task(name=PROMOTION_END_TASK, queue=MARKET_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def promotion_end(context: JobContext, price_change_id: int) -> str:
    """The price before the promotion goes back live, if the promotion price still is."""
    outcome = await asyncio.to_thread(end_promotion, job_unit_of_work(context),
                                      price_change_id=price_change_id)
    if outcome is PromotionEnd.NOT_YET:  # a worker clock a little behind the database's
        raise NotYet("the promotion has not ended")
    return outcome.value
