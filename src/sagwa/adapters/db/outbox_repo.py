"""The outbox of messages to customers in PostgreSQL (``outbox``), and the delivery jobs it defers.

Queueing: ``enqueue`` COPYs rows into a per-transaction staging table and moves the new ones
(by idempotency key) into the outbox in one statement that also defers their procrastinate jobs;
``withdraw_pending`` withdraws messages that still wait (those whose lease is free, even in
doubt). Delivery: ``try_lease`` takes a message's advisory-lock lease, ``claim`` moves it to
``sending`` and stamps ``claimed_at`` (a ``sending`` row is claimed again only once its lease
is free and ``SEND_WINDOW`` has passed since: a database restart frees leases, not sends in
flight; leaving alone purposes held outside contact hours or past their incident plan's
deadline), ``state_for_update`` and ``record_outcome`` say why it was not claimed and how the
attempt ended, ``postpone`` moves a held message to a later ``not_before``, ``due_at`` when it
may be sent (for one in doubt, once the window has passed), ``pending_due`` which messages may
be sent now. Re-sending (``sagwa messages retry-failed``): ``failed_messages`` lists the
failed ones, ``requeue_failed`` makes them pending again with a new delivery job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Integer,
    Select,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.tables import (
    PROVIDER_ID_LENGTH,
    audit_log,
    cases,
    customers,
    domestic_phone_digits,
    incident_plans,
    outbox,
)
from sagwa.domain.catalog import domestic_digits

#: The item a per-item message's key names (``…:refund_paid:<refund id>``), as a POSIX regex
#: for ``substring``: the message is one of several of its case and purpose.
_ITEM_OF_KEY = ":refund_paid:[0-9]+"
COLUMNS = ("idempotency_key", "incident_id", "case_id", "customer_id", "purpose", "channel",
           "recipient", "locale", "subject", "body", "not_before", "status", "attempts",
           "created_at")
"""The outbox columns an ``enqueue`` row holds."""

#: The purpose of the apology that asks a customer to choose (``desk_notify``).
APOLOGY = "resolution"
_LEASE_NAMESPACE = 0x5A6A  # first key of pg_advisory_xact_lock(int, int): "sagwa outbox"
_LEASE_KEYS = 2_147_483_647  # second key: message id modulo this (int4; a rare shared key only
# makes one message wait)

#: The longest one send can take: ``SmtpSender``'s 30 s socket timeout (adapters/senders/smtp.py,
#: as ``senders_for`` builds it) on each of up to 12 blocking steps — a reused connection the
#: server dropped (MAIL, RCPT, DATA, end of data, QUIT as it is closed), then a fresh one
#: (connect, greeting, EHLO, MAIL, RCPT, DATA, end of data). A text takes far less: through
#: NHN Cloud SMS at most ``NhnSmsSender.longest_send_seconds`` (80 s with the look-up of an
#: earlier attempt; checked against this in tests/unit/test_nhn_sms_longest_send.py), to a local
#: file or nowhere without the network.
LONGEST_SEND = timedelta(seconds=12 * 30)
#: How long a claimed message may still be in its worker's hands after its lease is gone: a
#: database restart (or a lost connection) ends every advisory lock, not the sends in flight.
#: A ``sending`` row whose lease is free is claimed again only once it was claimed this long
#: ago: the longest send, and 4 min in which its worker records the outcome once the database
#: is back (``delivery_outcome.FINISH_WAIT`` stops a minute short of this) and clocks may differ. Claim
#: times are the database's clock (``now()``), so the workers' clocks do not matter. The window
#: keeps a second send away only: such a row may be withdrawn or readdressed meanwhile.
SEND_WINDOW = LONGEST_SEND + timedelta(minutes=4)

_STAGE_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS outbox_stage (n bigserial, idempotency_key text, "
    "incident_id bigint, case_id bigint, customer_id bigint, purpose text, channel text, "
    "recipient text, locale text, subject text, body text, not_before timestamptz, "
    "status text, attempts integer, created_at timestamptz) ON COMMIT DROP")
_COPY_STAGE = f"COPY outbox_stage ({', '.join(COLUMNS)}) FROM STDIN"
_DEFER_ONE = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, "
    "jsonb_build_object('message_id', CAST(:message_id AS bigint)), "
    "CAST(:at AS timestamptz))::procrastinate_job_to_defer_v1])")
_MOVE_STAGED = (
    "WITH new AS (INSERT INTO outbox (" + ", ".join(COLUMNS) + ") "
    "SELECT " + ", ".join(COLUMNS) + " FROM outbox_stage ORDER BY n "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, not_before), "
    "jobs AS (SELECT procrastinate_defer_jobs_v1(ARRAY("
    " SELECT ROW(%(queue)s, %(task)s, 0, NULL, NULL, jsonb_build_object('message_id', new.id),"
    " new.not_before)::procrastinate_job_to_defer_v1 FROM new ORDER BY new.id)) AS ids) "
    "SELECT (SELECT array_agg(id ORDER BY id) FROM new), (SELECT ids FROM jobs)")


@dataclass(frozen=True)
class ApologyTally:
    """Where the apologies of an incident's notified cases stand at a moment
    (:meth:`OutboxRepository.notified_apology_tally`): cases ``told`` (the apology went, or an
    agent reached the customer); of the others, those with nothing waiting (``none_waiting``:
    their copies failed or were withdrawn), those waiting for a time still ahead
    (``due_later``, the first of them due at ``first_later``) and those whose time has come
    (``due_now``)."""

    told: int
    none_waiting: int
    due_later: int
    due_now: int
    first_later: datetime | None


@dataclass(frozen=True)
class RecordedOutcome:
    """A message as its delivery attempt left it: what its audit record says."""

    id: int
    case_id: int | None
    incident_id: int | None
    customer_id: int | None
    purpose: str
    channel: str
    recipient: str
    subject: str
    body: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


_OUTCOME_COLUMNS = (outbox.c.id, outbox.c.case_id, outbox.c.incident_id, outbox.c.customer_id,
                    outbox.c.purpose, outbox.c.channel, outbox.c.recipient, outbox.c.subject,
                    outbox.c.body, outbox.c.status, outbox.c.attempts, outbox.c.created_at,
                    outbox.c.sent_at, outbox.c.last_error)


@dataclass(frozen=True)
class ClaimedMessage:
    """A message claimed for sending: what to send, and which attempt this is."""

    idempotency_key: str
    channel: str
    recipient: str
    locale: str
    subject: str
    body: str
    attempts: int
    #: whose it is (a text to a number marked wrong is withheld at sending: ``wrong_numbers``)
    case_id: int | None = None
    customer_id: int | None = None
    #: when this attempt was claimed (the database's clock): which attempt an outcome is for
    claimed_at: datetime | None = None
    #: when it was queued, and how its last attempt failed (kept when a failed message is
    #: queued again): whether it was tried before (:attr:`tried_before`), and since when
    created_at: datetime | None = None
    last_error: str | None = None

    @property
    def tried_before(self) -> bool:
        """Whether an earlier attempt may have reached the provider: this is attempt 2 or later
        (a retry, or a stale claim taken over from a worker that died), or the message failed
        and was queued again (``requeue_failed`` puts attempts back to 0, not its last error).
        A sender whose provider takes no idempotency key asks it before sending again
        (``senders.base.RetryAwareSender``)."""
        return self.attempts > 1 or self.last_error is not None


@dataclass(frozen=True)
class WithdrawnMessage:
    """A message withdrawn because its address or number was removed: what it was, so that it
    can go by the customer's other channel (``desk_resend``)."""

    message_id: int
    idempotency_key: str
    case_id: int | None
    purpose: str
    channel: str
    not_before: datetime


@dataclass(frozen=True)
class CustomerText:
    """A text message of one of a customer's cases, as it ended or waits: what resending it
    to a new number reads (``desk_resend.resend_to_new_number``)."""

    message: WithdrawnMessage
    status: str
    recipient: str
    last_error: str | None


@dataclass(frozen=True)
class MessageState:
    """What a message is now (read with a row lock): its status, when it may be sent, how many
    attempts it has had, its purpose and its incident plan's deadline, if any — why it could
    not be claimed; and when its latest attempt was claimed and where it goes — whether an
    attempt's outcome is still that attempt's to record."""

    status: str
    not_before: datetime
    attempts: int
    purpose: str
    deadline: datetime | None
    #: ``sending`` and claimed within ``SEND_WINDOW``: when the window ends (else None). Its
    #: worker may be sending it right now (its lease went with a database restart): no other
    #: attempt, postponement or giving up until then
    in_doubt_until: datetime | None = None
    claimed_at: datetime | None = None
    recipient: str = ""

    @property
    def in_doubt(self) -> bool:
        return self.in_doubt_until is not None


#: What a customer or an agent did on a case that makes a message queued before it stale: an
#: answer, a call, a call time, a payment (``failed_messages.why_not_resend``).
MOVED_ON_ACTIONS = ("case.choice_recorded", "case.choice_repeated", "case.contact_attempted",
                    "case.call_time_chosen", "case.cancelled_instead", "case.difference_paid")


@dataclass(frozen=True)
class FailedMessage:
    """A message that failed for good, with what decides whether sending it again is right."""

    message_id: int
    purpose: str
    channel: str
    incident_id: int | None
    attempts: int
    last_error: str | None
    #: its case's status (None for a message with no case: a seller's notice)
    case_status: str | None
    #: its incident plan's deadline, if any
    deadline: datetime | None
    #: another message of its case, purpose and channel was sent (a copy sent again)
    copy_sent: bool
    #: the address it was for, and the customer's address for its channel now (None: no
    #: customer, or none on file any more)
    recipient: str = ""
    recipient_now: str | None = None
    #: the case's actions logged after it was queued (``MOVED_ON_ACTIONS``), by name
    moved_on: tuple[str, ...] = ()
    #: its case and customer (a text to a number marked wrong on one of the customer's cases
    #: is not sent again: ``services.wrong_numbers.texts_withheld_to``)
    case_id: int | None = None
    customer_id: int | None = None


@dataclass(frozen=True)
class LatestMessage:
    """A case's latest message of one purpose, as the agent's page tells of it."""

    channel: str
    status: str
    not_before: datetime
    sent_at: datetime | None
    #: Why it was withdrawn or failed (the outbox's ``last_error``), else None.
    why: str | None = None


def _claimed_long_ago() -> ColumnElement[bool]:
    """A row claimed more than ``SEND_WINDOW`` ago by the database's clock (its send cannot
    still be running), or before claim times were kept (migration 0024: judged by its lease
    alone, as before)."""
    return or_(outbox.c.claimed_at.is_(None), outbox.c.claimed_at < func.now() - SEND_WINDOW)


def _in_doubt() -> ColumnElement[bool]:
    """``sending`` and claimed within ``SEND_WINDOW``: its worker may be sending it right now,
    even if its lease is free (the database restarted under it)."""
    return and_(outbox.c.status == "sending", ~_claimed_long_ago())


def _in_doubt_until() -> ColumnElement[datetime | None]:
    """When a message in doubt stops being so (its claim time and ``SEND_WINDOW``); NULL for one
    that is not in doubt."""
    return case((_in_doubt(), outbox.c.claimed_at + SEND_WINDOW), else_=None)


def _waiting() -> ColumnElement[bool]:
    """A message still to go, as withdrawing and readdressing see it: ``pending``, or ``sending``
    with its lease free (taken here until commit, so no worker starts on it meanwhile) —
    whatever its claim time. Its worker is gone, or may be sending it still, its lease gone
    with a database restart: the window keeps a second send away from it, not a withdrawal
    (if that send went, it is recorded ``sent`` all the same: ``services.delivery``). CASE: the
    lock is tried only on a sending row (a lock taken on any other row would only make its
    worker wait 5 s, released at commit)."""
    lease_free = func.pg_try_advisory_xact_lock(
        _LEASE_NAMESPACE, cast(outbox.c.id % _LEASE_KEYS, Integer))  # as _lease_key
    return or_(outbox.c.status == "pending",
               case((outbox.c.status == "sending", lease_free), else_=False))


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # queueing
    def enqueue(self, rows: Sequence[Mapping[str, Any]], *, queue: str, task: str) -> list[int]:
        """Insert the rows (``COLUMNS``) whose idempotency key is new, in order, and defer a
        ``task`` job on ``queue`` for each at its ``not_before``; the new ids, ascending.

        Binary-free bulk path on the driver's own cursor: rows are COPYed into a staging table
        (dropped at commit), then one statement inserts and defers."""
        if not rows:
            return []
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            cursor.execute(_STAGE_TABLE)
            with cursor.copy(_COPY_STAGE) as copy:
                for row in rows:
                    copy.write_row(tuple(row[name] for name in COLUMNS))
            cursor.execute(_MOVE_STAGED, {"queue": queue, "task": task})
            queued = cursor.fetchone()
            cursor.execute("DELETE FROM outbox_stage")
        finally:
            cursor.close()
        return list(queued[0] or []) if queued else []

    def record_withheld(self, rows: Sequence[Mapping[str, Any]], *, why: str) -> int:
        """Insert the rows (``COLUMNS``) whose idempotency key is new as ``withdrawn`` with
        ``why``, and defer no job: messages held back before they were queued (a text to a
        number an agent marked wrong), kept so that a right number saved later can be sent
        them (``desk_resend.resend_to_new_number``). How many were new."""
        if not rows:
            return 0
        values = [{**{name: row[name] for name in COLUMNS}, "status": "withdrawn",
                   "last_error": why} for row in rows]
        return len(self.conn.execute(
            pg_insert(outbox).values(values)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(outbox.c.id)).all())

    def withdraw_pending(self, case_ids: Sequence[int], *, purposes: Sequence[str],
                         why: str) -> int:
        """Withdraw the cases' ``pending`` messages of these purposes, and those ``sending`` whose
        lease is free (``_waiting``: left by a worker that is gone, or in doubt — its worker may
        be sending it still, its lease gone with a database restart — whose send, if it went,
        is recorded ``sent`` over the withdrawal); how many. One whose lease a live worker holds
        is not withdrawn and not counted: it goes out."""
        result = self.conn.execute(
            update(outbox)
            .where(among(outbox.c.case_id, case_ids), outbox.c.purpose.in_(purposes),
                   _waiting())
            .values(status="withdrawn", last_error=why))
        return int(result.rowcount)

    def readdress_pending(self, customer_id: int, *, channel: str, recipient: str) -> int:
        """Send the customer's messages waiting on ``channel`` — ``pending``, or ``sending`` with
        their lease free (``_waiting``) — to ``recipient`` instead (their address or number was
        corrected); how many. The next attempt goes to ``recipient``; one whose lease a live
        worker holds goes where it was going (an attempt in doubt that went is recorded with
        the address it went to)."""
        return int(self.conn.execute(
            update(outbox).where(outbox.c.customer_id == customer_id, outbox.c.channel == channel,
                                 outbox.c.recipient != recipient, _waiting())
            .values(recipient=recipient)).rowcount)

    def withdraw_pending_to(self, customer_id: int, *, channel: str,
                            why: str) -> list[WithdrawnMessage]:
        """Withdraw the customer's messages waiting on ``channel`` (as :meth:`readdress_pending`;
        their address or number was removed); those withdrawn, oldest first."""
        rows = self.conn.execute(
            update(outbox).where(outbox.c.customer_id == customer_id, outbox.c.channel == channel,
                                 _waiting())
            .values(status="withdrawn", last_error=why)
            .returning(outbox.c.id, outbox.c.idempotency_key, outbox.c.case_id,
                       outbox.c.purpose, outbox.c.channel, outbox.c.not_before))
        return sorted((WithdrawnMessage(int(r.id), str(r.idempotency_key),
                                        int(r.case_id) if r.case_id is not None else None,
                                        str(r.purpose), str(r.channel), r.not_before)
                       for r in rows), key=lambda m: m.message_id)

    def texts_of_customer(self, customer_id: int) -> list[CustomerText]:
        """The text messages of the customer's cases, oldest first, whatever their status."""
        rows = self.conn.execute(
            select(outbox.c.id, outbox.c.idempotency_key, outbox.c.case_id, outbox.c.purpose,
                   outbox.c.channel, outbox.c.not_before, outbox.c.status, outbox.c.recipient,
                   outbox.c.last_error)
            .where(outbox.c.customer_id == customer_id, outbox.c.channel == "sms",
                   outbox.c.case_id.is_not(None))
            .order_by(outbox.c.id))
        return [CustomerText(WithdrawnMessage(int(r.id), str(r.idempotency_key), int(r.case_id),
                                              str(r.purpose), str(r.channel), r.not_before),
                             str(r.status), str(r.recipient), r.last_error) for r in rows]

    def has_copy_on(self, case_id: int, *, purpose: str, channel: str, recipient: str,
                    key: str) -> bool:
        """Whether the case has a message of ``purpose`` to ``recipient`` on ``channel``, not
        withdrawn, keyed ``key`` or ``key:…`` (a copy of the same message: sent, waiting, or
        failed — one to an address or number since corrected does not count; a number is the
        same however it is written)."""
        return bool(self.conn.execute(select(exists().where(
            outbox.c.case_id == case_id, outbox.c.purpose == purpose,
            outbox.c.channel == channel, _sent_to(channel, recipient),
            outbox.c.status != "withdrawn",
            or_(outbox.c.idempotency_key == key,
                outbox.c.idempotency_key.startswith(f"{key}:", autoescape=True))))).scalar())

    def has_key(self, idempotency_key: str) -> bool:
        """Whether a message keyed ``idempotency_key`` was queued (whatever became of it)."""
        return bool(self.conn.execute(select(exists().where(
            outbox.c.idempotency_key == idempotency_key))).scalar())

    def withdrawn_with_key(self, idempotency_key: str) -> int:
        """How many messages keyed ``idempotency_key`` or ``idempotency_key:<n>`` (not a second
        channel's ``:sms``) were withdrawn: a message that must go again after its earlier copy
        was withdrawn takes the next ``:<n>``."""
        withdrawn = 0  # one indexed lookup per copy: none at all for a key never queued
        while self.conn.execute(select(outbox.c.status).where(
                outbox.c.idempotency_key == (f"{idempotency_key}:{withdrawn}" if withdrawn
                                             else idempotency_key))).scalar() == "withdrawn":
            withdrawn += 1
        return withdrawn

    # delivery
    def try_lease(self, message_id: int) -> bool:
        """Take the message's lease (a transaction-scoped advisory lock) unless it is held."""
        return bool(self.conn.execute(select(func.pg_try_advisory_xact_lock(
            _LEASE_NAMESPACE, _lease_key(message_id)))).scalar())

    def claim(self, message_id: int, *, now: datetime, max_attempts: int,
              held: Sequence[str] = (),
              deadline_bound: Sequence[str] = ()) -> ClaimedMessage | None:
        """pending (or sending, claimed more than ``SEND_WINDOW`` ago) and due, with attempts
        left → sending, attempts + 1, ``claimed_at`` the database's now. The caller holds the
        message's lease (:meth:`try_lease`): a sending row is then one its worker left.

        Not claimed either: a message whose purpose is in ``held`` (the contact centre is
        closed), or in ``deadline_bound`` once its incident plan's deadline has passed; or a
        sending one claimed within the window (its worker may still be sending it: its lease
        went with a database restart)."""
        row = self.conn.execute(
            update(outbox)
            .where(outbox.c.id == message_id,
                   or_(outbox.c.status == "pending",
                       and_(outbox.c.status == "sending", _claimed_long_ago())),
                   outbox.c.not_before <= now, outbox.c.attempts < max_attempts,
                   *_not_held(held), *_before_deadline(deadline_bound, now))
            .values(status="sending", attempts=outbox.c.attempts + 1, claimed_at=func.now())
            .returning(outbox.c.idempotency_key, outbox.c.channel, outbox.c.recipient,
                       outbox.c.locale, outbox.c.subject, outbox.c.body, outbox.c.attempts,
                       outbox.c.case_id, outbox.c.customer_id, outbox.c.claimed_at,
                       outbox.c.created_at, outbox.c.last_error)
        ).one_or_none()
        return ClaimedMessage(*row) if row is not None else None

    def state_for_update(self, message_id: int) -> MessageState | None:
        """The message's status, not_before, attempts, purpose, plan deadline, until when it is
        in doubt (``sending``, claimed within ``SEND_WINDOW``), claim time and recipient, its
        row locked; None if missing."""
        deadline = (select(incident_plans.c.deadline)
                    .where(incident_plans.c.incident_id == outbox.c.incident_id)
                    .scalar_subquery())
        row = self.conn.execute(
            select(outbox.c.status, outbox.c.not_before, outbox.c.attempts, outbox.c.purpose,
                   deadline, _in_doubt_until(), outbox.c.claimed_at, outbox.c.recipient)
            .where(outbox.c.id == message_id).with_for_update(of=outbox)).one_or_none()
        return MessageState(*row) if row is not None else None

    def postpone(self, message_id: int, not_before: datetime) -> None:
        """Move the message's ``not_before`` and make it ``pending`` again (attempts stay): a
        message left ``sending`` by a worker that died must still be withdrawable meanwhile (a
        customer who answers, the deadline), which only touches pending messages."""
        self.conn.execute(update(outbox).where(outbox.c.id == message_id)
                          .values(not_before=not_before, status="pending"))

    def record_outcome(self, message_id: int, *, status: str, last_error: str | None,
                       sent_at: datetime | None = None, recipient: str | None = None,
                       provider_id: str | None = None) -> RecordedOutcome | None:
        """Set the message's status and last error (and ``sent_at``, the ``recipient`` an
        attempt went to — it may have been readdressed meanwhile — and the ``provider_id`` its
        provider gave it, as :func:`fitted_provider_id` fits it, when given: in this one UPDATE,
        since a row once ``sent`` is locked, migration 0021). An apology
        sent tells its case's customer: the case's ``first_notified_at`` is the first such
        moment (not when the apology was queued: it may wait for contact hours, or never go) —
        unless the case has already taken the default as never told (an apology still being
        sent when the deadline passed): that customer stays owed the call, whose answer
        counts, rather than holding an apology whose deadline is gone. Returns the message as
        recorded (for its audit record), or None if there is no such message."""
        values: dict[str, Any] = {"status": status, "last_error": last_error}
        if sent_at is not None:
            values["sent_at"] = sent_at
        if recipient is not None:
            values["recipient"] = recipient
        if provider_id is not None:
            values["provider_id"] = fitted_provider_id(provider_id)
        row = self.conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values)
                                .returning(*_OUTCOME_COLUMNS)).one_or_none()
        if status == "sent" and sent_at is not None:
            apology = (select(outbox.c.case_id).where(outbox.c.id == message_id,
                                                      outbox.c.purpose == APOLOGY)
                       .scalar_subquery())
            self.conn.execute(update(cases).where(
                cases.c.id == apology, cases.c.status != "defaulted").values(
                first_notified_at=func.coalesce(cases.c.first_notified_at, sent_at)))
        return None if row is None else RecordedOutcome(*row)

    def failed_apology_case(self, message_id: int) -> tuple[int, int] | None:
        """(case id, incident id) of message ``message_id`` if it is an apology that failed,
        else None."""
        row = self.conn.execute(
            select(outbox.c.case_id, outbox.c.incident_id).where(
                outbox.c.id == message_id, outbox.c.status == "failed",
                outbox.c.purpose == APOLOGY)).one_or_none()
        return (int(row.case_id), int(row.incident_id)) if row is not None else None

    def apology_failures(self, case_id: int) -> dict[str, str] | None:
        """How each of the case's apology messages failed or was withdrawn (channel → last
        error: a withdrawn one went with the address removed), or None while one of them was
        sent or may still be (pending, sending) — or none failed."""
        rows = self._apologies(case_id)
        if not any(r.status == "failed" for r in rows) \
                or any(r.status not in ("failed", "withdrawn") for r in rows):
            return None
        return {r.channel: r.last_error or "" for r in rows}

    def apology_statuses(self, case_id: int) -> dict[str, str]:
        """The case's apology messages: channel -> status of its latest copy on that channel
        (a copy withdrawn with a removed address or number may be followed by one sent again
        on that channel: ``desk_resend``); empty when there are none."""
        return {str(r.channel): str(r.status) for r in self._apologies(case_id)}

    def latest_of(self, case_id: int, purpose: str) -> LatestMessage | None:
        """The case's latest message of ``purpose`` (a copy re-sent on the other channel is
        later than the one withdrawn with a removed address), or None."""
        return self.latest_of_each([case_id], purpose).get(case_id)

    def latest_of_each(self, case_ids: Sequence[int], purpose: str) -> dict[int, LatestMessage]:
        """Case id -> its latest message of ``purpose`` (as :meth:`latest_of`), for those of
        ``case_ids`` that have one, in one query."""
        if not case_ids:
            return {}
        rows = self.conn.execute(
            select(outbox.c.case_id, outbox.c.channel, outbox.c.status, outbox.c.not_before,
                   outbox.c.sent_at, outbox.c.last_error)
            .where(among(outbox.c.case_id, case_ids), outbox.c.purpose == purpose)
            .ext(distinct_on(outbox.c.case_id)).order_by(outbox.c.case_id, outbox.c.id.desc()))
        return {int(r.case_id): LatestMessage(str(r.channel), str(r.status), r.not_before,
                                              r.sent_at, r.last_error) for r in rows}

    def apologies_due(self, case_ids: Sequence[int]) -> dict[int, datetime]:
        """Case id -> when its apology is due to go (the earliest ``not_before`` of its copies
        waiting: pending, or being sent), for those of ``case_ids`` whose apology has not gone
        out on any channel yet — held for contact hours (at a weekend, until Monday's opening),
        or overdue. A case whose apology went is not listed: its customer was told."""
        if not case_ids:
            return {}
        return self._apologies_due(among(outbox.c.case_id, case_ids))

    def incident_apologies_due(self, incident_id: int) -> dict[int, datetime]:
        """:meth:`apologies_due` for every case of the incident: its customers whose apology
        is queued (held for contact hours, or overdue) and not yet sent on any channel."""
        return self._apologies_due(outbox.c.incident_id == incident_id)

    def incident_apologies_waiting(self, incident_id: int) -> tuple[int, datetime | None]:
        """How many cases :meth:`incident_apologies_due` lists, and the earliest time among
        them (None when none waits), counted by the database: one row however many wait."""
        due = _due_by_case(outbox.c.incident_id == incident_id).subquery()
        waiting, first = self.conn.execute(select(func.count(), func.min(due.c.due))).one()
        return int(waiting), first

    def notified_apology_tally(self, incident_id: int, now: datetime) -> ApologyTally:
        """Where the apologies of the incident's ``notified`` cases stand at ``now``, counted
        by the database (one row, however many cases): told, or not and when their copies
        still waiting are due (:meth:`incident_apologies_due`)."""
        due = _due_by_case(outbox.c.incident_id == incident_id).subquery()
        untold = cases.c.first_notified_at.is_(None)
        later = and_(untold, due.c.due > now)
        row = self.conn.execute(
            select(func.count().filter(~untold), func.count().filter(untold, due.c.due.is_(None)),
                   func.count().filter(later), func.count().filter(untold, due.c.due <= now),
                   func.min(due.c.due).filter(later))
            .select_from(cases.outerjoin(due, due.c.case_id == cases.c.id))
            .where(cases.c.incident_id == incident_id, cases.c.status == "notified")).one()
        return ApologyTally(*(int(n) for n in row[:4]), first_later=row[4])

    def _apologies_due(self, which: Any) -> dict[int, datetime]:
        return {int(r.case_id): r.due for r in self.conn.execute(_due_by_case(which))}

    def sent_times_in_doubt(self, incident_id: int,
                            declared_at: datetime | None) -> tuple[int, int]:
        """(customer messages of the incident recorded as sent before ``declared_at``, which
        cannot be; sent messages whose ``sent_at`` is not the one their ``message.sent`` audit
        record holds: changed afterwards). A message with no case — the seller's email that a
        tripwire paused the listing, sent at once with the draft's incident id — may well go
        before the declaration, and does not count in the first. Messages sent before audit
        records of deliveries existed have none, and count in the second only if they have
        one. A draft (``declared_at`` None) has nothing sent before its declaration. One
        query."""
        recorded = (select(cast(audit_log.c.after["sent_at"].astext,
                                DateTime(timezone=True)))
                    .where(audit_log.c.entity_type == "message",
                           audit_log.c.entity_id == cast(outbox.c.id, Text),
                           audit_log.c.action == "message.sent")
                    .order_by(audit_log.c.seq).limit(1).scalar_subquery())
        early = (func.count().filter(outbox.c.case_id.is_not(None),
                                     outbox.c.sent_at < declared_at)
                 if declared_at is not None else literal(0))
        moved = func.count().filter(recorded.is_not(None), recorded != outbox.c.sent_at)
        row = self.conn.execute(select(early, moved).where(
            outbox.c.incident_id == incident_id, outbox.c.status == "sent")).one()
        return int(row[0]), int(row[1])

    def messages_to(self, *, case_id: int | None = None,
                    customer_id: int | None = None) -> list[Any]:
        """Every message of the case (or to the customer), oldest first: id, case_id,
        incident_id, purpose, channel, recipient, status, attempts, created_at (queued),
        not_before, sent_at, last_error, provider_id."""
        which = (outbox.c.case_id == case_id) if case_id is not None \
            else (outbox.c.customer_id == customer_id)
        return list(self.conn.execute(
            select(outbox.c.id, outbox.c.case_id, outbox.c.incident_id, outbox.c.purpose,
                   outbox.c.channel, outbox.c.recipient, outbox.c.status, outbox.c.attempts,
                   outbox.c.created_at, outbox.c.not_before, outbox.c.sent_at,
                   outbox.c.last_error, outbox.c.provider_id)
            .where(which).order_by(outbox.c.id)).all())

    def was_sent(self, case_id: int, *purposes: str) -> bool:
        """Whether a message of one of ``purposes`` went out to the case's customer."""
        return bool(self.conn.execute(select(exists().where(
            outbox.c.case_id == case_id, outbox.c.purpose.in_(purposes),
            outbox.c.status == "sent"))).scalar())

    def failed_apology_channels(self, case_id: int) -> frozenset[str]:
        """The channels on which the case's apology failed (for good, or out of attempts) to
        the customer's address or number as it is now (a number however it is written): one
        failed to a number since corrected says nothing of the new one."""
        current = case((outbox.c.channel == "email", _sent_to("email", customers.c.email)),
                       else_=_sent_to("sms", customers.c.phone))
        return frozenset(str(c) for c in self.conn.execute(
            select(outbox.c.channel).distinct()
            .join(cases, cases.c.id == outbox.c.case_id)
            .join(customers, customers.c.id == cases.c.customer_id)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == APOLOGY,
                   outbox.c.status == "failed", current)).scalars())

    def _apologies(self, case_id: int) -> list[Any]:
        """The case's apology messages: channel, status, last error; oldest first."""
        return list(self.conn.execute(
            select(outbox.c.channel, outbox.c.status, outbox.c.last_error)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == APOLOGY)
            .order_by(outbox.c.id)))

    def pending_due(self, now: datetime) -> list[int]:
        """Ids of pending messages whose ``not_before`` has come, oldest first."""
        return [int(i) for i in self.conn.execute(
            select(outbox.c.id).where(outbox.c.status == "pending", outbox.c.not_before <= now)
            .order_by(outbox.c.id)).scalars()]

    def health_counts(self, now: datetime, *, overdue_after: timedelta,
                      timeout_ms: int = 2000, by_design: tuple[str, ...] = ()
                      ) -> dict[str, int]:
        """``outbox_failed``: messages failed for good (not those whose error is one of
        ``by_design``: a text not sent because no SMS provider is configured); ``outbox_overdue``:
        messages waiting (pending, sending) more than ``overdue_after`` past their
        ``not_before`` (retrying, or no worker running). One query, cut off after ``timeout_ms``
        (for ``/healthz``)."""
        self.conn.execute(select(func.set_config("statement_timeout", str(timeout_ms), True)))
        failed = func.count().filter(outbox.c.status == "failed",
                                     func.coalesce(outbox.c.last_error, "").not_in(by_design))
        overdue = func.count().filter(outbox.c.status.in_(("pending", "sending")),
                                      outbox.c.not_before < now - overdue_after)
        row = self.conn.execute(select(failed, overdue).where(
            outbox.c.status.in_(("failed", "pending", "sending")))).one()
        return {"outbox_failed": int(row[0]), "outbox_overdue": int(row[1])}

    def attempts_of(self, message_id: int) -> int | None:
        """How many attempts the message has had, or None if there is no such message."""
        attempts = self.conn.execute(
            select(outbox.c.attempts).where(outbox.c.id == message_id)).scalar()
        return int(attempts) if attempts is not None else None

    def failed_messages(self, *, incident_id: int | None = None,
                        queued_since: datetime | None = None) -> list[FailedMessage]:
        """The ``failed`` messages (of one incident; queued at or after ``queued_since``), oldest
        first."""
        deadline = (select(incident_plans.c.deadline)
                    .where(incident_plans.c.incident_id == outbox.c.incident_id)
                    .scalar_subquery())
        status = select(cases.c.status).where(cases.c.id == outbox.c.case_id).scalar_subquery()
        sent = outbox.alias("sent_copy")
        # a purpose written once per item of a case (a note per refund paid) is a copy only of
        # the same item's: the item its key names, compared (NULL for every other purpose)
        item = _ITEM_OF_KEY
        copy_sent = exists().where(sent.c.case_id == outbox.c.case_id,
                                   sent.c.purpose == outbox.c.purpose,
                                   sent.c.channel == outbox.c.channel, sent.c.status == "sent",
                                   func.substring(sent.c.idempotency_key, item)
                                   .is_not_distinct_from(
                                       func.substring(outbox.c.idempotency_key, item)))
        address_now = (select(case((outbox.c.channel == "sms", customers.c.phone),
                                   else_=customers.c.email))
                       .where(customers.c.id == outbox.c.customer_id).scalar_subquery())
        moved_on = (select(func.array_agg(audit_log.c.action.distinct()))
                    .where(audit_log.c.entity_type == "case",
                           audit_log.c.entity_id == cast(outbox.c.case_id, Text),
                           audit_log.c.occurred_at > outbox.c.created_at,
                           audit_log.c.action.in_(MOVED_ON_ACTIONS))
                    .scalar_subquery())
        query = (select(outbox.c.id, outbox.c.purpose, outbox.c.channel, outbox.c.incident_id,
                        outbox.c.attempts, outbox.c.last_error, status, deadline, copy_sent,
                        outbox.c.recipient, outbox.c.customer_id, address_now, moved_on,
                        outbox.c.case_id)
                 .where(outbox.c.status == "failed").order_by(outbox.c.id))
        if incident_id is not None:
            query = query.where(outbox.c.incident_id == incident_id)
        if queued_since is not None:
            query = query.where(outbox.c.created_at >= queued_since)
        return [FailedMessage(int(r[0]), str(r[1]), str(r[2]),
                              int(r[3]) if r[3] is not None else None, int(r[4]), r[5],
                              r[6], r[7], bool(r[8]), str(r[9]),
                              (str(r[11]) if r[11] else None) if r[10] is not None else str(r[9]),
                              tuple(sorted(r[12] or ())),
                              int(r[13]) if r[13] is not None else None,
                              int(r[10]) if r[10] is not None else None)
                for r in self.conn.execute(query)]

    def requeue_failed(self, message_id: int, *, not_before: datetime, queue: str,
                       task: str) -> bool:
        """A failed message → ``pending`` with its attempts back to 0, due at ``not_before``,
        and a new delivery job then (same row, same idempotency key); False if it is no longer
        failed."""
        moved = self.conn.execute(
            update(outbox).where(outbox.c.id == message_id, outbox.c.status == "failed")
            .values(status="pending", attempts=0, not_before=not_before)).rowcount
        if not moved:
            return False
        self.conn.execute(_DEFER_ONE, {"queue": queue, "task": task, "message_id": message_id,
                                       "at": not_before})
        return True

    def due_at(self, message_id: int) -> datetime | None:
        """When the message may be sent: its ``not_before`` — or, in doubt, once
        ``SEND_WINDOW`` has passed since it was claimed, if that is later; None if there is no
        such message."""
        due: datetime | None = self.conn.execute(
            select(func.greatest(outbox.c.not_before, _in_doubt_until()))  # NULLs left out
            .where(outbox.c.id == message_id)).scalar()
        return due


def _due_by_case(which: ColumnElement[bool]) -> Select[Any]:
    """Case id and when its apology is due (``due``: the earliest ``not_before`` of its copies
    waiting), for the cases among the outbox rows ``which`` whose apology has not gone out on
    any channel: :meth:`OutboxRepository.apologies_due`."""
    sent = outbox.alias("sent_apology")
    return (select(outbox.c.case_id, func.min(outbox.c.not_before).label("due"))
            .where(which, outbox.c.case_id.is_not(None), outbox.c.purpose == APOLOGY,
                   outbox.c.status.in_(("pending", "sending")),
                   ~exists().where(sent.c.case_id == outbox.c.case_id,
                                   sent.c.purpose == APOLOGY, sent.c.status == "sent"))
            .group_by(outbox.c.case_id))


def fitted_provider_id(provider_id: str) -> str | None:
    """``provider_id`` as ``outbox.provider_id`` holds it: without NUL bytes (PostgreSQL refuses
    them in text) or characters UTF-8 cannot encode; longer than ``PROVIDER_ID_LENGTH``, cut
    and ending in ``…`` (told from a whole id); None for an empty one. A message that went is
    recorded sent whatever its provider answered, never left to be sent again."""
    kept = provider_id.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if len(kept) > PROVIDER_ID_LENGTH:
        kept = kept[:PROVIDER_ID_LENGTH - 1] + "…"
    return kept or None


def _sent_to(channel: str, address: ColumnElement[Any] | str) -> ColumnElement[bool]:
    """An outbox row of ``channel`` is addressed to ``address`` (a value, or a customer's
    column): a phone number however it is written (its domestic digits), an email as stored."""
    if channel != "sms":
        return outbox.c.recipient == address
    digits = (domestic_digits(address) if isinstance(address, str)
              else domestic_phone_digits(address))
    return domestic_phone_digits(outbox.c.recipient) == digits


def _not_held(held: Sequence[str]) -> list[ColumnElement[bool]]:
    return [outbox.c.purpose.not_in(list(held))] if held else []


def _before_deadline(purposes: Sequence[str], now: datetime) -> list[ColumnElement[bool]]:
    if not purposes:
        return []
    passed = exists().where(incident_plans.c.incident_id == outbox.c.incident_id,
                            incident_plans.c.deadline <= now)
    return [or_(outbox.c.purpose.not_in(list(purposes)), ~passed)]


def _lease_key(message_id: int) -> int:
    return message_id % _LEASE_KEYS
