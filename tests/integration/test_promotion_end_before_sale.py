"""A promotion declared before its listing first went on sale does not end by putting back the
price before it: that price (a draft's placeholder, or the first price the guard held at
publication) was never judged as a price to sell at. The promotion's price stays, and the audit
log says why (a review's finding: 19,900 — the 2008 price the guard had held — and a 1,000 won
placeholder both came back live and took orders)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.promotion_end import PromotionEnd, end_promotion
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

GATE = price_review.guard_gate(load_rules())
KRW = "KRW"


@pytest.fixture
def market(session_factory):
    """An iPod (list price 199,000) three other sellers sell near it, and a new seller with
    nothing on sale yet: (uow, clock, product id, seller id)."""
    clock = ManualClock(datetime(2008, 5, 1, 3, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="iPod nano", category="electronics/mp3",
                                       actor="t", list_price=Money(199_000, KRW))
    for n, price in enumerate((199_000, 189_000, 195_000)):
        other = catalog.register_seller(uow(), code=f"other-{n}", name=f"o{n}", actor="t")
        made = listings.create_listing(uow(), seller_id=other.id, product_id=product.id,
                                       price=Money(price, KRW), actor="t")
        listings.change_listing_status(uow(), listing_id=made.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t", gate=GATE)
    seller = catalog.register_seller(uow(), code="kim", name="김판매", actor="t")
    return uow, clock, product.id, seller.id


def _launch_promotion(uow, clock, listing_id: int):
    promo = Promotion(10, clock.now - timedelta(minutes=1), clock.now + timedelta(days=2))
    change = listings.propose_price_change(uow(), listing_id=listing_id,
                                           new_price=Money(179_100, KRW),
                                           proposed_by="seller:kim", promotion=promo, gate=GATE)
    assert change.status is PriceChangeStatus.APPLIED, change
    return change


def _ended_entry(uow, listing_id: int):
    with uow() as u:
        entry = u.audit.for_entity("listing", str(listing_id))[-1].event
        return entry, u.market.listing(listing_id)


def test_a_first_price_held_at_publication_does_not_come_back_when_the_promotion_ends(
        market) -> None:
    uow, clock, product_id, seller_id = market
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product_id,
                                      price=Money(19_900, KRW), actor="seller:kim")
    held = listings.change_listing_status(uow(), listing_id=listing.id,
                                          trigger=ListingTrigger.PUBLISH, actor="seller:kim",
                                          gate=GATE)
    assert held.status is ListingStatus.HELD
    change = _launch_promotion(uow, clock, listing.id)
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.RELEASE,
                                   actor="reviewer:lee", expected_price=Money(179_100, KRW))
    clock.now += timedelta(days=2, minutes=1)
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.KEPT_NEVER_ON_SALE
    entry, now = _ended_entry(uow, listing.id)
    assert (now.status, now.price) == (ListingStatus.LIVE, Money(179_100, KRW))
    assert entry.action == "price_change.promotion_ended"
    assert entry.after["outcome"] == "kept_never_on_sale"
    assert entry.after["not_restored"] == Money(19_900, KRW).as_dict()
    assert entry.after["price"] == Money(179_100, KRW).as_dict()


def test_a_drafts_placeholder_price_does_not_come_back_when_the_promotion_ends(market) -> None:
    uow, clock, product_id, seller_id = market
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product_id,
                                      price=Money(1_000, KRW), actor="seller:kim")
    change = _launch_promotion(uow, clock, listing.id)
    live = listings.change_listing_status(uow(), listing_id=listing.id,
                                          trigger=ListingTrigger.PUBLISH, actor="seller:kim",
                                          gate=GATE)
    assert (live.status, live.price) == (ListingStatus.LIVE, Money(179_100, KRW))
    clock.now += timedelta(days=2, minutes=1)
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.KEPT_NEVER_ON_SALE
    entry, now = _ended_entry(uow, listing.id)
    assert now.price == Money(179_100, KRW)
    assert entry.after["not_restored"] == Money(1_000, KRW).as_dict()


def test_a_first_price_a_reviewer_released_comes_back_when_a_later_promotion_ends(
        market) -> None:
    """Released at 19,900 with a reviewer's reason, 19,900 was judged: a promotion declared
    after that ends by putting it back, as any promotion on a listing on sale does."""
    uow, clock, product_id, seller_id = market
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product_id,
                                      price=Money(19_900, KRW), actor="seller:kim")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="seller:kim", gate=GATE)
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.RELEASE,
                                   actor="reviewer:lee", reason="전시품 정리, 판매자와 통화함")
    clock.now += timedelta(minutes=5)
    promo = Promotion(10, clock.now - timedelta(minutes=1), clock.now + timedelta(days=2))
    change = listings.propose_price_change(uow(), listing_id=listing.id,
                                           new_price=Money(17_910, KRW),
                                           proposed_by="seller:kim", promotion=promo)
    clock.now += timedelta(days=2, minutes=1)
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.RESTORED
    assert _ended_entry(uow, listing.id)[1].price == Money(19_900, KRW)
