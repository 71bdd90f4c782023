"""Cancelling instead of paying: a customer who chose the discount may change their mind while
the difference is unpaid.

Buying at the discounted correct price leaves the customer a difference to pay
(``domain.difference``), and their items wait for it. A customer who then finds they cannot or
would rather not pay is not left with an order that waits for ever: with their consent (their
own click on their page, or their words to an agent), the discount is replaced by the plan's
cancellation — the order is cancelled, what they paid is refunded in full and the apology's
compensation is theirs, as if they had chosen it first. Nothing is cancelled without that
consent, and only the cancellation may replace the discount: the other options were there to
choose in the first place.

* :func:`cancel_instead` is the case with the new consent recorded (still resolved);
* :func:`replaceable_by_cancel` says, before a choice is recorded, whether cancelling could
  replace it later;
* :func:`as_placed` is the case's orders at the price and quantity they were placed at, which
  the cancellation refunds (the discount raised their unit price; the customer paid the old one);
* :func:`replaced_discount` reads back, from a case's audit entries, the discount a
  cancellation replaced (:class:`ReplacedDiscount`): the case itself keeps only the new choice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sagwa.domain.audit import AuditRecord
from sagwa.domain.consent import Channel, ConsentRecord, check_belongs, check_written_words
from sagwa.domain.difference import DifferencePaid
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.domain.incidents import Case, CaseStatus
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money
from sagwa.domain.reasons import reason_signs
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, SagwaError

#: The audit action of a discount replaced by the cancellation (``desk_cancel_instead``).
CANCELLED_INSTEAD_ACTION = "case.cancelled_instead"
#: The audit action of a choice recorded (``desk_cases.record_choice``): the discount's own.
CHOICE_RECORDED_ACTION = "case.choice_recorded"
DISCOUNT = CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT
CANCEL = CustomerOption.CANCEL_WITH_COMPENSATION
#: The fewest letters or digits of the customer's words asking to cancel ("취소" is two).
MIN_WORDS_SIGNS = 2


def cancel_instead(case: Case, consent: ConsentRecord, plan: IncidentPlan, *,
                   paid: DifferencePaid | None, owed: Money,
                   done_before: bool = False) -> Case:
    """``case`` with ``consent`` (to cancel with compensation) replacing its discount choice.

    Refused when the case did not settle by the discount (``not_a_discount_choice``), when the
    difference was already recorded as paid (``difference_already_paid``: the items are on
    their way; that is a return, not this), when ``consent`` is not a cancellation
    (``only_cancel_replaces_discount``) or when the plan did not offer one
    (``option_not_offered``), and when the discount left nothing to pay (``owed``, the
    difference: ``no_difference_owed`` — the order goes out at the price paid, so cancelling it
    now is a return too). The same cancellation again (``done_before``: the case was
    cancelled instead once already) is the case unchanged; a case whose customer chose the
    cancellation in the first place is not one to cancel instead."""
    if consent.choice is not CANCEL:
        raise InvalidInput(
            f"only cancelling with compensation can replace the discount, not "
            f"{consent.choice.value}", field="choice", reason="only_cancel_replaces_discount")
    _check_consent_words(consent)
    check_belongs(case, consent, plan)
    recorded = case.consent
    if (done_before and case.status is CaseStatus.RESOLVED and recorded is not None
            and recorded.choice is CANCEL):
        return case  # already cancelled instead (a double click, a retried request)
    check_written_words(consent)  # words written down for the customer: the bar of every choice
    refused = refusal(case, plan, paid=paid, owed=owed)
    if refused is not None:
        raise refused
    return replace(case, consent=consent)


def refusal(case: Case, plan: IncidentPlan, *, paid: DifferencePaid | None,
            owed: Money) -> SagwaError | None:
    """Why ``case`` may not be cancelled instead of paying, whoever asks (the refusal
    :func:`cancel_instead` raises; the pages offer the button only when this is None): it did
    not settle by the discount, the plan offered no cancellation, the difference is paid
    (``paid``), or the discount left nothing to pay (``owed``)."""
    recorded = case.consent
    if (case.status is not CaseStatus.RESOLVED or recorded is None
            or recorded.choice is not DISCOUNT):
        chose = recorded.choice.value if recorded is not None else "nothing yet"
        return IllegalTransition(
            f"case {case.case_id} did not settle by buying at the discounted price "
            f"(it is {case.status.value}, chose {chose}): there is no difference to cancel "
            "instead of paying", case_id=case.case_id, reason="not_a_discount_choice")
    if not plan.offers(CANCEL):
        offered = ", ".join(sorted(o.value for o in plan.options))
        return InvalidInput(f"{CANCEL.value} was not offered; the offer was: {offered}",
                            field="choice", reason="option_not_offered")
    if paid is not None:
        return Conflict(
            f"the difference of case {case.case_id} was recorded as paid on "
            f"{paid.at.astimezone(SEOUL):%Y-%m-%d %H:%M} (Korea time): the items go to the "
            "customer; cancelling now is a return, not a change of choice",
            case_id=case.case_id, reason="difference_already_paid")
    if owed.amount_minor <= 0:
        return Conflict(
            f"case {case.case_id} owes no difference: the discounted price was not above the "
            "price paid, so the order is sent as it is; cancelling it is a return, not a change "
            "of choice", case_id=case.case_id, reason="no_difference_owed")
    return None


def replaceable_by_cancel(choice: CustomerOption, plan: IncidentPlan, owed: Money) -> bool:
    """Whether ``choice``, once recorded, may still be replaced by the cancellation while what
    it leaves to pay (``owed``) is unpaid: the discount, on a plan that offers the
    cancellation, leaving a difference — what :func:`refusal` asks of the choice itself, for
    the confirm step and the confirmation to say before it is recorded. Every other choice is
    final."""
    return choice is DISCOUNT and plan.offers(CANCEL) and owed.amount_minor > 0


def _check_consent_words(consent: ConsentRecord) -> None:
    """A consent to cancel is the customer's own: their words, at least
    :data:`MIN_WORDS_SIGNS` letters or digits ("x" is nobody's request), and a click on their
    page (``web``) is theirs, never an agent's."""
    if reason_signs(consent.evidence) < MIN_WORDS_SIGNS:
        raise InvalidInput(
            f"write down what the customer said (at least {MIN_WORDS_SIGNS} letters or digits), "
            f"not {consent.evidence.strip()!r}", field="evidence", reason="consent_words_too_short",
            minimum=MIN_WORDS_SIGNS)
    if consent.channel is Channel.WEB and consent.by_agent:
        raise InvalidInput(
            "a request on the web is the customer's own click on their page; an agent records "
            "one made by phone, email or text", field="channel", reason="web_consent_by_agent")


def as_placed(case: Case, placed: Mapping[int, tuple[int, int]]) -> Case:
    """``case`` with each order at the (quantity, unit price in minor units) it was placed at,
    from ``placed`` (``ReadRepository.orders_as_placed``; an order missing from it stands as
    placed): what the customer paid, and so what a cancellation refunds."""
    orders = []
    for order in case.orders:
        first = placed.get(int(order.order_id))
        if first is not None:
            quantity, minor = first
            order = replace(order, quantity=quantity,
                            unit_price=Money(minor, order.unit_price.currency))
        orders.append(order)
    return replace(case, orders=tuple(orders))


@dataclass(frozen=True)
class ReplacedDiscount:
    """A discount choice the customer replaced by the cancellation, as the audit log keeps it
    (``case.cancelled_instead``): when it was cancelled and who took the request, the
    difference left unpaid, the refund and the points booked, and when the discount had been
    chosen (None when no entry says)."""

    cancelled_at: datetime
    cancelled_by: str
    replaced_choice: CustomerOption
    difference: Money
    refund: Money
    compensation_points: int
    discount_chosen_at: datetime | None = None


def replaced_discount(records: Sequence[AuditRecord]) -> ReplacedDiscount | None:
    """What a case's audit entries (oldest first) say of its latest cancellation instead of
    paying — with the latest choice recorded before it, the discount's — or None if it was
    never cancelled instead."""
    done = [r for r in records if r.event.action == CANCELLED_INSTEAD_ACTION]
    if not done:
        return None
    last = done[-1]
    before, after = last.event.before or {}, last.event.after or {}
    chosen = [r.occurred_at for r in records
              if r.event.action == CHOICE_RECORDED_ACTION and r.seq < last.seq]
    return ReplacedDiscount(
        last.occurred_at, last.event.actor, CustomerOption(before.get("choice", DISCOUNT.value)),
        Money.from_dict(before["difference"]), Money.from_dict(after["refund"]),
        int(after.get("compensation_points") or 0), chosen[-1] if chosen else None)

