"""The review page sends a listing the price guard held at publication back to its seller: a
"send back" form with a required reason on each card of "Listings held at publication"; a
post without a reason that says something is refused next to its card; whoever published the
listing gets no form (and a forged post is refused); the seller's page then says it was sent
back and why. Pages over HTTP (TestClient), and one path in real Chromium."""

from __future__ import annotations

import html
import re

import pytest
from browsing import login, shot
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_review_queue_decisions import _policy_gate
from test_review_release import _card, _published_through_the_api, _status
from world import PASSWORD, World

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _send_back(client: TestClient, listing_id: int, page: str, reason: str,
               lang: str = "") -> object:
    return client.post(f"/ops/review/listings/{listing_id}/send-back{lang}",
                       data={"reason": reason, "csrf_token": csrf_of(page),
                             "seen_price_minor": "159000", "seen_currency": "KRW"})


def test_a_reviewer_sends_a_held_listing_back_and_its_seller_sees_why(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    listing_id = _published_through_the_api(client, session_factory, world,
                                            username="seller_a")
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    card = _card(page, f"listing-{listing_id}")
    assert f'action="/ops/review/listings/{listing_id}/send-back"' in card
    assert re.search(rf'<textarea id="send-back-reason-{listing_id}" name="reason"[^>]* required', card)
    assert "돌려보내기" in card
    english = _card(client.get("/ops/review?lang=en").text, f"listing-{listing_id}")
    assert "Send back (to draft, for the seller to correct the price)" in english
    client.get("/ops/review?lang=ko")
    answer = _send_back(client, listing_id, page, "정가 1,590,000원의 10분의 1입니다. 0이 빠졌는지 확인해 주세요")
    assert answer.status_code == 303 and answer.headers["location"] == "/ops/review"
    assert _status(session_factory, listing_id) is ListingStatus.DRAFT
    after = client.get("/ops/review").text
    assert f'id="listing-{listing_id}"' not in after
    assert f"상품 #{listing_id} 돌려보냄" in after
    with SqlAlchemyUnitOfWork(session_factory) as u:
        last = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert (last.action, last.actor) == ("listing.send_back", "reviewer:reviewer")

    client.cookies.clear()
    log_in(client, "seller_a")
    seller_page = client.get(f"/seller/listings/{listing_id}").text
    box = re.search(r'<div class="verdict hold" id="sent-back".*?</div>', seller_page, re.DOTALL)
    assert box, "the seller's page does not say the listing was sent back"
    assert "검토자가 이 상품을 돌려보냈습니다" in box.group(0)
    assert "정가 1,590,000원의 10분의 1입니다. 0이 빠졌는지 확인해 주세요" in html.unescape(box.group(0))
    assert "159,000원" in box.group(0)  # the price it was sent back at
    assert 'data-status="draft"' in seller_page and 'id="sale-action"' in seller_page
    english = client.get(f"/seller/listings/{listing_id}?lang=en").text
    assert "A reviewer sent this listing back" in english
    assert "Correct the price below, then publish the listing again" in english


def test_a_sent_back_draft_puts_the_price_form_first_and_publishing_it_unchanged_says_so(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """After a send-back the seller's page offers the price form before the publish button,
    which, at the very price sent back, warns that publishing it unchanged holds it for review
    again and says so on the button; published anyway, the listing is held and its page still
    gives the reviewer's reason."""
    listing_id = _published_through_the_api(client, session_factory, world,
                                            username="seller_a")
    log_in(client, "reviewer")
    _send_back(client, listing_id, client.get("/ops/review").text, "정가의 10분의 1로 보입니다")
    client.cookies.clear()
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{listing_id}").text
    assert page.index('id="price-form"') < page.index('id="sale-form"')
    warning = re.search(r'id="publish-unchanged">(.*?)</p>', page, re.DOTALL)
    assert warning and "159,000원은 검토자가 돌려보낸 가격 그대로입니다" in warning.group(1)
    assert "이 가격 그대로 다시 검토 요청" in page
    english = client.get(f"/seller/listings/{listing_id}?lang=en").text
    assert "Publishing it unchanged holds it for review again." in english
    assert "Publish unchanged (back to review)" in english
    published = client.post(f"/seller/listings/{listing_id}/status?lang=ko",
                            data={"action": "publish", "csrf_token": csrf_of(page)})
    assert published.status_code in (200, 303)
    assert _status(session_factory, listing_id) is ListingStatus.HELD
    held = client.get(f"/seller/listings/{listing_id}").text
    box = re.search(r'<div class="verdict hold" id="sent-back".*?</div>', held, re.DOTALL)
    assert box and "정가의 10분의 1로 보입니다" in html.unescape(box.group(0))
    assert 'id="sent-back-republished"' in box.group(0)


def test_a_send_back_without_a_reason_that_says_something_is_refused_next_to_its_card(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    listing_id = _published_through_the_api(client, session_factory, world,
                                            username="seller_a")
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    for typed, said in (("  ", "돌려보낼 때는 판매자가 가격을 고칠 수 있도록 무엇이 잘못인지 사유를 적어 주세요."),
                        (" . ", "사유를 조금 더 구체적으로 적어 주세요. 한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다")):
        refused = _send_back(client, listing_id, page, typed)
        assert refused.status_code == 422
        card = _card(refused.text, f"listing-{listing_id}")
        problem = re.search(rf'id="listing-problem-{listing_id}">(.*?)</p>', card, re.DOTALL)
        assert problem and said in html.unescape(problem.group(1))
        kept = re.search(rf'<textarea id="send-back-reason-{listing_id}"([^>]*)>(.*?)</textarea>', card,
                         re.DOTALL)
        assert kept and kept.group(2) == typed and "aria-invalid" in kept.group(1)
        # at the send-back form, not above the release's (a walkthrough's finding)
        assert card.index(f'id="listing-problem-{listing_id}"') > card.index('class="decide send-back"')
        assert card.count(f'id="listing-problem-{listing_id}"') == 1
        assert _status(session_factory, listing_id) is ListingStatus.HELD
    english = _send_back(client, listing_id, page, "ok!", lang="?lang=en")
    assert english.status_code == 422
    assert "Write a more specific reason: at least 4 letters or digits, or 2 Hangul syllables" in english.text
    assert _status(session_factory, listing_id) is ListingStatus.HELD


def test_whoever_published_a_held_listing_gets_no_send_back_form(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    listing_id = _published_through_the_api(client, session_factory, world, username="admin")
    log_in(client, "admin")
    page = client.get("/ops/review").text
    card = _card(page, f"listing-{listing_id}")
    assert "/send-back" not in card and "<button" not in card
    assert "직접 게시했거나 가격을 직접 입력한 상품은 다른 검토자가 보류를 풀거나 돌려보내야 합니다." in card
    forged = _send_back(client, listing_id, page, "제가 게시한 가격이 틀렸습니다")
    assert forged.status_code == 403
    assert "직접 게시했거나 보류된 가격을 직접 입력한 상품은 판매 보류를 풀거나 돌려보낼 수 없습니다." in forged.text
    assert _status(session_factory, listing_id) is ListingStatus.HELD


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_a_reviewer_sends_a_held_listing_back_in_the_browser(page, site) -> None:  # type: ignore[no-untyped-def]
    factory = site.database.session_factory
    with SqlAlchemyUnitOfWork(factory) as u:
        product_id = u.market.listing(site.world.macbook_b).product_id
    draft = listings.create_listing(SqlAlchemyUnitOfWork(factory), seller_id=site.world.seller_a,
                                    product_id=product_id, price=Money(159_000, "KRW"),
                                    actor="api:seller_a")
    held = listings.change_listing_status(
        SqlAlchemyUnitOfWork(factory), listing_id=draft.id, trigger=ListingTrigger.PUBLISH,
        actor="api:seller_a", gate=guard_gate(load_rules()))
    assert held.status is ListingStatus.HELD
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    card = page.locator(f"#listing-{draft.id}")
    card.locator(f"#send-back-reason-{draft.id}").fill("정가의 10분의 1입니다. 가격을 고쳐 주세요")
    card.locator("form.send-back button").click()
    flash = page.locator(".flash")
    flash.wait_for()
    assert f"상품 #{draft.id} 돌려보냄" in flash.inner_text()
    assert page.locator(f"#listing-{draft.id}").count() == 0
    assert _status(factory, draft.id) is ListingStatus.DRAFT
    shot(page, "review-held-listing-sent-back")


def test_a_price_the_guard_allows_but_a_reviewer_sent_back_is_held_again_and_says_why(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """Held by a pricing policy at a price the guard itself allows, then sent back: the price
    check says publishing it unchanged is held again; published, the page says it waits for
    review because of the send-back (not "the price guard held it"), the reviewer's reason
    once, and no warning about a pending change selling at the draft price."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        product_id = u.market.listing(world.macbook_b).product_id
    draft = listings.create_listing(SqlAlchemyUnitOfWork(session_factory),
                                    seller_id=world.seller_a, product_id=product_id,
                                    price=Money(1_500_000, "KRW"), actor="api:seller_a")
    listings.change_listing_status(SqlAlchemyUnitOfWork(session_factory), listing_id=draft.id,
                                   trigger=ListingTrigger.PUBLISH, actor="api:seller_a",
                                   gate=_policy_gate("deep_promotion"))
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    client.post(f"/ops/review/listings/{draft.id}/send-back",
                data={"reason": "행사 기간을 먼저 알려 주세요.", "csrf_token": csrf_of(page),
                      "seen_price_minor": "1500000", "seen_currency": "KRW"})
    client.cookies.clear()
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{draft.id}").text
    token = csrf_of(page)
    checked = html.unescape(client.post(f"/seller/listings/{draft.id}/check",
                                        data={"new_price": "1500000"},
                                        headers={"HX-Request": "true",
                                                 "X-CSRF-Token": token}).text)
    assert 'data-verdict="hold"' in checked and "검토자가 이 가격 그대로 돌려보냈습니다" in checked
    client.post(f"/seller/listings/{draft.id}/status", data={"action": "publish",
                                                             "csrf_token": token})
    assert _status(session_factory, draft.id) is ListingStatus.HELD
    held = html.unescape(client.get(f"/seller/listings/{draft.id}").text)
    assert "검토자가 돌려보낸 가격 그대로라 다시 검토를 기다립니다" in held
    assert "가격 검사에서 첫 가격이 보류되었습니다" not in held
    assert held.count("행사 기간을 먼저 알려 주세요") == 1
    english = html.unescape(client.get(f"/seller/listings/{draft.id}?lang=en").text)
    assert "Waiting for review again: this is the price a reviewer sent back" in english
