"""One change at a time: :class:`ChangeEvidence` in, :class:`Verdict` out, in microseconds.

``check_one`` is the web request's fast path: it gathers the same inputs the batch uses
(:func:`evidence_columns` shows them as one-row columns) and runs the plain-float mirror of
:func:`check_prices` in ``scalar.py``; a test holds the two paths to the same verdicts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sagwa.domain.money import CURRENCY_EXPONENTS, check_currency
from sagwa.priceguard.checks import PriceColumns
from sagwa.priceguard.explain import format_reasons, limit_of
from sagwa.priceguard.explain_allowed import format_allowed_reasons
from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.scalar import ScalarInputs, ScalarResult, judge
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES, REF_KINDS


@dataclass(frozen=True)
class ChangeEvidence:
    """Everything the guard may know about one proposed price change (prices in minor units)."""

    old_price_minor: int
    new_price_minor: int
    currency: str
    recent_prices_minor: tuple[int, ...] = ()
    other_seller_prices_minor: tuple[int, ...] = ()
    list_price_minor: int | None = None
    promotion_pct: float | None = None
    category: str | None = None
    seller_id: str | None = None
    # What ``old_price_minor`` is: the listing's own price ("current"), or, for a first price
    # (a draft being published), the reference standing in for it ("list_price",
    # "other_sellers") — so a reason never calls the list price "the current price".
    old_price_kind: Literal["current", "list_price", "other_sellers"] = "current"
    # The streak the current price ends (``priceguard.streak.streak_of`` over the listing's live
    # prices): the price before its first move and how many moves in one direction in a row.
    streak_start_minor: int | None = None
    streak_moves: int = 0


@dataclass(frozen=True)
class Verdict:
    """The guard's answer for one change; ``score`` is 0..1, higher = more likely an error."""

    verdict: str
    score: float
    error_type: str
    reason_code: str
    reason_en: str
    reason_ko: str
    facts: dict[str, Any] = field(default_factory=dict)


def _median(values: tuple[int, ...], window: int | None = None) -> float:
    if window is not None:
        values = values[-window:]
    if not values:
        return math.nan
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else 0.5 * (ordered[mid - 1] + ordered[mid])


def evidence_columns(ev: ChangeEvidence, rules: PriceRules) -> PriceColumns:
    """One-row :class:`PriceColumns` for ``ev`` — the exact inputs the batch path would use."""
    unit = float(10 ** CURRENCY_EXPONENTS[check_currency(ev.currency)])
    limits = rules.seller_limits(ev.seller_id, ev.currency)

    def col(x: float | None) -> np.ndarray:
        return np.array([math.nan if x is None else float(x)])

    return PriceColumns(
        new=col(ev.new_price_minor),
        old=col(ev.old_price_minor),
        recent_median=col(_median(ev.recent_prices_minor, rules.recent_window)),
        peer_median=col(_median(ev.other_seller_prices_minor)),
        peer_low=col(min(ev.other_seller_prices_minor, default=None)),
        peer_high=col(max(ev.other_seller_prices_minor, default=None)),
        peer_count=col(len(ev.other_seller_prices_minor)),
        list_price=col(ev.list_price_minor),
        promotion_pct=col(ev.promotion_pct),
        max_depth_pct=col(rules.max_depth_pct(ev.category)),
        minor_per_major=col(unit),
        penny_minor=col(rules.penny_major(ev.currency) * unit),
        floor=col(None if limits.floor_major is None else limits.floor_major * unit),
        ceiling=col(None if limits.ceiling_major is None else limits.ceiling_major * unit),
        list_floor=col(_list_floor(ev, rules)),
        streak_start=col(ev.streak_start_minor),
        streak_moves=col(ev.streak_moves),
        list_ceiling=col(_list_ceiling(ev, rules)),
        fx_set=col(rules.fx_set(ev.currency)),
    )


def _list_floor(ev: ChangeEvidence, rules: PriceRules) -> float:
    """The least price ``ev``'s category allows, in minor units (NaN without a list price)."""
    if ev.list_price_minor is None or not rules.category_list_floor_pct:
        return math.nan
    return ev.list_price_minor * rules.list_floor_pct(ev.category) / 100.0


def _list_ceiling(ev: ChangeEvidence, rules: PriceRules) -> float:
    """The most ``ev``'s category allows, in minor units (NaN without a list price: one of 0
    is none, as in the batch, not a ceiling every price is above)."""
    if not ev.list_price_minor or not rules.category_list_ceiling_pct:
        return math.nan
    return ev.list_price_minor * rules.list_ceiling_pct(ev.category) / 100.0


def scalar_inputs(ev: ChangeEvidence, rules: PriceRules) -> ScalarInputs:
    """The same numbers as :func:`evidence_columns`, as plain floats."""
    cols = evidence_columns(ev, rules)
    return ScalarInputs(**{name: float(getattr(cols, name)[0]) for name in _FIELDS})


_FIELDS = ScalarInputs._fields


_MINOR_PER_MAJOR = {code: float(10**exponent) for code, exponent in CURRENCY_EXPONENTS.items()}


def check_one(ev: ChangeEvidence, rules: PriceRules) -> Verdict:
    """Judge one change; same verdict as :func:`check_prices` on the same evidence."""
    unit = _MINOR_PER_MAJOR.get(ev.currency) or _MINOR_PER_MAJOR[check_currency(ev.currency)]
    limits = rules.seller_limits(ev.seller_id, ev.currency)
    others = ev.other_seller_prices_minor
    x = ScalarInputs(  # positional (the field order of ScalarInputs): this is the hot path
        float(ev.new_price_minor),
        float(ev.old_price_minor),
        _median(ev.recent_prices_minor, rules.recent_window),
        _median(others),
        float(min(others)) if others else math.nan,
        float(max(others)) if others else math.nan,
        float(len(others)),
        _or_nan(ev.list_price_minor),
        _or_nan(ev.promotion_pct),
        rules.max_depth_pct(ev.category),
        unit,
        rules.penny_major(ev.currency) * unit,
        _or_nan(limits.floor_major, unit),
        _or_nan(limits.ceiling_major, unit),
        _list_floor(ev, rules),
        _or_nan(ev.streak_start_minor),
        float(ev.streak_moves),
        _list_ceiling(ev, rules),
        float(rules.fx_set(ev.currency)),
    )
    return _verdict(ev, x, judge(x, rules), rules)


def _or_nan(value: float | None, scale: float = 1.0) -> float:
    return math.nan if value is None else float(value) * scale


def _verdict(ev: ChangeEvidence, x: ScalarInputs, res: ScalarResult,
             rules: PriceRules) -> Verdict:
    error_type = ERROR_TYPES[res.error_code]
    reason = REASON_CODES[res.reason_code]
    ref_kind = REF_KINDS[res.ref_kind]
    if ref_kind == "current":
        ref_kind = ev.old_price_kind
    allowed = None if res.hold else _allowed_reasons(ev, x, res, ref_kind, rules)
    reason_en, reason_ko = allowed or format_reasons(
        reason=reason,
        error_type=error_type,
        new=x.new,
        ref=res.ref_price,
        ref_kind=ref_kind,
        currency=ev.currency,
        n_peers=len(ev.other_seller_prices_minor),
        promotion_pct=x.promotion_pct,
        limit_minor=limit_of(reason, x.floor, x.ceiling, x.list_floor, x.list_ceiling),
        max_depth_pct=x.max_depth_pct,
        moves=ev.streak_moves + 1,
        category=ev.category,
    )
    facts = {
        "reference_kind": ref_kind,
        "reference_price_minor": res.ref_price,
        "ratio_to_reference": (x.new / res.ref_price if res.ref_price > 0 else math.exp(res.log_q)),
        "recent_median_minor": x.recent_median,
        "other_sellers_median_minor": x.peer_median,
        "other_sellers": len(ev.other_seller_prices_minor),
        # this change included, when it continues the streak the guard judged it against
        "streak_moves": ev.streak_moves + 1 if ref_kind == "streak_start" else None,
    }
    return Verdict(
        verdict="hold" if res.hold else "allow",
        score=res.score,
        error_type=error_type,
        reason_code=reason,
        reason_en=reason_en,
        reason_ko=reason_ko,
        facts=facts,
    )


def _allowed_reasons(ev: ChangeEvidence, x: ScalarInputs, res: ScalarResult, ref_kind: str,
                     rules: PriceRules) -> tuple[str, str] | None:
    """An allowed change's reasons where "within range" would not say it (a cut its declared
    promotion gives, a big move: ``explain_allowed``); None where it would."""
    return format_allowed_reasons(
        new=x.new,
        ref=res.ref_price,
        ref_kind=ref_kind,
        currency=ev.currency,
        n_peers=len(ev.other_seller_prices_minor),
        promotion_pct=x.promotion_pct,
        # the prices a declared promotion may be taken off, as ``checks._promotion_mismatch``
        bases=((ev.old_price_kind, x.old), ("recent_median", x.recent_median),
               ("list_price", x.list_price)),
        match_log=rules.promo_match_log,
    )
