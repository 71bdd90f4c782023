"""Order-velocity tripwire: after a price change, or on a new listing's first day, are orders
arriving far faster than usual?

Pure: the caller passes the orders (times, and units each), the start of the watch, ``now``
and the normal rate; :func:`assess_order_velocity` returns a :class:`VelocityAssessment`. It
trips when the count since the start is at least ``min_orders`` *and* the Poisson probability
of seeing that many at the normal rate is below ``alpha`` (one-sided upper tail) — or when the
units ordered are as far above the units usually ordered (at least ``min_units`` of them in
``min_orders_for_units`` orders or more: a few buyers emptying the stock at a wrong price).
The caller pauses the listing.

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
rate is expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import median
from typing import Literal

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
    # the last this-many hours are tested on their own too: over a watch of days, a rush that
    # starts late would drown in the quiet hours before it
    recent_hours: float = 1.0


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


#: Other sellers within this share of a listing's price are taken to ask the same price.
COPIED_PRICE = 0.02
#: How far under the highest reference a price must be before a surge at it can be the rush on
#: a wrong price: a price a few percent under the market is competition — the cheapest seller
#: of a product draws its buyers, as a price-comparison site sends them — not a mistake anyone
#: rushes (a tester's listing moved 2% under the other sellers, drew five orders in a minute and
#: was paused as a "wrong price"). The mistakes the tripwire is for are deeper: a tenth, a
#: percentage inverted, a unit price for a pack (the 2008 iPod nano: 90% under), a mistyped
#: digit; 5% keeps a cut of a tenth watched.
COMPETITIVE_MARGIN = 0.05


def priced_like_a_mistake(*, price_minor: int, list_price_minor: int | None,
                          other_prices_minor: Sequence[int]) -> bool:
    """Whether a surge at this price can be the rush on a wrong price that the tripwire is for:
    the price is more than :data:`COMPETITIVE_MARGIN` (5%) under the product's list price *or*
    under the median of the other sellers' live prices (with neither known, it cannot be ruled
    out). A listing within that margin of every reference there is, or above, selling fast is
    demand, not a mistake (buyers do not rush a price they could nearly have anywhere), and is
    not paused. Other sellers at (within 2% of) this very price are left out of their median: a
    second seller copying a wrong price must not vouch for the first, nor a stale low list price
    alone for a price under the market."""
    others = [p for p in other_prices_minor if abs(p - price_minor) > COPIED_PRICE * price_minor]
    known = [p for p in (list_price_minor, median(others) if others else None) if p]
    return not known or price_minor < (1 - COMPETITIVE_MARGIN) * max(known)


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
    ``recent_hours`` (None when the count is no longer than that). What the database adds up
    for the tripwire, so that an order never reads every order of a busy watch."""

    orders: int
    units: int
    biggest: int
    typical: float
    recent: int | None


def count_orders(order_times: Sequence[datetime], order_units: Sequence[int] | None, *,
                 start: datetime, now: datetime, recent_hours: float) -> OrderCounts:
    """:class:`OrderCounts` of the orders in ``[start, now]`` (units one each when not given)."""
    counted = [i for i, t in enumerate(order_times) if start <= t <= now]
    sizes = [order_units[i] for i in counted] if order_units is not None else [1] * len(counted)
    recent_start = now - timedelta(hours=recent_hours)
    recent = (sum(1 for i in counted if order_times[i] >= recent_start)
              if recent_start > start else None)
    return OrderCounts(len(counted), sum(sizes), max(sizes, default=0),
                       float(median(sizes)) if sizes else 1.0, recent)


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
) -> VelocityAssessment:
    """Count orders in ``[counted_from, now]`` (``counted_from`` defaults to ``changed_at``, the
    start of the watch — the price change, or the first sale with ``anchor="first_sale"``; see
    :func:`count_from`) and test them against ``baseline_per_hour`` (a plain rate is the
    listing's own; a :class:`NormalRate` says where it comes from, and the reasons say so).
    ``order_units``, beside ``order_times``, are the units each order took (one each when not
    given); their sum is tested too (see :class:`VelocityRules`). ``counts``, when given, are
    those orders already counted from the count's start (:func:`count_orders`, or the
    database) and stand instead of ``order_times``."""
    rules = rules or VelocityRules()
    normal = (baseline_per_hour if isinstance(baseline_per_hour, NormalRate)
              else NormalRate(baseline_per_hour))
    start = max(counted_from or changed_at, changed_at)
    hours = max((now - start).total_seconds() / 3600.0, 1e-9)
    if counts is None:
        counts = count_orders(order_times, order_units, start=start, now=now,
                              recent_hours=rules.recent_hours)
    observed, units = counts.orders, counts.units
    rate = max(normal.per_hour, rules.min_rate_per_hour)
    usual, expected = _expected(normal, start=start, end=now, rules=rules)
    p = poisson_upper_tail(observed, expected)
    # one buyer's order, however big, is not a rush: the biggest is set aside; with no habit of
    # its own, the typical order now counted stands for how much units vary
    per_order = normal.units_per_order if normal.units_known else 1.0
    spread = normal.units_spread if normal.units_known else max(1.0, counts.typical)
    expected_units = expected * per_order
    beyond_one = units - counts.biggest
    p_units = poisson_upper_tail(*units_surprise(beyond_one, expected_units, spread))
    by_orders = observed >= rules.min_orders and p < rules.alpha
    by_units = (observed >= rules.min_orders_for_units and beyond_one >= rules.min_units
                and p_units < rules.alpha)
    recent = _recent_hour(counts.recent, now=now, normal=normal, rules=rules)
    by_recent = recent is not None and recent[0] >= rules.min_orders and recent[2] < rules.alpha
    since_en, since_ko = _SINCE["resumed" if start > changed_at else anchor]
    compared_en, compared_ko = _compared_with(normal, rate=rate, usual=usual, hours=hours,
                                              rules=rules)
    if expected > usual:
        pct = f"{normal.promotion_pct:g}%"
        exp_en, exp_ko = allowed_count(expected, usual=usual)
        times, lifted = f"{rules.promotion_lift:g}", expected / hours
        # the lifted rate is said too: "less than 0.1" at the usual rate and "10 times that"
        # read as the same number for a quiet listing (a review's finding)
        compared_en += (f"; during the declared {pct} promotion {times} times that is allowed, "
                        f"{lifted:.2f}/h: {exp_en}")
        compared_ko += (f"; 선언된 {pct} 할인 기간이라 그 {times}배인 시간당 {lifted:.2f}건, "
                        f"{exp_ko}까지 허용")
    odds_en, odds_ko = odds(p)
    span_en, span_ko = _span(hours)
    en = f"{observed} orders in {span_en} since {since_en}; {compared_en} (chance {odds_en})"
    ko = f"{since_ko} 후 {span_ko} 주문 {observed}건; {compared_ko}(우연일 확률 {odds_ko})"
    if by_units and not by_orders:
        u_en, u_ko = odds(p_units)
        usual_en, usual_ko = ((f"the usual {per_order:.1f} an order",
                               f"평소 주문당 {per_order:.1f}개면") if normal.units_known else
                              ("one an order (this listing has no usual yet)",
                               "주문당 1개로 치면(아직 평소 수량이 없음)"))
        en += (f"; but they took {units:,} units ({beyond_one:,} besides the biggest order) "
               f"where about {expected_units:.1f} were expected at {usual_en} (chance {u_en})")
        ko += (f"; 그러나 수량은 {units:,}개(가장 큰 주문을 빼도 {beyond_one:,}개)로, {usual_ko} "
               f"약 {expected_units:.1f}개 예상(우연일 확률 {u_ko})")
    if by_recent and not by_orders and recent is not None:
        seen, due, p_recent = recent
        r_en, r_ko = odds(p_recent)
        hours_txt = f"{rules.recent_hours:g}"
        en += (f"; but {seen} of them in the last {hours_txt} h where about {due:.1f} were "
               f"expected (chance {r_en})")
        ko += f"; 그러나 최근 {hours_txt}시간에만 {seen}건으로, 약 {due:.1f}건 예상(우연일 확률 {r_ko})"
    tripped = by_orders or by_units or by_recent
    suffix_en = " — pausing the listing" if tripped else ""
    suffix_ko = " — 판매를 일시 중지합니다" if tripped else ""
    return VelocityAssessment(
        tripped=tripped,
        observed=observed,
        expected=expected,
        observed_per_hour=observed / hours,
        expected_per_hour=expected / hours,
        p_value=p,
        hours=hours,
        reason_en=en + suffix_en,
        reason_ko=ko + suffix_ko,
        normal=normal,
        anchor=anchor,
        units=units,
        expected_units=expected_units,
        units_p_value=p_units,
    )


def _expected(normal: NormalRate, *, start: datetime, end: datetime,
              rules: VelocityRules) -> tuple[float, float]:
    """Orders expected in ``[start, end]``: at the usual rate, and allowing for the declared
    promotion (``promotion_lift`` times the usual while it ran)."""
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
        return usual, usual
    until = end if normal.promotion_until is None else min(end, normal.promotion_until)
    return usual, usual + (rules.promotion_lift - 1) * usual_between(start, until)


def _recent_hour(seen: int | None, *, now: datetime, normal: NormalRate,
                 rules: VelocityRules) -> tuple[int, float, float] | None:
    """``(orders, expected, tail)`` over the last ``rules.recent_hours`` before ``now`` (``seen``
    orders in them), when the count runs longer than that; None otherwise."""
    if seen is None:
        return None
    _, due = _expected(normal, start=now - timedelta(hours=rules.recent_hours), end=now,
                       rules=rules)
    return seen, due, poisson_upper_tail(seen, due)


_SINCE = {"price_change": ("the price change", "가격 변경"),
          "first_sale": ("the listing went on sale", "판매 시작"),
          "resumed": ("the listing went back on sale", "판매 재개")}


def _compared_with(normal: NormalRate, *, rate: float, usual: float, hours: float,
                   rules: VelocityRules) -> tuple[str, str]:
    """What the count was compared with (``usual`` orders in ``hours`` at ``rate`` an hour, or
    at the listing's rates by hour of the day), in English and Korean."""
    history = f"{rules.min_history_hours:g}"
    exp_en, exp_ko = expected_count(usual)
    if normal.basis == "other_sellers":
        many = normal.sellers > 1
        among_en = f"the busiest of {normal.sellers}" if many else "1 seller"
        among_ko = f"{normal.sellers}곳 중 최대" if many else "1곳"
        sold_en, sold_ko = hourly_rate(normal.sellers_per_hour)
        others_en = (f"other sellers of this product sold {sold_en} ({among_en} on sale for "
                     f"{history} h or more)")
        others_ko = f"같은 상품의 다른 판매자는 {sold_ko} 판매({history}시간 이상 판매한 {among_ko})"
        if rate > normal.sellers_per_hour + 0.005:  # the launch rate or its own was higher
            en = (f"{others_en}; this listing is measured against the higher of the rate assumed "
                  f"for a new listing and its own so far, {rate:.2f}/h: {exp_en} expected")
            ko = (f"{others_ko}, 이 상품은 새 상품 기본값과 지금까지의 판매 속도 중 높은 쪽인 "
                  f"시간당 {rate:.2f}건을 기준으로 {exp_ko} 예상")
        else:
            en = f"{others_en}, so {exp_en} expected at {rate:.2f}/h"
            ko = f"{others_ko}, 시간당 {rate:.2f}건이면 {exp_ko} 예상"
    elif normal.basis in ("own_short", "launch"):
        launch = normal.basis == "launch"
        assumed_en = "the rate assumed for a new listing" if launch else "its own rate so far"
        assumed_ko = (f"새로 판매를 시작한 상품의 기본값인 시간당 {rate:.2f}건이면" if launch
                      else f"지금까지의 판매 속도인 시간당 {rate:.2f}건이면")
        en = (f"no other seller of this product had {history} h on sale to compare with, so "
              f"{exp_en} expected at {assumed_en}, {rate:.2f}/h")
        ko = (f"{history}시간 이상 판매한 다른 판매자가 없어 {assumed_ko} "
              f"{exp_ko} 예상")
    elif normal.by_hour and abs(usual - rate * hours) > 0.05 * rate * hours:  # hours of the day
        average = usual / hours
        en = f"{exp_en} expected at its usual rate for these hours of the day, {average:.2f}/h"
        ko = f"이 시간대의 평소 판매 속도인 시간당 {average:.2f}건이면 {exp_ko} 예상"
    else:
        en = f"{exp_en} expected at the usual {rate:.2f}/h"
        ko = f"평소 시간당 {rate:.2f}건이면 {exp_ko} 예상"
    return en, ko


def hourly_rate(per_hour: float) -> tuple[str, str]:
    """Orders an hour (English, Korean): "about 0.25 an hour", or "under 0.01 an hour" rather
    than "about 0.00" for sellers who sold next to nothing."""
    if per_hour < 0.005:
        return "under 0.01 an hour", "시간당 0.01건 미만"
    return f"about {per_hour:.2f} an hour", f"시간당 약 {per_hour:.2f}건"


def expected_count(expected: float) -> tuple[str, str]:
    """An expected number of orders (English, Korean): "about 1.4", or "less than 0.1" rather
    than "about 0.0" for a quiet listing."""
    if expected < 0.05:
        return "less than 0.1", "0.1건 미만"
    return f"about {expected:.1f}", f"약 {expected:.1f}건"


def allowed_count(expected: float, *, usual: float) -> tuple[str, str]:
    """The orders a declared promotion allows (English, Korean), as :func:`expected_count` says
    them unless that would say the same as for the ``usual`` count (a quiet listing's "less than
    0.1" twice, as if the promotion allowed nothing more): then with the fewest decimals, up to
    four, that tell the two apart ("about 0.001")."""
    said = expected_count(expected)
    if said != expected_count(usual):
        return said
    for digits in (2, 3, 4):
        if f"{expected:.{digits}f}" != f"{usual:.{digits}f}":
            return f"about {expected:.{digits}f}", f"약 {expected:.{digits}f}건"
    return "less than 0.0001", "0.0001건 미만"


def odds(p: float) -> tuple[str, str]:
    """A probability as people read it (English, Korean): "about 1 in 12,000", "less than 1 in a
    billion", or a percentage when it is not small — not ``3.0e-22``."""
    if p < 1e-9:
        return "less than 1 in a billion", "10억분의 1 미만"
    if p < 0.01:
        n = round(1 / p, -len(str(round(1 / p))) + 2)  # two significant figures
        return f"about 1 in {n:,.0f}", f"약 {n:,.0f}분의 1"
    return f"{p:.0%}", f"{p:.0%}"


def _span(hours: float) -> tuple[str, str]:
    """How long the orders came in (English; Korean with its "동안"): "1.5 h", whole minutes
    under an hour, whole seconds under a minute, "under a second" below that. Orders that all
    came within a second of a price change once read "5 orders in 1 min" (under a minute was
    rounded up to one), a rush a minute long rather than one bought in a second."""
    if hours >= 1:
        return f"{hours:.1f} h", f"{hours:.1f}시간 동안"
    seconds = hours * 3600.0
    if seconds < 1:
        return "under a second", "1초도 안 되어"
    if (whole := round(seconds)) < 60:
        return f"{whole} second{'s' if whole > 1 else ''}", f"{whole}초 동안"
    minutes = round(hours * 60)
    return f"{minutes} min", f"{minutes}분 동안"
