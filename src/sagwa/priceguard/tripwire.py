"""Order-velocity tripwire: after a price change, or on a new listing's first day, are orders
arriving far faster than usual?

Pure: the caller passes the orders (times, and units each), the start of the watch, ``now``
and the normal rate; :func:`assess_order_velocity` returns a :class:`VelocityAssessment`. It
trips when the count since the start is at least ``min_orders`` *and* the Poisson probability
of seeing that many at the normal rate is below ``alpha`` (one-sided upper tail) — or when the
units ordered are as far above the units usually ordered (at least ``min_units`` of them in
``min_orders_for_units`` orders or more: a few buyers emptying the stock at a wrong price).
And when the price is far below its own before and its references (a likely mistake,
``tripwire_price.PriceContext.far_below``), a few very large orders are enough: one buyer taking
``min_units`` or more, unlikely at the listing's usual units an order. The caller pauses the
listing.

``sagwa.priceguard.tripwire_watch.watch_start`` says what is watched: the last price move or
the listing's first time on sale (publication, or a reviewer's release of a held listing),
whichever is later, for as long on sale as the caller says; small moves during a watch
continue it. A wrong first price has no price move on record; it is caught by the second. The
last ``recent_hours`` are also tested on their own, so that a rush starting late in a long
watch does not drown in the quiet hours before it.

The normal rate and the counting window come from the listing's sale history, given as
``(when, on_sale)`` pairs in the order they happened (``True`` = put on sale, ``False`` = taken
off): ``hours_on_sale`` and :func:`baseline_rate` measure the rate over the hours the listing
could actually take orders, by hour of the day where its own history is long enough
(``sagwa.priceguard.tripwire_usual``: an evening peak is usual, not a surge), and
:func:`count_from` starts the count at its last return to sale, so a surge already judged
(paused, then resumed by an operator) is not judged again. A listing with less than
``min_history_hours`` of its own is compared with the product's other listings instead
(:func:`normal_rate`): the busiest of them, so that a popular launch selling like the other
sellers do is left alone. With none to go by, :func:`baseline_rate` decides — on a new
listing's first day at no less than ``launch_rate_per_hour``. During a declared promotion the
price was cut on purpose and buyers are meant to come: ``promotion_lift`` times the normal
rate is expected, and for a promotion that needed no reviewer at least
``promotion_min_per_hour``. The reasons are put in words by ``tripwire_words``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from statistics import median
from typing import Literal

from sagwa.priceguard import tripwire_words as words
from sagwa.priceguard.rules import PriceRules, load_rules
from sagwa.priceguard.tripwire_price import PriceContext
from sagwa.priceguard.tripwire_usual import (
    expected_between,
    unit_habit,
    units_surprise,
    usual_by_hour,
)
from sagwa.priceguard.tripwire_watch import Anchor, SaleChange


@dataclass(frozen=True)
class VelocityRules:
    """Tripwire thresholds: minimum count, tail probability, floors on the expected rate."""

    min_orders: int = 5
    alpha: float = 1e-6
    min_rate_per_hour: float = 0.05
    # under this many hours on sale before the change, the history is too short to trust
    min_history_hours: float = 24.0
    # a new listing's first day when no other seller of the product has that much history: about
    # 50 a day, far above most listings' ordinary day and far below a wrong price's rush (the
    # 2008 iPod nano drew about 75 orders an hour)
    launch_rate_per_hour: float = 2.0
    # units: four orders of a hundred are judged by their units, from this many units in this
    # many orders (one buyer's big order alone is not a rush)
    min_units: int = 50
    min_orders_for_units: int = 3
    # while the declared promotion the watch began with runs, this many times the normal rate
    # is expected: a promotion is meant to sell (a mailer and a display can bring ten times the
    # usual buyers), and the guard has already judged how deep it is; a wrong price's rush is
    # far beyond (the 2008 iPod nano: about 150 times)
    promotion_lift: float = 10.0
    # ... and, for a declared promotion that went live without a reviewer (the guard found its
    # depth ordinary), at least this many an hour: ten times a listing that rarely sells is
    # next to nothing (0.5 an hour), while a promotion is announced to customers and any listing
    # may draw this many from it (a tester's 20% promotion on a listing with 3 orders in 28
    # days was paused by 5 customers in 4 minutes); a wrong price's rush is far beyond (about
    # 75 an hour in 2008). A promotion a reviewer had to approve gets the lift alone: the guard
    # doubted it (the 2008 "90% event" was one).
    promotion_min_per_hour: float = 10.0
    # the last this-many hours are tested on their own too: over a watch of days, a rush that
    # starts late would drown in the quiet hours before it
    recent_hours: float = 1.0
    # the guard's rules (its rules.toml, an operator's own file included): where a category's
    # list price has a floor (Korea's fixed book price law lets a book sell 10% under its list
    # price, and booksellers do: ``category_list_floor_pct``), the list price less that is the
    # going price a mistake is measured from. None: the packaged rules
    price_rules: PriceRules | None = field(default=None, compare=False, repr=False)

    def list_discount(self, category: str | None) -> float:
        """The routine discount under the list price of ``category`` (or of the nearest
        category it is under: ``Books / Novel`` is under ``books``), from the guard's
        ``PriceRules.list_floor_pct`` (a floor of 90% is 10% off); 0 where none is set."""
        floor = (self.price_rules or _packaged_rules()).list_floor_pct(category)
        return 0.0 if math.isnan(floor) else max(0.0, 1.0 - floor / 100.0)


@cache
def _packaged_rules() -> PriceRules:
    """The packaged ``rules.toml``, read the first time it is needed (not at import)."""
    return load_rules()


#: Why a count starts after its watch's start: the listing went back on sale, or its price left
#: what an operator cleared (``tripwire_watch.count_after_clearance``).
CountMoved = Literal["resumed", "left_clearance"]

#: Where the normal rate comes from (see :class:`NormalRate`).
Basis = Literal["own", "own_short", "other_sellers", "launch"]


@dataclass(frozen=True)
class NormalRate:
    """The hourly rate orders are compared with, and what it is.

    ``own``: the listing's own rate over enough hours on sale. With too few hours of its own:
    ``launch``, the rate assumed for a new listing (``launch_rate_per_hour``); ``own_short``,
    its own rate so far, when that is higher; ``other_sellers``, the busiest of ``sellers``
    other listings of the product (``sellers_per_hour``) when it went on sale, or one of the
    two before if higher (:func:`normal_rate`)."""

    per_hour: float
    basis: Basis = "own"
    sellers: int = 0
    sellers_per_hour: float = 0.0
    # the usual rate for each hour of the day (UTC), each at least ``per_hour``; None: flat
    by_hour: tuple[float, ...] | None = None
    # units an order usually takes, and their spread (mean q² / mean q): 1 and 1 when unknown
    units_per_order: float = 1.0
    units_spread: float = 1.0
    # whether the two above are the listing's own (else one unit an order is assumed, and the
    # typical order being counted stands for the spread)
    units_known: bool = False
    # the declared promotion the watch began with, if it ran during the count: its percent off
    # and its end (None: no end), see ``promotion_lift``
    promotion_pct: float | None = None
    promotion_until: datetime | None = None
    # whether a reviewer had to approve it (the guard held it): then the lift alone, without
    # ``promotion_min_per_hour``
    promotion_reviewed: bool = False


@dataclass(frozen=True)
class VelocityAssessment:
    """Observed vs expected orders since the change, the Poisson tail, and the verdict;
    ``normal`` says what the rate was compared with, ``anchor`` what the watch started at."""

    tripped: bool
    observed: int
    expected: float
    observed_per_hour: float
    expected_per_hour: float
    p_value: float
    hours: float
    reason_en: str
    reason_ko: str
    normal: NormalRate | None = None
    anchor: Anchor = "price_change"
    units: int = 0
    expected_units: float = 0.0
    units_p_value: float = 1.0
    # the customers who placed the orders counted, when known
    customers: int | None = None
    # what tripped it: "orders", "units", "recent", "bulk" (empty when it did not)
    tripped_by: tuple[str, ...] = ()


def baseline_rate(*, orders: int, hours: float, rules: VelocityRules) -> float:
    """The normal hourly rate from ``orders`` in ``hours`` on sale. With too little history
    (under ``rules.min_history_hours``) assume the busiest plausible rate seen so far, so that a
    young listing's ordinary day does not trip."""
    if hours >= rules.min_history_hours:
        return orders / hours
    return max(rules.min_rate_per_hour, orders / max(hours, 1.0))


def busiest_other_seller(others: Sequence[tuple[int, float]], *,
                         rules: VelocityRules) -> tuple[float, int] | None:
    """The highest hourly rate among the product's other listings, each given as ``(orders,
    hours on sale)`` over the baseline period, and how many of them count: only those on sale
    at least ``rules.min_history_hours``. None when none does.

    The busiest rather than the median: a false pause stops a seller's launch day, while a
    wrong price draws many times any seller's rate and still stands out."""
    rates = [orders / hours for orders, hours in others if hours >= rules.min_history_hours]
    return (max(rates), len(rates)) if rates else None


def normal_rate(*, orders: int, hours: float, rules: VelocityRules,
                busiest: tuple[float, int] | None = None) -> NormalRate:
    """The rate to compare with, from the listing's own ``orders`` in ``hours`` on sale before
    the watch started. With less than ``rules.min_history_hours`` of its own — a new listing,
    or one that has hardly been on sale — at least ``rules.launch_rate_per_hour`` (the floor
    alone would pause an ordinary launch at one order an hour within a few hours), its own rate
    so far if that is higher, and the busiest other seller's rate (``busiest``: ``(per hour,
    sellers)`` from :func:`busiest_other_seller`, measured when it went on sale) if higher
    still. The same rule whatever the watch started at: a price change on a listing's first day
    does not lower the bar."""
    if hours >= rules.min_history_hours:
        return NormalRate(orders / hours)
    own = baseline_rate(orders=orders, hours=hours, rules=rules)
    floor = max(own, rules.launch_rate_per_hour)
    if busiest is not None:
        rate, sellers = busiest
        return NormalRate(max(rate, floor), "other_sellers", sellers, rate)
    return NormalRate(floor, "own_short" if own > rules.launch_rate_per_hour else "launch")


def own_habits(normal: NormalRate, *, orders_by_hour: Sequence[int],
               hours_by_hour: Sequence[float], units: int, units_squared: int) -> NormalRate:
    """``normal`` with the listing's own habits, when it is its own rate (``basis="own"``):
    its usual rate by hour of the day (``orders_by_hour`` placed in ``hours_by_hour`` on sale,
    24 each, UTC) and the units its orders usually take (``units`` and ``units_squared`` over
    those orders). Any other basis is returned as it is: a short history has no habits yet."""
    if normal.basis != "own":
        return normal
    per_order, spread = unit_habit(sum(orders_by_hour), units, units_squared)
    return replace(normal, by_hour=usual_by_hour(orders_by_hour, hours_by_hour,
                                                 flat=normal.per_hour),
                   units_per_order=per_order, units_spread=spread,
                   units_known=sum(orders_by_hour) > 0)


def count_from(changes: Sequence[SaleChange], *, changed_at: datetime, now: datetime) -> datetime:
    """Where the count starts: the price change, or the listing's last return to sale after it
    (up to ``now``): orders before that return were judged when it was taken off sale."""
    returns = [at for at, on_sale in changes if on_sale and changed_at < at <= now]
    return max(returns, default=changed_at)


def count_start(changes: Sequence[SaleChange], *, watch_start: datetime,
                after_clearance: datetime, now: datetime) -> tuple[datetime, CountMoved]:
    """Where the count starts and, when after ``watch_start``, why: ``after_clearance`` (the
    watch's start, or the move that took the price below what an operator cleared, from
    ``tripwire_watch.count_after_clearance``), or the listing's last return to sale after it
    (:func:`count_from`)."""
    since = count_from(changes, changed_at=after_clearance, now=now)
    left = since == after_clearance and after_clearance > watch_start
    return since, "left_clearance" if left else "resumed"


def poisson_upper_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), summed in log space (stable for large k)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    below = 0.0
    log_term = -mu
    for i in range(k):
        if i > 0:
            log_term += math.log(mu) - math.log(i)
        below += math.exp(log_term)
    return max(0.0, 1.0 - below) if below < 0.999 else _upper_sum(k, mu)


def _upper_sum(k: int, mu: float) -> float:
    log_term = -mu + k * math.log(mu) - math.lgamma(k + 1)
    total, i = 0.0, k
    while True:
        term = math.exp(log_term)
        total += term
        if term < total * 1e-15 or i > k + 10_000:
            return min(total, 1.0)
        i += 1
        log_term += math.log(mu) - math.log(i)


@dataclass(frozen=True)
class OrderCounts:
    """The orders counted since the count started: how many, their units in all, the biggest
    order's and the typical (median) order's units, and how many came in the last
    ``recent_hours`` (None when the count is no longer than that), and how many customers
    placed them (None when not counted: the database counts them only for a pause's reasons).
    What the database adds up for the tripwire, so that an order never reads every order of a
    busy watch."""

    orders: int
    units: int
    biggest: int
    typical: float
    recent: int | None
    customers: int | None = None


def count_orders(order_times: Sequence[datetime], order_units: Sequence[int] | None, *,
                 start: datetime, now: datetime, recent_hours: float,
                 order_customers: Sequence[int] | None = None) -> OrderCounts:
    """:class:`OrderCounts` of the orders in ``[start, now]`` (units one each when not given;
    customers counted when ``order_customers`` are given)."""
    counted = [i for i, t in enumerate(order_times) if start <= t <= now]
    sizes = [order_units[i] for i in counted] if order_units is not None else [1] * len(counted)
    recent_start = now - timedelta(hours=recent_hours)
    recent = (sum(1 for i in counted if order_times[i] >= recent_start)
              if recent_start > start else None)
    customers = (len({order_customers[i] for i in counted})
                 if order_customers is not None else None)
    return OrderCounts(len(counted), sum(sizes), max(sizes, default=0),
                       float(median(sizes)) if sizes else 1.0, recent, customers)

def assess_order_velocity(
    *,
    order_times: Sequence[datetime] = (),
    changed_at: datetime,
    now: datetime,
    baseline_per_hour: float | NormalRate,
    rules: VelocityRules | None = None,
    counted_from: datetime | None = None,
    anchor: Anchor = "price_change",
    order_units: Sequence[int] | None = None,
    counts: OrderCounts | None = None,
    price: PriceContext | None = None,
    count_moved: CountMoved = "resumed",
) -> VelocityAssessment:
    """Count orders in ``[counted_from, now]`` (``counted_from`` defaults to ``changed_at``, the
    start of the watch — the price change, or the first sale with ``anchor="first_sale"``; see
    :func:`count_from`) and test them against ``baseline_per_hour`` (a plain rate is the
    listing's own; a :class:`NormalRate` says where it comes from, and the reasons say so).
    ``order_units``, beside ``order_times``, are the units each order took (one each when not
    given); their sum is tested too (see :class:`VelocityRules`). ``counts``, when given, are
    those orders already counted from the count's start (:func:`count_orders`, or the
    database) and stand instead of ``order_times``. ``price``, when given, is where the listing
    is priced: far below its own price before and its references, a few very large orders
    trip it too (``bulk``; not at the price of a running declared promotion that needed no
    reviewer); and the reasons name the price change. ``count_moved`` says why the count
    starts after the watch's start, when it does (:data:`CountMoved`)."""
    rules = rules or VelocityRules()
    normal = (baseline_per_hour if isinstance(baseline_per_hour, NormalRate)
              else NormalRate(baseline_per_hour))
    start = max(counted_from or changed_at, changed_at)
    hours = max((now - start).total_seconds() / 3600.0, 1e-9)
    if counts is None:
        counts = count_orders(order_times, order_units, start=start, now=now,
                              recent_hours=rules.recent_hours)
    usual, expected, floored = _expected(normal, start=start, end=now, rules=rules)
    p = poisson_upper_tail(counts.orders, expected)
    promotion = _ordinary_promotion(normal, now)
    seen = _units_seen(counts, normal, expected=expected, rules=rules,
                       far_below=price is not None and price.far_below(promotion))
    recent = _recent_hour(counts.recent, now=now, normal=normal, rules=rules)
    hits = (("orders", counts.orders >= rules.min_orders and p < rules.alpha),
            ("units", counts.orders >= rules.min_orders_for_units
             and seen.beyond_one >= rules.min_units and seen.p_beyond_one < rules.alpha),
            ("recent", recent is not None and recent[0] >= rules.min_orders
             and recent[2] < rules.alpha),
            ("bulk", seen.p_bulk is not None and seen.p_bulk < rules.alpha))
    by = tuple(name for name, hit in hits if hit)
    en, ko = words.opening(observed=counts.orders, customers=counts.customers, hours=hours,
                           since=count_moved if start > changed_at else anchor,
                           change=price.change_words() if price is not None else None,
                           first_sale=anchor == "first_sale")
    rate = max(normal.per_hour, rules.min_rate_per_hour)
    for more_en, more_ko in _clauses(normal, counts=counts, seen=seen, recent=recent, by=by,
                                     price=price, promotion=promotion, p=p, rate=rate, usual=usual,
                                     expected=expected, floored=floored, hours=hours,
                                     rules=rules):
        en, ko = en + more_en, ko + more_ko
    # the reasons end on the evidence: the pages that show them say the listing was paused
    return VelocityAssessment(
        tripped=bool(by), observed=counts.orders, expected=expected,
        observed_per_hour=counts.orders / hours, expected_per_hour=expected / hours,
        p_value=p, hours=hours, reason_en=en, reason_ko=ko, normal=normal, anchor=anchor,
        units=counts.units, expected_units=seen.expected, units_p_value=seen.p_beyond_one,
        customers=counts.customers, tripped_by=by)


@dataclass(frozen=True)
class _UnitsSeen:
    """The units counted against those expected: an order's usual units (one when the listing
    has no habit yet), the units expected, those besides the biggest order and their tail
    (at the spread the typical order stands for, without a habit), and — only for a price far
    below its references with ``min_units`` or more — the tail of all of them, the biggest
    included, at the listing's own spread (one an order without a habit)."""

    per_order: float
    expected: float
    beyond_one: int
    p_beyond_one: float
    p_bulk: float | None


def _ordinary_promotion(normal: NormalRate, now: datetime) -> float | None:
    """The percent off of the declared promotion running at ``now`` that needed no reviewer
    (the guard found its depth ordinary: the same promotions ``promotion_min_per_hour`` allows
    for), None otherwise: at its price, a deep cut is the promotion, not a likely mistake."""
    if normal.promotion_pct is None or normal.promotion_reviewed:
        return None
    if normal.promotion_until is not None and normal.promotion_until <= now:
        return None
    return normal.promotion_pct


def _units_seen(counts: OrderCounts, normal: NormalRate, *, expected: float,
                rules: VelocityRules, far_below: bool) -> _UnitsSeen:
    # one buyer's order, however big, is not a rush at an ordinary price: the biggest is set
    # aside; with no habit of its own, the typical order now counted stands for how much units
    # vary. At a price far below its references, it can be: its units count, at one an order
    per_order = normal.units_per_order if normal.units_known else 1.0
    spread = normal.units_spread if normal.units_known else max(1.0, counts.typical)
    expected_units = expected * per_order
    beyond_one = counts.units - counts.biggest
    p_beyond = poisson_upper_tail(*units_surprise(beyond_one, expected_units, spread))
    p_bulk = None
    if far_below and counts.units >= rules.min_units:
        own_spread = normal.units_spread if normal.units_known else 1.0
        p_bulk = poisson_upper_tail(*units_surprise(counts.units, expected_units, own_spread))
    return _UnitsSeen(per_order, expected_units, beyond_one, p_beyond, p_bulk)


def _clauses(normal: NormalRate, *, counts: OrderCounts, seen: _UnitsSeen,
             recent: tuple[int, float, float] | None, by: tuple[str, ...],
             price: PriceContext | None, promotion: float | None, p: float, rate: float, usual: float, expected: float,
             floored: bool, hours: float, rules: VelocityRules) -> list[tuple[str, str]]:
    """The reasons after the count: what it was compared with (and the promotion's allowance)
    with the chance, then what tripped it when the count of orders alone did not."""
    compared_en, compared_ko = words.compared_with(normal, rate=rate, usual=usual, hours=hours,
                                                   rules=rules)
    if expected > usual:
        promo_en, promo_ko = words.promotion(normal, expected=expected, usual=usual, hours=hours,
                                             floored=floored, rules=rules)
        compared_en, compared_ko = compared_en + promo_en, compared_ko + promo_ko
    odds_en, odds_ko = words.odds(p)
    # the Korean in full sentences: the count's sentence ends here, then the comparison, the chance
    found = [(f"; {compared_en} (chance {odds_en})",
              f". {compared_ko}{words.chance_ko(odds_ko)}")]
    if "orders" in by:
        return found
    if "units" in by:
        found.append(words.units(units=counts.units, beyond_one=seen.beyond_one,
                                 expected_units=seen.expected, per_order=seen.per_order,
                                 known=normal.units_known, chance=seen.p_beyond_one))
    elif "bulk" in by and seen.p_bulk is not None:
        found.append(words.bulk(units=counts.units, expected_units=seen.expected,
                                per_order=seen.per_order, known=normal.units_known,
                                chance=seen.p_bulk, orders=counts.orders,
                                references=tuple(price.references(promotion)) if price else ()))
    if "recent" in by and recent is not None:
        found.append(words.recent(seen=recent[0], due=recent[1], chance=recent[2],
                                  recent_hours=rules.recent_hours))
    return found


def _expected(normal: NormalRate, *, start: datetime, end: datetime,
              rules: VelocityRules) -> tuple[float, float, bool]:
    """Orders expected in ``[start, end]``: at the usual rate, and allowing for the declared
    promotion while it ran (``promotion_lift`` times the usual, and for a promotion that needed
    no reviewer at least ``promotion_min_per_hour``); and whether that floor set it."""
    rate = max(normal.per_hour, rules.min_rate_per_hour)

    def usual_between(lo: datetime, hi: datetime) -> float:
        if hi <= lo:
            return 0.0
        if normal.by_hour:
            return expected_between(normal.by_hour, start=lo, end=hi,
                                    floor=rules.min_rate_per_hour)
        return rate * (hi - lo).total_seconds() / 3600.0

    usual = max(usual_between(start, end), rate * 1e-9)
    if normal.promotion_pct is None:
        return usual, usual, False
    until = end if normal.promotion_until is None else min(end, normal.promotion_until)
    during = usual_between(start, until)
    lifted = rules.promotion_lift * during
    floor = (0.0 if normal.promotion_reviewed or until <= start else
             rules.promotion_min_per_hour * (until - start).total_seconds() / 3600.0)
    return usual, usual - during + max(lifted, floor), floor > lifted


def _recent_hour(seen: int | None, *, now: datetime, normal: NormalRate,
                 rules: VelocityRules) -> tuple[int, float, float] | None:
    """``(orders, expected, tail)`` over the last ``rules.recent_hours`` before ``now`` (``seen``
    orders in them), when the count runs longer than that; None otherwise."""
    if seen is None:
        return None
    _, due, _ = _expected(normal, start=now - timedelta(hours=rules.recent_hours), end=now,
                          rules=rules)
    return seen, due, poisson_upper_tail(seen, due)
