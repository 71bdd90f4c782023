"""What a seller does with each order of a pricing incident (``domain.seller_orders``): send it
only once nothing can change it any more — the customer's choice kept it, or the deadline's keep
default did and the plan takes no late answer, or the incident closed with it standing (a
discount only once the difference is paid); hold it while anything is undecided; never send a
cancelled one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from test_incident_plan import AT_ORDER, DEADLINE, INCIDENT, NOW, WRONG, plan

from sagwa.domain.consent import ConsentRecord
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import Case, CaseStatus, IncidentStatus, OrderRecord
from sagwa.domain.seller_orders import OrderInstruction as I
from sagwa.domain.seller_orders import instruction_words, order_instruction

O = CustomerOption
S = IncidentStatus
ORDER = OrderRecord(1, "lee", 101, 2, WRONG, AT_ORDER, "placed")
AFTER = DEADLINE + timedelta(hours=1)


def _case(status: CaseStatus, choice: CustomerOption | None = None, *, told: bool = True,
          units: int = 2) -> Case:
    consent = (ConsentRecord("c1", "lee", choice, "web", NOW, "clicked", "customer")
               if choice else None)
    return Case("c1", INCIDENT.incident_id, "lee", (replace(ORDER, quantity=units),), WRONG,
                status, consent, told)


def _do(case: Case, terms=None, *, at=NOW, status: S = S.NOTIFYING, **facts) -> I:  # type: ignore[no-untyped-def]
    return order_instruction(case, case.orders[0], plan() if terms is None else terms,
                             incident_status=status, now=at, **facts)


@pytest.mark.parametrize(("case", "at", "expected"), [
    (_case(CaseStatus.NOTIFIED), NOW, I.HOLD_CHOICE),
    (_case(CaseStatus.ESCALATED), NOW, I.HOLD_CHOICE),  # escalated before the deadline
    (_case(CaseStatus.ESCALATED, O.TALK_TO_PERSON), NOW, I.HOLD_CALL),
    (_case(CaseStatus.RESOLVED, O.KEEP), NOW, I.SEND),
    (_case(CaseStatus.RESOLVED, O.CANCEL_WITH_COMPENSATION), NOW, I.DO_NOT_SEND),
    (_case(CaseStatus.DEFAULTED), AFTER, I.SEND),  # the keep default; no late answer counts
    (_case(CaseStatus.DEFAULTED, told=False), AFTER, I.HOLD_CALL),  # never told: owed a call
    (_case(CaseStatus.DEFAULTED, O.TALK_TO_PERSON), AFTER, I.HOLD_CALL),
])
def test_each_case_state_says_what_to_do(case: Case, at, expected: I) -> None:  # type: ignore[no-untyped-def]
    assert _do(case, at=at) is expected


def test_a_keep_default_the_customer_may_still_answer_late_is_held() -> None:
    """A review: 'send' while a late cancel still counted (the seller shipped, then paid their
    share of the compensation for a cancelled order)."""
    late = plan(accept_late_choices=True)
    assert _do(_case(CaseStatus.DEFAULTED), late, at=AFTER) is I.HOLD_CHOICE
    assert _do(_case(CaseStatus.DEFAULTED), late, at=AFTER, status=S.CLOSED) is I.SEND


def test_a_call_made_or_an_incident_closed_ends_the_hold_for_the_call() -> None:
    """A review: 'hold: our staff will call' for good after the call was made and the incident
    closed."""
    calls = plan(default="follow_up_call")
    defaulted = _case(CaseStatus.DEFAULTED)
    assert _do(defaulted, calls, at=AFTER) is I.HOLD_CALL
    assert _do(defaulted, calls, at=AFTER, call_made=True) is I.HOLD_CHOICE  # may still answer
    assert _do(defaulted, calls, at=AFTER, unreachable=True) is I.HOLD_UNREACHABLE
    for facts in ({}, {"call_made": True}, {"unreachable": True}):
        assert _do(defaulted, calls, at=AFTER, status=S.CLOSED, **facts) is I.SEND


def test_a_keep_default_over_the_unit_cap_is_a_call_so_a_hold() -> None:
    capped = plan(keep_max_units=1)
    assert _do(_case(CaseStatus.DEFAULTED), capped, at=AFTER) is I.HOLD_CALL
    assert _do(_case(CaseStatus.DEFAULTED, units=1), capped, at=AFTER) is I.SEND


def test_the_discount_is_sent_only_once_the_difference_is_paid() -> None:
    case = _case(CaseStatus.RESOLVED, O.BUY_AT_CORRECT_PRICE_DISCOUNT)
    terms = plan(options=["keep", "buy_at_correct_price_discount"], discount_pct=20,
                 cancel_compensation=None)
    assert _do(case, terms, difference_owed=True) is I.HOLD_DIFFERENCE
    assert _do(case, terms, difference_owed=True, status=S.CLOSED) is I.HOLD_DIFFERENCE
    assert _do(case, terms, difference_owed=False) is I.SEND


def test_before_the_customers_are_asked_every_order_is_held_as_not_asked() -> None:
    """A review: 'the customer is choosing … until the deadline' before anyone was asked."""
    for status in (S.DRAFT, S.DECLARED, S.SCOPED, S.PLANNED):
        assert _do(_case(CaseStatus.OPEN), None if status is not S.PLANNED else plan(),
                   status=status) is I.HOLD_NOT_ASKED
    assert order_instruction(_case(CaseStatus.OPEN), ORDER, None, incident_status=S.SCOPED,
                             now=NOW) is I.HOLD_NOT_ASKED
    # a customer who phoned in and chose before the apologies: their choice stands
    assert _do(_case(CaseStatus.RESOLVED, O.KEEP), status=S.PLANNED) is I.SEND


def test_the_order_itself_comes_first() -> None:
    kept = _case(CaseStatus.RESOLVED, O.KEEP)
    assert order_instruction(kept, replace(ORDER, status="cancelled"), plan(),
                             incident_status=S.NOTIFYING, now=NOW) is I.DO_NOT_SEND
    assert order_instruction(kept, replace(ORDER, status="fulfilled"), plan(),
                             incident_status=S.NOTIFYING, now=NOW) is I.SENT


def test_every_instruction_has_words_in_both_languages() -> None:
    for instruction in I:
        ko, en = instruction_words(instruction, "ko"), instruction_words(instruction, "en")
        assert ko and en and ko != en
    assert I.HOLD_DIFFERENCE.holds and I.HOLD_NOT_ASKED.holds and not I.SEND.holds


def test_a_cancelled_order_is_not_said_to_be_refunded_already() -> None:
    """A legal review: sagwa only records the refund owed, and the seller was told "취소·환불됨"
    (refunded) at the moment of the customer's choice."""
    assert instruction_words(I.DO_NOT_SEND, "ko") == "보내지 마세요: 취소됨(환불 진행)"
    assert instruction_words(I.DO_NOT_SEND, "en") == "Do not send: cancelled (refund under way)"


def test_past_the_deadline_before_the_job_runs_the_default_is_what_happens() -> None:
    """A review: 'the customer may still answer' in the minutes between the deadline and its
    job, when a late answer is refused: the keep default is what the order gets."""
    waiting = _case(CaseStatus.NOTIFIED)
    assert _do(waiting, at=AFTER) is I.SEND
    assert _do(waiting, plan(accept_late_choices=True), at=AFTER) is I.HOLD_CHOICE
    assert _do(replace(waiting, told=False), at=AFTER) is I.HOLD_CHOICE  # never told: heard
    assert _do(_case(CaseStatus.ESCALATED, O.TALK_TO_PERSON), at=AFTER) is I.HOLD_CALL
    assert _do(waiting, plan(keep_max_units=1), at=AFTER) is I.HOLD_CHOICE  # over the cap: heard


def test_a_customer_who_asked_for_a_person_before_the_apologies_is_held_for_the_call() -> None:
    asked = _case(CaseStatus.ESCALATED, O.TALK_TO_PERSON)
    assert _do(asked, status=S.PLANNED) is I.HOLD_CALL
    assert _do(_case(CaseStatus.OPEN), status=S.PLANNED) is I.HOLD_NOT_ASKED


def test_each_order_sent_says_why() -> None:
    """A walkthrough: every reason for 'send' was listed once above the table; each row now
    says its own."""
    from sagwa.domain.seller_orders import reason_words, send_reason

    assert send_reason(_case(CaseStatus.RESOLVED, O.KEEP), S.NOTIFYING) == "kept"
    assert send_reason(_case(CaseStatus.RESOLVED, O.BUY_AT_CORRECT_PRICE_DISCOUNT),
                       S.NOTIFYING) == "discount_paid"
    assert send_reason(_case(CaseStatus.DEFAULTED), S.NOTIFYING) == "default_kept"
    assert send_reason(_case(CaseStatus.DEFAULTED), S.CLOSED) == "closed"
    assert send_reason(_case(CaseStatus.RESOLVED, O.KEEP), S.CLOSED) == "kept"  # their choice
    for reason in ("kept", "discount_paid", "closed", "default_kept"):
        assert reason_words(reason, "ko") != reason_words(reason, "en")
