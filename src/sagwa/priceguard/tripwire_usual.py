"""A listing's usual orders by hour of the day, and how many units an order usually takes. Pure.

A flat average (orders over hours on sale) makes every evening peak of a popular listing look
like a surge. The tripwire instead expects, for each hour of the day, that hour's own usual
rate — the orders placed in that hour of the day over the hours the listing was on sale in
it, shrunk towards the flat rate by :data:`PRIOR_HOURS` hours of it, so that a few orders in a
rarely-open hour do not make a peak, never below half the flat rate (a quiet night is
expected quiet, not closed, and does not hide a rush at night behind the day's average). Hours are counted on UTC's
clock: Korea (UTC+9, no summer time) has the same hours of the day, shifted.

Units: four orders of a hundred each are not four orders of one. :func:`unit_habit` gives
the usual units per order and their spread (the mean of q² over the mean of q), with which
the tripwire compares the units ordered, as it compares the orders.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sagwa.priceguard.tripwire_watch import SaleChange

HOURS_IN_DAY = 24
#: Hours of the flat rate mixed into each hour of the day's own rate.
PRIOR_HOURS = 7.0
#: The least share of the flat rate any hour of the day is expected at.
QUIET_SHARE = 0.5
_HOUR = timedelta(hours=1)


def hours_by_hour_of_day(changes: Sequence[SaleChange], *, start: datetime,
                         end: datetime) -> list[float]:
    """Hours on sale within ``[start, end)`` for each hour of the day (UTC), from the sale
    changes in the order they happened; they add up to ``hours_on_sale`` over the same span."""
    hours = [0.0] * HOURS_IN_DAY
    on_since: datetime | None = None
    for at, on_sale in [*changes, (end, False)]:
        if on_sale and on_since is None:
            on_since = at
        elif not on_sale and on_since is not None:
            _spread(hours, max(on_since, start), min(at, end))
            on_since = None
    return hours


def usual_by_hour(orders_by_hour: Sequence[int], hours_by_hour: Sequence[float], *,
                  flat: float, prior_hours: float = PRIOR_HOURS) -> tuple[float, ...]:
    """Each hour of the day's usual orders an hour: that hour's own rate shrunk towards
    ``flat`` (``prior_hours`` hours of it), so that a few orders in a rarely-open hour make no
    peak and an hour never open is expected at the flat rate — and never below
    :data:`QUIET_SHARE` of it: an hour that happened to be quiet for four weeks is not taken
    to be closed."""
    return tuple(max(QUIET_SHARE * flat, (orders + prior_hours * flat) / (hours + prior_hours))
                 for orders, hours in zip(orders_by_hour, hours_by_hour, strict=True))


def expected_between(by_hour: Sequence[float], *, start: datetime, end: datetime,
                     floor: float = 0.0) -> float:
    """Orders expected in ``[start, end)`` at ``by_hour`` rates (each at least ``floor``)."""
    rates = [max(rate, floor) for rate in by_hour]
    total = [0.0] * HOURS_IN_DAY
    _spread(total, start, end)
    return sum(rate * hours for rate, hours in zip(rates, total, strict=True))


def unit_habit(orders: int, units: int, units_squared: int) -> tuple[float, float]:
    """``(units per order, spread)`` from a history of ``orders`` taking ``units`` in all and
    ``units_squared`` (the sum of each order's units squared); ``(1, 1)`` with no orders. The
    spread, mean q² over mean q, is how much more a count of units varies than a count of
    orders (1 when every order takes one)."""
    if orders <= 0 or units <= 0:
        return 1.0, 1.0
    return max(units / orders, 1.0), max(units_squared / units, 1.0)


def units_surprise(units: int, expected_units: float, spread: float) -> tuple[int, float]:
    """``(k, mu)`` for a Poisson tail on units: ``units`` in batches of about ``spread`` are
    about ``units / spread`` independent events where ``expected_units / spread`` were due."""
    spread = max(spread, 1.0)
    return math.ceil(units / spread), expected_units / spread


def _spread(hours: list[float], lo: datetime, hi: datetime) -> None:
    """Add the hours of ``[lo, hi)`` to ``hours`` by hour of the day (UTC)."""
    if hi <= lo:
        return
    lo, hi = lo.astimezone(UTC), hi.astimezone(UTC)
    days = (hi - lo) // timedelta(days=1)
    if days:
        for h in range(HOURS_IN_DAY):
            hours[h] += days
    at = lo + timedelta(days=days)
    while at < hi:
        top = min(at.replace(minute=0, second=0, microsecond=0) + _HOUR, hi)
        hours[at.hour] += (top - at).total_seconds() / 3600.0
        at = top
