"""The few page queries the repositories do not have: read-only, one round trip each.

They read the tables directly (like ``services/desk_status``) because they join what the
repositories keep apart — listings with product titles, cases with plans and customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sagwa.adapters.db.tables import (
    cases,
    contact_attempts,
    customers,
    incident_plans,
    listings,
    price_changes,
    products,
)
from sagwa.domain.money import Money
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class ListingLine:
    id: int
    product_id: int
    title: str
    title_en: str | None
    price: Money
    status: str
    held: int


def seller_listings(uow: SqlAlchemyUnitOfWork, seller_id: int, *,
                    limit: int = 500) -> list[ListingLine]:
    held = (select(price_changes.c.listing_id, func.count().label("n"))
            .where(price_changes.c.status == "held").group_by(price_changes.c.listing_id)
            .subquery())
    q = (select(listings, products.c.title, products.c.title_en, held.c.n)
         .join(products, products.c.id == listings.c.product_id)
         .outerjoin(held, held.c.listing_id == listings.c.id)
         .where(listings.c.seller_id == seller_id).order_by(products.c.title).limit(limit))
    return [ListingLine(r.id, r.product_id, r.title, r.title_en,
                        Money(r.price_minor, r.currency), r.status, int(r.n or 0))
            for r in uow.conn.execute(q)]


@dataclass(frozen=True)
class QueuedCase:
    case_id: int
    incident_id: int
    customer_id: int
    customer_name: str
    phone: str | None
    locale: str
    status: str
    choice: str | None
    exposure: Money
    deadline: datetime | None


def call_queue(uow: SqlAlchemyUnitOfWork, *, limit: int = 100) -> list[QueuedCase]:
    """Cases waiting for a call (escalated, which includes "talk to a person"), by deadline."""
    q = (select(cases, customers.c.name, customers.c.phone, customers.c.locale,
                incident_plans.c.deadline)
         .join(customers, customers.c.id == cases.c.customer_id)
         .outerjoin(incident_plans, incident_plans.c.incident_id == cases.c.incident_id)
         .where(cases.c.status == "escalated")
         .order_by(incident_plans.c.deadline.asc().nulls_last(), cases.c.id).limit(limit))
    return [QueuedCase(r.id, r.incident_id, r.customer_id, r.name, r.phone, r.locale, r.status,
                       r.choice, Money(r.exposure_minor, r.currency), r.deadline)
            for r in uow.conn.execute(q)]


def customer_names(uow: SqlAlchemyUnitOfWork, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    q = select(customers.c.id, customers.c.name).where(customers.c.id.in_(ids))
    return {int(r.id): r.name for r in uow.conn.execute(q)}


def attempts_by_case(uow: SqlAlchemyUnitOfWork, case_ids: list[int]) -> dict[int, list[Any]]:
    """Contact attempts of many cases at once, oldest first."""
    out: dict[int, list[Any]] = {}
    if not case_ids:
        return out
    q = (select(contact_attempts).where(contact_attempts.c.case_id.in_(case_ids))
         .order_by(contact_attempts.c.attempted_at, contact_attempts.c.id))
    for row in uow.conn.execute(q):
        out.setdefault(int(row.case_id), []).append(row)
    return out


def guard_reasons_ko(uow: SqlAlchemyUnitOfWork, listing_ids: list[int]) -> dict[str, str]:
    """The price guard's reasons on these listings' changes: English (as the audit log keeps
    them) -> the Korean stored with the same change."""
    if not listing_ids:
        return {}
    q = (select(price_changes.c.guard_reason_en, price_changes.c.guard_reason_ko)
         .where(price_changes.c.listing_id.in_(listing_ids),
                price_changes.c.guard_reason_en.is_not(None),
                price_changes.c.guard_reason_ko.is_not(None)).distinct())
    return {r.guard_reason_en: r.guard_reason_ko for r in uow.conn.execute(q)}
