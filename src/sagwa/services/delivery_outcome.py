"""Recording a delivery attempt's outcome (:mod:`sagwa.services.delivery`): only on the attempt
that made it, a send that went as ``sent`` even over a withdrawal decided while it was in doubt,
again after a deadlock, and while the database is gone until ``FINISH_WAIT`` after the attempt
began (a restart drops every pooled connection; the message already went, and leaving it
``sending`` would send it again once ``SEND_WINDOW`` passed)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.database import answers_within, first_line, is_database_gone
from sagwa.adapters.db.outbox_repo import (
    SEND_WINDOW,
    ClaimedMessage,
    MessageState,
    OutboxRepository,
    RecordedOutcome,
    fitted_provider_id,
)
from sagwa.services.message_audit import delivery_event

# delivery's own logger: an operator follows one message's lines in one place
logger = logging.getLogger("sagwa.services.delivery")


#: What :func:`record_attempt` says when it recorded the attempt's outcome (else: the row's status,
#: or ``"claimed again"``).
RECORDED = "recorded"


def record_attempt(session_factory: sessionmaker[Session], message_id: int,
                   claimed: ClaimedMessage, now: datetime, record_by: float, *, status: str,
                   last_error: str | None, sent_at: datetime | None = None,
                   provider_id: str | None = None) -> str:
    """Record the attempt's outcome, if it is still this attempt's to record
    (:func:`_recordable`); ``RECORDED``, or what was found instead. A send that went is
    recorded with its ``provider_id`` (the provider's id for it), in the same UPDATE."""
    found = [RECORDED]
    _log_unfitted(message_id, provider_id)

    def step() -> None:
        with session_factory() as session:
            repo = OutboxRepository(session.connection())
            state = repo.state_for_update(message_id)
            found[0] = _recordable(state, claimed, status) or RECORDED
            if state is None or found[0] != RECORDED:
                return
            if state.status == status:  # this step's own commit went before the connection
                return  # did: recorded already (and audited once)
            # a sent message with the address it went to and its provider's id; a failure
            # keeps the row's address, which an agent may have corrected while the send was
            # in doubt (the next try goes there)
            went = status == "sent"
            recorded = repo.record_outcome(
                message_id, status=status, last_error=last_error, sent_at=sent_at,
                recipient=claimed.recipient if went else None,
                provider_id=provider_id if went else None)
            audited(session, recorded, now)
            session.commit()
        _log_recorded_over(message_id, state, claimed)

    finish_retrying(step, message_id=message_id, database_back_by=record_by,
                    answers=_answers(session_factory))
    _log_not_recorded(message_id, found[0], status, last_error)
    return found[0]


def _recordable(state: MessageState | None, claimed: ClaimedMessage, status: str) -> str | None:
    """None if the attempt's outcome (``status``) goes on the row as it is now; else why not.

    Not once another worker claimed the message again (after ``SEND_WINDOW``: the claim time
    on the row is not this attempt's), however late this comes. Not a failure over what was
    decided meanwhile (withdrawn while in doubt: its lease went with a database restart). A
    send that went is recorded ``sent`` over that: the truth. A row that already has this
    outcome on this attempt's claim is this attempt's own record (a retried step whose first
    commit went through): recorded."""
    if state is None:
        return "missing"
    if state.claimed_at != claimed.claimed_at:
        return "claimed again"
    if state.status in ("sending", status) or status == "sent":
        return None  # the same status: this attempt's own record, a retried step found it
    return state.status


def _log_unfitted(message_id: int, provider_id: str | None) -> None:
    """A WARNING, with the id whole, when the provider's id does not fit the outbox as it is
    (``fitted_provider_id``: cut short, or a NUL byte dropped): the row keeps what fits."""
    if provider_id is None:
        return
    kept = fitted_provider_id(provider_id)
    if kept != (provider_id or None):
        logger.warning("message %s: the provider's id %r does not fit the outbox whole (too "
                       "long, or a NUL byte): kept as %r", message_id, provider_id, kept)


def _log_recorded_over(message_id: int, state: MessageState, claimed: ClaimedMessage) -> None:
    """A WARNING when the outcome went over what was decided while the send was in doubt."""
    if state.status != "sending":
        logger.warning("message %s: marked %s while its send was in doubt, but it had gone "
                       "out: recorded sent", message_id, state.status)
    elif state.recipient != claimed.recipient:
        logger.warning("message %s: its address was corrected while its send was in doubt; "
                       "recorded with the address it went to", message_id)


def _log_not_recorded(message_id: int, found: str, status: str,
                      last_error: str | None) -> None:
    if found == "claimed again":
        logger.warning("message %s: claimed again by another worker since this attempt (its "
                       "outcome came after the send window): this attempt's outcome (%s) is "
                       "not recorded over that one", message_id, status)
    elif found == "withdrawn":
        logger.info("message %s: withdrawn while its send was in doubt; the attempt failed "
                    "(%s): it stays withdrawn", message_id, last_error)


def _answers(session_factory: sessionmaker[Session]) -> Callable[[float], bool] | None:
    """Whether the session factory's database answers a connection of its own within a given
    time (:func:`answers_within`); None when its bind is no engine's."""
    bind = session_factory.kw.get("bind")
    engine = getattr(bind, "engine", None)
    if engine is None:
        return None
    return lambda seconds: answers_within(engine, seconds)


#: How many times the finishing step is tried when PostgreSQL aborts it to break a deadlock.
FINISH_TRIES = 5
#: SQLSTATEs of a transaction aborted only for what ran beside it: worth running again.
_TRY_AGAIN = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
#: How long after an attempt began its worker keeps trying to record the outcome while the
#: database is gone: a minute short of ``SEND_WINDOW``, after which another worker may claim
#: the message again and send it too. Each try is bounded (a probe first, ``PROBE_SECONDS``),
#: and a record that still comes later lands only on this attempt, never on that worker's
#: (:func:`_recordable`: the row's claim time).
FINISH_WAIT = SEND_WINDOW - timedelta(minutes=1)
#: The pauses between those tries (seconds): doubling from the first to the longest.
GONE_FIRST_PAUSE, GONE_LONGEST_PAUSE = 0.1, 5.0


def finish_retrying(step: Callable[[], None], *, message_id: int,
                    database_back_by: float | None = None,
                    answers: Callable[[float], bool] | None = None,
                    clock: Callable[[], float] = time.monotonic,
                    sleep: Callable[[float], None] = time.sleep) -> None:
    """Run the finishing step (one transaction, the same outcome however often it runs) until
    it is recorded: it records a message that already went, and leaving it ``sending`` would
    send it again. Again at once (``FINISH_TRIES`` in all) if PostgreSQL aborted it for a
    deadlock or a serialization failure: it takes the outbox row, an apology's case and the
    audit log's lock (``AUDIT_LOCK``), while a desk step (a deadline applied) takes the audit
    lock first and then case rows; a WARNING line per retry. Again after a pause while the
    database is gone (a restart drops every pooled connection), until ``database_back_by``
    (``clock()``, monotonic; None: not waited for); a WARNING line when it starts waiting and
    one when it is recorded. While it is gone, each try first asks ``answers(seconds)``
    whether it takes a connection within the time left (at most ``PROBE_SECONDS``): a
    black-holed database would hold the step's own connection attempt for minutes, past the
    deadline; the step runs only once it answered."""
    deadlocks, pause, gone_since = 0, GONE_FIRST_PAUSE, None
    while True:
        try:
            step()
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
            if code in _TRY_AGAIN and deadlocks + 1 < FINISH_TRIES:
                deadlocks += 1
                logger.warning("message %s: recording the delivery's outcome was aborted (%s), "
                               "trying again (%s/%s)", message_id, code, deadlocks + 1,
                               FINISH_TRIES)
                sleep(0.05 * deadlocks)
                continue
            if database_back_by is None or not is_database_gone(exc):
                raise
            if gone_since is None:
                gone_since = clock()
                logger.warning("message %s: the database went away before the delivery's "
                               "outcome was recorded (%s); trying again for up to %.0f s",
                               message_id, first_line(exc.orig or exc),
                               max(database_back_by - gone_since, 0))
            pause = _wait_for_database(exc, database_back_by, pause, answers, clock, sleep)
            continue
        if gone_since is not None:
            logger.warning("message %s: the delivery's outcome was recorded once the database "
                           "was back (after %.1f s)", message_id, clock() - gone_since)
        return


#: The longest one try asks a database that is gone whether it is back.
PROBE_SECONDS = 5.0


def _wait_for_database(exc: DBAPIError, back_by: float, pause: float,
                       answers: Callable[[float], bool] | None,
                       clock: Callable[[], float], sleep: Callable[[float], None]) -> float:
    """Pause (doubling ``pause`` each time) until the database answers, and return the next
    pause; raise ``exc`` when ``back_by`` would pass first."""
    while True:
        if clock() + pause > back_by:
            raise exc
        sleep(pause)
        pause = min(pause * 2, GONE_LONGEST_PAUSE)
        if answers is not None and not answers(min(PROBE_SECONDS, back_by - clock())):
            continue
        if clock() >= back_by:  # a probe may overrun a short time left (libpq: 2 s at least)
            raise exc
        return pause


def audited(session: Session, recorded: RecordedOutcome | None, now: datetime) -> None:
    """The delivery's audit record, if it ended (sent, failed for good), in ``session``."""
    event = None if recorded is None else delivery_event(recorded)
    if event is not None:
        AuditRepository(session.connection()).append(event, now)
