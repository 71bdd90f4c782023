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

from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.outbox_repo import ClaimedMessage, OutboxRepository
from sagwa.adapters.senders.base import Envelope, MessageSender
from sagwa.errors import DeliveryFailed

MAX_ATTEMPTS = 6


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
            if not OutboxRepository(lease.connection()).try_lease(message_id):
                return Outcome.BUSY
            return _deliver_leased(session_factory, senders, message_id, now)
        finally:
            # Ends the lease. Commit, not rollback: under a test's joined connection the
            # lease is the outer savepoint, and rolling it back would undo the claim.
            lease.commit()


def message_due_at(session_factory: sessionmaker[Session], message_id: int) -> datetime | None:
    """When a message may be sent (its ``not_before``), or None if there is no such message."""
    with session_factory() as session:
        return OutboxRepository(session.connection()).due_at(message_id)


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
           now: datetime) -> ClaimedMessage | Outcome:
    """pending (or stale sending) → sending, attempts + 1, committed; or why not."""
    with session_factory() as session:
        repo = OutboxRepository(session.connection())
        claimed = repo.claim(message_id, now=now, max_attempts=MAX_ATTEMPTS)
        if claimed is not None:
            session.commit()
            return claimed
        return _why_not_claimed(session, repo, message_id, now)


def _why_not_claimed(session: Session, repo: OutboxRepository, message_id: int,
                     now: datetime) -> Outcome:
    state = repo.state_for_update(message_id)
    if state is None:
        return Outcome.MISSING
    if state.status in ("sent", "failed", "withdrawn"):
        return Outcome.ALREADY_DONE
    if state.not_before > now:
        return Outcome.NOT_DUE
    repo.record_outcome(message_id, status="failed",
                        last_error=f"gave up after {state.attempts} attempts")
    session.commit()
    return Outcome.FAILED


def _finish(session_factory: sessionmaker[Session], message_id: int, *, status: str,
            last_error: str | None, sent_at: datetime | None = None) -> None:
    with session_factory() as session:
        OutboxRepository(session.connection()).record_outcome(
            message_id, status=status, last_error=last_error, sent_at=sent_at)
        session.commit()
