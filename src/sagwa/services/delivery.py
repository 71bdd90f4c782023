"""Deliver one outbox message: claim it, send it with its idempotency key, record the outcome.

Delivery is at-least-once. The row is claimed (``pending`` → ``sending``, attempts + 1) and
committed before the provider is called, and marked ``sent`` after; a worker that dies in
between leaves it ``sending``, and the next attempt sends it again — with the same idempotency
key, which the provider uses to drop the repeat.

Who is sending right now is known from a lease, not a timestamp: the sender holds a PostgreSQL
advisory lock on the message for the whole attempt, in a transaction of its own. A worker that
dies loses its connection and with it the lock, so a ``sending`` row whose lease can be taken
is stale and may be claimed again; one whose lease is held is ``busy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.base import Envelope, MessageSender
from sagwa.errors import DeliveryFailed

MAX_ATTEMPTS = 6
_LEASE_NAMESPACE = 0x5A6A  # first key of pg_advisory_xact_lock(int, int): "sagwa outbox"


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_DONE = "already_done"  # sent, failed or withdrawn before: nothing to do
    NOT_DUE = "not_due"            # not_before is still ahead: deliver later
    RETRY = "retry"                # temporary failure, recorded; try again later
    FAILED = "failed"              # permanent failure or out of attempts, recorded
    BUSY = "busy"                  # another live worker holds the message's lease
    MISSING = "missing"


def deliver_message(session_factory: sessionmaker[Session],
                    senders: Mapping[str, MessageSender], message_id: int,
                    now: datetime) -> Outcome:
    """Try to deliver message ``message_id`` once; says what happened."""
    with session_factory() as lease:
        try:
            held = lease.scalar(select(func.pg_try_advisory_xact_lock(
                _LEASE_NAMESPACE, _lease_key(message_id))))
            if not held:
                return Outcome.BUSY
            return _deliver_leased(session_factory, senders, message_id, now)
        finally:
            # Ends the lease. Commit, not rollback: under a test's joined connection the
            # lease is the outer savepoint, and rolling it back would undo the claim.
            lease.commit()


def message_due_at(session_factory: sessionmaker[Session], message_id: int) -> datetime | None:
    """When a message may be sent (its ``not_before``), or None if there is no such message."""
    with session_factory() as session:
        due: datetime | None = session.scalar(
            select(outbox.c.not_before).where(outbox.c.id == message_id))
        return due


def _deliver_leased(session_factory: sessionmaker[Session],
                    senders: Mapping[str, MessageSender], message_id: int,
                    now: datetime) -> Outcome:
    claimed = _claim(session_factory, message_id, now)
    if isinstance(claimed, Outcome):
        return claimed
    envelope = Envelope(channel=claimed.channel, recipient=claimed.recipient,
                        locale=claimed.locale, subject=claimed.subject, body=claimed.body)
    try:
        sender = senders.get(claimed.channel)
        if sender is None:
            raise DeliveryFailed(f"no sender for channel {claimed.channel}", temporary=False)
        sender.send(envelope, idempotency_key=claimed.idempotency_key)
    except DeliveryFailed as exc:
        retry = exc.temporary and claimed.attempts < MAX_ATTEMPTS
        _finish(session_factory, message_id, status="pending" if retry else "failed",
                last_error=exc.message)
        return Outcome.RETRY if retry else Outcome.FAILED
    _finish(session_factory, message_id, status="sent", sent_at=now, last_error=None)
    return Outcome.SENT


def _claim(session_factory: sessionmaker[Session], message_id: int,
           now: datetime) -> Row[Any] | Outcome:
    """pending (or stale sending) → sending, attempts + 1, committed; or why not."""
    with session_factory() as session:
        conn = session.connection()
        claimed = conn.execute(
            update(outbox)
            .where(outbox.c.id == message_id, outbox.c.status.in_(("pending", "sending")),
                   outbox.c.not_before <= now, outbox.c.attempts < MAX_ATTEMPTS)
            .values(status="sending", attempts=outbox.c.attempts + 1)
            .returning(outbox.c.idempotency_key, outbox.c.channel, outbox.c.recipient,
                       outbox.c.locale, outbox.c.subject, outbox.c.body, outbox.c.attempts)
        ).one_or_none()
        if claimed is not None:
            session.commit()
            return claimed
        return _why_not_claimed(session, message_id, now)


def _why_not_claimed(session: Session, message_id: int, now: datetime) -> Outcome:
    conn = session.connection()
    row = conn.execute(select(outbox.c.status, outbox.c.not_before, outbox.c.attempts)
                       .where(outbox.c.id == message_id).with_for_update()).one_or_none()
    if row is None:
        return Outcome.MISSING
    if row.status in ("sent", "failed", "withdrawn"):
        return Outcome.ALREADY_DONE
    if row.not_before > now:
        return Outcome.NOT_DUE
    conn.execute(update(outbox).where(outbox.c.id == message_id).values(
        status="failed", last_error=f"gave up after {row.attempts} attempts"))
    session.commit()
    return Outcome.FAILED


def _finish(session_factory: sessionmaker[Session], message_id: int, **values: Any) -> None:
    with session_factory() as session:
        session.connection().execute(
            update(outbox).where(outbox.c.id == message_id).values(**values))
        session.commit()


def _lease_key(message_id: int) -> int:
    return message_id % 2_147_483_647  # int4; a rare shared key only makes one message wait
