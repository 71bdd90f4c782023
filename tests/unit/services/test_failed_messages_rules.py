"""Which failed messages ``sagwa messages retry-failed`` leaves failed, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sagwa.adapters.db.outbox_repo import FailedMessage
from sagwa.services.failed_messages import why_not_resend

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
APOLOGY = FailedMessage(message_id=1, purpose="resolution", channel="email", incident_id=7,
                        attempts=33, last_error="refused", case_status="escalated",
                        deadline=NOW + timedelta(days=2), copy_sent=False,
                        recipient="minji@example.com", recipient_now="Minji@example.com ")


def test_an_apology_to_a_customer_still_to_answer_goes_again() -> None:
    assert why_not_resend(APOLOGY, NOW) is None


def test_an_apology_to_a_customer_who_answered_stays_failed() -> None:
    assert why_not_resend(replace(APOLOGY, case_status="chosen"), NOW) == "answered"
    assert why_not_resend(replace(APOLOGY, case_status="resolved"), NOW) == "answered"


def test_a_request_to_choose_after_the_deadline_stays_failed() -> None:
    assert why_not_resend(replace(APOLOGY, deadline=NOW), NOW) == "past_deadline"


def test_a_message_whose_copy_was_sent_stays_failed() -> None:
    assert why_not_resend(replace(APOLOGY, copy_sent=True), NOW) == "copy_sent"


def test_a_confirmation_goes_again_whatever_the_case_became() -> None:
    confirmation = replace(APOLOGY, purpose="confirmation", case_status="resolved")
    assert why_not_resend(confirmation, NOW) is None


def test_a_message_for_an_address_the_customer_changed_or_removed_stays_failed() -> None:
    """From a review: re-sending the stored row sent a case link to an address the customer
    had disowned on the phone."""
    assert why_not_resend(replace(APOLOGY, recipient_now="new@example.com"),
                          NOW) == "recipient_changed"
    assert why_not_resend(replace(APOLOGY, recipient_now=None), NOW) == "recipient_changed"
    text = replace(APOLOGY, channel="sms", recipient="010-1234-0001",
                   recipient_now="01012340001")
    assert why_not_resend(text, NOW) is None  # the same number, written another way


def test_an_unprompted_message_of_a_case_that_moved_on_since_stays_failed() -> None:
    """From a review: a call made, a person asked for or a difference paid withdraw waiting
    messages, but not failed ones."""
    called = replace(APOLOGY, moved_on=("case.contact_attempted",))
    assert why_not_resend(called, NOW) == "case_moved_on"
    reminder = replace(APOLOGY, purpose="difference_reminder", case_status="resolved")
    assert why_not_resend(reminder, NOW) is None
    paid = replace(reminder, moved_on=("case.difference_paid",))
    assert why_not_resend(paid, NOW) == "case_moved_on"
    confirmation = replace(APOLOGY, purpose="confirmation", moved_on=("case.contact_attempted",))
    assert why_not_resend(confirmation, NOW) is None
