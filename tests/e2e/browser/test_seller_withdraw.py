"""A seller takes back a price change waiting for review (a mistyped price): a "withdraw"
button beside the pending change on the listing page; the change leaves the review queue and
the price stays. Enter in the price field still saves a new price, not the withdrawal. One path
in real Chromium, the rest over HTTP (TestClient)."""

from __future__ import annotations

import pytest
from browsing import login, shot
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _held(factory: sessionmaker[Session], listing_id: int, price: int = 19_900) -> int:
    change = listings.propose_price_change(
        SqlAlchemyUnitOfWork(factory), listing_id=listing_id, new_price=Money(price, "KRW"),
        proposed_by="seller:seller_a", gate=guard_gate(load_rules()))
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _status(factory: sessionmaker[Session], change_id: int) -> PriceChangeStatus:
    with SqlAlchemyUnitOfWork(factory) as u:
        change = u.market.price_change(change_id)
        assert change is not None
        return change.status


def test_a_seller_withdraws_a_held_change_from_the_listing_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    change_id = _held(session_factory, world.ipod_a)
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    assert 'id="withdraw-pending"' in page and "이 변경 철회" in page
    url = f"/seller/listings/{world.ipod_a}/price-changes/{change_id}/withdraw"
    done = client.post(url, data={"csrf_token": csrf_of(page)})
    assert done.status_code == 303 and done.headers["location"] == f"/seller/listings/{world.ipod_a}"
    after = client.get(done.headers["location"]).text
    assert f"가격 변경 #{change_id}" in after and "철회했습니다. 판매가는 그대로입니다." in after
    assert "판매자가 철회함" in after and "판매자가 철회했습니다." in after
    assert "withdrawn by the seller" not in after and 'id="withdraw-pending"' not in after
    assert _status(session_factory, change_id) is PriceChangeStatus.WITHDRAWN
    again = client.post(url, data={"csrf_token": csrf_of(after)})
    assert again.status_code == 303
    assert "이미 처리된 가격 변경입니다" in client.get(again.headers["location"]).text


def test_a_seller_cannot_withdraw_through_another_listing_or_without_the_form_token(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    change_id = _held(session_factory, world.ipod_a)
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    forged = client.post(f"/seller/listings/{world.ipod_a}/price-changes/{change_id}/withdraw",
                         data={})
    assert forged.status_code == 403
    other = client.post(f"/seller/listings/{world.ipod_b}/price-changes/{change_id}/withdraw",
                        data={"csrf_token": csrf_of(page)})
    assert other.status_code == 404
    assert _status(session_factory, change_id) is PriceChangeStatus.HELD


def test_a_seller_withdraws_in_the_browser_and_enter_still_saves(page, site) -> None:  # type: ignore[no-untyped-def]
    factory = site.database.session_factory
    first = _held(factory, site.world.ipod_a)
    login(page, "seller_a", PASSWORD)
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    page.locator("#new_price").fill("18900")
    page.locator("#new_price").press("Enter")  # saves: a new held change replaces the first
    page.locator(".flash").wait_for()
    assert _status(factory, first) is PriceChangeStatus.SUPERSEDED
    page.locator("#withdraw-pending").click()
    page.wait_for_selector(".flash >> text=철회했습니다")
    assert page.locator("#withdraw-pending").count() == 0
    shot(page, "seller-withdrew-held-change")
