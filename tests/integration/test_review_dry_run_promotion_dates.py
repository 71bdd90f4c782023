"""The dry run ("what would the guard say?") refuses a promotion that is not running, as the
proposal itself does, instead of letting a stale promotion excuse a deep cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.errors import InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

RULES = load_rules()
NOW = datetime(2008, 5, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def coat(session_factory):
    clock = ManualClock(NOW)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="겨울 코트", category="fashion", actor="t",
                                       list_price=Money(200_000, "KRW"))
    seller = catalog.register_seller(uow(), code="f1", name="패션1", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(200_000, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    return uow, listing.id


@pytest.mark.parametrize(("promotion", "field", "reason"), [
    (Promotion(80, NOW - timedelta(days=30), NOW - timedelta(days=29)), "promotion.ends_at",
     "promotion_ended"),
    (Promotion(80, NOW + timedelta(days=365), NOW + timedelta(days=366)), "promotion.starts_at",
     "promotion_not_started"),
])  # fmt: skip
def test_the_dry_run_refuses_a_promotion_that_is_not_running(
        coat, promotion: Promotion, field: str, reason: str) -> None:
    uow, listing_id = coat
    with pytest.raises(InvalidInput) as refused:
        price_review.check_price_change(uow(), listing_id=listing_id,
                                        new_price=Money(40_000, "KRW"), rules=RULES,
                                        promotion=promotion)
    assert (refused.value.details["field"], refused.value.details["reason"]) == (field, reason)


def test_the_dry_run_still_weighs_a_running_promotion(coat) -> None:
    uow, listing_id = coat
    running = Promotion(80, NOW - timedelta(hours=1), NOW + timedelta(days=1))
    opinion = price_review.check_price_change(uow(), listing_id=listing_id,
                                              new_price=Money(40_000, "KRW"), rules=RULES,
                                              promotion=running)
    assert opinion.verdict in {"allow", "hold"}  # an answer, not a refusal
    assert price_review.check_price_change(uow(), listing_id=listing_id,
                                           new_price=Money(40_000, "KRW"), rules=RULES,
                                           promotion=Promotion(80)).verdict
