"""The seller's list of listings marks each listing that needs them (TestClient): paused by the
order tripwire or for a pricing incident, sent back by a reviewer, its first price or a price
change waiting for review, a held change no reviewer may approve any more — and says how many
at the top, in Korean and English; a listing paused by the seller is not marked. However many
listings there are, the page reads them in the same number of queries."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.tables import price_changes
from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, tripwire
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())


def _uow(session_factory: sessionmaker[Session]) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory)


def _listing(session_factory: sessionmaker[Session], world: World, title: str, *,
             list_price: int, price: int, publish: bool = True) -> int:
    """Seller A's listing of a new product ``title``: published (through the price guard, so a
    first price far below ``list_price`` is held), or a draft."""
    product = catalog.register_product(_uow(session_factory), title=title,
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(list_price, "KRW"))
    listing = listings.create_listing(_uow(session_factory), seller_id=world.seller_a,
                                      product_id=product.id, price=Money(price, "KRW"),
                                      actor="seller:seller_a")
    if publish:
        listings.change_listing_status(_uow(session_factory), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="seller:seller_a",
                                       gate=GATE)
    return listing.id


def _held_change(session_factory: sessionmaker[Session], listing_id: int, price: int) -> int:
    change = listings.propose_price_change(_uow(session_factory), listing_id=listing_id,
                                           new_price=Money(price, "KRW"),
                                           proposed_by="seller:seller_a", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _paused_by_the_tripwire(session_factory: sessionmaker[Session], listing_id: int) -> None:
    """The tripwire's own pause step (what a surge of orders leaves on the listing)."""
    with _uow(session_factory) as u:
        listing = u.market.listing(listing_id)
        assert listing is not None
        tripwire._pause(u, listing, u.now(), {"reason_en": "orders surged",
                                              "reason_ko": "주문이 몰렸습니다"})
        u.commit()


def _promotion_ended(session_factory: sessionmaker[Session], change_id: int) -> None:
    """The promotion a held change leans on ended while it waited: no reviewer may approve it."""
    with session_factory() as session:
        session.execute(update(price_changes).where(price_changes.c.id == change_id).values(
            promotion_pct=90, promotion_ends_at=datetime.now(UTC) - timedelta(minutes=1)))
        session.commit()


def _marks(page: str) -> dict[int, str]:
    """Listing id -> its row's ``data-attention`` ("" when not marked)."""
    rows = re.findall(r'<tr(?: data-attention="([^"]*)")?><td data-label="[^"]+">'
                      r'<a href="/seller/listings/(\d+)">', page)
    return {int(listing_id): marks for marks, listing_id in rows}


def _row(page: str, listing_id: int) -> str:
    found = re.search(rf'<tr[^>]*><td[^>]*><a href="/seller/listings/{listing_id}">.*?</tr>',
                      page, re.DOTALL)
    assert found, f"no row for listing {listing_id}"
    return found.group(0)


@pytest.fixture
def shop(session_factory: sessionmaker[Session], world: World) -> dict[str, int]:
    """Seller A's listings, one for each thing that needs them, and one paused by themselves."""
    ids = {"held_change": world.ipod_a, "paused_by_tripwire": world.speaker_a}
    _held_change(session_factory, world.ipod_a, 19_900)  # a tenth of 199,000: held
    _paused_by_the_tripwire(session_factory, world.speaker_a)
    ids["held_listing"] = _listing(session_factory, world, "아이팟 클래식 80GB",
                                   list_price=259_000, price=19_900)
    ids["sent_back"] = _listing(session_factory, world, "아이팟 셔플 1GB", list_price=79_000,
                                price=7_900)
    listings.change_listing_status(_uow(session_factory), listing_id=ids["sent_back"],
                                   trigger=ListingTrigger.SEND_BACK, actor="reviewer:reviewer",
                                   reason="정가의 10분의 1입니다. 가격을 고쳐 주세요")
    ids["stale_change"] = _listing(session_factory, world, "아이팟 터치 8GB", list_price=299_000,
                                   price=299_000)
    _promotion_ended(session_factory, _held_change(session_factory, ids["stale_change"], 29_900))
    ids["paused_by_seller"] = _listing(session_factory, world, "아이팟 미니 4GB",
                                       list_price=149_000, price=149_000)
    listings.change_listing_status(_uow(session_factory), listing_id=ids["paused_by_seller"],
                                   trigger=ListingTrigger.PAUSE, actor="seller:seller_a",
                                   reason="재고 확인 중")
    with _uow(session_factory) as u:
        statuses = {k: u.market.listing(v).status for k, v in ids.items()}  # type: ignore[union-attr]
    assert statuses["sent_back"] is ListingStatus.DRAFT
    assert statuses["held_listing"] is ListingStatus.HELD
    assert statuses["paused_by_tripwire"] is ListingStatus.PAUSED
    return ids


def test_each_listing_that_needs_the_seller_is_marked_with_why(
        client: TestClient, shop: dict[str, int]) -> None:
    log_in(client, "seller_a")
    korean = html.unescape(client.get("/seller?lang=ko").text)
    marks = _marks(korean)
    for code in ("held_change", "paused_by_tripwire", "held_listing", "sent_back",
                 "stale_change"):
        assert marks[shop[code]] == code, (code, marks)
    assert marks[shop["paused_by_seller"]] == ""  # their own pause needs nothing from them
    assert "—" in _row(korean, shop["paused_by_seller"])
    said = {"held_change": "가격 변경 검토 대기", "paused_by_tripwire": "주문 급증으로 자동 판매 중지",
            "held_listing": "판매 시작 검토", "sent_back": "검토자가 돌려보냄: 가격을 고쳐 주세요",
            "stale_change": "승인될 수 없는 가격 변경: 철회하거나 새 가격을 저장해 주세요"}
    for code, words in said.items():
        assert f'data-mark="{code}"' in _row(korean, shop[code])
        assert f">{words}</span>" in _row(korean, shop[code]), code
    # a change no reviewer may approve is not said to wait for review
    assert "가격 변경 검토 대기" not in _row(korean, shop["stale_change"])
    count = re.search(r'id="attention-count" data-count="(\d+)">([^<]*)<', korean)
    assert count and count.group(1) == "5"
    assert count.group(2) == "확인이 필요한 상품이 5개 있습니다. 아래 표의 맨 위에 모아 두었습니다(‘확인할 일’)."
    assert "<th>확인할 일</th>" in korean

    english = html.unescape(client.get("/seller?lang=en").text)
    assert _marks(english) == marks
    assert ">paused automatically: orders surged</span>" in _row(english,
                                                                 shop["paused_by_tripwire"])
    assert (">held change can no longer be approved: withdraw it or save a new price</span>"
            in _row(english, shop["stale_change"]))
    assert ">sent back by a reviewer: correct the price</span>" in _row(english, shop["sent_back"])
    assert ">price change waiting for review</span>" in _row(english, shop["held_change"])
    assert ("5 listings need your attention; they are at the top of the table below (see "
            "“Needs attention”)." in english)
    assert "<th>Needs attention</th>" in english


def test_a_listing_paused_for_an_incident_is_marked_and_one_listing_is_counted_as_one(
        client: TestClient, world: World) -> None:
    """Seller B's MacBook was paused by an operator for the pricing incident on it."""
    log_in(client, "seller_b")
    page = html.unescape(client.get("/seller?lang=en").text)
    assert _marks(page) == {world.macbook_b: "paused_for_incident", world.ipod_b: ""}
    # the incident is declared: its number, with a link to its page
    assert (f'<a href="/seller/incidents/{world.incident}" data-incident="{world.incident}">'
            f"paused for pricing incident #{world.incident}</a>") in _row(page, world.macbook_b)
    assert "1 listing needs your attention" in page


def test_a_seller_with_nothing_to_do_sees_no_count(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = client.get("/seller").text
    assert 'id="attention-count"' not in page and "data-attention" not in page


def test_the_list_reads_the_same_number_of_queries_however_many_listings_need_attention(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_a")
    _held_change(session_factory, world.ipod_a, 19_900)  # one listing marked already
    conn = session_factory.kw["bind"]
    with statements(conn) as before:
        assert client.get("/seller").status_code == 200
    _paused_by_the_tripwire(session_factory, world.speaker_a)
    for n in range(4):
        held = _listing(session_factory, world, f"아이팟 나노 {n}세대", list_price=199_000,
                        price=199_000)
        _promotion_ended(session_factory, _held_change(session_factory, held, 19_900))
    with statements(conn) as after:
        page = client.get("/seller").text
    assert page.count('data-mark="stale_change"') == 4
    assert len(after) == len(before), (before, after)


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_on_a_phone_the_marks_fit_and_the_marked_card_stands_out(browser, site) -> None:  # type: ignore[no-untyped-def]
    """Real Chromium at a phone's width: the list's marks wrap inside their card (the longest is
    a whole instruction) and a marked listing's card has its red edge; the count is on top."""
    from browsing import login, shot
    from world import PASSWORD

    factory = site.database.session_factory
    listing = _listing(factory, site.world, "아이팟 터치 8GB", list_price=299_000, price=299_000)
    _promotion_ended(factory, _held_change(factory, listing, 29_900))
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    assert page.locator("#attention-count").inner_text().startswith("확인이 필요한 상품이 1개")
    row = page.locator("#listings tr[data-attention='stale_change']")
    mark = row.locator("[data-mark=stale_change]")
    box = mark.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    edge = "tr => getComputedStyle(tr).borderLeftWidth"
    unmarked = page.locator(f"#listings a[href='/seller/listings/{site.world.ipod_a}']")
    assert row.evaluate(edge) == "4px"
    assert unmarked.evaluate(f"a => ({edge})(a.closest('tr'))") == "1px"
    shot(page, "seller-listings-attention-phone")
    context.close()
