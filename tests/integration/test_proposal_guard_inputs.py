"""What a real proposal hands the price guard, and what its audit entry keeps.

The declared promotion travels from ``propose_price_change`` (and the dry run) to the guard: the
same price is judged differently with and without it. And the audit entry of a held change names
the live price that stayed, not the one proposed.
"""

from __future__ import annotations

import pytest
from test_price_review import ipod_market

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review

RULES = load_rules()
KRW = "KRW"
LIST_PRICE = Money(199_000, KRW)


@pytest.fixture
def market(session_factory):
    """The iPod nano (list price 199,000 KRW; electronics, promotions from 60% need a reviewer)
    sold at 199,000 by listing 0 and at 189,000-195,000 by three other sellers."""
    uow, _clock, ids, _ = ipod_market(session_factory)
    return uow, ids


def _propose(uow, listing_id: int, price: int, promotion: Promotion | None = None):
    return listings.propose_price_change(
        uow(), listing_id=listing_id, new_price=Money(price, KRW), proposed_by="seller:0",
        promotion=promotion, gate=price_review.guard_gate(RULES))


def _live_price(uow, listing_id: int) -> Money:
    with uow() as u:
        return u.market.listing(listing_id).price


def _last_entry(uow, listing_id: int):
    with uow() as u:
        return u.audit.for_entity("listing", str(listing_id))[-1].event


# -- the 2008 "90% event": 19,900 with a declared 90% off --------------------------------------

def test_the_declared_ninety_percent_reaches_the_guard_of_a_proposal(market) -> None:
    """Held as a promotion past the category's limit and named an inverted percentage; without
    the declared 90% the guard would call it a dropped zero (below every other seller)."""
    uow, ids = market
    change = _propose(uow, ids[0], 19_900, Promotion(90))
    assert change.status is PriceChangeStatus.HELD
    assert change.guard is not None
    assert (change.guard.reason_code, change.guard.error_type) == (
        "promotion_too_deep", "percent_inverted")
    assert "90%" in change.guard.reason_en and "90%" in change.guard.reason_ko
    assert _live_price(uow, ids[0]) == LIST_PRICE


def test_the_same_price_without_the_promotion_is_judged_as_a_slip(market) -> None:
    """The control of the test above: the guard's answer does depend on the promotion."""
    uow, ids = market
    change = _propose(uow, ids[0], 19_900)
    assert change.status is PriceChangeStatus.HELD
    assert (change.guard.reason_code, change.guard.error_type) == (
        "below_all_other_sellers", "decimal_slip")


def test_the_dry_run_passes_the_declared_ninety_percent_too(market) -> None:
    uow, ids = market
    with_promotion = price_review.check_price_change(
        uow(), listing_id=ids[0], new_price=Money(19_900, KRW), rules=RULES,
        promotion=Promotion(90))
    without = price_review.check_price_change(
        uow(), listing_id=ids[0], new_price=Money(19_900, KRW), rules=RULES)
    assert (with_promotion.verdict, with_promotion.reason_code, with_promotion.error_type) == (
        "hold", "promotion_too_deep", "percent_inverted")
    assert (without.reason_code, without.error_type) == ("below_all_other_sellers",
                                                         "decimal_slip")
    assert _live_price(uow, ids[0]) == LIST_PRICE


# -- a declared 20% off with a price that is half off -----------------------------------------

def test_a_price_that_disagrees_with_its_declared_promotion_is_held(market) -> None:
    """20% off 199,000 is 159,200; 99,500 is 50% off: the price and the promotion cannot both be
    what the seller meant."""
    uow, ids = market
    change = _propose(uow, ids[0], 99_500, Promotion(20))
    assert change.status is PriceChangeStatus.HELD
    assert change.guard.reason_code == "promotion_mismatch"
    assert change.guard.facts["reference_kind"] == "promotion_price"
    assert change.guard.facts["reference_price_minor"] == 159_200
    assert _live_price(uow, ids[0]) == LIST_PRICE


def test_the_same_half_price_without_a_promotion_goes_live(market) -> None:
    """Undeclared, 50% off is a sale within the electronics limit (60%): the hold above came
    from the promotion."""
    uow, ids = market
    change = _propose(uow, ids[0], 99_500)
    assert change.status is PriceChangeStatus.APPLIED
    assert change.guard.reason_code == "within_range"
    assert _live_price(uow, ids[0]) == Money(99_500, KRW)


def test_the_dry_run_holds_the_mismatch_and_allows_the_plain_price(market) -> None:
    uow, ids = market
    mismatch = price_review.check_price_change(
        uow(), listing_id=ids[0], new_price=Money(99_500, KRW), rules=RULES,
        promotion=Promotion(20))
    plain = price_review.check_price_change(
        uow(), listing_id=ids[0], new_price=Money(99_500, KRW), rules=RULES)
    assert (mismatch.verdict, mismatch.reason_code) == ("hold", "promotion_mismatch")
    assert (plain.verdict, plain.reason_code) == ("allow", "within_range")


# -- the audit entry --------------------------------------------------------------------------

def test_a_held_change_is_audited_with_the_old_price_still_live(market) -> None:
    uow, ids = market
    change = _propose(uow, ids[0], 19_900, Promotion(90))
    entry = _last_entry(uow, ids[0])
    assert entry.action == "price_change.held"
    assert entry.before == {"price": {"amount_minor": 199_000, "currency": KRW}}
    assert entry.after["price_change_id"] == change.id
    assert entry.after["proposed"] == {"amount_minor": 19_900, "currency": KRW}
    assert entry.after["live"] == {"amount_minor": 199_000, "currency": KRW}
    assert entry.after["promotion_pct"] == "90"
    assert entry.after["guard"]["verdict"] == "hold"
    assert entry.after["guard"]["reason_code"] == "promotion_too_deep"


def test_an_allowed_change_is_audited_with_the_new_price_live(market) -> None:
    uow, ids = market
    change = _propose(uow, ids[0], 185_000)
    entry = _last_entry(uow, ids[0])
    assert entry.action == "price_change.applied"
    assert entry.before == {"price": {"amount_minor": 199_000, "currency": KRW}}
    assert entry.after["price_change_id"] == change.id
    assert entry.after["proposed"] == {"amount_minor": 185_000, "currency": KRW}
    assert entry.after["live"] == {"amount_minor": 185_000, "currency": KRW}
    assert entry.after["promotion_pct"] is None
    assert entry.after["guard"]["verdict"] == "allow"
