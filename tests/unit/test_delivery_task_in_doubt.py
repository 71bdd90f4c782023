"""The delivery job of a message in doubt (``Outcome.IN_DOUBT``: claimed within ``SEND_WINDOW``,
its lease gone with a database restart, so its worker may still be sending it) runs again once,
when the window ends — not every few seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from sagwa.jobs.tasks import DeliverLater, DeliveryRetry
from sagwa.jobs.tasks import deliver_message as deliver_task
from sagwa.services.delivery import Outcome
from sagwa.testing.own_thread import run_async

WINDOW_ENDS = datetime(2026, 12, 5, 3, 10, tzinfo=UTC)


class _Runtime:
    """A worker's delivery runtime whose attempt finds the message in doubt until 03:10."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome

    async def deliver(self, message_id: int) -> Outcome:
        return self.outcome

    async def due_at(self, message_id: int) -> datetime:
        return WINDOW_ENDS


def _run(outcome: Outcome) -> DeliverLater:
    context = SimpleNamespace(job=SimpleNamespace(attempts=0),  # the job's first run
                              additional_context={"delivery": _Runtime(outcome)})
    with pytest.raises(DeliverLater) as raised:
        run_async(deliver_task.func(context, message_id=7))
    return raised.value


def test_a_message_in_doubt_is_tried_again_once_its_window_has_ended() -> None:
    later = _run(Outcome.IN_DOUBT)

    assert WINDOW_ENDS < later.at <= WINDOW_ENDS + timedelta(seconds=5)
    assert "its worker may still be sending it" in str(later)
    assert "another worker holds" not in str(later)
    decision = DeliveryRetry().get_retry_decision(
        exception=later, job=SimpleNamespace(attempts=0))  # type: ignore[arg-type]
    assert decision is not None and decision.retry_at == later.at


def test_a_message_whose_lease_a_live_worker_holds_is_tried_again_in_seconds() -> None:
    later = _run(Outcome.BUSY)

    assert later.at - datetime.now(UTC) < timedelta(seconds=10)
    assert "another worker holds it" in str(later)
