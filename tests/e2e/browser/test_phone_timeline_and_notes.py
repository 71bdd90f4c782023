"""In real headless Chromium: a reviewer's note typed on several lines keeps its lines on the
seller's page, and on a 390 px phone the incident timeline fits its box (its subject and detail
wrap; times, names and numbers stay whole) instead of clipping its last column."""

from __future__ import annotations

import pytest
from browsing import login, shot
from world import PASSWORD

from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate, reject_price_change
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]

LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""


def test_a_reviewers_note_on_two_lines_keeps_them(browser, site) -> None:  # type: ignore[no-untyped-def]
    uow = SqlAlchemyUnitOfWork(site.database.session_factory)
    held = listings.propose_price_change(uow, listing_id=site.world.ipod_a,
                                         new_price=Money(17_910, "KRW"),
                                         proposed_by="seller:seller_a",
                                         gate=guard_gate(load_rules()))
    reject_price_change(SqlAlchemyUnitOfWork(site.database.session_factory), change_id=held.id,
                        reviewer="reviewer:reviewer",
                        reason="할인율을 거꾸로 입력했습니다.\n가격을 다시 확인해 주세요.")
    context = browser.new_context(base_url=site.base_url, viewport={"width": 1280, "height": 900},
                                  locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    note = page.locator("#changes .keep-lines").first
    assert note.inner_text() == "할인율을 거꾸로 입력했습니다.\n가격을 다시 확인해 주세요."
    assert note.evaluate(LINES) == 2
    context.close()


def test_the_incident_timeline_fits_a_phone(browser, site) -> None:  # type: ignore[no-untyped-def]
    for lang in ("ko", "en"):
        context = browser.new_context(base_url=site.base_url,
                                      viewport={"width": 390, "height": 844}, locale="ko-KR",
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        login(page, "admin", PASSWORD)
        page.wait_for_url("**/ops/incidents")
        page.goto(f"/ops/incidents/{site.world.incident}?lang={lang}")
        timeline = page.locator("#timeline")
        timeline.locator("tbody tr").first.wait_for()
        fits = timeline.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
        shot(page, f"incident-timeline-phone-{lang}")
        assert fits, timeline.evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
        for cell in ("td:first-child time", "td:nth-child(2)"):  # times and names stay whole
            first = timeline.locator(f"tbody tr >> nth=0 >> {cell}")
            assert first.evaluate(LINES) == 1, first.inner_text()
        # a walkthrough's finding: five columns in 390 px broke subjects two or three letters
        # a line ("lis/ti/n/g/#/4/0/2"); as a card per entry, a subject reads on one line and
        # a cell's value column is most of the screen
        rows = timeline.locator("tbody tr")
        for i in range(min(rows.count(), 6)):
            subject = rows.nth(i).locator("td:nth-child(4)")
            if subject.inner_text().strip():
                assert subject.evaluate(LINES) == 1, subject.inner_text()
        width = rows.first.locator("td:nth-child(5)").evaluate(
            "td => td.clientWidth - parseFloat(getComputedStyle(td).paddingLeft)")
        assert width > 200, width
        label = rows.first.locator("td:nth-child(4)").evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert label.strip('"') in ("대상", "Subject"), label
        context.close()
