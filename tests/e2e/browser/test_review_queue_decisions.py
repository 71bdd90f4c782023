"""The review page after its walkthrough: Enter in a reason never decides; a refused decision is
shown where the reviewer is (its card's error focused, a summary at the top, the queue's own
address so a reload posts nothing); a change a pricing policy held says approving it needs a
reason; the change badge never says -100% nor +0.0%; the riskiest come first; accounts show by
name; a change decided in another tab does not ask for a refresh; a held listing whose price
moved is judged at its current price (page and API). Pages over HTTP (TestClient), and the
keyboard and scrolling paths in real Chromium."""

from __future__ import annotations

import html
import re

import pytest
from browsing import login, shot, wait_until
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.particles import with_particle
from sagwa.domain.pricing import GuardOpinion, PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, price_review
from sagwa.services.accounts import issue_api_token
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())


def _uow(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory)


def _held(session_factory: sessionmaker[Session], listing_id: int, price: int, *,
          by: str = "seller:seller_a", gate=GATE) -> int:  # type: ignore[no-untyped-def]
    change = listings.propose_price_change(_uow(session_factory), listing_id=listing_id,
                                           new_price=Money(price, "KRW"), proposed_by=by,
                                           gate=gate)
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _policy_gate(reason_code: str, score: float = 0.6):  # type: ignore[no-untyped-def]
    def gate(_uow, _listing, _proposal) -> listings.GateDecision:  # type: ignore[no-untyped-def]
        opinion = GuardOpinion("hold", score, "none", reason_code, "held by a policy",
                               "가격 정책으로 보류", {})
        return listings.GateDecision(hold=True, reason=opinion.reason_en, opinion=opinion)
    return gate


def _change_status(session_factory: sessionmaker[Session], change_id: int) -> PriceChangeStatus:
    with _uow(session_factory) as u:
        found = u.market.price_change(change_id)
        assert found is not None
        return found.status


def _change_ko(change_id: int) -> str:
    """``가격 변경 #3을``: the change and the object particle its number takes."""
    return with_particle(f"가격 변경 #{change_id}", "을(를)")


def _focus_moved(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the swap has settled and the focus moved off the page itself (htmx settles
    a few milliseconds after the answer shows)."""
    wait_until(page, "document.activeElement && document.activeElement !== document.body")


def _card(page_html: str, element_id: str) -> str:
    found = re.search(rf'<article class="card" id="{element_id}">(.*?)</article>', page_html,
                      re.DOTALL)
    assert found, f"no card {element_id}"
    return found.group(1)


# Over HTTP

def test_the_price_charts_spoken_label_is_in_the_pages_language_with_money(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A walkthrough's finding: the chart's label was "밝은 밤: 13000 → 12600" on the English
    page too (a Korean title, raw numbers)."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    korean = _card(client.get("/ops/review").text, f"change-{change_id}")
    english = _card(client.get("/ops/review?lang=en").text, f"change-{change_id}")
    said = {lang: html.unescape(re.search(r'role="img" aria-label="([^"]*)"', card).group(1))
            for lang, card in (("ko", korean), ("en", english))}
    assert said["ko"].endswith("199,000원 → 19,900원"), said
    assert said["en"].endswith("199,000 KRW → 19,900 KRW"), said
    assert not re.search("[가-힣]", said["en"]), said


def test_a_drop_to_one_won_is_minus_99_9_percent_and_the_seller_shows_by_name(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    change_id = _held(session_factory, world.ipod_a, 1)
    log_in(client, "reviewer")
    card = _card(client.get("/ops/review").text, f"change-{change_id}")
    assert '<span class="badge hold" data-move>-99.9%</span>' in card
    # not rounded to -100% (the card's ids, "change-100", may hold "-100": a full run's did)
    assert "-100%" not in card and "-100.0" not in card
    actor = re.search(r'<span data-actor title="([^"]+)">([^<]*)</span>', card)
    assert actor and actor.groups() == ("seller:seller_a", "판매자가 제안")
    assert ">seller:seller_a<" not in card and "· 하늘디지털 ·" in card


def test_a_reviewers_own_proposal_shows_the_account_name(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900, by="api:admin")
    log_in(client, "reviewer")
    english = _card(client.get("/ops/review?lang=en").text, f"change-{change_id}")
    assert '<span data-actor title="api:admin">proposed by: admin</span>' in english


def test_a_change_a_pricing_policy_held_says_approving_needs_a_reason(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """199,000 -> 189,000 (no halving) held below the category's floor: the label says a
    reason is required and why; an approval without one is refused next to the card."""
    change_id = _held(session_factory, world.ipod_a, 189_000,
                      gate=_policy_gate("below_list_price_floor"))
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    card = _card(page, f"change-{change_id}")
    assert "의견 (승인·거절 모두 필수: 가격 정책으로 보류된 변경입니다. 이 분류의 최저 판매가" in card
    assert 'data-needs-reason="below_list_price_floor"' in card
    english = _card(client.get("/ops/review?lang=en").text, f"change-{change_id}")
    assert "Reason (required to approve or reject: a pricing policy held this change: the " \
           "price is below the least this category may be sold at" in english
    client.get("/ops/review?lang=ko")
    refused = client.post(f"/ops/review/{change_id}/approve",
                          data={"reason": "", "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert f'id="problem-{change_id}"' in refused.text
    assert _change_status(session_factory, change_id) is PriceChangeStatus.HELD


@pytest.mark.parametrize(("stale", "why_ko", "why_en"), [
    ("promotion_ended_since_proposal", "함께 신고한 할인 행사가 끝나",
     "because the promotion declared with it has ended"),
    ("live_price_moved", "제안한 뒤 판매가가 바뀌어",
     "because the live price has changed since it was proposed"),
])
def test_a_change_no_one_may_approve_says_only_rejecting_is_left_and_why(
        client: TestClient, session_factory: sessionmaker[Session], world: World, stale: str,
        why_ko: str, why_en: str) -> None:
    """A walkthrough's finding: a held change that could no longer be approved (its promotion
    ended, or the live price moved since) kept the label "required to approve or reject"
    beside a disabled Approve. The label now says only rejecting is left, and why."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from sagwa.adapters.db.tables import listings as listings_table
    from sagwa.adapters.db.tables import price_changes

    change_id = _held(session_factory, world.ipod_a, 19_900)  # a tenth: approving needs a reason
    with session_factory() as session:
        if stale == "promotion_ended_since_proposal":
            session.execute(update(price_changes).where(price_changes.c.id == change_id).values(
                promotion_pct=90, promotion_ends_at=datetime.now(UTC) - timedelta(minutes=1)))
        else:
            session.execute(update(listings_table).where(listings_table.c.id == world.ipod_a)
                            .values(price_minor=195_000))
        session.commit()
    log_in(client, "reviewer")
    ko = f"거절 사유 (필수, 판매자에게 보입니다). {why_ko} 이 변경은 승인할 수 없고 거절만 할 수 있습니다."
    en = ("Reason for rejecting (required; the seller sees it). This change can only be "
          f"rejected: it cannot be approved {why_en}.")
    said = {"ko": (ko, "승인·거절 모두 필수"), "en": (en, "required to approve or reject")}
    for lang, (label, no_longer) in said.items():
        card = html.unescape(_card(client.get(f"/ops/review?lang={lang}").text,
                                   f"change-{change_id}"))
        found = re.search(rf'<label for="reason-{change_id}" data-only-reject>(.*?)</label>',
                          card, re.DOTALL)
        assert found and found.group(1) == label, card
        assert no_longer not in card
        assert f'id="stale-{change_id}" data-stale="{stale}"' in card
        assert re.search(rf'formaction="/ops/review/{change_id}/approve" disabled [^>]*'
                         rf'aria-describedby="stale-{change_id}"', card), card
    page = client.get("/ops/review").text
    rejected = client.post(f"/ops/review/{change_id}/reject",
                           data={"reason": "더 이상 맞지 않는 가격입니다", "csrf_token": csrf_of(page)})
    assert rejected.status_code == 303
    assert _change_status(session_factory, change_id) is PriceChangeStatus.REJECTED


def test_the_review_cards_times_say_korea_time_in_korean_too(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A walkthrough's finding: the card's "제안 시각" read "2008-06-12 14:00" beside promotion
    windows and reasons that say "한국 시간"; in English it says KST, as the other pages do."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    product = catalog.register_product(_uow(session_factory), title="아이팟 클래식 80GB",
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(259_000, "KRW"))
    held = listings.create_listing(_uow(session_factory), seller_id=world.seller_a,
                                   product_id=product.id, price=Money(19_900, "KRW"),
                                   actor="seller:seller_a")
    held = listings.change_listing_status(_uow(session_factory), listing_id=held.id,
                                          trigger=ListingTrigger.PUBLISH,
                                          actor="seller:seller_a", gate=GATE)
    assert held.status is ListingStatus.HELD
    log_in(client, "reviewer")
    minute = r"\d{4}-\d\d-\d\d \d\d:\d\d"
    for lang, zone in (("ko", r"\(한국 시간\)"), ("en", " KST")):
        page = html.unescape(client.get(f"/ops/review?lang={lang}").text)
        card = _card(page, f"change-{change_id}")
        assert re.search(rf"<p data-proposed-at><strong>[^<]+:</strong> {minute}{zone}</p>",
                         card), card
        listing_card = _card(page, f"listing-{held.id}")
        assert re.search(rf": {minute}{zone}</p>", listing_card), listing_card


def test_the_riskiest_change_comes_first_with_a_switch_to_the_oldest(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    routine = _held(session_factory, world.ipod_a, 189_000, gate=_policy_gate("penny_price", 0.2))
    risky = _held(session_factory, world.ipod_b, 19_900)  # the 2008 slip, proposed later
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    assert page.index(f'id="change-{risky}"') < page.index(f'id="change-{routine}"')
    assert '<a href="/ops/review?order=oldest">' in page
    oldest = client.get("/ops/review?order=oldest").text
    assert oldest.index(f'id="change-{routine}"') < oldest.index(f'id="change-{risky}"')
    assert 'name="order" value="oldest"' in oldest
    decided = client.post(f"/ops/review/{routine}/reject",
                          data={"reason": "판매자가 정정 예정", "order": "oldest",
                                "csrf_token": csrf_of(oldest)})
    assert decided.status_code == 303
    assert decided.headers["location"] == "/ops/review?order=oldest"  # the order it was in


def test_a_change_decided_in_another_tab_does_not_ask_for_a_refresh(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    first = client.post(f"/ops/review/{change_id}/reject",
                        data={"reason": "할인율을 가격으로 입력", "csrf_token": csrf_of(page)})
    assert first.status_code == 303
    second = client.post(f"/ops/review/{change_id}/approve",  # the other tab, still open
                         data={"reason": "판매자와 확인함", "csrf_token": csrf_of(page)})
    assert second.status_code == 409
    text = html.unescape(second.text)
    assert "새로 고쳐" not in text and "reload" not in text
    summary = re.search(r'<p class="finding error" role="alert" id="problem-summary"[^>]*>(.*?)</p>',
                        text, re.DOTALL)
    assert summary
    assert (f"{_change_ko(change_id)} 승인하지 못했습니다</strong>: 이미 처리된 가격 변경입니다(지금: 거절됨). "
            "아래 목록은 지금 상태입니다.") in summary.group(1)


@pytest.mark.parametrize("action", ["reject", "approve"])
def test_the_same_decision_sent_twice_is_done_once_and_not_called_a_refusal(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        action: str) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    form = {"reason": "판매자와 통화해 확인함", "csrf_token": csrf_of(page)}
    first = client.post(f"/ops/review/{change_id}/{action}", data=form, follow_redirects=False)
    assert first.status_code == 303, first.text
    again = client.post(f"/ops/review/{change_id}/{action}", data=form, follow_redirects=False)
    assert again.status_code == 303  # a double click: the reviewer's decision holds
    shown = html.unescape(client.get("/ops/review").text)
    done = "승인" if action == "approve" else "거절"
    assert f"{with_particle(f'#{change_id}', '은/는')} 이미 {done}했습니다. 바꾼 것은 없습니다." in shown
    assert 'id="problem-summary"' not in shown
    expected = PriceChangeStatus.APPROVED if action == "approve" else PriceChangeStatus.REJECTED
    assert _change_status(session_factory, change_id) is expected
    with _uow(session_factory) as u:
        decided = [e for e in u.audit.for_entity("listing", str(world.ipod_a))
                   if e.event.action == f"price_change.{expected.value}"]
    assert len(decided) == 1
    other = "approve" if action == "reject" else "reject"  # the other decision stays refused
    assert client.post(f"/ops/review/{change_id}/{other}", data=form).status_code == 409


def test_a_refusal_through_htmx_gets_the_queues_address_at_its_card(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    refused = client.post(f"/ops/review/{change_id}/approve", headers={"HX-Request": "true"},
                          data={"reason": "", "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert refused.headers["HX-Replace-Url"] == f"/ops/review#change-{change_id}"
    assert refused.headers["HX-Reswap"] == f"innerHTML show:#problem-{change_id}:top"
    card = _card(refused.text, f"change-{change_id}")
    assert re.search(rf'<textarea id="reason-{change_id}"[^>]* autofocus', card)
    summary = re.search(r'id="problem-summary"[^>]*>(.*?)</p>', refused.text, re.DOTALL)
    assert summary and f"{_change_ko(change_id)} 승인하지 못했습니다" in summary.group(1)
    assert f'href="#change-{change_id}"' in summary.group(1)


def _published_through_the_api(client: TestClient, session_factory: sessionmaker[Session],
                               world: World) -> int:
    with _uow(session_factory) as u:
        product_id = u.market.listing(world.macbook_b).product_id
    token = issue_api_token(_uow(session_factory), username="seller_a", name="publish",
                            actor="test")
    answer = client.post("/api/listings", json={
        "seller_id": world.seller_a, "product_id": product_id,
        "price": {"amount_minor": 159_000, "currency": "KRW"}, "publish": True},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "pub-moved"})
    assert answer.status_code == 201 and answer.json()["status"] == "held", answer.text
    return int(answer.json()["id"])


def test_a_held_listing_whose_price_moved_is_judged_at_its_current_price(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """Held at 159,000 (list price 1,590,000); its seller then saves 1,580,000, which the guard
    allows: the API and the card explain 1,580,000, and a release naming no price is refused
    without "you saw"."""
    listing_id = _published_through_the_api(client, session_factory, world)
    moved = listings.propose_price_change(_uow(session_factory), listing_id=listing_id,
                                          new_price=Money(1_580_000, "KRW"),
                                          proposed_by="api:seller_a", gate=GATE)
    assert moved.status is PriceChangeStatus.APPLIED
    token = issue_api_token(_uow(session_factory), username="reviewer", name="queue",
                            actor="test")
    auth = {"Authorization": f"Bearer {token}"}
    [entry] = [e for e in client.get("/api/review/listings", headers=auth).json()
               if e["listing"]["id"] == listing_id]
    assert entry["listing"]["price"]["amount_minor"] == 1_580_000
    assert entry["reason_en"].startswith(
        "the price changed from 159,000 KRW to 1,580,000 KRW after the hold; the guard on the "
        "current price: ")
    assert entry["reason_ko"].startswith("보류 뒤 가격이 159,000원에서 1,580,000원으로 바뀌었습니다.")
    release = client.post(f"/api/listings/{listing_id}/release", headers=auth, json={})
    assert release.status_code == 409
    assert "you saw" not in release.json()["message"]
    assert "held at" in release.json()["message"]
    log_in(client, "reviewer")
    card = _card(client.get("/ops/review").text, f"listing-{listing_id}")
    assert 'data-current-price-verdict="allow"' in card
    assert "지금 가격 1,580,000원에 대한 가격 검사" in card
    assert "보류된 가격 159,000원의 보류 사유" in card
    # the corrected price is not "the first price" (the first was 159,000)
    assert re.search(r"보류가 풀리면 판매할 가격: <strong data-price>1,580,000원", card)
    assert "첫 가격:" not in card
    assert "에 대한 것)" not in card  # one pair of brackets: the looks-like note's


# In the browser

@pytest.mark.browser
@pytest.mark.timeout(120)
def test_enter_in_a_reason_adds_a_line_and_decides_nothing(page, site) -> None:  # type: ignore[no-untyped-def]
    factory = site.database.session_factory
    change_id = _held(factory, site.world.ipod_a, 1)
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    field = page.locator(f"#reason-{change_id}")
    field.click()
    field.type("1원은 잘못된 가격이라 거절합니다")
    field.press("Enter")
    field.type("판매자에게 확인 요청")
    page.wait_for_timeout(700)  # time for a post, if Enter made one
    assert _change_status(factory, change_id) is PriceChangeStatus.HELD
    with _uow(factory) as u:
        assert u.market.listing(site.world.ipod_a).price == Money(199_000, "KRW")
    assert field.input_value() == "1원은 잘못된 가격이라 거절합니다\n판매자에게 확인 요청"
    assert page.locator(".flash").count() == 0 and page.url.endswith("/ops/review")
    with _uow(factory) as u:
        product_id = u.market.listing(site.world.macbook_b).product_id
    draft = listings.create_listing(_uow(factory), seller_id=site.world.seller_a,
                                    product_id=product_id, price=Money(159_000, "KRW"),
                                    actor="api:seller_a")
    listings.change_listing_status(_uow(factory), listing_id=draft.id,
                                   trigger=ListingTrigger.PUBLISH, actor="api:seller_a",
                                   gate=GATE)
    page.reload()
    release = page.locator(f"#release-reason-{draft.id}")
    release.fill("판매자와 확인: 전시품")
    release.press("Enter")
    page.wait_for_timeout(700)
    with _uow(factory) as u:
        assert u.market.listing(draft.id).status is ListingStatus.HELD
    shot(page, "review-enter-decides-nothing")


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_a_refused_approval_is_shown_at_its_card_and_a_reload_posts_nothing(page, site) -> None:  # type: ignore[no-untyped-def]
    factory = site.database.session_factory
    change_id = _held(factory, site.world.ipod_a, 19_900)
    page.set_viewport_size({"width": 390, "height": 640})  # the card starts below the fold
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator(f"#change-{change_id} button.primary").click()  # approve, no reason
    problem = page.locator(f"#problem-{change_id}")
    problem.wait_for()
    assert "승인 의견이 있어야 합니다" in problem.inner_text()
    assert page.url.endswith(f"/ops/review#change-{change_id}")
    assert page.evaluate("document.activeElement.id") == f"reason-{change_id}"
    box = problem.bounding_box()
    assert box is not None and 0 <= box["y"] < 640, box  # where the reviewer looks
    summary = page.locator("#problem-summary")
    assert f"{_change_ko(change_id)} 승인하지 못했습니다" in summary.inner_text()
    shot(page, "review-refused-approval-at-its-card")
    assert len(posts) == 1
    page.reload()
    page.wait_for_load_state()
    assert len(posts) == 1  # the reload was a GET of the queue
    assert page.locator("#problem-summary").count() == 0
    page.locator(f"#reason-{change_id}").fill("할인율을 가격으로 입력했습니다")
    page.locator(f"#change-{change_id} button.danger").click()  # reject
    flash = page.locator(".flash")
    flash.wait_for()
    assert f"#{change_id} 거절" in flash.inner_text()
    assert page.url.endswith("/ops/review")
    assert _change_status(factory, change_id) is PriceChangeStatus.REJECTED


def test_approving_a_paused_listings_change_does_not_say_the_price_is_live(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A review's finding: the flash said "the new price is live" whatever the listing's state
    (on a draft or a paused listing nobody can buy at it yet)."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    listings.change_listing_status(_uow(session_factory), listing_id=world.ipod_a,
                                   trigger=ListingTrigger.PAUSE, actor="seller:seller_a",
                                   reason="재고 확인 중")
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=en").text
    approved = client.post(f"/ops/review/{change_id}/approve", follow_redirects=True,
                           data={"reason": "clearance checked with the seller",
                                 "csrf_token": csrf_of(page)})
    text = html.unescape(approved.text)
    assert f"#{change_id} approved: the price is changed. The listing is paused, so nobody " \
           "can buy at it yet." in text
    assert "the new price is live" not in text
    assert _change_status(session_factory, change_id) is PriceChangeStatus.APPROVED


def test_rejecting_a_paused_listings_change_does_not_speak_of_a_live_price(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A walkthrough's finding: "the live price never moved" on a listing nobody can buy."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    listings.change_listing_status(_uow(session_factory), listing_id=world.ipod_a,
                                   trigger=ListingTrigger.PAUSE, actor="seller:seller_a")
    log_in(client, "reviewer")
    page = client.get("/ops/review?lang=en").text
    rejected = client.post(f"/ops/review/{change_id}/reject?lang=en", follow_redirects=True,
                           data={"reason": "the discount typed as the price",
                                 "csrf_token": csrf_of(page)})
    text = html.unescape(rejected.text)
    assert f"#{change_id} rejected: the price stays at 199,000 KRW (the listing is paused)." \
        in text
    assert "the live price never moved" not in text
    korean = _held(session_factory, world.ipod_a, 19_800)
    page = client.get("/ops/review?lang=ko").text
    rejected = client.post(f"/ops/review/{korean}/reject", follow_redirects=True,
                           data={"reason": "할인율을 가격으로 입력", "csrf_token": csrf_of(page)})
    assert f"#{korean} 거절: 가격은 199,000원으로 그대로입니다('판매 중지' 상품)." in \
        html.unescape(rejected.text)


def test_a_reason_that_fits_the_box_is_not_too_long_for_its_line_breaks(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A browser without scripts sends each line break of a textarea as two characters (CR LF):
    a 999-character reason over 10 lines fits ``maxlength="1000"`` but was refused as too long,
    on a page without the form. It is stored with one-character line breaks."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    reason = "\r\n".join(["0이 빠진 가격으로 보입니다 " + "가" * 85] * 10)[:1008]
    assert len(reason.replace("\r\n", "\n")) <= 1000 < len(reason)
    decided = client.post(f"/ops/review/{change_id}/reject",
                          data={"reason": reason, "csrf_token": csrf_of(page)})
    assert decided.status_code == 303, decided.text[:500]
    with _uow(session_factory) as u:
        stored = u.market.price_change(change_id)
    assert stored is not None and stored.decision_reason == reason.replace("\r\n", "\n").strip()
    too_long = _held(session_factory, world.ipod_b, 19_900)
    refused = client.post(f"/ops/review/{too_long}/reject",
                          data={"reason": "가" * 1001, "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert _change_status(session_factory, too_long) is PriceChangeStatus.HELD


def test_a_decision_without_scripts_opens_the_queue_at_the_next_card(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    first = _held(session_factory, world.ipod_a, 19_900)
    second = _held(session_factory, world.ipod_b, 19_900, by="seller:seller_b")
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    assert re.search(rf'<input type="hidden" name="next" value="change-{second}">',
                     _card(page, f"change-{first}"))
    done = client.post(f"/ops/review/{first}/reject", follow_redirects=False,
                       data={"reason": "할인율을 가격으로 입력", "csrf_token": csrf_of(page),
                             "next": f"change-{second}"})
    assert done.status_code == 303 and done.headers["location"].endswith(f"#change-{second}")
    odd = client.post(f"/ops/review/{second}/reject", follow_redirects=False,
                      data={"reason": "할인율을 가격으로 입력", "csrf_token": csrf_of(page),
                            "next": "javascript:alert(1)"})
    assert odd.status_code == 303 and "#" not in odd.headers["location"]


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_a_decision_keeps_the_reviewer_where_they_were_with_the_answer_in_sight(page, site) -> None:  # type: ignore[no-untyped-def]
    """Three held changes on a small screen: rejecting the second, far below the top, opens
    the answer at the third card (not back at the top), with the answer in sight."""
    factory = site.database.session_factory
    held = [_held(factory, listing, 19_900, by=by, gate=_policy_gate("deep_promotion"))
            for listing, by in ((site.world.ipod_a, "seller:seller_a"),
                                (site.world.ipod_b, "seller:seller_b"),
                                (site.world.speaker_a, "seller:seller_a"))]
    page.set_viewport_size({"width": 390, "height": 640})
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    second = page.locator(f"#change-{held[1]}")
    second.scroll_into_view_if_needed()
    page.locator(f"#reason-{held[1]}").fill("판매자에게 확인: 잘못 입력한 가격")
    before = page.evaluate("window.scrollY")
    assert before > 300
    second.locator("button.danger").click()  # reject
    flash = page.locator(".flash")
    flash.wait_for()
    assert f"#{held[1]} 거절" in flash.inner_text()
    assert page.locator(f"#change-{held[1]}").count() == 0
    assert page.evaluate("window.scrollY") > 300  # not thrown back to the top
    box = flash.bounding_box()
    assert box is not None and 0 <= box["y"] < 640, box  # the answer is in sight
    third = page.locator(f"#change-{held[2]}").bounding_box()
    # the next card starts just below the answer, not under it
    assert third is not None and box["y"] + box["height"] <= third["y"] < 250, (box, third)
    # the keyboard goes on at the next card's heading, not back at the top of the page
    _focus_moved(page)
    focused = page.evaluate("[document.activeElement.tagName, "
                            "document.activeElement.closest('article')?.id]")
    assert focused == ["H2", f"change-{held[2]}"], focused
    shot(page, "review-decision-keeps-the-place")
    page.locator(f"#reason-{held[2]}").fill("판매자에게 확인: 잘못 입력한 가격")
    page.locator(f"#change-{held[2]} button.danger").click()
    page.locator(f"#change-{held[2]}").wait_for(state="detached")
    # the last card decided: the next one is the one before it, and its heading gets focus
    _focus_moved(page)
    focused = page.evaluate("[document.activeElement.tagName, "
                            "document.activeElement.closest('article')?.id]")
    assert focused == ["H2", f"change-{held[0]}"], focused
    page.locator(f"#reason-{held[0]}").fill("판매자에게 확인: 잘못 입력한 가격")
    page.locator(f"#change-{held[0]} button.danger").click()
    page.locator(f"#change-{held[0]}").wait_for(state="detached")
    # none left: the answer has the focus
    _focus_moved(page)
    assert page.evaluate("document.activeElement.classList.contains('flash')"), \
        page.evaluate("document.activeElement.outerHTML")


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_the_next_card_decided_elsewhere_meanwhile_passes_the_focus_on_to_the_one_after(page, site) -> None:  # type: ignore[no-untyped-def]
    """A reviewer walk: the card the page named as next was decided by another reviewer while
    this one wrote a reason; the keyboard went to the answer at the top, not on to the next
    card still waiting."""
    factory = site.database.session_factory
    with _uow(factory) as u:
        speaker = u.market.listing(site.world.speaker_a)
        assert speaker is not None
    fourth = listings.create_listing(_uow(factory), seller_id=site.world.seller_b,
                                     product_id=speaker.product_id, price=Money(89_000, "KRW"),
                                     actor="test")
    listings.change_listing_status(_uow(factory), listing_id=fourth.id,
                                   trigger=ListingTrigger.PUBLISH, actor="test")
    held = [_held(factory, listing, 19_900, by=by, gate=_policy_gate("deep_promotion"))
            for listing, by in ((site.world.ipod_a, "seller:seller_a"),
                                (site.world.ipod_b, "seller:seller_b"),
                                (site.world.speaker_a, "seller:seller_a"),
                                (fourth.id, "seller:seller_b"))]
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    ids = page.eval_on_selector_all("article.card[id^=change-]", "cards => cards.map(c => c.id)")
    assert ids == [f"change-{c}" for c in held], ids
    page.locator(f"#reason-{held[1]}").fill("판매자에게 확인: 잘못 입력한 가격")
    price_review.reject_price_change(_uow(factory), change_id=held[2],
                                     reviewer="reviewer:reviewer", reason="다른 창에서 거절함")
    page.locator(f"#change-{held[1]} button.danger").click()
    page.locator(f"#change-{held[1]}").wait_for(state="detached")
    assert page.locator(f"#change-{held[2]}").count() == 0
    _focus_moved(page)
    focused = page.evaluate("[document.activeElement.tagName, "
                            "document.activeElement.closest('article')?.id]")
    assert focused == ["H2", f"change-{held[3]}"], focused


def test_only_the_review_queue_keeps_its_answer_in_sight_and_the_only_card_opens_at_the_top(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """The sticky answer is the queue's (on a seller's phone a long flash would cover the
    screen); deciding the only card opens the page at its top, not in the middle of another
    section."""
    change_id = _held(session_factory, world.ipod_a, 19_900)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    assert '<main id="content" tabindex="-1" class="review">' in page
    card = _card(page, f"change-{change_id}")
    assert 'hx-swap="innerHTML show:window:top"' in card and 'name="next"' not in card
    client.cookies.clear()
    log_in(client, "seller_a")
    assert '<main id="content" tabindex="-1">' in client.get(f"/seller/listings/{world.ipod_a}").text
