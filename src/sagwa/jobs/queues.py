"""The queues sagwa's jobs run on, and what each runs: ``sagwa worker --queue`` takes these
names only (a name no job uses made a worker that idled for ever).

Whatever its queues, every worker also defers the periodic jobs (the audit anchor, the sellers'
orders to send, the daily erasure, the daily pruning of finished jobs: on ``desk``) and
puts back the message jobs of a worker that stopped sending its heartbeat (``jobs/worker.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sagwa.errors import InvalidInput
from sagwa.services.outbox import MESSAGE_QUEUE
from sagwa.services.promotion_end import MARKET_QUEUE
from sagwa.services.scheduled import DESK_QUEUE

#: Each queue's name and what its jobs do.
QUEUES: dict[str, str] = {
    MESSAGE_QUEUE: "queued emails and texts to customers and sellers (apologies, confirmations, "
                   "notices)",
    DESK_QUEUE: "the incident desk's reminders, escalations to the call list and deadlines, "
                "the sellers' emails of orders they can send every 30 minutes, "
                "the audit log's anchor every 15 minutes, and (with SAGWA_RETENTION_ERASE_DAILY) "
                "the daily erasure of customers no law keeps, and the daily deletion of jobs "
                "finished 14 days ago (failed: 90)",
    MARKET_QUEUE: "a promotion's price ended when the promotion ends",
}


def check_queues(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` as given, or :class:`InvalidInput` (``queue_unknown``) naming the known ones."""
    unknown = [name for name in names if name not in QUEUES]
    if unknown:
        raise InvalidInput(
            f"unknown queue {', '.join(repr(n) for n in unknown)}: the queues are "
            f"{', '.join(QUEUES)}", field="queues", reason="queue_unknown")
    return tuple(names)
