"""The seller's and the reviewer's pages after the second price-guard review: a price saved on a
held listing is said to go on sale when a reviewer releases it; the promotion window is on the
seller's history and on the review card; a held change on a draft says it is a draft
(TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _draft(session_factory: sessionmaker[Session], world: World, price: int) -> int:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        macbook = u.market.listing(world.macbook_b)
        assert macbook is not None
        product_id = macbook.product_id
    return listings.create_listing(SqlAlchemyUnitOfWork(session_factory), seller_id=world.seller_a,
                                   product_id=product_id, price=Money(price, "KRW"),
                                   actor="seller:seller_a").id


def _form(client: TestClient, listing_id: int, path: str, data: dict[str, str]):
    page = client.get(f"/seller/listings/{listing_id}?lang=en").text
    return client.post(f"/seller/listings/{listing_id}/{path}?lang=en",
                       data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False)


def test_a_price_saved_on_a_held_listing_goes_on_sale_when_a_reviewer_releases_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    listing_id = _draft(session_factory, world, 15_900)
    log_in(client, "seller_a")
    assert _form(client, listing_id, "status", {"action": "publish"}).status_code == 303
    saved = _form(client, listing_id, "price", {"new_price": "1580000"})
    assert saved.status_code == 303, saved.text
    shown = client.get(f"/seller/listings/{listing_id}?lang=en").text
    assert "goes on sale at this price when a reviewer releases it" in shown
    assert "resume" not in shown.split("goes on sale at this price")[0][-200:]


def test_the_promotion_window_is_on_the_sellers_history_and_the_review_card(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    listing_id = _draft(session_factory, world, 1_590_000)
    log_in(client, "seller_a")
    saved = _form(client, listing_id, "price", {  # 61% off 1,590,000 (the world's incident
        "new_price": "620100", "promotion_pct": "61",  # at 159,000 refuses that on the product)
        "promotion_starts": "2020-01-01T09:00", "promotion_ends": "2099-12-31T18:00"})
    assert saved.status_code == 303, saved.text
    history = client.get(f"/seller/listings/{listing_id}?lang=en").text
    assert "from 2020-01-01 09:00 until 2099-12-31 18:00, Korea time" in history
    assert "Once approved, the draft takes that price" in history
    client.cookies.clear()
    log_in(client, "reviewer")
    card = client.get("/ops/review?lang=ko").text
    assert "2020-01-01 09:00부터 2099-12-31 18:00까지, 한국 시간" in card
    assert "data-draft-change" in card and "판매 중인 상품의 판매가는 승인 전까지" in card
