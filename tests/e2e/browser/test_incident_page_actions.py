"""The incident page's decisions (TestClient, and one path in real Chromium): declaring a draft
the tripwire opened, dismissing it as a false alarm, and closing a declared incident — each
through the same services as the API and the CLI, admin only, with a reason where one is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browsing import login, shot
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import PASSWORD, World

from sagwa.domain.listings import ListingStatus
from sagwa.domain.money import Money
from sagwa.services import desk, listings
from sagwa.services.tripwire import ACTOR as TRIPWIRE
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e


def _draft(session_factory, listing_id: int) -> int:  # type: ignore[no-untyped-def]
    """What the tripwire leaves: the listing paused and a draft incident opened on it."""
    # after the world's listings were created (3 h ago); seconds kept: the page shows minutes
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2, seconds=17)
    uow = SqlAlchemyUnitOfWork(session_factory)
    with uow:
        listing = uow.market.listing(listing_id, for_update=True)
        draft_id = desk.open_draft_incident(uow, listing=listing, window_start=start,
                                            cause="주문 급증 (자동 감시)", evidence={"orders": 3},
                                            actor=TRIPWIRE)
        desk.pause_for_incident(uow, listing, draft_id, TRIPWIRE, uow.now())
        uow.commit()
    return draft_id


def _incident(session_factory, incident_id: int):  # type: ignore[no-untyped-def]
    with SqlAlchemyUnitOfWork(session_factory) as u:
        return u.incidents.get(incident_id).incident


def _listing_status(session_factory, listing_id: int) -> ListingStatus:  # type: ignore[no-untyped-def]
    with SqlAlchemyUnitOfWork(session_factory) as u:
        return u.market.listing(listing_id).status


def _post(client: TestClient, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(path.rsplit("/", 1)[0]).text)
    return client.post(path, data={**data, "csrf_token": token})


def test_a_draft_is_declared_from_its_page_with_the_drafts_values_prefilled(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    draft = _incident(session_factory, draft_id)
    log_in(client, "admin")
    assert f'href="/ops/incidents/{draft_id}#draft-decision"' in client.get("/ops/incidents").text
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert 'id="draft-wrong_price" name="wrong_price"' in page and 'value="8900"' in page
    assert f'value="{local_input(draft.window_start)}"' in page
    answer = _post(client, f"/ops/incidents/{draft_id}/declare", {
        "wrong_price": "8900", "correct_price": "89,000", "cause": "스피커 가격 입력 실수",
        "window_start": local_input(draft.window_start), "responsible": "seller"})
    assert answer.status_code == 303, answer.text
    declared = _incident(session_factory, draft_id)
    assert declared.status.value == "declared"
    assert declared.window_start == draft.window_start  # to the second, not the minute shown
    assert declared.correct_price == Money(89_000, "KRW")
    assert _listing_status(session_factory, world.speaker_a) is ListingStatus.PAUSED
    shown = client.get(f"/ops/incidents/{draft_id}").text
    assert "선언하고 해당 상품 판매를 멈췄습니다" in shown
    assert 'id="declare-draft"' not in shown and 'id="close"' in shown


def test_a_draft_declared_without_its_correct_price_comes_back_as_typed(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    answer = _post(client, f"/ops/incidents/{draft_id}/declare", {
        "wrong_price": "8900", "correct_price": "", "cause": "다시 확인 중",
        "window_start": "2026-01-01T09:00", "responsible": "both"})
    assert answer.status_code == 422
    assert "정상 가격" in answer.text and 'role="alert" id="declare-problem"' in answer.text
    assert 'value="다시 확인 중"' in answer.text and 'value="2026-01-01T09:00"' in answer.text
    assert _incident(session_factory, draft_id).status.value == "draft"


def test_a_draft_is_dismissed_with_a_reason_and_its_listing_stays_paused(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft_id}").text
    assert f"상품 {world.speaker_a}번은 판매 중지 상태로 남으니" in page
    empty = _post(client, f"/ops/incidents/{draft_id}/dismiss", {"reason": "  "})
    assert empty.status_code == 422 and "종료하는 이유를 입력해 주세요" in empty.text
    assert _incident(session_factory, draft_id).status.value == "draft"
    answer = _post(client, f"/ops/incidents/{draft_id}/dismiss",
                   {"reason": "정상 할인 행사로 주문이 몰렸음"})
    assert answer.status_code == 303, answer.text
    assert _incident(session_factory, draft_id).status.value == "closed"
    assert _listing_status(session_factory, world.speaker_a) is ListingStatus.PAUSED
    shown = client.get(f"/ops/incidents/{draft_id}").text
    assert "오탐으로 종료했습니다" in shown
    assert f"상품 {world.speaker_a}번은 판매 중지 상태 그대로" in shown
    assert 'id="dismiss"' not in shown and 'id="close"' not in shown


def test_a_stale_dismiss_never_closes_a_declared_incident(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    log_in(client, "admin")
    answer = _post(client, f"/ops/incidents/{world.incident}/dismiss", {"reason": "오탐"})
    assert answer.status_code == 303  # the page as it is now, saying why nothing happened
    said = client.get(answer.headers["location"]).text
    assert "상태라서 이 단계를 할 수 없습니다" in said
    assert "오탐으로 종료할 수 있는 것은 초안뿐입니다." in said  # and why (details["hint"])
    assert _incident(session_factory, world.incident).status.value == "notifying"


def test_closing_is_refused_with_the_services_sentence_while_customers_have_not_answered(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    log_in(client, "admin")
    assert 'id="action-close"' in client.get(f"/ops/incidents/{world.incident}").text
    empty = _post(client, f"/ops/incidents/{world.incident}/close", {"reason": ""})
    assert empty.status_code == 422 and "종료하는 이유를 입력해 주세요" in empty.text
    answer = _post(client, f"/ops/incidents/{world.incident}/close", {"reason": "끝"})
    assert answer.status_code == 409
    assert "아직 답하지 않은 고객이 있어 끝낼 수 없습니다" in answer.text
    assert 'id="close-problem"' in answer.text and 'value="끝"' in answer.text
    english = client.post(f"/ops/incidents/{world.incident}/close?lang=en",
                          data={"reason": "done", "csrf_token": csrf_of(answer.text)})
    assert "Some customers have not answered yet" in english.text
    assert _incident(session_factory, world.incident).status.value == "notifying"


def test_an_incident_with_nobody_affected_is_closed_from_its_page(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory), listing_id=world.ipod_a,
                                  new_price=Money(19_900, "KRW"), proposed_by="seller:haneul")
    uow = SqlAlchemyUnitOfWork(session_factory)
    row = desk.declare(uow, listing_ids=[world.ipod_a], wrong_price=Money(19_900, "KRW"),
                       correct_price=Money(199_000, "KRW"),
                       window_start=datetime.now(UTC) - timedelta(hours=1), cause="오입력",
                       responsible="seller", actor="admin:test")
    iid = int(row.incident.incident_id)
    desk.scope(SqlAlchemyUnitOfWork(session_factory), incident_id=iid, actor="admin:test")
    log_in(client, "admin")
    answer = _post(client, f"/ops/incidents/{iid}/close", {"reason": "주문이 한 건도 없었음"})
    assert answer.status_code == 303, answer.text
    assert _incident(session_factory, iid).status.value == "closed"
    assert "종료했습니다" in client.get(f"/ops/incidents/{iid}").text


@pytest.mark.parametrize("action", ["declare", "dismiss", "close"])
def test_only_an_admin_with_the_forms_token_may_decide(
        client: TestClient, world: World, session_factory, action: str) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    target = world.incident if action == "close" else draft_id
    log_in(client, "admin")
    no_token = client.post(f"/ops/incidents/{target}/{action}", data={"reason": "x"})
    assert no_token.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/ops/incidents").text)})
    log_in(client, "agent")
    token = csrf_of(client.get("/cs/queue").text)
    refused = client.post(f"/ops/incidents/{target}/{action}",
                          data={"reason": "x", "wrong_price": "8900", "correct_price": "89000",
                                "window_start": "2026-01-01T09:00", "csrf_token": token})
    assert refused.status_code == 403
    assert _incident(session_factory, draft_id).status.value == "draft"
    assert _incident(session_factory, world.incident).status.value == "notifying"


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_an_operator_declares_the_tripwires_draft_in_chromium(page, site) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(site.database.session_factory, site.world.speaker_a)
    login(page, "admin", PASSWORD)
    page.wait_for_url("**/ops/incidents")
    page.click(f"a[href='/ops/incidents/{draft_id}#draft-decision']")
    page.locator("#draft-decision").wait_for()
    assert page.input_value("#draft-wrong_price") == "8900"
    assert page.input_value("#draft-window_start")
    page.fill("#draft-correct_price", "89000")
    # the tripwire's words are its evidence, beside the field: the cause is the operator's
    assert page.input_value("#draft-cause") == ""
    assert "주문 급증 (자동 감시)" in page.inner_text("#draft-evidence")
    page.click("#action-declare")  # held back by the browser: the cause is required
    assert page.evaluate("document.querySelector('#draft-cause').validity.valueMissing")
    page.fill("#draft-cause", "판매자가 가격 입력 시 0을 하나 빠뜨렸습니다")
    shot(page, "incident-draft-decision")
    page.click("#action-declare")
    page.wait_for_selector(".flash")
    assert page.get_attribute("#incident-status", "data-status") == "declared"
    assert page.locator("#close").count() == 1 and page.locator("#draft-decision").count() == 0


def test_the_page_offers_only_the_steps_the_incidents_status_allows(
        client: TestClient, world: World) -> None:
    """Customers have been told (notifying): no Scope or Send button, the plan is shown but
    locked, escalation and closing are offered; the clocks read as whole minutes."""
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    assert 'id="action-escalate"' in page
    assert 'id="action-scope"' not in page and 'id="action-notify"' not in page
    assert 'id="plan-locked"' in page and "Save plan" not in page
    assert 'id="deadline" disabled' in page and "<fieldset disabled>" in page
    assert 'id="close"' in page
