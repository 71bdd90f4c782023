"""Contact-centre hours: when a message asking a customer to act may go out."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagwa.domain.contact_hours import (
    ContactSchedule,
    contact_time_before,
    contact_time_between,
    is_korean_holiday,
    may_contact,
    next_contact_time,
)
from sagwa.errors import InvalidInput

KST = ZoneInfo("Asia/Seoul")
HOURS = {
    "mon": "09:00-18:00",
    "tue": "09:00-18:00",
    "wed": "09:00-18:00",
    "thu": "09:00-18:00",
    "fri": "09:00-18:00",
    "sat": "10:00-14:00",
    "sun": None,
}
SCHEDULE = ContactSchedule.from_mapping(HOURS, min_time_left=timedelta(hours=2))


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)  # type: ignore[misc]


def test_2008_declaration_thursday_evening_schedules_friday_morning() -> None:
    declared = kst(2008, 6, 12, 17, 30)  # Thursday, 30 minutes before closing
    assert not may_contact(SCHEDULE, declared)
    assert next_contact_time(SCHEDULE, declared) == kst(2008, 6, 13, 9, 0)


def test_utc_in_utc_out_computed_in_seoul() -> None:
    declared_utc = kst(2008, 6, 12, 17, 30).astimezone(UTC)
    result = next_contact_time(SCHEDULE, declared_utc)
    assert result.tzinfo is UTC
    assert result == datetime(2008, 6, 13, 0, 0, tzinfo=UTC)


def test_open_with_enough_time_left_returns_now() -> None:
    now = kst(2008, 6, 12, 15, 59)
    assert may_contact(SCHEDULE, now)
    assert next_contact_time(SCHEDULE, now) == now


def test_exactly_min_time_left_before_closing_is_allowed() -> None:
    assert may_contact(SCHEDULE, kst(2008, 6, 12, 16, 0))
    assert not may_contact(SCHEDULE, kst(2008, 6, 12, 16, 0, 1))


def test_before_opening_waits_for_same_day_opening() -> None:
    assert next_contact_time(SCHEDULE, kst(2008, 6, 12, 7, 0)) == kst(2008, 6, 12, 9, 0)


def test_saturday_afternoon_skips_sunday_to_monday() -> None:
    # Saturday 2008-06-14 12:30: only 1h30 before 14:00 closing; Sunday closed.
    assert next_contact_time(SCHEDULE, kst(2008, 6, 14, 12, 30)) == kst(2008, 6, 16, 9, 0)


def test_korean_public_holiday_is_closed() -> None:
    # 2008-06-06 (Friday) was Memorial Day.
    assert is_korean_holiday(date(2008, 6, 6))
    assert not may_contact(SCHEDULE, kst(2008, 6, 6, 10, 0))
    assert next_contact_time(SCHEDULE, kst(2008, 6, 5, 17, 0)) == kst(2008, 6, 7, 10, 0)


def test_holidays_can_be_kept_open() -> None:
    open_on_holidays = ContactSchedule.from_mapping(HOURS, holidays_closed=False)
    assert may_contact(open_on_holidays, kst(2008, 6, 6, 10, 0))


def test_chuseok_block_2026_pushes_to_next_working_day() -> None:
    # 2026-09-24..26 Chuseok (Thu-Sat), Sunday closed: next is Monday 09:00.
    assert next_contact_time(SCHEDULE, kst(2026, 9, 23, 17, 0)) == kst(2026, 9, 28, 9, 0)


def test_mapping_may_carry_its_own_options() -> None:
    schedule = ContactSchedule.from_mapping(
        {
            **HOURS,
            "min_time_left_minutes": 30,
            "holidays_closed": False,
            "closed_dates": ["2008-06-13"],
        }
    )
    assert schedule.min_time_left == timedelta(minutes=30)
    assert may_contact(schedule, kst(2008, 6, 12, 17, 30))
    assert next_contact_time(schedule, kst(2008, 6, 12, 17, 45)) == kst(2008, 6, 14, 10, 0)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"mon": "9-18"}, "mon"),
        ({"tue": "18:00-09:00"}, "close before they open"),
        ({"wed": 9}, "wed"),
        ({"holiday": "x"}, "unknown keys"),
    ],
)
def test_bad_hours_are_refused_with_the_day_named(change: dict[str, object], needle: str) -> None:
    with pytest.raises(InvalidInput, match=needle):
        ContactSchedule.from_mapping({**HOURS, **change})


def test_every_weekday_must_be_named() -> None:
    partial = {k: v for k, v in HOURS.items() if k != "sun"}
    with pytest.raises(InvalidInput, match="missing"):
        ContactSchedule.from_mapping(partial)


def test_schedule_never_long_enough_is_refused() -> None:
    with pytest.raises(InvalidInput, match="never be sent"):
        ContactSchedule.from_mapping(
            {d: "09:00-10:00" for d in HOURS}, min_time_left=timedelta(hours=2)
        )


def test_naive_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="timezone-aware"):
        may_contact(SCHEDULE, datetime(2008, 6, 12, 10, 0))


def test_contact_time_between_counts_only_open_hours() -> None:
    # Thu 17:30 -> Mon 10:00: Thu 0:30 + Fri 9h + Sat 4h + Mon 1h.
    span = contact_time_between(SCHEDULE, kst(2008, 6, 12, 17, 30), kst(2008, 6, 16, 10, 0))
    assert span == timedelta(hours=14, minutes=30)
    assert contact_time_between(SCHEDULE, kst(2008, 6, 16), kst(2008, 6, 12)) == timedelta(0)


def test_contact_time_before_walks_back_over_closed_days() -> None:
    # 4 contact hours before Monday 10:00: Mon 1h, Sat 3h -> Saturday 11:00.
    assert contact_time_before(SCHEDULE, kst(2008, 6, 16, 10, 0), timedelta(hours=4)) == kst(
        2008, 6, 14, 11, 0
    )


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(now=moments)
def test_next_contact_time_is_inside_hours_and_never_before_now(now: datetime) -> None:
    result = next_contact_time(SCHEDULE, now)
    assert result >= now
    assert may_contact(SCHEDULE, result)
    local = result.astimezone(KST)
    assert not is_korean_holiday(local.date())
    assert local.weekday() != 6


@settings(max_examples=200, deadline=None)
@given(now=moments, minutes=st.integers(min_value=1, max_value=60 * 24 * 3))
def test_nothing_allowed_between_now_and_next_contact_time(now: datetime, minutes: int) -> None:
    result = next_contact_time(SCHEDULE, now)
    probe = now + timedelta(minutes=minutes)
    if probe < result:
        assert not may_contact(SCHEDULE, probe)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"min_time_left_minutes": "2h"}, "min_time_left_minutes"),
        ({"holidays_closed": "false"}, "holidays_closed"),
        ({"closed_dates": "2008-06-13"}, "closed_dates"),
        ({"closed_dates": ["13/06/2008"]}, "closed_dates"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_bad_options_in_the_mapping_are_refused(extra: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        ContactSchedule.from_mapping({**HOURS, **extra})
    assert info.value.details["field"] == field


def test_closed_dates_accept_date_values() -> None:
    schedule = ContactSchedule.from_mapping({**HOURS, "closed_dates": [date(2008, 6, 13)]})
    assert next_contact_time(schedule, kst(2008, 6, 12, 17, 30)) == kst(2008, 6, 14, 10, 0)
