"""``check_one`` (plain floats) and ``check_prices`` (arrays) give the same answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sagwa.priceguard import (
    ChangeEvidence,
    PriceColumns,
    SellerLimits,
    check_one,
    check_prices,
    load_rules,
)
from sagwa.priceguard.checks import BLOCK_ROWS
from sagwa.priceguard.scalar import ScalarInputs, judge
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES

RULES = dataclasses.replace(
    load_rules(), sellers={"S1": SellerLimits(floor_major=5.0, ceiling_major=500.0)}
)

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
    | st.sampled_from([5.0, 10.0, 25.0, 50.0, 70.0, 79.0, 80.0, 85.0, 90.0, 95.0]),
    category=st.none() | st.sampled_from(["electronics", "grocery", "unknown", "books/novel"]),
    seller_id=st.none() | st.just("S1"),
)


@settings(max_examples=400, deadline=None)
@given(evidences)
def test_single_check_matches_batch_check(ev: ChangeEvidence) -> None:
    one = check_one(ev, RULES)
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    assert one.verdict == ("hold" if batch.hold[0] else "allow")
    assert one.error_type == ERROR_TYPES[batch.error_code[0]]
    assert one.reason_code == REASON_CODES[batch.reason_code[0]]
    assert abs(one.score - float(batch.score[0])) < 1e-9


def _random_columns(n: int, seed: int) -> PriceColumns:
    rng = np.random.default_rng(seed)
    old = rng.integers(50, 100_000, n).astype(np.float64)
    factor = np.exp(rng.normal(0, 1.2, n)) * rng.choice([1, 1, 1, 10, 0.1, 0.01, 36], n)
    nan = np.full(n, np.nan)
    peer = np.where(rng.random(n) < 0.7, old * np.exp(rng.normal(0, 0.3, n)), nan)
    return PriceColumns(
        new=np.round(old * factor),
        old=old,
        recent_median=np.where(rng.random(n) < 0.8, old * np.exp(rng.normal(0, 0.2, n)), nan),
        peer_median=peer,
        peer_low=peer * np.exp(-np.abs(rng.normal(0, 0.5, n))),
        peer_high=peer * np.exp(np.abs(rng.normal(0, 0.5, n))),
        peer_count=np.where(np.isnan(peer), 0.0, rng.integers(1, 9, n).astype(float)),
        list_price=np.where(rng.random(n) < 0.2, old * 1.2, nan),
        promotion_pct=np.where(
            rng.random(n) < 0.3, rng.choice([10.0, 30.0, 50.0, 80.0, 90.0], n), nan
        ),
        max_depth_pct=np.full(n, 80.0),
        minor_per_major=rng.choice([1.0, 100.0], n),
        penny_minor=np.full(n, 1.0),
        floor=nan,
        ceiling=nan,
        # a fixed-price category on some rows (90% of the list price)
        list_floor=np.where(rng.random(n) < 0.3, old * 1.2 * 0.9, nan),
    )


def _assert_rows_match_scalar(cols: PriceColumns, rows: Iterable[int]) -> None:
    batch = check_prices(cols, RULES)
    for i in rows:
        row = ScalarInputs(
            **{f.name: float(getattr(cols, f.name)[i]) for f in dataclasses.fields(cols)}
        )
        one = judge(row, RULES)
        assert one.hold == bool(batch.hold[i]), i
        assert one.error_code == int(batch.error_code[i]), i
        assert one.reason_code == int(batch.reason_code[i]), i
        assert one.ref_kind == int(batch.ref_kind[i]), i
        assert one.ref_price == batch.ref_price[i] or (
            np.isnan(one.ref_price) and np.isnan(batch.ref_price[i])
        ), i


def test_batch_of_many_matches_row_by_row() -> None:
    cols = _random_columns(3_000, seed=7)
    _assert_rows_match_scalar(cols, range(len(cols)))


def test_a_batch_larger_than_one_block_matches_row_by_row_across_block_edges() -> None:
    cols = _random_columns(2 * BLOCK_ROWS + 1_234, seed=8)
    edges = [0, BLOCK_ROWS - 1, BLOCK_ROWS, 2 * BLOCK_ROWS - 1, 2 * BLOCK_ROWS, len(cols) - 1]
    sample = sorted({*range(0, len(cols), 101), *edges})
    _assert_rows_match_scalar(cols, sample)


@settings(max_examples=300, deadline=None)
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
    one = check_one(ev, RULES)
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    assert one.verdict == ("hold" if batch.hold[0] else "allow")
    assert one.reason_code == REASON_CODES[batch.reason_code[0]]
    assert one.error_type == ERROR_TYPES[batch.error_code[0]]
    assert one.facts["reference_price_minor"] == batch.ref_price[0]
    if abs(off) > RULES.promo_mismatch_log + 0.01:
        assert one.reason_code == "promotion_mismatch"
