"""The agents' list of differences to follow up (``domain.difference_follow_up``): the cases
that took the discount, whose difference is not recorded as paid, and that are due a person's
follow-up, with the contacts an agent logged since the choice. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    case,
    cast,
    distinct,
    func,
    select,
    true,
    tuple_,
)

from sagwa.adapters.db.case_repo import owes_a_difference
from sagwa.adapters.db.tables import (
    audit_log,
    cases,
    contact_attempts,
    customers,
    incident_plans,
    incidents,
)
from sagwa.domain.cancel_instead import CANCELLED_INSTEAD_ACTION
from sagwa.domain.difference_follow_up import CALLBACK_REQUESTED, REACHED, Cadence, Contacts
from sagwa.domain.money import Money


@dataclass(frozen=True)
class OwingCase:
    """A case owing the discount's difference (by the columns: whether the discount left any
    to pay is for ``domain.difference`` to say), with whom to call, the contacts an agent
    logged since the choice (how many; the latest and the tries missed in a row) and when it is
    due a follow-up (``difference_follow_up.follow_up_due``, computed here)."""

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
    missed_in_a_row: int = 0
    due_at: datetime | None = None
    #: The incident's correct price (its plan is priced from it).
    correct_price: Money | None = None
    #: The time the customer asked to be called back at, if the latest contact was such a
    #: request with a time (the case is due then).
    callback_at: datetime | None = None

    @property
    def place(self) -> tuple[int, datetime, int]:
        """Where the case stands in the list's order (``differences_to_follow_up``)."""
        assert self.due_at is not None
        return (0 if self.last_outcome == CALLBACK_REQUESTED else 1, self.due_at, self.case_id)

    @property
    def since_choice(self) -> Contacts:
        return Contacts(self.last_contact_at, self.last_outcome, self.missed_in_a_row,
                        self.callback_at)


def may_owe(inc: Any = incidents, plan: Any = incident_plans) -> ColumnElement[bool]:
    """The incident's discount prices above the wrong price: without it, no order placed at the
    wrong price owes anything (``consent.discounted_unit_price``: the correct price less the
    discount, rounded down; never below what was paid). Over ``inc`` and ``plan`` (the
    ``incidents`` and ``incident_plans`` tables, or aliases of them)."""
    discounted = inc.c.correct_price_minor * (100 - plan.c.discount_pct) // 100
    return discounted > inc.c.wrong_price_minor


class DifferenceReads:
    """The reads of the follow-up list (a part of ``ReadRepository``)."""

    conn: Connection

    def differences_to_follow_up(self, *, due_by: datetime, cadence: Cadence,
                                 limit: int | None, after: tuple[int, datetime, int] | None = None,
                                 incident_id: int | None = None,
                                 case_id: int | None = None) -> list[OwingCase]:
        """Cases owing a difference whose follow-up is due by ``due_by`` (the rule of
        ``difference_follow_up.follow_up_due``, in SQL; one who asked to be called back at a
        time is due then): those who asked to be called back first, then the longest due first, then by case id; ``limit`` of them (None: all) after
        ``after`` (:meth:`OwingCase.place` of the last of the page before: pages read in turn
        neither skip nor repeat a case that stays due); of one incident's cases with
        ``incident_id``, of one case with ``case_id``."""
        since_choice = (contact_attempts.c.case_id == cases.c.id) & (
            contact_attempts.c.attempted_at >= cases.c.choice_at)
        latest = (select(contact_attempts.c.attempted_at, contact_attempts.c.channel,
                         contact_attempts.c.outcome, contact_attempts.c.callback_at)
                  .where(since_choice)
                  .order_by(contact_attempts.c.attempted_at.desc(), contact_attempts.c.id.desc())
                  .limit(1).lateral("latest"))
        contacts = (select(func.count()).select_from(contact_attempts).where(since_choice)
                    .scalar_subquery())
        answered = contact_attempts.alias("answered")
        last_answered = (select(func.max(answered.c.attempted_at))
                         .where(answered.c.case_id == cases.c.id,
                                answered.c.attempted_at >= cases.c.choice_at,
                                answered.c.outcome.in_((REACHED, CALLBACK_REQUESTED)))
                         .correlate(cases).scalar_subquery())
        missed = (select(func.count()).select_from(contact_attempts)
                  .where(since_choice,
                         contact_attempts.c.outcome.not_in((REACHED, CALLBACK_REQUESTED)),
                         contact_attempts.c.attempted_at > func.coalesce(
                             last_answered, cases.c.choice_at - cadence.spacing))
                  .correlate(cases).scalar_subquery())
        due = case(
            (latest.c.attempted_at.is_(None), cases.c.choice_at + cadence.period),
            (latest.c.outcome == REACHED, latest.c.attempted_at + cadence.period),
            (latest.c.outcome == CALLBACK_REQUESTED,
             func.coalesce(latest.c.callback_at, latest.c.attempted_at + cadence.spacing)),
            (missed % cadence.tries == 0, latest.c.attempted_at + cadence.period),
            else_=latest.c.attempted_at + cadence.spacing)
        callback_first = case((latest.c.outcome == CALLBACK_REQUESTED, 0), else_=1)
        q = (select(cases.c.id, cases.c.incident_id, incidents.c.status.label("incident_status"),
                    cases.c.customer_id, customers.c.name, customers.c.phone, customers.c.email,
                    customers.c.locale, cases.c.choice_at, contacts.label("contacts"),
                    latest.c.attempted_at, latest.c.channel, latest.c.outcome,
                    latest.c.callback_at, missed.label("missed"), due.label("due"),
                    incidents.c.correct_price_minor, incidents.c.currency)
             .join(customers, customers.c.id == cases.c.customer_id)
             .join(incidents, incidents.c.id == cases.c.incident_id)
             .join(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
             .outerjoin(latest, true())
             .where(owes_a_difference(), cases.c.choice_at.is_not(None), may_owe(),
                    due <= due_by)
             .order_by(callback_first, due, cases.c.id).limit(limit))
        if after is not None:
            q = q.where(tuple_(callback_first, due, cases.c.id) > tuple_(*after))
        if incident_id is not None:
            q = q.where(cases.c.incident_id == incident_id)
        if case_id is not None:
            q = q.where(cases.c.id == case_id)
        return [OwingCase(int(r.id), int(r.incident_id), str(r.incident_status),
                          int(r.customer_id), r.name, r.phone, r.email, r.locale, r.choice_at,
                          int(r.contacts), r.attempted_at, r.channel, r.outcome,
                          int(r.missed), r.due, Money(int(r.correct_price_minor), r.currency),
                          r.callback_at)
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
