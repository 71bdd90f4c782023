"""When a difference still unpaid is next due a person's follow-up: ``after`` the choice, or
``after`` the latest contact since it; a contact before the choice does not count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.difference_follow_up import days_waiting, follow_up_due
from sagwa.domain.moments import SEOUL

CHOSEN = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
WEEK = timedelta(days=7)


def test_due_after_the_choice_without_a_contact() -> None:
    assert follow_up_due(CHOSEN, None, WEEK) == CHOSEN + WEEK


def test_a_contact_since_the_choice_restarts_the_wait() -> None:
    called = CHOSEN + timedelta(days=8, hours=3)
    assert follow_up_due(CHOSEN, called, WEEK) == called + WEEK
    assert follow_up_due(CHOSEN, CHOSEN, WEEK) == CHOSEN + WEEK  # at the same moment


def test_a_contact_before_the_choice_does_not_count() -> None:
    assert follow_up_due(CHOSEN, CHOSEN - timedelta(hours=1), WEEK) == CHOSEN + WEEK


def test_days_waiting_counts_whole_days_and_never_below_zero() -> None:
    assert days_waiting(CHOSEN, CHOSEN + timedelta(days=6, hours=23)) == 6
    assert days_waiting(CHOSEN, CHOSEN + WEEK) == 7
    assert days_waiting(CHOSEN, CHOSEN - timedelta(minutes=5)) == 0  # two clocks disagreeing


def test_a_customer_who_asked_to_be_called_back_is_due_again_soon() -> None:
    called = CHOSEN + timedelta(days=8)
    two_hours = timedelta(hours=2)
    assert follow_up_due(CHOSEN, called, WEEK, last_outcome="callback_requested",
                         callback_after=two_hours) == called + two_hours
    assert follow_up_due(CHOSEN, called, WEEK, last_outcome="no_answer",
                         callback_after=two_hours) == called + WEEK
    # asked before the choice: about something else
    assert follow_up_due(CHOSEN, CHOSEN - two_hours, WEEK, last_outcome="callback_requested",
                         callback_after=two_hours) == CHOSEN + WEEK
