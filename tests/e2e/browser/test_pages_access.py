"""Pages over HTTP (TestClient): who may open what, CSRF, signed links, languages, errors."""

from __future__ import annotations

import re
from datetime import UTC

import httpx
import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.services.accounts import create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/seller", "/ops/review", "/ops/incidents", "/cs/queue"])
def test_staff_pages_without_a_session_redirect_to_login(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
        client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "admin", "password": "nope-nope-nope",
                                         "csrf_token": token})
    assert answer.status_code == 401
    assert "아이디 또는 비밀번호가 맞지 않습니다" in answer.text
    assert client.get("/ops/incidents").status_code == 303


def test_logging_out_ends_the_session_for_every_copy_of_the_cookie(client: TestClient,
                                                                  world: World) -> None:
    log_in(client, "admin")
    page = client.get("/ops/incidents")
    assert page.status_code == 200
    saved = client.cookies.get("sagwa_session")
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    client.cookies.set("sagwa_session", saved)  # someone kept the old cookie
    answer = client.get("/ops/incidents")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert client.get("/api/audit/verify").status_code == 401


def test_a_form_post_without_the_csrf_token_is_refused(client: TestClient, world: World) -> None:
    log_in(client, "reviewer")
    answer = client.post("/ops/review/1/reject", data={"reason": "no token"})
    assert answer.status_code == 403
    assert "text/html" in answer.headers["content-type"]
    assert "양식이 만료되었거나 이 사이트에서 보낸 것이 아닙니다" in answer.text
    login = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert login.status_code == 403


def test_a_seller_cannot_read_another_sellers_listing(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    assert client.get(f"/seller/listings/{world.ipod_a}").status_code == 200
    other = client.get(f"/seller/listings/{world.ipod_b}")
    assert other.status_code == 404
    assert "195,000" not in other.text and "바다전자" not in other.text
    mine = client.get("/seller").text
    assert "하늘디지털" in mine and "맥북" not in mine


def test_a_seller_cannot_change_another_sellers_price(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get("/seller").text)
    answer = client.post(f"/seller/listings/{world.ipod_b}/price",
                         data={"new_price": "1000", "csrf_token": token})
    assert answer.status_code == 404
    assert f"찾을 수 없는 상품입니다 (#{world.ipod_b})." in answer.text  # said in the page's language


@pytest.mark.parametrize("path", ["/ops/review", "/ops/incidents", "/cs/queue"])
def test_a_seller_cannot_open_staff_pages(client: TestClient, world: World, path: str) -> None:
    log_in(client, "seller_a")
    answer = client.get(path)
    assert answer.status_code == 403
    assert "이 계정으로는 열 수 없는 페이지입니다." in answer.text  # details.reason role_not_allowed


def test_the_guard_verdict_comes_back_as_an_htmx_partial(client: TestClient,
                                                         world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    answer = client.post(f"/seller/listings/{world.ipod_a}/check", data={"new_price": "19,900"},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert answer.status_code == 200
    assert 'data-verdict="hold"' in answer.text and "<html" not in answer.text


def test_a_customer_link_opens_only_its_own_case(client: TestClient, world: World) -> None:
    page = client.get(f"/c/{world.tokens['김민준']}")
    assert page.status_code == 200
    assert "김민준" in page.text and "이서연" not in page.text
    assert "10,000" in page.text  # the compensation points of the cancel option
    assert "상담원과 이야기하기" in page.text and 'href="tel:' in page.text  # a person to call


def test_an_altered_link_is_refused(client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    answer = client.get(f"/c/{altered}")
    assert answer.status_code == 403
    assert "김민준" not in answer.text


def test_an_expired_link_is_refused(client: TestClient, world: World,
                                    page_settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta

    from sagwa.services.case_links import case_token

    expired = case_token(page_settings.secret_key, case_id=world.cases["김민준"],
                         customer_id=world.customers["김민준"],
                         expires_at=datetime.now(UTC) - timedelta(minutes=1))
    answer = client.get(f"/c/{expired}")
    assert answer.status_code == 403
    assert "김민준" not in answer.text


def test_a_link_for_one_customer_cannot_open_another_customers_case(
        client: TestClient, world: World, page_settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta

    from sagwa.services.case_links import case_token

    crossed = case_token(page_settings.secret_key, case_id=world.cases["이서연"],
                         customer_id=world.customers["김민준"],
                         expires_at=datetime.now(UTC) + timedelta(days=1))
    answer = client.get(f"/c/{crossed}")
    assert answer.status_code == 404
    assert "이서연" not in answer.text


def test_pages_switch_to_english_and_remember_it(client: TestClient, world: World) -> None:
    assert "로그인" in client.get("/login").text
    english = client.get("/login?lang=en")
    assert "Log in" in english.text and english.cookies.get("sagwa_lang") == "en"
    assert "Username" in client.get("/login").text


def test_the_api_still_answers_json_errors(client: TestClient) -> None:
    answer = client.get("/api/listings/987654321")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_a_page_session_may_read_the_api_but_never_change_anything(client: TestClient,
                                                                   world: World) -> None:
    log_in(client, "admin")
    assert client.get("/api/audit/verify").json()["ok"] is True
    # a cookie never authorises a change (it would bypass the pages' CSRF check)
    answer = client.post("/api/sellers", json={"code": "cookie", "name": "쿠키"},
                         headers={"Idempotency-Key": "cookie-1"})
    assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"
    client.cookies.clear()
    log_in(client, "seller_a")
    answer = client.get("/api/audit/verify")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_every_role_lands_on_its_page(client: TestClient, world: World,
                                      session_factory: sessionmaker[Session]) -> None:
    create_user(SqlAlchemyUnitOfWork(session_factory), username="finance", role="finance",
                password=PASSWORD, actor="test")
    for username, path in (("admin", "/ops/incidents"), ("reviewer", "/ops/review"),
                           ("agent", "/cs/queue"), ("finance", "/ops/refunds"),
                           ("seller_a", "/seller")):
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                             "csrf_token": token})
        assert answer.headers["location"] == path
        assert client.get(path).status_code == 200, path


def test_the_incident_page_shows_cases_clocks_and_costs(client: TestClient,
                                                        world: World) -> None:
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{world.incident}").text
    for text in ("김민준", "Alex Kim", "notified", "escalated", "costs", "clock-notice",
                 "/notice/editor", "/timeline"):
        assert text in html
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor",
                        headers={"HX-Request": "true"}).text
    assert "notice-editor" in editor and "<html" not in editor
    timeline = client.get(f"/ops/incidents/{world.incident}/timeline",
                          headers={"HX-Request": "true"}).text
    assert "incident.declared" in timeline and "incident.planned" in timeline


def test_the_notice_check_partial_lists_findings(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice/check",
                         data={"title": "공지", "body": "가격이 바뀌었습니다. 주문은 취소됩니다.",
                               "lang": "ko"},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert answer.status_code == 200
    assert 'data-code="missing-apology"' in answer.text
    assert "disabled" in answer.text


def test_the_call_queue_lists_the_customer_who_asked_for_a_person(client: TestClient,
                                                                  world: World) -> None:
    log_in(client, "agent")
    html = client.get("/cs/queue").text
    assert "이서연" in html and "사과드립니다" in html and "김민준" not in html


def test_the_notice_board_is_public(client: TestClient) -> None:
    assert client.get("/notices").status_code == 200


def test_a_notice_that_fails_the_check_is_refused_even_if_posted_directly(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={"title": "가격 변경", "body": "주문은 모두 취소됩니다.", "lang": "ko",
                               "csrf_token": token})
    assert answer.status_code == 422
    assert "missing-apology" in answer.text and "text/html" in answer.headers["content-type"]
    # the editor comes back on the incident page with what was typed and why it was refused
    assert 'id="notice-editor"' in answer.text and 'value="가격 변경"' in answer.text
    assert ">주문은 모두 취소됩니다.</textarea>" in answer.text
    assert "메시지 검사에서 고쳐야 할 점이 있어 게시하지 않았습니다" in answer.text
    assert "가격 변경" not in client.get("/notices").text


def _seller_asks_19900_for_the_ipod(client: TestClient, world: World) -> httpx.Response:
    """Seller A asks for 19,900 on the iPod (a price the guard holds for review)."""
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}").text)
    return client.post(f"/seller/listings/{world.ipod_a}/price",
                       data={"new_price": "19900", "csrf_token": token})


def _reviewer_queue(client: TestClient) -> tuple[str, str]:
    """A reviewer logs in instead: the review queue and the first change id on it."""
    client.cookies.clear()
    log_in(client, "reviewer")
    queue = client.get("/ops/review").text
    change_id = re.search(r'id="change-(\d+)"', queue)
    assert change_id
    return queue, change_id.group(1)


def test_a_seller_sees_a_reviewers_rejection_reason(client: TestClient, world: World) -> None:
    held = _seller_asks_19900_for_the_ipod(client, world)
    assert held.status_code == 303
    queue, change_id = _reviewer_queue(client)
    rejected = client.post(f"/ops/review/{change_id}/reject",
                           data={"reason": "할인율을 가격으로 입력", "csrf_token": csrf_of(queue)})
    assert rejected.status_code == 303
    client.cookies.clear()
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    assert "거절됨" in page and "할인율을 가격으로 입력" in page


def test_a_rejection_without_a_reason_is_refused_with_the_message(client: TestClient,
                                                                  world: World) -> None:
    _seller_asks_19900_for_the_ipod(client, world)
    queue, change_id = _reviewer_queue(client)
    answer = client.post(f"/ops/review/{change_id}/reject",
                         data={"reason": " ", "csrf_token": csrf_of(queue)})
    assert answer.status_code == 422
    assert "거절할 때는 판매자가 읽을 수 있는 사유를 적어 주세요." in answer.text
    assert f'id="change-{change_id}"' in answer.text  # the queue again, not a bare page
    assert "a rejection needs" not in answer.text


def _case_row(client: TestClient, case_id: int) -> tuple[str, str | None, set[str]]:
    from sqlalchemy import select

    from sagwa.adapters.db.tables import case_orders, cases, orders

    with client.app.state.uow_factory() as u:  # type: ignore[attr-defined]
        status, choice = u.conn.execute(select(cases.c.status, cases.c.choice).where(
            cases.c.id == case_id)).one()
        states = set(u.conn.execute(select(orders.c.status).join(
            case_orders, case_orders.c.order_id == orders.c.id).where(
            case_orders.c.case_id == case_id)).scalars())
    return status, choice, states


def test_a_customers_cancellation_waits_for_the_confirmation(client: TestClient,
                                                             world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    first = client.post(f"/c/{token}/choose", data={"choice": "cancel_with_compensation",
                                                    "csrf_token": csrf_of(page)},
                        follow_redirects=True)  # to the confirm step's own address
    assert first.status_code == 200 and 'id="confirm-step"' in first.text
    assert "상담원과 이야기하기" in first.text and 'href="tel:' in first.text
    assert "159,000원" in first.text and "10,000포인트" in first.text
    assert _case_row(client, world.cases["김민준"]) == ("notified", None, {"placed"})
    confirmed = client.post(f"/c/{token}/choose", data={
        "choice": "cancel_with_compensation", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert confirmed.status_code == 303
    assert _case_row(client, world.cases["김민준"]) == ("resolved", "cancel_with_compensation",
                                                      {"cancelled"})


def test_an_english_customer_confirms_in_english(client: TestClient, world: World) -> None:
    token = world.tokens["Alex Kim"]
    page = client.get(f"/c/{token}").text
    step = client.post(f"/c/{token}/choose", data={"choice": "cancel_with_compensation",
                                                   "csrf_token": csrf_of(page)},
                       follow_redirects=True).text
    assert "Yes, cancel my order" in step and "10,000 points" in step and "취소" not in step


def test_a_tampered_choice_gets_a_polite_answer_on_the_case_page(client: TestClient,
                                                                 world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    answer = client.post(f"/c/{token}/choose", data={"choice": "explode", "confirmed": "yes",
                                                     "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert "고를 수 있는 방법이 아닙니다" in answer.text and 'id="choose-keep"' in answer.text
    assert "CustomerOption" not in answer.text and "explode" not in answer.text
    assert _case_row(client, world.cases["김민준"]) == ("notified", None, {"placed"})


def test_a_phone_choice_without_the_customers_words_keeps_the_agents_choice(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    queue = client.get("/cs/queue").text
    answer = client.post(f"/cs/cases/{case_id}/choice",
                         data={"choice": "cancel_with_compensation", "csrf_token": csrf_of(queue)})
    assert answer.status_code == 422
    assert f'id="problem-{case_id}">고객이 한 말을 그대로 적어 주세요.' in answer.text
    assert '<option value="cancel_with_compensation" selected>' in answer.text
    assert "Field required" not in answer.text


def _scoped_speaker_incident(client: TestClient, world: World) -> int:
    """Seller A's speaker declared at a wrong price and scoped, ready for a plan."""
    from datetime import datetime, timedelta

    from sagwa.domain.money import Money
    from sagwa.services import desk

    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    row = desk.declare(uow(), listing_ids=[world.speaker_a], wrong_price=Money(8_900, "KRW"),
                       correct_price=Money(89_000, "KRW"), cause="스피커 가격 오입력",
                       window_start=datetime.now(UTC) - timedelta(hours=2), responsible="seller",
                       actor="admin:test")
    incident = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    return incident


def test_a_refused_plan_comes_back_as_typed_with_each_problem(client: TestClient,
                                                              world: World) -> None:
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    answer = client.post(f"/ops/incidents/{incident}/plan", data={
        "options": ["keep", "talk_to_person"], "deadline": "2099-01-05T09:00", "default": "keep",
        "seller_share_pct": "60", "platform_share_pct": "50", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert "판매자와 플랫폼 부담의 합이 100이 되어야 합니다." in answer.text
    assert 'name="platform_share_pct" type="number" min="0" max="100" value="50"' in answer.text
    assert 'value="cancel_with_compensation" >' in answer.text  # left unticked, as sent


def test_a_plan_refused_for_its_deadline_marks_and_focuses_the_deadline(
        client: TestClient, world: World) -> None:
    """A walkthrough's finding: a refused plan reloaded at the top of the page with its problem
    far below the fold, nothing focused, the field not marked, and a reload posting again."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sagwa.testing.deadlines import closing_time_after

    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    night = closing_time_after(datetime.now(UTC) + timedelta(days=7)).astimezone(
        ZoneInfo("Asia/Seoul")).replace(hour=3, minute=0)
    answer = client.post(f"/ops/incidents/{incident}/plan", data={
        "options": ["keep", "talk_to_person"], "deadline": night.strftime("%Y-%m-%dT%H:%M"),
        "default": "keep", "seller_share_pct": "70", "platform_share_pct": "30",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    text = answer.text
    assert "답변 기한이 고객센터가 문을 닫은 시간" in text
    deadline = re.search(r'<input id="deadline"[^>]*>', text)
    assert deadline and 'aria-invalid="true"' in deadline.group(0)
    assert 'aria-describedby="plan-problem"' in deadline.group(0) and "autofocus" in deadline.group(0)
    assert text.index('id="plan-problem"') < text.index('<input id="deadline"')  # above it
    assert f'<meta name="sagwa-address" content="/ops/incidents/{incident}">' in text
    assert text.count("autofocus") == 1


def test_a_refused_declaration_keeps_what_the_operator_typed(client: TestClient,
                                                             world: World) -> None:
    log_in(client, "admin")
    page = client.get("/ops/incidents").text
    answer = client.post("/ops/incidents", data={
        "listing_ids": str(world.speaker_a), "wrong_price": "89000", "correct_price": "8900",
        "window_start": "2008-06-12T09:00", "cause": "스피커 가격 오입력", "responsible": "seller",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    assert "잘못 표시된 가격은 0원보다 크고 정상 가격보다 낮아야 합니다" in answer.text
    assert 'value="스피커 가격 오입력"' in answer.text
    assert '<option value="seller" selected>' in answer.text


def test_a_correct_price_refused_as_implausible_can_be_declared_as_checked(
        client: TestClient, world: World) -> None:
    """The speaker was created at the wrong 8,900 KRW; its list price is 89,000. 890,000 is
    refused as more than twice that, and the form then offers "I checked the correct price";
    ticked, the same form declares (a pack's price, say: the operator knows best)."""
    from datetime import UTC, datetime, timedelta

    from sagwa.domain.moments import SEOUL

    log_in(client, "admin")
    page = client.get("/ops/incidents").text
    assert "data-confirm-correct-price" not in page  # not offered before a refusal
    start = (datetime.now(UTC) - timedelta(hours=2)).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
    form = {"listing_ids": str(world.speaker_a), "wrong_price": "8900", "correct_price": "890000",
            "window_start": start, "cause": "스피커 가격 오입력", "responsible": "seller",
            "csrf_token": csrf_of(page)}
    answer = client.post("/ops/incidents", data=form)
    assert answer.status_code == 422
    assert "확인해 보니 맞다면(묶음 상품의 가격 등) 정상 가격 칸 아래에 확인했다고 표시하고 다시 선언해 주세요" in answer.text
    assert 'name="correct_price_confirmed" value="yes">' in answer.text  # offered, not ticked
    # ticked, but another field refused: the tick stays (a walkthrough had to tick it twice)
    later = (datetime.now(UTC) + timedelta(days=2)).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
    other = client.post("/ops/incidents", data={**form, "correct_price_confirmed": "yes",
                                                "window_start": later,
                                                "csrf_token": csrf_of(answer.text)})
    assert other.status_code == 422
    assert 'name="correct_price_confirmed" value="yes" checked>' in other.text
    declared = client.post("/ops/incidents", data={**form, "correct_price_confirmed": "yes",
                                                   "csrf_token": csrf_of(other.text)})
    assert declared.status_code == 303, declared.text[:500]
    assert declared.headers["location"].startswith("/ops/incidents/")


@pytest.mark.parametrize(("username", "home"), [("seller_a", "/seller"), ("agent", "/cs/queue"),
                                                ("reviewer", "/ops/review")])
def test_an_error_page_goes_home_to_the_signed_in_persons_own_start_page(
        client: TestClient, world: World, username: str, home: str) -> None:
    """A seller's walk: the error page's "Home" was the site's index of links (API docs, the
    audit check), not their listings."""
    signed_out = client.get("/no-such-page")
    assert signed_out.status_code == 404
    assert re.search(r'<a href="/" data-home>', signed_out.text)
    log_in(client, username)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert f'<a href="{home}" data-home>' in missing.text
