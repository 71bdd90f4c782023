"""Customer points, the ledger as finance reads it, and the audit log. A finance account reads
the ledger's entries; booking points, reversing an entry and the audit log are an admin's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from sagwa.adapters.anchor_file import read_anchors
from sagwa.adapters.db.audit_repo import settings_chain_keys
from sagwa.domain.access_records import WhoseData
from sagwa.domain.audit_anchors import anchors_warning
from sagwa.services import audit, ledger_reports, points
from sagwa.services.access_records import audit_trail_whose, ledger_customers
from sagwa.web.deps import (
    ADMIN,
    FINANCE,
    POINTS_READERS,
    Actor,
    ApiAccess,
    IdempotencyKey,
    Uow,
)
from sagwa.web.schemas import (
    AuditRecordPublic,
    AuditVerifyPublic,
    KoreaDay,
    PointsBalancePublic,
    PointsCredit,
    PointsDebit,
    PointsReceiptPublic,
    ReversalCreate,
    ReversalPublic,
)

router = APIRouter(prefix="/api", tags=["ledger"])


class PostingPublic(BaseModel):
    account: str
    owner_id: int | None
    amount_minor: int
    currency: str


class LedgerEntryPublic(BaseModel):
    id: int
    created_at: datetime
    kind: str
    memo: str
    reverses_id: int | None
    incident_id: int | None
    case_id: int | None
    seller_ids: list[int]
    postings: list[PostingPublic]


class LedgerPagePublic(BaseModel):
    entries: list[LedgerEntryPublic]
    total: int
    next_after: int | None


@router.get("/ledger/entries", response_model=LedgerPagePublic, dependencies=[FINANCE])
def ledger_entries(
    uow: Uow, access: ApiAccess, incident_id: int | None = None, seller_id: int | None = None,
    customer_id: int | None = None,
    since: Annotated[KoreaDay | None, Query(alias="from",
                                        description="first day (Korea), YYYY-MM-DD")] = None,
    until: Annotated[KoreaDay | None, Query(alias="to",
                                        description="last day (Korea), YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, after: Annotated[int, Query(ge=0)] = 0,
) -> LedgerPagePublic:
    """The ledger's entries, oldest first (by id), each with its postings and the incident,
    case and sellers it belongs to when known. Pages: pass ``next_after`` as ``after``.
    ``seller_id`` picks the entries of that seller's charge-backs or orders, each whole (every
    posting, another seller's share included: an entry's postings add up to 0). ``from`` and
    ``to`` are days in Korea, YYYY-MM-DD (a time is refused)."""
    filters = ledger_reports.entry_filter(incident_id=incident_id, seller_id=seller_id,
                                          customer_id=customer_id, since=since, until=until)
    page = ledger_reports.list_entries(uow(), filters=filters, limit=limit, after=after)
    access.viewed(customers=ledger_customers(page.entries))
    return LedgerPagePublic.model_validate(page.__dict__)


@router.get("/customers/{customer_id}/points", response_model=PointsBalancePublic,
            dependencies=[POINTS_READERS])
def balance(customer_id: int, uow: Uow, access: ApiAccess) -> PointsBalancePublic:
    found = points.points_balance(uow(), customer_id=customer_id)
    access.viewed()
    return PointsBalancePublic(customer_id=customer_id, balance=found)


@router.post("/customers/{customer_id}/points/credit", status_code=201,
             response_model=PointsReceiptPublic, dependencies=[ADMIN])
def credit(customer_id: int, body: PointsCredit, uow: Uow, actor: Actor,
           key: IdempotencyKey, access: ApiAccess) -> PointsReceiptPublic:
    receipt = points.credit_customer_points(access.changing(uow()), customer_id=customer_id,
                                            **body.model_dump(), actor=actor, idempotency_key=key)
    access.answered()
    return PointsReceiptPublic(**receipt.__dict__)


@router.post("/customers/{customer_id}/points/debit", status_code=201,
             response_model=PointsReceiptPublic, dependencies=[ADMIN])
def debit(customer_id: int, body: PointsDebit, uow: Uow, actor: Actor,
          key: IdempotencyKey, access: ApiAccess) -> PointsReceiptPublic:
    receipt = points.debit_customer_points(access.changing(uow()), customer_id=customer_id,
                                           **body.model_dump(), actor=actor, idempotency_key=key)
    access.answered()
    return PointsReceiptPublic(**receipt.__dict__)


@router.post("/ledger/entries/{entry_id}/reverse", status_code=201, response_model=ReversalPublic,
             dependencies=[ADMIN])
def reverse(entry_id: int, body: ReversalCreate, uow: Uow, actor: Actor,
            key: IdempotencyKey, access: ApiAccess) -> ReversalPublic:
    """Book the opposite of a ledger entry (once). A retry with the same Idempotency-Key
    answers the same reversal; a new key for an entry already reversed is refused
    (``already_reversed``). An incident case's compensation is final (409,
    ``case_compensation_entry``): to give that customer more, credit points separately
    (``POST /api/customers/{customer_id}/points/credit``). Reversing a customer's points
    changes their data: the access is recorded in the reversal's transaction, naming them
    (503 ``access_record_unwritten`` and nothing reversed when it cannot be)."""
    whose = audit_trail_whose(uow(), entity_type="ledger_entry", entity_id=str(entry_id))
    work = (access.changing(uow(), customers=whose.customers, cases=whose.cases)
            if whose.customers else uow())  # a seller's entry: nobody's personal data
    reversal_id = points.reverse_entry(work, entry_id=entry_id, memo=body.memo, actor=actor,
                                       idempotency_key=key)
    if whose.customers:
        access.answered(customers=whose.customers, cases=whose.cases)
    return ReversalPublic(entry_id=entry_id, reversal_id=reversal_id)


@router.get("/audit", response_model=list[AuditRecordPublic], dependencies=[ADMIN])
def audit_trail(uow: Uow, access: ApiAccess, entity_type: str = Query(max_length=40),
                entity_id: str = Query(max_length=40)) -> list[AuditRecordPublic]:
    """An entity's audit records. Those of a customer, or of their case, order, message or
    points entry, hold that customer's personal data: the access is recorded naming the
    customer and the case (``services.access_records.audit_trail_whose``)."""
    found = [AuditRecordPublic(seq=r.seq, occurred_at=r.occurred_at, actor=r.event.actor,
                               action=r.event.action, entity_type=r.event.entity_type,
                               entity_id=r.event.entity_id, before=r.event.before,
                               after=r.event.after, hash=r.hash)
             for r in audit.audit_trail(uow(), entity_type=entity_type, entity_id=entity_id)]
    whose = (audit_trail_whose(uow(), entity_type=entity_type, entity_id=entity_id) if found
             else WhoseData())  # nothing shown: nobody's data
    access.viewed(customers=whose.customers, cases=whose.cases)
    return found


@router.get("/audit/verify", response_model=AuditVerifyPublic, dependencies=[ADMIN])
def verify(request: Request, uow: Uow) -> AuditVerifyPublic:
    """Recompute the whole chain and check it against the anchors in this web server's
    `SAGWA_AUDIT_ANCHORS_PATH` (default `<data dir>/audit-anchors.jsonl`), as `sagwa audit
    verify` does. The worker writes anchors to its own setting: when it runs on another host,
    point both at one shared file, or this server finds none and `anchors_warning` says that
    no anchor was checked. Records and anchors keyed before a rotation of `SAGWA_SECRET_KEY`
    verify with the old secret in `SAGWA_PREVIOUS_SECRET_KEYS`; without it, `reason` names the
    missing key's fingerprint."""
    settings = request.app.state.settings
    anchors = read_anchors(Path(settings.audit_anchors_path))
    v = audit.verify_audit_log(uow(), anchors=anchors, key=settings_chain_keys(settings))
    return AuditVerifyPublic(
        ok=v.ok, checked=v.checked, first_bad_seq=v.first_bad_seq, reason=v.reason,
        keyed_from=v.keyed_from, head_seq=v.head_seq, head_hash=v.head_hash,
        anchors_checked=v.anchors_checked, anchor_failed=v.anchor_failed,
        anchors_warning=anchors_warning(v))
