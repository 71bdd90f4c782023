"""Every message to a customer, for a regulator or the customer: what went (its purpose), on
which channel, to whom (masked), its status, when it was queued and sent — from the outbox, and
from the delivery's audit record (``message.sent`` / ``message.failed``), which the outbox
cannot change afterwards. A sent time that differs between the two is shown, not smoothed
over (``sent_at_as_recorded``, ``sent_time_matches``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagwa.domain.audit import AuditRecord
from sagwa.services.lookups import require
from sagwa.services.message_audit import ENTITY, MESSAGE_ACTIONS, mask_recipient
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class CaseMessage:
    id: int
    case_id: int | None
    incident_id: int | None
    purpose: str
    channel: str
    recipient: str  # masked
    status: str
    attempts: int
    queued_at: datetime
    not_before: datetime
    sent_at: datetime | None  # as the outbox holds it
    last_error: str | None
    audited: str | None  # the delivery's audit action (message.sent / message.failed), if any
    audit_seq: int | None
    sent_at_as_recorded: datetime | None  # as the audit record holds it
    sent_time_matches: bool | None  # None: no audit record to compare with
    #: the provider's id for it (an email's Message-ID, NHN's request id), once sent
    provider_id: str | None = None


def case_messages(uow: SqlAlchemyUnitOfWork, *, case_id: int) -> list[CaseMessage]:
    """Every message of case ``case_id``, oldest first; NotFound for no such case."""
    with uow:
        require(uow.cases.get(case_id), "case", case_id)
        return _messages(uow, uow.outbox.messages_to(case_id=case_id))


def customer_messages(uow: SqlAlchemyUnitOfWork, *, customer_id: int) -> list[CaseMessage]:
    """Every message to customer ``customer_id`` (all their cases), oldest first."""
    with uow:
        require(uow.catalog.customer(customer_id), "customer", customer_id)
        return _messages(uow, uow.outbox.messages_to(customer_id=customer_id))


def _messages(uow: SqlAlchemyUnitOfWork, rows: list[Any]) -> list[CaseMessage]:
    audits = uow.audit.of_entities(ENTITY, [str(r.id) for r in rows], *MESSAGE_ACTIONS)
    return [_message(r, (audits.get(str(r.id)) or [None])[-1]) for r in rows]


def _message(row: Any, record: AuditRecord | None) -> CaseMessage:
    after = (record.event.after or {}) if record is not None else {}
    recorded = after.get("sent_at")
    recorded_at = datetime.fromisoformat(recorded) if recorded else None
    matches = None if record is None else recorded_at == row.sent_at
    return CaseMessage(
        int(row.id), row.case_id, row.incident_id, row.purpose, row.channel,
        mask_recipient(row.channel, row.recipient), row.status, int(row.attempts),
        row.created_at, row.not_before, row.sent_at, row.last_error,
        None if record is None else record.event.action,
        None if record is None else record.seq, recorded_at, matches, row.provider_id)
