"""Refunds owed over HTTP (``services.refunds``): finance's list, the same as
``sagwa refunds list``, and marking a refund paid. Finance accounts (and admins) only, as for
the ledger; reviewers, agents and sellers are refused (403, ``role_not_allowed``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from sagwa.domain.refunds import RefundFilter
from sagwa.services import refunds
from sagwa.web.api.incidents import policy_of
from sagwa.web.deps import FINANCE, Actor, ApiAccess, IdempotencyKey, Uow
from sagwa.web.schemas import Body, IsoText, KoreaDay, MoneyIO

router = APIRouter(prefix="/api", tags=["refunds"])


class RefundPublic(BaseModel):
    refund_id: int
    case_id: int
    order_id: int
    customer_id: int
    amount_minor: int
    currency: str
    cancelled_at: datetime
    due_by: date
    status: str
    overdue: bool
    paid_at: datetime | None
    paid_reference: str | None
    paid_by: str | None


class ListedRefundPublic(RefundPublic):
    incident_id: int
    customer_name: str
    seller_id: int | None = None


class RefundListPublic(BaseModel):
    status: RefundFilter
    now: datetime
    total: int
    next_after: int | None
    refunds: list[ListedRefundPublic]
    #: What every refund listed comes to per currency (all matches, not this page's).
    amount_totals: list[MoneyIO] = []
    #: The Korean days the refunds listed were paid in, when the list was asked for them.
    paid_from: date | None = None
    paid_to: date | None = None


class RefundPaid(Body):
    reference: str
    paid_at: IsoText | None = None


@router.get("/refunds", response_model=RefundListPublic, dependencies=[FINANCE])
def refunds_owed(uow: Uow, access: ApiAccess, status: RefundFilter = RefundFilter.OWED,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 after: Annotated[int, Query(ge=0)] = 0,
                 incident_id: Annotated[int | None, Query(ge=1)] = None,
                 seller_id: Annotated[int | None, Query(ge=1)] = None,
                 paid_from: Annotated[KoreaDay | None, Query(
                     description="paid on or after this Korean day, YYYY-MM-DD")] = None,
                 paid_to: Annotated[KoreaDay | None, Query(
                     description="paid on or before this Korean day")] = None,
                 ) -> RefundListPublic:
    """The refunds the desk recorded when it cancelled orders, by id (the order they were
    recorded in): ``owed`` (not paid yet), ``overdue`` (owed and past ``due_by``, the third
    Korean business day after the cancellation, as read now), ``paid`` or ``all``. Pages: pass
    ``next_after`` as ``after``. ``incident_id`` / ``seller_id``: only the refunds of that
    incident's cases / that seller's orders (one that does not exist: 404 ``unknown_id``);
    ``paid_from`` / ``paid_to``: only those paid in those Korean days (a month's payments for
    the books; with ``status`` paid or all); ``amount_totals``: what every refund listed comes
    to, per currency."""
    found = refunds.list_refunds(uow(), which=status, limit=limit, after=after,
                                 incident_id=incident_id, seller_id=seller_id,
                                 paid_from=paid_from, paid_to=paid_to)
    access.viewed(cases=[i.refund.case_id for i in found.items],
                  customers=[i.refund.customer_id for i in found.items])
    return RefundListPublic.model_validate(found.as_dict())


@router.post("/refunds/{refund_id}/paid", response_model=RefundPublic, dependencies=[FINANCE])
def mark_paid(refund_id: int, body: RefundPaid, request: Request, uow: Uow, actor: Actor,
              key: IdempotencyKey, access: ApiAccess) -> RefundPublic:
    """Record that the refund was paid (``paid_at``, default now, with a zone; not in the
    future, not before the cancellation) with the payment's ``reference``. A retry with the
    same Idempotency-Key answers the refund again (its access record: a ``view``); a refund
    already paid is refused (409, ``refund_already_paid``, saying when and by whom). A payment
    whose access record cannot be written is not recorded (503 ``access_record_unwritten``).
    The customer is sent a note that their refund was paid (by email, or text without one;
    held to the contact centre's hours), never quoting the reference."""
    with uow() as u:  # whose refund, for the record written with the payment (none: 404)
        found = u.refunds.get(refund_id)
    changing = access.changing(uow(), cases=[found.case_id] if found else [],
                               customers=[found.customer_id] if found else [])
    paid = refunds.mark_refund_paid(changing, refund_id=refund_id,
                                    reference=body.reference, paid_at=body.paid_at, actor=actor,
                                    idempotency_key=key, policy=policy_of(request))
    access.answered(cases=[paid.case_id], customers=[paid.customer_id])
    return RefundPublic.model_validate(refunds.refund_dict(paid, uow().now()))
