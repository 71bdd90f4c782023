"""The recognisers' thresholds, at, just inside and just outside each boundary, on both paths.

``scalar.py`` restates the recognisers of ``recognisers.py`` in plain floats; each boundary
below is checked on ``check_one`` and on ``check_prices`` with the error type it must give.
The "at" prices are chosen so that ln(new / old) is *exactly* ln(threshold) in floating point
(ln(3,000 / 20,000) == ln 0.15), so ``<`` and ``<=`` give different answers there.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from sagwa.priceguard import ChangeEvidence, PriceRules, check_one, check_prices, load_rules
from sagwa.priceguard.recognisers import (
    DEEP_DROP_RATIO,
    DISCOUNT_AS_PRICE_MAX_DROP,
    EXTRA_ZERO_RISE,
    NEAR_NOTHING_RATIO,
)
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES

RULES = load_rules()
#: Without FX and pack-size anchors, which would otherwise name drops near 0.15 (≈ 1/7.2,
#: 1/6) a currency or unit mix-up and hide the deep-drop threshold.
NO_FX_OR_PACKS = dataclasses.replace(RULES, fx_rates=(), pack_sizes=())


def settled(old: int, new: int, currency: str, *, peers: bool = False) -> ChangeEvidence:
    """A listing long at ``old`` (and, with ``peers``, four other sellers at ``old``)."""
    return ChangeEvidence(
        old_price_minor=old,
        new_price_minor=new,
        currency=currency,
        recent_prices_minor=(old,) * 4,
        other_seller_prices_minor=(old,) * 4 if peers else (),
    )


def promised_half_of(old: int, new: int) -> ChangeEvidence:
    """A declared 50% off ``old`` with ``new`` typed as the price (a promotion mismatch)."""
    return dataclasses.replace(settled(old, new, "USD"), promotion_pct=50.0)


def both_error_types(ev: ChangeEvidence, rules: PriceRules) -> tuple[str, str]:
    """The error type ``check_one`` and ``check_prices`` name for a held ``ev``."""
    one = check_one(ev, rules)
    batch = check_prices(evidence_columns(ev, rules), rules)
    assert one.verdict == "hold", one
    assert bool(batch.hold[0])
    assert one.reason_code == REASON_CODES[batch.reason_code[0]]
    assert one.score == pytest.approx(float(batch.score[0]), abs=1e-12)
    return one.error_type, ERROR_TYPES[batch.error_code[0]]


def exact_log_ratio(old: int, new: int, ratio: float) -> bool:
    """ln(new / old) as both paths compute it equals ln(ratio) to the last bit."""
    py = math.log(new) - math.log(old)
    np_ = float(np.log(float(new)) - np.log(float(old)))
    return py == np_ == math.log(ratio) == float(np.log(ratio))


BOUNDARIES = [
    # --- a discount typed as the price: 10 .. 90 major units, round tens, far from the reference
    pytest.param(settled(120_000, 80, "KRW"), RULES, "discount_as_price", id="typed-80-inside"),
    # (on 150,000: 90 of 120,000 is also $90 at 1,350 within rounding, named a currency mix-up)
    pytest.param(settled(150_000, 90, "KRW"), RULES, "discount_as_price", id="typed-90-at-upper"),
    pytest.param(settled(120_000, 100, "KRW"), RULES, "decimal_slip", id="typed-100-outside"),
    # --- ... "far" below means under DISCOUNT_AS_PRICE_MAX_DROP (0.01) of the reference ---
    pytest.param(settled(6_100, 60, "KRW"), RULES, "discount_as_price",
                 id="typed-60-under-0.01-of-6100"),
    pytest.param(settled(6_000, 60, "KRW"), RULES, "decimal_slip", id="typed-60-at-0.01-of-6000"),
    pytest.param(settled(5_900, 60, "KRW"), RULES, "decimal_slip", id="typed-60-over-0.01-of-5900"),
    # --- a zero typed after a moving price: a 4-25x rise to a price whose last cent is 0 ---
    # (ln 1,680 - ln 420 is a hair above ln 4 in floating point: exact below)
    pytest.param(settled(420, 1_700, "USD", peers=True), RULES, "extra_zero",
                 id="extra-zero-4.05x-inside"),
    pytest.param(settled(420, 1_680, "USD", peers=True), RULES, "extra_zero",
                 id="extra-zero-4x-at-lower"),
    pytest.param(settled(420, 1_650, "USD", peers=True), RULES, "digit_typo",
                 id="extra-zero-3.93x-outside"),
    pytest.param(settled(420, 1_681, "USD", peers=True), RULES, "digit_typo",
                 id="4x-rise-to-a-price-not-ending-in-0-cents"),
    # a price that disagrees with its declared promotion is named from the promised price: a
    # declared 50% off 8.45 promises 4.225, and 16.90 is exactly 4x that (ln 2 + ln 2 == ln 4)
    pytest.param(promised_half_of(845, 1_700), RULES, "extra_zero",
                 id="extra-zero-4.02x-the-promised-price-inside"),
    pytest.param(promised_half_of(845, 1_690), RULES, "extra_zero",
                 id="extra-zero-exactly-4x-the-promised-price"),
    pytest.param(promised_half_of(845, 1_650), RULES, "digit_typo",
                 id="extra-zero-3.9x-the-promised-price-outside"),
    # --- a dropped zero on a moving price: under DEEP_DROP_RATIO (0.15) of the reference ---
    pytest.param(settled(20_000, 2_980, "KRW"), NO_FX_OR_PACKS, "decimal_slip",
                 id="deep-drop-0.149-inside"),
    pytest.param(settled(20_000, 3_000, "KRW"), NO_FX_OR_PACKS, "digit_typo",
                 id="deep-drop-at-0.15"),
    pytest.param(settled(20_000, 3_020, "KRW"), NO_FX_OR_PACKS, "digit_typo",
                 id="deep-drop-0.151-outside"),
    # with the packaged shapes too: 11,500 meant, 1,150 typed (0.115: near no 10ⁿ, rate or pack)
    pytest.param(settled(10_000, 1_150, "KRW"), RULES, "decimal_slip",
                 id="dropped-zero-0.115-not-a-power-of-ten"),
    # --- near nothing: under NEAR_NOTHING_RATIO (0.0005) of the reference is a placeholder ---
    pytest.param(settled(2_000_000, 999, "KRW"), RULES, "penny", id="near-nothing-under-0.0005"),
    pytest.param(settled(2_000_000, 1_000, "KRW"), RULES, "decimal_slip",
                 id="near-nothing-at-0.0005"),
    pytest.param(settled(2_000_000, 1_001, "KRW"), RULES, "decimal_slip",
                 id="near-nothing-over-0.0005"),
]


@pytest.mark.parametrize(("ev", "rules", "expected"), BOUNDARIES)
def test_error_type_on_each_side_of_a_recogniser_threshold(
    ev: ChangeEvidence, rules: PriceRules, expected: str
) -> None:
    single, batch = both_error_types(ev, rules)
    assert batch == expected, "batch"
    assert single == expected, "single"


@pytest.mark.parametrize(
    ("old", "new", "ratio"),
    [
        (6_000, 60, DISCOUNT_AS_PRICE_MAX_DROP),
        (20_000, 3_000, DEEP_DROP_RATIO),
        (2_000_000, 1_000, NEAR_NOTHING_RATIO),
    ],
)
def test_the_at_the_boundary_prices_sit_exactly_on_it(old: int, new: int, ratio: float) -> None:
    assert exact_log_ratio(old, new, ratio)


def test_the_promised_price_gap_sits_exactly_on_the_extra_zero_boundary() -> None:
    gap = math.log(1_690 / 845) - math.log1p(-0.5)
    assert gap == math.log(EXTRA_ZERO_RISE[0]) == float(np.log(EXTRA_ZERO_RISE[0]))
    assert float(np.log(np.float64(1_690) / 845) - np.log1p(-0.5)) == gap


def test_the_thresholds_are_the_documented_ones() -> None:
    """The values the cases above are built around (a changed value fails here first)."""
    assert (DISCOUNT_AS_PRICE_MAX_DROP, DEEP_DROP_RATIO, NEAR_NOTHING_RATIO) == (
        0.01, 0.15, 0.0005)
    assert EXTRA_ZERO_RISE == (4.0, 25.0)
