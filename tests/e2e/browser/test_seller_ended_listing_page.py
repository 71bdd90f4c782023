"""An ended listing takes no new price (the desk refuses it: ``listing_status``), so its page
says the sale has ended instead of offering a price form whose every save was refused. A
walkthrough typed a price on an ended listing, saw "판매가 종료된 상품은 가격을 바꿀 수 없습니다" only
after the guard's check, and found the same form again."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "판매가 끝난 상품이라 가격을 바꿀 수 없습니다."),
    ("en", "The sale of this listing has ended, so its price cannot be changed."),
])
def test_an_ended_listing_offers_no_price_form(
        client: TestClient, world: World, session_factory: sessionmaker[Session], lang: str,
        said: str) -> None:
    listings.change_listing_status(SqlAlchemyUnitOfWork(session_factory),
                                   listing_id=world.speaker_a, trigger=ListingTrigger.END,
                                   actor="seller:haneul")
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.speaker_a}?lang={lang}").text
    assert 'id="price-form"' not in page and 'id="new_price"' not in page
    ended = re.search(r'<p[^>]*id="price-ended"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert ended and said in re.sub(r"\s+", " ", html.unescape(ended.group(1)))
    assert 'id="changes"' in page  # the history stays


def test_a_live_listing_still_offers_the_price_form(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.speaker_a}").text
    assert 'id="price-form"' in page and 'id="price-ended"' not in page
