"""The apologies a test queued, marked sent as the worker marks them (``record_outcome``): a
case's customer counts as told (``first_notified_at``) from then, not from the queueing."""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy import select

from sagwa.adapters.db.tables import outbox
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def apologies_sent(uow: Callable[[], SqlAlchemyUnitOfWork],
                   failed_cases: Collection[int] = (), *,
                   left_pending: Collection[int] = ()) -> int:
    """Every pending apology marked sent at its ``not_before`` — but those to ``failed_cases``
    marked failed (their delivery failed: those customers are never told), and those to
    ``left_pending`` left as they are (the worker is down); how many sent."""
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.id, outbox.c.not_before, outbox.c.case_id).where(
            outbox.c.purpose == "resolution", outbox.c.status == "pending")).all()
        sent = 0
        for message_id, due, case_id in rows:
            if int(case_id) in left_pending:
                continue
            if int(case_id) in failed_cases:
                u.outbox.record_outcome(message_id, status="failed", last_error="550 no mailbox")
            else:
                u.outbox.record_outcome(message_id, status="sent", last_error=None, sent_at=due)
                sent += 1
        u.commit()
    return sent
