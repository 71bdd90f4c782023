"""The main paths in real headless Chromium against a real uvicorn server.

Each test saves a screenshot into ``test-artifacts/``.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from browsing import login, shot
from sqlalchemy import select
from world import PASSWORD

from sagwa.adapters.db.tables import audit_log, case_orders, cases, orders, outbox
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]


def _uow(site):  # type: ignore[no-untyped-def]
    return SqlAlchemyUnitOfWork(site.database.session_factory)


def test_a_sellers_90_percent_cut_is_held_with_its_reason_shown(page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "seller_a", PASSWORD)
    page.wait_for_url("**/seller")
    page.click(f"a[href='/seller/listings/{site.world.ipod_a}']")
    page.fill("#new_price", "19900")
    page.press("#new_price", "End")
    verdict = page.locator("[data-verdict=hold]")
    verdict.wait_for()
    assert verdict.locator(".reason").inner_text().strip()
    shot(page, "seller-verdict-before-saving")
    page.click("button[type=submit].primary")
    flash = page.locator(".flash.warn")
    flash.wait_for()
    assert "검토 대기" in flash.inner_text() and "Held" not in flash.inner_text()  # one language
    row = page.locator("#changes tbody tr").first
    assert "보류" in row.inner_text() and "held" not in row.inner_text()  # a label, not the code
    assert row.locator("td.small").inner_text().strip()  # the guard's reason
    assert "199,000" in page.locator("#live-price").inner_text()
    shot(page, "seller-change-held")


def test_a_reviewer_rejects_a_held_change_with_a_reason(page, site) -> None:  # type: ignore[no-untyped-def]
    change = listings.propose_price_change(
        _uow(site), listing_id=site.world.ipod_a, new_price=Money(19_900, "KRW"),
        proposed_by="seller:seller_a", gate=guard_gate(load_rules()))
    assert change.status.value == "held"
    login(page, "reviewer", PASSWORD)
    page.wait_for_url("**/ops/review")
    card = page.locator(f"#change-{change.id}")
    assert card.locator("svg.spark").count() == 1
    assert "195,000" in card.inner_text()  # the other seller's price is part of the evidence
    card.locator("[name=reason]").fill("정가의 10%입니다. 할인율을 가격으로 입력한 것 같습니다.")
    shot(page, "review-queue")
    card.locator("button.danger").click()
    page.wait_for_selector(".flash")
    assert page.locator(f"#change-{change.id}").count() == 0
    shot(page, "review-rejected")
    with _uow(site) as u:
        actions = u.conn.execute(select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.action == "price_change.rejected")).all()
    assert actions == [("price_change.rejected", "reviewer:reviewer")]


def test_an_operator_declares_an_incident_and_publishes_a_checked_notice(page, site) -> None:  # type: ignore[no-untyped-def]
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/ops/incidents")
    page.fill("#listing_ids", str(site.world.speaker_a))
    page.fill("#wrong_price", "8900")
    page.fill("#correct_price", "89000")
    page.fill("#cause", "스피커 가격 89,000원을 8,900원으로 잘못 입력")
    with _uow(site) as u:  # the window opens the minute after the listing was created
        created = u.market.listing_created_at(site.world.speaker_a)
    started = created.astimezone(SEOUL).replace(second=0, microsecond=0) + timedelta(minutes=1)
    page.fill("#window_start", started.strftime("%Y-%m-%dT%H:%M"))
    page.click("#declare button[type=submit]")
    page.wait_for_url("**/ops/incidents/*")
    page.click("#action-scope")
    page.wait_for_selector(".flash")
    assert "Alex Kim" in page.locator("#cases").inner_text()  # the two customers' orders
    page.locator("#notice-title").wait_for()  # the editor arrives as an htmx fragment
    page.locator("#timeline").wait_for()
    good_title = page.input_value("#notice-title")
    good_body = page.input_value("#notice-body")
    page.fill("#notice-title", "가격 변경 안내")
    page.fill("#notice-body", "가격이 변경되었습니다. 주문은 모두 취소 처리됩니다.")
    page.press("#notice-body", "End")
    page.locator("[data-code=missing-apology]").wait_for()
    assert page.is_disabled("#publish")
    shot(page, "incident-notice-flagged")
    page.fill("#notice-title", good_title)
    page.fill("#notice-body", good_body)
    page.press("#notice-body", "End")
    page.locator("#findings [data-ok=true]").first.wait_for()
    assert page.is_enabled("#publish")
    page.click("#publish")
    page.wait_for_selector(".flash")
    shot(page, "incident-page")
    page.goto("/notices")
    assert good_title in page.locator("article.notice").first.inner_text()
    shot(page, "notices-board")


def test_a_customer_opens_their_link_and_cancels_with_compensation(browser, site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR")
    page = context.new_page()
    page.goto(f"/c/{site.world.tokens['김민준']}")
    assert "사과드립니다" in page.locator("h1").inner_text()
    shot(page, "customer-case-phone")
    page.click("#choose-cancel_with_compensation")
    step = page.locator("#confirm-step")
    step.wait_for()  # a second step that says what will happen; nothing has changed yet
    assert "159,000원" in step.inner_text() and "10,000포인트" in step.inner_text()
    assert _case_state(site, "김민준") == ("notified", None, {"placed"})
    shot(page, "customer-confirm-cancel-phone")
    page.click("#confirm-choice")
    page.locator("#confirmation").wait_for()
    assert "취소" in page.locator("#confirmation").inner_text()
    assert page.locator(".flash").inner_text().startswith("선택이 접수되었습니다")
    shot(page, "customer-confirmed-phone")
    context.close()
    assert _case_state(site, "김민준") == ("resolved", "cancel_with_compensation",
                                          {"cancelled"})
    with _uow(site) as u:
        purposes = u.conn.execute(select(outbox.c.purpose).where(
            outbox.c.case_id == site.world.cases["김민준"])).scalars().all()
    assert "confirmation" in purposes


def _case_state(site, name: str) -> tuple[str, str | None, set[str]]:  # type: ignore[no-untyped-def]
    """The case's status and choice, and the statuses of its orders."""
    case_id = site.world.cases[name]
    with _uow(site) as u:
        status, choice = u.conn.execute(select(cases.c.status, cases.c.choice).where(
            cases.c.id == case_id)).one()
        order_states = set(u.conn.execute(select(orders.c.status).join(
            case_orders, case_orders.c.order_id == orders.c.id).where(
            case_orders.c.case_id == case_id)).scalars())
    return status, choice, order_states


def test_a_customer_who_steps_back_from_the_confirmation_keeps_their_order(browser, site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=site.base_url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, locale="ko-KR", java_script_enabled=False)
    page = context.new_page()  # no JavaScript: the confirmation is a plain form
    page.goto(f"/c/{site.world.tokens['김민준']}")
    page.click("#choose-cancel_with_compensation")
    page.locator("#confirm-step").wait_for()
    page.click("#back-to-options")
    page.locator("#choose-keep").wait_for()
    shot(page, "customer-stepped-back-phone")
    context.close()
    assert _case_state(site, "김민준") == ("notified", None, {"placed"})


def test_an_agent_logs_a_call_and_records_the_choice_in_the_customers_words(page, site) -> None:  # type: ignore[no-untyped-def]
    case_id = site.world.cases["이서연"]
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    card = page.locator(f"#case-{case_id}")
    assert "사과드립니다" in card.locator(".script").inner_text()
    card.locator("select[name=outcome]").select_option("reached")
    card.locator("input[name=note]").fill("통화 완료, 취소 원함")
    card.locator("form[action$='/attempt'] button").click()
    page.wait_for_selector(".flash")
    assert "통화 연결" in page.locator(f"#case-{case_id} .attempts").inner_text()
    assert "reached" not in page.locator(".flash").inner_text()
    shot(page, "call-queue-attempt-logged")
    card = page.locator(f"#case-{case_id}")
    card.locator("select[name=choice]").select_option("cancel_with_compensation")
    card.locator("input[name=words]").fill("그냥 취소해 주시고 포인트로 받을게요.")
    card.locator("form[action$='/choice'] button").click()
    page.wait_for_selector("#confirm-choice-step [data-read-back]")  # read back, then confirm
    page.click("#confirm-choice")
    page.wait_for_selector(".flash")
    assert page.locator(f"#case-{case_id}").count() == 0
    shot(page, "call-queue-choice-recorded")
