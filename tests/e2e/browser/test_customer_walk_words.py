"""What a reviewer walking the customer's pages (``/c/...``, ``/notices``) in Korean and English
found: an expired link of a customer who never answered says what was applied without them (not
"contact us to make your choice"); the logo leads back to the customer's own case page, never
the developer page at ``/``; a confirmed choice is said to be final before choosing, and
politely; Korean times say "한국 시간" as the English ones say "KST"; a customer is addressed,
not spoken of; and the keep preview names the amount, as the cancel preview does."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services import desk_cases, notices
from sagwa.services.case_links import case_token
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
BRAND_LINK = re.compile(r'<a class="brand" href="([^"]*)"')


def _expired(settings: Settings, case_id: int, customer_id: int) -> str:
    return case_token(settings.secret_key, case_id=case_id, customer_id=customer_id,
                      expires_at=datetime.now(UTC) - timedelta(minutes=1))


def _defaulted_case(session_factory: sessionmaker[Session], settings: Settings,
                    world: World) -> int:
    """김민준's case in an incident whose deadline passed unanswered: its default (keep)
    applied by the deadline job. The case's id."""
    case = notified_two_unit_case(session_factory, settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"])
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    return case.case_id


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_expired_link_of_a_customer_who_never_answered_says_the_default_was_applied(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    case_id = _defaulted_case(session_factory, page_settings, world)
    expired = _expired(page_settings, case_id, world.customers["김민준"])
    answer = client.get(f"/c/{expired}?lang={lang}")
    assert answer.status_code == 403 and 'id="applied-default"' in answer.text
    if lang == "ko":
        assert "기본 처리(주문 유지)가 적용되었습니다" in answer.text
        assert "주문은 결제하신 가격 그대로 유지됩니다" in answer.text
        assert "원하시는 방법을 알려 주세요" not in answer.text
    else:
        assert "so the default (keep the order) was applied" in answer.text
        assert "make your choice" not in answer.text
    assert 'id="choose-' not in answer.text
    assert POLICY.contact.phone in answer.text  # still the way to a person


def test_the_logo_leads_a_customer_back_to_their_own_case_page(
        client: TestClient, world: World, page_settings: Settings) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    assert BRAND_LINK.findall(page) == [f"/c/{token}?lang=ko"]
    step = client.get(f"/c/{token}/confirm?choice=keep&lang=en").text
    assert BRAND_LINK.findall(step) == [f"/c/{token}?lang=en"]
    stale = client.post(f"/c/{token}/choose?lang=ko", data={"choice": "keep",
                                                             "csrf_token": "stale"})
    assert stale.status_code == 403 and BRAND_LINK.findall(stale.text) == [f"/c/{token}?lang=ko"]


def test_where_no_case_page_is_known_the_logo_is_no_link(
        client: TestClient, world: World, page_settings: Settings) -> None:
    expired = _expired(page_settings, world.cases["Alex Kim"], world.customers["Alex Kim"])
    for page in (client.get(f"/c/{expired}").text, client.get("/notices").text):
        assert not BRAND_LINK.findall(page)
        assert '<span class="brand">sagwa 사과</span>' in page
    log_in(client, "admin")  # staff on the public board: their own home, as on every page
    assert BRAND_LINK.findall(client.get("/notices").text) == ["/ops/incidents"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_case_page_says_before_choosing_that_a_confirmed_choice_is_final(
        client: TestClient, world: World, lang: str) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang={lang}").text
    said = ("한 번 확정하신 선택은 바꾸실 수 없으니, 천천히 살펴보시고 골라 주세요." if lang == "ko"
            else "Once you confirm a choice, it cannot be changed, so please take your time "
                 "before choosing.")
    assert said in page and page.index(said) < page.index('id="choose-keep"')
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=world.cases["김민준"],  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    final = client.get(f"/c/{token}?lang={lang}").text
    final = final[final.index('id="choice-final"'):].split("</p>")[0]
    assert ("확정하신 선택은 고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도 없는 점 양해 "
            "부탁드립니다." if lang == "ko"
            else "Please understand that once confirmed, your choice cannot be changed, whether "
                 "by you or by our staff.") in final
    assert "고객님도 저희 상담원도" not in final and "changed or undone" not in final


def test_a_stale_form_leads_back_to_the_customers_order_page_in_plain_korean(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    answer = client.post(f"/c/{token}/choose", data={"choice": "keep", "csrf_token": "stale"})
    assert answer.status_code == 403
    assert "‘내 주문 안내 페이지 다시 열기’를 눌러" in answer.text
    assert 'id="back-to-case">내 주문 안내 페이지 다시 열기</a>' in answer.text
    assert "내 건 페이지" not in answer.text


@pytest.mark.parametrize(("lang", "said", "spoken_of"), [
    ("ko", "보내신 내용이 너무 깁니다.", "고객의 선택"),
    ("en", "What you sent is too long.", "customer's choice"),
])
def test_an_overlong_form_speaks_to_the_customer_not_of_them(
        client: TestClient, world: World, lang: str, said: str, spoken_of: str) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang={lang}").text
    answer = client.post(f"/c/{token}/choose?lang={lang}",
                         data={"choice": "k" * 61, "csrf_token": csrf_of(page)})
    assert answer.status_code == 422 and said in answer.text
    assert spoken_of not in answer.text


def test_an_expired_links_recorded_choice_says_korea_time(
        client: TestClient, world: World, page_settings: Settings) -> None:
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=world.cases["김민준"],  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    expired = _expired(page_settings, world.cases["김민준"], world.customers["김민준"])
    page = client.get(f"/c/{expired}").text
    assert re.search(r"\(접수 \d+월 \d+일\([월화수목금토일]\) [^<)]*시( \d+분)?, 한국 시간\)", page)


def test_the_notice_board_says_korea_time_in_korean_too(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    title, body = notices.draft_notice(SqlAlchemyUnitOfWork(session_factory),
                                       incident_id=world.incident, lang="ko", policy=POLICY)
    notices.publish_notice(SqlAlchemyUnitOfWork(session_factory), incident_id=world.incident,
                           lang="ko", title=title, body=body, actor="admin:test")
    korean = client.get("/notices?lang=ko").text
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\(한국 시간\) · <span data-version", korean)
    # the Korean notice keeps its Korean date line on the English page too: it is read in
    # its own language (``<article lang="ko">``; a customer walk heard the other one mixed)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\(한국 시간\) · <span data-version",
                     client.get("/notices?lang=en").text)


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "결제하신 159,000원 그대로 상품 1개를 보내 드립니다."),
    ("en", "We send you 1 item for the 159,000 KRW you paid."),
])
def test_the_keep_preview_names_the_amount_paid(
        client: TestClient, world: World, lang: str, said: str) -> None:
    step = client.get(f"/c/{world.tokens['김민준']}/confirm?choice=keep&lang={lang}")
    assert step.status_code == 200 and f"<dd>{said}</dd>" in step.text
