"""A seller withdraws a mistyped price from a page opened before a reviewer approved it: the
withdrawal is refused, and the page says loudly that the mistaken price is on sale now, with the
two ways out at hand — correct the price, or pause the sale (one path in real Chromium). Before the mend the page said only
"이미 처리된 가격 변경입니다(지금: 승인됨)" and the mistaken 19,900원 stayed on sale unnoticed."""

from __future__ import annotations

import html

import pytest
from browsing import login, shot
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _held_then_approved(factory: sessionmaker[Session], listing_id: int) -> int:
    change = listings.propose_price_change(
        SqlAlchemyUnitOfWork(factory), listing_id=listing_id, new_price=Money(19_900, "KRW"),
        proposed_by="seller:seller_a", gate=guard_gate(load_rules()))
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _approve(factory: sessionmaker[Session], change_id: int) -> None:
    price_review.approve_price_change(
        SqlAlchemyUnitOfWork(factory), change_id=change_id, reviewer="reviewer:reviewer",
        reason="판매자 행사 가격으로 확인했습니다")


def test_a_withdrawal_that_finds_the_change_approved_says_the_price_is_on_sale(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    change_id = _held_then_approved(session_factory, world.ipod_a)
    log_in(client, "seller_a")
    tab_b = client.get(f"/seller/listings/{world.ipod_a}").text  # opened before the approval
    _approve(session_factory, change_id)
    done = client.post(f"/seller/listings/{world.ipod_a}/price-changes/{change_id}/withdraw",
                       data={"csrf_token": csrf_of(tab_b)})
    assert done.status_code == 303
    page = html.unescape(client.get(done.headers["location"]).text)
    alert = page.split('id="wrong-price-on-sale"')[1].split("</div>")[0]
    assert "19,900원이 지금 판매 중입니다 — 잘못된 가격이면 바로 고치거나 판매를 멈추세요" in alert
    assert alert.startswith(' role="alert"')
    # the two actions, at hand: pause the sale now, or go to the price form
    assert f'action="/seller/listings/{world.ipod_a}/status"' in alert
    assert 'name="action" value="pause"' in alert and 'href="#new_price"' in alert
    english = html.unescape(client.get(f"/seller/listings/{world.ipod_a}?went_live={change_id}"
                                       "&lang=en").text)
    assert ("19,900 KRW is on sale now — if that price is a mistake, correct it or pause the "
            "sale right away") in english


def test_the_alert_is_not_shown_once_the_price_moved_on(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """The address with ``went_live`` says nothing untrue later: once the listing is paused (or
    the price changed), there is no alert."""
    change_id = _held_then_approved(session_factory, world.ipod_a)
    _approve(session_factory, change_id)
    log_in(client, "seller_a")
    url = f"/seller/listings/{world.ipod_a}?went_live={change_id}"
    assert 'id="wrong-price-on-sale"' in client.get(url).text
    page = client.get(url).text
    paused = client.post(f"/seller/listings/{world.ipod_a}/status",
                         data={"csrf_token": csrf_of(page), "action": "pause"})
    assert paused.status_code == 303
    assert 'id="wrong-price-on-sale"' not in client.get(url).text
    other = client.get(f"/seller/listings/{world.ipod_b}?went_live={change_id}")
    assert other.status_code == 404 or 'id="wrong-price-on-sale"' not in other.text
    assert 'id="wrong-price-on-sale"' not in client.get(
        f"/seller/listings/{world.ipod_a}?went_live=abc").text


def test_the_seller_pauses_the_mistaken_price_from_the_alert_in_the_browser(page, site) -> None:  # type: ignore[no-untyped-def]
    factory = site.database.session_factory
    listing = site.world.ipod_a
    change_id = _held_then_approved(factory, listing)
    login(page, "seller_a", PASSWORD)
    page.goto(f"/seller/listings/{listing}")  # tab B, opened before the approval
    _approve(factory, change_id)
    page.locator("#withdraw-pending").click()
    alert = page.locator("#wrong-price-on-sale")
    alert.wait_for()
    assert "19,900원이 지금 판매 중입니다" in alert.inner_text()
    shot(page, "seller-mistaken-price-went-live")
    page.locator("#correct-wrong-price").click()
    assert page.evaluate("document.activeElement.id") in ("new_price", "correct-wrong-price")
    page.locator("#pause-wrong-price").click()
    page.wait_for_selector(".flash >> text=판매를 멈췄습니다")
    assert page.locator("#wrong-price-on-sale").count() == 0
    assert page.locator("[data-status=paused]").first.is_visible()
