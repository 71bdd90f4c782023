"""A time the customer asked to be called back at: only with a call-back request, with a time
zone, after now and at most two weeks ahead; each refusal says which."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sagwa.domain.call_attempts import (
    CALLBACK_REQUESTED,
    MAX_CALLBACK_AHEAD,
    OUTCOMES,
    callback_after_deadline,
    check_callback_at,
)
from sagwa.domain.consent import ConsentRecord
from sagwa.domain.incidents import Case, CaseStatus
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money
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


def _case(choice: str | None) -> Case:
    consent = (ConsentRecord(1, 2, choice, "web", NOW, "pressed") if choice else None)
    return Case(1, 3, 2, (), Money(19_900, "KRW"), CaseStatus.ESCALATED if choice else
                CaseStatus.NOTIFIED, consent)


DEADLINE = NOW + timedelta(days=1)


@pytest.mark.parametrize(("at", "choosing", "choice", "flagged"), [
    (DEADLINE + timedelta(hours=1), True, None, True),  # by then the default has applied
    (DEADLINE, True, None, False),  # at the deadline: still in time
    (DEADLINE - timedelta(hours=1), True, None, False),
    (DEADLINE + timedelta(hours=1), False, None, False),  # no longer choosing anyway
    (DEADLINE + timedelta(hours=1), True, "talk_to_person", False),  # chooses on the call
    (None, True, None, False),
])
def test_a_time_after_the_deadline_is_flagged_unless_they_asked_for_a_person(
        at: datetime | None, choosing: bool, choice: str | None, flagged: bool) -> None:
    assert callback_after_deadline(at, DEADLINE, still_choosing=choosing,
                                   case=_case(choice)) is flagged
    assert not callback_after_deadline(at, None, still_choosing=choosing, case=_case(choice))
