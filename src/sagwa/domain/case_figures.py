"""A case's figures after its choice took effect: which units the customer keeps, which were
refunded, and the money on each side — the one reading for the API, the operator's case table
and the customer's page.

A choice can change the orders themselves (``consent.effects_of_choice``): a keep above the
plan's cap lowers an order's quantity and refunds the rest, a cancellation cancels the order, a
discount reprices it. The case's ``exposure`` stays what scoping measured, Σ (correct − paid) ×
units *as ordered*; so the figures are taken per order from the order as placed (the desk's
first change records it) and the order as it stands now:

* ``units_ordered`` and ``paid`` — as placed (what the customer ordered and paid);
* ``units_kept`` — units on orders still standing; ``units_refunded`` = ordered − kept, and
  ``refunded`` = those units at the unit price paid;
* ``exposure`` — as scoping measured it (the units as ordered); ``exposure_kept`` — the part
  still honoured: Σ (correct − unit price now) × units kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sagwa.domain.incidents import Case, OrderRecord
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus


@dataclass(frozen=True)
class OrderFigures:
    """One order of a case: units as ordered, kept and refunded, and the refund."""

    order_id: int
    units_ordered: int
    units_kept: int
    units_refunded: int
    unit_price_paid: Money
    refunded: Money


@dataclass(frozen=True)
class CaseFigures:
    """The case's figures, per the module docstring; ``orders`` says which units are which."""

    units_ordered: int
    units_kept: int
    units_refunded: int
    paid: Money
    refunded: Money
    exposure: Money
    exposure_kept: Money
    orders: tuple[OrderFigures, ...]

    def as_dict(self) -> dict[str, object]:
        return {"units_ordered": self.units_ordered, "units_kept": self.units_kept,
                "units_refunded": self.units_refunded, "paid": self.paid.as_dict(),
                "refunded": self.refunded.as_dict(), "exposure": self.exposure.as_dict(),
                "exposure_kept": self.exposure_kept.as_dict(),
                "orders": [{"order_id": o.order_id, "units_ordered": o.units_ordered,
                            "units_kept": o.units_kept, "units_refunded": o.units_refunded,
                            "unit_price_paid": o.unit_price_paid.as_dict(),
                            "refunded": o.refunded.as_dict()} for o in self.orders]}


def _units_kept(order: OrderRecord) -> int:
    return 0 if order.status == OrderStatus.CANCELLED.value else order.quantity


def _order(order: OrderRecord, placed: tuple[int, int] | None) -> OrderFigures:
    """The order's figures."""
    quantity, price_minor = placed if placed else (order.quantity, order.unit_price.amount_minor)
    paid_each = Money(price_minor, order.unit_price.currency)
    kept = _units_kept(order)
    refunded_units = max(quantity - kept, 0)
    return OrderFigures(int(order.order_id), quantity, kept, refunded_units, paid_each,
                        paid_each.times(refunded_units))


def exposure_kept(case: Case, correct_price: Money) -> Money:
    """The part of ``case``'s exposure still honoured, Σ (correct − unit price now) × units
    kept (:attr:`CaseFigures.exposure_kept`): the orders as they stand now only, so an
    incident's total needs no order as placed."""
    return exposure_kept_of_units(((o.unit_price, _units_kept(o)) for o in case.orders),
                                  correct_price, case.exposure.currency)


def exposure_kept_of_units(units_kept: Iterable[tuple[Money, int]], correct_price: Money,
                           currency: str) -> Money:
    """Σ (correct − unit price now) × units kept over ``(unit price now, units kept)`` pairs:
    one case's orders, or an incident's units kept counted by unit price (its total, without
    reading every case)."""
    return sum(((correct_price - price).times(units) for price, units in units_kept),
               Money(0, currency))


def case_figures(case: Case, placed: Mapping[int, tuple[int, int]], correct_price: Money
                 ) -> CaseFigures:
    """``case``'s figures, from its orders now and ``placed``: order id -> (quantity, unit price
    in minor units) as placed, for the orders the desk changed (``ReadRepository
    .orders_as_placed``); an order missing from it stands as placed."""
    rows = [_order(order, placed.get(int(order.order_id))) for order in case.orders]
    zero = Money(0, case.exposure.currency)
    return CaseFigures(
        units_ordered=sum(o.units_ordered for o in rows),
        units_kept=sum(o.units_kept for o in rows),
        units_refunded=sum(o.units_refunded for o in rows),
        paid=sum((o.unit_price_paid.times(o.units_ordered) for o in rows), zero),
        refunded=sum((o.refunded for o in rows), zero),
        exposure=case.exposure, exposure_kept=exposure_kept(case, correct_price),
        orders=tuple(rows))
