"""What a seller does with each order of a pricing incident (``domain.seller_orders``): send it
once the customer's choice or the plan's default keeps it (a discount only once the difference
is paid), hold it while anything is undecided, never send a cancelled one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_incident_plan import AT_ORDER, INCIDENT, NOW, WRONG, plan

from sagwa.domain.consent import ConsentRecord
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import Case, CaseStatus, OrderRecord
from sagwa.domain.seller_orders import OrderInstruction as I
from sagwa.domain.seller_orders import instruction_words, order_instruction

O = CustomerOption
ORDER = OrderRecord(1, "lee", 101, 2, WRONG, AT_ORDER, "placed")


def _case(status: CaseStatus, choice: CustomerOption | None = None, *, told: bool = True,
          units: int = 2) -> Case:
    consent = (ConsentRecord("c1", "lee", choice, "web", NOW, "clicked", "customer")
               if choice else None)
    return Case("c1", INCIDENT.incident_id, "lee", (replace(ORDER, quantity=units),), WRONG,
                status, consent, told)


@pytest.mark.parametrize(("case", "expected"), [
    (_case(CaseStatus.NOTIFIED), I.HOLD_CHOICE),
    (_case(CaseStatus.ESCALATED), I.HOLD_CHOICE),  # escalated before the deadline: still choosing
    (_case(CaseStatus.ESCALATED, O.TALK_TO_PERSON), I.HOLD_CALL),
    (_case(CaseStatus.RESOLVED, O.KEEP), I.SEND),
    (_case(CaseStatus.RESOLVED, O.CANCEL_WITH_COMPENSATION), I.DO_NOT_SEND),
    (_case(CaseStatus.DEFAULTED), I.SEND),  # the default keeps it
    (_case(CaseStatus.DEFAULTED, told=False), I.HOLD_CALL),  # never told: owed a call
    (_case(CaseStatus.DEFAULTED, O.TALK_TO_PERSON), I.HOLD_CALL),
])
def test_each_case_state_says_what_to_do(case: Case, expected: I) -> None:
    assert order_instruction(case, case.orders[0], plan()) is expected


def test_a_keep_default_over_the_unit_cap_is_a_call_so_a_hold() -> None:
    capped = plan(keep_max_units=1)
    assert order_instruction(_case(CaseStatus.DEFAULTED), ORDER, capped) is I.HOLD_CALL
    assert order_instruction(_case(CaseStatus.DEFAULTED, units=1), replace(ORDER, quantity=1),
                             capped) is I.SEND


def test_the_discount_is_sent_only_once_the_difference_is_paid() -> None:
    case = _case(CaseStatus.RESOLVED, O.BUY_AT_CORRECT_PRICE_DISCOUNT)
    terms = plan(options=["keep", "buy_at_correct_price_discount"], discount_pct=20,
                 cancel_compensation=None)
    assert order_instruction(case, ORDER, terms, difference_owed=True) is I.HOLD_DIFFERENCE
    assert order_instruction(case, ORDER, terms, difference_owed=False) is I.SEND


def test_a_call_the_desk_gave_up_on_is_held_for_the_operator() -> None:
    asked = _case(CaseStatus.DEFAULTED, O.TALK_TO_PERSON)
    assert order_instruction(asked, ORDER, plan(), unreachable=True) is I.HOLD_UNREACHABLE
    untold = _case(CaseStatus.DEFAULTED, told=False)
    assert order_instruction(untold, ORDER, plan(), unreachable=True) is I.HOLD_UNREACHABLE
    # a kept order stays 'send' whatever the calls did
    assert order_instruction(_case(CaseStatus.DEFAULTED), ORDER, plan(), unreachable=True) is I.SEND


def test_the_order_itself_comes_first_and_no_plan_holds_everything() -> None:
    kept = _case(CaseStatus.RESOLVED, O.KEEP)
    assert order_instruction(kept, replace(ORDER, status="cancelled"), plan()) is I.DO_NOT_SEND
    assert order_instruction(kept, replace(ORDER, status="fulfilled"), plan()) is I.SENT
    assert order_instruction(_case(CaseStatus.OPEN), ORDER, None) is I.HOLD_CHOICE


def test_every_instruction_has_words_in_both_languages() -> None:
    for instruction in I:
        ko, en = instruction_words(instruction, "ko"), instruction_words(instruction, "en")
        assert ko and en and ko != en
    assert I.HOLD_DIFFERENCE.holds and not I.SEND.holds and not I.DO_NOT_SEND.holds
