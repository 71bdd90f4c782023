"""A reviewer's decision on a listing's latest price change reaches the seller's list of listings
(TestClient): a rejection is marked as needing them, with the reviewer's reason and a link to
the change in the listing's history, until they save another price (or a week has passed); an
approval of a held change is said for their information, neither marked nor counted."""

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
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import listings, price_review
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())
WHY = "0이 하나 더 붙었습니다. 다시 입력해 주세요"


def _propose(session_factory: sessionmaker[Session], listing_id: int, price: int) -> int:
    change = listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                           listing_id=listing_id, new_price=Money(price, "KRW"),
                                           proposed_by="seller:seller_a", gate=GATE)
    return change.id


def _rejected(session_factory: sessionmaker[Session], listing_id: int) -> int:
    """Seller A proposes 960,000 for the 199,000 iPod (a zero too many); a reviewer rejects it."""
    change = listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                           listing_id=listing_id,
                                           new_price=Money(960_000, "KRW"),
                                           proposed_by="seller:seller_a", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    price_review.reject_price_change(SqlAlchemyUnitOfWork(session_factory), change_id=change.id,
                                     reviewer="reviewer:reviewer", reason=WHY)
    return change.id


def _row(page: str, listing_id: int) -> str:
    found = re.search(rf'<tr[^>]*><td[^>]*><a href="/seller/listings/{listing_id}">.*?</tr>',
                      page, re.DOTALL)
    assert found, f"no row for listing {listing_id}"
    return found.group(0)


def _count(page: str) -> int:
    found = re.search(r'id="attention-count" data-count="(\d+)"', page)
    return int(found.group(1)) if found else 0


def test_a_rejected_change_is_marked_with_the_reviewers_reason_until_a_new_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    change = _rejected(session_factory, world.ipod_a)
    log_in(client, "seller_a")
    korean = html.unescape(client.get("/seller?lang=ko").text)
    row = _row(korean, world.ipod_a)
    assert '<tr data-attention="rejected_change">' in row
    assert ('data-mark="rejected_change">검토자가 가격 변경을 거절함: 사유를 확인해 주세요</span>'
            in row)
    assert f'data-decision="rejected" data-change="{change}"' in row
    assert "199,000원 → 960,000원" in row
    assert f"<strong>검토 의견:</strong> <span class=\"keep-lines\" data-decision-reason>{WHY}" in row
    assert f'href="/seller/listings/{world.ipod_a}#change-{change}"' in row
    assert "새 가격을 저장하거나 7일이 지나면 이 표시는 사라집니다" in row
    assert _count(korean) == 1 and "—" not in row
    # the link lands on the change in the listing's history
    assert f'id="change-{change}"' in client.get(f"/seller/listings/{world.ipod_a}").text

    english = html.unescape(client.get("/seller?lang=en").text)
    row = _row(english, world.ipod_a)
    assert ">a reviewer rejected the price change: see why</span>" in row
    assert "<strong>Reviewer:</strong>" in row and "See it in the price changes" in row
    assert "1 listing needs your attention" in english

    _propose(session_factory, world.ipod_a, 189_000)  # the seller's answer: a new price
    after = html.unescape(client.get("/seller").text)
    assert "data-attention" not in _row(after, world.ipod_a)
    assert "data-decision" not in _row(after, world.ipod_a) and _count(after) == 0


def test_a_rejection_older_than_a_week_is_no_longer_marked(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    change = _rejected(session_factory, world.ipod_a)
    log_in(client, "seller_a")
    assert "rejected_change" in _row(client.get("/seller").text, world.ipod_a)
    with session_factory() as session:
        session.execute(update(price_changes).where(price_changes.c.id == change).values(
            decided_at=datetime.now(UTC) - timedelta(days=8)))
        session.commit()
    row = _row(html.unescape(client.get("/seller").text), world.ipod_a)
    assert "rejected_change" not in row and "data-decision" not in row and "—" in row


def test_a_held_change_approved_is_said_for_information_and_not_counted(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    held = _propose(session_factory, world.ipod_a, 19_900)  # a tenth of 199,000: held
    price_review.approve_price_change(SqlAlchemyUnitOfWork(session_factory), change_id=held,
                                      reviewer="reviewer:reviewer",
                                      reason="판매자와 통화해 재고 정리 행사임을 확인함")
    log_in(client, "seller_a")
    page = html.unescape(client.get("/seller?lang=en").text)
    row = _row(page, world.ipod_a)
    assert "data-attention" not in row and 'id="attention-count"' not in page
    assert ('data-note="approved_change">held price change approved by a reviewer</span>'
            in row)
    assert "199,000 KRW → 19,900 KRW" in row
    assert "판매자와 통화해 재고 정리 행사임을 확인함" in row
    assert "save a new price" not in row  # nothing asked of them


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_on_a_phone_the_rejection_and_its_reason_fit_the_card(browser, site) -> None:  # type: ignore[no-untyped-def]
    from browsing import login, shot
    from world import PASSWORD

    change = _rejected(site.database.session_factory, site.world.ipod_a)
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    assert page.locator("#attention-count").inner_text().startswith("확인이 필요한 상품이 1개")
    row = page.locator("#listings tr[data-attention='rejected_change']")
    assert WHY in row.locator("[data-decision-reason]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "seller-listings-rejected-change-phone")
    row.locator(f"a[href$='#change-{change}']").click()
    page.wait_for_url(f"**/seller/listings/{site.world.ipod_a}#change-{change}")
    assert page.locator(f"#change-{change}").is_visible()
    context.close()
