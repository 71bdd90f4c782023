"""Repricers left alone: penny prices and runaways.

Amazon UK, December 2014: a repricing service set thousands of items to 1p. April 2011: two
sellers' repricers each priced "The Making of a Fly" off the other (one at 0.9983 times the
other, the other at 1.270589 times the first) until it cost $23,698,655.93. And the slow kind:
a repricer that cuts 3% at a time, every step small, until the item is nearly free.

Each step is judged as the gate judges it, with the listing's recent prices and its streak
(``streak_of`` over its live prices) updated as allowed changes go live (held ones never do), by
``check_one`` and by the batch core (``check_prices``), which must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sagwa.priceguard import ChangeEvidence, Verdict, check_one, check_prices, load_rules
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.streak import streak_of
from sagwa.priceguard.vocabulary import REASON_CODES

RULES = load_rules()
RECENT = 12  # as many recent prices as the proposal path gathers (price_review.RECENT_PRICES)

#: The 2011 book's price before the war, in US cents ($35.54), and three sellers who stayed
#: near it; its list price.
FLY = 3_554
CALM_SELLERS = (3_554, 3_600, 3_700)
FLY_LIST = 7_000


def judged(ev: ChangeEvidence) -> Verdict:
    """``check_one``'s verdict, after checking the batch core gives the same hold and reason."""
    verdict = check_one(ev, RULES)
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    assert bool(batch.hold[0]) == (verdict.verdict == "hold"), ev
    assert REASON_CODES[int(batch.reason_code[0])] == verdict.reason_code, ev
    return verdict


# -- (a) undercut to a penny -------------------------------------------------------------------

@pytest.mark.parametrize("currency", ["GBP", "USD"])
@pytest.mark.parametrize("old", [1_299, 4_500, 199])
def test_a_repricer_undercutting_to_one_penny_is_held(currency: str, old: int) -> None:
    """The listing had followed the market down a little; then the repricer sets 0.01."""
    history = (old, round(old * 0.99), round(old * 0.98))
    ev = ChangeEvidence(old_price_minor=history[-1], new_price_minor=1, currency=currency,
                        recent_prices_minor=history,
                        other_seller_prices_minor=(round(old * 0.97), old, round(old * 1.04)))
    verdict = judged(ev)
    assert (verdict.verdict, verdict.error_type, verdict.reason_code) == (
        "hold", "penny", "penny_price")


@pytest.mark.parametrize("currency", ["GBP", "USD"])
def test_a_penny_is_held_with_no_history_and_no_other_seller(currency: str) -> None:
    """The 2014 glitch hit listings of every kind, some with nothing to compare with."""
    verdict = judged(ChangeEvidence(old_price_minor=1_999, new_price_minor=1, currency=currency))
    assert (verdict.verdict, verdict.reason_code) == ("hold", "penny_price")


def test_following_a_competitor_down_to_a_penny_is_held() -> None:
    """A repricer matching the lowest other seller follows it to 1p: still a penny price."""
    ev = ChangeEvidence(old_price_minor=1_299, new_price_minor=1, currency="GBP",
                        recent_prices_minor=(1_299,) * 4,
                        other_seller_prices_minor=(1, 1_299, 1_349, 1_400))
    assert judged(ev).reason_code == "penny_price"


# -- (b) two repricers spiralling upward ----------------------------------------------------------

@dataclass(frozen=True)
class Step:
    who: str
    old: int
    new: int
    verdict: Verdict


@dataclass
class Seller:
    price: int
    recent: list[int]

    def evidence(self, new: int, others: tuple[int, ...], list_price: int | None,
                 *, streak: bool = True) -> ChangeEvidence:
        """The evidence of ``new``; ``streak=False``: as if the listing's streak were unknown."""
        start, moves = streak_of(self.recent) if streak else (None, 0)
        return ChangeEvidence(old_price_minor=self.price, new_price_minor=new, currency="USD",
                              recent_prices_minor=tuple(self.recent[-RECENT:]),
                              other_seller_prices_minor=others, list_price_minor=list_price,
                              streak_start_minor=start, streak_moves=moves)

    def go_live(self, new: int) -> None:
        self.price = new
        self.recent.append(new)


def spiral(*, calm: tuple[int, ...], list_price: int | None, steps: int = 40,
           streak: bool = True) -> Iterator[Step]:
    """The 2011 war: B prices at 1.270589 times A, A at 0.9983 times B. Each proposal is judged
    with the other's live price among the other sellers; the war stops at the first hold."""
    a, b = Seller(FLY, [FLY] * 6), Seller(FLY, [FLY] * 6)
    for _ in range(steps):
        for who, me, them, factor in (("B", b, a, 1.270589), ("A", a, b, 0.9983)):
            new = round(them.price * factor)
            step = Step(who, me.price, new,
                        judged(me.evidence(new, (them.price, *calm), list_price, streak=streak)))
            yield step
            if step.verdict.verdict == "hold":
                return
            me.go_live(new)


def test_a_lone_repricer_climbing_past_every_other_seller_is_held() -> None:
    """One repricer raising 1.27x at a time while the other sellers stay near $35: held as
    above every other seller before it costs twice what they ask."""
    me = Seller(FLY, [FLY] * 6)
    while True:
        new = round(me.price * 1.27)
        verdict = judged(me.evidence(new, CALM_SELLERS, None))
        if verdict.verdict == "hold":
            break
        me.go_live(new)
    assert verdict.reason_code == "above_all_other_sellers"
    assert verdict.facts["reference_kind"] == "highest_other_seller"
    assert new < 2.5 * max(CALM_SELLERS)


def test_each_spiral_step_alone_looks_ordinary() -> None:
    """Why the war is hard to see: the first steps are 27% rises next to a seller at the same
    price, and each one is allowed."""
    first = list(spiral(calm=CALM_SELLERS, list_price=FLY_LIST, steps=2))
    assert [s.verdict.verdict for s in first] == ["allow"] * 4


def test_two_repricers_spiralling_upward_are_held_before_the_price_runs_away() -> None:
    """With the streak unknown (``streak=False``), held at the latest on the step that takes
    the price past 3.5 times the list price (up_ratio), against the list price: the listing's
    own climbing prices vouch for each step (~2.9x its recent median) and the partner is the
    highest "other seller", so only the list price, outside them both, sees the runaway
    (``checks._above_list_price``). With the streak known, the streak's start holds it first
    (the next test)."""
    limit = RULES.up_ratio * max(*CALM_SELLERS, FLY_LIST)
    for step in spiral(calm=CALM_SELLERS, list_price=FLY_LIST, streak=False):
        if step.verdict.verdict == "hold":
            assert step.verdict.reason_code == "far_above_references"
            assert step.verdict.facts["reference_kind"] == "list_price"
            assert "list price" in step.verdict.reason_en and "정가" in step.verdict.reason_ko
            return
        assert step.new <= limit, f"{step.who} went live at ${step.new / 100:,.2f}"
    pytest.fail("the spiral was never held")


def test_the_spiral_is_held_against_where_it_began_before_the_list_price_sees_it() -> None:
    """With a list price twice the start, the streak's start (4.1x) holds the war before 3.5x
    the list price would."""
    steps = list(spiral(calm=CALM_SELLERS, list_price=FLY_LIST))
    assert steps[-1].verdict.verdict == "hold"
    assert steps[-1].verdict.facts["reference_kind"] == "streak_start"
    assert steps[-1].new < RULES.up_ratio * FLY_LIST


def test_without_a_list_price_the_spiral_is_held_against_where_it_began() -> None:
    """Without a list price nothing outside the two listings sees the war: the partner is the
    highest "other seller" and each listing's recent median climbs with it (each step ~2.9x
    it). The streak does: the step that takes a listing past ~4.1x where its run of rises
    began (one rise that far would be held) is held, named a repricer runaway."""
    limit = RULES.up_ratio * max(CALM_SELLERS)
    for step in spiral(calm=CALM_SELLERS, list_price=None):
        if step.verdict.verdict == "hold":
            assert (step.verdict.reason_code, step.verdict.error_type) == (
                "far_above_references", "repricer_runaway")
            assert step.verdict.facts["reference_kind"] == "streak_start"
            assert step.verdict.facts["reference_price_minor"] == FLY
            assert step.verdict.facts["streak_moves"] == RULES.streak_min_moves
            assert "rises in a row" in step.verdict.reason_en
            assert "연속 인상" in step.verdict.reason_ko
            return
        assert step.new <= limit, f"{step.who} went live at ${step.new / 100:,.2f}"
    pytest.fail("the spiral was never held")


def test_a_spiral_that_pauses_for_a_step_starts_its_streak_afresh() -> None:
    """A streak is moves in one direction *in a row*: a repricer war broken by a cut every few
    rounds is judged from the last cut on (bounded by the rules' ratios each time), not
    from the first price: the streak only remembers the walk it is on."""
    me = Seller(FLY, [FLY] * 6)
    for round_ in range(30):
        new = round(me.price * (0.99 if round_ % 5 == 4 else 1.27))
        verdict = judged(me.evidence(new, (), None))
        assert verdict.verdict == "allow" or verdict.facts["reference_kind"] != "streak_start"
        if verdict.verdict == "hold":
            break
        me.go_live(new)
    start, moves = streak_of(me.recent)
    assert moves <= 4 and start is not None and me.price > 3 * FLY


# -- (c) a slow downward walk ------------------------------------------------------------------

def walk_down(ev_for, start: int, *, step: float = 0.97, max_steps: int = 400,
              ) -> tuple[int, Verdict] | None:
    """Cut 3% at a time from ``start`` (at least one minor unit), each allowed cut going live;
    the first held price and its verdict, or None if none was held down to 1 minor unit."""
    me = Seller(start, [start] * 6)
    for _ in range(max_steps):
        new = min(round(me.price * step), me.price - 1)
        if new < 1:
            return None
        verdict = judged(ev_for(me, new))
        if verdict.verdict == "hold":
            return new, verdict
        me.go_live(new)
    return None


def test_a_slow_walk_among_other_sellers_is_held_before_it_is_a_fifth_of_the_market() -> None:
    """With the streak unknown: once the price is more than three times under the cheapest
    other seller, it is held as below all of them."""
    held = walk_down(lambda me, new: me.evidence(new, CALM_SELLERS, FLY_LIST, streak=False),
                     FLY)
    assert held is not None
    price, verdict = held
    assert verdict.reason_code == "below_all_other_sellers"
    assert price < min(CALM_SELLERS) / RULES.peer_range_margin_down


WALKS = {
    "among three other sellers and a list price": lambda me, new: me.evidence(
        new, CALM_SELLERS, FLY_LIST),
    "alone, with a list price": lambda me, new: me.evidence(new, (), FLY_LIST),
    "alone, nothing to compare with but its own prices": lambda me, new: me.evidence(
        new, (), None),
}


#: How far one cut may go before it is held: score z/(1+z) reaches hold_score at
#: z = hold_score/(1-hold_score), and z = ln(start/new) / ln(1/down_ratio) (~0.209).
ONE_CUT_LIMIT = RULES.down_ratio ** (RULES.hold_score / (1 - RULES.hold_score))


@pytest.mark.parametrize("market", list(WALKS), ids=["others", "list-price-only", "alone"])
def test_a_slow_downward_walk_is_held_where_one_cut_that_deep_would_be(market: str) -> None:
    """3% at a time, each step ordinary next to recent prices that walk down with it: held on
    the first step past where a single cut from the walk's start would be held (it used to go
    on to the penny price when alone, a list price twice the start notwithstanding)."""
    held = walk_down(WALKS[market], FLY)
    assert held is not None, "never held"
    price, verdict = held
    assert ONE_CUT_LIMIT * FLY * 0.97 <= price < ONE_CUT_LIMIT * FLY, (
        f"first held at ${price / 100:.2f} of ${FLY / 100:.2f}")
    if market != "others":  # among other sellers, being under all of them may say it first
        assert (verdict.reason_code, verdict.error_type) == (
            "far_below_references", "repricer_runaway")
        assert verdict.facts["reference_price_minor"] == FLY
        assert "cuts in a row" in verdict.reason_en and "연속 인하" in verdict.reason_ko


def test_a_walk_a_reviewer_let_through_is_judged_from_where_it_was_let_through() -> None:
    """The streak starts from the listing's live prices it is given: the proposal path gives
    those since the last change a reviewer approved (``market_repo.streak_prices``), so a
    reviewer's approval of a deep step does not hold every later small step against the
    pre-approval price."""
    me = Seller(FLY, [FLY] * 6)
    approved = round(FLY * 0.2)
    me.go_live(approved)
    me.recent = [approved]  # what the proposal path gives after a reviewer's approval
    new = round(approved * 0.97)
    assert judged(me.evidence(new, (), None)).verdict == "allow"
