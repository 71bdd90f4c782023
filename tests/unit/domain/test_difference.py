"""The difference the discount choice leaves to pay (``domain.difference``): the repriced orders
less what was paid as placed, only for a case the discount settled; the payment's reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.case_figures import case_figures
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.difference import MAX_NOTE, difference_of, payment_note
from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.incidents import Case, CaseStatus, OrderRecord
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput

KST = ZoneInfo("Asia/Seoul")
AT = datetime(2008, 6, 13, 9, 0, tzinfo=KST)
PAID, NOW = Money(19_900, "KRW"), Money(159_200, "KRW")  # 199,000 less 20%
CORRECT = Money(199_000, "KRW")


def _case(choice: CustomerOption | None, status: CaseStatus, *, repriced: bool = True,
          cancelled: bool = False) -> tuple[Case, dict[int, tuple[int, int]]]:
    """Two orders of 2 and 1 units at 19,900; with ``repriced``, at 159,200 now (as the discount
    leaves them); the mapping is the orders as placed."""
    price = NOW if repriced else PAID
    orders = (OrderRecord(1, 7, 101, 2, price, AT, "placed"),
              OrderRecord(2, 7, 101, 1, price, AT, "cancelled" if cancelled else "placed"))
    consent = (ConsentRecord(5, 7, choice, "web", AT, "clicked", "customer")  # type: ignore[arg-type]
               if choice else None)
    case = Case(5, 1, 7, orders, Money(537_300, "KRW"), status, consent)
    placed = {1: (2, PAID.amount_minor), 2: (1, PAID.amount_minor)} if repriced else {}
    return case, placed


def _difference(case: Case, placed: dict[int, tuple[int, int]]) -> Money:
    return difference_of(case, case_figures(case, placed, CORRECT))


def test_the_discount_leaves_the_new_total_less_what_was_paid() -> None:
    case, placed = _case(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CaseStatus.RESOLVED)
    assert _difference(case, placed) == Money(3 * (159_200 - 19_900), "KRW")


@pytest.mark.parametrize(("choice", "status"), [
    (CustomerOption.KEEP, CaseStatus.RESOLVED),
    (CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CaseStatus.CHOSEN),  # not applied yet
    (None, CaseStatus.NOTIFIED),
    (CustomerOption.TALK_TO_PERSON, CaseStatus.ESCALATED),
])
def test_nothing_is_owed_unless_the_discount_settled_the_case(
        choice: CustomerOption | None, status: CaseStatus) -> None:
    case, placed = _case(choice, status)
    assert _difference(case, placed) == Money(0, "KRW")


def test_a_discount_that_repriced_nothing_upwards_owes_nothing() -> None:
    case, placed = _case(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CaseStatus.RESOLVED,
                         repriced=False)
    assert _difference(case, placed) == Money(0, "KRW")
    cheaper = replace(case, orders=tuple(replace(o, unit_price=Money(9_950, "KRW"))
                                         for o in case.orders))
    assert _difference(cheaper, {1: (2, 19_900), 2: (1, 19_900)}) == Money(0, "KRW")


def test_a_refunded_order_is_not_counted_as_paid() -> None:
    case, placed = _case(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CaseStatus.RESOLVED,
                         cancelled=True)
    # the 2 units standing at 159,200 less the 2 units paid for them (the third was refunded)
    assert _difference(case, placed) == Money(2 * (159_200 - 19_900), "KRW")


def test_the_payment_reference_is_required_and_bounded() -> None:
    assert payment_note("  receipt 42 \n") == "receipt 42"
    assert payment_note("가" * MAX_NOTE) == "가" * MAX_NOTE
    for typed, reason in ((None, "payment_note_required"), ("\t ", "payment_note_required"),
                          ("x" * (MAX_NOTE + 1), "payment_note_too_long")):
        with pytest.raises(InvalidInput) as refused:
            payment_note(typed)
        assert refused.value.details == {"field": "note", "reason": reason}


@pytest.mark.parametrize("note", ["ok", "OK!", "!!!!", "12", "ㅇㅋ", "ㅋㅋㅋ", "돈", " . - ",
                                  # only "it was paid": a walkthrough recorded one with "paid"
                                  "paid", "Paid.", "done", "입금 완료", "결제완료!", "확인"])
def test_a_payment_note_that_says_nothing_to_check_is_refused(note: str) -> None:
    """Found by QA: a 453,600 KRW payment was recorded with the note "ok"."""
    with pytest.raises(InvalidInput) as refused:
        payment_note(note)
    assert refused.value.details == {"field": "note", "reason": "payment_note_too_short",
                                     "minimum": 3}


@pytest.mark.parametrize("note", ["현금", "이체", "카드", "ATM", "cash", "1234", "계좌이체 4821",
                                  "paid by card", "입금 확인 김민지"])
def test_a_short_note_that_says_how_it_was_paid_is_enough(note: str) -> None:
    """Two Hangul syllables say as much as three letters: "현금" (cash) is a way of paying."""
    assert payment_note(note) == note
