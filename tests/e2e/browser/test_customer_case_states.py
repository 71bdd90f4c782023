"""The customer's case page (``/c/<token>``) once the case can take no more choices, after a
choice, and when the link is refused: what the page says, in Korean and English, and that it
offers no buttons it would then refuse."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from html import unescape

import pytest
from customer_cases import assert_no_choice_offered, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money
from sagwa.services import desk_cases
from sagwa.services.case_links import case_token
from sagwa.services.desk_messages import day_words
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _case_with_two_units(session_factory: sessionmaker[Session], secret: str, world: World, *,
                         started: datetime, options: list[str],
                         discount_pct: int | None = None) -> str:
    """김민준 orders 2 earphones shown at 19,900 (correct price 185,000) from ``started``; the
    incident is declared, scoped, planned (deadline a week later, default keep) and notified;
    a deadline already past has its default applied. The case's link token."""
    case = notified_two_unit_case(session_factory, secret, world, started=started,
                                  options=options, discount_pct=discount_pct)
    if case.deadline < datetime.now(UTC):
        case.clock.now = datetime.now(UTC)
        desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                                  incident_id=case.incident_id, actor="system")
    return case.token


def test_a_defaulted_case_says_the_default_applied_and_offers_no_choice(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _case_with_two_units(
        session_factory, page_settings.secret_key, world,
        started=datetime.now(UTC) - timedelta(days=20), options=["keep", "talk_to_person"])
    page = client.get(f"/c/{token}").text
    assert_no_choice_offered(page)
    assert "이 지나 기본 처리(주문 유지)가 적용되었습니다" in page
    assert "주문은 결제하신 가격 그대로 유지됩니다" in page
    english = client.get(f"/c/{token}?lang=en").text
    assert_no_choice_offered(english)
    assert "has passed, so the default (keep the order) was applied" in english
    # kept by default, the goods come: the 7-day withdrawal right is said, as after a keep
    # chosen (a customer walk found it said only then)
    assert "7일 이내에 청약철회(반품)하실 수 있는 권리는 그대로입니다" in page
    assert "withdraw from the purchase (return the goods) within 7 days" in english
    # a stale form pressed anyway gets no confirm step, but the refusal and what happened
    stale = csrf_of(client.get("/login").text)  # this page has no form left to take it from
    pressed = client.post(f"/c/{token}/choose", data={"choice": "keep", "csrf_token": stale})
    assert pressed.status_code == 409
    assert_no_choice_offered(pressed.text)
    assert 'id="case-outcome"' in pressed.text


def test_a_confirmed_choice_shows_the_choice_and_when_not_the_options(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    done = client.post(f"/c/{token}/choose", data={
        "choice": "cancel_with_compensation", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    after = client.get(f"/c/{token}").text
    assert_no_choice_offered(after)
    assert "선택이 접수되었습니다" in after  # the flash
    # said once (the flash and the page both said a mail was sent)
    assert after.count("확인 메일을 보내 드렸습니다") == 1
    assert re.search(r"고객님의 선택: <strong>주문 취소[^<]*</strong> \(접수 \d+월 \d+일\([월화수목금토일]\) (?:오[전후] |낮 )?\d+시( \d+분)?, 한국 시간\)",
                     after)
    english = client.get(f"/c/{token}?lang=en").text
    assert "Your choice: <strong>" in english and "(received " in english


def test_a_closed_incident_offers_no_choice_and_says_it_is_over(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:  # closed by hand: closing needs a notice
        inc = u.incidents.get(world.incident).incident
        u.incidents.save(replace(inc, status=IncidentStatus.CLOSED), closed_at=u.now())
        u.commit()
    page = client.get(f"/c/{world.tokens['김민준']}").text
    assert_no_choice_offered(page)
    assert "이 건의 처리는 모두 끝났습니다" in page
    pressed = client.post(f"/c/{world.tokens['김민준']}/choose",
                          data={"choice": "keep", "csrf_token": csrf_of(client.get("/login").text)})
    assert_no_choice_offered(pressed.text)
    asked = client.get(f"/c/{world.tokens['이서연']}").text  # she asked for a person in time
    assert_no_choice_offered(asked)
    assert "상담원이 전화드릴 예정입니다" in asked
    assert "one of our staff will call you" in client.get(
        f"/c/{world.tokens['이서연']}?lang=en").text


def test_asking_for_a_person_promises_a_call_not_a_confirmation_mail(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    asked = client.post(f"/c/{token}/choose", data={"choice": "talk_to_person",
                                                    "csrf_token": csrf_of(page)})
    assert asked.status_code == 303
    after = client.get(f"/c/{token}").text
    # "soon" while the contact centre is open, else from its next opening (the app's real clock)
    assert re.search(r"상담원이 곧 전화드리겠습니다|문을 여는 .+부터 상담원이 전화드리겠습니다", after)
    assert "확인 메일" not in after
    assert 'id="choose-keep"' in after  # a call asked for is no final answer
    english = world.tokens["Alex Kim"]
    page = client.get(f"/c/{english}").text
    client.post(f"/c/{english}/choose", data={"choice": "talk_to_person",
                                              "csrf_token": csrf_of(page)})
    after = client.get(f"/c/{english}").text
    assert re.search(r"one of our staff will call you (soon|once our contact centre opens, "
                     r"from .+ Korea time)", after)
    assert "confirmation email" not in after


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_refused_link_says_how_to_reach_a_person(client: TestClient, world: World,
                                                   page_settings: Settings, lang: str) -> None:
    expired = case_token(page_settings.secret_key, case_id=world.cases["김민준"],
                         customer_id=world.customers["김민준"],
                         expires_at=datetime.now(UTC) - timedelta(minutes=1))
    token = world.tokens["김민준"]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for link in (expired, forged):
        answer = client.get(f"/c/{link}?lang={lang}")
        assert answer.status_code == 403 and "김민준" not in answer.text
        assert POLICY.contact.phone in answer.text and POLICY.contact.email in answer.text
        hours = POLICY.contact.hours_ko if lang == "ko" else POLICY.contact.hours_en
        assert hours in answer.text
    assert client.post(f"/c/{expired}/choose", data={"choice": "keep"}).status_code == 403


def test_the_discount_choice_shows_what_was_paid_the_new_total_and_the_difference(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _case_with_two_units(
        session_factory, page_settings.secret_key, world,
        started=datetime.now(UTC) - timedelta(hours=2),
        options=["keep", "buy_at_correct_price_discount"], discount_pct=30)
    page = client.get(f"/c/{token}").text
    assert "39,800원 (2개)" in page  # before choosing: what was paid
    pressed = client.post(f"/c/{token}/choose", data={
        "choice": "buy_at_correct_price_discount", "csrf_token": csrf_of(page)})
    assert pressed.status_code == 303  # the confirm step is a page of its own
    step = client.get(pressed.headers["location"]).text
    assert "확인을 누르셔도 차액이 자동으로 결제되지는 않습니다." in step
    how_ko, how_en = POLICY.how_to_pay_in("ko"), POLICY.how_to_pay_in("en")
    assert how_ko and how_en and f"차액 결제 방법: {how_ko}" in step  # the policy's own words
    # the plan offers no cancellation: nothing can replace the discount once confirmed
    assert 'data-cancel-instead-later="no"' in step and "확정한 선택은 나중에 바꿀 수 없습니다" in step
    done = client.post(f"/c/{token}/choose", data={
        "choice": "buy_at_correct_price_discount", "confirmed": "yes",
        "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    after = client.get(f"/c/{token}").text
    assert_no_choice_offered(after)
    assert "결제하신 금액</dt> <dd><strong>39,800원 (2개)" in after
    assert "259,000원 · 1개당 129,500원" in after
    assert "결제하신 금액과의 차액</dt> <dd><strong>219,200원" in after
    assert "차액 219,200원은 아직 결제되지 않았습니다." in after  # and what to do about it
    assert f"차액 결제 방법: {how_ko}" in after  # as an agent would read it out
    assert "고객센터로 문의해 주세요." not in after
    english = client.get(f"/c/{token}?lang=en").text
    assert "39,800 KRW (2 units)" in english and "259,000 KRW, 129,500 KRW each" in english
    assert "Difference from what you paid</dt> <dd><strong>219,200 KRW" in english
    assert ("The difference of 219,200 KRW has not been charged: choosing this took no "
            f"payment. How to pay it: {how_en} We send the items once it is paid") in unescape(
                english)


def _amount(html: str, what: str) -> str:
    found = re.search(rf"<dt>{re.escape(what)}</dt> <dd><strong>([^<]*)</strong>", html)
    assert found, f"no amount line {what!r}"
    return found.group(1)


def _due(session_factory: sessionmaker[Session], case_id: int, lang: str) -> str:
    """" · <day>까지 지급" / " · due by <day>": the day the case's refunds are due by, as the
    refund line says it after the day they were requested."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        due = max(r.due_by for r in u.refunds.for_case(case_id))
    day = day_words(datetime.combine(due, time(12)), lang)
    return f" · {day}까지 지급" if lang == "ko" else f" · due by {day}"


def _chosen_on(session_factory: sessionmaker[Session], case_id: int) -> datetime:
    """When the app recorded the case's choice, in Korea time: the refund line dates it. Not
    the test's own clock read afterwards, which may already be on the next day (0시 KST)."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        row = u.cases.get(case_id)
        assert row is not None and row.case.consent is not None
        return row.case.consent.recorded_at.astimezone(SEOUL)


def test_a_late_choice_after_asking_for_a_person_shows_the_choice_not_the_default(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """김민준 asks for a person in time, the deadline passes (the default holds his case for
    the call), then he opens his link and cancels: the page shows his cancellation, the refund,
    that nothing is sent and the points booked — and says nothing of the default."""
    case = notified_two_unit_case(
        session_factory, page_settings.secret_key, world,
        started=datetime.now(UTC) - timedelta(days=20),
        options=["keep", "cancel_with_compensation", "buy_at_correct_price_discount",
                 "talk_to_person"], discount_pct=30, cancel_compensation=Money(10_000, "KRW"))
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice="talk_to_person", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    page = client.get(f"/c/{case.token}").text
    assert 'id="choose-cancel_with_compensation"' in page  # he asked in time: he may choose
    done = client.post(f"/c/{case.token}/choose", data={
        "choice": "cancel_with_compensation", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    after = client.get(f"/c/{case.token}").text
    assert_no_choice_offered(after)
    assert 'data-state="chosen"' in after and "고객님의 선택: <strong>주문 취소" in after
    for default in ("기본 처리", "주문 유지", "결제하신 가격 그대로", "상담원이 전화드릴"):
        assert default not in after.split('id="case-outcome"')[1], default
    assert _amount(after, "보내 드리는 상품") == "없음"
    today = _chosen_on(session_factory, case.case_id)
    assert _amount(after, "환불 금액") == (f"39,800원 (2개) · 환불 요청 접수 · {day_words(today, 'ko')}"
                                       + _due(session_factory, case.case_id, "ko"))
    assert _amount(after, "보상 포인트") == "10,000포인트(적립 완료)"
    english = client.get(f"/c/{case.token}?lang=en").text
    outcome = english.split('id="case-outcome"')[1]
    assert "default" not in outcome and "price you paid" not in outcome
    assert _amount(english, "Items we send") == "none"
    assert _amount(english, "Refund") == (f"39,800 KRW (2 units) · refund requested · "
                                          f"{day_words(today, 'en')}"
                                          + _due(session_factory, case.case_id, "en"))
    assert _amount(english, "Compensation points") == "10,000 points (already in your account)"


def test_a_keep_above_the_cap_shows_the_units_sent_with_their_amount(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    page = client.get(f"/c/{case.token}").text
    assert _amount(page, "보내 드리는 상품") == "1개 (19,900원)"
    chosen = day_words(_chosen_on(session_factory, case.case_id), "ko")
    assert _amount(page, "환불 금액") == (f"19,900원 (1개) · 환불 요청 접수 · {chosen}"
                                      + _due(session_factory, case.case_id, "ko"))
    assert "보상 포인트" not in page
    english = client.get(f"/c/{case.token}?lang=en").text
    assert _amount(english, "Items we send") == "1 unit (19,900 KRW)"
    assert "Items we send</dt> <dd>" in english  # a space between the two, as text too
