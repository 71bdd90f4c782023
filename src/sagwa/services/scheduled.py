"""Scheduled desk jobs (escalation, deadline), deferred in the caller's transaction.

The job rows are written through procrastinate's SQL function, like the outbox's delivery jobs,
so a rolled-back notification schedules nothing. ``sagwa.jobs.desk_tasks`` runs them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.types import JSON

from sagwa.domain.incident_plan import IncidentPlan, escalation_at
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DESK_QUEUE = "desk"
ESCALATE_TASK = "escalate_incident"
REMIND_TASK = "remind_incident"
DEADLINE_TASK = "incident_deadline"
#: The deadline job runs just after the deadline (a choice at the deadline itself is on time).
AFTER_DEADLINE = timedelta(minutes=1)

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, :lock, "
    "CAST(:args AS jsonb), :at)::procrastinate_job_to_defer_v1])"
).bindparams(bindparam("args", type_=JSON), bindparam("at", type_=TIMESTAMP(timezone=True)))


def defer_job(uow: SqlAlchemyUnitOfWork, *, task: str, args: dict[str, object], at: datetime,
              queueing_lock: str | None = None) -> None:
    uow.conn.execute(_DEFER, {"queue": DESK_QUEUE, "task": task, "lock": queueing_lock,
                              "args": args, "at": at})


def schedule_incident_jobs(uow: SqlAlchemyUnitOfWork, *, incident_id: int, plan: IncidentPlan,
                           policy: DeskPolicy) -> tuple[datetime, datetime, datetime]:
    """Remind, then escalate unanswered cases ahead of the deadline; apply the default after."""
    now = uow.now()
    escalate = max(escalation_at(plan, policy.escalation_lead, policy.schedule), now)
    remind = max(escalation_at(plan, 2 * policy.escalation_lead, policy.schedule), now)
    deadline = plan.deadline + AFTER_DEADLINE
    args = {"incident_id": incident_id}
    defer_job(uow, task=REMIND_TASK, args=args, at=remind)
    defer_job(uow, task=ESCALATE_TASK, args=args, at=escalate)
    defer_job(uow, task=DEADLINE_TASK, args=args, at=deadline)
    return remind, escalate, deadline
