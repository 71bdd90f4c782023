"""How long a customer's data is kept (domain.retention): the law's periods, counted as the
civil code counts them, and open matters that keep it with no end date."""

from __future__ import annotations

from datetime import UTC, datetime

from sagwa.domain.moments import SEOUL
from sagwa.domain.retention import (
    CustomerRecords,
    Hold,
    Kept,
    end_of_years,
    erasable_from,
    holding_now,
    holds,
)


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def test_a_period_starts_the_day_after_and_ends_the_day_before_the_same_date() -> None:
    # 6 December 2026 (any hour): kept through 6 December 2029, erasable from the 7th, 00:00 KST
    assert end_of_years(kst(2026, 12, 6, 23, 59), 3) == kst(2029, 12, 7)
    assert end_of_years(kst(2026, 12, 6, 0, 0), 3) == kst(2029, 12, 7)


def test_the_day_is_korea_times_not_utcs() -> None:
    # 2026-12-06 20:00 UTC is already 7 December in Korea
    assert end_of_years(datetime(2026, 12, 6, 20, 0, tzinfo=UTC), 3) == kst(2029, 12, 8)


def test_a_period_ending_on_a_29_february_that_does_not_exist_ends_with_february() -> None:
    # the event on 28 February 2028: counting starts 29 February; 2033 has no 29 February
    assert end_of_years(kst(2028, 2, 28, 12), 5) == kst(2033, 3, 1)
    # the event on 29 February 2028: counting starts 1 March
    assert end_of_years(kst(2028, 2, 29, 12), 3) == kst(2031, 3, 1)


def test_the_latest_of_the_laws_periods_decides() -> None:
    records = CustomerRecords(last_order_at=kst(2026, 6, 1), last_payment_at=kst(2026, 6, 20),
                              last_case_closed_at=kst(2026, 7, 1))
    # payments 5 years from 20 June 2026 outlast the dispute's 3 years from 1 July 2026
    assert erasable_from(records) == kst(2031, 6, 21)
    assert [h.kept for h in holds(records)] == [Kept.DISPUTES, Kept.ORDERS, Kept.PAYMENTS]


def test_a_dispute_alone_keeps_three_years() -> None:
    records = CustomerRecords(last_case_closed_at=kst(2026, 7, 1))
    assert erasable_from(records) == kst(2029, 7, 2)
    assert holding_now(records, kst(2029, 7, 1, 23, 59)) == [Hold(Kept.DISPUTES, kst(2029, 7, 2))]
    assert holding_now(records, kst(2029, 7, 2)) == []


def test_an_open_case_or_an_unpaid_refund_keeps_the_data_with_no_end() -> None:
    old = kst(2001, 1, 1)
    for records, kept in ((CustomerRecords(last_order_at=old, open_cases=1), Kept.OPEN_CASES),
                          (CustomerRecords(last_order_at=old, refunds_owed=2), Kept.REFUNDS_OWED)):
        assert erasable_from(records) is None
        assert [h.kept for h in holding_now(records, kst(2030, 1, 1))] == [kept]


def test_nothing_kept_may_go_at_once() -> None:
    assert holding_now(CustomerRecords(), kst(2026, 12, 6)) == []
    assert erasable_from(CustomerRecords()) < kst(1970, 1, 1)


def test_each_hold_says_what_is_kept_until_when_and_by_which_law() -> None:
    hold = Hold(Kept.DISPUTES, kst(2029, 12, 7))
    assert hold.describe("ko") == ("소비자 불만·분쟁 처리에 관한 기록(가격 오류 건): 2029-12-07부터 파기 "
                                   "가능 (전자상거래법 시행령 제6조 제1항 제4호 (3년))")
    assert "may be erased from 2029-12-07, Korea time" in hold.describe("en")
    assert "끝날 때까지 보관" in Hold(Kept.OPEN_CASES, None).describe("ko")
