"""The customer's call-time card against the answer deadline and a call-back agreed on the
phone (``web.pages.call_time_offer``, ``customer/_call_time.html``, ``customer/_contact.html``):
times after the deadline are marked in the list, and a time picked after it says plainly what
happens then; a call-back a customer agreed with an agent before asking for a person is said
on their page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.moments import SEOUL
from sagwa.services import desk_cases
from sagwa.services.desk_messages import format_when
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

_OPTION = re.compile(r'<option value="([^"]+)"(?: selected)?>([^<]*)</option>')


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_time_after_the_deadline_is_marked_and_what_happens_then_is_said(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    """Found by QA: 12월 11일(금) 10시 picked with the deadline 12월 10일(목) 18:00, and the page
    said both "we will call you then" and "if we do not hear from you by then, your order is
    kept". A customer who asked in time for a person still chooses on that call."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=4),
                                  options=["keep", "talk_to_person"])
    page = client.get(f"/c/{case.token}?lang={lang}").text
    asked = client.post(f"/c/{case.token}/choose?lang={lang}", data={
        "csrf_token": csrf_of(page), "choice": "talk_to_person"})
    assert asked.status_code == 303
    page = unescape(client.get(f"/c/{case.token}?lang={lang}").text)
    mark = "(답변 기한 뒤)" if lang == "ko" else "(after the answer deadline)"
    offered = [(datetime.fromisoformat(v), words) for v, words in _OPTION.findall(page) if v]
    assert offered and any(mark in words for _, words in offered)
    assert all((mark in words) == (at > case.deadline) for at, words in offered)
    assert 'id="call-time-after-deadline"' not in page  # nothing picked yet
    after = next(at for at, words in offered if mark in words)
    saved = client.post(f"/c/{case.token}/call-time?lang={lang}", data={
        "csrf_token": csrf_of(page), "call_at": after.isoformat()})
    assert saved.status_code == 303
    page = unescape(client.get(f"/c/{case.token}?lang={lang}").text)
    [said] = re.findall(r'<p id="call-time-after-deadline">([^<]*)</p>', page)
    deadline = format_when(case.deadline, lang)
    assert said == (
        f"이 시간은 답변 기한({deadline}) 뒤입니다. 기한 안에 상담원 통화를 요청하셨으므로 기한이 지나도 그 통화에서(또는 "
        "이 페이지에서) 원하시는 방법을 고르실 수 있고, 그때까지 주문은 바뀌지 않습니다." if lang == "ko" else
        f"This time is after the answer deadline ({deadline}). As you asked in time to talk to "
        "a person, you can still choose on that call (or on this page) after the deadline, and "
        "nothing changes on your order until then.")
    before = next(at for at, words in offered if mark not in words)
    client.post(f"/c/{case.token}/call-time?lang={lang}", data={
        "csrf_token": csrf_of(page), "call_at": before.isoformat()})
    page = client.get(f"/c/{case.token}?lang={lang}").text
    assert 'id="call-time-after-deadline"' not in page


def test_a_call_back_agreed_before_asking_for_a_person_is_said_on_the_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by QA: an agent called a customer the desk put on the call list, and logged "call
    me back on Tuesday at three"; the customer's page did not mention the call at all."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"])
    now = datetime.now(UTC)
    desk_cases.escalate_unanswered(SqlAlchemyUnitOfWork(session_factory, ManualClock(now)),
                                   incident_id=case.incident_id, actor="system")
    named = (now + timedelta(days=2)).astimezone(SEOUL).replace(hour=15, minute=0, second=0,
                                                                 microsecond=0)
    desk_cases.log_call_attempt(
        SqlAlchemyUnitOfWork(session_factory, ManualClock(now)), case_id=case.case_id,
        channel="phone", outcome="callback_requested", agent="agent:park", policy=POLICY,
        callback_at=named)
    for lang, said in (("ko", f"통화 중에 말씀하신 {format_when(named, 'ko')}(한국 시간)에 상담원이 다시 전화드리겠습니다."),
                       ("en", (f"One of our staff will call you back on "
                               f"{format_when(named, 'en')}, as you told us on the phone."))):
        page = unescape(client.get(f"/c/{case.token}?lang={lang}").text)
        assert f'<p id="call-named">{said}</p>' in page
        assert 'id="call-time"' not in page  # no time to pick before asking for a person
