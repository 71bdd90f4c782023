"""The seller pauses, resumes and publishes a listing from its page (no API needed): why a
listing is paused is on the page, a resume the desk refuses says why, a stale form is refused
rather than turned into another action, and another seller's listing is not found (TestClient)."""

from __future__ import annotations

import html

import pytest
from browsing import login
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of, log_in
from world import PASSWORD, World

from sagwa.domain.listings import ListingStatus
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _status(session_factory: sessionmaker[Session], listing_id: int) -> ListingStatus:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        listing = u.market.listing(listing_id)
        assert listing is not None
        return listing.status


def _post(client: TestClient, listing_id: int, data: dict[str, str], lang: str = "ko"):
    page = client.get(f"/seller/listings/{listing_id}?lang={lang}").text
    return client.post(f"/seller/listings/{listing_id}/status?lang={lang}",
                       data={**data, "csrf_token": csrf_of(page)}, follow_redirects=False)


def test_a_seller_pauses_and_resumes_a_live_listing_from_its_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    assert 'id="sale-form"' in page and "판매 중지</button>" in page
    paused = _post(client, world.ipod_a, {"action": "pause", "reason": "재고 확인 중"})
    assert paused.status_code == 303, paused.text
    assert _status(session_factory, world.ipod_a) is ListingStatus.PAUSED
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    assert "판매를 멈췄습니다" in page and "재고 확인 중" in page and "판매 재개" in page
    # the same page posted twice (a double click): the second "pause" is not turned into a
    # resume, nor answered with a refusal after the first one worked: the sale is paused
    again = client.post(f"/seller/listings/{world.ipod_a}/status",
                        data={"action": "pause", "csrf_token": csrf_of(page)},
                        follow_redirects=False)
    assert again.status_code == 303
    shown = html.unescape(client.get(f"/seller/listings/{world.ipod_a}").text)
    assert "판매가 이미 멈춰 있습니다. 바꾼 것은 없습니다." in shown and 'id="sale-problem"' not in shown
    assert _status(session_factory, world.ipod_a) is ListingStatus.PAUSED
    # a stale page's other action is still refused, with the status it has now
    stale = client.post(f"/seller/listings/{world.ipod_a}/status",
                        data={"action": "publish", "csrf_token": csrf_of(page)})
    assert stale.status_code == 409 and 'id="sale-problem"' in stale.text
    assert "이 페이지를 연 뒤 상품 상태가 바뀌어 아무것도 바꾸지 않았습니다. 지금 상태는 '판매 중지'입니다." \
        in html.unescape(stale.text)
    # an action no page offers is not said to be outdated: the status did not change for it
    crafted = client.post(f"/seller/listings/{world.ipod_a}/status",
                          data={"action": "delete", "csrf_token": csrf_of(page)})
    assert crafted.status_code == 409
    assert "상태가 바뀌어" not in html.unescape(crafted.text)
    assert "상품이 지금 '판매 중지' 상태라서 할 수 없습니다." in html.unescape(crafted.text)
    resumed = _post(client, world.ipod_a, {"action": "resume"}, lang="en")
    assert resumed.status_code == 303
    assert _status(session_factory, world.ipod_a) is ListingStatus.LIVE
    twice = _post(client, world.ipod_a, {"action": "resume"}, lang="en")
    assert twice.status_code == 303
    shown = html.unescape(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text)
    assert "The listing is already on sale; nothing was changed." in shown


def test_a_listing_paused_in_an_incident_at_its_wrong_price_is_not_resumed(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_b")
    page = client.get(f"/seller/listings/{world.macbook_b}?lang=en").text
    assert "An operator paused the sale for a pricing incident" in page
    assert f"#{world.incident}" in page
    refused = _post(client, world.macbook_b, {"action": "resume"}, lang="en")
    assert refused.status_code == 409
    assert 'id="sale-problem"' in refused.text and "wrong price" in refused.text
    assert _status(session_factory, world.macbook_b) is ListingStatus.PAUSED


def test_another_sellers_listing_cannot_be_paused(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_b")
    token = csrf_of(client.get("/seller").text)
    answer = client.post(f"/seller/listings/{world.ipod_a}/status",
                         data={"action": "pause", "csrf_token": token})
    assert answer.status_code == 404
    assert _status(session_factory, world.ipod_a) is ListingStatus.LIVE


def test_a_price_saved_on_a_paused_listing_is_not_said_to_be_live(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    assert _post(client, world.ipod_a, {"action": "pause"}).status_code == 303
    page = client.get(f"/seller/listings/{world.ipod_a}?lang=en").text
    saved = client.post(f"/seller/listings/{world.ipod_a}/price?lang=en",
                        data={"new_price": "195000", "csrf_token": csrf_of(page)})
    assert saved.status_code == 303
    shown = client.get(f"/seller/listings/{world.ipod_a}?lang=en").text
    assert "applies when you resume the sale" in shown and "The new price is live." not in shown


def test_the_forms_addresses_opened_by_hand_lead_to_the_listing(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    for form in ("price", "status"):
        opened = client.get(f"/seller/listings/{world.ipod_a}/{form}?lang=en",
                            follow_redirects=False)
        assert opened.status_code == 303
        assert opened.headers["location"] == f"/seller/listings/{world.ipod_a}?lang=en"


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_a_refused_save_leaves_the_listings_own_address_so_a_reload_posts_nothing(
        page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.set_viewport_size({"width": 390, "height": 640})
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    page.fill("#new_price", "19,90,0")  # a misplaced comma: refused
    page.locator("#price-form button.primary").click()
    page.locator("#price-form [aria-invalid=true]").first.wait_for()
    assert page.url.endswith(f"/seller/listings/{site.world.ipod_a}"), page.url
    assert page.locator("#new_price").input_value() == "19,90,0"  # what was typed is kept
    # the refused field has the focus (in view), not the top of a phone's page
    assert page.evaluate("document.activeElement.id") == "new_price"
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.reload()
    page.wait_for_load_state()
    assert posts == [] and page.locator("#price-form").count() == 1


def test_the_brand_leads_each_account_to_its_own_pages(client: TestClient) -> None:
    # signed out, the public board is a customer's page: "/" (a developer page) is no home
    board = client.get("/notices").text
    assert '<span class="brand">' in board and 'class="brand" href' not in board
    for username, home in (("seller_a", "/seller"), ("reviewer", "/ops/review")):
        client.cookies.clear()
        log_in(client, username)
        assert f'class="brand" href="{home}"' in client.get("/notices").text
