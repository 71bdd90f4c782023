"""Deliver one outbox message: claim it, send it with its idempotency key, record the outcome.

Delivery is at-least-once. The row is claimed (``pending`` → ``sending``, attempts + 1) and
committed before the provider is called, and marked ``sent`` after; a worker that dies in
between leaves it ``sending``, and the next attempt sends it again — with the same idempotency
key, which the provider uses to drop the repeat. A provider that takes no key (NHN Cloud SMS)
is asked instead: a message tried before (``ClaimedMessage.tried_before``) goes through its
sender's ``send_again`` (``senders.base.RetryAwareSender``), which looks for an earlier attempt
that went and sends only if there is none.

Who is sending right now is known from a lease and a claim time: the sender holds a PostgreSQL
advisory lock on the message for the whole attempt, in a transaction of its own. A worker that
dies loses its connection and with it the lock, so a ``sending`` row whose lease can be taken
is stale and may be claimed again — once it was claimed more than ``SEND_WINDOW`` ago (the
longest a send can take, and a margin): a database restart frees every lease too, while the
workers that held them may still be sending, and another worker must not send the message a
second time meanwhile. Until then it is ``in_doubt`` (one WARNING line: it waits until the
window's end, when its job runs again); one whose lease is held is ``busy``. The window keeps a
second send away, not a withdrawal or a corrected address (``outbox_repo._waiting``): the
attempt in doubt, if it went, is recorded ``sent`` over a withdrawal made meanwhile (the truth,
and a WARNING line), with the address it went to; one that failed leaves the withdrawal be.

A message the customer did not just ask for (``UNPROMPTED``: the apology, its reminder, and the
note that the deadline's default was applied; with the reminder of an unpaid difference,
``HELD_OUTSIDE_HOURS``) is checked again when it is about to go out,
however late the worker is: outside the contact centre's hours (or with too little time left
before closing) it is not sent — its ``not_before`` moves to the next opening, attempts
unchanged, and it is ``not_due``. One that asks the customer to act (``ASKS_TO_ACT``) is
withdrawn after its incident plan's deadline, since the choice it asks for is no longer open.
An apology that fails for good and leaves its customer with no other way to be told puts
their case on the call list (:mod:`sagwa.services.desk_undelivered`).

A temporary failure (connection refused, a timeout, an SMTP 4xx) is tried again after
:func:`retry_delay` — 10 s doubling to at most an hour — for about a day
(``SAGWA_DELIVERY_RETRY_HOURS``; :func:`attempts_within` turns it into a number of attempts), so
an outage of the mail server delays messages instead of losing them. A permanent one (SMTP
5xx, a refused address) fails at once. Every failed attempt is logged (WARNING, one line,
no traceback); a message that fails for good, at ERROR.

A message marked ``sent`` keeps the provider's id its sender returned (``outbox.provider_id``:
an email's Message-ID, NHN's request id — of the earlier attempt, when ``send_again`` found that
one went), written in the UPDATE that marks it sent, so that an agent can find it in the
provider's console; a failed one has none.

A delivery that ends — sent, or failed for good — is an audit record (``message.sent``,
``message.failed``: :mod:`sagwa.services.message_audit`) written in the same transaction as the
outbox row's outcome; that transaction is run again if PostgreSQL aborts it to break a deadlock,
and while the database is gone (a restart: until ``FINISH_WAIT`` after the attempt began, short
of ``SEND_WINDOW``) (:mod:`sagwa.services.delivery_outcome`), since the message already went. It records the
outcome only on the attempt that made it (the row's claim time is still this attempt's): never
over another worker's claim after the window, however late it comes.

A text to a number an agent marked wrong on one of the customer's cases
(:mod:`sagwa.services.wrong_numbers`) is withdrawn when it is claimed, never sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.audit_repo import AUDIT_KEY_UNKNOWN, AuditRepository
from sagwa.adapters.db.database import is_database_gone
from sagwa.adapters.db.outbox_repo import (
    SEND_WINDOW,
    ClaimedMessage,
    OutboxRepository,
)
from sagwa.adapters.db.read_repo import ReadRepository
from sagwa.adapters.senders.base import Envelope, MessageSender, RetryAwareSender
from sagwa.domain.contact_hours import ContactSchedule, may_contact, next_contact_time
from sagwa.domain.moments import SEOUL
from sagwa.domain.wrong_numbers import TEXT_CHANNEL
from sagwa.errors import Conflict, DeliveryFailed
from sagwa.services.delivery_outcome import FINISH_WAIT, RECORDED, audited, record_attempt
from sagwa.services.desk_undelivered import escalate_if_undeliverable
from sagwa.services.outbox import ASKS_TO_ACT, HELD_OUTSIDE_HOURS
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.services.wrong_numbers import WITHHELD_WHY, texts_withheld_to

RETRY_BASE_SECONDS = 10
RETRY_CAP_SECONDS = 3600
DEFAULT_RETRY_HOURS = 24.0

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th attempt failed for a temporary reason."""
    doublings = min(max(attempts - 1, 0), 20)  # 2**20 × 10 s is far past the cap already
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** doublings, RETRY_CAP_SECONDS))


def attempts_within(hours: float) -> int:
    """How many attempts temporary failures get before a message fails: the first, and then
    as many as the retry delays fit until ``hours`` have passed since it."""
    attempts, waited = 1, timedelta()
    while waited < timedelta(hours=hours):
        waited += retry_delay(attempts)
        attempts += 1
    return attempts


#: Attempts of a message with the default retry window (about a day).
MAX_ATTEMPTS = attempts_within(DEFAULT_RETRY_HOURS)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_DONE = "already_done"  # sent, failed or withdrawn before: nothing to do
    NOT_DUE = "not_due"            # not_before is still ahead: deliver later
    RETRY = "retry"                # temporary failure, recorded; try again later
    FAILED = "failed"              # permanent failure or out of attempts, recorded
    BUSY = "busy"                  # another live worker holds the message's lease
    IN_DOUBT = "in_doubt"          # its lease is free but it was claimed within SEND_WINDOW:
    #                                its worker may still be sending it (the database restarted
    #                                under it); due again when the window ends (message_due_at)
    MISSING = "missing"
    WITHDRAWN = "withdrawn"        # asked the customer to act after the deadline, or a text
    #                                to a number marked wrong: never sent

PAST_DEADLINE = "withdrawn: the incident's answer deadline passed before it could be sent"


def deliver_message(session_factory: sessionmaker[Session],
                    senders: Mapping[str, MessageSender], message_id: int,
                    now: datetime, *, contact_hours: ContactSchedule | None = None,
                    max_attempts: int = MAX_ATTEMPTS) -> Outcome:
    """Try to deliver message ``message_id`` once; says what happened.

    ``contact_hours`` is the desk policy's schedule; every worker passes it. Without it the
    caller vouches that ``now`` is a fine time (the replay, which runs on its own clock).
    ``max_attempts``: how many attempts temporary failures get (:func:`attempts_within`)."""
    with session_factory() as lease:
        try:
            if not OutboxRepository(lease.connection()).try_lease(message_id):
                return Outcome.BUSY
            outcome = _deliver_leased(session_factory, senders, message_id, now, contact_hours,
                                      max_attempts)
        finally:
            _end_lease(lease)
    if outcome in (Outcome.FAILED, Outcome.ALREADY_DONE):
        # an apology that reached nobody: an agent calls instead. Also on ALREADY_DONE: a job
        # retried after this step failed (the database, a lock) finds the message failed
        # already, and the step must still happen; it is a no-op for a case already moved.
        escalate_if_undeliverable(SqlAlchemyUnitOfWork(session_factory, lambda: now),
                                  message_id=message_id)
    return outcome


def _end_lease(lease: Session) -> None:
    """Commit the lease's transaction, ending it. Commit, not rollback: under a test's joined
    connection the lease is the outer savepoint, and rolling it back would undo the claim. A
    lease whose connection the database dropped (a restart) has ended already."""
    try:
        lease.commit()
    except DBAPIError as exc:
        if not is_database_gone(exc):
            raise


def message_due_at(session_factory: sessionmaker[Session], message_id: int) -> datetime | None:
    """When a message may be sent (its ``not_before``; for one in doubt, once ``SEND_WINDOW``
    has passed since it was claimed), or None if there is no such message."""
    with session_factory() as session:
        return OutboxRepository(session.connection()).due_at(message_id)


def message_retry_at(session_factory: sessionmaker[Session], message_id: int,
                     now: datetime) -> datetime:
    """When to try again a message whose last attempt failed for a temporary reason."""
    with session_factory() as session:
        attempts = OutboxRepository(session.connection()).attempts_of(message_id)
    return now + retry_delay(attempts or 1)


def _deliver_leased(session_factory: sessionmaker[Session],
                    senders: Mapping[str, MessageSender], message_id: int,
                    now: datetime, contact_hours: ContactSchedule | None,
                    max_attempts: int) -> Outcome:
    # before the claim: the database's claim time, from which another worker counts
    # SEND_WINDOW, is later than this
    record_by = time.monotonic() + FINISH_WAIT.total_seconds()
    claimed = _claim(session_factory, message_id, now, contact_hours, max_attempts)
    if isinstance(claimed, Outcome):
        return claimed
    envelope = Envelope(channel=claimed.channel, recipient=claimed.recipient,
                        locale=claimed.locale, subject=claimed.subject, body=claimed.body)
    try:
        sender = senders.get(claimed.channel)
        if sender is None:
            raise DeliveryFailed(f"no sender for channel {claimed.channel}", temporary=False)
        provider_id = _send(sender, envelope, claimed)
    except DeliveryFailed as exc:
        retry = exc.temporary and claimed.attempts < max_attempts
        found = record_attempt(session_factory, message_id, claimed, now, record_by,
                               status="pending" if retry else "failed", last_error=exc.message)
        if found != RECORDED:  # withdrawn meanwhile, or another worker's now
            return Outcome.WITHDRAWN if found == "withdrawn" else Outcome.ALREADY_DONE
        _log_failure(message_id, claimed, max_attempts, exc, now if retry else None)
        return Outcome.RETRY if retry else Outcome.FAILED
    record_attempt(session_factory, message_id, claimed, now, record_by, status="sent",
                   sent_at=now, last_error=None, provider_id=provider_id)
    return Outcome.SENT


def _send(sender: MessageSender, envelope: Envelope, claimed: ClaimedMessage) -> str:
    """Send ``envelope``; one tried before by a sender that can ask its provider whether that
    went (:class:`RetryAwareSender`) through its ``send_again``. The provider's id for it (of
    the earlier attempt, when that went)."""
    if claimed.tried_before and isinstance(sender, RetryAwareSender):
        return sender.send_again(envelope, idempotency_key=claimed.idempotency_key,
                                 since=claimed.created_at)
    return sender.send(envelope, idempotency_key=claimed.idempotency_key)


def _log_failure(message_id: int, claimed: ClaimedMessage, max_attempts: int,
                 exc: DeliveryFailed, retry_from: datetime | None) -> None:
    """One line per failed attempt (an expected failure: no traceback); ERROR when it was the
    last."""
    attempt = f"message {message_id} ({claimed.channel}): attempt {claimed.attempts}/{max_attempts}"
    if retry_from is not None:
        again = retry_from + retry_delay(claimed.attempts)
        logger.warning("%s failed, next try at %s: %s", attempt,
                       again.isoformat(timespec="seconds"), exc.message)
    else:
        why = "temporary, attempts used up" if exc.temporary else "permanent"
        logger.error("%s failed for good (%s): %s", attempt, why, exc.message)


def contact_opening(contact_hours: ContactSchedule | None, purpose: str,
                    now: datetime) -> datetime | None:
    """When a message of ``purpose`` may go out if not at ``now``: the next contact opening
    for one that asks the customer to act while the centre is closed, else None (send now)."""
    if (contact_hours is None or purpose not in HELD_OUTSIDE_HOURS
            or may_contact(contact_hours, now)):
        return None
    return next_contact_time(contact_hours, now)


def _claim(session_factory: sessionmaker[Session], message_id: int, now: datetime,
           contact_hours: ContactSchedule | None, max_attempts: int) -> ClaimedMessage | Outcome:
    """pending (or stale sending) → sending, attempts + 1, committed; or why not."""
    closed = contact_hours is not None and not may_contact(contact_hours, now)
    with session_factory() as session:
        # a process that cannot record the send must not make it: it would be sent again and
        # again (an ops walk: a worker left on the old key after a rotation elsewhere)
        _refuse_unless_key_recordable(session)
        repo = OutboxRepository(session.connection())
        claimed = repo.claim(message_id, now=now, max_attempts=max_attempts,
                             held=HELD_OUTSIDE_HOURS if closed else (), deadline_bound=ASKS_TO_ACT)
        if claimed is not None and _to_wrong_number(session, claimed):
            # a text to a number an agent marked wrong (re-queued, or queued before the mark
            # by a path that missed it): its case link must not reach the stranger
            repo.record_outcome(message_id, status="withdrawn", last_error=WITHHELD_WHY)
            session.commit()
            return Outcome.WITHDRAWN
        if claimed is not None:
            session.commit()
            return claimed
        return _why_not_claimed(session, repo, message_id, now, contact_hours, max_attempts)


#: How long a worker trusts that the audit log is still written with a key it holds: a query
#: per message cost 4–8 % of delivery's throughput (bench/delivery.py, side by side). A key
#: rotated meanwhile lets the sends of those seconds go out unrecorded, to be sent again once
#: by a worker with the key (the outcome's own check refuses them, and stops this worker).
KEY_TRUSTED_FOR = 2.0
_key_fine_until: dict[tuple[str, str], float] = {}


def _refuse_unless_key_recordable(session: Session) -> None:
    """Conflict ``audit_key_unknown`` when this process could not record a send: the audit
    log's newest record holds a key it does not (rotated on another host)."""
    audit = AuditRepository(session.connection())
    which = (str(session.connection().engine.url), audit.keys.current.fingerprint)
    if _key_fine_until.get(which, 0.0) > time.monotonic():
        return
    refused = audit.key_refusal()
    if refused is not None:
        raise Conflict(refused, reason=AUDIT_KEY_UNKNOWN)
    _key_fine_until[which] = time.monotonic() + KEY_TRUSTED_FOR


@dataclass(frozen=True)
class _MarkReaders:
    reads: ReadRepository
    audit: AuditRepository


def _to_wrong_number(session: Session, claimed: ClaimedMessage) -> bool:
    """Whether ``claimed`` is a text to a number marked wrong on one of its customer's cases
    (``services.wrong_numbers``); reads nothing for an email."""
    if claimed.channel != TEXT_CHANNEL:
        return False
    conn = session.connection()
    return texts_withheld_to(_MarkReaders(ReadRepository(conn), AuditRepository(conn)),
                             case_id=claimed.case_id, customer_id=claimed.customer_id,
                             channel=claimed.channel, recipient=claimed.recipient)


def _why_not_claimed(session: Session, repo: OutboxRepository, message_id: int,
                     now: datetime, contact_hours: ContactSchedule | None,
                     max_attempts: int) -> Outcome:
    state = repo.state_for_update(message_id)
    if state is None:
        return Outcome.MISSING
    if state.status in ("sent", "failed", "withdrawn"):
        return Outcome.ALREADY_DONE
    if state.in_doubt_until is not None:  # its worker may be sending it still (its lease went
        # with a restart): not postponed, withdrawn or failed under it; its job runs again then
        _log_in_doubt(message_id, state.in_doubt_until)
        return Outcome.IN_DOUBT
    if state.not_before > now:
        return Outcome.NOT_DUE
    if state.purpose in ASKS_TO_ACT and state.deadline is not None and state.deadline <= now:
        repo.record_outcome(message_id, status="withdrawn", last_error=PAST_DEADLINE)
        session.commit()
        return Outcome.WITHDRAWN
    opening = contact_opening(contact_hours, state.purpose, now)
    if opening is not None and state.attempts < max_attempts:
        repo.postpone(message_id, opening)
        session.commit()
        return Outcome.NOT_DUE
    audited(session, repo.record_outcome(message_id, status="failed",
                                          last_error=f"gave up after {state.attempts} attempts"),
             now)
    session.commit()
    logger.error("message %s: failed for good, gave up after %s/%s attempts", message_id,
                 state.attempts, max_attempts)
    return Outcome.FAILED


def _log_in_doubt(message_id: int, until: datetime) -> None:
    logger.warning("message %s: waits until %s (Asia/Seoul): its worker may still be sending "
                   "it (claimed less than %.0f min ago; its lease went with the database)",
                   message_id, f"{until.astimezone(SEOUL):%H:%M}",
                   SEND_WINDOW.total_seconds() / 60)
