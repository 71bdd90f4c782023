"""What the streak rule adds, and what it leaves to the other checks (both check paths).

The streak's start only speaks where nothing else would hold the change: a dropped zero at the
end of a walk is still named a dropped zero, said against the current price. And a declared
promotion that explains its drop relaxes the streak's threshold as it relaxes a single move's.
"""

from __future__ import annotations

from sagwa.priceguard import ChangeEvidence, Verdict, check_one, check_prices, load_rules
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES

RULES = load_rules()


def judged(ev: ChangeEvidence) -> Verdict:
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    one = check_one(ev, RULES)
    assert (bool(batch.hold[0]), REASON_CODES[int(batch.reason_code[0])],
            ERROR_TYPES[int(batch.error_code[0])]) == (
        one.verdict == "hold", one.reason_code, one.error_type)
    return one


def test_a_dropped_zero_at_the_end_of_a_walk_is_named_a_dropped_zero() -> None:
    """Five cuts from 10,000 to 5,000, then 500: held either way; named by its shape."""
    ev = ChangeEvidence(old_price_minor=5_000, new_price_minor=500, currency="KRW",
                        recent_prices_minor=(10_000, 8_700, 7_500, 6_500, 5_700, 5_000),
                        streak_start_minor=10_000, streak_moves=5)
    verdict = judged(ev)
    assert (verdict.verdict, verdict.error_type) == ("hold", "decimal_slip")
    assert verdict.facts["reference_kind"] != "streak_start"
    assert verdict.score > judged(ChangeEvidence(  # the streak still raises the score
        old_price_minor=5_000, new_price_minor=500, currency="KRW",
        recent_prices_minor=(10_000, 8_700, 7_500, 6_500, 5_700, 5_000))).score


def test_an_extra_zero_at_the_end_of_a_climb_is_named_an_extra_zero() -> None:
    ev = ChangeEvidence(old_price_minor=2_000, new_price_minor=20_000, currency="USD",
                        recent_prices_minor=(1_000, 1_150, 1_300, 1_500, 1_750, 2_000),
                        streak_start_minor=1_000, streak_moves=5)
    verdict = judged(ev)
    assert (verdict.verdict, verdict.error_type) == ("hold", "extra_zero")


def _after_walk(step: float, promotion_pct: float, category: str | None = None) -> Verdict:
    """Five quick cuts of ``step`` from 10,000, then a declared promotion at the price it gives."""
    prices = [10_000]
    for _ in range(5):
        prices.append(round(prices[-1] * step))
    new = round(prices[-1] * (1 - promotion_pct / 100))
    return judged(ChangeEvidence(old_price_minor=prices[-1], new_price_minor=new,
                                 currency="KRW", recent_prices_minor=tuple(prices),
                                 promotion_pct=promotion_pct, category=category,
                                 streak_start_minor=10_000, streak_moves=5))


def test_a_declared_promotion_relaxes_the_streak_threshold_as_it_relaxes_one_move() -> None:
    """Five 7% cuts then a declared 70%: 20.9% of the walk's start, just past where an
    undeclared cut from it would be held, and within what a declared 70% allows."""
    assert _after_walk(0.93, 70.0).verdict == "allow"


def test_a_promotion_on_top_of_a_quick_walk_is_as_deep_as_its_total() -> None:
    """Five 10% cuts then a declared 75% in fashion (limit 85%): 85% below the price of five
    hours ago, as deep as the category lets a promotion go without review: held against the
    walk's start."""
    verdict = _after_walk(0.90, 75.0, "fashion")
    assert (verdict.verdict, verdict.error_type) == ("hold", "repricer_runaway")
