"""The apologies a test queued, marked sent as the worker marks them (``record_outcome``): a
case's customer counts as told (``first_notified_at``) from then, not from the queueing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from sagwa.adapters.db.tables import outbox
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def apologies_sent(uow: Callable[[], SqlAlchemyUnitOfWork]) -> int:
    """Every pending apology marked sent at its ``not_before``; how many."""
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.id, outbox.c.not_before).where(
            outbox.c.purpose == "resolution", outbox.c.status == "pending")).all()
        for message_id, due in rows:
            u.outbox.record_outcome(message_id, status="sent", last_error=None, sent_at=due)
        u.commit()
    return len(rows)
