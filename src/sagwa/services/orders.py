"""Place orders at the listing's current live price."""

from __future__ import annotations

from sagwa.adapters.db.market_repo import OrderRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.orders import price_order
from sagwa.priceguard.tripwire import VelocityRules
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.tripwire import watch_order_velocity
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DEFAULT_VELOCITY = VelocityRules()


def place_order(uow: SqlAlchemyUnitOfWork, *, customer_id: int, listing_id: int, quantity: int,
                actor: str, idempotency_key: str | None = None,
                velocity: VelocityRules | None = DEFAULT_VELOCITY) -> OrderRecord:
    """Refused for held, paused, ended or draft listings; the price is the one live right now.

    With ``velocity`` rules (the default), the order-velocity tripwire runs in the same
    transaction and pauses the listing if orders surge after a price change.
    """
    with uow:
        payload = {"customer_id": customer_id, "listing_id": listing_id, "quantity": quantity}
        prior = prior_result(uow, "order", idempotency_key, payload)
        if prior:
            return require(uow.market.order(prior["id"]), "order", prior["id"])
        require(uow.catalog.customer(customer_id), "customer", customer_id)
        # FOR UPDATE: an order and a price change on one listing never interleave.
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        line = price_order(listing, quantity)
        order = uow.market.add_order(customer_id=customer_id, line=line, now=uow.now())
        uow.audit.append(AuditEvent(actor, "order.placed", "order", str(order.id), after={
            "customer_id": customer_id, "listing_id": listing_id, "quantity": quantity,
            "unit_price": line.unit_price.as_dict()}), uow.now())
        if velocity is not None:
            watch_order_velocity(uow, listing, order.placed_at, velocity)
        remember(uow, "order", idempotency_key, {"id": order.id})
        uow.commit()
        return order
