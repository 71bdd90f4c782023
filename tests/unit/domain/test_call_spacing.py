"""Which call attempts count towards "could not be reached": spaced out, from the last counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sagwa.domain.call_attempts import counted_attempts, gives_up, owed_call

T0 = datetime(2008, 6, 18, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
TWO_HOURS = timedelta(hours=2)


def _at(*minutes: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in minutes]


def test_attempts_in_the_same_second_count_once() -> None:
    assert counted_attempts(_at(0, 0, 0), TWO_HOURS) == [True, False, False]


def test_spacing_is_measured_from_the_last_counted_attempt() -> None:
    assert counted_attempts(_at(0, 60, 120, 180, 240), TWO_HOURS) == [
        True, False, True, False, True]
    assert counted_attempts(_at(0, 119.9, 120), TWO_HOURS) == [True, False, True]


def test_an_earlier_clock_reading_does_not_count_and_zero_spacing_counts_all() -> None:
    assert counted_attempts(_at(0, -5), TWO_HOURS) == [True, False]
    assert counted_attempts(_at(0, 0, 0), timedelta(0)) == [True, True, True]


def test_only_a_counted_attempt_can_give_up() -> None:
    calls = list(zip(_at(0, 120, 240, 241), ["no_answer", "busy", "voicemail", "busy"],
                     strict=True))
    on_third = owed_call(1, calls[:3], TWO_HOURS)
    assert (on_third.attempts, on_third.last_counted) == (3, True) and gives_up(on_third, 3)
    too_soon = owed_call(1, calls, TWO_HOURS)
    assert (too_soon.attempts, too_soon.last_counted) == (3, False)
    assert not gives_up(too_soon, 3)
    assert too_soon.counts_from == T0 + timedelta(minutes=240) + TWO_HOURS
