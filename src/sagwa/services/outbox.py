"""Queue customer messages: an outbox row plus its delivery job, in the caller's transaction.

The row says what to send; the procrastinate job (task ``deliver_message``, queue ``messages``,
scheduled at ``not_before``) wakes a worker to send it. Both are written through the unit of
work's connection, so they commit or roll back with the state change that caused them — a
message for a change that never happened cannot go out. A message whose idempotency key is
already in the outbox is skipped, and no job is deferred for it.

Jobs are written through procrastinate's own SQL function (``procrastinate_defer_jobs_v1``),
one statement for a whole batch: the services layer does not need the jobs app, and 100,000
messages queue in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, TIMESTAMP, insert

from sagwa.adapters.db.tables import outbox
from sagwa.errors import InvalidInput
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MESSAGE_QUEUE = "messages"
DELIVER_TASK = "deliver_message"
CHANNELS = ("email", "sms")
_ROWS_PER_STATEMENT = 5000

_DEFER_JOBS = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY("
    " SELECT ROW(:queue, :task, 0, NULL, NULL, jsonb_build_object('message_id', m.id), m.at)"
    "        ::procrastinate_job_to_defer_v1"
    " FROM unnest(:ids, :ats) AS m(id, at)))"
).bindparams(bindparam("ids", type_=ARRAY(BIGINT)),
             bindparam("ats", type_=ARRAY(TIMESTAMP(timezone=True))))


_COLUMNS = ("idempotency_key", "incident_id", "case_id", "customer_id", "purpose", "channel",
            "recipient", "locale", "subject", "body", "not_before", "status", "attempts",
            "created_at")
# INSERT ... SELECT unnest(:col1), unnest(:col2), ...: one array per column, so a chunk of
# thousands of rows is one statement with 14 parameters, adapted by psycopg in bulk.
_INSERT = (
    insert(outbox)
    .from_select(_COLUMNS, select(*(
        func.unnest(bindparam(name, type_=ARRAY(outbox.c[name].type))).label(name)
        for name in _COLUMNS)))
    .on_conflict_do_nothing(index_elements=[outbox.c.idempotency_key])
    .returning(outbox.c.id, outbox.c.not_before))


@dataclass(frozen=True, kw_only=True)
class OutgoingMessage:
    """One message to queue; ``idempotency_key`` names it for good (retries, providers)."""

    idempotency_key: str
    purpose: str
    channel: str
    recipient: str
    locale: str
    subject: str
    body: str
    not_before: datetime
    incident_id: int | None = None
    case_id: int | None = None
    customer_id: int | None = None


def enqueue_message(uow: SqlAlchemyUnitOfWork, *, idempotency_key: str, purpose: str,
                    channel: str, recipient: str, locale: str, subject: str, body: str,
                    not_before: datetime, incident_id: int | None = None,
                    case_id: int | None = None, customer_id: int | None = None) -> int | None:
    """Queue one message; its outbox id, or ``None`` if the key was already queued."""
    message = OutgoingMessage(
        idempotency_key=idempotency_key, purpose=purpose, channel=channel, recipient=recipient,
        locale=locale, subject=subject, body=body, not_before=not_before,
        incident_id=incident_id, case_id=case_id, customer_id=customer_id)
    ids = _enqueue(uow.conn, [message], uow.now())
    return ids[0] if ids else None


def enqueue_messages(uow: SqlAlchemyUnitOfWork, messages: Sequence[OutgoingMessage]) -> int:
    """Queue many messages in a few statements; returns how many were new."""
    return len(_enqueue(uow.conn, messages, uow.now()))


ANSWERED_PURPOSES = ("resolution", "reminder")
"""Messages that ask the customer to choose: pointless once the case has its answer."""


def withdraw_unsent(uow: SqlAlchemyUnitOfWork, case_ids: Sequence[int], *, why: str) -> int:
    """Withdraw the cases' messages that still wait to ask for a choice (``pending``; one being
    sent right now goes out). Their delivery jobs then find nothing to do. How many."""
    if not case_ids:
        return 0
    result = uow.conn.execute(
        update(outbox)
        .where(outbox.c.case_id.in_(list(case_ids)), outbox.c.status == "pending",
               outbox.c.purpose.in_(ANSWERED_PURPOSES))
        .values(status="withdrawn", last_error=why))
    return int(result.rowcount)


def _enqueue(conn: Connection, messages: Sequence[OutgoingMessage], now: datetime) -> list[int]:
    """Binary-free bulk path: rows are COPYed into a per-session staging table, then one
    statement inserts the new ones into the outbox and defers their delivery jobs."""
    rows = [_row(message, now) for message in messages]
    if not rows:
        return []
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(_STAGE_TABLE)
        with cursor.copy(f"COPY outbox_stage ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row[name] for name in _COLUMNS))
        cursor.execute(_MOVE_STAGED, {"queue": MESSAGE_QUEUE, "task": DELIVER_TASK})
        queued = cursor.fetchone()
        cursor.execute("DELETE FROM outbox_stage")
    finally:
        cursor.close()
    return list(queued[0] or []) if queued else []


_STAGE_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS outbox_stage (n bigserial, idempotency_key text, "
    "incident_id bigint, case_id bigint, customer_id bigint, purpose text, channel text, "
    "recipient text, locale text, subject text, body text, not_before timestamptz, "
    "status text, attempts integer, created_at timestamptz) ON COMMIT DROP")
_MOVE_STAGED = (
    "WITH new AS (INSERT INTO outbox (" + ", ".join(_COLUMNS) + ") "
    "SELECT " + ", ".join(_COLUMNS) + " FROM outbox_stage ORDER BY n "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, not_before), "
    "jobs AS (SELECT procrastinate_defer_jobs_v1(ARRAY("
    " SELECT ROW(%(queue)s, %(task)s, 0, NULL, NULL, jsonb_build_object('message_id', new.id),"
    " new.not_before)::procrastinate_job_to_defer_v1 FROM new ORDER BY new.id)) AS ids) "
    "SELECT (SELECT array_agg(id ORDER BY id) FROM new), (SELECT ids FROM jobs)")


def _row(message: OutgoingMessage, now: datetime) -> dict[str, Any]:
    if message.channel not in CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    if message.not_before.tzinfo is None:
        raise InvalidInput("not_before must be timezone-aware", field="not_before")
    if not message.idempotency_key or not message.recipient:
        raise InvalidInput("a message needs an idempotency key and a recipient")
    # vars(), not asdict(): no deep copy of 100,000 flat records.
    return {**vars(message), "status": "pending", "attempts": 0, "created_at": now}
