"""Scoping an incident: which orders it hit, grouped into one case per customer.

``build_cases(orders, incident)`` takes plain :class:`~sagwa.domain.incidents.OrderRecord`
values (the service loads them) and returns :class:`CaseDraft` values with their exposure —
what honouring every affected order at the price paid would cost:
Σ (correct price − price paid) × quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.domain.incidents import Case, Id, Incident, OrderRecord
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput


@dataclass(frozen=True)
class CaseDraft:
    """One customer's affected orders and what honouring them all would cost."""

    incident_id: Id
    customer_id: Id
    orders: tuple[OrderRecord, ...]
    exposure: Money

    @property
    def units(self) -> int:
        return sum(order.quantity for order in self.orders)


def is_affected(order: OrderRecord, incident: Incident) -> bool:
    """On one of the listings, placed in the window, below the correct price.

    "Below the correct price" rather than "exactly the wrong price" so that an order that
    also used a coupon on the wrong price is not left out. Order status does not matter: an
    order the seller already cancelled on their own is exactly whom this desk is for.
    """
    correct = incident.correct_price
    return (
        correct is not None
        and order.listing_id in incident.listing_ids
        and incident.in_window(order.placed_at)
        and order.unit_price.currency == correct.currency
        and order.unit_price < correct
    )


def build_cases(
    orders: list[OrderRecord] | tuple[OrderRecord, ...], incident: Incident
) -> list[CaseDraft]:
    """One case per customer with every affected order; exposure = Σ (correct − paid) × qty.

    Cases come out sorted by customer id (as text), orders by (placed_at, order id).
    """
    correct = incident.correct_price
    if correct is None or incident.declared_at is None:
        raise InvalidInput("only a declared incident can be scoped", field="incident",
                           reason="incident_not_declared")
    by_customer: dict[Id, list[OrderRecord]] = {}
    for order in orders:
        if is_affected(order, incident):
            by_customer.setdefault(order.customer_id, []).append(order)
    drafts = []
    for customer_id in sorted(by_customer, key=str):
        mine = tuple(sorted(by_customer[customer_id], key=lambda o: (o.placed_at, str(o.order_id))))
        exposure = Money(0, correct.currency)
        for order in mine:
            exposure += (correct - order.unit_price).times(order.quantity)
        drafts.append(CaseDraft(incident.incident_id, customer_id, mine, exposure))
    return drafts


def open_case(draft: CaseDraft, *, case_id: Id) -> Case:
    """Turn a scoping draft into a tracked case."""
    if not draft.orders:
        raise InvalidInput("a case needs at least one affected order", field="orders",
                           reason="case_without_orders")
    return Case(
        case_id=case_id,
        incident_id=draft.incident_id,
        customer_id=draft.customer_id,
        orders=draft.orders,
        exposure=draft.exposure,
    )
