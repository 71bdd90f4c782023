"""The agents' list of differences to follow up: who owes the discount's difference long
enough that a person should call (``domain.difference_follow_up`` says when and why).

:func:`follow_ups_due` reads the list for the call queue page, ``sagwa incident follow-ups`` and
``GET /api/difference-follow-ups``: every incident's cases, open or closed (a difference is owed
after the incident closes too), each with what is owed, since when, how the reminder went and
the latest contact logged since the choice. The cases are read a page at a time, in the
follow-up's order; those whose discount left nothing to pay are dropped
(``desk_difference.differences_of``, the desk's own rule), so a page is topped up from the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagwa.adapters.db.difference_reads import OwingCase
from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.difference_follow_up import days_waiting, follow_up_due
from sagwa.domain.incidents import Incident
from sagwa.domain.money import Money
from sagwa.services.desk_difference import difference_reminders, differences_of
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import case_facts
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The most a list shows at once (the page shows fewer).
MAX_LIMIT = 500


@dataclass(frozen=True)
class FollowUp:
    """One difference to follow up: the case and whom to call (``owing``), what is owed, since
    when it is due a follow-up, the reminder's latest copy (None when none was queued) and the
    product(s) it is about, in both languages."""

    owing: OwingCase
    difference: Money
    due_at: datetime
    days_waiting: int
    reminder: LatestMessage | None
    product_ko: str
    product_en: str

    def product(self, lang: str) -> str:
        return self.product_ko if lang == "ko" else self.product_en

    def as_dict(self) -> dict[str, Any]:
        """The JSON of the CLI and the API (keys only ever appended)."""
        o, r = self.owing, self.reminder
        return {"case_id": o.case_id, "incident_id": o.incident_id,
                "incident_status": o.incident_status, "customer_id": o.customer_id,
                "customer_name": o.customer_name, "phone": o.phone, "email": o.email,
                "locale": o.locale, "product_ko": self.product_ko, "product_en": self.product_en,
                "difference": self.difference.as_dict(), "chosen_at": o.chosen_at.isoformat(),
                "days_waiting": self.days_waiting, "due_at": self.due_at.isoformat(),
                "reminder": None if r is None else {
                    "channel": r.channel, "status": r.status,
                    "sent_at": r.sent_at.isoformat() if r.sent_at else None},
                "contacts_since_choice": o.contacts,
                "last_contact": None if o.last_contact_at is None else {
                    "at": o.last_contact_at.isoformat(), "channel": o.last_channel,
                    "outcome": o.last_outcome}}


@dataclass(frozen=True)
class FollowUps:
    """The list as read at ``now``: at most the limit asked for, and whether more are due;
    ``enabled`` is False when the policy keeps no such list (``follow_up_after_days = 0``)."""

    items: list[FollowUp]
    more: bool
    now: datetime
    enabled: bool = True


def follow_ups_due(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                   limit: int = 20) -> FollowUps:
    """The differences due a follow-up now, the longest due first, at most ``limit``."""
    with uow:
        return read_follow_ups(uow, policy, limit=limit)


def read_follow_ups(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                    limit: int = 20) -> FollowUps:
    """:func:`follow_ups_due` inside an open unit of work (a page that reads more with it)."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = policy.difference_follow_up_after
    now = uow.now()
    if after is None:
        return FollowUps([], False, now, enabled=False)
    found: list[tuple[OwingCase, Money]] = []
    rows: dict[int, CaseRow] = {}
    offset, page = 0, limit + 1
    while len(found) <= limit:
        owing = uow.reads.differences_to_follow_up(
            due_by=now, after=after, callback_after=policy.min_call_spacing, limit=page,
            offset=offset)
        read = uow.cases.by_ids([o.case_id for o in owing])
        rows.update((int(r.case.case_id), r) for r in read)
        owed = differences_of(uow, read)
        found += [(o, owed[o.case_id]) for o in owing
                  if o.case_id in owed and owed[o.case_id].amount_minor > 0]
        if len(owing) < page:
            break
        offset += page
    shown = found[:limit]
    reminders = difference_reminders(uow, {o.case_id: d for o, d in shown})
    names = _products(uow, [rows[o.case_id] for o, _ in shown])
    items = [FollowUp(o, d, follow_up_due(o.chosen_at, o.last_contact_at, after,
                                          last_outcome=o.last_outcome,
                                          callback_after=policy.min_call_spacing),
                      days_waiting(o.chosen_at, now), reminders.get(o.case_id),
                      *names[o.case_id]) for o, d in shown]
    return FollowUps(items, len(found) > limit, now)


def due_in_incident(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, incident_id: int) -> int:
    """Inside an open unit of work: how many of the incident's customers owe a difference due a
    follow-up now (0 when the policy keeps no list)."""
    after = policy.difference_follow_up_after
    if after is None:
        return 0
    owing = uow.reads.differences_to_follow_up(
        due_by=uow.now(), after=after, callback_after=policy.min_call_spacing, limit=None,
        incident_id=incident_id)
    owed = differences_of(uow, uow.cases.by_ids([o.case_id for o in owing]))
    return sum(1 for d in owed.values() if d.amount_minor > 0)


def _products(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> dict[int, tuple[str, str]]:
    """Case id -> the products of its own orders, in Korean and English (as its messages name
    them); each incident, and each set of listings within it, is read once."""
    incidents: dict[int, Incident] = {}
    named: dict[tuple[int, frozenset[int]], tuple[str, str]] = {}
    out: dict[int, tuple[str, str]] = {}
    for row in rows:
        incident_id = int(row.case.incident_id)
        key = (incident_id, frozenset(int(o.listing_id) for o in row.case.orders))
        if key not in named:
            if incident_id not in incidents:
                incidents[incident_id] = require(uow.incidents.get(incident_id), "incident",
                                                 incident_id).incident
            facts = case_facts(uow, incidents[incident_id], row.case)
            named[key] = (facts.product_ko, facts.product_en)
        out[int(row.case.case_id)] = named[key]
    return out
