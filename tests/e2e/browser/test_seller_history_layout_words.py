"""The seller's price history in real headless Chromium: Korean never breaks inside a word or a
number (badges and times stay on one line on a desktop), and on a 390 px phone every part of a
cell — a promotion's window, a reviewer's note — sits in the value column, not under the label."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browsing import login, shot
from world import PASSWORD

from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate, reject_price_change
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]

LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""


def _history(site) -> None:  # type: ignore[no-untyped-def]
    """On seller A's iPod: a promotion with a window, a rejected change with the reviewer's
    note, and a change still held."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(site.database.session_factory)

    now = datetime.now(UTC)
    ipod, gate = site.world.ipod_a, guard_gate(load_rules())
    listings.propose_price_change(uow(), listing_id=ipod, new_price=Money(179_100, "KRW"),
                                  proposed_by="seller:seller_a",
                                  promotion=Promotion(10, now - timedelta(hours=1),
                                                      now + timedelta(days=20)))
    held = listings.propose_price_change(uow(), listing_id=ipod, new_price=Money(17_910, "KRW"),
                                         proposed_by="seller:seller_a", gate=gate)
    reject_price_change(uow(), change_id=held.id, reviewer="reviewer:reviewer",
                        reason="할인율을 거꾸로 입력한 것 같습니다. 가격을 다시 확인해 주세요.")
    listings.propose_price_change(uow(), listing_id=ipod, new_price=Money(17_900, "KRW"),
                                  proposed_by="seller:seller_a", gate=gate)


def test_badges_and_times_stay_on_one_line_on_a_desktop(browser, site) -> None:  # type: ignore[no-untyped-def]
    _history(site)
    context = browser.new_context(base_url=site.base_url, viewport={"width": 1280, "height": 900},
                                  locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    badges = page.locator("#changes .badge")
    assert badges.count() == 3
    for i in range(3):
        assert badges.nth(i).evaluate(LINES) == 1, badges.nth(i).inner_text()  # not 보/류
    times = page.locator("#changes time")
    for i in range(times.count()):
        assert times.nth(i).evaluate(LINES) == 1, times.nth(i).inner_text()  # not 2026-/12-02
    assert page.locator("#changes td").first.evaluate(
        "td => getComputedStyle(td).overflowWrap") == "break-word"
    shot(page, "seller-history-desktop")
    context.close()


def test_on_a_phone_every_part_of_a_cell_sits_in_the_value_column(browser, site) -> None:  # type: ignore[no-untyped-def]
    _history(site)
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    value_x = page.locator("#changes tbody tr").first.locator("td").first.locator(
        "time").bounding_box()["x"]
    window = page.locator("#changes [data-promotion-window]").first
    note = page.locator("#changes td.reasons strong").first
    for part in (window, note):
        box = part.bounding_box()
        assert box is not None and box["x"] >= value_x - 1, part.inner_text()
        assert box["x"] + box["width"] <= 390
    assert value_x > 90  # right of the labels
    for badge in page.locator("#changes .badge").all():
        assert badge.evaluate(LINES) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "seller-history-phone")
    context.close()
