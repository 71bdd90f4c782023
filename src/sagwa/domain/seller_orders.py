"""What a seller should do with each of their orders in a pricing incident: send it, hold it, or
not send it — and why, in words the seller's page shows.

In 2008 the seller and the platform blamed each other while customers waited; the seller did not
know which orders stood. The desk decides each order by the customer's consent (or the plan's
default), so the seller's part follows from the case alone:

* **send** — the order stands: the customer kept it, the plan's default kept it after the
  deadline, or they bought at the discounted correct price and the difference (if any) was paid;
* **hold** — not yet decided: the customer is choosing until the deadline; one of our staff will
  call them (they asked, or the default is a call); they chose the discount and have not paid the
  difference yet; or the desk gave up calling them (the operator decides);
* **do not send** — cancelled and refunded;
* **sent** — fulfilled already.

A hold is never a cancellation: the seller must not cancel an order the customer has not agreed
to cancel.
"""

from __future__ import annotations

from enum import StrEnum

from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan, default_outcome
from sagwa.domain.incidents import Case, CaseStatus, OrderRecord
from sagwa.domain.orders import OrderStatus


class OrderInstruction(StrEnum):
    SEND = "send"
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


def order_instruction(case: Case, order: OrderRecord, plan: IncidentPlan | None, *,
                      difference_owed: bool = False, unreachable: bool = False) -> OrderInstruction:
    """What the seller does with ``order`` of ``case`` now.

    ``difference_owed``: the discount choice left a difference not yet recorded as paid
    (``domain.difference``); ``unreachable``: the desk gave up calling the customer and no call
    reached them since. ``plan`` is None before the incident is planned (nothing is decided)."""
    if order.status == OrderStatus.CANCELLED.value:
        return OrderInstruction.DO_NOT_SEND
    if order.status == OrderStatus.FULFILLED.value:
        return OrderInstruction.SENT
    consent = case.consent
    if plan is None:
        return OrderInstruction.HOLD_CHOICE
    if consent is not None and consent.choice is CustomerOption.TALK_TO_PERSON:
        return OrderInstruction.HOLD_UNREACHABLE if unreachable else OrderInstruction.HOLD_CALL
    if consent is not None and case.status in _SETTLED_BY_CHOICE:
        if consent.choice is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT and difference_owed:
            return OrderInstruction.HOLD_DIFFERENCE
        if consent.choice is CustomerOption.CANCEL_WITH_COMPENSATION:
            return OrderInstruction.DO_NOT_SEND  # its effects cancel it in the same transaction
        return OrderInstruction.SEND
    if case.status is CaseStatus.DEFAULTED:
        if default_outcome(case, plan) is DefaultAction.KEEP:
            return OrderInstruction.SEND
        return OrderInstruction.HOLD_UNREACHABLE if unreachable else OrderInstruction.HOLD_CALL
    return OrderInstruction.HOLD_CHOICE  # open, notified or escalated: not answered yet


_WORDS: dict[OrderInstruction, tuple[str, str]] = {
    OrderInstruction.SEND: ("보내 주세요", "Send it"),
    OrderInstruction.HOLD_CHOICE: ("보류: 고객이 선택하는 중입니다", "Hold: the customer is choosing"),
    OrderInstruction.HOLD_CALL: ("보류: 상담원이 고객과 통화합니다", "Hold: our staff will call the customer"),
    OrderInstruction.HOLD_DIFFERENCE: ("보류: 차액 결제를 기다립니다",
                                       "Hold: waiting for the difference to be paid"),
    OrderInstruction.HOLD_UNREACHABLE: ("보류: 고객과 연락이 닿지 않았습니다",
                                        "Hold: the customer could not be reached"),
    OrderInstruction.DO_NOT_SEND: ("보내지 마세요: 취소·환불됨", "Do not send: cancelled and refunded"),
    OrderInstruction.SENT: ("보냄", "Sent"),
}


def instruction_words(instruction: OrderInstruction, lang: str) -> str:
    """The instruction's short words for the seller's page, Korean or English."""
    ko, en = _WORDS[instruction]
    return ko if lang == "ko" else en
