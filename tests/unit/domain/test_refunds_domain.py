"""A refund's due date: the third Korean business day after the cancellation's day in Korea
(전자상거래법 제18조) — weekends and Korean public holidays (설날, 추석, alternative holidays)
not counted; overdue the day after, while still owed; paid at a time that can be right."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagwa.domain.money import Money
from sagwa.domain.refunds import (
    Refund,
    RefundStatus,
    check_paid_at,
    check_reference,
    is_business_day,
    refund_due_by,
)
from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import REFUND_DAYS_BY_LAW

KST = ZoneInfo("Asia/Seoul")


def _due(*when: int) -> date:
    return refund_due_by(datetime(*when, tzinfo=KST), REFUND_DAYS_BY_LAW)  # type: ignore[misc]


@pytest.mark.parametrize(("cancelled", "due"), [
    # an ordinary week: Tuesday -> Friday; Friday -> the next Wednesday
    ((2026, 3, 10, 11, 0), date(2026, 3, 13)),
    ((2026, 3, 13, 11, 0), date(2026, 3, 18)),
    # Friday before 설날 2026 (Mon 16 to Wed 18 February): Thu 19, Fri 20, Mon 23
    ((2026, 2, 13, 17, 30), date(2026, 2, 23)),
    # Thursday before 개천절 (Fri 3 Oct) and 추석 2025 (Sun 5 to Tue 7, alternative holiday
    # Wed 8, 한글날 Thu 9): Fri 10, Mon 13, Tue 14
    ((2025, 10, 2, 9, 0), date(2025, 10, 14)),
    # Friday before 추석 2027 (Tue 14 to Thu 16 September): Mon 13, Fri 17, Mon 20
    ((2027, 9, 10, 16, 0), date(2027, 9, 20)),
    # a cancellation on a holiday counts from the day after it, as any other
    ((2026, 2, 17, 10, 0), date(2026, 2, 23)),
])  # fmt: skip
def test_the_refund_is_due_on_the_third_korean_business_day_after_the_cancellation(
        cancelled: tuple[int, ...], due: date) -> None:
    assert _due(*cancelled) == due


def test_the_day_is_koreas_whatever_zone_the_cancellation_was_recorded_in() -> None:
    # Friday 16:00 UTC is already Saturday 01:00 in Korea: counted from Saturday
    friday_utc = datetime(2026, 3, 13, 16, 0, tzinfo=UTC)
    assert refund_due_by(friday_utc, 3) == date(2026, 3, 18)
    saturday_in_korea = datetime(2026, 3, 13, 15, 0, tzinfo=UTC)  # 2026-03-14 00:00 KST
    assert refund_due_by(saturday_in_korea, 3) == date(2026, 3, 18)
    thursday_in_korea = datetime(2026, 3, 12, 14, 59, tzinfo=UTC)  # 23:59 KST
    assert refund_due_by(thursday_in_korea, 3) == date(2026, 3, 17)


def test_a_cancellation_time_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidInput):
        refund_due_by(datetime(2026, 3, 13, 11, 0), 3)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(KST)))
def test_the_due_date_is_a_business_day_with_exactly_three_business_days_counted(
        cancelled: datetime) -> None:
    due = refund_due_by(cancelled, 3)
    assert is_business_day(due)
    days = [cancelled.date() + timedelta(days=n)
            for n in range(1, (due - cancelled.date()).days + 1)]
    assert sum(map(is_business_day, days)) == 3


CANCELLED = datetime(2026, 2, 13, 17, 30, tzinfo=KST)
OWED = Refund(1, 10, 2, 3, 4, Money(19_900, "KRW"), CANCELLED, date(2026, 2, 23))


def test_owed_until_paid_and_overdue_only_after_the_due_day_ends() -> None:
    assert OWED.status is RefundStatus.OWED
    assert not OWED.overdue(datetime(2026, 2, 23, 23, 59, tzinfo=KST))
    assert OWED.overdue(datetime(2026, 2, 24, 0, 0, tzinfo=KST))
    assert OWED.overdue(datetime(2026, 2, 23, 15, 0, tzinfo=UTC))  # 24 Feb 00:00 in Korea
    paid = replace(OWED, paid_at=CANCELLED + timedelta(days=20), paid_reference="KB-1",
                   paid_by="admin:kim")
    assert paid.status is RefundStatus.PAID
    assert not paid.overdue(datetime(2026, 3, 30, tzinfo=KST))


@pytest.mark.parametrize(("paid_at", "reason"), [
    (CANCELLED - timedelta(seconds=1), "refund_paid_before_cancellation"),
    (datetime(2026, 2, 20, 12, 0) + timedelta(days=30), "refund_paid_at_without_zone"),
    (datetime(2026, 2, 20, 12, 1, tzinfo=KST), "refund_paid_at_future"),
])  # fmt: skip
def test_a_payment_time_that_cannot_be_right_is_refused(paid_at: datetime, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_paid_at(OWED, paid_at, datetime(2026, 2, 20, 12, 0, tzinfo=KST))
    assert (refused.value.details["reason"], refused.value.details["field"]) == (reason,
                                                                                "paid_at")


def test_a_payment_at_the_cancellation_or_now_is_taken() -> None:
    now = datetime(2026, 2, 20, 12, 0, tzinfo=KST)
    assert check_paid_at(OWED, CANCELLED, now) == CANCELLED
    assert check_paid_at(OWED, now, now) == now


def test_the_reference_is_required_stripped_and_bounded() -> None:
    assert check_reference("  KB 0219-77 ") == "KB 0219-77"
    for bad, reason in (("", "refund_reference_required"), (None, "refund_reference_required"),
                        ("x" * 201, "refund_reference_too_long")):
        with pytest.raises(InvalidInput) as refused:
            check_reference(bad)
        assert refused.value.details["reason"] == reason


# finance's payments file (sagwa refunds mark-paid --from-file): every row checked before any
# is written, each bad one reported with its line and reason
FILE_NOW = datetime(2026, 2, 27, 9, 0, tzinfo=KST)
PAID = replace(OWED, refund_id=2, paid_at=FILE_NOW, paid_reference="KB-0", paid_by="admin:kim")


def _found(*ids: int) -> dict[int, Refund]:
    return {1: OWED, 2: PAID} | {n: replace(OWED, refund_id=n) for n in ids}


def test_every_row_of_a_payments_file_is_checked_and_each_bad_one_reported() -> None:
    from sagwa.domain.refunds import PaymentLine
    from sagwa.services.refunds import check_payments

    lines = [PaymentLine(2, "1", "KB-1", ""), PaymentLine(3, "2", "KB-2", ""),
             PaymentLine(4, "9", "KB-3", ""), PaymentLine(5, "1", "KB-4", ""),
             PaymentLine(6, "x1", "KB-5", ""), PaymentLine(7, "3", "KB-6", "2026-02-28T09:00"),
             PaymentLine(8, "4", "  ", "2026-02-20"), PaymentLine(9, "5", "KB-8",
                                                              "2026-02-13T17:00"),
             PaymentLine(10, "6", "KB-9", "last tuesday")]
    with pytest.raises(InvalidInput) as refused:
        check_payments(lines, _found(3, 4, 5, 6), FILE_NOW)
    details = refused.value.details
    assert details["reason"] == "refund_file_refused"
    assert [(r["line"], r["reason"]) for r in details["rows"]] == [
        (3, "refund_already_paid"), (4, "refund_not_found"), (5, "refund_listed_twice"),
        (6, "refund_id_malformed"), (7, "refund_paid_at_future"),
        (8, "refund_reference_required"), (9, "refund_paid_before_cancellation"),
        (10, "refund_paid_at_malformed")]
    assert "line 2" in details["rows"][2]["message"]  # where the refund was listed first
    assert "8 rows" in refused.value.message and "nothing was marked" in refused.value.message


def test_a_good_payments_file_is_paid_at_its_times_in_korea_or_now() -> None:
    from sagwa.domain.refunds import PaymentLine
    from sagwa.services.refunds import check_payments

    paid = check_payments([PaymentLine(2, "1", " KB-1 ", ""),
                           PaymentLine(3, "３", "KB-2", "2026-02-20 15:00"),
                           PaymentLine(4, "4", "KB-3", "2026-02-20T06:00:00Z"),
                           PaymentLine(5, "5", "KB-4", " 2026-02-13 ")],  # a bank's day
                          _found(3, 4, 5), FILE_NOW)
    assert [(p.refund.refund_id, p.paid_at, p.reference) for p in paid] == [
        (1, FILE_NOW, "KB-1"), (3, datetime(2026, 2, 20, 15, 0, tzinfo=KST), "KB-2"),
        (4, datetime(2026, 2, 20, 6, 0, tzinfo=UTC), "KB-3"), (5, CANCELLED, "KB-4")]


def test_a_day_alone_is_paid_that_day_from_its_start_or_from_the_cancellation() -> None:
    """A finance walk: a bank file gives days, and "2026-12-07" was read as its midnight, so a
    refund cancelled that afternoon and paid that evening was refused as paid before it."""
    now = datetime(2026, 2, 20, 12, 0, tzinfo=KST)
    assert CANCELLED.astimezone(KST).date() == date(2026, 2, 13)
    assert check_paid_at(OWED, date(2026, 2, 13), now) == CANCELLED
    assert check_paid_at(OWED, date(2026, 2, 16), now) == datetime(2026, 2, 16, tzinfo=KST)
    assert check_paid_at(OWED, date(2026, 2, 20), now) == datetime(2026, 2, 20, tzinfo=KST)
    with pytest.raises(InvalidInput) as before:
        check_paid_at(OWED, date(2026, 2, 12), now)
    assert before.value.details["reason"] == "refund_paid_before_cancellation"
    assert "paid on 2026-02-12: its order was cancelled later, on 2026-02-13" in str(before.value)
    with pytest.raises(InvalidInput) as future:
        check_paid_at(OWED, date(2026, 2, 21), now)
    assert future.value.details["reason"] == "refund_paid_at_future"
    assert "today is 2026-02-20 in Korea" in str(future.value)


def test_a_day_to_mark_before_is_koreas_midnight_and_not_in_the_future() -> None:
    from sagwa.services.refunds import check_recorded_before

    assert check_recorded_before(date(2026, 2, 27), FILE_NOW) == datetime(2026, 2, 27,
                                                                          tzinfo=KST)
    assert check_recorded_before(date(2026, 2, 1), FILE_NOW) == datetime(2026, 2, 1, tzinfo=KST)
    with pytest.raises(InvalidInput) as refused:
        check_recorded_before(date(2026, 2, 28), FILE_NOW)
    assert refused.value.details["reason"] == "refund_recorded_before_future"


def test_a_payment_the_same_minute_before_its_cancellation_says_the_seconds() -> None:
    """A finance walk read "cannot have been paid at 23:47 …: cancelled later, at 23:47"."""
    cancelled = CANCELLED + timedelta(seconds=34)
    with pytest.raises(InvalidInput) as refused:
        check_paid_at(replace(OWED, cancelled_at=cancelled), CANCELLED + timedelta(seconds=30),
                      datetime(2026, 2, 20, 12, 0, tzinfo=KST))
    assert "paid at 2026-02-13 17:30:30 (Korea time)" in str(refused.value)
    assert "later, at 2026-02-13 17:30:34" in str(refused.value)
    with pytest.raises(InvalidInput) as earlier:  # minutes apart: to the minute, as before
        check_paid_at(OWED, CANCELLED - timedelta(hours=2),
                      datetime(2026, 2, 20, 12, 0, tzinfo=KST))
    assert f"{CANCELLED.astimezone(KST):%H:%M}" in str(earlier.value)
    assert f"{CANCELLED.astimezone(KST):%H:%M:%S}" not in str(earlier.value)
