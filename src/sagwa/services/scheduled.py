"""Scheduled desk jobs (escalation, deadline), deferred in the caller's transaction.

The job rows are written in the caller's transaction (``uow.jobs``), like the outbox's delivery
jobs, so a rolled-back notification schedules nothing. ``sagwa.jobs.desk_tasks`` runs them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.incident_plan import IncidentPlan, escalation_at
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DESK_QUEUE = "desk"
ESCALATE_TASK = "escalate_incident"
REMIND_TASK = "remind_incident"
DEADLINE_TASK = "incident_deadline"
#: The deadline job runs just after the deadline (a choice at the deadline itself is on time).
AFTER_DEADLINE = timedelta(minutes=1)


def schedule_incident_jobs(
    uow: SqlAlchemyUnitOfWork, *, incident_id: int, plan: IncidentPlan, policy: DeskPolicy,
    first_send_at: datetime,
) -> tuple[datetime | None, datetime, datetime]:
    """Remind, then escalate unanswered cases ahead of the deadline; apply the default after.

    Returns (reminder, escalation, deadline job) times. Nothing is scheduled before
    ``first_send_at`` (when the apology itself goes out, the next contact opening from now):
    the escalation waits for it, and a reminder that would come no later than the apology is
    not scheduled at all (``None``) — it would only repeat the message customers are getting
    at that moment.
    """
    escalate = max(escalation_at(plan, policy.escalation_lead, policy.schedule), first_send_at)
    remind_at = escalation_at(plan, 2 * policy.escalation_lead, policy.schedule)
    remind = remind_at if remind_at > first_send_at else None
    deadline = plan.deadline + AFTER_DEADLINE
    args = {"incident_id": incident_id}
    for task, at in ((REMIND_TASK, remind), (ESCALATE_TASK, escalate), (DEADLINE_TASK, deadline)):
        if at is not None:
            uow.jobs.defer(queue=DESK_QUEUE, task=task, args=args, at=at)
    return remind, escalate, deadline
