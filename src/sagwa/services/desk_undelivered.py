"""An apology that cannot reach its customer puts them on the call list at once.

Delivery records a message as failed for good: a permanent provider error (a bounced address,
a number that does not exist), or its attempts used up. When that was the last of a case's
apology messages that could still tell the customer — none sent, none pending or being sent —
and the customer has not answered, nobody will hear from us unless an agent calls. The case
is escalated now, not when the escalation job runs near the deadline, so the agent's call
comes while the customer still has time to choose.

It runs in its own transaction after the failure was recorded. If the worker dies in between,
the escalation job still puts the case on the list before the deadline.
"""

from __future__ import annotations

from dataclasses import replace

from sagwa.domain.audit import AuditEvent
from sagwa.domain.incident_plan import deadline_passed
from sagwa.domain.incidents import CaseStatus, CaseTrigger, IncidentStatus, advance
from sagwa.services.desk_cases import current_plan
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The audit action of a case put on the call list because its apology could not be delivered.
UNDELIVERED_ACTION = "case.apology_undelivered"
ACTOR = "system:delivery"
_STILL_TO_TELL = frozenset({CaseStatus.OPEN, CaseStatus.NOTIFIED})


def escalate_if_undeliverable(uow: SqlAlchemyUnitOfWork, *, message_id: int,
                              actor: str = ACTOR) -> bool:
    """After message ``message_id`` failed for good: if it was the case's last apology that
    could have told the customer, put the case on the call list (audited with what failed on
    each channel). True when the case was moved."""
    with uow:
        found = uow.outbox.failed_apology_case(message_id)
        if found is None:
            return False
        case_id, incident_id = found
        # the incident first, as the escalation and deadline jobs lock it: the deadline's
        # default and this move never interleave (and never deadlock on the case row)
        incident = uow.incidents.get(incident_id, for_update=True)
        if incident is None or incident.incident.status is not IncidentStatus.NOTIFYING:
            return False
        row = uow.cases.get(case_id, for_update=True)  # two channels failing at once: one moves
        if row is None or row.case.status not in _STILL_TO_TELL or row.case.told:
            return False
        failures = uow.outbox.apology_failures(case_id)
        if failures is None:
            return False
        now = uow.now()
        if deadline_passed(current_plan(uow, incident_id), now):
            return False  # the deadline's default owes them the call (never told)
        moved = advance(row.case.status, CaseTrigger.ESCALATE)
        uow.cases.save(replace(row.case, status=moved), now)
        uow.audit.append(AuditEvent(actor, UNDELIVERED_ACTION, "case", str(case_id),
                                    before={"status": row.case.status.value},
                                    after={"status": moved.value, "failed": failures}), now)
        uow.commit()
        return True


def escalate_if_untold(uow: SqlAlchemyUnitOfWork, case_ids: list[int], *, actor: str,
                       why: str) -> list[int]:
    """Inside the caller's unit of work, each case already locked (``desk_cases.lock_case``):
    of ``case_ids``, those whose customer has not been told nor answered and whose apology can
    no longer reach them — every apology message failed or was withdrawn (their address was
    removed, ``why``) — go on the call list now, as an undeliverable apology does (audited the
    same way, with ``why``). Only while the incident is telling customers and before the
    deadline. The cases moved."""
    moved = []
    now = uow.now()
    for case_id in case_ids:
        row = uow.cases.get(case_id, for_update=True)
        if row is None or row.case.status not in _STILL_TO_TELL or row.case.told:
            continue
        incident_id = int(row.case.incident_id)
        incident = uow.incidents.get(incident_id)
        if incident is None or incident.incident.status is not IncidentStatus.NOTIFYING:
            continue
        statuses = uow.outbox.apology_statuses(case_id)
        if not statuses or any(s not in ("failed", "withdrawn") for s in statuses.values()) \
                or deadline_passed(current_plan(uow, incident_id), now):
            continue
        status = advance(row.case.status, CaseTrigger.ESCALATE)
        uow.cases.save(replace(row.case, status=status), now)
        uow.audit.append(AuditEvent(actor, UNDELIVERED_ACTION, "case", str(case_id),
                                    before={"status": row.case.status.value},
                                    after={"status": status.value, "apology": statuses,
                                           "why": why}), now)
        moved.append(case_id)
    return moved
