"""Queue customer messages: an outbox row plus its delivery job, in the caller's transaction.

The row says what to send; the procrastinate job (task ``deliver_message``, queue ``messages``,
scheduled at ``not_before``) wakes a worker to send it. Both are written through the unit of
work's connection, so they commit or roll back with the state change that caused them — a
message for a change that never happened cannot go out. A message whose idempotency key is
already in the outbox is skipped, and no job is deferred for it.

Jobs are written through procrastinate's own SQL function (``procrastinate_defer_jobs_v1``),
one statement for a whole batch: the services layer does not need the jobs app, and 100,000
messages queue in seconds. This module checks the messages; the SQL is ``uow.outbox``'s
(:class:`~sagwa.adapters.db.outbox_repo.OutboxRepository`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagwa.errors import InvalidInput
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.services.wrong_numbers import WITHHELD_WHY, without_wrong_numbers

MESSAGE_QUEUE = "messages"
DELIVER_TASK = "deliver_message"
CHANNELS = ("email", "sms")


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
    ids = _enqueue(uow, [message])
    return ids[0] if ids else None


def enqueue_messages(uow: SqlAlchemyUnitOfWork, messages: Sequence[OutgoingMessage]) -> int:
    """Queue many messages in one COPY and one INSERT; returns how many were new."""
    return len(_enqueue(uow, messages))


ASKS_TO_ACT = ("resolution", "reminder")
"""Messages that ask the customer to act (choose before the deadline): they go out only inside
contact hours, never after the incident plan's deadline (checked again at delivery, see
:mod:`sagwa.services.delivery`), and are pointless once the case has its answer.
Confirmations of a choice just made are not among them."""

UNPROMPTED = (*ASKS_TO_ACT, "defaulted", "unreachable", "never_told")
"""Messages the customer did not just ask for: held outside contact hours at delivery (the
desk writes only when a person can answer), and withdrawn while unsent once the customer's own
answer makes them wrong — the "we applied the default" note included, when a late answer
arrives before it goes out, or an agent's call reaches them first (the call that note promises);
"unreachable" (``desk_unreachable``: we called and could not reach you) and "never_told" (the
apology that never went out before the deadline, sent with its default) likewise. A
confirmation answers the customer's own action: sent at once."""

HELD_OUTSIDE_HOURS = (*UNPROMPTED, "difference_reminder", "refund_paid")
"""What delivery holds until the contact centre is open: the unprompted messages, the
reminder of a difference still unpaid (``desk_difference``), which asks the customer to call
the centre, and the note that a refund was paid (``refund_notices``: it says to call the
centre if the money does not show). Neither is withdrawn by an answer or a call (they are about
money): only recording the payment withdraws the reminder."""


def withdraw_unsent(uow: SqlAlchemyUnitOfWork, case_ids: Sequence[int], *, why: str) -> int:
    """Withdraw the cases' unprompted messages that still wait (``UNPROMPTED``: ``pending``, or
    ``sending`` with their lease free — left by a worker that died, or in doubt: claimed within
    ``outbox_repo.SEND_WINDOW`` while the database restarted under its worker, which may be
    sending it still; if that send went, it is recorded ``sent`` over the withdrawal). One
    whose lease a live worker holds goes out. Their delivery jobs then find nothing to do. How
    many."""
    if not case_ids:
        return 0
    return uow.outbox.withdraw_pending(case_ids, purposes=UNPROMPTED, why=why)


def _enqueue(uow: SqlAlchemyUnitOfWork, messages: Sequence[OutgoingMessage]) -> list[int]:
    """Check every message, then queue them all — less the texts to a number an agent marked
    wrong on one of the customer's cases (``wrong_numbers``), which are kept as withdrawn
    (never sent; a right number saved later is sent them: ``desk_resend``): the new outbox ids
    of those queued, ascending."""
    now = uow.now()
    rows = [_row(message, now) for message in messages]
    kept = {id(m) for m in without_wrong_numbers(uow, messages)}
    queued: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    for row, message in zip(rows, messages, strict=True):
        (queued if id(message) in kept else withheld).append(row)
    if withheld:
        uow.outbox.record_withheld(withheld, why=WITHHELD_WHY)
    return uow.outbox.enqueue(queued, queue=MESSAGE_QUEUE, task=DELIVER_TASK)


def _row(message: OutgoingMessage, now: datetime) -> dict[str, Any]:
    if message.channel not in CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}", field="channel",
                           reason="channel_unknown")
    if message.not_before.tzinfo is None:
        raise InvalidInput("not_before must be timezone-aware", field="not_before",
                           reason="time_without_zone")
    if not message.idempotency_key or not message.recipient:
        raise InvalidInput("a message needs an idempotency key and a recipient",
                           reason="message_incomplete")
    # vars(), not asdict(): no deep copy of 100,000 flat records.
    return {**vars(message), "status": "pending", "attempts": 0, "created_at": now}
