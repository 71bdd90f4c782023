"""The agent's case page as a walkthrough left it to be mended: a plan that gives no points for
cancelling promises none (script, options, previews, the confirm step, the flash); the script
for a customer owing the discount's difference says the choice is recorded and only the payment
is left (open or closed incident), and once paid that it is confirmed and the items go, with
times said as the messages say them; the summary says the items are held; cancelling instead
takes a confirm step; phone numbers are tel: links kept on one line; a closed incident's case
shows no deadline; a Korean page's cancelled-instead time names no zone, as the rest of its row."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import (
    DISCOUNT_OPTIONS,
    NotifiedCase,
    change_customer,
    discount_chosen,
    notified_two_unit_case,
)
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_cancelled_instead_shown import _cancelled, _summary
from test_cs_case_lookup import _card, _close
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.money import Money
from sagwa.services import desk_cases
from sagwa.services.desk_messages import format_when
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e


def _script(html: str) -> str:
    """The words the agent reads to a customer whose case takes no choice."""
    found = re.search(r"<p data-no-choice-script>(.*?)</p>", html, re.DOTALL)
    assert found, "no script for a settled case"
    return unescape(found.group(1))


def _in_english(session_factory: sessionmaker[Session], world: World) -> None:
    """김민준 reads English: the script is read to him in English."""
    change_customer(session_factory, world.customers["김민준"], locale="en")


@pytest.fixture
def owing(client: TestClient, world: World, session_factory: sessionmaker[Session],
          page_settings: Settings) -> NotifiedCase:
    """김민준 bought at the discount an hour ago (256,200 KRW still to pay, 39,800 paid;
    cancelling gives 5,000 points); the agent is logged in."""
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))
    log_in(client, "agent")
    return case




def test_a_plan_without_points_promises_none_wherever_the_agent_reads_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=2),
                                  options=DISCOUNT_OPTIONS, discount_pct=20,
                                  cancel_compensation=Money(0, "KRW"))
    log_in(client, "agent")
    before = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "주문 취소: 결제 금액을 전액 환불해 드립니다." in before  # the option read out
    preview = unescape(client.post(f"/c/{case.token}/choose?lang=en", data={
        "choice": "cancel_with_compensation",
        "csrf_token": csrf_of(client.get(f"/c/{case.token}").text)},
        follow_redirects=True).text)  # to the confirm step's own address
    assert "the full 39,800 KRW you paid" in preview and "0 points" not in preview
    case.clock.now = datetime.now(UTC) - timedelta(hours=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice=DISCOUNT_OPTIONS[2], channel="web",
                             evidence="pressed buy at the discount", taken_by="customer",
                             policy=POLICY)
    korean = _script(client.get(f"/cs/cases/{case.case_id}?lang=ko").text)
    assert ("차액을 내지 않으시려면 대신 주문을 취소하실 수도 있습니다. 그러면 결제하신 39,800원은 전액 "
            "환불해 드립니다.") in korean
    assert "드리고 드립니다" not in korean and "포인트" not in korean
    _in_english(session_factory, world)
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    english = _script(page)
    assert ("If you would rather not pay it, you can cancel your order instead: the 39,800 KRW "
            "you paid is refunded in full.") in english and "points" not in english
    url = f"/cs/cases/{case.case_id}/cancel-instead?lang=en"
    step = unescape(client.post(url, data={"csrf_token": csrf_of(page), "channel": "phone",
                                           "evidence": "I'd rather cancel"}).text)
    assert "Compensation" not in step and "points" not in step
    timing = client.app.state.desk_policy.contact  # type: ignore[attr-defined]
    # the read-back says when the refund arrives, as the customer's mail will
    assert (f"the 39,800 KRW you paid is refunded in full. {timing.refund_timing_en} "
            "A cancelled order") in step
    done = client.post(url.replace("lang=en", "lang=ko"), data={
        "csrf_token": csrf_of(step), "channel": "phone", "evidence": "I'd rather cancel",
        "confirmed": "yes"})
    assert done.status_code == 303
    flash = unescape(client.get(f"/cs/cases/{case.case_id}?lang=ko").text)
    assert "결제한 39,800원 전액 환불했습니다." in flash and "0 포인트" not in flash


def test_the_script_for_a_difference_owed_says_only_the_payment_is_left(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        owing: NotifiedCase) -> None:
    case, chosen = owing, owing.clock.now
    owed = (f"고객님께서 {format_when(chosen, 'ko')}에 고르신 ‘정상가에서 20% 할인된 가격으로 구매’는 기록되어 있고, 이제 "
            "차액 256,200원 결제만 남았습니다.")
    opened = _script(client.get(f"/cs/cases/{case.case_id}").text)
    assert owed in opened and "이미 처리되었습니다" not in opened
    assert "동의 없이 주문을 취소하지 않습니다" in opened
    assert not re.search(r"\d{4}-\d\d-\d\d", opened)  # times as spoken, not 2026-11-27 06:12
    _close(client, case.incident_id)
    closed = _script(client.get(f"/cs/cases/{case.case_id}").text)
    assert owed in closed and "더 이상 선택을 받을 수 없습니다" not in closed
    _in_english(session_factory, world)
    english = _script(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert (f"Your choice, 'buy at 20% off the correct price', made on "
            f"{format_when(chosen, 'en')}, is recorded: all that is left is paying the "
            "difference of 256,200 KRW.") in english
    assert "has already been carried out" not in english
    page = client.get(f"/cs/cases/{case.case_id}").text
    assert client.post(f"/cs/cases/{case.case_id}/difference-paid", data={
        "csrf_token": csrf_of(page), "note": "transfer 0613", "back": "case"}).status_code == 303
    paid = _script(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert re.search(r"We received the difference of 256,200 KRW on \w+day, .+; your items are "
                     r"being sent\.", paid)
    assert "all that is left" not in paid


def test_the_summary_says_the_items_wait_for_the_difference(
        client: TestClient, owing: NotifiedCase) -> None:
    case = owing
    for lang, words in (("ko", "처리 완료, 차액 결제 대기(상품 발송 보류)"),
                        ("en", "resolved, difference not yet paid (items held)")):
        summary = _summary(client.get(f"/cs/cases/{case.case_id}?lang={lang}").text)
        assert words in summary
    page = client.get(f"/cs/cases/{case.case_id}").text
    client.post(f"/cs/cases/{case.case_id}/difference-paid", data={
        "csrf_token": csrf_of(page), "note": "receipt 7", "back": "case"})
    summary = _summary(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "resolved" in summary and "difference not yet paid" not in summary


def test_cancelling_instead_is_confirmed_before_it_is_recorded(
        client: TestClient, session_factory: sessionmaker[Session], owing: NotifiedCase) -> None:
    case = owing
    page = client.get(f"/cs/cases/{case.case_id}").text
    url = f"/cs/cases/{case.case_id}/cancel-instead"
    for words in ("y", "네"):  # too short: refused at the form, before any confirm step
        refused = client.post(url, data={"csrf_token": csrf_of(page), "channel": "phone",
                                         "evidence": words})
        assert refused.status_code == 422 and 'id="confirm-instead"' not in refused.text
        assert (f'tabindex="-1" autofocus id="instead-problem-{case.case_id}">'
                in refused.text)
    step = client.post(url, data={"csrf_token": csrf_of(page), "channel": "email",
                                  "evidence": "메일: 차액 대신 취소해 주세요"})
    assert step.status_code == 200
    shown = unescape(step.text)
    assert "<dt>환불</dt> <dd>결제하신 39,800원 전액</dd>" in shown
    assert "<dt>보상</dt> <dd>5,000포인트</dd>" in shown and "되돌릴 수 없습니다." in shown
    assert "고객이 한 말 (이메일): “메일: 차액 대신 취소해 주세요”" in shown
    timing = client.app.state.desk_policy.contact.refund_timing_ko  # type: ignore[attr-defined]
    assert ("차액을 내시는 대신 주문을 취소하면 결제하신 39,800원은 전액 환불해 드리고 사과의 뜻으로 5,000"
            f"포인트를 드립니다. {timing} 취소한 주문은 되돌릴 수 없습니다.") in shown
    assert 'name="confirmed" value="yes"' in shown and 'name="channel" value="email"' in shown
    with SqlAlchemyUnitOfWork(session_factory) as u:  # the first press recorded nothing
        assert u.cases.get(case.case_id).case.consent.choice.value == DISCOUNT_OPTIONS[2]
    done = client.post(url, data={"csrf_token": csrf_of(shown), "channel": "email",
                                  "evidence": "메일: 차액 대신 취소해 주세요", "confirmed": "yes"})
    assert done.status_code == 303
    with SqlAlchemyUnitOfWork(session_factory) as u:
        consent = u.cases.get(case.case_id).case.consent
    assert consent.choice.value == "cancel_with_compensation"
    assert consent.channel.value == "email" and consent.evidence == "메일: 차액 대신 취소해 주세요"
    again = client.post(url, data={"csrf_token": csrf_of(shown), "channel": "email",
                                   "evidence": "메일: 차액 대신 취소해 주세요"})  # a first press
    assert again.status_code == 303  # already done: nothing to confirm
    assert "이미 차액 대신 취소되었습니다" in unescape(client.get(again.headers["location"]).text)


def test_phone_numbers_are_links_kept_on_one_line(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]  # on the call list: she asked for a person
    link = ('<a class="nowrap" href="tel:010-1234-0001" data-phone>'
            '<span aria-hidden="true">☎</span> 010-1234-0001</a>')
    assert link in _summary(client.get(f"/cs/cases/{case_id}").text)
    assert link in _card(client.get("/cs/queue").text, case_id)
    assert link in client.get("/cs/cases", params={"q": "이서연"}).text


def test_a_closed_incidents_case_shows_no_deadline(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    deadline_ko = format_when(world.deadline, "ko")
    assert deadline_ko in _summary(client.get(f"/cs/cases/{case_id}").text)  # open: it has one
    _close(client, world.incident)
    for lang, words in (("ko", "종료된 사고: 답변 기한 없음"), ("en", "incident closed: no deadline")):
        page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
        summary = _summary(page)
        assert words in summary and format_when(world.deadline, lang) not in summary
        heading = re.search(r"<h2>(.*?)</h2>", _card(page, case_id), re.DOTALL)
        assert heading and seoul(world.deadline, lang=lang) not in heading.group(1)
        found = client.get("/cs/cases", params={"q": f"#{case_id}", "lang": lang}).text
        assert words in found and seoul(world.deadline, lang=lang) not in found


def test_a_korean_lookup_row_names_no_zone_for_the_cancellation(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case, _, cancelled = _cancelled(world, session_factory, page_settings)
    log_in(client, "agent")
    found = unescape(client.get("/cs/cases", params={"q": f"#{case.case_id}"}).text)
    row = re.search(rf'<tr data-case="{case.case_id}">(.*?)</tr>', found, re.DOTALL)
    assert row and f"대신 취소 · {seoul(cancelled)}</span>" in row.group(1)
    assert "한국 시간" not in row.group(1)
