"""The pages read naturally in one language at a time, in real headless Chromium: labels instead
of stored codes, flashes in the page's language, refused forms that keep what was typed, and the
seller's tables on a 390 px phone. Each test saves a screenshot into ``test-artifacts/``."""

from __future__ import annotations

import pytest
from browsing import login, shot
from world import PASSWORD

from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]
RAW_CODES = ("notifying", "notified", "escalated", "talk_to_person", "both")


def _hold_a_change(site):  # type: ignore[no-untyped-def]
    return listings.propose_price_change(
        SqlAlchemyUnitOfWork(site.database.session_factory), listing_id=site.world.ipod_a,
        new_price=Money(19_900, "KRW"), proposed_by="seller:seller_a",
        gate=guard_gate(load_rules()))


def test_an_incident_page_shows_labels_in_korean_then_in_english(page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/ops/incidents")
    assert "고객 안내 중" in page.locator("#incidents").inner_text()
    page.goto(f"/ops/incidents/{site.world.incident}")
    assert page.locator("#incident-status").inner_text() == "고객 안내 중"
    cases = page.locator("#cases").inner_text()
    assert "안내 발송" in cases and "상담 대기" in cases and "상담원과 통화" in cases
    assert "판매자와 플랫폼" in page.locator("main").inner_text()  # who is responsible
    assert "주문 유지" in page.locator("#plan fieldset").inner_text()
    page.locator("#timeline tr[data-action='incident.declared']").wait_for()
    timeline = page.locator("#timeline").inner_text()
    assert "사고 선언" in timeline and "None" not in timeline
    visible = page.locator("main").inner_text()
    assert not [code for code in RAW_CODES if code in visible.split()]
    shot(page, "incident-labels-ko")
    page.click("#switch-lang")
    page.wait_for_url("**lang=en")
    assert page.locator("#incident-status").inner_text() == "notifying customers"
    assert "talk to a person" in page.locator("#cases").inner_text()
    page.locator("#timeline tr[data-action='incident.declared']").wait_for()
    assert "incident declared" in page.locator("#timeline").inner_text()
    shot(page, "incident-labels-en")


def test_a_reviewer_working_in_english_gets_the_flash_in_english_only(page, site) -> None:  # type: ignore[no-untyped-def]
    change = _hold_a_change(site)
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    page.goto("/ops/review?lang=en")
    card = page.locator(f"#change-{change.id}")
    assert "dropped zero or slipped decimal point" in card.inner_text()  # not "decimal_slip"
    card.locator("button.danger").click()  # no reason: refused next to the card
    problem = page.locator(f"#problem-{change.id}")
    problem.wait_for()
    assert problem.inner_text() == "A rejection needs a reason the seller can read."
    card.locator("[name=reason]").fill("That is the discount, not the price.")
    card.locator("button.danger").click()
    flash = page.locator(".flash")
    flash.wait_for()
    assert flash.inner_text() == f"#{change.id} rejected: the live price never moved."
    shot(page, "review-flash-en")


def test_a_refused_promotion_keeps_what_the_seller_typed(page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    page.fill("#new_price", "179000")
    page.click("#price-form summary")
    page.fill("#promotion_pct", "10")
    page.fill("#promotion_starts", "2030-06-20T10:00")
    page.fill("#promotion_ends", "2030-06-10T10:00")
    with page.expect_response(lambda r: r.url.endswith("/price")) as answer:
        page.click("#price-form button[type=submit]")
    assert answer.value.status == 422  # the same form again, not a separate error page
    problem = page.locator("#problem")
    problem.wait_for()
    assert "시작한 뒤에 끝나야" in problem.inner_text()
    assert "promotion" not in problem.inner_text()
    assert page.input_value("#new_price") == "179000"
    assert page.input_value("#promotion_pct") == "10"
    assert page.input_value("#promotion_ends") == "2030-06-10T10:00"
    assert page.get_attribute("#promotion_ends", "aria-invalid") == "true"
    assert page.locator("#price-form details").get_attribute("open") is not None
    assert "199,000" in page.locator("#live-price").inner_text()  # nothing was saved
    shot(page, "seller-promotion-refused")


def test_on_a_phone_the_sellers_changes_read_as_labelled_rows(browser, site) -> None:  # type: ignore[no-untyped-def]
    _hold_a_change(site)
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    reasons = page.locator("#changes tbody tr").first.locator("td.reasons")
    box = reasons.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] > 300  # a full-width labelled row, not a squeezed column
    label = reasons.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"사유"'
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "seller-listing-phone")
    page.goto("/seller")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "판매 중" in page.locator("#listings").inner_text()
    shot(page, "seller-listings-phone")
    context.close()


def test_korean_text_breaks_between_words_on_a_phone(browser, site) -> None:  # type: ignore[no-untyped-def]
    """Korean wraps at word (eojeol) boundaries, never inside "할인된"; English is left alone."""
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    page.goto(f"/c/{site.world.tokens['김민준']}")
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"/c/{site.world.tokens['김민준']}?lang=en")
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "normal"
    context.close()
