"""The desk's refunds (``refunds``, one per refund audit record): adding one with its
cancellation, marking it paid, and finance's list by status (``sagwa.domain.refunds``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    func,
    insert,
    select,
    true,
    update,
)

from sagwa.adapters.db.tables import cases, customers, listings, orders, refunds
from sagwa.domain.money import Money
from sagwa.domain.refunds import ListedRefund, Refund, RefundFilter

_r = refunds


def _refund(row: Any) -> Refund:
    return Refund(int(row.id), int(row.audit_seq), int(row.case_id), int(row.order_id),
                  int(row.customer_id), Money(int(row.amount_minor), row.currency),
                  row.cancelled_at, row.due_by, row.paid_at, row.paid_reference, row.paid_by,
                  bool(row.backfilled))


#: From when (inclusive) until when (exclusive) a refund was paid; None: open on that side.
PaidWithin = tuple[datetime | None, datetime | None]


def _matching(which: RefundFilter, today: date) -> ColumnElement[bool]:
    """The refunds ``which`` names, on the Korean day ``today`` (overdue: owed, due before)."""
    if which is RefundFilter.OWED:
        return _r.c.paid_at.is_(None)
    if which is RefundFilter.OVERDUE:
        return and_(_r.c.paid_at.is_(None), _r.c.due_by < today)
    if which is RefundFilter.PAID:
        return _r.c.paid_at.is_not(None)
    return true()


def _of(incident_id: int | None, seller_id: int | None,
        paid_within: PaidWithin = (None, None)) -> ColumnElement[bool]:
    """The refunds of an incident's cases and of a seller's orders (either None: any), paid
    from ``paid_within[0]`` (inclusive) until ``paid_within[1]`` (exclusive; None: open)."""
    out: ColumnElement[bool] = true()
    since, until = paid_within
    if since is not None:
        out = and_(out, _r.c.paid_at >= since)
    if until is not None:
        out = and_(out, _r.c.paid_at < until)
    # correlated to the refund only: the list's own query joins these tables too
    if incident_id is not None:
        out = and_(out, exists().where(cases.c.id == _r.c.case_id,
                                       cases.c.incident_id == incident_id).correlate(_r))
    if seller_id is not None:
        out = and_(out, exists().where(orders.c.id == _r.c.order_id,
                                       listings.c.id == orders.c.listing_id,
                                       listings.c.seller_id == seller_id).correlate(_r))
    return out


def _listed() -> Select[Any]:
    return (select(_r, cases.c.incident_id, customers.c.name.label("customer_name"),
                   listings.c.seller_id)
            .join(cases, cases.c.id == _r.c.case_id)
            .join(customers, customers.c.id == _r.c.customer_id)
            .outerjoin(orders, orders.c.id == _r.c.order_id)
            .outerjoin(listings, listings.c.id == orders.c.listing_id))


class RefundRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, *, audit_seq: int, case_id: int, order_id: int, customer_id: int,
            amount: Money, cancelled_at: datetime, due_by: date) -> int:
        return int(self.conn.execute(insert(_r).values(
            audit_seq=audit_seq, case_id=case_id, order_id=order_id, customer_id=customer_id,
            amount_minor=amount.amount_minor, currency=amount.currency,
            cancelled_at=cancelled_at, due_by=due_by).returning(_r.c.id)).scalar_one())

    def get(self, refund_id: int, *, for_update: bool = False) -> Refund | None:
        q = select(_r).where(_r.c.id == refund_id)
        row = self.conn.execute(q.with_for_update() if for_update else q).one_or_none()
        return _refund(row) if row is not None else None

    def get_many(self, refund_ids: list[int], *, for_update: bool = False) -> dict[int, Refund]:
        """The refunds of ``refund_ids`` that exist, by id (locked in id order with
        ``for_update``, so two batches cannot wait on each other)."""
        q = select(_r).where(_r.c.id.in_(refund_ids)).order_by(_r.c.id)
        rows = self.conn.execute(q.with_for_update() if for_update else q)
        return {int(row.id): _refund(row) for row in rows}

    def owed_backfilled_before(self, moment: datetime, *, for_update: bool = False
                               ) -> list[Refund]:
        """The refunds migration 0023 backfilled (recorded before sagwa tracked refunds) still
        owed whose order was cancelled before ``moment``, by id; never one the desk recorded
        since, which finance may not have paid."""
        q = (select(_r).where(_r.c.backfilled, _r.c.paid_at.is_(None),
                              _r.c.cancelled_at < moment)
             .order_by(_r.c.id))
        return [_refund(row) for row in self.conn.execute(q.with_for_update() if for_update
                                                          else q)]

    def for_case(self, case_id: int) -> list[Refund]:
        """The case's refunds, in the order they were recorded."""
        q = select(_r).where(_r.c.case_id == case_id).order_by(_r.c.id)
        return [_refund(row) for row in self.conn.execute(q)]

    def for_incident(self, incident_id: int) -> list[Refund]:
        """The refunds of the incident's cases, in the order they were recorded."""
        q = (select(_r).join(cases, cases.c.id == _r.c.case_id)
             .where(cases.c.incident_id == incident_id).order_by(_r.c.id))
        return [_refund(row) for row in self.conn.execute(q)]

    def mark_paid(self, refund_id: int, *, at: datetime, reference: str, by: str) -> None:
        self.conn.execute(update(_r).where(_r.c.id == refund_id, _r.c.paid_at.is_(None))
                          .values(paid_at=at, paid_reference=reference, paid_by=by))

    def listed(self, which: RefundFilter, *, today: date, after: int = 0,
               limit: int | None = None, incident_id: int | None = None,
               seller_id: int | None = None,
               paid_within: PaidWithin = (None, None)) -> list[ListedRefund]:
        """The refunds ``which`` names on the Korean day ``today`` (of ``incident_id``'s cases,
        of ``seller_id``'s orders, paid ``paid_within``), by id (the order they were recorded
        in), after the refund ``after``; at most ``limit`` (None: all)."""
        q = (_listed().where(_matching(which, today), _of(incident_id, seller_id, paid_within),
                             _r.c.id > after)
             .order_by(_r.c.id).limit(limit))
        return [ListedRefund(_refund(row), int(row.incident_id), row.customer_name,
                             None if row.seller_id is None else int(row.seller_id))
                for row in self.conn.execute(q)]

    def count(self, which: RefundFilter, *, today: date, incident_id: int | None = None,
              seller_id: int | None = None, paid_within: PaidWithin = (None, None)) -> int:
        q = (select(func.count()).select_from(_r)
             .where(_matching(which, today), _of(incident_id, seller_id, paid_within)))
        return int(self.conn.execute(q).scalar_one())

    def amount_totals(self, which: RefundFilter, *, today: date, incident_id: int | None = None,
                      seller_id: int | None = None,
                      paid_within: PaidWithin = (None, None)) -> dict[str, int]:
        """Currency -> the minor units of every refund ``which`` names (not only a page's)."""
        q = (select(_r.c.currency, func.sum(_r.c.amount_minor))
             .where(_matching(which, today), _of(incident_id, seller_id, paid_within))
             .group_by(_r.c.currency).order_by(_r.c.currency))
        return {str(c): int(total) for c, total in self.conn.execute(q)}
