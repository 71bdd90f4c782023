"""Price incidents and their customer cases: value objects and the two state machines.

An *incident* says "these listings showed the wrong price in this window". Its life::

    draft ─declare─▶ declared ─scope─▶ scoped ─plan─▶ planned ─notify─▶ notifying ─close─▶ closed
      └─────────────dismiss (a tripwire false alarm)─────────────────────────────────────▲

``scope`` may repeat while scoped (late orders found) and ``plan`` while planned (plan revised
before anyone was told). A step out of order is refused (:class:`IllegalTransition`, reason
``incident_status``) saying what to do first or why it is too late (``details["hint"]``).
Declaring returns the actions the service must carry out at once (pause every listing); the
domain does no I/O.

A *case* is one customer's share of an incident: all their affected orders (found by
``incident_scope.build_cases``; recorded choices live in ``consent``). Its life::

    open ──notify──▶ notified ──escalate──▶ escalated
      │                  │                      │
      └──────────────────┴──choose──────────────┴──▶ chosen ──resolve──▶ resolved
      └──────────────────┴──deadline_passed─────┴──▶ defaulted ──resolve──▶ resolved
                                                    defaulted ──choose──▶ chosen  (policy decides)

Routine triggers that arrive after the case moved on (a reminder, an escalation or the deadline
job after the customer chose) are explicit self-loops in the table: a no-op, never a new state.
A second *choice* is never a self-loop: it raises :class:`IllegalTransition` (an identical
duplicate of the recorded choice is absorbed earlier, by ``consent.record_choice``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sagwa.domain.catalog import check_text_characters, has_visible_text
from sagwa.domain.contact_hours import require_aware
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition, InvalidInput

if TYPE_CHECKING:
    from sagwa.domain.consent import ConsentRecord

Id = int | str


class Responsibility(StrEnum):
    SELLER = "seller"
    PLATFORM = "platform"
    BOTH = "both"


class IncidentStatus(StrEnum):
    DRAFT = "draft"
    DECLARED = "declared"
    SCOPED = "scoped"
    PLANNED = "planned"
    NOTIFYING = "notifying"
    CLOSED = "closed"


class IncidentTrigger(StrEnum):
    DECLARE = "declare"
    DISMISS = "dismiss"
    SCOPE = "scope"
    PLAN = "plan"
    NOTIFY = "notify"
    CLOSE = "close"


S, T = IncidentStatus, IncidentTrigger
INCIDENT_TRANSITIONS: dict[tuple[IncidentStatus, IncidentTrigger], IncidentStatus] = {
    (S.DRAFT, T.DECLARE): S.DECLARED,
    (S.DRAFT, T.DISMISS): S.CLOSED,
    (S.DECLARED, T.SCOPE): S.SCOPED,
    (S.SCOPED, T.SCOPE): S.SCOPED,
    (S.SCOPED, T.PLAN): S.PLANNED,
    # Scoping found nobody affected (no order at the wrong price): nothing to plan or send.
    # The service refuses it while any case is unanswered, so only an empty scope closes here.
    (S.SCOPED, T.CLOSE): S.CLOSED,
    (S.PLANNED, T.PLAN): S.PLANNED,
    (S.PLANNED, T.NOTIFY): S.NOTIFYING,
    (S.NOTIFYING, T.CLOSE): S.CLOSED,
}
del S, T


#: Why a step is refused, or what to do first (``details["hint"]`` of a refusal): a stable
#: code (the pages say it from it) -> the English the message ends with.
INCIDENT_HINTS: dict[str, str] = {
    "declare_first": "declare it first (or dismiss it, if it is a false alarm)",
    "scope_first": "scope it first (find the orders placed at the wrong price)",
    "plan_first": "plan it first (what its customers are offered, by when, and the default)",
    "notify_first": "notify its customers first (they are sent the apology and the plan)",
    "already_declared": "it is declared already",
    "not_a_draft": "only a draft can be dismissed as a false alarm; a declared incident is "
                   "closed once its customers have their answer",
    "scoped_before_plan": "its orders are scoped before the plan is made, and the plan was "
                          "made for the cases found then",
    "plan_fixed": "the plan is fixed once its customers are told (they were given its terms)",
    "already_notifying": "its customers have been told already, or are being told",
    "already_closed": "it is closed already, and a closed incident does not change",
}
#: Too early: the step a status needs next. Too late: what the trigger's refusal says.
_NEXT_STEP = {IncidentStatus.DRAFT: "declare_first", IncidentStatus.DECLARED: "scope_first",
              IncidentStatus.SCOPED: "plan_first", IncidentStatus.PLANNED: "notify_first"}
_TOO_LATE = {IncidentTrigger.DECLARE: "already_declared", IncidentTrigger.DISMISS: "not_a_draft",
             IncidentTrigger.SCOPE: "scoped_before_plan", IncidentTrigger.PLAN: "plan_fixed",
             IncidentTrigger.NOTIFY: "already_notifying", IncidentTrigger.CLOSE: "already_closed"}


def incident_hint(status: IncidentStatus | str, trigger: IncidentTrigger | str) -> str:
    """Why ``trigger`` is refused in ``status`` (a key of :data:`INCIDENT_HINTS`): the step
    to take first when the incident is not that far yet, else why it is too late."""
    current = IncidentStatus(status)
    if current is IncidentStatus.CLOSED:
        return "already_closed"
    order = list(IncidentStatus)  # in the order of the life drawn above
    allowed = [order.index(s) for s, t in INCIDENT_TRANSITIONS if t == trigger]
    if allowed and order.index(current) < max(allowed):
        return _NEXT_STEP[current]
    return _TOO_LATE[IncidentTrigger(trigger)]


def advance_incident(status: IncidentStatus, trigger: IncidentTrigger) -> IncidentStatus:
    """The incident's next status, or :class:`IllegalTransition` for a jump the table lacks,
    saying what to do first or why it is too late (``details["hint"]``, :func:`incident_hint`)."""
    try:
        return INCIDENT_TRANSITIONS[(IncidentStatus(status), IncidentTrigger(trigger))]
    except KeyError:
        hint = incident_hint(status, trigger)
        raise IllegalTransition(
            f"an incident that is {status} cannot {trigger}: {INCIDENT_HINTS[hint]}",
            status=str(status),
            trigger=str(trigger),
            reason="incident_status",
            hint=hint,
        ) from None


@dataclass(frozen=True)
class Incident:
    """Listings that showed ``wrong_price`` instead of ``correct_price`` from start to end.

    A tripwire draft may lack the correct price, the end and the responsible party; declaring
    requires them all.
    """

    incident_id: Id
    listing_ids: frozenset[Id]
    wrong_price: Money
    window_start: datetime
    cause: str
    opened_at: datetime
    opened_by: str
    status: IncidentStatus = IncidentStatus.DRAFT
    correct_price: Money | None = None
    window_end: datetime | None = None
    responsible: Responsibility | None = None
    declared_at: datetime | None = None

    @property
    def currency(self) -> str:
        return self.wrong_price.currency

    @property
    def dismissed(self) -> bool:
        """A draft dismissed as a false alarm: closed without ever being declared."""
        return self.status is IncidentStatus.CLOSED and self.declared_at is None

    def in_window(self, moment: datetime) -> bool:
        """Start and end both inclusive: an order at the very second of the pause counts."""
        end = self.window_end
        return self.window_start <= moment and (end is None or moment <= end)

    def with_status(self, trigger: IncidentTrigger) -> Incident:
        return replace(self, status=advance_incident(self.status, trigger))


@dataclass(frozen=True)
class PauseListing:
    """An action for the service: take this listing off sale now."""

    listing_id: Id
    incident_id: Id
    reason: str


@dataclass(frozen=True)
class Declaration:
    """What declaring decided: the declared incident and what must happen at once."""

    incident: Incident
    actions: tuple[PauseListing, ...]


def _check_listings(listing_ids: frozenset[Id] | set[Id] | list[Id]) -> frozenset[Id]:
    ids = frozenset(listing_ids)
    if not ids:
        raise InvalidInput("an incident needs at least one listing", field="listing_ids",
                           reason="no_listings")
    return ids


#: The most characters an incident's cause may have (the API's limit too): whoever reads it
#: (the notice, the desk's pages) reads a sentence or a paragraph, not a file.
CAUSE_MAX_CHARS = 2000


def _check_text(value: str, name: str) -> str:
    """``value`` stripped; refused when it shows nothing (zero-width characters count for
    nothing) or holds a direction override (``catalog.check_text_characters``: the cause is
    read in the notice). Line breaks are kept: a cause may be a paragraph."""
    if not isinstance(value, str) or not has_visible_text(value):
        raise InvalidInput(f"{name} must be given (say what happened, in words)", field=name,
                           reason="text_missing")
    text = check_text_characters(value.strip(), name, single_line=False)
    if name == "cause" and len(text) > CAUSE_MAX_CHARS:
        raise InvalidInput(f"{name} is {len(text):,} characters long; at most "
                           f"{CAUSE_MAX_CHARS:,}", field=name, reason="cause_too_long",
                           chars=len(text), max_chars=CAUSE_MAX_CHARS)
    return text


def open_draft(
    *,
    incident_id: Id,
    listing_ids: frozenset[Id] | set[Id] | list[Id],
    wrong_price: Money,
    window_start: datetime,
    now: datetime,
    cause: str,
    opened_by: str = "tripwire",
    correct_price: Money | None = None,
) -> Incident:
    """A draft incident, as the velocity tripwire opens one by itself; pauses nothing yet."""
    require_aware(window_start, "window_start")
    require_aware(now, "now")
    if window_start > now:
        raise InvalidInput(
            "the window cannot start in the future",
            field="window_start",
            reason="window_start_future",
        )
    return Incident(
        incident_id=incident_id,
        listing_ids=_check_listings(listing_ids),
        wrong_price=wrong_price,
        window_start=window_start,
        cause=_check_text(cause, "cause"),
        opened_at=now,
        opened_by=_check_text(opened_by, "opened_by"),
        correct_price=correct_price,
    )


def _check_prices(wrong: Money, correct: Money | None) -> Money:
    if correct is None:
        raise InvalidInput("declaring needs the correct price", field="correct_price",
                           reason="correct_price_missing")
    if wrong.currency != correct.currency:
        raise InvalidInput(
            f"wrong price is in {wrong.currency} but correct price in {correct.currency}",
            field="correct_price", reason="price_currencies_differ",
        )
    if wrong.amount_minor <= 0 or not wrong.amount_minor < correct.amount_minor:
        raise InvalidInput(
            f"the wrong price ({wrong}) must be positive and below the correct price ({correct}); "
            "this desk handles prices shown too low",
            field="wrong_price", reason="wrong_price_not_below_correct",
        )
    return correct


def declare_incident(
    draft: Incident,
    *,
    now: datetime,
    responsible: Responsibility | str,
    correct_price: Money | None = None,
    window_end: datetime | None = None,
    cause: str | None = None,
) -> Declaration:
    """Declare a draft (operator's or tripwire's): validate it and pause every listing at once.

    ``window_end`` defaults to ``now``: declaring is what ends the window, since it pauses.
    """
    require_aware(now, "now")
    declared = draft.with_status(IncidentTrigger.DECLARE)
    correct = _check_prices(draft.wrong_price, correct_price or draft.correct_price)
    end = require_aware(window_end, "window_end") if window_end is not None else now
    if draft.window_start >= now:  # a wrong year, say: said of the start, not of the end
        raise InvalidInput(  # nobody gave (a tester was sent to --window-end)
            "the window cannot start in the future", field="window_start",
            reason="window_start_future")
    if not draft.window_start < end <= now:
        raise InvalidInput(
            "the window must start before it ends, and end no later than now", field="window_end",
            reason="window_out_of_order",
        )
    try:
        party = Responsibility(responsible)
    except ValueError:
        raise InvalidInput(
            f"responsible must be seller, platform or both, got {responsible!r}",
            field="responsible", reason="responsible_unknown",
        ) from None
    incident = replace(
        declared,
        correct_price=correct,
        window_end=end,
        responsible=party,
        declared_at=now,
        cause=_check_text(cause, "cause") if cause is not None else draft.cause,
    )
    reason = f"price incident {draft.incident_id}: {incident.cause}"
    actions = tuple(
        PauseListing(listing_id=lid, incident_id=draft.incident_id, reason=reason)
        for lid in sorted(incident.listing_ids, key=str)
    )
    return Declaration(incident=incident, actions=actions)


def declare(
    *,
    incident_id: Id,
    listing_ids: frozenset[Id] | set[Id] | list[Id],
    wrong_price: Money,
    correct_price: Money,
    window_start: datetime,
    now: datetime,
    cause: str,
    responsible: Responsibility | str,
    declared_by: str,
    window_end: datetime | None = None,
) -> Declaration:
    """An operator declares an incident directly (draft and declaration in one step)."""
    draft = open_draft(
        incident_id=incident_id,
        listing_ids=listing_ids,
        wrong_price=wrong_price,
        window_start=window_start,
        now=now,
        cause=cause,
        opened_by=declared_by,
        correct_price=correct_price,
    )
    return declare_incident(draft, now=now, responsible=responsible, window_end=window_end)


# --- cases -------------------------------------------------------------------------------


class CaseStatus(StrEnum):
    OPEN = "open"
    NOTIFIED = "notified"
    ESCALATED = "escalated"
    CHOSEN = "chosen"
    DEFAULTED = "defaulted"
    RESOLVED = "resolved"


class CaseTrigger(StrEnum):
    NOTIFY = "notify"
    ESCALATE = "escalate"
    CHOOSE = "choose"
    DEADLINE_PASSED = "deadline_passed"
    RESOLVE = "resolve"


C, G = CaseStatus, CaseTrigger
TRANSITIONS: dict[tuple[CaseStatus, CaseTrigger], CaseStatus] = {
    (C.OPEN, G.NOTIFY): C.NOTIFIED,
    (C.OPEN, G.ESCALATE): C.ESCALATED,
    (C.OPEN, G.CHOOSE): C.CHOSEN,
    (C.OPEN, G.DEADLINE_PASSED): C.DEFAULTED,
    (C.NOTIFIED, G.NOTIFY): C.NOTIFIED,  # a reminder
    (C.NOTIFIED, G.ESCALATE): C.ESCALATED,
    (C.NOTIFIED, G.CHOOSE): C.CHOSEN,
    (C.NOTIFIED, G.DEADLINE_PASSED): C.DEFAULTED,
    (C.ESCALATED, G.NOTIFY): C.ESCALATED,
    (C.ESCALATED, G.ESCALATE): C.ESCALATED,
    (C.ESCALATED, G.CHOOSE): C.CHOSEN,
    (C.ESCALATED, G.DEADLINE_PASSED): C.DEFAULTED,
    # After a choice: late reminders, escalations and the deadline job change nothing.
    (C.CHOSEN, G.NOTIFY): C.CHOSEN,
    (C.CHOSEN, G.ESCALATE): C.CHOSEN,
    (C.CHOSEN, G.DEADLINE_PASSED): C.CHOSEN,
    (C.CHOSEN, G.RESOLVE): C.RESOLVED,
    # Defaulted: the default was applied; a choice may still come (follow-up call, late answer)
    # if the plan's policy allows it — consent.record_choice decides.
    (C.DEFAULTED, G.NOTIFY): C.DEFAULTED,
    (C.DEFAULTED, G.ESCALATE): C.DEFAULTED,
    (C.DEFAULTED, G.DEADLINE_PASSED): C.DEFAULTED,
    (C.DEFAULTED, G.CHOOSE): C.CHOSEN,
    (C.DEFAULTED, G.RESOLVE): C.RESOLVED,
    (C.RESOLVED, G.NOTIFY): C.RESOLVED,
    (C.RESOLVED, G.ESCALATE): C.RESOLVED,
    (C.RESOLVED, G.DEADLINE_PASSED): C.RESOLVED,
}
del C, G

#: Statuses in which the customer has not answered yet.
UNANSWERED = frozenset({CaseStatus.OPEN, CaseStatus.NOTIFIED, CaseStatus.ESCALATED})


def advance(status: CaseStatus, trigger: CaseTrigger) -> CaseStatus:
    """The case's next status, or :class:`IllegalTransition` (e.g. a second choice)."""
    try:
        return TRANSITIONS[(CaseStatus(status), CaseTrigger(trigger))]
    except KeyError:
        raise IllegalTransition(
            f"a case that is {status} cannot {trigger}"
            + (" again: the customer's choice is already recorded" if trigger == "choose" else ""),
            status=str(status),
            trigger=str(trigger),
            reason="choice_already_recorded" if trigger == "choose" else "case_status",
        ) from None


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """The few facts about an order that scoping needs."""

    order_id: Id
    customer_id: Id
    listing_id: Id
    quantity: int
    unit_price: Money
    placed_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class Case:
    """A customer's case as the desk tracks it. ``consent`` is set once, by a recorded choice.
    ``told``: the customer was told — their apology was sent, or before the deadline an agent
    reached them by phone or they answered. A case that took the default without ever being told is owed a call
    instead (``incident_plan.default_outcome``)."""

    case_id: Id
    incident_id: Id
    customer_id: Id
    orders: tuple[OrderRecord, ...]
    exposure: Money
    status: CaseStatus = CaseStatus.OPEN
    consent: ConsentRecord | None = None
    told: bool = True

    @property
    def units(self) -> int:
        return sum(order.quantity for order in self.orders)

    @property
    def order_ids(self) -> tuple[Id, ...]:
        return tuple(order.order_id for order in self.orders)

    def paid(self, currency: str) -> Money:
        """What the customer paid over all the case's orders (in ``currency``, the incident's:
        a case's orders are all at its wrong price)."""
        return Money(sum(o.unit_price.amount_minor * o.quantity for o in self.orders), currency)

    def with_trigger(self, trigger: CaseTrigger) -> Case:
        """This case after a non-choice trigger; choices go through ``consent.record_choice``."""
        if trigger == CaseTrigger.CHOOSE:
            raise IllegalTransition(
                "a choice must be recorded with its consent",
                trigger="choose",
                reason="choice_needs_consent",
            )
        return replace(self, status=advance(self.status, trigger))
