"""A customer's apology names the sellers and products of that customer's own orders: one seller
as before, several joined with the particle that fits, each product and seller named once (here
the sellers' own accounts entered the wrong price: ``seller_facts``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.incidents import declare
from sagwa.domain.money import Money
from sagwa.domain.price_entry import PriceEntry
from sagwa.services import desk_cause
from sagwa.services import desk_messages as dm

KST = ZoneInfo("Asia/Seoul")
CORRECT = Money(199_000, "KRW")
INCIDENT = declare(
    incident_id="inc-1", listing_ids={101, 102, 103}, wrong_price=Money(19_900, "KRW"),
    correct_price=CORRECT, window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),
    now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
    declared_by="operator:kim",
).incident  # fmt: skip
NANO = ("아이팟 나노 3세대", "iPod nano 3rd gen")
HANEUL = dm.ListingNames(*NANO, "하늘디지털")
OTHER = dm.ListingNames(*NANO, "다른가게")
PINK = dm.ListingNames("아이팟 나노 3세대 핑크", "iPod nano 3rd gen pink", "사과마켓")


def seller_facts(listings: list[dm.ListingNames]) -> dm.IncidentFacts:
    return replace(dm.facts_for_listings(INCIDENT, CORRECT, listings),
                   entered_by=PriceEntry.SELLER)


def test_one_listing_names_its_own_seller_and_product() -> None:
    facts = seller_facts([OTHER])
    assert (facts.seller_name, facts.other_sellers, facts.product_ko) == ("다른가게", (), NANO[0])
    assert "판매자 다른가게가 '아이팟 나노 3세대'의 가격을" in dm.cause(facts, "ko")
    assert dm.cause(facts, "en").startswith(desk_cause.OURS["en"] + " The seller 다른가게 entered "
                                            "the price of")


@pytest.mark.parametrize(("listings", "ko", "en"), [
    ([HANEUL, OTHER], "판매자 하늘디지털과 다른가게가", "The sellers 하늘디지털 and 다른가게 entered"),
    ([OTHER, HANEUL, PINK], "판매자 다른가게, 하늘디지털과 사과마켓이",
     "The sellers 다른가게, 하늘디지털 and 사과마켓 entered"),
])  # fmt: skip
def test_orders_from_several_sellers_name_each_seller(
    listings: list[dm.ListingNames], ko: str, en: str
) -> None:
    facts = seller_facts(listings)
    assert dm.cause(facts, "ko").startswith(f"{desk_cause.OURS['ko']} {ko}")
    assert dm.cause(facts, "en").startswith(f"{desk_cause.OURS['en']} {en}")


def test_each_product_and_seller_is_named_once_in_listing_order() -> None:
    facts = dm.facts_for_listings(INCIDENT, CORRECT, [HANEUL, PINK, OTHER, HANEUL])
    assert facts.seller_name == "하늘디지털"
    assert facts.other_sellers == ("사과마켓", "다른가게")
    assert facts.product_ko == "아이팟 나노 3세대, 아이팟 나노 3세대 핑크"
    assert facts.product_en == "iPod nano 3rd gen, iPod nano 3rd gen pink"


def test_facts_need_a_listing() -> None:
    with pytest.raises(ValueError):
        dm.facts_for_listings(INCIDENT, CORRECT, [])
