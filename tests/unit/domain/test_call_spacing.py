"""Which call attempts count towards "could not be reached": spaced out, from the last counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sagwa.domain.call_attempts import (
    BEFORE_CALLBACK,
    OUTSIDE_HOURS,
    TOO_SOON,
    CallTried,
    counted_attempts,
    gives_up,
    owed_call,
    uncountable,
)

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


def test_calls_while_the_centre_is_closed_do_not_count() -> None:
    """A CS walk logged three "no answer" calls one evening (the page said not to call): the
    customer was marked could not be reached and told "we called you 3 times". Calls logged
    outside the contact hours are on the record but count for nothing."""
    evening = [CallTried(at, "no_answer", within_hours=False) for at in _at(0, 120, 240)]
    owed = owed_call(1, evening, TWO_HOURS)
    assert (owed.attempts, owed.last_counted, owed.not_counted) == (0, False, OUTSIDE_HOURS)
    assert not gives_up(owed, 3)
    day = [*evening, CallTried(T0 + timedelta(hours=14), "busy")]
    assert owed_call(1, day, TWO_HOURS).attempts == 1
    assert uncountable(day) == [OUTSIDE_HOURS] * 3 + [None]


def test_calls_before_the_time_the_customer_asked_for_do_not_count() -> None:
    monday_ten = T0 + timedelta(days=3)
    calls = [CallTried(T0, "callback_requested", callback_at=monday_ten),
             *(CallTried(at, "no_answer") for at in _at(120, 240, 360))]
    early = owed_call(1, calls, TWO_HOURS)
    assert (early.attempts, early.not_counted, early.callback_at) == (
        1, BEFORE_CALLBACK, monday_ten)
    assert not gives_up(early, 3)
    # at the time asked, whatever the hour (the customer chose it), the call counts; and the
    # request is answered: a later evening call is judged as any other
    at_time = [*calls, CallTried(monday_ten, "no_answer", within_hours=False),
               CallTried(monday_ten + timedelta(hours=3), "no_answer", within_hours=False)]
    assert uncountable(at_time)[-2:] == [None, OUTSIDE_HOURS]
    assert owed_call(1, at_time[:-1], TWO_HOURS).callback_at is None
    assert owed_call(1, at_time, TWO_HOURS).attempts == 2


def test_a_call_too_soon_says_so() -> None:
    calls = [CallTried(at, "no_answer") for at in _at(0, 30)]
    assert owed_call(1, calls, TWO_HOURS).not_counted == TOO_SOON
    assert owed_call(1, calls[:1], TWO_HOURS).not_counted is None
