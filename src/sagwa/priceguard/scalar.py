"""The check for one change in plain Python floats — the < 50 µs path behind ``check_one``.

It mirrors :func:`sagwa.priceguard.checks.check_prices` step for step (same rules, same order);
``tests/unit/priceguard/test_single_matches_batch.py`` holds the two to identical verdicts.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import NamedTuple

from sagwa.priceguard.checks import (
    CUT_SLACK,
    PENNY_Z,
    PROMO_MISMATCH_Z,
    ROUND_PCT_BONUS,
    SELLER_LIMIT_Z,
)
from sagwa.priceguard.features import LN10, LOG_CLIP
from sagwa.priceguard.recognisers import (
    DEEP_DROP_RATIO,
    DISCOUNT_AMOUNT_LOG,
    DISCOUNT_AS_PRICE_MAX_DROP,
    DISCOUNT_AS_PRICE_MIN_RATIO,
    EXTRA_ZERO_RISE,
    FX_CONFIRM_LOG,
    FX_FAR_FROM_TENS_LOG,
    FX_WIDE_LOG,
    INVERTED_MIN_PCT,
    NEAR_NOTHING_RATIO,
)
from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.vocabulary import ERROR_CODE, NO_GUESS_REASONS, REASON_CODE, REF_KIND

_TENS = (LN10, 2 * LN10, 3 * LN10)


_DEEP = REASON_CODE["promotion_too_deep"]
_MISMATCH = REASON_CODE["promotion_mismatch"]
_UNDECLARED = REASON_CODE["undeclared_cut_too_deep"]
_IN_STEPS = REASON_CODE["cut_too_deep_in_steps"]
_LIST_FLOOR = REASON_CODE["below_list_price_floor"]
_LIST_CEILING = REASON_CODE["above_list_price_ceiling"]
_LIST_PRICE = REF_KIND["list_price"]
_PROMOTION_PRICE = REF_KIND["promotion_price"]
_STREAK_START = REF_KIND["streak_start"]
_RUNAWAY = ERROR_CODE["repricer_runaway"]
_ABOVE = REASON_CODE["above_seller_ceiling"]
_BELOW = REASON_CODE["below_seller_floor"]
_NO_GUESS = frozenset(REASON_CODE[name] for name in NO_GUESS_REASONS)
_PENNY = REASON_CODE["penny_price"]
_BELOW_ALL = REASON_CODE["below_all_other_sellers"]
_ABOVE_ALL = REASON_CODE["above_all_other_sellers"]
_LOWEST = REF_KIND["lowest_other_seller"]
_HIGHEST = REF_KIND["highest_other_seller"]
_FAR_BELOW = REASON_CODE["far_below_references"]
_FAR_ABOVE = REASON_CODE["far_above_references"]
_WITHIN = REASON_CODE["within_range"]
_LOG_TYPED_PCT_UP = math.log(DISCOUNT_AS_PRICE_MIN_RATIO)
_LOG_TYPED_PCT_DOWN = math.log(DISCOUNT_AS_PRICE_MAX_DROP)
_LOG_EXTRA_ZERO_LO, _LOG_EXTRA_ZERO_HI = (math.log(r) for r in EXTRA_ZERO_RISE)
_LOG_DEEP_DROP = math.log(DEEP_DROP_RATIO)
_LOG_NEAR_NOTHING = math.log(NEAR_NOTHING_RATIO)


class ScalarInputs(NamedTuple):
    """One change's evidence as floats in minor units; NaN = unknown (as in ``PriceColumns``)."""

    new: float
    old: float
    recent_median: float
    peer_median: float
    peer_low: float
    peer_high: float
    peer_count: float
    list_price: float
    promotion_pct: float
    max_depth_pct: float
    minor_per_major: float
    penny_minor: float
    floor: float
    ceiling: float
    list_floor: float
    streak_start: float = math.nan
    streak_moves: float = 0.0
    list_ceiling: float = math.nan
    fx_set: float = 0.0


def _fx_logs(x: ScalarInputs, rules: PriceRules) -> tuple[float, ...]:
    """The log FX rates of ``x``'s currency (``PriceColumns.fx_set``)."""
    return rules.fx_log_sets[int(x.fx_set)]


class ScalarResult(NamedTuple):
    hold: bool
    score: float
    error_code: int
    reason_code: int
    ref_kind: int
    ref_price: float
    log_q: float


def _log(x: float) -> float:
    return -math.inf if x <= 0 else math.log(x)


def _near(log_q: float, anchors: tuple[float, ...], tol: float) -> bool:
    """``|log_q|`` within ``tol`` of one of the *sorted* ``anchors``."""
    x = abs(log_q)
    i = bisect_left(anchors, x)
    return (i < len(anchors) and anchors[i] - x < tol) or (i > 0 and x - anchors[i - 1] < tol)


def _round(x: float, step: float) -> bool:
    return math.isfinite(x) and abs(x / step - round(x / step)) < 1e-9


def _median_reference(new: float, refs: tuple[float, ...]) -> tuple[float, float, int]:
    """Log-distance to the median reference, that reference and its index (see features.py)."""
    present = sorted(r for r in refs if r > 0)
    if not present:
        return 0.0, math.nan, 0
    small, large = present[(len(present) - 1) // 2], present[len(present) // 2]
    log_new = _log(new)
    d_small, d_large = log_new - math.log(small), log_new - math.log(large)
    take_large = abs(d_large) <= abs(d_small)
    log_q, ref = (d_large, large) if take_large else (d_small, small)
    if math.isnan(log_q):
        log_q = 0.0
    kind = next(i for i, r in enumerate(refs) if r == ref)
    return max(-LOG_CLIP, min(LOG_CLIP, log_q)), ref, kind


def judge(x: ScalarInputs, rules: PriceRules) -> ScalarResult:
    """Score and classify one change exactly as ``check_prices`` would."""
    refs = (x.old, x.recent_median, x.peer_median, x.list_price)
    log_q, ref, kind = _median_reference(x.new, refs)
    pct = x.promotion_pct
    promo = _promotion(x, rules)
    placeholder = round(x.new * 100.0 / x.minor_per_major) in (1, 10, 100) and log_q < 0
    z = _base_z(log_q, pct, promo.explained, placeholder, rules, _fx_logs(x, rules))
    reason = _FAR_BELOW if log_q < 0 else _FAR_ABOVE
    z_range = rules.peer_range_weight * _peer_range_excess(x, rules, promo.explained)
    if z_range > z:
        below = x.new < x.peer_low
        reason = _BELOW_ALL if below else _ABOVE_ALL
        kind, ref = (_LOWEST, x.peer_low) if below else (_HIGHEST, x.peer_high)
    z += z_range
    log_out = math.nan
    if x.list_price > 0 and x.new > 0:  # a rise past the list price (checks._above_list_price)
        z_out = min(max(math.log(x.new / x.list_price), 0.0), LOG_CLIP) / rules.log_up
        if z_out > z:
            z, reason, log_out = z_out, _FAR_ABOVE, math.log(x.new / x.list_price)
    log_streak = _streak_log(x, rules)  # a streak's start (checks._from_streak_start)
    if not math.isnan(log_streak):
        log_down = _log_down(pct, promo.explained, rules)
        z_s = min(max(log_streak / rules.log_up, -log_streak / log_down, 0.0), LOG_CLIP)
        if z_s > z and z / (1.0 + z) < rules.hold_score:  # the streak is the reason
            z, log_out = z_s, math.nan
            reason = _FAR_BELOW if log_streak < 0 else _FAR_ABOVE
        else:  # it only raises z: what already holds it names it
            z = max(z, z_s)
            log_streak = math.nan
    # an undeclared cut past the category's limit, from the current price too (raising a price
    # during a promotion cuts nothing); a deeper drop the ratio already holds keeps its reason
    if (math.isnan(pct) and log_q < 0 and x.new < x.old and z < rules.z_policy
            and -log_q >= _depth_cap(x.max_depth_pct) - CUT_SLACK):
        z, reason = rules.z_policy, _UNDECLARED
    regular = _regular_price(x, rules)  # a cut in steps (checks._too_deep_in_steps)
    if (regular > x.old and x.new < x.old and z < rules.z_policy
            and -_log(x.new / regular) >= _depth_cap(x.max_depth_pct) - CUT_SLACK):
        z, reason = rules.z_policy, _IN_STEPS
    if promo.mismatched:
        z = max(z, PROMO_MISMATCH_Z + min(abs(promo.gap), LOG_CLIP), rules.z_policy)
        reason = _MISMATCH
    z, reason = _floors(z, reason, x, rules)
    score = z / (1.0 + z)
    hold = score >= rules.hold_score
    if not hold:
        reason = _WITHIN
    if reason == _MISMATCH:
        kind, ref = _PROMOTION_PRICE, x.old * (1.0 - pct / 100.0)
    elif reason in (_LIST_FLOOR, _LIST_CEILING):
        kind, ref = _LIST_PRICE, x.list_price
    elif reason == _IN_STEPS:
        kind, ref = _STREAK_START, regular
    name_q = _mismatch_named_by(promo.gap, x, rules) if reason == _MISMATCH else log_q
    if reason == _FAR_ABOVE and not math.isnan(log_out):  # said against the list price
        kind, ref, name_q = _LIST_PRICE, x.list_price, log_out
    error = _classify(name_q, x, promo.matches, placeholder, reason, rules, (kind, ref))
    if reason in (_FAR_BELOW, _FAR_ABOVE) and not math.isnan(log_streak):
        kind, ref, error = _STREAK_START, x.streak_start, _RUNAWAY  # said against its start
    return ScalarResult(hold, score, error, reason, kind, ref, log_q)


def _depth_cap(max_depth_pct: float) -> float:
    """``checks.depth_cap`` for one change."""
    return -math.log1p(-min(max(max_depth_pct, 0.0), 99.99) / 100.0)


def _regular_price(x: ScalarInputs, rules: PriceRules) -> float:
    """``checks.regular_price`` for one change: where the run of cuts the current price ends
    began (NaN without one, or when it began far above the listing's usual price)."""
    if not (x.streak_moves >= 1 and x.streak_start > x.old):
        return math.nan
    known = sorted(v for v in (x.recent_median, x.peer_median, x.list_price)
                   if not math.isnan(v))
    if known:
        usual = (known[(len(known) - 1) // 2] + known[len(known) // 2]) / 2.0
        if x.streak_start > rules.up_ratio * usual:
            return math.nan
    return x.streak_start


def _streak_log(x: ScalarInputs, rules: PriceRules) -> float:
    """``ln(new / start)`` when the change continues a streak of ``streak_min_moves`` moves or
    more (itself included) in one direction, else NaN."""
    if not (x.streak_moves + 1 >= rules.streak_min_moves and x.streak_start > 0):
        return math.nan
    step, way = x.new - x.old, x.old - x.streak_start
    if not ((step > 0 and way > 0) or (step < 0 and way < 0)):
        return math.nan
    return math.log(x.new / x.streak_start) if x.new > 0 else -math.inf


class _Promotion(NamedTuple):
    gap: float  # ln(new / old) - ln(1 - pct): how far the price sits from what the percent gives
    matches: bool
    explained: bool
    mismatched: bool


def _promotion(x: ScalarInputs, rules: PriceRules) -> _Promotion:
    """The declared promotion against the actual move (as ``checks._check_block`` computes it)."""
    pct = x.promotion_pct
    gap, matches = math.nan, False
    if not math.isnan(pct) and x.old > 0 and x.new > 0 and pct < 100:
        gap = math.log(x.new / x.old) - math.log1p(-pct / 100.0)
        matches = abs(gap) < rules.promo_match_log
    mismatched = 0 < pct < 100 and x.old > 0 and x.new > 0 and abs(gap) >= rules.promo_mismatch_log
    if mismatched:  # a match off the usual or the list price is no mismatch (see checks.py)
        off = math.log1p(-pct / 100.0)
        mismatched = not any(
            base > 0 and abs(math.log(x.new / base) - off) < rules.promo_mismatch_log
            for base in (x.recent_median, x.list_price)
        )
    if 0 < pct < 100 and x.old > 0 and x.new > 0:  # at or above every regular price
        mismatched = mismatched or x.new >= max(
            b for b in (x.old, x.recent_median, x.list_price) if not math.isnan(b))
    return _Promotion(gap, matches, matches and pct < x.max_depth_pct, mismatched)


def _log_down(pct: float, explained: bool, rules: PriceRules) -> float:
    """The drop threshold ``ln(1/down_ratio)``, relaxed where a declared promotion explains the
    drop (as ``checks._base_z``)."""
    if explained:
        return max(rules.log_down, -math.log1p(-pct / 100.0) - math.log(rules.promo_slack))
    return rules.log_down


def _base_z(
    log_q: float, pct: float, explained: bool, placeholder: bool, rules: PriceRules,
    fx_logs: tuple[float, ...],
) -> float:
    """z from the ratio to the median reference, relaxed by a matching promotion and boosted by
    an error shape (as ``checks._base_z``)."""
    log_down = _log_down(pct, explained, rules)
    z = max(max(-log_q, 0.0) / log_down, max(log_q, 0.0) / rules.log_up)
    tol = rules.shape_tolerance_log
    shaped = (
        _near(log_q, _TENS, tol)
        or _near(log_q, fx_logs, tol)
        or _near(log_q, rules.pack_logs, tol)
    )
    return z * rules.shape_boost if shaped or placeholder else z


def _log_or_edge(num: float, den: float) -> float:
    """``log(num / den)`` for positive ``den``, with NumPy's answers at 0 and NaN."""
    if math.isnan(num) or math.isnan(den):
        return math.nan
    if den == 0:
        return math.inf if num > 0 else math.nan
    return -math.inf if num == 0 else math.log(num / den)


def _peer_range_excess(x: ScalarInputs, rules: PriceRules, explained: bool) -> float:
    if not x.peer_count >= rules.peer_range_min_sellers:
        return 0.0
    below = -math.inf if explained else _log_or_edge(x.peer_low, x.new)
    above = _log_or_edge(x.new, x.peer_high)
    if math.isnan(below) or math.isnan(above):
        return 0.0
    below -= rules.log_peer_margin_down
    above -= rules.log_peer_margin_up
    return min(max(below, above, 0.0), LOG_CLIP)


def _floors(z: float, reason: int, x: ScalarInputs, rules: PriceRules) -> tuple[float, int]:
    """Policy floors on z, in the batch's order (later rules win the reason; the promotion
    mismatch, the first of them, is applied by the caller)."""
    pct = x.promotion_pct
    least = rules.z_policy  # a policy rule holds whatever hold_score is
    if pct >= x.max_depth_pct:
        bonus = ROUND_PCT_BONUS if _round(pct, rules.round_pct_step) else 0.0
        z = max(z, 1.0 + (pct - x.max_depth_pct) / 100.0 + bonus, least)
        reason = _DEEP
    if x.new < x.list_floor:
        z, reason = max(z, SELLER_LIMIT_Z, least), _LIST_FLOOR
    if x.new > x.list_ceiling:
        z, reason = max(z, SELLER_LIMIT_Z, least), _LIST_CEILING
    if x.new > x.ceiling:
        z, reason = max(z, SELLER_LIMIT_Z, least), _ABOVE
    if x.new < x.floor:
        z, reason = max(z, SELLER_LIMIT_Z, least), _BELOW
    if x.new <= x.penny_minor:
        z, reason = max(z, PENNY_Z, least), _PENNY
    return z, reason


def _classify(
    log_q: float,
    x: ScalarInputs,
    promo_matches: bool,
    placeholder: bool,
    reason: int,
    rules: PriceRules,
    said: tuple[int, float],
) -> int:
    """``recognisers.classify`` for one change; ``said``: the reference kind and price its
    reason quotes (as ``checks._name_held``)."""
    pct = x.promotion_pct
    fx = _fx_logs(x, rules)
    if reason == _WITHIN:
        return ERROR_CODE["none"]
    if reason == _PENNY:
        return ERROR_CODE["penny"]
    if reason == _DEEP and promo_matches:
        inverted = _round(pct, 10.0) and pct >= INVERTED_MIN_PCT
        return ERROR_CODE["percent_inverted" if inverted else "inflated_promotion"]
    tol = rules.shape_tolerance_log
    up = log_q > 0
    tens = _near(log_q, _TENS, tol)
    is_fx = not tens and _near(log_q, fx, tol)
    is_pack = not tens and not is_fx and _near(log_q, rules.pack_logs, tol)
    far = log_q > _LOG_TYPED_PCT_UP or log_q < _LOG_TYPED_PCT_DOWN
    new_major = x.new / x.minor_per_major
    typed_pct = far and _round(new_major, 10.0) and 10.0 <= new_major <= 90.0
    # a drop by an FX rate within rounding: currency (as recognisers.classify)
    typed_pct = typed_pct and (up or not _near(log_q, fx, FX_CONFIRM_LOG))
    zero_cents = x.minor_per_major == 100.0 and round(x.new) % 10 == 0  # as ends_in_zero_cents
    zero_added = zero_cents and _LOG_EXTRA_ZERO_LO <= log_q <= _LOG_EXTRA_ZERO_HI
    for hit, name in (
        (placeholder, "penny"),
        (reason == _MISMATCH and _discount_amount(x, rules), "discount_as_price"),
        (typed_pct, "discount_as_price"),
        ((tens and up) or zero_added, "extra_zero"),
        (tens, "decimal_slip"),
        (is_fx, "currency"),
        (is_pack, "unit_error"),
        (_fx_wide(log_q, x, rules), "currency"),
        (not up and log_q < _LOG_NEAR_NOTHING, "penny"),
        (not up and log_q < _LOG_DEEP_DROP, "decimal_slip"),
        (said[0] in (_LOWEST, _HIGHEST) and _near(_log_or_edge(x.new, said[1]), fx, tol),
         "currency"),
    ):
        if hit:
            return ERROR_CODE[name]
    # no guess where no shape names one (vocabulary.NO_GUESS_REASONS)
    return ERROR_CODE["none" if reason in _NO_GUESS else "digit_typo"]


def _fx_wide(log_q: float, x: ScalarInputs, rules: PriceRules) -> bool:
    """A ratio a little past the FX tolerance, far from every power of ten, that one of the
    references confirms (``recognisers.FX_WIDE_LOG``)."""
    fx = _fx_logs(x, rules)
    if not _near(log_q, fx, FX_WIDE_LOG) or _near(log_q, _TENS, FX_FAR_FROM_TENS_LOG):
        return False
    refs = (x.old, x.recent_median, x.peer_median, x.list_price, x.peer_low, x.peer_high)
    return any(_near(_log_or_edge(x.new, ref), fx, FX_CONFIRM_LOG)
               for ref in refs if ref > 0)


def _mismatch_named_by(gap: float, x: ScalarInputs, rules: PriceRules) -> float:
    """``recognisers.promotion_mismatch_named_by`` for one change."""
    slip = _log(x.new) - _log(x.old) if x.old > 0 else math.nan
    return slip if _near(slip, _TENS, rules.shape_tolerance_log) else gap


def _discount_amount(x: ScalarInputs, rules: PriceRules) -> bool:
    """``recognisers.typed_discount_amount`` for one change."""
    pct = x.promotion_pct
    if not (0 < pct < 100 and x.old > 0 and x.new > 0):
        return False
    amount = abs(math.log(x.new / (x.old * pct / 100.0))) < DISCOUNT_AMOUNT_LOG
    return amount and not _near(math.log(x.new / x.old), _TENS, rules.shape_tolerance_log)
