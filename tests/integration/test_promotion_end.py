"""A promotion's price ends with the promotion: a job scheduled with the change puts the price
before the promotion back, unless the seller changed the price since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.promotion_end import PromotionEnd, end_promotion
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

GATE = price_review.guard_gate(load_rules())
KRW = "KRW"


@pytest.fixture
def shop(session_factory):
    """One live listing of a 199,000 KRW iPod nano, with a clock we move."""
    clock = ManualClock(datetime(2008, 5, 1, 3, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="iPod nano", category="electronics/mp3",
                                       actor="t", list_price=Money(199_000, KRW))
    seller = catalog.register_seller(uow(), code="seller-0", name="판매자0", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(199_000, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    return uow, clock, listing.id


def _on_sale(uow, clock, listing_id, hours=2):
    promo = Promotion(10, clock.now - timedelta(hours=1), clock.now + timedelta(hours=hours))
    change = listings.propose_price_change(uow(), listing_id=listing_id,
                                           new_price=Money(179_100, KRW), proposed_by="seller:0",
                                           promotion=promo, gate=GATE)
    assert change.status is PriceChangeStatus.APPLIED
    return change, promo


def _jobs(uow):
    with uow() as u:
        return u.conn.exec_driver_sql(
            "SELECT task_name, scheduled_at, args FROM procrastinate_jobs "
            "WHERE queue_name = 'market'").all()


def _price(uow, listing_id):
    with uow() as u:
        return u.market.listing(listing_id).price


def test_an_applied_promotion_price_schedules_its_end_in_the_same_transaction(shop) -> None:
    uow, clock, listing_id = shop
    change, promo = _on_sale(uow, clock, listing_id)
    [(task, at, args)] = _jobs(uow)
    assert (task, at, args) == ("end_promotion", promo.ends_at, {"price_change_id": change.id})


def test_a_change_without_an_end_or_held_schedules_nothing(shop) -> None:
    uow, _clock, listing_id = shop
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(190_000, KRW),
                                  proposed_by="seller:0", promotion=Promotion(5), gate=GATE)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(19_900, KRW),
                                  proposed_by="seller:0", gate=GATE)
    assert _jobs(uow) == []


def test_at_the_end_the_price_before_the_promotion_is_back(shop) -> None:
    uow, clock, listing_id = shop
    change, promo = _on_sale(uow, clock, listing_id)
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.NOT_YET
    assert _price(uow, listing_id) == Money(179_100, KRW)
    clock.now = promo.ends_at
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(199_000, KRW)
    with uow() as u:
        entry = u.audit.for_entity("listing", str(listing_id))[-1].event
        latest = u.market.price_changes_for(listing_id)[0]
    assert entry.action == "price_change.promotion_ended"
    assert entry.after["outcome"] == "restored" and entry.actor == "system:promotion_end"
    assert (latest.old_price, latest.new_price, latest.status) == (
        Money(179_100, KRW), Money(199_000, KRW), PriceChangeStatus.APPLIED)


def test_a_promotion_end_run_again_records_nothing_more(shop) -> None:
    """A worker killed after the job committed, before the job was marked done, is recovered
    and the job runs again (jobs.worker.recover_stalled_jobs, every queue): the price it put
    back then read as a price the seller moved, and a second record said so (a review)."""
    uow, clock, listing_id = shop
    change, promo = _on_sale(uow, clock, listing_id)
    clock.now = promo.ends_at
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.RESTORED
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(199_000, KRW)
    with uow() as u:
        ended = [r for r in u.audit.for_entity("listing", str(listing_id))
                 if r.event.action == "price_change.promotion_ended"]
    assert [r.event.after["outcome"] for r in ended] == ["restored"]


def test_a_price_the_seller_changed_since_is_left_alone(shop) -> None:
    uow, clock, listing_id = shop
    change, promo = _on_sale(uow, clock, listing_id)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(185_000, KRW),
                                  proposed_by="seller:0", gate=GATE)
    clock.now = promo.ends_at + timedelta(minutes=1)
    assert end_promotion(uow(), price_change_id=change.id) is PromotionEnd.PRICE_MOVED
    assert _price(uow, listing_id) == Money(185_000, KRW)
    with uow() as u:
        entry = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert (entry.action, entry.after["outcome"]) == ("price_change.promotion_ended",
                                                      "price_moved")


def test_a_newer_promotion_at_the_same_price_is_not_cut_short(shop) -> None:
    """X: 10% off for 2 h; the seller moves to 185,000, then back to 179,100 as Y with 10% off for
    ten days. When X ends the price matches X's, but Y is the seller's latest word."""
    uow, clock, listing_id = shop
    x, _ = _on_sale(uow, clock, listing_id, hours=2)
    clock.now += timedelta(minutes=10)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(185_000, KRW),
                                  proposed_by="seller:0", gate=GATE)
    clock.now += timedelta(minutes=10)
    y, _ = _on_sale(uow, clock, listing_id, hours=240)
    clock.now += timedelta(hours=3)
    assert end_promotion(uow(), price_change_id=x.id) is PromotionEnd.PRICE_MOVED
    assert _price(uow, listing_id) == y.new_price == Money(179_100, KRW)  # Y still runs


def _promotion(uow, clock, listing_id, price: int, percent: float, hours: float):
    promo = Promotion(percent, clock.now - timedelta(minutes=1),
                      clock.now + timedelta(hours=hours))
    change = listings.propose_price_change(uow(), listing_id=listing_id,
                                           new_price=Money(price, KRW), proposed_by="seller:0",
                                           promotion=promo, gate=GATE)
    assert change.status is PriceChangeStatus.APPLIED, change
    return change


@pytest.mark.parametrize("first_job", ["outer", "inner"])
def test_two_promotions_stacked_and_over_together_give_the_price_before_both(shop,
                                                                            first_job) -> None:
    """10% for two days, then 10% more on top of it for the same two days: when both are
    over, 199,000 comes back whichever job runs first (a review's finding: the outer
    promotion's price stayed live for good)."""
    uow, clock, listing_id = shop
    outer = _promotion(uow, clock, listing_id, 179_100, 10, hours=48)
    inner = _promotion(uow, clock, listing_id, 161_190, 10, hours=48 - 1 / 60)
    clock.advance(timedelta(days=3))
    jobs = [outer, inner] if first_job == "outer" else [inner, outer]
    for change in jobs:
        end_promotion(uow(), price_change_id=change.id)
    assert _price(uow, listing_id) == Money(199_000, KRW)


def test_a_flash_sale_inside_a_weeks_promotion_gives_the_weeks_price_then_the_regular(
        shop) -> None:
    """10% for a week; on top of it a two-hour flash sale of 10% more: when the flash sale ends
    the week's price comes back, and when the week ends, the regular price (it used to stay
    at the week's price, the later job seeing the flash sale as the seller's own move)."""
    uow, clock, listing_id = shop
    week = _promotion(uow, clock, listing_id, 179_100, 10, hours=7 * 24)
    clock.advance(timedelta(days=2))
    flash = _promotion(uow, clock, listing_id, 161_190, 10, hours=2)
    clock.advance(timedelta(hours=3))
    assert end_promotion(uow(), price_change_id=flash.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(179_100, KRW)
    clock.advance(timedelta(days=6))
    assert end_promotion(uow(), price_change_id=week.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(199_000, KRW)


def test_a_sellers_own_price_after_a_flash_sale_still_stands_when_the_week_ends(shop) -> None:
    """The seller set a price of their own after the flash sale: the week's end leaves it."""
    uow, clock, listing_id = shop
    week = _promotion(uow, clock, listing_id, 179_100, 10, hours=7 * 24)
    flash = _promotion(uow, clock, listing_id, 161_190, 10, hours=2)
    clock.advance(timedelta(hours=3))
    end_promotion(uow(), price_change_id=flash.id)
    own = listings.propose_price_change(uow(), listing_id=listing_id,
                                        new_price=Money(185_000, KRW), proposed_by="seller:0",
                                        gate=GATE)
    assert own.status is PriceChangeStatus.APPLIED
    clock.advance(timedelta(days=7))
    assert end_promotion(uow(), price_change_id=week.id) is PromotionEnd.PRICE_MOVED
    assert _price(uow, listing_id) == Money(185_000, KRW)


def test_a_second_flash_sale_after_the_first_ended_still_ends_on_the_regular_price(
        shop) -> None:
    """10% for a week; a two-hour flash sale on top that ends (the week's price comes back);
    then a second flash sale on top, running past the week's end: the week's own end leaves it
    (its price is not live), and the second flash sale's end puts back the regular price — the
    week is over too (it used to stop at the first flash sale's return and leave the week's
    price live for good)."""
    uow, clock, listing_id = shop
    week = _promotion(uow, clock, listing_id, 179_100, 10, hours=7 * 24)
    first = _promotion(uow, clock, listing_id, 161_190, 10, hours=2)
    clock.advance(timedelta(hours=3))
    assert end_promotion(uow(), price_change_id=first.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(179_100, KRW)
    clock.advance(timedelta(days=6, hours=20))  # an hour before the week ends
    second = _promotion(uow, clock, listing_id, 161_190, 10, hours=3)
    clock.advance(timedelta(hours=1, minutes=30))
    assert end_promotion(uow(), price_change_id=week.id) is PromotionEnd.PRICE_MOVED
    assert _price(uow, listing_id) == Money(161_190, KRW)  # the second still runs
    clock.advance(timedelta(hours=2))
    assert end_promotion(uow(), price_change_id=second.id) is PromotionEnd.RESTORED
    assert _price(uow, listing_id) == Money(199_000, KRW)
