"""The dry run refuses what the proposal would refuse, with the same first refusal.

An integrator checks a price with ``check_price_change`` (``POST /api/price-changes/check``)
before proposing it. Before, the two ran their checks in different orders and the dry run
skipped some: it judged a price on an ended listing, or the listing's very price, that the
proposal then refused. Each bad input below, alone and together with others, gets the same
error class and reason from both, and the proposal stores nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_price_review import ipod_market

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.errors import SagwaError
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review

RULES = load_rules()
PRICE = Money(179_000, "KRW")


@pytest.fixture
def market(session_factory):
    uow, clock, ids, _ = ipod_market(session_factory)
    return uow, clock, ids


def _refusal(call) -> tuple[str, str | None]:
    with pytest.raises(SagwaError) as refused:
        call()
    return type(refused.value).__name__, refused.value.details.get("reason")


def _both(uow, listing_id, price, promotion) -> tuple[tuple, tuple]:
    dry = _refusal(lambda: price_review.check_price_change(
        uow(), listing_id=listing_id, new_price=price, rules=RULES, promotion=promotion))
    real = _refusal(lambda: listings.propose_price_change(
        uow(), listing_id=listing_id, new_price=price, proposed_by="seller:0",
        promotion=promotion, gate=price_review.guard_gate(RULES)))
    return dry, real


def _ended(uow, listing_id: int) -> None:
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.END,
                                   actor="t")


CASES = {
    "ended": {"end": True},
    "other currency": {"price": Money(17_900, "USD")},
    "its own price": {"price": Money(199_000, "KRW")},
    "promotion not running yet": {"promotion": "tomorrow"},
    "promotion percent out of range": {"promotion": Promotion(99.95)},
    "ended, other currency, promotion not running": {
        "end": True, "price": Money(17_900, "USD"), "promotion": "tomorrow"},
    "own price and promotion not running": {"price": Money(199_000, "KRW"),
                                            "promotion": "tomorrow"},
    "other currency and bad percent": {"price": Money(17_900, "USD"),
                                       "promotion": Promotion(0.05)},
    "no such listing": {"listing": 987_654},
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_dry_run_refuses_as_the_proposal_does(market, case: str) -> None:
    uow, clock, ids = market
    spec = CASES[case]
    listing_id = spec.get("listing", ids[0])
    if spec.get("end"):
        _ended(uow, listing_id)
    promotion = spec.get("promotion")
    if promotion == "tomorrow":
        promotion = Promotion(10, starts_at=clock.now + timedelta(days=1),
                              ends_at=clock.now + timedelta(days=2))
    dry, real = _both(uow, listing_id, spec.get("price", PRICE), promotion)
    assert dry == real, case
    with uow() as u:
        assert u.market.price_changes_for(ids[0]) == []
        assert u.market.listing(ids[0]).price == Money(199_000, "KRW")


def test_a_good_price_is_judged_by_both(market) -> None:
    """The control: nothing refused, the dry run's verdict is the proposal's."""
    uow, _clock, ids = market
    dry = price_review.check_price_change(uow(), listing_id=ids[0], new_price=PRICE, rules=RULES)
    real = listings.propose_price_change(uow(), listing_id=ids[0], new_price=PRICE,
                                         proposed_by="seller:0",
                                         gate=price_review.guard_gate(RULES))
    assert dry.verdict == real.guard.verdict == "allow"


def test_the_dry_run_of_a_draft_at_its_own_price_previews_publishing(session_factory) -> None:
    """A draft's own price is no change the proposal would refuse to *publish*: the dry run
    judges it as publishing would (a first price), where a live listing's own price is
    refused as the proposal refuses it."""
    uow, _clock, _ids, product_id = ipod_market(session_factory)
    seller = catalog.register_seller(uow(), code="seller-new", name="새 판매자", actor="t")
    draft = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                    price=Money(17_900, "KRW"), actor="t")
    opinion = price_review.check_price_change(uow(), listing_id=draft.id,
                                              new_price=Money(17_900, "KRW"), rules=RULES)
    assert opinion.verdict == "hold"  # 91% under the list price: what publishing would say


def test_a_listing_held_at_publication_at_its_own_price_is_refused_by_both(
        session_factory) -> None:
    """Its first price already has the guard's judgement: saving it again is refused
    (``price_unchanged``), and so is the dry run (a review's finding: the dry run said "hold:
    save it if you mean it", then the save refused it)."""
    uow, _clock, _ids, product_id = ipod_market(session_factory)
    seller = catalog.register_seller(uow(), code="seller-held", name="보류 판매자", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product_id,
                                      price=Money(17_900, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t", gate=price_review.guard_gate(RULES))
    with uow() as u:
        assert u.market.listing(listing.id).status.value == "held"
    dry, real = _both(uow, listing.id, Money(17_900, "KRW"), None)
    assert dry == real == ("InvalidInput", "price_unchanged")
