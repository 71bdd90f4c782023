"""Order-velocity tripwire: after a price change, are orders arriving far faster than usual?

Pure: the caller passes order times, the change time, ``now`` and the listing's normal hourly
rate; :func:`assess_order_velocity` returns a :class:`VelocityAssessment`. It trips when the
count since the change is at least ``min_orders`` *and* the Poisson probability of seeing that
many at the normal rate is below ``alpha`` (one-sided upper tail). The caller pauses the listing.

The normal rate and the counting window come from the listing's sale history, given as
``(when, on_sale)`` pairs in the order they happened (``True`` = put on sale, ``False`` = taken
off): :func:`hours_on_sale` and :func:`baseline_rate` measure the rate over the hours the
listing could actually take orders, and :func:`count_from` starts the count at its last return
to sale, so a surge already judged (paused, then resumed by an operator) is not judged again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class VelocityRules:
    """Tripwire thresholds: minimum count, tail probability, and a floor on the expected rate."""

    min_orders: int = 5
    alpha: float = 1e-6
    min_rate_per_hour: float = 0.05
    # under this many hours on sale before the change, the history is too short to trust
    min_history_hours: float = 24.0


@dataclass(frozen=True)
class VelocityAssessment:
    """Observed vs expected orders since the change, the Poisson tail, and the verdict."""

    tripped: bool
    observed: int
    expected: float
    observed_per_hour: float
    expected_per_hour: float
    p_value: float
    hours: float
    reason_en: str
    reason_ko: str


SaleChange = tuple[datetime, bool]


def hours_on_sale(changes: Sequence[SaleChange], *, start: datetime, end: datetime) -> float:
    """Hours within ``[start, end)`` the listing was on sale, from its sale changes in the order
    they happened. Before the first change it was off sale (a listing starts as a draft)."""
    total = 0.0
    on_since: datetime | None = None
    for at, on_sale in [*changes, (end, False)]:
        if on_sale and on_since is None:
            on_since = at
        elif not on_sale and on_since is not None:
            lo, hi = max(on_since, start), min(at, end)
            total += max((hi - lo).total_seconds(), 0.0) / 3600.0
            on_since = None
    return total


def baseline_rate(*, orders: int, hours: float, rules: VelocityRules) -> float:
    """The normal hourly rate from ``orders`` in ``hours`` on sale. With too little history
    (under ``rules.min_history_hours``) assume the busiest plausible rate seen so far, so that a
    young listing's ordinary day does not trip."""
    if hours >= rules.min_history_hours:
        return orders / hours
    return max(rules.min_rate_per_hour, orders / max(hours, 1.0))


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


def assess_order_velocity(
    *,
    order_times: Sequence[datetime],
    changed_at: datetime,
    now: datetime,
    baseline_per_hour: float,
    rules: VelocityRules | None = None,
    counted_from: datetime | None = None,
) -> VelocityAssessment:
    """Count orders in ``[counted_from, now]`` (``counted_from`` defaults to ``changed_at``; see
    :func:`count_from`) and test them against ``baseline_per_hour``."""
    rules = rules or VelocityRules()
    start = max(counted_from or changed_at, changed_at)
    hours = max((now - start).total_seconds() / 3600.0, 1e-9)
    observed = sum(1 for t in order_times if start <= t <= now)
    resumed = start > changed_at
    rate = max(baseline_per_hour, rules.min_rate_per_hour)
    expected = rate * hours
    p = poisson_upper_tail(observed, expected)
    tripped = observed >= rules.min_orders and p < rules.alpha
    since_en = "the listing went back on sale" if resumed else "the price change"
    since_ko = "판매 재개" if resumed else "가격 변경"
    en = (
        f"{observed} orders in {hours:.1f} h since {since_en}; about {expected:.1f} expected "
        f"at the usual {rate:.2f}/h (chance {p:.1e})"
    )
    ko = (
        f"{since_ko} 후 {hours:.1f}시간 동안 주문 {observed}건; 평소 시간당 {rate:.2f}건이면 "
        f"약 {expected:.1f}건 예상(확률 {p:.1e})"
    )
    suffix_en = " — pausing the listing" if tripped else ""
    suffix_ko = " — 판매를 일시 중지합니다" if tripped else ""
    return VelocityAssessment(
        tripped=tripped,
        observed=observed,
        expected=expected,
        observed_per_hour=observed / hours,
        expected_per_hour=rate,
        p_value=p,
        hours=hours,
        reason_en=en + suffix_en,
        reason_ko=ko + suffix_ko,
    )
