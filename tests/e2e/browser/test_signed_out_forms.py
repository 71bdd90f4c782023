"""A form posted to a staff or seller page after its user signed out (in another tab: signing out
clears the cookie every tab shares) is told "you are signed out; sign in again", not "this form
has expired or did not come from our site", and signing in comes back to the page the form was
on — not to the post's own address, which answers only posts. With a live session a token that
does not match is still refused as a forgery, and the login page keeps its own check."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.adapters.db.tables import web_sessions

pytestmark = pytest.mark.e2e
SITE = "http://testserver"
SIGNED_OUT_KO = "로그아웃된 상태라 보낸 내용은 저장되지 않았습니다. 다시 로그인하면 보던 페이지로 돌아갑니다."
EXPIRED_KO = "양식이 만료되었거나 이 사이트에서 보낸 것이 아닙니다"


def _signed_out_elsewhere(client: TestClient, token: str) -> None:
    """Another tab signs out and lands on the login page (the cookie both tabs share)."""
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/login").status_code == 200


def test_a_seller_signed_out_in_another_tab_is_sent_to_sign_in_and_back_to_the_listing(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}"
    token = csrf_of(client.get(page).text)
    _signed_out_elsewhere(client, token)
    saved = client.post(f"{page}/price", data={"new_price": "960,000", "csrf_token": token},
                        headers={"Referer": f"{SITE}{page}"})
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/login?next={page}"
    login = html.unescape(client.get(saved.headers["location"]).text)
    assert SIGNED_OUT_KO in login and EXPIRED_KO not in login
    assert f'name="next" value="{page}"' in login
    back = client.post("/login", data={"username": "seller_a", "password": PASSWORD,
                                       "csrf_token": csrf_of(login), "next": page})
    assert back.status_code == 303 and back.headers["location"] == page
    listing = html.unescape(client.get(page).text)
    assert '<strong class="money" id="live-price">199,000원</strong>' in listing  # nothing saved
    assert "960,000" not in listing


def test_a_reviewer_signed_out_is_told_so_in_english_and_sent_back_to_the_queue(
        client: TestClient, world: World) -> None:
    client.cookies.set("sagwa_lang", "en")
    log_in(client, "reviewer")
    token = csrf_of(client.get("/ops/review").text)
    _signed_out_elsewhere(client, token)
    rejected = client.post("/ops/review/1/reject", data={"reason": "0이 하나 더 붙었습니다",
                                                        "csrf_token": token},
                           headers={"Referer": f"{SITE}/ops/review?order=risk"})
    assert rejected.status_code == 303
    assert rejected.headers["location"] == "/login?next=/ops/review%3Forder%3Drisk"
    login = html.unescape(client.get(rejected.headers["location"]).text)
    assert "You are signed out, so what you sent was not saved. Sign in again" in login
    assert 'name="next" value="/ops/review?order=risk"' in login


def test_a_session_ended_while_its_cookie_lives_comes_back_to_the_page_not_the_post(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """The token still matches (the cookie was kept), but the session row ended: the route's
    own sign-in check sends it to log in, back to the page the form was on."""
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}"
    token = csrf_of(client.get(page).text)
    with session_factory() as session:  # ended elsewhere (its row; the cookie is kept)
        session.execute(update(web_sessions).values(ended_at=datetime.now(UTC)))
        session.commit()
    saved = client.post(f"{page}/price", data={"new_price": "189,000", "csrf_token": token},
                        headers={"Referer": f"{SITE}{page}"})
    assert saved.status_code == 303 and saved.headers["location"] == f"/login?next={page}"
    assert SIGNED_OUT_KO in html.unescape(client.get(saved.headers["location"]).text)


def test_an_htmx_check_while_signed_out_says_so_where_it_lands_and_leaves_the_page(
        client: TestClient, world: World) -> None:
    """The live price check runs as the seller types: signed out in another tab, it used to
    take the whole tab to the sign-in page mid-typing (a walkthrough). It says so in the
    verdict box now, with a sign-in link back to the page; nothing is said "not saved" on the
    login page, as nothing was sent."""
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}"
    token = csrf_of(client.get(page).text)
    _signed_out_elsewhere(client, token)
    checked = client.post(f"{page}/check", data={"new_price": "960,000"},
                          headers={"HX-Request": "true", "X-CSRF-Token": token,
                                   "HX-Current-URL": f"{SITE}{page}"})
    assert checked.status_code == 200 and "hx-redirect" not in checked.headers
    said = html.unescape(checked.text)
    assert "로그아웃된 상태라 아무것도 저장하거나 확인하지 않았습니다" in said
    assert f'href="/login?next={page}"' in said
    assert SIGNED_OUT_KO not in html.unescape(client.get("/login").text)


def test_a_post_from_another_site_while_signed_out_goes_to_sign_in_and_nowhere_else(
        client: TestClient, world: World) -> None:
    """A forged post to a signed-out browser can do nothing (the route needs a session); it is
    not sent anywhere but the login page, and never to the other site."""
    answer = client.post(f"/seller/listings/{world.ipod_a}/price",
                         data={"new_price": "19,900", "csrf_token": "forged"},
                         headers={"Referer": "https://evil.example/seller/listings/1"})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_token_that_does_not_match_a_live_session_is_still_refused_as_a_forgery(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = f"/seller/listings/{world.ipod_a}"
    forged = client.post(f"{page}/price", data={"new_price": "19,900", "csrf_token": "forged"},
                         headers={"Referer": f"{SITE}{page}"})
    assert forged.status_code == 403 and EXPIRED_KO in forged.text
    client.cookies.clear()
    # the login form keeps its own check: no session there is no reason to sign in again
    refused = client.post("/login", data={"username": "seller_a", "password": PASSWORD,
                                          "csrf_token": "stale"})
    assert refused.status_code == 403 and EXPIRED_KO in refused.text


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_in_chromium_signing_out_in_one_tab_then_saving_in_the_other(browser, site) -> None:  # type: ignore[no-untyped-def]
    """The QA path in a real browser: two tabs, sign out in one, save a price in the other."""
    from browsing import login, shot

    listing = f"/seller/listings/{site.world.ipod_a}"
    context = browser.new_context(base_url=site.base_url, locale="ko-KR")
    first = context.new_page()
    login(first, "seller_a", PASSWORD)
    first.wait_for_url("**/seller")
    first.goto(listing)
    second = context.new_page()
    second.goto("/seller")
    second.locator("form[action='/logout'] button").click()
    second.wait_for_url("**/login")
    first.fill("#new_price", "960000")
    first.locator("#price-form button.primary").click()
    first.wait_for_url(f"**/login?next={listing}")
    assert SIGNED_OUT_KO in first.locator("p.flash").inner_text()
    shot(first, "signed-out-form-sign-in-again")
    first.fill("#username", "seller_a")
    first.fill("#password", PASSWORD)
    first.click("button[type=submit].primary")
    first.wait_for_url(f"**{listing}")
    assert first.locator("#live-price").inner_text() == "199,000원"
    context.close()
