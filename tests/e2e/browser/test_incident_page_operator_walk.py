"""What an operator walking an incident on its page found (TestClient): the apology preview
telling when the messages go while the contact centre is open, a refused plan marking every
field it names, a refused form's answer served at the incident's own address (a reload posts
nothing), the scope and escalate steps said in English with the right number, a notice without
a title held back in the editor, closing refused for cases still open said as they are, an
unknown listing marked on the declare form, and a notice another operator published since the
editor was opened never replaced unseen."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from speaker_plan import planned_speaker
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_actions import _draft
from world import POLICY, World

from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services import desk, desk_cases
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e

#: The demo's policy: the contact centre open every hour of every day.
ALWAYS_OPEN = Path(__file__).resolve().parents[3] / "docs" / "demo-desk.toml"


def _flash(page: str) -> str:
    found = re.search(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.DOTALL)
    return unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "보내면 바로 나갑니다."), ("en", "They go out as soon as they are sent.")])
def test_the_preview_says_the_apologies_go_at_once_while_the_centre_is_open(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str, said: str) -> None:
    """Before: "They go out from <this very minute> (only in contact hours)": the time the
    preview was made was held against a moment read just before it."""
    client.app.state.desk_policy = load_desk_policy(ALWAYS_OPEN)  # type: ignore[attr-defined]
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = unescape(client.get(f"/ops/incidents/{incident}?lang={lang}").text)
    sent_at = re.search(r'<p class="small" id="apology-send-at"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert sent_at and sent_at.group(1) == said


def test_the_preview_still_says_when_the_apologies_wait_for_opening_hours(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """The same page with the centre closed today and the next two days (Korea time)."""
    policy = load_desk_policy(ALWAYS_OPEN)
    today = datetime.now(UTC).date()
    closed = frozenset(today + timedelta(days=d) for d in range(-1, 4))
    client.app.state.desk_policy = replace(  # type: ignore[attr-defined]
        policy, schedule=replace(policy.schedule, closed_dates=closed))
    incident = planned_speaker(session_factory, world)
    log_in(client, "admin")
    page = unescape(client.get(f"/ops/incidents/{incident}").text)
    sent_at = re.search(r'<p class="small" id="apology-send-at"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert sent_at and "부터 나갑니다(고객센터 운영 시간에만 보냅니다)." in sent_at.group(1)


def _scoped_speaker(session_factory: sessionmaker[Session], world: World, *,
                    since_minutes: int = 180) -> int:
    """Seller A's speaker declared at its wrong price from ``since_minutes`` ago and scoped."""
    uow = SqlAlchemyUnitOfWork(session_factory)
    row = desk.declare(uow, listing_ids=[world.speaker_a], wrong_price=Money(8_900, "KRW"),
                       correct_price=Money(89_000, "KRW"), cause="스피커 가격 오입력",
                       window_start=datetime.now(UTC) - timedelta(minutes=since_minutes),
                       responsible="seller", actor="admin:test")
    incident = int(row.incident.incident_id)
    desk.scope(SqlAlchemyUnitOfWork(session_factory), incident_id=incident, actor="admin:test")
    return incident


def _invalid_fields(page: str) -> list[str]:
    return re.findall(r'<(?:input|select) id="([^"]+)"[^>]*aria-invalid="true"', page)


def test_a_plan_refused_for_two_fields_marks_both_and_focuses_the_first(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: both shares were said wrong above the form, only the seller's was marked."""
    incident = _scoped_speaker(session_factory, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    deadline = local_input(closing_time_after(datetime.now(UTC) + timedelta(days=7)))
    answer = client.post(f"/ops/incidents/{incident}/plan", data={
        "options": ["keep", "cancel_with_compensation"], "deadline": deadline,
        "default": "keep", "cancel_compensation": "5000", "seller_share_pct": "120",
        "platform_share_pct": "-20", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    text = unescape(answer.text)
    assert "판매자 부담은 0에서 100 사이" in text and "플랫폼 부담은 0에서 100 사이" in text
    assert _invalid_fields(text) == ["seller_share_pct", "platform_share_pct"]
    for name in ("seller_share_pct", "platform_share_pct"):
        field = re.search(rf'<input id="{name}"[^>]*>', text)
        assert field and 'aria-describedby="plan-problem"' in field.group(0)
    assert text.count("autofocus") == 1
    assert re.search(r'<input id="seller_share_pct"[^>]*autofocus', text)


def test_a_refused_declaration_of_a_draft_stands_at_the_incidents_address(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: served at …/declare, so a reload asked to send the form again."""
    draft = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft}").text
    answer = client.post(f"/ops/incidents/{draft}/declare", data={
        "wrong_price": "8900", "correct_price": "89000", "cause": "",
        "window_start": "2026-01-01T09:00", "responsible": "seller", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert f'<meta name="sagwa-address" content="/ops/incidents/{draft}">' in answer.text


@pytest.mark.parametrize("action", ["dismiss", "close"])
def test_a_refused_dismissal_or_closing_stands_at_the_incidents_address(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        action: str) -> None:
    target = _draft(session_factory, world.speaker_a) if action == "dismiss" else world.incident
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{target}").text
    answer = client.post(f"/ops/incidents/{target}/{action}",
                         data={"reason": " ", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert f'<meta name="sagwa-address" content="/ops/incidents/{target}">' in answer.text


def test_scoping_says_one_case_and_one_order_in_english_and_nothing_new_the_second_time(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: "Scoped: 1 new cases, 1 orders.", and a second press (a double click) said
    "Scoped: 0 new cases, 0 orders." beside the cases it had found the first time."""
    # the world's speaker orders were placed 2h55, 2h50 and 2h45 ago: only the last is in
    uow = SqlAlchemyUnitOfWork(session_factory)
    row = desk.declare(uow, listing_ids=[world.speaker_a], wrong_price=Money(8_900, "KRW"),
                       correct_price=Money(89_000, "KRW"), cause="스피커 가격 오입력",
                       window_start=datetime.now(UTC) - timedelta(minutes=167),
                       responsible="seller", actor="admin:test")
    incident = int(row.incident.incident_id)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}?lang=en").text
    first = client.post(f"/ops/incidents/{incident}/scope", data={"csrf_token": csrf_of(page)})
    assert first.status_code == 303
    assert _flash(client.get(first.headers["location"]).text) == "Scoped: 1 new case, 1 order."
    again = client.post(f"/ops/incidents/{incident}/scope", data={"csrf_token": csrf_of(page)})
    shown = _flash(client.get(again.headers["location"]).text)
    assert shown == ("Scoped again: no new orders at the wrong price; the 1 case already "
                     "found stands.")
    korean = client.post(f"/ops/incidents/{incident}/scope?lang=ko",
                         data={"csrf_token": csrf_of(page)})
    assert _flash(client.get(f"{korean.headers['location']}?lang=ko").text) == (
        "범위 다시 확인: 잘못된 가격으로 새로 들어온 주문이 없습니다. 이미 찾은 고객 1명은 그대로입니다.")


def test_escalating_one_customer_says_one_case_in_english(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: "1 cases put on the call list." (the world's incident: 이서연 asked for a
    person; 김민준 keeps his order here, so Alex Kim alone has not answered)."""
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory),
                             case_id=world.cases["김민준"], choice="keep", channel="web",
                             evidence="web case page: keep", taken_by="customer", policy=POLICY)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    answer = client.post(f"/ops/incidents/{world.incident}/escalate",
                         data={"csrf_token": csrf_of(page)})
    assert _flash(client.get(answer.headers["location"]).text) == "1 case put on the call list."


def test_a_notice_without_a_title_cannot_be_published_from_the_editor(
        client: TestClient, world: World) -> None:
    """Before: the live check said "passes" and enabled Publish; the server then refused it
    ("Enter both a title and a body")."""
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor").text
    title = re.search(r'<input id="notice-title"[^>]*>', editor)
    body = re.search(r'<textarea id="notice-body"[^>]*>', editor)
    assert title and " required" in title.group(0) and body and " required" in body.group(0)
    draft = unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', editor, re.DOTALL).group(1))  # type: ignore[union-attr]
    answer = client.post(f"/ops/incidents/{world.incident}/notice/check?lang=en",
                         data={"title": " ", "body": draft, "lang": "ko"},
                         headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(editor)})
    assert answer.status_code == 200
    publish = re.search(r'<button id="publish"[^>]*>', answer.text)
    assert publish and "disabled" in publish.group(0)
    assert "Give the notice a title to publish it." in unescape(answer.text)


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "상담 대기열에서 상담원을 기다리는 고객 1명의 건이 아직 끝나지 않아 종료할 수 없습니다."),
    ("en", "It cannot be closed yet: 1 customer on the call list is waiting for an agent.")])
def test_closing_refused_for_a_customer_waiting_for_an_agent_does_not_say_nobody_answered(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str, said: str) -> None:
    """Before: "Some customers have not answered yet", when everyone had: one asked to talk
    to a person and waits on the call list."""
    for name in ("김민준", "Alex Kim"):
        desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=world.cases[name],
                                 choice="keep", channel="web", evidence="web case page: keep",
                                 taken_by="customer", policy=POLICY)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    answer = client.post(f"/ops/incidents/{world.incident}/close?lang={lang}",
                         data={"reason": "끝", "csrf_token": csrf_of(page)})
    assert answer.status_code == 409
    problem = re.search(r'id="close-problem"[^>]*>(.*?)</p>', answer.text, re.DOTALL)
    assert problem and unescape(problem.group(1)).startswith(said)
    assert "not answered" not in problem.group(1) and "답하지 않은" not in problem.group(1)


def test_closing_refused_counts_both_kinds_of_open_case_for_the_api_and_the_cli_too(
        world: World, session_factory: sessionmaker[Session]) -> None:
    """The service's own refusal (the API's and the CLI's words) said "3 cases have not been
    answered" when one of the three had: they asked to talk to a person."""
    def refusal() -> Conflict:
        with pytest.raises(Conflict) as refused:
            desk.close(SqlAlchemyUnitOfWork(session_factory), incident_id=world.incident,
                       actor="admin:test", reason="끝")
        assert refused.value.details["reason"] == "unanswered_cases"
        return refused.value

    both = refusal()
    assert (both.details["waiting_for_answer"], both.details["waiting_for_agent"]) == (2, 1)
    assert both.message == ("2 cases have not been answered or defaulted yet, and 1 customer "
                            "is on the call list, waiting for an agent")
    for name in ("김민준", "Alex Kim"):
        desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=world.cases[name],
                                 choice="keep", channel="web", evidence="web case page: keep",
                                 taken_by="customer", policy=POLICY)
    calls = refusal()
    assert (calls.details["waiting_for_answer"], calls.details["waiting_for_agent"]) == (0, 1)
    assert calls.message.startswith("1 customer is on the call list, waiting for an agent: ")
    assert "not been answered" not in calls.message


def test_closing_refused_while_customers_are_to_answer_counts_them(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    answer = client.post(f"/ops/incidents/{world.incident}/close",
                         data={"reason": "끝", "csrf_token": csrf_of(page)})
    problem = re.search(r'id="close-problem"[^>]*>(.*?)</p>', answer.text, re.DOTALL)
    assert problem and unescape(problem.group(1)) == (
        "아직 답하지 않은 고객이 있어 끝낼 수 없습니다. 답을 기다리는 고객 2명, 상담 대기열에서 상담원을 "
        "기다리는 고객 1명입니다.")


def test_declaring_an_unknown_listing_marks_the_listing_field(
        client: TestClient, world: World) -> None:
    """Before: "찾을 수 없는 상품입니다 (#999999)." above the form, no field marked."""
    log_in(client, "admin")
    page = client.get("/ops/incidents").text
    answer = client.post("/ops/incidents", data={
        "listing_ids": "999999", "wrong_price": "8900", "correct_price": "89000",
        "window_start": local_input(datetime.now(UTC) - timedelta(hours=1)), "cause": "입력 실수",
        "responsible": "seller", "csrf_token": csrf_of(page)})
    assert answer.status_code == 404
    field = re.search(r'<input id="listing_ids"[^>]*>', answer.text)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="problem"' in field.group(0)
    assert 'value="999999"' in field.group(0)


def test_a_refused_english_notice_stands_at_the_english_editors_address(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}?notice_lang=en").text
    answer = client.post(f"/ops/incidents/{world.incident}/notice", data={
        "title": "Price change", "body": "All orders are cancelled.", "lang": "en",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert (f'<meta name="sagwa-address" content="/ops/incidents/{world.incident}'
            '?notice_lang=en">') in answer.text


def _editor_form(html: str) -> dict[str, str]:
    """The notice editor's fields as the page drew them."""
    form = re.search(r'<form class="card" method="post" action="[^"]*/notice" id="notice-editor">'
                     r'(.*?)</form>', html, re.DOTALL)
    assert form, "no notice editor"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(1)))
    title = re.search(r'<input id="notice-title"[^>]*value="([^"]*)"', form.group(1))
    body = re.search(r'<textarea[^>]*>(.*?)</textarea>', form.group(1), re.DOTALL)
    assert title and body
    return {**fields, "title": unescape(title.group(1)), "body": unescape(body.group(1))}


def test_a_notice_published_by_another_operator_is_not_replaced_unseen(
        client: TestClient, world: World) -> None:
    """Two operators, two tabs: A publishes; B, whose editor was opened before, publishes
    other text. Before: B's text became the notice (version 2), A's paragraph gone, and B
    never told. Now B is refused, keeps what they typed, and may publish it once they have
    looked (the form is opened against A's version from then on)."""
    log_in(client, "admin")
    tab_b = _editor_form(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    tab_a = _editor_form(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}").text)
    a_body = tab_a["body"] + "\n\n환불은 취소하신 날부터 3영업일 안에 해 드립니다."
    first = client.post(f"/ops/incidents/{world.incident}/notice",
                        data={**tab_a, "body": a_body, "csrf_token": token})
    assert first.status_code == 303
    b_body = tab_b["body"] + "\n\n궁금하신 점은 고객센터로 문의해 주세요."
    second = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={**tab_b, "body": b_body, "csrf_token": token})
    assert second.status_code == 409
    said = unescape(second.text)
    assert "이 편집기를 연 뒤 다른 담당자가 공지 제1판을 게시했습니다" in said
    assert "궁금하신 점은 고객센터로 문의해 주세요." in said  # what B typed, kept
    board = unescape(client.get("/notices").text)
    assert "3영업일 안에 해 드립니다" in board and "궁금하신 점은" not in board
    again = _editor_form(second.text)
    assert again["notice_version"] == "1"
    third = client.post(f"/ops/incidents/{world.incident}/notice",
                        data={**again, "csrf_token": csrf_of(second.text)})
    assert third.status_code == 303
    assert "공지를 게시했습니다(제2판)" in _flash(client.get(third.headers["location"]).text)


def test_the_same_notice_sent_twice_is_published_once_not_refused(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    form = _editor_form(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}").text)
    first = client.post(f"/ops/incidents/{world.incident}/notice", data={**form, "csrf_token": token})
    again = client.post(f"/ops/incidents/{world.incident}/notice", data={**form, "csrf_token": token})
    assert first.status_code == again.status_code == 303
    assert "이미 게시된 공지입니다(제1판)" in _flash(client.get(again.headers["location"]).text)
