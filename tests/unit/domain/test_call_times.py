"""The time a customer picks on their page for the call they are owed: the times offered (open
hours on the hour, closed days and Korean holidays skipped, not too soon), which times are
refused and why, and which calls replace the picked time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sagwa.domain.call_attempts import MAX_CALLBACK_AHEAD, OUTCOMES
from sagwa.domain.call_times import call_replaces_time, call_slots, check_call_time
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput

SCHEDULE = ContactSchedule.from_mapping({
    "mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00",
    "fri": "09:00-18:00", "sat": "10:00-14:00", "sun": None})
NOW = datetime(2026, 12, 4, 16, 10, tzinfo=SEOUL)  # a Friday afternoon


def _hours(slots: list[datetime], day: date) -> list[int]:
    return [s.hour for s in slots if s.date() == day]


def test_open_hours_on_the_hour_from_now_plus_the_lead() -> None:
    slots = call_slots(SCHEDULE, NOW)
    assert slots == sorted(slots) and all(s.tzinfo is not None for s in slots)
    assert all(s.minute == 0 and s.utcoffset() == timedelta(hours=9) for s in slots)
    # Friday 16:10: 17:00 is the last hour with a whole hour before closing (16:00 is past)
    assert _hours(slots, date(2026, 12, 4)) == [17]
    assert _hours(slots, date(2026, 12, 5)) == [10, 11, 12, 13]  # Saturday 10-14
    assert _hours(slots, date(2026, 12, 6)) == []  # Sunday closed
    assert _hours(slots, date(2026, 12, 7)) == list(range(9, 18))  # Monday 09-18
    # eight calendar days from today: Friday to the Friday after
    assert max(slots).date() == date(2026, 12, 11)


def test_the_lead_keeps_a_time_too_soon_off_the_list() -> None:
    assert _hours(call_slots(SCHEDULE, NOW.replace(hour=16, minute=31)),
                  date(2026, 12, 4)) == []  # 17:00 is 29 minutes away
    assert _hours(call_slots(SCHEDULE, NOW.replace(hour=16, minute=30)),
                  date(2026, 12, 4)) == [17]


def test_korean_holidays_are_not_offered() -> None:
    # 2026-09-24 … 26 Chuseok (Thursday to Saturday)
    slots = call_slots(SCHEDULE, datetime(2026, 9, 23, 20, 0, tzinfo=SEOUL))
    days = {s.date() for s in slots}
    assert date(2026, 9, 24) not in days and date(2026, 9, 25) not in days
    assert date(2026, 9, 28) in days  # the Monday after


def test_a_time_given_in_utc_comes_back_in_korea_time() -> None:
    slots = call_slots(SCHEDULE, NOW.astimezone(UTC))
    assert slots == call_slots(SCHEDULE, NOW)
    assert slots[0].isoformat() == "2026-12-04T17:00:00+09:00"


def _refused(at: datetime) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        check_call_time(SCHEDULE, at, NOW)
    assert refused.value.details["field"] == "call_at"
    return refused.value


@pytest.mark.parametrize("at", [
    datetime(2026, 12, 7, 10, 0, tzinfo=SEOUL),  # Monday at ten
    datetime(2026, 12, 7, 9, 0, tzinfo=SEOUL),  # the opening minute
    datetime(2026, 12, 7, 17, 59, tzinfo=SEOUL),  # before closing
    datetime(2026, 12, 7, 1, 30, tzinfo=UTC),  # 10:30 in Seoul, said in UTC
    datetime(2026, 12, 4, 16, 11, tzinfo=SEOUL),  # a minute from now: allowed, not offered
])
def test_a_time_when_someone_is_there(at: datetime) -> None:
    check_call_time(SCHEDULE, at, NOW)


@pytest.mark.parametrize(("at", "reason"), [
    (NOW, "call_time_past"),
    (NOW - timedelta(hours=1), "call_time_past"),
    (datetime(2026, 12, 7, 18, 0, tzinfo=SEOUL), "call_time_closed"),  # the closing minute
    (datetime(2026, 12, 7, 8, 59, tzinfo=SEOUL), "call_time_closed"),
    (datetime(2026, 12, 6, 11, 0, tzinfo=SEOUL), "call_time_closed"),  # Sunday
    (datetime(2026, 12, 7, 10, 0), "call_time_without_zone"),
])
def test_refused_times_say_why(at: datetime, reason: str) -> None:
    assert _refused(at).details["reason"] == reason


def test_a_holiday_is_closed() -> None:
    with pytest.raises(InvalidInput) as refused:  # Christmas Day, a Friday
        check_call_time(SCHEDULE, datetime(2026, 12, 25, 11, 0, tzinfo=SEOUL),
                        datetime(2026, 12, 21, 11, 0, tzinfo=SEOUL))
    assert refused.value.details["reason"] == "call_time_closed"


def test_at_most_two_weeks_ahead() -> None:
    last = datetime(2026, 12, 18, 16, 0, tzinfo=SEOUL)  # a Friday, 13 days 23:50 ahead
    check_call_time(SCHEDULE, last, NOW)
    too_far = _refused(datetime(2026, 12, 21, 10, 0, tzinfo=SEOUL))
    assert too_far.details == {"field": "call_at", "reason": "call_time_too_far",
                               "max_days": MAX_CALLBACK_AHEAD.days}


PICKED = datetime(2026, 12, 7, 10, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(("channel", "outcome", "at", "replaces"), [
    ("phone", "no_answer", PICKED - timedelta(hours=1), False),  # tried early: the time stands
    ("phone", "busy", PICKED - timedelta(seconds=1), False),
    ("phone", "no_answer", PICKED, True),  # the call they asked for, not answered
    ("phone", "voicemail", PICKED + timedelta(hours=3), True),
    # talked to them before their time: it stands unless they name another (a callback) or
    # give their final answer (recording it clears the time: ``case_repo.save``)
    ("phone", "reached", PICKED - timedelta(days=1), False),
    ("phone", "reached", PICKED, True),  # the call they asked for
    ("phone", "callback_requested", PICKED - timedelta(days=1), True),  # their new wish
    ("email", "reached", PICKED + timedelta(hours=1), False),  # an email is no call
    ("sms", "no_answer", PICKED + timedelta(hours=1), False),
])
def test_which_calls_replace_the_picked_time(channel: str, outcome: str, at: datetime,
                                             replaces: bool) -> None:
    assert outcome in OUTCOMES
    assert call_replaces_time(PICKED, channel=channel, outcome=outcome,
                              attempted_at=at) is replaces


def test_nothing_to_replace_without_a_picked_time() -> None:
    assert not call_replaces_time(None, channel="phone", outcome="reached", attempted_at=NOW)
