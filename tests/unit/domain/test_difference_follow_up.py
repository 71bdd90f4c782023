"""When a difference still unpaid is next due a person's follow-up: a period after the choice;
after a contact, as it ended — a period after reaching the customer, the call spacing after a
call-back request or a try that did not reach them, a period after a whole round of missed
tries; a contact before the choice does not count."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sagwa.domain.difference_follow_up import Cadence, Contacts, days_waiting, follow_up_due
from sagwa.domain.moments import SEOUL

CHOSEN = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
WEEK, TWO_HOURS = timedelta(days=7), timedelta(hours=2)
CADENCE = Cadence(period=WEEK, spacing=TWO_HOURS, tries=3)
CALLED = CHOSEN + timedelta(days=8, hours=3)


def test_due_a_period_after_the_choice_without_a_contact() -> None:
    assert follow_up_due(CHOSEN, Contacts(), CADENCE) == CHOSEN + WEEK


def test_a_contact_that_reached_the_customer_rests_a_whole_period() -> None:
    assert follow_up_due(CHOSEN, Contacts(CALLED, "reached"), CADENCE) == CALLED + WEEK
    assert follow_up_due(CHOSEN, Contacts(CHOSEN, "reached"), CADENCE) == CHOSEN + WEEK


def test_a_call_back_request_comes_back_after_the_spacing() -> None:
    assert follow_up_due(CHOSEN, Contacts(CALLED, "callback_requested"), CADENCE) == (
        CALLED + TWO_HOURS)


def test_a_call_back_request_with_a_time_comes_back_at_that_time() -> None:
    monday_ten = CALLED + timedelta(days=3)
    asked = Contacts(CALLED, "callback_requested", callback_at=monday_ten)
    assert follow_up_due(CHOSEN, asked, CADENCE) == monday_ten
    sooner = CALLED + timedelta(minutes=30)  # "call me in half an hour": sooner than the spacing
    assert follow_up_due(CHOSEN, Contacts(CALLED, "callback_requested", callback_at=sooner),
                         CADENCE) == sooner


@pytest.mark.parametrize("outcome", ["no_answer", "busy", "voicemail", "wrong_number"])
@pytest.mark.parametrize(("missed", "after"), [(1, TWO_HOURS), (2, TWO_HOURS), (3, WEEK),
                                               (4, TWO_HOURS), (6, WEEK)])
def test_missed_tries_come_back_after_the_spacing_until_a_round_is_over(
        outcome: str, missed: int, after: timedelta) -> None:
    assert follow_up_due(CHOSEN, Contacts(CALLED, outcome, missed), CADENCE) == CALLED + after


def test_a_contact_before_the_choice_does_not_count() -> None:
    before = CHOSEN - timedelta(hours=1)
    for outcome in ("reached", "callback_requested", "no_answer"):
        assert follow_up_due(CHOSEN, Contacts(before, outcome, 1), CADENCE) == CHOSEN + WEEK


def test_days_waiting_counts_whole_days_and_never_below_zero() -> None:
    assert days_waiting(CHOSEN, CHOSEN + timedelta(days=6, hours=23)) == 6
    assert days_waiting(CHOSEN, CHOSEN + WEEK) == 7
    assert days_waiting(CHOSEN, CHOSEN - timedelta(minutes=5)) == 0  # two clocks disagreeing
