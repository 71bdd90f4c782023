"""A time the customer asked to be called back at: only with a call-back request, with a time
zone, after now and at most two weeks ahead; each refusal says which."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sagwa.domain.call_attempts import (
    CALLBACK_REQUESTED,
    MAX_CALLBACK_AHEAD,
    OUTCOMES,
    check_callback_at,
)
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=SEOUL)  # a Friday afternoon


def _reason(outcome: str, at: datetime | None) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_callback_at(outcome, at, NOW)
    assert refused.value.details["field"] == "callback_at"
    return refused.value.details["reason"]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_no_time_is_always_fine(outcome: str) -> None:
    check_callback_at(outcome, None, NOW)


@pytest.mark.parametrize("ahead", [timedelta(minutes=1), timedelta(days=2, hours=17, minutes=30),
                                   MAX_CALLBACK_AHEAD])
def test_a_time_ahead_with_a_call_back_request(ahead: timedelta) -> None:
    check_callback_at(CALLBACK_REQUESTED, NOW + ahead, NOW)


def test_at_night_too_the_customer_chose_it() -> None:
    check_callback_at(CALLBACK_REQUESTED, datetime(2026, 12, 4, 21, 0, tzinfo=SEOUL), NOW)


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o != CALLBACK_REQUESTED])
def test_only_a_call_back_request_carries_a_time(outcome: str) -> None:
    assert _reason(outcome, NOW + timedelta(days=1)) == "callback_time_without_request"


def test_now_or_earlier_is_refused() -> None:
    assert _reason(CALLBACK_REQUESTED, NOW) == "callback_time_past"
    assert _reason(CALLBACK_REQUESTED, NOW - timedelta(hours=1)) == "callback_time_past"


def test_more_than_two_weeks_ahead_is_refused() -> None:
    assert _reason(CALLBACK_REQUESTED, NOW + MAX_CALLBACK_AHEAD + timedelta(minutes=1)) == (
        "callback_time_too_far")
    # a year typed wrong
    assert _reason(CALLBACK_REQUESTED, NOW.replace(year=2027)) == "callback_time_too_far"


def test_a_time_without_a_zone_is_refused() -> None:
    assert _reason(CALLBACK_REQUESTED, datetime(2026, 12, 7, 10, 0)) == (
        "callback_time_without_zone")
