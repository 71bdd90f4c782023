"""The seller's list of listings is in the order of the titles it shows: Korean titles on the
Korean page, English ones on the English page (a tester's English list ran 1Q84, Capital…, Head
First…, Don't Let…, The Long, Long Night — the Korean titles' order). TestClient."""

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
from sagwa.services import catalog, listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

BOOKS = (("1Q84 1", "1Q84 Book 1"), ("자본론", "Capital: A Critique of Political Economy"),
         ("헤드 퍼스트 디자인 패턴", "Head First Design Patterns"),
         ("나를 보내지 마", "Don't Let Me Go"), ("길고 긴 밤", "The Long, Long Night"))


def _uow(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory)


def _titles(page: str) -> list[str]:
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    return [html.unescape(t) for t in re.findall(r'<a href="/seller/listings/\d+">([^<]*)</a>',
                                                 table)]


def test_the_listings_are_in_the_order_of_the_titles_the_page_shows(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    for title, title_en in BOOKS:
        product = catalog.register_product(_uow(session_factory), title=title,
                                           title_en=title_en, category="books", actor="t",
                                           list_price=Money(15_000, "KRW"))
        listing = listings.create_listing(_uow(session_factory), seller_id=world.seller_a,
                                          product_id=product.id, price=Money(13_500, "KRW"),
                                          actor="seller:seller_a")
        listings.change_listing_status(_uow(session_factory), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="seller:seller_a")
    log_in(client, "seller_a")
    assert _titles(client.get("/seller?lang=en").text) == [
        "1Q84 Book 1", "Apple iPod nano 3rd gen 4GB", "Bluetooth speaker mini",
        "Capital: A Critique of Political Economy", "Don't Let Me Go",
        "Head First Design Patterns", "The Long, Long Night"]
    assert _titles(client.get("/seller?lang=ko").text) == [
        "1Q84 1", "길고 긴 밤", "나를 보내지 마", "블루투스 스피커 미니", "애플 아이팟 나노 3세대 4GB",
        "자본론", "헤드 퍼스트 디자인 패턴"]
