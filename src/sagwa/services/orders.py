"""Place orders at the listing's current live price; read what their customers paid and got
back (:func:`orders_money`)."""

from __future__ import annotations

from collections.abc import Sequence

from sagwa.adapters.db.market_repo import OrderRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.orders import OrderMoney, order_money, price_order
from sagwa.priceguard.tripwire import VelocityRules
from sagwa.services.customer_erasure import require_not_erased
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.tripwire import watch_order_velocity
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

DEFAULT_VELOCITY = VelocityRules()


def place_order(uow: SqlAlchemyUnitOfWork, *, customer_id: int, listing_id: int, quantity: int,
                actor: str, idempotency_key: str | None = None,
                velocity: VelocityRules | None = DEFAULT_VELOCITY,
                policy: DeskPolicy | None = None,
                links: LinkMaker | None = None) -> OrderRecord:
    """Refused for held, paused, ended or draft listings; the price is the one live right now.

    With ``velocity`` rules (the default), the order-velocity tripwire runs in the same
    transaction and pauses the listing if orders surge after a price change, emailing its
    seller (``policy``: the app's desk policy, whose contact hours say when an operator will
    look; ``links``: to link the seller's page in full).
    """
    with uow:
        payload = {"customer_id": customer_id, "listing_id": listing_id, "quantity": quantity}
        prior = prior_result(uow, "order", idempotency_key, payload)
        if prior:
            return require(uow.market.order(prior["id"]), "order", prior["id"])
        require_not_erased(uow, customer_id)
        # FOR UPDATE: an order and a price change on one listing never interleave.
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        line = price_order(listing, quantity)
        order = uow.market.add_order(customer_id=customer_id, line=line, now=uow.now())
        uow.audit.append(AuditEvent(actor, "order.placed", "order", str(order.id), after={
            "customer_id": customer_id, "listing_id": listing_id, "quantity": quantity,
            "unit_price": line.unit_price.as_dict()}), uow.now())
        if velocity is not None:
            watch_order_velocity(uow, listing, order.placed_at, velocity, policy=policy,
                                 links=links)
        remember(uow, "order", idempotency_key, {"id": order.id})
        uow.commit()
        return order


def orders_money(uow: SqlAlchemyUnitOfWork,
                 orders: Sequence[OrderRecord]) -> dict[int, OrderMoney]:
    """Inside an open unit of work: order id -> what its customer paid and got back
    (``orders.order_money``), the order as placed read from the ``before`` of the desk's first
    change to it (``ReadRepository.orders_as_placed_by_id``: one query, however many orders)."""
    placed = uow.reads.orders_as_placed_by_id([o.id for o in orders])
    return {o.id: order_money(status=o.status, quantity=o.quantity, unit_price=o.unit_price,
                              placed=placed.get(o.id))
            for o in orders}
