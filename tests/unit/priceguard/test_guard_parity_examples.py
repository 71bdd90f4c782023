"""Named cases on the edges of the guard's policy rules, each answered the same by both paths.

Every case states the whole answer (verdict, reason, error type, reference kind and price) and
checks it on ``check_one`` (plain floats, ``scalar.py``) *and* on ``check_prices`` (columns,
``checks.py`` + ``recognisers.py`` + ``features.py``), then holds the two to the same score.
A rule moved by one comparison (``<`` for ``<=``), a reference named from the wrong column or a
branch left out of one path changes one of these answers.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from sagwa.priceguard import (
    ChangeEvidence,
    PriceRules,
    SellerLimits,
    check_one,
    check_prices,
    load_rules,
)
from sagwa.priceguard.scalar import judge
from sagwa.priceguard.single import evidence_columns, scalar_inputs
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES, REF_KINDS

RULES = dataclasses.replace(
    load_rules(), sellers={"S1": SellerLimits(floor_major=5.0, ceiling_major=500.0),
                           "S2": SellerLimits(floor_major=100_000.0, ceiling_major=500_000.0,
                                              currency="KRW")}
)
#: A marketplace that calls anything up to 1.00 USD a penny price.
RAISED_PENNY = dataclasses.replace(RULES, penny_max_major={"default": 0.01, "USD": 1.0, "KRW": 1.0})


def settled(old: int, new: int, currency: str, **kw: Any) -> ChangeEvidence:
    """A listing that has sat at ``old`` (its recent median is ``old``), moving to ``new``."""
    kw.setdefault("recent_prices_minor", (old,) * 4)
    return ChangeEvidence(old_price_minor=old, new_price_minor=new, currency=currency, **kw)


@dataclasses.dataclass(frozen=True)
class Answer:
    verdict: str
    reason: str
    error_type: str
    ref_kind: str
    ref_price: float


def answers(ev: ChangeEvidence, rules: PriceRules) -> tuple[Answer, Answer, float, float]:
    """(single answer, batch answer, single score, batch score) for ``ev``."""
    one = check_one(ev, rules)
    batch = check_prices(evidence_columns(ev, rules), rules)
    single = Answer(
        one.verdict,
        one.reason_code,
        one.error_type,
        one.facts["reference_kind"],
        one.facts["reference_price_minor"],
    )
    columnar = Answer(
        "hold" if batch.hold[0] else "allow",
        REASON_CODES[batch.reason_code[0]],
        ERROR_TYPES[batch.error_code[0]],
        REF_KINDS[batch.ref_kind[0]],
        float(batch.ref_price[0]),
    )
    # the scalar core's own reference kind (check_one renames "current" by old_price_kind)
    assert REF_KINDS[judge(scalar_inputs(ev, rules), rules).ref_kind] == columnar.ref_kind
    return single, columnar, one.score, float(batch.score[0])


CASES = [
    # --- a declared promotion past its category's limit: inverted only in round tens ---
    pytest.param(
        settled(100_000, 15_000, "KRW", promotion_pct=85.0), RULES,
        Answer("hold", "promotion_too_deep", "inflated_promotion", "current", 100_000.0),
        id="declared-85pct-is-inflated-not-inverted",
    ),
    pytest.param(
        settled(199_000, 19_900, "KRW", promotion_pct=90.0), RULES,
        Answer("hold", "promotion_too_deep", "percent_inverted", "current", 199_000.0),
        id="declared-90pct-is-inverted",
    ),
    # --- an undeclared cut as deep as the category's promotion limit (electronics: 60%) ---
    pytest.param(
        settled(527_000, 210_800, "KRW", category="electronics"), RULES,
        Answer("hold", "undeclared_cut_too_deep", "none", "current", 527_000.0),
        id="electronics-exactly-60pct-off-undeclared-is-held",
    ),
    pytest.param(
        settled(527_000, 211_000, "KRW", category="electronics"), RULES,
        Answer("allow", "within_range", "none", "current", 527_000.0),
        id="electronics-just-under-60pct-off-undeclared-is-allowed",
    ),
    pytest.param(
        settled(500_000, 50_000, "KRW", category="electronics"), RULES,
        Answer("hold", "far_below_references", "decimal_slip", "current", 500_000.0),
        id="electronics-dropped-zero-keeps-its-own-reason",
    ),
    pytest.param(
        # on 100,000 now (a promotion) of a usual 300,000: raising to 110,000 cuts nothing
        settled(100_000, 110_000, "KRW", recent_prices_minor=(300_000,) * 4,
                list_price_minor=300_000, category="electronics"), RULES,
        Answer("allow", "within_range", "none", "recent_median", 300_000.0),
        id="electronics-raise-during-a-promotion-is-no-undeclared-cut",
    ),
    pytest.param(
        settled(500_000, 150_000, "KRW", category="grocery"), RULES,
        Answer("allow", "within_range", "none", "current", 500_000.0),
        id="grocery-70pct-off-undeclared-is-under-its-80pct-limit",
    ),
    # --- cuts in steps: from where a run of cuts began (electronics: 60%) ---
    pytest.param(
        # 195,000 -> 79,950 (a declared 59%) just went live; another 59% on top: 83% in all
        settled(79_950, 32_780, "KRW", recent_prices_minor=(195_000,) * 3 + (79_950,),
                promotion_pct=59.0, category="electronics", streak_start_minor=195_000,
                streak_moves=1), RULES,
        Answer("hold", "cut_too_deep_in_steps", "none", "streak_start", 195_000.0),
        id="electronics-a-promotion-stacked-on-one-is-held",
    ),
    pytest.param(
        # 195,000 -> 117,000 -> 70,200 undeclared: 40% each, 64% in all
        settled(117_000, 70_200, "KRW", recent_prices_minor=(195_000,) * 3 + (117_000,),
                category="electronics", streak_start_minor=195_000, streak_moves=1), RULES,
        Answer("hold", "cut_too_deep_in_steps", "none", "streak_start", 195_000.0),
        id="electronics-an-undeclared-cut-in-two-steps-is-held",
    ),
    pytest.param(
        # exactly 60% below the run's start: at the limit, held
        settled(117_000, 78_000, "KRW", recent_prices_minor=(195_000,) * 3 + (117_000,),
                category="electronics", streak_start_minor=195_000, streak_moves=1), RULES,
        Answer("hold", "cut_too_deep_in_steps", "none", "streak_start", 195_000.0),
        id="electronics-exactly-60pct-below-the-runs-start",
    ),
    pytest.param(
        settled(117_000, 78_100, "KRW", recent_prices_minor=(195_000,) * 3 + (117_000,),
                category="electronics", streak_start_minor=195_000, streak_moves=1), RULES,
        Answer("allow", "within_range", "none", "current", 117_000.0),
        id="electronics-just-under-60pct-below-the-runs-start",
    ),
    pytest.param(
        # a review's case: a x10 slip (1,200,000) approved, then taken back to 120,000; a
        # 0.8% cut next is no "90% below the price before this run of 2 cuts": the run began
        # far above the listing's usual price (its recent median, its list price)
        settled(120_000, 119_000, "KRW", recent_prices_minor=(120_000,) * 3 + (1_200_000,),
                list_price_minor=130_000, category="electronics",
                streak_start_minor=1_200_000, streak_moves=1), RULES,
        Answer("allow", "within_range", "none", "current", 120_000.0),
        id="electronics-a-cut-after-taking-a-wrong-price-back-is-not-in-steps",
    ),
    pytest.param(
        # no run of cuts known (the last cut was too long ago to continue one): not in steps
        settled(117_000, 70_200, "KRW", recent_prices_minor=(195_000,) * 3 + (117_000,),
                category="electronics"), RULES,
        Answer("allow", "within_range", "none", "current", 117_000.0),
        id="electronics-a-cut-after-the-run-ended-is-measured-from-the-price-alone",
    ),
    pytest.param(
        # the default 80%: 83% below the run's start in two 59% steps is past it too
        settled(79_950, 32_780, "KRW", recent_prices_minor=(195_000,) * 3 + (79_950,),
                promotion_pct=59.0, streak_start_minor=195_000, streak_moves=1), RULES,
        Answer("hold", "cut_too_deep_in_steps", "none", "streak_start", 195_000.0),
        id="default-category-two-59pct-promotions-stacked",
    ),
    # --- seller floor and ceiling (S1: 5.00 .. 500.00 USD): the limit itself is allowed ---
    pytest.param(
        settled(45_000, 50_000, "USD", seller_id="S1"), RULES,
        Answer("allow", "within_range", "none", "current", 45_000.0),
        id="exactly-at-the-sellers-ceiling",
    ),
    pytest.param(
        settled(45_000, 50_001, "USD", seller_id="S1"), RULES,
        Answer("hold", "above_seller_ceiling", "none", "current", 45_000.0),
        id="a-cent-over-the-sellers-ceiling",
    ),
    pytest.param(
        settled(600, 500, "USD", seller_id="S1"), RULES,
        Answer("allow", "within_range", "none", "current", 600.0),
        id="exactly-at-the-sellers-floor",
    ),
    pytest.param(
        settled(600, 499, "USD", seller_id="S1"), RULES,
        Answer("hold", "below_seller_floor", "none", "current", 600.0),
        id="a-cent-under-the-sellers-floor",
    ),
    pytest.param(  # a slip past the floor is still named by its shape
        settled(4_000, 400, "USD", seller_id="S1"), RULES,
        Answer("hold", "below_seller_floor", "decimal_slip", "current", 4_000.0),
        id="a-dropped-zero-under-the-sellers-floor",
    ),
    pytest.param(  # limits in KRW leave the seller's USD prices alone
        settled(15_000, 14_000, "USD", seller_id="S2"), RULES,
        Answer("allow", "within_range", "none", "current", 15_000.0),
        id="a-usd-price-under-a-krw-floor's-number",
    ),
    pytest.param(
        settled(150_000, 99_000, "KRW", seller_id="S2"), RULES,
        Answer("hold", "below_seller_floor", "none", "current", 150_000.0),
        id="a-krw-price-under-the-sellers-krw-floor",
    ),
    # --- the fixed book price law: at least 90% of the list price ---
    pytest.param(
        settled(20_000, 18_000, "KRW", list_price_minor=20_000, category="books"), RULES,
        Answer("allow", "within_range", "none", "current", 20_000.0),
        id="a-book-at-exactly-90pct-of-its-list-price",
    ),
    pytest.param(
        settled(20_000, 17_990, "KRW", list_price_minor=20_000, category="books"), RULES,
        Answer("hold", "below_list_price_floor", "none", "list_price", 20_000.0),
        id="a-book-10-won-under-90pct-of-its-list-price",
    ),
    # --- placeholders and penny prices ---
    pytest.param(
        settled(25, 100, "USD"), RULES,
        Answer("allow", "within_range", "none", "current", 25.0),
        id="a-rise-to-1-dollar-is-no-placeholder",
    ),
    pytest.param(
        settled(350, 100, "USD"), RULES,
        Answer("hold", "far_below_references", "penny", "current", 350.0),
        id="a-drop-to-1-dollar-is-a-placeholder-and-its-shape-boost-holds-it",
    ),
    pytest.param(
        ChangeEvidence(1, 1, "KRW"), RULES,
        Answer("hold", "penny_price", "penny", "current", 1.0),
        id="one-won-left-at-one-won-is-a-penny-price",
    ),
    pytest.param(
        settled(150, 90, "USD"), RAISED_PENNY,
        Answer("hold", "penny_price", "penny", "current", 150.0),
        id="under-a-raised-penny-ceiling-is-a-penny-price",
    ),
    # --- which reference a change is said against ---
    pytest.param(
        settled(10_000, 1_000, "KRW"), RULES,
        Answer("hold", "far_below_references", "decimal_slip", "current", 10_000.0),
        id="old-equal-to-the-recent-median-is-named-the-current-price",
    ),
    pytest.param(
        settled(10_000, 9_000, "KRW"), RULES,
        Answer("allow", "within_range", "none", "current", 10_000.0),
        id="allowed-change-names-the-current-price",
    ),
    pytest.param(
        ChangeEvidence(10_000, 10_000, "KRW"), RULES,
        Answer("allow", "within_range", "none", "current", 10_000.0),
        id="unchanged-price-without-other-sellers",
    ),
    pytest.param(
        settled(10_000, 3_000, "USD", other_seller_prices_minor=(10_000, 10_100, 9_900, 10_050),
                promotion_pct=70.0), RULES,
        Answer("allow", "within_range", "none", "current", 10_000.0),
        id="a-lone-sellers-declared-70pct-promotion",
    ),
    pytest.param(
        settled(100_000, 35_000, "KRW", promotion_pct=65.0, category="electronics"), RULES,
        Answer("hold", "promotion_too_deep", "inflated_promotion", "current", 100_000.0),
        id="electronics-declared-65pct",
    ),
    # --- a rise past the list price that the listing's own climbing prices vouch for ---
    pytest.param(
        ChangeEvidence(old_price_minor=600_000, new_price_minor=900_000, currency="KRW",
                       recent_prices_minor=(300_000, 450_000, 600_000),
                       other_seller_prices_minor=(189_000, 195_000, 199_000, 700_000),
                       list_price_minor=199_000), RULES,
        Answer("hold", "far_above_references", "digit_typo", "list_price", 199_000.0),
        id="a-repricer-spiral-past-the-list-price-is-said-against-it",
    ),
    pytest.param(
        ChangeEvidence(old_price_minor=600_000, new_price_minor=790_000, currency="KRW",
                       recent_prices_minor=(300_000, 450_000, 600_000),
                       other_seller_prices_minor=(189_000, 195_000, 199_000, 700_000),
                       list_price_minor=199_000), RULES,
        Answer("allow", "within_range", "none", "recent_median", 450_000.0),
        id="just-under-the-list-price-rule-scores-as-before",
    ),
]


@pytest.mark.parametrize(("ev", "rules", "expected"), CASES)
def test_both_paths_give_the_stated_answer(
    ev: ChangeEvidence, rules: PriceRules, expected: Answer
) -> None:
    single, columnar, single_score, batch_score = answers(ev, rules)
    assert columnar == expected, "batch"
    assert single == expected, "single"
    assert single_score == pytest.approx(batch_score, abs=1e-12)


def _score(z: float) -> float:
    return z / (1.0 + z)


def test_a_lone_sellers_explained_promotion_adds_no_sellers_range_term() -> None:
    """3,000 of 10,000 on a declared 70%: the drop is explained, so only the relaxed ratio
    counts (z = ln(1/0.3) / (ln(1/0.3) - ln 0.8)); being 3.3× under the cheapest other seller
    (past the 3× margin) adds nothing."""
    ev = settled(10_000, 3_000, "USD", other_seller_prices_minor=(10_000, 10_100, 9_900, 10_050),
                 promotion_pct=70.0)
    z = -math.log(0.3) / (-math.log(0.3) - math.log(RULES.promo_slack))
    _, _, single_score, batch_score = answers(ev, RULES)
    assert single_score == pytest.approx(_score(z), abs=1e-12)
    assert batch_score == pytest.approx(_score(z), abs=1e-12)


def test_the_same_drop_undeclared_counts_the_sellers_range() -> None:
    """Without the promotion the range term is there: 2 × (ln(9,900 / 3,000) - ln 3)."""
    ev = settled(10_000, 3_000, "USD", other_seller_prices_minor=(10_000, 10_100, 9_900, 10_050))
    z = -math.log(0.3) / RULES.log_down + RULES.peer_range_weight * (
        math.log(9_900 / 3_000) - math.log(RULES.peer_range_margin_down))
    single, columnar, single_score, batch_score = answers(ev, RULES)
    assert single.verdict == columnar.verdict == "allow"
    assert single_score == pytest.approx(_score(z), abs=1e-12)
    assert batch_score == pytest.approx(_score(z), abs=1e-12)


def test_a_round_too_deep_promotion_gets_the_round_percent_bonus() -> None:
    """Declared 65% on electronics (limit 60%), price as declared: z = 1 + 5/100 + 0.25."""
    ev = settled(100_000, 35_000, "KRW", promotion_pct=65.0, category="electronics")
    _, _, single_score, batch_score = answers(ev, RULES)
    assert single_score == pytest.approx(_score(1.30), abs=1e-12)
    assert batch_score == pytest.approx(_score(1.30), abs=1e-12)


def test_a_not_round_too_deep_promotion_gets_no_bonus() -> None:
    """Declared 67% on electronics: the floor 1 + 7/100 and the ratio both lie under the
    policy's least z, so the score is exactly the hold threshold's."""
    ev = settled(100_000, 33_000, "KRW", promotion_pct=67.0, category="electronics")
    _, _, single_score, batch_score = answers(ev, RULES)
    assert single_score == pytest.approx(_score(RULES.z_policy), abs=1e-12)
    assert batch_score == pytest.approx(_score(RULES.z_policy), abs=1e-12)


def test_the_usual_price_is_the_median_of_what_is_known_without_warnings() -> None:
    import numpy as np

    from sagwa.priceguard.checks import usual_price

    nan = float("nan")
    got = usual_price(np.array([nan, 1.0, 1.0, 1.0]), np.array([nan, nan, 3.0, 5.0]),
                      np.array([nan, nan, nan, 3.0]))  # filterwarnings=error: no all-NaN warning
    assert np.isnan(got[0]) and got[1:].tolist() == [1.0, 2.0, 3.0]
    assert usual_price(np.array([]), np.array([]), np.array([])).size == 0
