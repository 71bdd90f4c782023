"""Whose outcome goes on an outbox row (``delivery_outcome._recordable``): the attempt's own,
also when a retried recording step finds its first commit went through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.adapters.db.outbox_repo import ClaimedMessage, MessageState
from sagwa.services.delivery_outcome import _recordable

CLAIMED_AT = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
CLAIMED = ClaimedMessage("k-1", "sms", "010-1234-5678", "ko", "", "사과드립니다", 1,
                         claimed_at=CLAIMED_AT)


def _row(status: str, claimed_at: datetime = CLAIMED_AT) -> MessageState:
    return MessageState(status, CLAIMED_AT, 1, "apology", None, claimed_at=claimed_at,
                        recipient="010-1234-5678")


@pytest.mark.parametrize("outcome", ["pending", "failed", "sent"])
def test_a_row_already_bearing_this_attempts_outcome_is_recorded(outcome: str) -> None:
    """The step's commit went through before the connection dropped; run again, it finds its
    own record: recorded (a temporary failure then gets its retry), not "already done"."""
    assert _recordable(_row(outcome), CLAIMED, outcome) is None


def test_a_failure_leaves_a_withdrawal_and_a_send_goes_over_it() -> None:
    assert _recordable(_row("withdrawn"), CLAIMED, "failed") == "withdrawn"
    assert _recordable(_row("withdrawn"), CLAIMED, "sent") is None


def test_nothing_goes_over_another_workers_claim() -> None:
    later = _row("sending", CLAIMED_AT + timedelta(minutes=11))
    assert _recordable(later, CLAIMED, "sent") == "claimed again"
