"""The market's scheduled jobs: a promotion's price ends with the promotion."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from procrastinate import JobContext, RetryStrategy

from sagwa.jobs.app import app
from sagwa.jobs.runtime import DeliveryRuntime, fallback_runtime
from sagwa.services.promotion_end import (
    MARKET_QUEUE,
    PROMOTION_END_TASK,
    PromotionEnd,
    end_promotion,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

_RETRY = RetryStrategy(max_attempts=20, exponential_wait=5)


class NotYet(Exception):
    def __init__(self, at: datetime) -> None:
        super().__init__(f"the promotion has not ended; again at {at.isoformat()}")


def _uow(context: JobContext) -> SqlAlchemyUnitOfWork:
    runtime: DeliveryRuntime = context.additional_context.get("delivery") or fallback_runtime()
    assert runtime.database.session_factory is not None
    return SqlAlchemyUnitOfWork(runtime.database.session_factory, runtime.clock)


@app.task(name=PROMOTION_END_TASK, queue=MARKET_QUEUE, pass_context=True, retry=_RETRY)
async def promotion_end(context: JobContext, price_change_id: int) -> str:
    """The price before the promotion goes back live, if the promotion price still is."""
    outcome = await asyncio.to_thread(end_promotion, _uow(context),
                                      price_change_id=price_change_id)
    if outcome is PromotionEnd.NOT_YET:  # a worker clock a little behind the database's
        raise NotYet(datetime.now(UTC) + timedelta(seconds=30))
    return outcome.value
