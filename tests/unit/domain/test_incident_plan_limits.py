"""A plan's compensation must be bookable by the ledger and its deadline within a sane horizon;
counting contact hours never overflows, whatever the datetime."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.contact_hours import ContactSchedule, contact_time_between
from sagwa.domain.incident_plan import (
    DEFAULT_MAX_DEADLINE_AHEAD,
    MAX_DEADLINE_AHEAD,
    IncidentPlan,
    make_plan,
)
from sagwa.domain.incidents import declare
from sagwa.domain.ledger import credit_points
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.web.pages.error_texts import error_text

KST = ZoneInfo("Asia/Seoul")
NOW = datetime(2008, 6, 13, 9, 0, tzinfo=KST)  # Friday
SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)
INCIDENT = declare(
    incident_id="inc-1", listing_ids={101}, wrong_price=Money(19_900, "KRW"),
    correct_price=Money(199_000, "KRW"), window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),
    now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
    declared_by="operator:kim",
).incident  # fmt: skip
FAR = datetime.fromisoformat("9999-12-31T23:59:59-01:00")


def plan(**overrides: Any) -> IncidentPlan:
    args: dict[str, Any] = {
        "incident": INCIDENT, "options": ["keep", "cancel_with_compensation"],
        "deadline": datetime(2008, 6, 17, 18, 0, tzinfo=KST), "default": "keep",
        "seller_share_pct": 70, "platform_share_pct": 30, "now": NOW, "schedule": SCHEDULE,
        "cancel_compensation": Money(5_000, "KRW"),
    }  # fmt: skip
    return make_plan(**(args | overrides))


def refused(**overrides: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        plan(**overrides)
    return caught.value


def _ledger_books(points: int) -> bool:
    try:
        credit_points(customer_id=1, points=points, memo="m", seller_id=2, seller_share_pct=70)
    except InvalidInput:
        return False
    return True


# --- compensation the ledger cannot book ---


def test_compensation_the_ledger_refuses_to_book_is_a_plan_problem() -> None:
    exc = refused(cancel_compensation=Money(200_000_000, "KRW"))
    assert exc.details["problem_reasons"] == {"cancel_compensation": "above_ledger_limit"}
    assert "200,000,000 points" in exc.details["problems"]["cancel_compensation"]
    assert error_text(exc, "ko") == (
        "취소 보상 포인트가 한 번에 지급할 수 있는 한도를 넘습니다. 포인트를 줄여 주세요."
    )
    assert error_text(exc, "en") == (
        "The compensation is more points than can be paid at once; offer fewer points."
    )


def test_the_plan_accepts_exactly_what_the_ledger_books() -> None:
    largest = 1
    while _ledger_books(largest * 2):  # the ledger's limit, found by asking the ledger
        largest *= 2
    step = largest
    while step:
        if _ledger_books(largest + step):
            largest += step
        step //= 2
    assert plan(cancel_compensation=Money(largest, "KRW")).cancel_compensation == Money(
        largest, "KRW"
    )
    exc = refused(cancel_compensation=Money(largest + 1, "KRW"))
    assert exc.details["problem_reasons"] == {"cancel_compensation": "above_ledger_limit"}


def test_zero_compensation_is_still_a_plan() -> None:
    assert plan(cancel_compensation=Money(0, "KRW")).cancel_compensation == Money(0, "KRW")


def test_too_much_compensation_is_reported_with_the_other_problems() -> None:
    exc = refused(cancel_compensation=Money(10**12, "KRW"), seller_share_pct=60)
    assert exc.details["problem_reasons"] == {
        "cancel_compensation": "above_ledger_limit",
        "platform_share_pct": "shares_not_100",
    }


# --- a deadline too far ahead ---


def test_a_deadline_in_year_9999_is_refused_at_once_without_overflowing() -> None:
    started = time.process_time()
    exc = refused(deadline=FAR)
    assert time.process_time() - started < 1  # counting contact hours to 9999 took ~11 s
    assert exc.details["problem_reasons"] == {"deadline": "deadline_too_far"}
    assert exc.details["problems"]["deadline"] == (
        "the deadline must be at most 14 days after now (the desk policy's [sla] "
        "max_deadline_days): until customers answer, their paid orders are neither shipped nor "
        "refunded")
    assert exc.details["max_deadline_days"] == 14
    assert error_text(exc, "ko") == (
        "답변 기한은 지금부터 14일 안으로 정해 주세요. 고객이 답할 때까지 결제된 주문은 발송도 환불도 되지 "
        "않아, 데스크 정책([sla] max_deadline_days)이 기한을 이만큼으로 제한합니다.")
    assert error_text(exc, "en") == (
        "The deadline must be at most 14 days from now: until customers answer, their paid "
        "orders are neither shipped nor refunded, so the desk policy ([sla] max_deadline_days) "
        "limits it.")


def test_by_default_a_plan_may_not_hold_paid_orders_more_than_two_weeks() -> None:
    # until customers answer, their paid orders are neither shipped nor refunded: 90 days was
    # the old horizon (a legal review found prepaid orders could sit that long)
    assert DEFAULT_MAX_DEADLINE_AHEAD == timedelta(days=14) < MAX_DEADLINE_AHEAD
    assert plan(now=LATER, deadline=LATER + timedelta(days=14)).deadline == \
        LATER + timedelta(days=14)
    exc = refused(now=LATER, deadline=LATER + timedelta(days=21))
    assert exc.details["problem_reasons"] == {"deadline": "deadline_too_far"}


#: An hour after opening: a deadline exactly 14 (or 90, or 200) days on falls inside the centre's
#: hours (at the opening minute it would be refused: nobody to call since the evening before).
LATER = NOW + timedelta(hours=1)


def test_the_horizon_is_inclusive() -> None:
    assert plan(now=LATER, deadline=LATER + DEFAULT_MAX_DEADLINE_AHEAD).deadline == \
        LATER + DEFAULT_MAX_DEADLINE_AHEAD
    exc = refused(now=LATER, deadline=LATER + DEFAULT_MAX_DEADLINE_AHEAD + timedelta(seconds=1))
    assert exc.details["problem_reasons"] == {"deadline": "deadline_too_far"}


def test_the_horizon_can_be_set_per_call() -> None:
    deadline = LATER + timedelta(days=200)
    assert plan(now=LATER, deadline=deadline,
                max_deadline_ahead=timedelta(days=365)).deadline == deadline
    exc = refused(deadline=NOW + timedelta(days=8), max_deadline_ahead=timedelta(days=7))
    assert exc.details["problems"]["deadline"].startswith(
        "the deadline must be at most 7 days after now")
    assert exc.details["max_deadline_days"] == 7


# --- counting contact hours at the ends of the calendar ---


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (FAR - timedelta(days=10), FAR),
        (datetime.fromisoformat("0001-01-01T00:00:00+14:00"), datetime(1, 1, 20, tzinfo=UTC)),
        (datetime.max.replace(tzinfo=UTC) - timedelta(days=1), datetime.max.replace(tzinfo=UTC)),
        (FAR - timedelta(hours=1), FAR),
    ],
    ids=["to-9999-at-minus-1h", "from-year-1-at-plus-14h", "last-day-utc", "both-past-the-end"],
)
def test_contact_time_between_never_overflows(start: datetime, end: datetime) -> None:
    counted = contact_time_between(SCHEDULE, start, end)
    assert timedelta(0) <= counted <= end - start


def test_contact_time_near_the_end_of_the_calendar_still_counts_open_hours() -> None:
    # from Monday 9999-12-20: eight working days of 9 h (Mon 20 .. Fri 24, Mon 27 .. Wed 29)
    # before the count stops two days short of the calendar's end (Thu 30, 08:59 KST)
    start = datetime(9999, 12, 20, 0, 0, tzinfo=KST)
    assert contact_time_between(SCHEDULE, start, FAR) == timedelta(hours=72)


# --- contact time counted from the first moment customers can be told (as notify counts it) ---


def test_contact_time_is_counted_from_the_first_send_not_from_now() -> None:
    """Wednesday 16:30, 1.5 h before closing with 2 h needed: nobody is told before Thursday
    09:00, so Monday 14:00 leaves 23 h (24.5 h counted from now) and is refused; 15:00 is 24 h."""
    schedule = ContactSchedule.from_mapping(
        {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": None, "sun": None}, min_time_left=timedelta(hours=2), holidays_closed=False)
    wednesday = datetime(2008, 6, 11, 16, 30, tzinfo=KST)
    too_close = refused(now=wednesday, schedule=schedule,
                        deadline=datetime(2008, 6, 16, 14, 0, tzinfo=KST))
    assert too_close.details["problem_reasons"]["deadline"] == "too_little_contact_time"
    assert plan(now=wednesday, schedule=schedule,
                deadline=datetime(2008, 6, 16, 15, 0, tzinfo=KST)).deadline.hour == 15


def test_the_contact_time_refusal_words_contact_hours_never_days() -> None:
    """24 contact-centre hours are about three working days: "1 day" would mislead."""
    schedule = ContactSchedule.from_mapping(
        {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": None, "sun": None}, min_time_left=timedelta(hours=2), holidays_closed=False)
    wednesday = datetime(2008, 6, 11, 16, 30, tzinfo=KST)
    too_close = refused(now=wednesday, schedule=schedule,
                        deadline=datetime(2008, 6, 16, 14, 0, tzinfo=KST))
    assert ("the deadline leaves only 23 h of contact-centre hours after customers can first be "
            "told; customers need at least 24 h of contact-centre hours to reach a person"
            ) in too_close.message
