"""Incidents, their plans, cases, contact attempts and public notices in PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy import case as sa_case

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.tables import (
    incident_listings,
    incident_plans,
    incidents,
    listings,
    orders,
)
from sagwa.domain.difference import DifferencePaid
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Case, Incident, IncidentStatus, OrderRecord, Responsibility
from sagwa.domain.ledger import POINTS_CURRENCY
from sagwa.domain.money import Money


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    declared_by: str | None
    closed_at: datetime | None
    evidence: dict[str, Any] | None
    #: When an operator narrowed the closed incident's price block to the band around its
    #: wrong price (``incident_prices.narrow_price_block``), or None.
    band_only_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseRow:
    case: Case
    first_notified_at: datetime | None
    compensation_entry_id: int | None
    #: The discount choice's difference recorded as paid (``domain.difference``), or None.
    difference_paid: DifferencePaid | None = None
    #: The time the customer picked on their page for the call they are owed
    #: (``domain.call_times``), or None.
    call_at: datetime | None = None


@dataclass(frozen=True)
class NoticeRow:
    id: int
    incident_id: int
    version: int
    lang: str
    title: str
    body: str
    published_by: str
    published_at: datetime


def _incident(row: Any, listing_ids: frozenset[int]) -> IncidentRow:
    cur = row.currency
    inc = Incident(
        incident_id=row.id, listing_ids=listing_ids, wrong_price=Money(row.wrong_price_minor, cur),
        window_start=row.window_start, cause=row.cause, opened_at=row.opened_at,
        opened_by=row.opened_by, status=IncidentStatus(row.status),
        correct_price=(Money(row.correct_price_minor, cur)
                       if row.correct_price_minor is not None else None),
        window_end=row.window_end,
        responsible=Responsibility(row.responsible) if row.responsible else None,
        declared_at=row.declared_at)
    return IncidentRow(inc, row.declared_by, row.closed_at, row.evidence, row.band_only_at)


def _order(row: Any) -> OrderRecord:
    return OrderRecord(row.id, row.customer_id, row.listing_id, row.quantity,
                       Money(row.unit_price_minor, row.currency), row.placed_at, row.status)


class IncidentRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # incidents
    def next_id(self) -> int:
        return int(self.conn.execute(
            select(func.nextval(func.pg_get_serial_sequence("incidents", "id")))).scalar_one())

    def add(self, inc: Incident, *, evidence: dict[str, Any] | None = None,
            declared_by: str | None = None) -> int:
        correct = inc.correct_price
        incident_id = self.conn.execute(insert(incidents).values(
            id=inc.incident_id, status=inc.status.value, wrong_price_minor=inc.wrong_price.amount_minor,
            correct_price_minor=correct.amount_minor if correct else None,
            currency=inc.wrong_price.currency, window_start=inc.window_start,
            window_end=inc.window_end, cause=inc.cause,
            responsible=inc.responsible.value if inc.responsible else None,
            opened_by=inc.opened_by, opened_at=inc.opened_at, declared_by=declared_by,
            declared_at=inc.declared_at, evidence=evidence,
        ).returning(incidents.c.id)).scalar_one()
        self.conn.execute(insert(incident_listings), [
            {"incident_id": incident_id, "listing_id": lid} for lid in sorted(inc.listing_ids)])
        return int(incident_id)

    def get(self, incident_id: int, *, for_update: bool = False,
            for_share: bool = False) -> IncidentRow | None:
        """``for_share``: the row stays as read until commit (closing it waits), while other
        readers that share it (customers choosing at once) do not wait for each other."""
        q = select(incidents).where(incidents.c.id == incident_id)
        if for_update or for_share:
            q = q.with_for_update(read=not for_update)
        row = self.conn.execute(q).one_or_none()
        if row is None:
            return None
        ids = self.conn.execute(select(incident_listings.c.listing_id).where(
            incident_listings.c.incident_id == incident_id)).scalars().all()
        return _incident(row, frozenset(int(i) for i in ids))

    def save(self, inc: Incident, *, declared_by: str | None = None,
             closed_at: datetime | None = None) -> None:
        correct = inc.correct_price
        values: dict[str, Any] = {
            "status": inc.status.value, "window_end": inc.window_end, "cause": inc.cause,
            "wrong_price_minor": inc.wrong_price.amount_minor,
            "currency": inc.wrong_price.currency, "window_start": inc.window_start,
            "correct_price_minor": correct.amount_minor if correct else None,
            "responsible": inc.responsible.value if inc.responsible else None,
            "declared_at": inc.declared_at}
        if declared_by is not None:
            values["declared_by"] = declared_by
        if closed_at is not None:
            values["closed_at"] = closed_at
        self.conn.execute(update(incidents).where(incidents.c.id == inc.incident_id).values(**values))

    def set_band_only(self, incident_id: int, at: datetime) -> None:
        self.conn.execute(update(incidents).where(incidents.c.id == incident_id)
                          .values(band_only_at=at))

    def list(self, *, limit: int = 50, offset: int = 0) -> list[IncidentRow]:
        """The newest incidents first, with their listings: two queries, whatever ``limit``."""
        rows = self.conn.execute(select(incidents).order_by(incidents.c.id.desc())
                                 .limit(limit).offset(offset)).all()
        listed: dict[int, set[int]] = {int(r.id): set() for r in rows}
        if listed:
            for incident_id, listing_id in self.conn.execute(
                    select(incident_listings.c.incident_id, incident_listings.c.listing_id)
                    .where(among(incident_listings.c.incident_id, list(listed)))):
                listed[int(incident_id)].add(int(listing_id))
        return [_incident(r, frozenset(listed[int(r.id)])) for r in rows]

    def ids_with_status(self, status: IncidentStatus) -> list[int]:
        """The ids of the incidents in ``status``, oldest first."""
        return [int(i) for i in self.conn.execute(
            select(incidents.c.id).where(incidents.c.status == status.value)
            .order_by(incidents.c.id)).scalars()]

    def add_listings(self, incident_id: int, listing_ids: frozenset[int] | set[int]) -> None:
        """Listings added to an incident (a draft declared with more listings than it had)."""
        if listing_ids:
            self.conn.execute(insert(incident_listings), [
                {"incident_id": incident_id, "listing_id": int(lid)}
                for lid in sorted(listing_ids)])

    def open_for_listing(self, listing_id: int, *, excluding: int | None = None) -> int | None:
        """The first open (not closed) incident this listing is in, other than ``excluding``."""
        found = self.all_open_for_listing(listing_id, excluding=excluding)
        return found[0] if found else None

    def standing_for_listing(self, listing_id: int, *,
                             excluding: int | None = None) -> list[IncidentRow]:
        """Every incident this listing is in that answers for its orders: open ones and closed
        ones that were declared (a dismissed draft answered nobody), other than ``excluding``."""
        q = (select(incidents.c.id).join(incident_listings,
                                         incident_listings.c.incident_id == incidents.c.id)
             .where(incident_listings.c.listing_id == listing_id,
                    (incidents.c.status != IncidentStatus.CLOSED.value)
                    | incidents.c.declared_at.is_not(None)))
        if excluding is not None:
            q = q.where(incidents.c.id != excluding)
        rows = (self.get(int(i)) for i in self.conn.execute(q.order_by(incidents.c.id)).scalars())
        return [r for r in rows if r is not None]

    def standing_for_product_of(self, listing_id: int) -> list[IncidentRow]:
        """Every standing incident (as :meth:`standing_for_listing`) about any listing of the
        product ``listing_id`` sells, this listing's included: the wrong price is blocked for
        the product (``incident_prices``)."""
        product = select(listings.c.product_id).where(listings.c.id == listing_id)
        q = (select(incidents.c.id).distinct()
             .join(incident_listings, incident_listings.c.incident_id == incidents.c.id)
             .join(listings, listings.c.id == incident_listings.c.listing_id)
             .where(listings.c.product_id == product.scalar_subquery(),
                    (incidents.c.status != IncidentStatus.CLOSED.value)
                    | incidents.c.declared_at.is_not(None)))
        rows = (self.get(int(i)) for i in self.conn.execute(q.order_by(incidents.c.id)).scalars())
        return [r for r in rows if r is not None]

    def all_open_for_listing(self, listing_id: int, *,
                             excluding: int | None = None) -> list[int]:
        """Every open (not closed) incident this listing is in, other than ``excluding``."""
        q = (select(incidents.c.id).join(incident_listings,
                                         incident_listings.c.incident_id == incidents.c.id)
             .where(incident_listings.c.listing_id == listing_id,
                    incidents.c.status != IncidentStatus.CLOSED.value))
        if excluding is not None:
            q = q.where(incidents.c.id != excluding)
        return [int(i) for i in self.conn.execute(q.order_by(incidents.c.id)).scalars()]

    def orders_in_window(self, listing_ids: frozenset[int], start: datetime,
                         end: datetime) -> list[OrderRecord]:
        q = (select(orders).where(orders.c.listing_id.in_(sorted(listing_ids)),
                                  orders.c.placed_at >= start, orders.c.placed_at <= end)
             .order_by(orders.c.placed_at, orders.c.id))
        return [_order(r) for r in self.conn.execute(q)]

    # plans
    def save_plan(self, plan: IncidentPlan, *, decided_by: str) -> None:
        values = {
            "options": sorted(o.value for o in plan.options), "deadline": plan.deadline,
            "default_action": plan.default.value, "seller_share_pct": plan.seller_share_pct,
            "platform_share_pct": plan.platform_share_pct,
            "cancel_compensation_minor": (plan.cancel_compensation.amount_minor
                                       if plan.cancel_compensation else None),
            "discount_pct": plan.discount_pct, "keep_max_units": plan.keep_max_units,
            "accept_late_choices": plan.accept_late_choices, "decided_by": decided_by,
            "decided_at": plan.decided_at}
        exists = self.conn.execute(select(incident_plans.c.incident_id).where(
            incident_plans.c.incident_id == plan.incident_id)).scalar_one_or_none()
        if exists is None:
            self.conn.execute(insert(incident_plans).values(incident_id=plan.incident_id, **values))
        else:
            # a reply window fixed under another deadline is not this plan's
            kept = sa_case((incident_plans.c.deadline == plan.deadline,
                            incident_plans.c.replies_until), else_=None)
            self.conn.execute(update(incident_plans).where(
                incident_plans.c.incident_id == plan.incident_id).values(
                    replies_until=kept, **values))

    def fix_reply_window(self, incident_id: int, replies_until: datetime) -> datetime:
        """Write until when a reply that reached us by the deadline may be recorded, unless it
        is written already; the window that stands."""
        self.conn.execute(update(incident_plans).where(
            incident_plans.c.incident_id == incident_id,
            incident_plans.c.replies_until.is_(None)).values(replies_until=replies_until))
        return self.conn.execute(select(incident_plans.c.replies_until).where(
            incident_plans.c.incident_id == incident_id)).scalar_one()

    def plan(self, incident_id: int, correct_price: Money) -> IncidentPlan | None:
        row = self.conn.execute(select(incident_plans).where(
            incident_plans.c.incident_id == incident_id)).one_or_none()
        if row is None:
            return None
        return IncidentPlan(
            incident_id=incident_id, options=frozenset(CustomerOption(o) for o in row.options),
            deadline=row.deadline, default=DefaultAction(row.default_action),
            seller_share_pct=row.seller_share_pct, platform_share_pct=row.platform_share_pct,
            decided_at=row.decided_at, correct_price=correct_price,
            cancel_compensation=(Money(row.cancel_compensation_minor, POINTS_CURRENCY)
                                 if row.cancel_compensation_minor is not None else None),
            discount_pct=row.discount_pct, keep_max_units=row.keep_max_units,
            accept_late_choices=row.accept_late_choices, replies_until=row.replies_until)

    def plan_decided_by(self, incident_id: int) -> str | None:
        return self.conn.execute(select(incident_plans.c.decided_by).where(
            incident_plans.c.incident_id == incident_id)).scalar_one_or_none()
