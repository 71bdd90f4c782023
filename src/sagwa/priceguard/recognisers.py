"""Recognisers for the shapes pricing errors take; each names the likely error type.

Given the ratio ``q = new / median reference`` and the declared promotion, they tell a dropped
zero (q ≈ 10⁻ⁿ) from an extra zero (q ≈ 10ⁿ, or a 4–25× rise to a price whose last cent digit
is 0: a zero typed after a price that was itself moving), an exchange-rate mix-up (q ≈ a common
FX rate; a little further off too when another reference confirms it, see :data:`FX_WIDE_LOG`),
a pack/unit mix-up (q ≈ 1/pack size), a discount typed into the price field (a new price of
exactly 10, 20 … 90 major units, or the declared percent's amount: 30% of 185,000 typed as
55,500), a placeholder price (0.01, 0.10, 1.00) and an inverted or inflated promotion. A change
whose reason quotes the lowest or highest other seller, at an FX rate from that price, is a
currency mix-up where nothing else names it. Anything held but unexplained is called a digit
typo.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sagwa.priceguard.features import F64, LN10, is_round, near_any
from sagwa.priceguard.rules import PriceRules
from sagwa.priceguard.vocabulary import ERROR_CODE, NO_GUESS_REASONS, REASON_CODE

I8 = npt.NDArray[np.int8]

POWERS_OF_TEN = np.array([LN10, 2 * LN10, 3 * LN10])
_NO_GUESS = np.array([REASON_CODE[name] for name in NO_GUESS_REASONS])
#: A new price this many times its reference that equals a round percentage is a typed discount.
DISCOUNT_AS_PRICE_MIN_RATIO = 2.0
#: ... or this small a fraction of it (a "30" typed into a 120,000 KRW price field).
DISCOUNT_AS_PRICE_MAX_DROP = 0.01
DEEP_DROP_RATIO = 0.15
#: Below this fraction of its reference, and near no power of ten, a price is a placeholder
#: rather than a slipped decimal point (2 KRW for 527,000 KRW).
NEAR_NOTHING_RATIO = 0.0005
#: A rise this many times its reference to a price whose last cent digit is 0 looks like a zero
#: typed after the price the seller meant (1.69 -> 16.90), even when the seller's meant price
#: was itself a move (so the ratio is not close to 10).
EXTRA_ZERO_RISE = (4.0, 25.0)
#: A too-deep declared promotion in round tens is named an inverted percentage (the 2008 "90%
#: event": 10% off meant) only from this depth: a declared 60% or 70% is an ordinary deep sale
#: beyond its category's limit far more often than a mistyped 30% or 40% off.
INVERTED_MIN_PCT = 80.0
#: A price typed in another currency is rarely the exact conversion (rates move and the price in
#: the other currency is its own round price: $150 for 185,000 KRW is 1,233 KRW/$, 9% off
#: 1,350). Past ``shape_tolerance_log`` and up to this log-distance from an FX rate, a ratio is
#: still named a currency mix-up when it lies :data:`FX_FAR_FROM_TENS_LOG` or more from every
#: power of ten and the new price lands within :data:`FX_CONFIRM_LOG` of an FX rate from one of
#: its references ($150 × 1,350 = 202,500 against a list price of 199,000). On the dev set (in
#: USD) it names 3 more currency mix-ups right and 1 pack mix-up wrong; without the
#: confirmation, a tolerance this wide named more errors wrong than right.
FX_WIDE_LOG = 0.15
FX_FAR_FROM_TENS_LOG = 0.15
#: "Within rounding" (2%), also where an FX rate and a typed percent both name a drop.
FX_CONFIRM_LOG = 0.02
#: A price that disagrees with its declared promotion and is, within rounding, the discount's
#: amount (30% of 185,000 is 55,500) is that amount typed into the price field; not where the
#: amount is also the current price over a power of ten (10% off: a dropped zero as well).
DISCOUNT_AMOUNT_LOG = 0.02


def pack_anchors(rules: PriceRules) -> F64:
    """Sorted log anchors for pack sizes."""
    return np.asarray(rules.pack_logs)


def near_fx(log_q: F64, fx_set: F64, rules: PriceRules, tol: float) -> npt.NDArray[np.bool_]:
    """Where ``|log_q|`` lies within ``tol`` of an FX rate of the row's set (``fx_set``: an
    index in ``rules.fx_log_sets``, by the listing's currency; 0 in every row when the columns
    were built without it)."""
    return _near_fx(log_q, fx_set, rules, tol, _one_set(fx_set, rules))


def _near_fx(log_q: F64, fx_set: F64, rules: PriceRules, tol: float,
             one: int | None) -> npt.NDArray[np.bool_]:
    """:func:`near_fx`, ``one`` the set every row takes (None: several)."""
    sets = rules.fx_log_sets
    if one is not None:
        return near_any(log_q, np.asarray(sets[one]), tol)
    out = np.zeros(log_q.shape, dtype=np.bool_)
    for k, anchors in enumerate(sets):  # whole columns: cheaper than gathering each set's rows
        rows = fx_set == k
        if rows.any():
            out |= rows & near_any(log_q, np.asarray(anchors), tol)
    return out


def is_shaped(log_q: F64, fx_set: F64, rules: PriceRules) -> npt.NDArray[np.bool_]:
    """Near an error shape's ratio: a power of ten, a pack size or an FX rate of the row's set
    (every row in one pass over all the anchors, ``rules.shape_log_sets``, when all rows take
    the same rates: the batch's hot path)."""
    tol = rules.shape_tolerance_log
    one = _one_set(fx_set, rules)
    if one is not None:
        return near_any(log_q, np.asarray(rules.shape_log_sets[one]), tol)
    fixed = np.sort(np.concatenate([POWERS_OF_TEN, pack_anchors(rules)]))
    return near_any(log_q, fixed, tol) | _near_fx(log_q, fx_set, rules, tol, None)


def _one_set(fx_set: F64, rules: PriceRules) -> int | None:
    """The FX set every row takes, or None when the rows take several."""
    if len(rules.fx_log_sets) == 1 or fx_set.size == 0:
        return 0
    first = fx_set.min()
    return int(first) if first == fx_set.max() else None


def is_placeholder(new: F64, minor_per_major: F64, log_q: F64) -> npt.NDArray[np.bool_]:
    """A drop to a value people type as a stand-in (0.01, 0.10, 1.00 major units)."""
    cents = np.rint(new * 100.0 / minor_per_major)
    return np.asarray(((cents == 1) | (cents == 10) | (cents == 100)) & (log_q < 0))


def ends_in_zero_cents(new: F64, minor_per_major: F64) -> npt.NDArray[np.bool_]:
    """The price has cents (not KRW, whose prices all end in zeros) and its last digit is 0."""
    return np.asarray((minor_per_major == 100.0) & (np.rint(new) % 10 == 0))


def fx_from_a_reference(new: F64, refs: list[F64], rules: PriceRules,
                        fx_set: F64) -> npt.NDArray[np.bool_]:
    """Where ``new`` lies within :data:`FX_CONFIRM_LOG` of an FX rate (of the row's set) from
    one of ``refs`` (NaN, 0: no reference)."""
    out = np.zeros(new.shape, dtype=np.bool_)
    one = _one_set(fx_set, rules)
    with np.errstate(divide="ignore", invalid="ignore"):
        for ref in refs:
            out |= _near_fx(np.log(new / ref), fx_set, rules, FX_CONFIRM_LOG, one)
    return out


def typed_discount_amount(new: F64, old: F64, promo_pct: F64,
                          rules: PriceRules) -> npt.NDArray[np.bool_]:
    """Where ``new`` is, within :data:`DISCOUNT_AMOUNT_LOG`, the declared percent of ``old`` (and
    not ``old`` over a power of ten: see the constant)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        amount = np.abs(np.log(new / (old * promo_pct / 100.0))) < DISCOUNT_AMOUNT_LOG
        slip = near_any(np.log(new / old), POWERS_OF_TEN, rules.shape_tolerance_log)
    return np.asarray(amount & ~slip & (promo_pct > 0) & (promo_pct < 100))


def promotion_mismatch_named_by(promo_gap: F64, new: F64, old: F64, rules: PriceRules) -> F64:
    """The ratio a price that disagrees with its declared promotion is named by: its gap from the
    promotion's price, unless the new price is the current one over or times a power of ten
    (509,000 with 30% declared, typed 50,900: a dropped zero, whatever 50,900 is of 356,300)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        slip = np.log(new / old)
    return np.where(near_any(slip, POWERS_OF_TEN, rules.shape_tolerance_log), slip, promo_gap)


def classify(
    *,
    log_q: F64,
    new_major: F64,
    zero_cents: npt.NDArray[np.bool_],
    promo_pct: F64,
    promo_matches: npt.NDArray[np.bool_],
    placeholder: npt.NDArray[np.bool_],
    reason: I8,
    rules: PriceRules,
    fx_confirmed: npt.NDArray[np.bool_],
    fx_said: npt.NDArray[np.bool_],
    discount_amount: npt.NDArray[np.bool_],
    fx_set: F64,
) -> I8:
    """Error-type code per change (``none`` where the reason is ``within_range``).

    ``fx_confirmed``: :func:`fx_from_a_reference`; ``fx_said``: the reason quotes a price other
    than the one ``log_q`` is taken from (the lowest or highest other seller) and the new price
    is an FX rate from it, a currency mix-up where no other shape names the change;
    ``discount_amount``: :func:`typed_discount_amount`; ``fx_set``: each row's FX rates
    (:func:`near_fx`). The batch calls it for held changes only: allowed ones are ``none`` by
    definition.
    """
    tol = rules.shape_tolerance_log
    up = log_q > 0
    tens = near_any(log_q, POWERS_OF_TEN, tol)
    is_fx = near_fx(log_q, fx_set, rules, tol) & ~tens
    is_pack = near_any(log_q, pack_anchors(rules), tol) & ~tens & ~is_fx
    far = (log_q > np.log(DISCOUNT_AS_PRICE_MIN_RATIO)) | (
        log_q < np.log(DISCOUNT_AS_PRICE_MAX_DROP)
    )
    typed_pct = far & is_round(new_major, 10.0) & (new_major >= 10.0) & (new_major <= 90.0)
    # a drop to a round 10 ... 90 that is, within rounding, an FX rate below the reference
    # (13,500 KRW to "10": $10 at 1,350) is named a currency mix-up, not a typed percent
    typed_pct &= up | ~near_fx(log_q, fx_set, rules, FX_CONFIRM_LOG)
    lo, hi = np.log(EXTRA_ZERO_RISE[0]), np.log(EXTRA_ZERO_RISE[1])
    zero_added = zero_cents & (log_q >= lo) & (log_q <= hi)
    fx_wide = near_fx(log_q, fx_set, rules, FX_WIDE_LOG) & fx_confirmed & ~near_any(
        log_q, POWERS_OF_TEN, FX_FAR_FROM_TENS_LOG)
    by_ratio = np.select(
        [
            placeholder,
            discount_amount & (reason == REASON_CODE["promotion_mismatch"]),
            typed_pct,
            (tens & up) | zero_added,
            tens,
            is_fx,
            is_pack,
            fx_wide,
            ~up & (log_q < np.log(NEAR_NOTHING_RATIO)),
            ~up & (log_q < np.log(DEEP_DROP_RATIO)),
            fx_said,
        ],
        [
            ERROR_CODE["penny"],
            ERROR_CODE["discount_as_price"],
            ERROR_CODE["discount_as_price"],
            ERROR_CODE["extra_zero"],
            ERROR_CODE["decimal_slip"],
            ERROR_CODE["currency"],
            ERROR_CODE["unit_error"],
            ERROR_CODE["currency"],
            ERROR_CODE["penny"],
            ERROR_CODE["decimal_slip"],
            ERROR_CODE["currency"],
        ],
        default=ERROR_CODE["digit_typo"],
    )
    promo_type = np.where(
        is_round(promo_pct, 10.0) & (promo_pct >= INVERTED_MIN_PCT),
        ERROR_CODE["percent_inverted"],
        ERROR_CODE["inflated_promotion"],
    )
    out = np.where(
        reason == REASON_CODE["promotion_too_deep"],
        np.where(promo_matches, promo_type, by_ratio),
        by_ratio,
    )
    # no guess where no shape names one (vocabulary.NO_GUESS_REASONS)
    policy_only = np.isin(reason, _NO_GUESS)
    out = np.where(policy_only & (out == ERROR_CODE["digit_typo"]), ERROR_CODE["none"], out)
    out = np.where(reason == REASON_CODE["penny_price"], ERROR_CODE["penny"], out)
    out = np.where(reason == REASON_CODE["within_range"], ERROR_CODE["none"], out)
    return out.astype(np.int8)
