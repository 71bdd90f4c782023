"""What became of the reminder of a difference once the payment is recorded — one rule
(``desk_difference.reminder_after_payment``) for the agent's case page and the case API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.difference import DifferencePaid
from sagwa.services.desk_difference import PAID_FIRST, reminder_after_payment

PAID_AT = datetime(2008, 6, 16, 3, 0, tzinfo=UTC)
PAID = DifferencePaid(PAID_AT, "agent:park", "transfer 0616")
DUE = PAID_AT + timedelta(hours=6)


def _reminder(status: str, sent_at: datetime | None = None,
              why: str | None = None) -> LatestMessage:
    return LatestMessage("email", status, DUE, sent_at, why)


@pytest.mark.parametrize(("reminder", "after"), [
    (_reminder("withdrawn", why=PAID_FIRST), "withdrawn"),
    (_reminder("withdrawn", why="the address was removed"), None),
    (_reminder("sent", PAID_AT - timedelta(minutes=1)), "sent_before"),
    (_reminder("sent", PAID_AT), "sent_after"),
    (_reminder("failed"), None),
    (None, None),
])
def test_once_paid_the_reminder_says_whether_it_went_first(reminder: LatestMessage | None,
                                                            after: str | None) -> None:
    assert reminder_after_payment(reminder, PAID) == after


def test_before_the_payment_there_is_nothing_to_say_after_it() -> None:
    assert reminder_after_payment(_reminder("withdrawn", why=PAID_FIRST), None) is None
    assert reminder_after_payment(_reminder("pending"), None) is None
