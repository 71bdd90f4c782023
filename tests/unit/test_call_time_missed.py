"""A picked call time is missed once more than two *open* contact hours have passed since it
(``call_times.call_time_missed``): not over a Sunday after a Saturday 13:00 time, but by Monday
morning; the agent's card says how long ago in words."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.call_times import call_time_missed
from sagwa.domain.moments import SEOUL
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.call_time_offer import call_time_offer
from sagwa.web.pages.call_words import overdue_words

SCHEDULE = load_desk_policy().schedule  # weekdays 09-18, Saturdays 10-14, Korea time
SATURDAY_TEN = datetime(2026, 12, 5, 10, 0, tzinfo=SEOUL)
SATURDAY_ONE = datetime(2026, 12, 5, 13, 0, tzinfo=SEOUL)


def test_two_open_hours_past_the_time_is_missed_not_before() -> None:
    assert not call_time_missed(SCHEDULE, SATURDAY_TEN, SATURDAY_TEN + timedelta(hours=2))
    assert call_time_missed(SCHEDULE, SATURDAY_TEN, SATURDAY_TEN + timedelta(hours=2, minutes=1))
    assert not call_time_missed(SCHEDULE, None, SATURDAY_TEN)


def test_closed_hours_do_not_count() -> None:
    monday_nine_thirty = datetime(2026, 12, 7, 9, 30, tzinfo=SEOUL)
    assert not call_time_missed(SCHEDULE, SATURDAY_ONE, monday_nine_thirty)  # 1 h 30 open
    assert call_time_missed(SCHEDULE, SATURDAY_ONE, datetime(2026, 12, 7, 10, 1, tzinfo=SEOUL))


def test_the_offer_says_a_missed_time_and_not_one_just_come() -> None:
    policy = load_desk_policy()
    later = datetime(2026, 12, 7, 12, 0, tzinfo=SEOUL)
    assert call_time_offer(policy, later, SATURDAY_TEN, "ko").missed
    assert not call_time_offer(policy, SATURDAY_TEN + timedelta(minutes=30), SATURDAY_TEN,
                               "ko").missed


def test_overdue_words() -> None:
    assert overdue_words(timedelta(hours=5, minutes=40), "ko") == "약속 시간 5시간 지남"
    assert overdue_words(timedelta(hours=1), "en") == "1 hour past the time promised"
    assert overdue_words(timedelta(days=5, hours=3), "en") == "5 days past the time promised"
    assert overdue_words(timedelta(days=5, hours=3), "ko") == "약속 시간 5일 지남"


def test_noon_and_midnight_are_said_as_koreans_say_them() -> None:
    """Found by QA: the picker wrote noon "오후 12시" and midnight "오전 12시"."""
    from sagwa.services.desk_messages import format_when as spoken_when
    from sagwa.services.desk_messages import hour_words as spoken_hour

    noon = datetime(2026, 12, 7, 12, 0, tzinfo=SEOUL)
    assert spoken_hour(noon, "ko") == "낮 12시"
    assert spoken_hour(noon.replace(hour=0, minute=30), "ko") == "0시 30분"  # of that day
    assert spoken_when(noon.replace(hour=0), "ko") == "12월 7일(월) 0시"
    assert spoken_hour(noon.replace(hour=13), "ko") == "오후 1시"
    assert spoken_hour(noon, "en") == "12 pm"
    assert spoken_when(noon, "ko") == "12월 7일(월) 낮 12시"
    offer = call_time_offer(load_desk_policy(), datetime(2026, 12, 7, 9, 0, tzinfo=SEOUL),
                            None, "ko")
    assert (noon.isoformat(), "낮 12시") in offer.days[0][1]
