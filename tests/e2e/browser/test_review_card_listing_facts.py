"""What a review card says about the listing around a held change: its status when it is not on
sale (a tester approved a paused listing's change and learnt it only from the answer), and the
other sellers' prices lowest first, on change cards and held-listing cards alike (the order of
the rows on disk was no order at all). Pages over HTTP (TestClient)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())


def _uow(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory)


def _held(session_factory: sessionmaker[Session], listing_id: int, price: int) -> int:
    change = listings.propose_price_change(_uow(session_factory), listing_id=listing_id,
                                           new_price=Money(price, "KRW"),
                                           proposed_by="seller:seller_a", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _card(page_html: str, element_id: str) -> str:
    found = re.search(rf'<article class="card" id="{element_id}">(.*?)</article>', page_html,
                      re.DOTALL)
    assert found, f"no card {element_id}"
    return found.group(1)


def _other_sellers(card: str) -> str:
    found = re.search(r"<strong>(?:다른 판매자 가격|Other sellers):</strong>(.*?)</p>", card,
                      re.DOTALL)
    assert found, "no other sellers' prices on the card"
    return " ".join(html.unescape(found.group(1)).split())


def _ipod_by_a_new_seller(session_factory: sessionmaker[Session], world: World, code: str,
                          price: int, *, gate=None) -> int:  # type: ignore[no-untyped-def]
    """Another seller's iPod listing, published at ``price`` (through the guard with ``gate``)."""
    seller = catalog.register_seller(_uow(session_factory), code=code, name=f"{code} 상점",
                                     actor="t").id
    with _uow(session_factory) as u:
        product_id = u.market.listing(world.ipod_a).product_id
    listing = listings.create_listing(_uow(session_factory), seller_id=seller,
                                      product_id=product_id, price=Money(price, "KRW"),
                                      actor="test")
    listings.change_listing_status(_uow(session_factory), listing_id=listing.id,
                                   trigger=ListingTrigger.PUBLISH, actor="test",
                                   **({"gate": gate} if gate else {}))
    return listing.id


@pytest.mark.parametrize(("trigger", "status", "ko", "en"), [
    (ListingTrigger.PAUSE, "paused", "판매 중지", "paused"),
    (ListingTrigger.END, "ended", "판매 종료", "ended"),
])
def test_a_change_on_a_listing_not_on_sale_says_the_listings_status_on_its_card(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        trigger: ListingTrigger, status: str, ko: str, en: str) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900)
    listings.change_listing_status(_uow(session_factory), listing_id=world.ipod_a,
                                   trigger=trigger, actor="seller:seller_a")
    log_in(client, "reviewer")
    korean = _card(client.get("/ops/review").text, f"change-{change_id}")
    english = _card(client.get("/ops/review?lang=en").text, f"change-{change_id}")
    for card, said in ((korean, f"상품 상태: <span class=\"badge {status}\">{ko}</span>"),
                       (english, f"Listing status: <span class=\"badge {status}\">{en}</span>")):
        assert f'data-listing-status="{status}"' in card
        assert said in card
    if trigger is ListingTrigger.PAUSE:
        assert "아무도 이 가격에 살 수 없습니다" in korean
        assert "nobody can buy at it until the listing is on sale" in english


def test_a_change_on_a_live_listing_says_no_status(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    card = _card(client.get("/ops/review?lang=en").text, f"change-{change_id}")
    assert "data-listing-status" not in card and "Listing status" not in card


def test_other_sellers_prices_are_listed_lowest_first_on_every_card(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A tester's finding: #101 listed 189,000, 185,000, 175,000 and #1 13,100, 13,500. The
    listings here are made highest first (199,000 and 195,000 in the world, then 189,000 and
    175,000), the order the rows come back in without one."""
    _ipod_by_a_new_seller(session_factory, world, "c-shop", 189_000)
    _ipod_by_a_new_seller(session_factory, world, "d-shop", 175_000)
    change_id = _held(session_factory, world.ipod_a, 19_900)
    held_listing = _ipod_by_a_new_seller(session_factory, world, "e-shop", 19_900, gate=GATE)
    log_in(client, "reviewer")
    korean = client.get("/ops/review").text
    assert _other_sellers(_card(korean, f"change-{change_id}")) == \
        "175,000원, 189,000원, 195,000원"
    assert _other_sellers(_card(korean, f"listing-{held_listing}")) == \
        "175,000원, 189,000원, 195,000원, 199,000원"
    english = client.get("/ops/review?lang=en").text
    assert _other_sellers(_card(english, f"change-{change_id}")) == \
        "175,000 KRW, 189,000 KRW, 195,000 KRW"


@pytest.mark.parametrize(("lang", "word"), [("ko", "상품"), ("en", "listing")])
def test_a_change_card_names_its_listing_the_filter_asks_for(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str, word: str) -> None:
    """A tester found cards titled by the change's number (#101) while the filter asks for the
    listing's (402): nothing on the card said which listing it was."""
    change = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    card = _card(client.get(f"/ops/review?lang={lang}").text, f"change-{change}")
    assert f'<span data-listing="{world.ipod_a}">{word} #{world.ipod_a}</span>' in card
    filtered = client.get(f"/ops/review?lang={lang}&listing={world.ipod_a}").text
    assert f'id="change-{change}"' in filtered
