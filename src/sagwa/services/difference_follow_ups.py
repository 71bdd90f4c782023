"""The agents' list of differences to follow up: who owes the discount's difference long
enough that a person should call (``domain.difference_follow_up`` says when and why).

:func:`follow_ups_due` reads the list for the call queue page, ``sagwa incident follow-ups`` and
``GET /api/difference-follow-ups``: every incident's cases, open or closed (a difference is owed
after the incident closes too), each with what is owed, since when, how the reminder went, the
latest contact logged since the choice, when it became due, and whether the customer may cancel
instead (the plan offered a cancellation). The cases are read a page at a time in the
follow-up's order, each page after the last case of the one before; those whose discount left
nothing to pay are dropped (``desk_difference.differences_of``, the desk's own rule), so a page
is topped up from the next. :func:`due_in_incident` counts one incident's, for its status.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sagwa.adapters.db.difference_reads import OwingCase
from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.cancel_instead import refusal
from sagwa.domain.difference_follow_up import CALLBACK_REQUESTED, Cadence, days_waiting
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.money import Money
from sagwa.services.desk_difference import difference_reminders, differences_of
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.listing_names import listing_names
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The most a list shows at once (the page shows fewer).
MAX_LIMIT = 500


def cadence_of(policy: DeskPolicy) -> Cadence | None:
    """The policy's follow-up cadence (None: it keeps no list)."""
    if policy.difference_follow_up_after is None:
        return None
    return Cadence(policy.difference_follow_up_after, policy.min_call_spacing,
                   policy.max_call_attempts)


@dataclass(frozen=True)
class FollowUp:
    """One difference to follow up: the case and whom to call (``owing``, with when it became
    due), what is owed, the reminder's latest copy (None when none was queued), the product(s)
    it is about in both languages, and whether the customer may cancel instead."""

    owing: OwingCase
    difference: Money
    days_waiting: int
    reminder: LatestMessage | None
    product_ko: str
    product_en: str
    may_cancel_instead: bool

    @property
    def due_at(self) -> datetime:
        assert self.owing.due_at is not None
        return self.owing.due_at

    @property
    def callback(self) -> bool:
        """The customer asked to be called back."""
        return self.owing.last_outcome == CALLBACK_REQUESTED

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
                    "outcome": o.last_outcome,
                    "callback_at": o.callback_at.isoformat() if o.callback_at else None},
                "may_cancel_instead": self.may_cancel_instead}


@dataclass(frozen=True)
class FollowUps:
    """The list as read at ``now``: at most the limit asked for, and whether more are due;
    ``enabled`` is False when the policy keeps no such list (``follow_up_after_days = 0``)."""

    items: list[FollowUp]
    more: bool
    now: datetime
    enabled: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The JSON of the CLI and the API (keys only ever appended)."""
        return {"enabled": self.enabled, "as_of": self.now.isoformat(), "more": self.more,
                "follow_ups": [f.as_dict() for f in self.items]}


def follow_ups_due(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                   limit: int = 20) -> FollowUps:
    """The differences due a follow-up now, the longest due first, at most ``limit``."""
    with uow:
        return read_follow_ups(uow, policy, limit=limit)


def read_follow_ups(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, *,
                    limit: int = 20) -> FollowUps:
    """:func:`follow_ups_due` inside an open unit of work (a page that reads more with it)."""
    limit = max(1, min(limit, MAX_LIMIT))
    cadence = cadence_of(policy)
    now = uow.now()
    if cadence is None:
        return FollowUps([], False, now, enabled=False)
    found: list[tuple[OwingCase, Money, CaseRow]] = []
    after: tuple[int, datetime, int] | None = None
    while len(found) <= limit:
        owing = uow.reads.differences_to_follow_up(due_by=now, cadence=cadence,
                                                   limit=limit + 1, after=after)
        rows = {int(r.case.case_id): r for r in uow.cases.by_ids([o.case_id for o in owing])}
        owed = differences_of(uow, list(rows.values()))
        found += [(o, owed[o.case_id], rows[o.case_id]) for o in owing
                  if o.case_id in owed and owed[o.case_id].amount_minor > 0]
        if len(owing) <= limit:
            break
        after = owing[-1].place
    shown = found[:limit]
    reminders = difference_reminders(uow, {o.case_id: d for o, d, _ in shown})
    names = _products(uow, [row for _, _, row in shown])
    plans = _plans(uow, [o for o, _, _ in shown])
    items = [FollowUp(o, d, days_waiting(o.chosen_at, now), reminders.get(o.case_id),
                      *names[o.case_id],
                      may_cancel_instead=refusal(row.case, plans[o.incident_id],
                                                 paid=row.difference_paid, owed=d) is None)
             for o, d, row in shown]
    return FollowUps(items, len(found) > limit, now)


def due_in_incident(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, incident_id: int,
                    owing: Collection[int]) -> int:
    """Inside an open unit of work: how many of the incident's customers owing a difference
    (``owing``: their case ids, as ``desk_difference.differences_owed`` found them) are due a
    follow-up now (0 when the policy keeps no list)."""
    cadence = cadence_of(policy)
    if cadence is None or not owing:
        return 0
    due = uow.reads.differences_to_follow_up(due_by=uow.now(), cadence=cadence, limit=None,
                                             incident_id=incident_id)
    return sum(1 for o in due if o.case_id in owing)


def next_follow_up(uow: SqlAlchemyUnitOfWork, policy: DeskPolicy, case_id: int) -> datetime | None:
    """Inside an open unit of work: when case ``case_id`` is next due a follow-up (perhaps
    already), or None when it owes no difference or the policy keeps no list — what the agent
    is told after logging a call."""
    cadence = cadence_of(policy)
    if cadence is None:
        return None
    [*found] = uow.reads.differences_to_follow_up(due_by=datetime.max.replace(tzinfo=UTC),
                                                  cadence=cadence, limit=1, case_id=case_id)
    if not found:
        return None
    owed = differences_of(uow, uow.cases.by_ids([case_id])).get(case_id)
    return found[0].due_at if owed is not None and owed.amount_minor > 0 else None


def _products(uow: SqlAlchemyUnitOfWork, rows: list[CaseRow]) -> dict[int, tuple[str, str]]:
    """Case id -> the products of its own orders, in Korean and English (the Korean title
    where a product has no English one), read in one query for all the cases."""
    ids = {int(o.listing_id) for row in rows for o in row.case.orders}
    named = listing_names(uow, ids)
    out: dict[int, tuple[str, str]] = {}
    for row in rows:
        listed = [named[i] for i in sorted({int(o.listing_id) for o in row.case.orders})
                  if i in named]
        out[int(row.case.case_id)] = tuple(  # type: ignore[assignment]
            ", ".join(dict.fromkeys(n.title_in(lang) for n in listed)) for lang in ("ko", "en"))
    return out


def _plans(uow: SqlAlchemyUnitOfWork, owing: list[OwingCase]) -> dict[int, IncidentPlan]:
    """Incident id -> its plan, read once per incident."""
    plans: dict[int, IncidentPlan] = {}
    for o in owing:
        if o.incident_id not in plans and o.correct_price is not None:
            plan = uow.incidents.plan(o.incident_id, o.correct_price)
            if plan is not None:
                plans[o.incident_id] = plan
    return plans
