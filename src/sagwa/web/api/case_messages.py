"""``GET /api/cases/{id}/messages`` and ``GET /api/customers/{id}/messages``: every message to
the customer (purpose, channel, masked recipient, status, queued and sent times, the provider's
id for it once sent), with the delivery's audit record beside the outbox's own — what a regulator
asks for."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sagwa.services.case_messages import CaseMessage, case_messages, customer_messages
from sagwa.web.deps import AGENT, ApiAccess, Uow

router = APIRouter(prefix="/api", tags=["incident desk"])


class MessagePublic(BaseModel):
    id: int = Field(description="The outbox message id.")
    case_id: int | None
    incident_id: int | None
    purpose: str = Field(examples=["resolution"])
    channel: str = Field(examples=["sms"])
    recipient: str = Field(description="Masked: 010-****-6373, mi****@example.com.")
    status: str = Field(examples=["sent"])
    attempts: int
    queued_at: datetime
    not_before: datetime
    sent_at: datetime | None = Field(description="As the outbox holds it.")
    last_error: str | None
    audited: str | None = Field(description="message.sent or message.failed: the delivery's "
                                            "audit record; None if it has none (not ended, or "
                                            "sent before deliveries were audited).")
    audit_seq: int | None
    sent_at_as_recorded: datetime | None = Field(description="As the audit record holds it.")
    sent_time_matches: bool | None = Field(description="False: the outbox's sent time was "
                                                       "changed after sending.")
    provider_id: str | None = Field(
        default=None, examples=["nhn:20261209103000abCdE0:1"],
        description="The provider's id for the message, to find it in the provider's console "
                    "(an email's Message-ID; NHN Cloud SMS: nhn:<requestId>:<recipientSeq>); "
                    "None until it is sent, and for messages sent before ids were kept. One "
                    "longer than 200 characters is cut short and ends in '…'.")


def _public(messages: list[CaseMessage]) -> list[MessagePublic]:
    return [MessagePublic(**vars(m)) for m in messages]


@router.get("/cases/{case_id}/messages", response_model=list[MessagePublic],
            dependencies=[AGENT])
def get_case_messages(case_id: int, uow: Uow, access: ApiAccess) -> list[MessagePublic]:
    """Every message of the case, oldest first."""
    found = case_messages(uow(), case_id=case_id)
    access.viewed()
    return _public(found)


@router.get("/customers/{customer_id}/messages", response_model=list[MessagePublic],
            dependencies=[AGENT])
def get_customer_messages(customer_id: int, uow: Uow, access: ApiAccess) -> list[MessagePublic]:
    """Every message to the customer, on all their cases, oldest first."""
    found = customer_messages(uow(), customer_id=customer_id)
    access.viewed(cases=[m.case_id for m in found if m.case_id is not None])
    return _public(found)
