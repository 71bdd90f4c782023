"""``check_one`` (plain floats) and ``check_prices`` (arrays) give the same answers.

Every comparison covers the whole answer: verdict, score, error type, reason code, reference
kind and reference price. The inputs reach every policy rule: categories with a 60% promotion
limit (where the undeclared-cut rule applies) and the default 80%, the book price floor, seller
floors and ceilings, a raised penny ceiling, and prices exactly on each of those limits.
Hypothesis runs derandomized, so a run's examples do not depend on the run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sagwa.priceguard import (
    ChangeEvidence,
    PriceColumns,
    PriceRules,
    SellerLimits,
    check_one,
    check_prices,
    load_rules,
)
from sagwa.priceguard.checks import BLOCK_ROWS
from sagwa.priceguard.scalar import ScalarInputs, judge
from sagwa.priceguard.single import evidence_columns, scalar_inputs
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES, REF_KIND, REF_KINDS

RULES = dataclasses.replace(
    load_rules(), sellers={"S1": SellerLimits(floor_major=5.0, ceiling_major=500.0)}
)
#: Penny prices up to 1.00 USD / 100 KRW: the penny rule then meets changes the ratios allow.
RAISED_PENNY = dataclasses.replace(
    RULES, penny_max_major={"default": 1.0, "KRW": 100.0, "JPY": 100.0}
)
DERANDOMIZED = settings(derandomize=True, database=None, deadline=None)


def _same(a: float, b: float) -> bool:
    return a == b or (np.isnan(a) and np.isnan(b))


def assert_same_answer(ev: ChangeEvidence, rules: PriceRules) -> None:
    """``check_one`` and ``check_prices`` agree on every part of the answer for ``ev``."""
    one = check_one(ev, rules)
    batch = check_prices(evidence_columns(ev, rules), rules)
    core = judge(scalar_inputs(ev, rules), rules)
    assert one.verdict == ("hold" if batch.hold[0] else "allow")
    assert one.score == pytest.approx(float(batch.score[0]), abs=1e-9)
    assert one.error_type == ERROR_TYPES[batch.error_code[0]]
    assert one.reason_code == REASON_CODES[batch.reason_code[0]]
    assert core.ref_kind == int(batch.ref_kind[0])
    assert one.facts["reference_kind"] == REF_KINDS[batch.ref_kind[0]]  # old_price_kind: current
    assert _same(one.facts["reference_price_minor"], float(batch.ref_price[0]))


prices = st.integers(min_value=0, max_value=5_000_000)
evidences = st.builds(
    ChangeEvidence,
    old_price_minor=st.integers(min_value=1, max_value=5_000_000),
    new_price_minor=prices,
    currency=st.sampled_from(["KRW", "USD", "JPY", "EUR"]),
    recent_prices_minor=st.lists(st.integers(1, 5_000_000), max_size=10).map(tuple),
    other_seller_prices_minor=st.lists(st.integers(1, 5_000_000), max_size=6).map(tuple),
    list_price_minor=st.none() | st.integers(1, 5_000_000),
    promotion_pct=st.none()
    | st.sampled_from([5.0, 10.0, 25.0, 50.0, 60.0, 65.0, 70.0, 79.0, 80.0, 85.0, 90.0, 95.0]),
    category=st.none()
    | st.sampled_from(["electronics", "grocery", "fashion", "unknown", "books", "books/novel"]),
    seller_id=st.none() | st.just("S1"),
)
rule_sets = st.sampled_from([RULES, RAISED_PENNY])


def _settled(old: int, new: int, currency: str, **kw: Any) -> ChangeEvidence:
    kw.setdefault("recent_prices_minor", (old,) * 4)
    return ChangeEvidence(old_price_minor=old, new_price_minor=new, currency=currency, **kw)


@settings(DERANDOMIZED, max_examples=400)
@given(ev=evidences, rules=rule_sets)
# each policy rule at its edge (see test_guard_parity_examples.py for the stated answers)
@example(ev=_settled(100_000, 15_000, "KRW", promotion_pct=85.0), rules=RULES)
@example(ev=_settled(527_000, 210_800, "KRW", category="electronics"), rules=RULES)
@example(ev=_settled(500_000, 50_000, "KRW", category="electronics"), rules=RULES)
@example(
    ev=_settled(100_000, 110_000, "KRW", recent_prices_minor=(300_000,) * 4,
                list_price_minor=300_000, category="electronics"),
    rules=RULES,
)
@example(ev=_settled(45_000, 50_000, "USD", seller_id="S1"), rules=RULES)
@example(ev=_settled(600, 500, "USD", seller_id="S1"), rules=RULES)
@example(ev=_settled(20_000, 18_000, "KRW", list_price_minor=20_000, category="books"),
         rules=RULES)
@example(ev=_settled(25, 100, "USD"), rules=RULES)
@example(ev=_settled(350, 100, "USD"), rules=RULES)
@example(ev=ChangeEvidence(1, 1, "KRW"), rules=RULES)
@example(ev=_settled(150, 90, "USD"), rules=RAISED_PENNY)
@example(ev=_settled(10_000, 9_000, "KRW"), rules=RULES)
@example(ev=ChangeEvidence(10_000, 10_000, "KRW"), rules=RULES)
@example(
    ev=_settled(10_000, 3_000, "USD", other_seller_prices_minor=(10_000, 10_100, 9_900, 10_050),
                promotion_pct=70.0),
    rules=RULES,
)
@example(ev=_settled(100_000, 35_000, "KRW", promotion_pct=65.0, category="electronics"),
         rules=RULES)
# names: an FX rate a little off, confirmed by the list price; a drop to a round 10 by 1,350; a
# discount's amount typed as the price; a reason quoting the highest other seller at 1,350
@example(ev=_settled(185_000, 150, "KRW", list_price_minor=199_000,
                     other_seller_prices_minor=(175_000, 185_000, 189_000)), rules=RULES)
@example(ev=_settled(12_999, 2_250_000, "USD", list_price_minor=14_999), rules=RULES)
@example(ev=_settled(13_500, 10, "KRW", list_price_minor=13_500, category="books"), rules=RULES)
@example(ev=_settled(185_000, 55_500, "KRW", promotion_pct=30.0), rules=RULES)
@example(ev=_settled(12_999, 3_900, "USD", promotion_pct=30.0), rules=RULES)
@example(ev=_settled(249, 403_650, "USD", other_seller_prices_minor=(199, 229, 249, 299)),
         rules=RULES)
def test_single_check_matches_batch_check(ev: ChangeEvidence, rules: PriceRules) -> None:
    assert_same_answer(ev, rules)


def _random_columns(n: int, seed: int) -> PriceColumns:
    rng = np.random.default_rng(seed)
    old = rng.integers(50, 100_000, n).astype(np.float64)
    factor = np.exp(rng.normal(0, 1.2, n)) * rng.choice([1, 1, 1, 10, 0.1, 0.01, 36], n)
    nan = np.full(n, np.nan)
    peer = np.where(rng.random(n) < 0.7, old * np.exp(rng.normal(0, 0.3, n)), nan)
    list_price = np.where(rng.random(n) < 0.3, old * 1.2, nan)
    list_floor = np.where(rng.random(n) < 0.5, list_price * 0.9, nan)  # books: 90% of list
    floor = np.where(rng.random(n) < 0.2, np.round(old * 0.5), nan)
    ceiling = np.where(rng.random(n) < 0.2, np.round(old * 2.0), nan)
    new = np.round(old * factor)
    # some new prices exactly on a limit: unchanged, the floor, the ceiling, the list floor
    edge = rng.integers(0, 8, n)
    for pick, limit in ((1, old), (2, floor), (3, ceiling), (4, np.round(list_floor))):
        new = np.where((edge == pick) & ~np.isnan(limit), limit, new)
    minor_per_major = rng.choice([1.0, 100.0], n)
    # books: at most the list price too; a draw of its own, so the rows above stay as they were
    more = np.random.default_rng(seed + 1)
    list_ceiling = np.where(~np.isnan(list_floor), list_price, nan)
    new = np.where((more.random(n) < 0.1) & ~np.isnan(list_ceiling), list_ceiling, new)
    return PriceColumns(
        new=new,
        old=old,
        recent_median=np.where(rng.random(n) < 0.8, old * np.exp(rng.normal(0, 0.2, n)), nan),
        peer_median=peer,
        peer_low=peer * np.exp(-np.abs(rng.normal(0, 0.5, n))),
        peer_high=peer * np.exp(np.abs(rng.normal(0, 0.5, n))),
        peer_count=np.where(np.isnan(peer), 0.0, rng.integers(1, 9, n).astype(float)),
        list_price=list_price,
        promotion_pct=np.where(
            rng.random(n) < 0.3, rng.choice([10.0, 30.0, 50.0, 65.0, 80.0, 85.0, 90.0], n), nan
        ),
        # electronics (60%, the undeclared-cut rule applies) and the default 80%
        max_depth_pct=rng.choice([60.0, 80.0], n),
        minor_per_major=minor_per_major,
        # penny ceilings of 0.01 and a raised 1.00 major unit (at least 1 minor unit)
        penny_minor=np.maximum(1.0, rng.choice([0.01, 1.0], n) * minor_per_major),
        floor=floor,
        ceiling=ceiling,
        list_floor=list_floor,
        # streaks of 1-9 moves from a start on either side of the old price (a 1 minor unit
        # start: the cut from it is a rise past every ratio), some long enough to count
        streak_start=np.where(rng.random(n) < 0.4,
                              np.where(rng.random(n) < 0.05, 1.0,
                                       np.round(old * np.exp(rng.normal(0, 1.0, n)))), nan),
        streak_moves=np.where(rng.random(n) < 0.5, rng.integers(1, 10, n), 0).astype(float),
        list_ceiling=list_ceiling,
    )


def _assert_rows_match_scalar(cols: PriceColumns, rows: Iterable[int]) -> None:
    batch = check_prices(cols, RULES)
    for i in rows:
        row = ScalarInputs(
            **{f.name: float(getattr(cols, f.name)[i]) for f in dataclasses.fields(cols)}
        )
        one = judge(row, RULES)
        assert one.hold == bool(batch.hold[i]), i
        assert one.score == pytest.approx(float(batch.score[i]), abs=1e-9), i
        assert one.error_code == int(batch.error_code[i]), i
        assert one.reason_code == int(batch.reason_code[i]), i
        assert one.ref_kind == int(batch.ref_kind[i]), i
        assert _same(one.ref_price, float(batch.ref_price[i])), i


def test_the_random_batch_reaches_every_policy_rule() -> None:
    """The rows below exercise each rule (else the row-by-row match proves little)."""
    held = set(check_prices(_random_columns(3_000, seed=7), RULES).reason_code.tolist())
    assert {REASON_CODES[c] for c in held} >= {
        "far_below_references", "far_above_references", "below_all_other_sellers",
        "above_all_other_sellers", "penny_price", "promotion_too_deep", "below_seller_floor",
        "above_seller_ceiling", "promotion_mismatch", "undeclared_cut_too_deep",
        "below_list_price_floor", "cut_too_deep_in_steps", "above_list_price_ceiling",
    }


def test_batch_of_many_matches_row_by_row() -> None:
    cols = _random_columns(3_000, seed=7)
    _assert_rows_match_scalar(cols, range(len(cols)))


def test_a_batch_larger_than_one_block_matches_row_by_row_across_block_edges() -> None:
    cols = _random_columns(2 * BLOCK_ROWS + 1_234, seed=8)
    edges = [0, BLOCK_ROWS - 1, BLOCK_ROWS, 2 * BLOCK_ROWS - 1, 2 * BLOCK_ROWS, len(cols) - 1]
    sample = sorted({*range(0, len(cols), 101), *edges})
    _assert_rows_match_scalar(cols, sample)


@settings(DERANDOMIZED, max_examples=300)
@given(
    old=st.integers(min_value=100, max_value=2_000_000),
    pct=st.sampled_from([5.0, 10.0, 25.0, 33.0, 50.0, 70.0]),
    off=st.floats(min_value=-0.5, max_value=0.5),
    currency=st.sampled_from(["KRW", "USD"]),
)
def test_single_and_batch_agree_around_the_promotion_tolerances(
    old: int, pct: float, off: float, currency: str
) -> None:
    """New prices near what the declared promotion gives: inside promo_match_log, between it
    and promo_mismatch_log, and past it (held as a mismatch)."""
    new = max(1, round(old * (1 - pct / 100) * np.exp(off)))
    ev = ChangeEvidence(
        old_price_minor=old,
        new_price_minor=new,
        currency=currency,
        recent_prices_minor=(old, old),
        promotion_pct=pct,
    )
    assert_same_answer(ev, RULES)
    if abs(off) > RULES.promo_mismatch_log + 0.01:
        assert check_one(ev, RULES).reason_code == "promotion_mismatch"


def test_the_random_batch_reaches_the_streak_rule_both_ways() -> None:
    """Some rows are held against a streak's start, cuts and rises (else the match above
    proves nothing of ``checks._from_streak_start``)."""
    result = check_prices(_random_columns(3_000, seed=7), RULES)
    on_streak = result.ref_kind == REF_KIND["streak_start"]
    # (and cuts in steps past a category's limit, said against the run's start too)
    assert {REASON_CODES[c] for c in result.reason_code[on_streak].tolist()} == {
        "far_below_references", "far_above_references", "cut_too_deep_in_steps"}
