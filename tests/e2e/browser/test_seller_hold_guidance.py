"""The seller's listing page says what to do about a held price (TestClient): correct a
mistyped price or save it for a reviewer, the listing's own price stays until then, and a new
save replaces the held change; publishing a draft with a held change says the change stays in
review; the listing's price is named for what it is (draft, held, live); a misplaced comma is
refused; the start of a promotion says it cannot be later than now."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _page(client: TestClient, listing_id: int, lang: str = "ko") -> str:
    return html.unescape(client.get(f"/seller/listings/{listing_id}?lang={lang}").text)


def _text(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.DOTALL)
    assert found, f"no #{element_id} on the page"
    return " ".join(found.group(1).split())


def _warning(page: str) -> str:
    found = re.search(r'class="flash warn"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found, "no warning flash on the page"
    return " ".join(found.group(1).split())


def _draft(session_factory: sessionmaker[Session], world: World, price: int) -> int:
    """Seller A's draft of a product listed at 259,000 (no other seller)."""
    product = catalog.register_product(SqlAlchemyUnitOfWork(session_factory),
                                       title="아이팟 클래식 80GB", category="electronics/mp3",
                                       actor="t", list_price=Money(259_000, "KRW"))
    return listings.create_listing(SqlAlchemyUnitOfWork(session_factory),
                                   seller_id=world.seller_a, product_id=product.id,
                                   price=Money(price, "KRW"), actor="seller:seller_a").id


def _save(client: TestClient, listing_id: int, price: str, lang: str = "ko") -> str:
    """Save ``price`` from the page; the page after the redirect, with its flash."""
    token = csrf_of(client.get(f"/seller/listings/{listing_id}?lang={lang}").text)
    saved = client.post(f"/seller/listings/{listing_id}/price?lang={lang}",
                        data={"new_price": price, "csrf_token": token})
    assert saved.status_code == 303, saved.text[:300]
    return _page(client, listing_id, lang)


def test_a_held_dry_run_says_what_to_do_next(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    for lang, said in (("ko", ("가격을 잘못 입력했다면 위에서 고쳐 주세요. 의도한 가격이라면 저장하세요. "
                              "검토자가 확인하고, 그때까지 현재 판매가 199,000원은 그대로입니다.")),
                       ("en", ("If you mistyped the price, correct it above. If you mean it, save "
                              "it: a reviewer checks it, and the live price stays at 199,000 KRW "
                              "until then."))):
        verdict = html.unescape(client.post(
            f"/seller/listings/{world.ipod_a}/check?lang={lang}", data={"new_price": "19900"},
            headers={"HX-Request": "true", "X-CSRF-Token": token}).text)
        assert 'data-verdict="hold"' in verdict
        assert _text(verdict, "hold-next") == said


def test_saving_a_held_price_says_a_new_save_replaces_it(client: TestClient,
                                                         world: World) -> None:
    log_in(client, "seller_a")
    page = _save(client, world.ipod_a, "19900")
    flash = _warning(page)
    assert flash.startswith("검토 대기: 가격 변경이 보류되었습니다. 검토자가 확인할 때까지 현재 판매가 "
                            "199,000원은 그대로입니다. ")
    assert flash.endswith("잘못 입력한 가격이라면 올바른 가격을 다시 저장하거나(보류된 변경을 "
                          "대체합니다) 이 변경을 철회해 주세요.")
    pending = _text(page, "pending-change")
    assert "검토를 기다리는 가격 변경이 있습니다: #" in pending and "199,000원 → 19,900원(" in pending
    assert "새 가격을 저장하면 이 변경을 대체하고, 이 변경은 검토 대기에서 빠집니다." in pending
    token = csrf_of(page)
    again = html.unescape(client.post(
        f"/seller/listings/{world.ipod_a}/check", data={"new_price": "195000"},
        headers={"HX-Request": "true", "X-CSRF-Token": token}).text)
    assert "저장하면 이 가격이 검토를 기다리는 가격 변경(#" in _text(again, "replaces-pending")


def test_the_english_held_flash_is_made_of_sentences(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = _save(client, world.ipod_a, "195000", "en")  # allowed: no pending change
    page = _save(client, world.ipod_a, "19500", "en")
    said = _warning(page)
    assert said.startswith("Held for review: the live price stays at 195,000 KRW until a "
                           "reviewer checks this change. ")
    assert said.endswith(" If you mistyped it, save the correct price (a new save replaces the "
                         "held change) or withdraw the change.")
    reason = said.split("change. ", 1)[1].split(" If you mistyped", 1)[0]
    assert reason[0].isupper() and reason.endswith("."), reason  # not "new price 19,500 KRW …"


def test_the_price_is_named_for_what_the_listing_is(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    draft = _draft(session_factory, world, 19_900)
    log_in(client, "seller_a")
    assert _text(_page(client, world.ipod_a), "price-label") == "현재 판매가"
    assert _text(_page(client, draft), "price-label") == "등록 중 가격"
    assert _text(_page(client, draft, "en"), "price-label") == "Draft price"
    listings.change_listing_status(SqlAlchemyUnitOfWork(session_factory), listing_id=draft,
                                   trigger=ListingTrigger.PUBLISH, actor="seller:seller_a",
                                   gate=guard_gate(load_rules()))  # 19,900 of 259,000: held
    assert _text(_page(client, draft), "price-label") == "보류된 가격"
    assert _text(_page(client, draft, "en"), "price-label") == "Held price"
    # the list says the held listing waits for a review (its column said "—")
    row = re.search(rf'<tr[^>]*><td data-label="상품"><a href="/seller/listings/{draft}">.*?</tr>',
                    client.get("/seller?lang=ko").text, re.DOTALL)
    assert row
    assert 'data-held-listing>판매 시작 검토</span>' in row.group(0), row.group(0)
    assert "—" not in row.group(0)
    assert "현재 판매가" not in _page(client, draft)
    # corrected while held: the price shown is the one a release puts on sale, not the held one;
    # the history does not call a price nobody could buy at "applied"
    page = _save(client, draft, "249000")
    assert _text(page, "price-label") == "보류가 풀리면 판매할 가격"
    assert _text(_page(client, draft, "en"), "price-label") == "Price once released"
    assert "price set (not on sale yet)" in _page(client, draft, "en")
    assert 'data-status="applied">반영됨' not in _page(client, draft)


def test_a_price_set_before_the_listing_went_on_sale_keeps_saying_so(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """The history's badge is the change's, not today's: a draft's price set before publishing
    stays "price set (not on sale yet)" after the listing goes on sale (it became "applied");
    a change after it is "applied"."""
    draft = _draft(session_factory, world, 249_000)
    log_in(client, "seller_a")
    _save(client, draft, "248000")
    assert "가격만 바뀜(판매 전)" in _page(client, draft)
    listings.change_listing_status(SqlAlchemyUnitOfWork(session_factory), listing_id=draft,
                                   trigger=ListingTrigger.PUBLISH, actor="seller:seller_a",
                                   gate=guard_gate(load_rules()))
    _save(client, draft, "247000")
    page = _page(client, draft)
    rows = re.findall(r'data-status="(\w+)">([^<]+)</span>', page)
    assert rows[1:3] == [("applied", "반영됨"), ("applied", "가격만 바뀜(판매 전)")], rows


def test_publishing_a_draft_with_a_held_change_warns_that_it_stays_in_review(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    draft = _draft(session_factory, world, 229_000)
    log_in(client, "seller_a")
    page = _save(client, draft, "22900")
    note = _text(page, "publish-with-pending")
    assert "검토를 기다리는 가격 변경(#" in note and "등록 중 가격 229,000원에 팔고" in note
    assert "판매 중인 가격이 22,900원으로 바로 바뀝니다" in note
    published = client.post(f"/seller/listings/{draft}/status",
                            data={"action": "publish", "csrf_token": csrf_of(page)})
    assert published.status_code == 303
    after = _page(client, draft)
    said = _warning(after)  # a warning, not a plain "on sale"
    assert said.startswith("판매를 시작했습니다. 검토를 기다리는 가격 변경(#")
    assert "검토자가 승인하면 판매 중인 가격이 22,900원으로 바로 바뀝니다." in said
    assert _text(after, "price-label") == "현재 판매가"


def test_a_misplaced_comma_is_refused_on_the_page(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    saved = client.post(f"/seller/listings/{world.ipod_a}/price",
                        data={"new_price": "185,00", "csrf_token": token})
    assert saved.status_code == 422
    page = html.unescape(saved.text)
    assert "새 가격: 쉼표 위치가 맞지 않습니다('185,00')." in page
    assert 'id="live-price">199,000원' in page  # nothing was saved
    sold = _save(client, world.ipod_a, "₩195,000")
    assert 'id="live-price">195,000원' in sold


def test_the_promotion_start_says_it_cannot_be_later(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = _page(client, world.ipod_a)
    assert 'aria-describedby="promotion-starts-hint verdict"' in page
    # a promotion field's error is read out with the field: it shows in #verdict, which only
    # the price field pointed to (a walkthrough's finding)
    for field in ("promotion_pct", "promotion_starts", "promotion_ends"):
        tag = re.search(rf'<input id="{field}"[^>]*>', page)
        assert tag and re.search(r'aria-describedby="[^"]*\bverdict\b', tag.group(0)), field
    assert _text(page, "promotion-starts-hint").startswith(
        "지금이나 그 이전 시각만 넣을 수 있습니다. 가격은 저장하는 즉시 바뀌므로")
    assert "새 가격(원)" in page and "할인율(%)" in page and "새 가격 (원)" not in page


def test_every_page_names_an_icon_that_is_served(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/seller").text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_a_held_change_no_reviewer_can_approve_any_more_says_so(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """From a walkthrough: the promotion a held change leaned on ended while it waited; the
    reviewer's Approve was disabled, but the seller's page still said it waited for review."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from sagwa.adapters.db.tables import price_changes

    log_in(client, "seller_a")
    page = _save(client, world.ipod_a, "19900", "en")
    assert 'id="pending-stale"' not in page
    with session_factory() as session:
        session.execute(update(price_changes).where(
            price_changes.c.listing_id == world.ipod_a, price_changes.c.status == "held")
            .values(promotion_pct=90, promotion_ends_at=datetime.now(UTC) - timedelta(minutes=1)))
        session.commit()
    page = _page(client, world.ipod_a, "en")
    assert _text(page, "pending-stale") == (
        "The promotion declared with it has ended, so no reviewer can approve this change any "
        "more: withdraw it, or save a new price.")
    assert 'data-stale="promotion_ended_since_proposal"' in page
    assert "함께 신고한 할인 행사가 끝나 이 변경은 더 이상 승인될 수 없습니다" in _page(client, world.ipod_a)


def test_the_same_held_price_saved_again_says_nothing_changed(client: TestClient,
                                                              world: World) -> None:
    """Saving the held change's own price again keeps the change and its place in the queue
    (``listings.AlreadyHeld``): the check and the flash say so, not "replaces"."""
    log_in(client, "seller_a")
    page = _save(client, world.ipod_a, "19900")
    held = re.search(r"검토를 기다리는 가격 변경이 있습니다: #(\d+)", _text(page, "pending-change"))
    assert held
    token = csrf_of(page)
    for lang, said in (("ko", (f"이미 같은 가격이 검토를 기다리고 있습니다(#{held.group(1)}). 저장해도 "
                              "바뀌지 않고, 검토 순서도 그대로입니다.")),
                       ("en", (f"This price is already waiting for review (#{held.group(1)}); "
                              "saving it again changes nothing and keeps its place in the queue."))):
        verdict = html.unescape(client.post(
            f"/seller/listings/{world.ipod_a}/check?lang={lang}", data={"new_price": "19900"},
            headers={"HX-Request": "true", "X-CSRF-Token": token}).text)
        assert _text(verdict, "same-as-pending") == said
        assert 'id="replaces-pending"' not in verdict
    again = _save(client, world.ipod_a, "19900")
    flash = re.search(r'class="flash [^"]*"[^>]*>(.*?)</p>', again, re.DOTALL)
    assert flash and flash.group(1).startswith(
        f"이미 같은 가격이 검토를 기다리고 있습니다(#{held.group(1)}"), flash.group(1)
    assert f"#{held.group(1)}" in _text(again, "pending-change")
