"""The incident desk's scheduled jobs: escalate unanswered cases, apply the deadline's default."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from procrastinate import JobContext, RetryStrategy

from sagwa.errors import InvalidInput
from sagwa.jobs.app import app
from sagwa.jobs.runtime import DeliveryRuntime, fallback_runtime
from sagwa.services import desk_cases
from sagwa.services.scheduled import DEADLINE_TASK, DESK_QUEUE, ESCALATE_TASK, REMIND_TASK
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ACTOR = "system:scheduler"
_RETRY = RetryStrategy(max_attempts=20, exponential_wait=5)


def _uow(context: JobContext) -> SqlAlchemyUnitOfWork:
    runtime: DeliveryRuntime = context.additional_context.get("delivery") or fallback_runtime()
    assert runtime.database.session_factory is not None
    return SqlAlchemyUnitOfWork(runtime.database.session_factory, runtime.clock)


@app.task(name=ESCALATE_TASK, queue=DESK_QUEUE, pass_context=True, retry=_RETRY)
async def escalate_incident(context: JobContext, incident_id: int) -> int:
    """Unanswered cases go on the contact centre's call list."""
    return await asyncio.to_thread(desk_cases.escalate_unanswered, _uow(context),
                                   incident_id=incident_id, actor=ACTOR)


@app.task(name=REMIND_TASK, queue=DESK_QUEUE, pass_context=True, retry=_RETRY)
async def remind_incident(context: JobContext, incident_id: int) -> int:
    """The apology again, for customers who have not answered yet (in contact hours)."""
    from sagwa.config import get_settings
    from sagwa.services.desk_notify import LinkMaker, remind_unanswered
    from sagwa.services.desk_policy import load_desk_policy

    settings = get_settings()
    return await asyncio.to_thread(
        remind_unanswered, _uow(context), incident_id=incident_id, actor=ACTOR,
        policy=load_desk_policy(settings.desk_policy),
        links=LinkMaker(settings.secret_key, settings.public_base_url))


class NotYet(Exception):
    def __init__(self, at: datetime) -> None:
        super().__init__(f"the deadline has not passed; again at {at.isoformat()}")


@app.task(name=DEADLINE_TASK, queue=DESK_QUEUE, pass_context=True, retry=_RETRY)
async def incident_deadline(context: JobContext, incident_id: int) -> int:
    """Unanswered cases take the plan's default (keep, or a follow-up call — never a cancel)."""
    try:
        return await asyncio.to_thread(desk_cases.apply_deadline, _uow(context),
                                       incident_id=incident_id, actor=ACTOR)
    except InvalidInput as exc:  # a worker clock a little behind the database's: retried
        raise NotYet(datetime.now(UTC) + timedelta(seconds=30)) from exc
