"""Orders: a customer buys a quantity of a listing at the price it showed at that moment.

The incident desk may change an order in place (a cancellation, fewer units, a discount's new
unit price); the audit log keeps the order as placed (the ``before`` of the desk's first
change), and :func:`order_money` reads from both what the customer paid and got back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sagwa.domain.listings import Listing
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition, InvalidInput, ListingNotOrderable

MAX_QUANTITY = 100


class OrderStatus(StrEnum):
    PLACED = "placed"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class OrderTrigger(StrEnum):
    FULFIL = "fulfil"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[OrderStatus, OrderTrigger], OrderStatus] = {
    (OrderStatus.PLACED, OrderTrigger.FULFIL): OrderStatus.FULFILLED,
    (OrderStatus.PLACED, OrderTrigger.CANCEL): OrderStatus.CANCELLED,
}


def advance(status: OrderStatus, trigger: OrderTrigger) -> OrderStatus:
    try:
        return TRANSITIONS[(status, trigger)]
    except KeyError:
        raise IllegalTransition(
            f"a {status.value} order cannot {trigger.value}",
            status=status.value,
            reason="order_status",
        ) from None


@dataclass(frozen=True)
class OrderLine:
    """What an order will be: decided from the listing as it is now."""

    listing_id: int
    quantity: int
    unit_price: Money

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


def price_order(listing: Listing, quantity: int) -> OrderLine:
    """An order line at the listing's current live price; refused unless the listing is live."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"quantity must be 1 to {MAX_QUANTITY}, got {quantity!r}",
                           field="quantity", reason="quantity_out_of_range", max=MAX_QUANTITY)
    if not listing.orderable:
        raise ListingNotOrderable(
            f"listing {listing.id} is {listing.status.value}; only live listings take orders",
            listing_id=listing.id,
            status=listing.status.value, reason="listing_not_live",
        )
    return OrderLine(listing.id, quantity, listing.price)


@dataclass(frozen=True)
class OrderMoney:
    """What an order's customer paid and got back, whatever the desk changed since: the
    ``quantity`` and ``unit_price`` it was placed (and paid) at, and ``refunded``: its units no
    longer standing (all of a cancelled order's), at the price paid."""

    quantity: int
    unit_price: Money
    refunded: Money

    @property
    def paid(self) -> Money:
        return self.unit_price.times(self.quantity)


def order_money(*, status: OrderStatus, quantity: int, unit_price: Money,
                placed: tuple[int, int] | None) -> OrderMoney:
    """The money of an order standing at ``quantity`` × ``unit_price`` with ``status`` now,
    placed at ``placed`` (quantity, unit price in minor units; None: never changed, it stands
    as placed) — the same reading as ``case_figures`` gives per order of a case."""
    ordered, minor = placed if placed is not None else (quantity, unit_price.amount_minor)
    paid_each = Money(minor, unit_price.currency)
    kept = 0 if status is OrderStatus.CANCELLED else quantity
    return OrderMoney(ordered, paid_each, paid_each.times(max(ordered - kept, 0)))
