"""An accessibility audit's findings that only a browser shows (WCAG 2.2 AA / KWCAG 2.2): the
focus ring on a field marked invalid, reflow at 320 CSS px, the skip link, and focus on the
answer after a customer's full-page action. The HTML side is in
``test_audit_accessibility_pages.py``."""

from __future__ import annotations

import pytest
from browsing import login, shot
from world import PASSWORD

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]

OUTLINE = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineOffset, s.outlineColor, s.borderTopColor]; }"""


def test_an_invalid_field_shows_a_distinct_focus_ring(page, site) -> None:  # type: ignore[no-untyped-def]
    """Before: ``[aria-invalid=true] { outline: 1px solid red }`` replaced the focus ring, so
    #new_price after "abc" looked the same focused or not; its red border lost to
    ``input[type=text]``."""
    login(page, "seller_a", PASSWORD)
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    page.fill("#new_price", "abc")
    page.click("#price-form button.primary")
    page.wait_for_selector("#new_price[aria-invalid=true]")
    field = page.locator("#new_price")
    field.focus()
    focused = field.evaluate(OUTLINE)
    page.locator("h1").click()  # away from the field
    unfocused = field.evaluate(OUTLINE)
    shot(page, "audit-invalid-field-unfocused")
    assert focused != unfocused
    assert focused[0] != "none" and float(focused[1].removesuffix("px")) >= 2, focused
    assert float(focused[2].removesuffix("px")) >= 1, focused  # clear of the red border
    assert unfocused[4] == "rgb(180, 35, 24)", unfocused  # the invalid cue stays, unfocused


def test_a_listing_with_price_history_reflows_at_320_px(page, site) -> None:  # type: ignore[no-untyped-def]
    """Before: the stacked "제안 시각" cell kept "2026-12-05 23:28(한국 시간)" on one line:
    the page was 356 px wide at 320."""
    listings.propose_price_change(SqlAlchemyUnitOfWork(site.database.session_factory),
                                  listing_id=site.world.ipod_a, new_price=Money(189_000, "KRW"),
                                  proposed_by="seller:haneul")
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, "seller_a", PASSWORD)
    page.goto(f"/seller/listings/{site.world.ipod_a}")
    page.locator("#changes time").first.wait_for()
    shot(page, "audit-listing-320")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width
    cell = page.locator("#changes td[data-label='제안 시각']").first
    assert "(한국 시간)" in cell.inner_text()


def test_the_skip_link_is_the_first_stop_and_shows_when_focused(page, site) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    link = page.locator("a.skip-link")
    hidden = link.bounding_box()
    assert hidden is None or hidden["y"] + hidden["height"] <= 0 or hidden["width"] <= 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    shown = link.bounding_box()
    assert shown and shown["y"] >= 0 and shown["width"] > 20 and shown["height"] > 10, shown
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_a_customers_full_page_action_puts_focus_on_its_answer(page, site) -> None:  # type: ignore[no-untyped-def]
    """Before: after "talk to a person" the flash (role=status) was on the page but focus was
    on the body."""
    page.goto(f"/c/{site.world.tokens['김민준']}")
    page.click("#choose-talk_to_person")
    page.wait_for_selector(".flash")
    shot(page, "audit-customer-flash-focused")
    assert "flash" in page.evaluate("document.activeElement.className")
    page.reload()  # nothing was done this time: no flash, nothing moved
    assert page.evaluate("document.activeElement.tagName") == "BODY"


def test_a_refused_login_opens_at_the_username(page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "admin", "wrong password")
    page.wait_for_selector("#login-problem")
    assert page.evaluate("document.activeElement.id") == "username"
    assert page.title().startswith("오류: ")
