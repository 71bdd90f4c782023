"""The incident desk's scheduled jobs: escalate unanswered cases, apply the deadline's default."""

from __future__ import annotations

import asyncio
import logging

from procrastinate import JobContext

from sagwa.errors import IllegalTransition, InvalidInput
from sagwa.jobs.app import app
from sagwa.jobs.runtime import SCHEDULED_RETRY, NotYet, job_runtime, job_unit_of_work
from sagwa.services import desk_cases
from sagwa.services.scheduled import DEADLINE_TASK, DESK_QUEUE, ESCALATE_TASK, REMIND_TASK

ACTOR = "system:scheduler"
logger = logging.getLogger(__name__)


@app.task(name=ESCALATE_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def escalate_incident(context: JobContext, incident_id: int) -> int:
    """Unanswered cases go on the contact centre's call list (none once the incident closed)."""
    try:
        return await asyncio.to_thread(desk_cases.escalate_unanswered,
                                       job_unit_of_work(context), incident_id=incident_id,
                                       actor=ACTOR)
    except IllegalTransition as exc:
        return _nothing_to_do(incident_id, exc)


@app.task(name=REMIND_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def remind_incident(context: JobContext, incident_id: int) -> int:
    """The apology again, for customers who have not answered yet (in contact hours)."""
    from sagwa.config import get_settings
    from sagwa.services.desk_notify import LinkMaker, remind_unanswered

    settings = get_settings()
    return await asyncio.to_thread(
        remind_unanswered, job_unit_of_work(context), incident_id=incident_id, actor=ACTOR,
        policy=job_runtime(context).policy,  # the worker's, read once when it started
        links=LinkMaker(settings.secret_key, settings.public_base_url))


@app.task(name=DEADLINE_TASK, queue=DESK_QUEUE, pass_context=True, retry=SCHEDULED_RETRY)
async def incident_deadline(context: JobContext, incident_id: int) -> int:
    """Unanswered cases take the plan's default (keep, or a follow-up call — never a cancel)."""
    from sagwa.config import get_settings
    from sagwa.services.desk_notify import LinkMaker

    settings = get_settings()
    try:
        return await asyncio.to_thread(desk_cases.apply_deadline, job_unit_of_work(context),
                                       incident_id=incident_id, actor=ACTOR,
                                       policy=job_runtime(context).policy,
                                       links=LinkMaker(settings.secret_key,
                                                       settings.public_base_url))
    except InvalidInput as exc:  # a worker clock a little behind the database's: retried
        raise NotYet("the deadline has not passed") from exc
    except IllegalTransition as exc:
        return _nothing_to_do(incident_id, exc)


def _nothing_to_do(incident_id: int, exc: IllegalTransition) -> int:
    """A job scheduled when customers were told, for an incident closed since: no case moves
    (the step is refused for it), and retrying would not change that."""
    logger.info("incident %s: %s; the job has nothing to do", incident_id, exc.message)
    return 0
