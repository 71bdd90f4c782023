"""No cancellation without consent: recording a customer's choice and deciding its effects.

A :class:`ConsentRecord` is the evidence of a choice: which option, through which channel, when,
the customer's own words (or the button they clicked) and who took it (``"customer"`` or an
agent id; a phone choice is always taken by an agent).

* :func:`record_choice` puts a consent on a case through the case state machine. Words someone
  wrote down for the customer — an agent's, or a reply by email or text relayed by staff — must
  say something: at least as many letters or digits as a reviewer's reason
  (:func:`check_written_words`; "-" or "." is nobody's consent). A second,
  *different* choice raises :class:`~sagwa.errors.IllegalTransition`; the *same* choice again
  (a double click, or an agent re-entering what the customer already chose) is a no-op.
  ``talk_to_person`` is not a final answer: it puts the case on the call list, and a later choice
  taken on the call replaces it (and counts even after the deadline, since the customer asked in
  time); arriving after a final choice it changes nothing. A choice confirmed on the
  customer's page within :data:`CONFIRM_GRACE` of the confirm step being shown counts as made
  when it was shown (``seen_at``): a customer who read what it does before the deadline and
  pressed "confirm" seconds after it is not refused for reading. Likewise a reply by email or
  text that reached us by the deadline (``said_at``) counts though staff record it after it.
* :func:`effects_of_choice` turns the recorded consent into order effects and raises
  :class:`~sagwa.errors.ConsentRequired` unless the consent given is the one recorded on the case.
  It is the only function here that returns cancelling effects.
* :func:`effects_of_default` is what happens to a case nobody answered: keep, or hold for a call.
  It never cancels anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sagwa.domain.contact_hours import require_aware
from sagwa.domain.incident_plan import (
    CustomerOption,
    DefaultAction,
    IncidentPlan,
    accepts_choice_at,
    default_outcome,
)
from sagwa.domain.incidents import Case, CaseStatus, CaseTrigger, Id, OrderRecord, advance
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money
from sagwa.domain.reasons import MIN_REASON_SIGNS, word_weight
from sagwa.errors import ConsentRequired, IllegalTransition, InvalidInput, LateChoiceRefused

CUSTOMER = "customer"
FINAL = frozenset({CaseStatus.CHOSEN, CaseStatus.RESOLVED})
#: How long after the customer's confirm step was shown their "confirm" still counts as made
#: when it was shown (a walk's customer read the step before the deadline and pressed it after).
CONFIRM_GRACE = timedelta(minutes=10)


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """Evidence of one customer's choice for one case."""

    case_id: Id
    customer_id: Id
    choice: CustomerOption
    channel: Channel
    recorded_at: datetime
    evidence: str
    taken_by: str = CUSTOMER
    #: When the customer's confirm step of this choice was shown to them (their own page; a
    #: signed stamp): within :data:`CONFIRM_GRACE` before ``recorded_at`` it counts as the
    #: moment of the choice for the deadline. Not stored: the audit record keeps it.
    seen_at: datetime | None = None
    #: When the customer's reply by email or text carrying this choice reached us (staff
    #: record it later, from the inbox): a reply that came by the deadline counts though it is
    #: recorded after it. Kept on the case (``cases.choice_said_at``) and on the audit record.
    said_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.recorded_at, "recorded_at")
        if self.seen_at is not None:
            require_aware(self.seen_at, "seen_at")
        if self.said_at is not None:
            require_aware(self.said_at, "said_at")
        for name, kind in (("choice", CustomerOption), ("channel", Channel)):
            try:
                object.__setattr__(self, name, kind(getattr(self, name)))
            except ValueError:
                known = ", ".join(k.value for k in kind)
                raise InvalidInput(f"{name} must be one of {known}, not {getattr(self, name)!r}",
                                   field=name,
                                   reason="option_unknown" if name == "choice"
                                   else "channel_unknown") from None
        if not isinstance(self.evidence, str) or not self.evidence.strip():
            raise InvalidInput(
                "consent needs the customer's own words or the button they clicked",
                field="evidence", reason="evidence_required",
            )
        if not isinstance(self.taken_by, str) or not self.taken_by.strip():
            raise InvalidInput("consent must say who took it", field="taken_by",
                               reason="taken_by_required")
        if self.channel == Channel.PHONE and self.taken_by == CUSTOMER:
            raise InvalidInput(
                "a choice made by phone is taken by an agent: give the agent id", field="taken_by",
                reason="phone_choice_needs_agent"
            )

    @property
    def by_agent(self) -> bool:
        return self.taken_by != CUSTOMER


def check_belongs(case: Case, consent: ConsentRecord, plan: IncidentPlan) -> None:
    """Refuse ``consent`` for another case or plan, or for an option not offered."""
    if consent.case_id != case.case_id or consent.customer_id != case.customer_id:
        raise ConsentRequired(
            f"this consent is for case {consent.case_id} / customer {consent.customer_id}, "
            f"not case {case.case_id} / customer {case.customer_id}",
            case_id=str(case.case_id), reason="consent_of_other_case",
        )
    if plan.incident_id != case.incident_id:
        raise InvalidInput("the plan belongs to another incident", field="plan",
                           reason="plan_of_other_incident")
    if not plan.offers(consent.choice):
        offered = ", ".join(sorted(o.value for o in plan.options))
        raise InvalidInput(
            f"{consent.choice.value} was not offered; the offer was: {offered}", field="choice",
            reason="option_not_offered"
        )


def check_channel(consent: ConsentRecord) -> None:
    """InvalidInput (``web_channel_is_the_customers``) for a choice on the ``web`` channel
    taken by anyone but the customer: a web choice is a click on the customer's own page
    (through their link), which the case page shows as theirs. Staff record what the customer
    told them by phone, email or text, under that channel."""
    if consent.channel is Channel.WEB and consent.by_agent:
        raise InvalidInput(
            "a web choice is the customer's own click on their page; staff record a choice "
            "made by phone, email or text under that channel", field="channel",
            reason="web_channel_is_the_customers")


def check_written_words(consent: ConsentRecord) -> None:
    """InvalidInput (``evidence_too_short``) when the customer's words were written down by
    someone (an agent, or relayed from an email or a text) and weigh less than
    :data:`~sagwa.domain.reasons.MIN_REASON_SIGNS` (``reasons.word_weight``: four letters or
    digits, the bar of a reviewer's reason, where a Hangul syllable counts two — "취소" is
    enough, "ok" or "-" is not). A click on the customer's own page (``web``, taken by the
    customer) is recorded by the page, not written, and is not checked."""
    if consent.channel is Channel.WEB and not consent.by_agent:
        return
    if word_weight(consent.evidence) < MIN_REASON_SIGNS:
        raise InvalidInput(
            f"write down what the customer said, in their words (at least {MIN_REASON_SIGNS} "
            f"letters or digits, or two Hangul syllables; spaces and punctuation do not count), "
            f"not {consent.evidence.strip()!r}", field="evidence", reason="evidence_too_short",
            minimum=MIN_REASON_SIGNS)


def _is_repeat(case: Case, consent: ConsentRecord) -> bool:
    """A choice that adds nothing: the same final answer again, or a call asked for again/late."""
    recorded = case.consent
    if consent.choice == CustomerOption.TALK_TO_PERSON:
        # Keep the first request: it is the one that proves the customer asked in time.
        asked_before = recorded is not None and recorded.choice == CustomerOption.TALK_TO_PERSON
        return case.status in FINAL or asked_before
    return case.status in FINAL and recorded is not None and consent.choice == recorded.choice


def _counts(case: Case, consent: ConsentRecord, plan: IncidentPlan) -> bool:
    """On time, or late but accepted — including an answer on the call the customer asked for."""
    asked_for_call = (
        case.consent is not None
        and case.consent.choice == CustomerOption.TALK_TO_PERSON
        and accepts_choice_at(plan, answered_at(case.consent))  # a reply's own time
    )
    return asked_for_call or accepts_choice_at(plan, answered_at(consent), case)


def answered_at(consent: ConsentRecord) -> datetime:
    """When the choice counts as made, for the deadline: when the reply carrying it reached us
    (``said_at``), or when its confirm step was shown within :data:`CONFIRM_GRACE` before the
    confirm (``seen_at``); else when it was recorded."""
    if consent.said_at is not None:
        return consent.said_at
    seen = consent.seen_at
    if seen is not None and timedelta(0) <= consent.recorded_at - seen <= CONFIRM_GRACE:
        return seen
    return consent.recorded_at


def check_said_at(consent: ConsentRecord) -> None:
    """A reply's time (``said_at``) is a reply's (email or text) and not after it was
    recorded: InvalidInput otherwise."""
    said = consent.said_at
    if said is None:
        return
    if consent.channel not in (Channel.EMAIL, Channel.SMS):
        raise InvalidInput(f"said_at is when a reply by email or text reached us; a {consent.channel.value} "
                           "choice is taken when it is recorded", field="said_at",
                           reason="said_at_not_a_reply")
    if said > consent.recorded_at:
        raise InvalidInput(f"said_at {said.isoformat()} is in the future: a reply is recorded "
                           "after it reached us", field="said_at", reason="said_at_future")


def check_reply_recorded_in_time(case: Case, consent: ConsentRecord, plan: IncidentPlan,
                                 replies_until: datetime) -> None:
    """LateChoiceRefused (``reply_recorded_too_late``) for a reply that counts only because it
    reached us by the deadline (``said_at``) and is recorded after ``replies_until``: by then
    the deadline's default stands and the seller was told to send what it kept
    (``seller_orders``), so the reply cannot undo it. A choice that counts without its
    ``said_at`` (a plan taking late answers, a call owed) is not refused here."""
    said = consent.said_at
    if said is None or consent.recorded_at <= replies_until:
        return
    if not accepts_choice_at(plan, said, case):
        return  # it came too late itself: refused as any late choice
    if _counts(case, replace(consent, said_at=None), plan):
        return
    said_k, until_k = said.astimezone(SEOUL), replies_until.astimezone(SEOUL)
    raise LateChoiceRefused(
        f"the reply reached us at {said_k:%Y-%m-%d %H:%M} KST, by the deadline, but replies "
        f"that came by the deadline had to be recorded by {until_k:%Y-%m-%d %H:%M} KST: the "
        "default stands and its orders may have been sent (the customer may still withdraw "
        "within 7 days of delivery); log a call note with a follow-up for the operator",
        case_id=str(case.case_id), reason="reply_recorded_too_late",
        recorded_by=until_k.isoformat())


def asked_for_a_person(case: Case) -> bool:
    """The customer asked to talk to a person and has given no final answer since: their
    answer is taken on the call, even after the deadline (:func:`_counts`)."""
    return case.consent is not None and case.consent.choice == CustomerOption.TALK_TO_PERSON


def record_choice(case: Case, consent: ConsentRecord, plan: IncidentPlan, *,
                  replies_until: datetime | None = None) -> Case:
    """The case with this choice recorded, per the rules in the module docstring.
    ``replies_until``: until when a reply that reached us by the deadline may still be recorded
    as in time (``IncidentPlan.replies_recorded_by``; None: for ever)."""
    check_belongs(case, consent, plan)
    check_channel(consent)
    check_said_at(consent)
    if _is_repeat(case, consent):
        return case
    check_written_words(consent)  # a consent being given now: every path records it here
    if replies_until is not None:
        check_reply_recorded_in_time(case, consent, plan, replies_until)
    if not _counts(case, consent, plan):
        raise LateChoiceRefused(
            f"the choice came at {consent.recorded_at.isoformat()}, after the deadline "
            f"{plan.deadline.isoformat()}; this plan does not accept late choices "
            "(the default has been applied)",
            case_id=str(case.case_id), reason="choice_after_deadline",
        )
    if consent.choice == CustomerOption.TALK_TO_PERSON:
        return replace(case, status=advance(case.status, CaseTrigger.ESCALATE), consent=consent)
    return replace(case, status=advance(case.status, CaseTrigger.CHOOSE), consent=consent)


class EffectKind(StrEnum):
    KEEP = "keep"  # the order stands at the price paid
    CANCEL_AND_REFUND = "cancel_and_refund"  # whole order cancelled, amount refunded
    REDUCE_AND_REFUND = "reduce_and_refund"  # quantity lowered by `quantity`, amount refunded
    REPRICE = "reprice"  # the order stands at new_unit_price; amount is the extra to charge
    HOLD_FOR_CALL = "hold_for_call"  # nothing changes until an agent has talked to the customer


CANCELLING = frozenset({EffectKind.CANCEL_AND_REFUND, EffectKind.REDUCE_AND_REFUND})


@dataclass(frozen=True)
class OrderEffect:
    """What must happen to one order. ``quantity`` is the units the effect is about."""

    order_id: Id
    kind: EffectKind
    quantity: int
    amount: Money | None = None
    new_unit_price: Money | None = None


def _keep(orders: tuple[OrderRecord, ...], max_units: int | None) -> list[OrderEffect]:
    """Keep the earliest units up to ``max_units``; refund the rest (the customer agreed)."""
    left = max_units if max_units is not None else sum(o.quantity for o in orders)
    effects = []
    for order in orders:
        kept = min(order.quantity, left)
        left -= kept
        dropped = order.quantity - kept
        if kept:
            effects.append(OrderEffect(order.order_id, EffectKind.KEEP, kept))
        if dropped and not kept:
            refund = order.unit_price.times(dropped)
            effects.append(
                OrderEffect(order.order_id, EffectKind.CANCEL_AND_REFUND, dropped, refund)
            )
        elif dropped:
            refund = order.unit_price.times(dropped)
            effects.append(
                OrderEffect(order.order_id, EffectKind.REDUCE_AND_REFUND, dropped, refund)
            )
    return effects


def discounted_unit_price(correct: Money, discount_pct: int) -> Money:
    """The correct price less the discount, rounded down to the minor unit (customer's favour)."""
    return Money(correct.amount_minor * (100 - discount_pct) // 100, correct.currency)


def _reprice(
    orders: tuple[OrderRecord, ...], correct: Money, discount_pct: int
) -> list[OrderEffect]:
    """Never more than the discounted correct price, never less than what was already paid."""
    effects = []
    for order in orders:
        new = max(discounted_unit_price(correct, discount_pct), order.unit_price)
        extra = (new - order.unit_price).times(order.quantity)
        effects.append(OrderEffect(order.order_id, EffectKind.REPRICE, order.quantity, extra, new))
    return effects


def _hold(orders: tuple[OrderRecord, ...]) -> list[OrderEffect]:
    return [OrderEffect(o.order_id, EffectKind.HOLD_FOR_CALL, o.quantity) for o in orders]


def effects_of_choice(
    case: Case, consent: ConsentRecord | None, plan: IncidentPlan
) -> list[OrderEffect]:
    """The order effects of the customer's recorded choice.

    Raises :class:`ConsentRequired` unless ``consent`` is exactly the consent recorded on
    ``case`` (by :func:`record_choice`) — so nothing is cancelled on a choice that was not
    recorded, was recorded for another case, or was replaced.
    """
    if consent is None or case.consent is None or case.consent != consent:
        raise ConsentRequired(
            "no recorded choice of this customer matches; nothing may be cancelled or changed "
            "without one",
            case_id=str(case.case_id), reason="no_recorded_choice",
        )
    check_belongs(case, consent, plan)
    choice = consent.choice
    if choice == CustomerOption.KEEP:
        return _keep(case.orders, plan.keep_max_units)
    if choice == CustomerOption.CANCEL_WITH_COMPENSATION:
        return [
            OrderEffect(
                o.order_id, EffectKind.CANCEL_AND_REFUND, o.quantity, o.unit_price.times(o.quantity)
            )
            for o in case.orders
        ]
    if choice == CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        return _reprice(case.orders, plan.correct_price, plan.discount_pct or 0)
    return _hold(case.orders)


def effects_of_default(case: Case, plan: IncidentPlan) -> list[OrderEffect]:
    """What happens to a case nobody answered by the deadline. Never cancels anything."""
    if case.status != CaseStatus.DEFAULTED:
        raise IllegalTransition(
            f"the default applies only to a defaulted case; this one is {case.status}",
            case_id=str(case.case_id),
            reason="case_not_defaulted",
        )
    if default_outcome(case, plan) == DefaultAction.KEEP:
        return [OrderEffect(o.order_id, EffectKind.KEEP, o.quantity) for o in case.orders]
    return _hold(case.orders)
