"""The agents' list of differences to follow up (``domain.difference_follow_up``): the cases
that took the discount, whose difference is not recorded as paid, and that are due a person's
follow-up, with the latest contact an agent logged since the choice. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Text, case, cast, distinct, func, select, true

from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.tables import audit_log, cases, contact_attempts, customers, incidents
from sagwa.domain.cancel_instead import CANCELLED_INSTEAD_ACTION
from sagwa.domain.difference_follow_up import CALLBACK_REQUESTED


@dataclass(frozen=True)
class OwingCase:
    """A case owing the discount's difference (by the columns: whether the discount left any
    to pay is for ``domain.difference`` to say), with whom to call and the contacts an agent
    logged since the choice: how many, and the latest (None when there was none)."""

    case_id: int
    incident_id: int
    incident_status: str
    customer_id: int
    customer_name: str
    phone: str | None
    email: str | None
    locale: str
    chosen_at: datetime
    contacts: int
    last_contact_at: datetime | None
    last_channel: str | None
    last_outcome: str | None


class DifferenceReads:
    """The reads of the follow-up list (a part of ``ReadRepository``)."""

    conn: Connection

    def differences_to_follow_up(self, *, due_by: datetime, after: timedelta,
                                 callback_after: timedelta, limit: int | None, offset: int = 0,
                                 incident_id: int | None = None) -> list[OwingCase]:
        """Cases owing a difference whose follow-up is due by ``due_by``: ``after`` the choice,
        or ``after`` the latest contact logged since it, ``callback_after`` it when the customer
        asked to be called back (``difference_follow_up.follow_up_due``, the same rule), the
        longest due first (then by case id), ``limit`` from ``offset`` (None: all); of one
        incident's cases with ``incident_id``."""
        since_choice = (contact_attempts.c.case_id == cases.c.id) & (
            contact_attempts.c.attempted_at >= cases.c.choice_at)
        latest = (select(contact_attempts.c.attempted_at, contact_attempts.c.channel,
                         contact_attempts.c.outcome)
                  .where(since_choice)
                  .order_by(contact_attempts.c.attempted_at.desc(), contact_attempts.c.id.desc())
                  .limit(1).lateral("latest"))
        contacts = (select(func.count()).select_from(contact_attempts).where(since_choice)
                    .scalar_subquery())
        due = case((latest.c.outcome == CALLBACK_REQUESTED,
                    latest.c.attempted_at + callback_after),
                   else_=func.coalesce(latest.c.attempted_at, cases.c.choice_at) + after)
        q = (select(cases.c.id, cases.c.incident_id, incidents.c.status.label("incident_status"),
                    cases.c.customer_id, customers.c.name, customers.c.phone, customers.c.email,
                    customers.c.locale, cases.c.choice_at, contacts.label("contacts"),
                    latest.c.attempted_at, latest.c.channel, latest.c.outcome)
             .join(customers, customers.c.id == cases.c.customer_id)
             .join(incidents, incidents.c.id == cases.c.incident_id)
             .outerjoin(latest, true())
             .where(owes_a_difference(), cases.c.choice_at.is_not(None), due <= due_by)
             .order_by(due, cases.c.id).limit(limit).offset(offset))
        if incident_id is not None:
            q = q.where(cases.c.incident_id == incident_id)
        return [OwingCase(int(r.id), int(r.incident_id), str(r.incident_status),
                          int(r.customer_id), r.name, r.phone, r.email, r.locale, r.choice_at,
                          int(r.contacts), r.attempted_at, r.channel, r.outcome)
                for r in self.conn.execute(q)]

    def cancelled_instead_count(self, incident_id: int) -> int:
        """How many of the incident's customers took the discount, then cancelled instead of
        paying (``case.cancelled_instead`` on the audit log; their choice is the cancellation
        now)."""
        of_incident = select(cast(cases.c.id, Text)).where(cases.c.incident_id == incident_id)
        return int(self.conn.execute(
            select(func.count(distinct(audit_log.c.entity_id)))
            .where(audit_log.c.entity_type == "case",
                   audit_log.c.action == CANCELLED_INSTEAD_ACTION,
                   audit_log.c.entity_id.in_(of_incident))).scalar_one())
