"""A time asked for ahead of now (a call-back, a note's follow-up): with a zone, after now, at
most so many days ahead. One check; each caller keeps its own field, reasons and words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from sagwa.domain.call_attempts import CALLBACK_REQUESTED, MAX_CALLBACK_AHEAD, check_callback_at
from sagwa.domain.future_times import check_future_time
from sagwa.domain.moments import SEOUL
from sagwa.domain.note_follow_ups import MAX_FOLLOW_UP_AHEAD, check_follow_up
from sagwa.errors import InvalidInput

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=SEOUL)
LATER = NOW + timedelta(days=20)


def _check(at: datetime) -> None:
    check_future_time(at, NOW, max_ahead=timedelta(days=3), what="the test time", field="at",
                      zone_reason="t_zone", past_reason="t_past", too_far_reason="t_far")


def _refusal(call: Callable[[], None]) -> tuple[str, dict[str, object]]:
    with pytest.raises(InvalidInput) as refused:
        call()
    return refused.value.message, refused.value.details


@pytest.mark.parametrize("ahead", [timedelta(seconds=1), timedelta(days=3)])
def test_a_zoned_time_ahead_within_the_limit_passes(ahead: timedelta) -> None:
    _check(NOW + ahead)


def test_each_refusal_carries_the_callers_field_reason_and_name_of_the_time() -> None:
    assert _refusal(lambda: _check(datetime(2026, 12, 5, 10, 0))) == (
        "the test time needs a time zone offset, e.g. 2026-12-07T10:00:00+09:00",
        {"field": "at", "reason": "t_zone"})
    assert _refusal(lambda: _check(NOW)) == (
        ("the test time 2026-12-04T16:30:00+09:00 is not in the future "
         "(now 2026-12-04T16:30:00+09:00)"), {"field": "at", "reason": "t_past"})
    assert _refusal(lambda: _check(NOW + timedelta(days=3, seconds=1))) == (
        "the test time 2026-12-07T16:30:01+09:00 is more than 3 days ahead",
        {"field": "at", "reason": "t_far", "max_days": 3})


def _call_back(at: datetime) -> None:
    check_callback_at(CALLBACK_REQUESTED, at, NOW)


def _follow_up(at: datetime) -> None:
    check_follow_up(note="재무팀 확인 후 연락", due_at=at, now=NOW)


NO_ZONE, PAST = datetime(2026, 12, 7, 10, 0), NOW - timedelta(minutes=1)
PAST_SAID = "2026-12-04T16:29:00+09:00 is not in the future (now 2026-12-04T16:30:00+09:00)"


@pytest.mark.parametrize(("check", "at", "message", "details"), [
    (_call_back, NO_ZONE,
     "the call-back time needs a time zone offset, e.g. 2026-12-07T10:00:00+09:00",
     {"field": "callback_at", "reason": "callback_time_without_zone"}),
    (_call_back, PAST, f"the call-back time {PAST_SAID}",
     {"field": "callback_at", "reason": "callback_time_past"}),
    (_call_back, LATER, "the call-back time 2026-12-24T16:30:00+09:00 is more than 14 days ahead",
     {"field": "callback_at", "reason": "callback_time_too_far",
      "max_days": MAX_CALLBACK_AHEAD.days}),
    (_follow_up, NO_ZONE,
     "the follow-up time needs a time zone offset, e.g. 2026-12-07T10:00:00+09:00",
     {"field": "follow_up_at", "reason": "follow_up_time_without_zone"}),
    (_follow_up, PAST, f"the follow-up time {PAST_SAID}",
     {"field": "follow_up_at", "reason": "follow_up_time_past"}),
    (_follow_up, LATER, "the follow-up time 2026-12-24T16:30:00+09:00 is more than 14 days ahead",
     {"field": "follow_up_at", "reason": "follow_up_time_too_far",
      "max_days": MAX_FOLLOW_UP_AHEAD.days}),
])  # fmt: skip
def test_each_caller_is_refused_in_its_own_words(check: Callable[[datetime], None], at: datetime,
                                                  message: str, details: dict[str, object]) -> None:
    assert _refusal(lambda: check(at)) == (message, details)
