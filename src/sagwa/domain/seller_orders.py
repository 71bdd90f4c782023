"""What a seller should do with each of their orders in a pricing incident: send it, hold it, or
not send it — and why, in words the seller's page shows.

In 2008 the seller and the platform blamed each other while customers waited; the seller did not
know which orders stood. The desk decides each order by the customer's consent (or the plan's
default), so the seller's part follows from the case alone:

* **send** — the order stands and the incident can no longer change it (the customer's
  ordinary right to withdraw after delivery, 청약철회, is untouched): the customer kept it, the
  plan's keep default kept it after the deadline and the plan takes no late answer, they bought
  at the discounted correct price and the difference (if any) was paid, or the incident closed
  with the order standing;
* **hold** — not yet decided: the customers have not been asked yet; the customer may still
  answer (before the deadline, or later when the plan takes late answers, or a reply by email
  or text that reached us by the deadline may still be recorded: until the close of the next
  open day of the contact centre); one of our staff
  will call them (they asked, or the default is a call); they chose the discount and have not
  paid the difference yet; or the desk gave up calling them (the operator decides);
* **do not send** — cancelled, its refund under way (sagwa records the refund owed; it pays
  none itself, so the seller is never told "refunded");
* **sent** — fulfilled already.

A hold is never a cancellation: the seller must not cancel an order the customer has not agreed
to cancel.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from sagwa.domain.incident_plan import (
    CustomerOption,
    DefaultAction,
    IncidentPlan,
    accepts_choice_at,
    default_outcome,
)
from sagwa.domain.incidents import Case, CaseStatus, IncidentStatus, OrderRecord
from sagwa.domain.orders import OrderStatus


class OrderInstruction(StrEnum):
    SEND = "send"
    HOLD_NOT_ASKED = "hold_not_asked"
    HOLD_CHOICE = "hold_choice"
    HOLD_CALL = "hold_call"
    HOLD_DIFFERENCE = "hold_difference"
    HOLD_UNREACHABLE = "hold_unreachable"
    DO_NOT_SEND = "do_not_send"
    SENT = "sent"

    @property
    def holds(self) -> bool:
        return self.value.startswith("hold_")


#: Statuses whose orders stand as the customer's own choice (``chosen`` lasts only inside the
#: transaction that applies the choice).
_SETTLED_BY_CHOICE = frozenset({CaseStatus.CHOSEN, CaseStatus.RESOLVED})
#: Incident statuses before the customers were asked (notify has not run).
_NOT_ASKED = frozenset({IncidentStatus.DRAFT, IncidentStatus.DECLARED, IncidentStatus.SCOPED,
                        IncidentStatus.PLANNED})


def order_instruction(case: Case, order: OrderRecord, plan: IncidentPlan | None, *,
                      incident_status: IncidentStatus, now: datetime,
                      difference_owed: bool = False, call_made: bool = False,
                      unreachable: bool = False,
                      replies_until: datetime | None = None) -> OrderInstruction:
    """What the seller does with ``order`` of ``case`` now.

    An order is sent only once nothing can change it any more: the customer's own choice kept
    it, or the deadline's keep default did and the plan takes no late answer — or the incident
    is closed with the order still standing. While the customer can still answer (before the
    deadline, or after it when the plan takes late answers, or a call is owed) it is held: a
    late cancellation after the seller sent it would cost the seller the goods and their share
    of the compensation (a review found 'send' on orders still open to a late cancel, and
    'hold' for good on orders whose owed call was made and whose incident was closed).

    ``difference_owed``: the discount choice left a difference not yet recorded as paid
    (``domain.difference``); ``call_made``: a call since the deadline reached the customer;
    ``unreachable``: the desk gave up calling them and no call reached them since;
    ``replies_until``: until when a reply by email or text that reached us by the deadline may
    still be recorded (``IncidentPlan.replies_recorded_by``): the keep default's orders are
    held until then (a reply recorded the morning after could still cancel one)."""
    if order.status == OrderStatus.CANCELLED.value:
        return OrderInstruction.DO_NOT_SEND
    if order.status == OrderStatus.FULFILLED.value:
        return OrderInstruction.SENT
    consent = case.consent
    final = consent is not None and consent.choice is not CustomerOption.TALK_TO_PERSON
    if final and case.status in _SETTLED_BY_CHOICE:
        assert consent is not None
        if consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT and difference_owed:
            return OrderInstruction.HOLD_DIFFERENCE
        if consent.choice is CustomerOption.CANCEL_WITH_COMPENSATION:
            return OrderInstruction.DO_NOT_SEND  # its effects cancel it in the same transaction
        return OrderInstruction.SEND
    if incident_status is IncidentStatus.CLOSED:
        return OrderInstruction.SEND  # still standing at the price paid: nothing can change it
    asked_for_call = consent is not None and consent.choice is CustomerOption.TALK_TO_PERSON
    if plan is None or incident_status in _NOT_ASKED:
        # a customer who phoned in before the apologies and asked for a person is on the call
        # list already
        return OrderInstruction.HOLD_CALL if asked_for_call else OrderInstruction.HOLD_NOT_ASKED
    answering = case.status is not CaseStatus.DEFAULTED and (
        asked_for_call or accepts_choice_at(plan, now, case))
    if answering:  # open, notified or escalated, and their answer still counts
        return OrderInstruction.HOLD_CALL if asked_for_call else OrderInstruction.HOLD_CHOICE
    # defaulted — or past the deadline with no answer that counts, the deadline job about to
    # apply the default: what the default does (a review found 'may still answer' there)
    call_owed = asked_for_call or default_outcome(
        replace(case, status=CaseStatus.DEFAULTED), plan) is DefaultAction.FOLLOW_UP_CALL
    if call_owed and unreachable:
        return OrderInstruction.HOLD_UNREACHABLE
    if call_owed and not call_made:
        return OrderInstruction.HOLD_CALL
    if call_owed or accepts_choice_at(plan, now, case):
        return OrderInstruction.HOLD_CHOICE  # the customer may still answer
    if replies_until is not None and now <= replies_until:
        return OrderInstruction.HOLD_CHOICE  # a reply that came in time may yet be recorded
    return OrderInstruction.SEND  # the keep default, and no late answer counts


def send_reason(case: Case, incident_status: IncidentStatus) -> str:
    """Why an order :func:`order_instruction` says to send is sent (each row of the seller's
    page says it; a walkthrough found one list of every possible reason above the table):
    ``kept`` (the customer kept it), ``discount_paid`` (bought at the discounted price, the
    difference paid or none owed), ``closed`` (the incident closed with it standing) or
    ``default_kept`` (the deadline's keep default, no late answer counting)."""
    consent = case.consent
    if consent is not None and case.status in _SETTLED_BY_CHOICE:
        if consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
            return "discount_paid"
        if consent.choice is CustomerOption.KEEP:
            return "kept"
    if incident_status is IncidentStatus.CLOSED:
        return "closed"
    return "default_kept"


_REASONS = {"kept": ("고객이 주문 유지를 골랐습니다", "the customer kept the order"),
            "discount_paid": ("정상가에서 할인된 가격으로 사고 차액을 냈습니다",
                              "bought at the discounted correct price, the difference paid"),
            "closed": ("주문이 유지된 채 사고가 종료되었습니다", "the incident closed with the order standing"),
            "default_kept": ("기한까지 답이 없어 주문이 유지되었습니다",
                             "kept when the customer did not answer by the deadline")}


def reason_words(reason: str, lang: str) -> str:
    """A send reason's words (:func:`send_reason`), Korean or English."""
    ko, en = _REASONS[reason]
    return ko if lang == "ko" else en


_WORDS: dict[OrderInstruction, tuple[str, str]] = {
    OrderInstruction.SEND: ("보내 주세요", "Send it"),
    OrderInstruction.HOLD_NOT_ASKED: ("보류: 아직 고객에게 묻기 전입니다",
                                      "Hold: the customers have not been asked yet"),
    OrderInstruction.HOLD_CHOICE: ("보류: 고객이 아직 답할 수 있습니다", "Hold: the customer may still answer"),
    OrderInstruction.HOLD_CALL: ("보류: 상담원이 고객과 통화합니다", "Hold: our staff will call the customer"),
    OrderInstruction.HOLD_DIFFERENCE: ("보류: 차액 결제를 기다립니다",
                                       "Hold: waiting for the difference to be paid"),
    OrderInstruction.HOLD_UNREACHABLE: ("보류: 고객과 연락이 닿지 않았습니다",
                                        "Hold: the customer could not be reached"),
    OrderInstruction.DO_NOT_SEND: ("보내지 마세요: 취소됨(환불 진행)",
                                   "Do not send: cancelled (refund under way)"),
    OrderInstruction.SENT: ("보냄", "Sent"),
}


def instruction_words(instruction: OrderInstruction, lang: str) -> str:
    """The instruction's short words for the seller's page, Korean or English."""
    ko, en = _WORDS[instruction]
    return ko if lang == "ko" else en
