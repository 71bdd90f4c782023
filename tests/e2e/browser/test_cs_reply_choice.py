"""A choice the customer sent by replying to our email or text is recorded on the case page
with when the reply reached us (``web.pages.contact_replies``): two presses, the customer's
words as written, the channel; a reply that came by the deadline counts after the deadline's
default until the close of the next open day, and the form is gone after it. Before, only the
JSON API took a reply's time; the page recorded every choice as given on the phone, now."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import outbox
from sagwa.domain.contact_hours import replies_recorded_by
from sagwa.domain.moments import SEOUL
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e
WORDS = "안녕하세요. 그냥 취소해 주세요. 보상 포인트 받을게요."


def _reply(client: TestClient, case_id: int, page: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {"channel": "email", "choice": "cancel_with_compensation", "words": WORDS,
            "csrf_token": csrf_of(page)} | fields
    return client.post(f"/cs/cases/{case_id}/reply", data=data)


def _recorded(session_factory: sessionmaker[Session], case_id: int) -> dict:  # type: ignore[type-arg]
    with SqlAlchemyUnitOfWork(session_factory) as u:
        [after] = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                   if r.event.action == "case.choice_recorded"]
    return after


def test_a_reply_is_recorded_in_two_presses_with_when_it_came(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    assert 'id="reply-choice"' in page and 'name="received_at"' in page
    came = datetime.now(SEOUL).replace(second=0, microsecond=0) - timedelta(hours=1)
    first = _reply(client, case_id, page, received_at=local_input(came))
    assert first.status_code == 200, first.text[:500]
    shown = unescape(first.text)
    assert 'id="confirm-reply"' in shown and 'data-channel="email"' in shown
    assert f"메일 답장 · 받은 시각 {came:%Y-%m-%d %H:%M}" in shown
    assert "답변 기한 안에 받은 답입니다" in shown and f"“{WORDS}”" in shown
    assert 'data-choice=""' in client.get(f"/cs/cases/{case_id}").text  # nothing yet
    done = client.post(f"/cs/cases/{case_id}/reply", data={
        "channel": "email", "choice": "cancel_with_compensation", "words": WORDS,
        "received_at": local_input(came), "confirmed": "yes", "csrf_token": csrf_of(first.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/cs/cases/{case_id}"
    after = unescape(client.get(done.headers["location"]).text)
    assert 'data-choice="cancel_with_compensation"' in after
    assert f"(메일 답장, {came:%Y-%m-%d %H:%M} 받음)" in after  # the flash
    assert re.search(r'data-choice="cancel_with_compensation">.*?\(이메일 ·', after, re.DOTALL)
    assert 'id="reply-choice"' not in after  # chosen: no more replies to record
    recorded = _recorded(session_factory, case_id)
    assert recorded["channel"] == "email"
    assert datetime.fromisoformat(recorded["reply_received_at"]) == came


@pytest.mark.parametrize(("fields", "field", "says"), [
    ({"channel": "phone"}, "reply-channel", "답장이 온 경로"),
    ({"choice": ""}, "reply-choice-option", "답장에서 고객이 고른 방법"),
    ({"words": "  "}, "reply-words", "그대로 옮겨 적어"),
    ({"received_at": ""}, "reply-received-at", "답장을 받은 날짜와 시각"),
    ({"received_at": "2031-13-40T25:00"}, "reply-received-at", "날짜와 시각을 다시 확인"),
    ({"received_at": "2199-01-01T09:00"}, "reply-received-at", "지금보다 뒤입니다"),
    ({"received_at": "2001-01-05T10:00"}, "reply-received-at", "잘못된 가격이 게시되기 전"),
])
def test_a_form_with_a_problem_says_it_beside_the_field_and_keeps_what_was_typed(
        client: TestClient, world: World, fields: dict[str, str], field: str,
        says: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    came = local_input(datetime.now(SEOUL) - timedelta(minutes=20))
    answer = _reply(client, case_id, page, **({"received_at": came} | fields))
    assert answer.status_code == 422, answer.text[:300]
    shown = unescape(answer.text)
    assert says in re.search(r'id="reply-problem">(.*?)</p>', shown, re.DOTALL).group(1)
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', shown)
    if "words" not in fields:
        assert WORDS in shown  # what was typed stays
    assert 'data-choice=""' in shown


def test_after_the_default_a_reply_that_came_in_time_counts_until_the_next_days_close(
        world: World, session_factory: sessionmaker[Session],
        client_at: Callable[[datetime], TestClient]) -> None:
    """The deadline's default applied; the reply came 10 minutes before the deadline and is
    read the next morning: the form says until when, and it is recorded as in time. After
    that day's close the form is gone (the default stands; the seller was told to send)."""
    with SqlAlchemyUnitOfWork(session_factory) as u:  # the apologies went (as the worker marks)
        for message_id, due in u.conn.execute(select(outbox.c.id, outbox.c.not_before).where(
                outbox.c.purpose == "resolution", outbox.c.status == "pending")).all():
            u.outbox.record_outcome(message_id, status="sent", last_error=None, sent_at=due)
        u.commit()
    desk_cases.apply_deadline(
        SqlAlchemyUnitOfWork(session_factory, ManualClock(world.deadline + timedelta(minutes=1))),
        incident_id=world.incident, actor="sagwa:deadline")
    until = replies_recorded_by(POLICY.schedule, world.deadline)
    client = client_at(until - timedelta(hours=2))
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = unescape(client.get(f"/cs/cases/{case_id}").text)
    assert 'data-status="defaulted"' in page
    assert "답변 기한이 지나 기본 처리가 적용되었습니다" in page
    assert f"{until.astimezone(SEOUL):%Y-%m-%d %H:%M}까지 기록할 수 있습니다" in page
    # the call card beside it says a call can no longer change it, the form still can
    assert "이 건에는 전화로 선택을 더 기록할 수 없습니다" in page
    assert 'data-reply-still' in page and f'href="/cs/cases/{case_id}#reply-choice"' in page
    # said as the deadline beside it is (a tester read "6 pm Korea time … until 2026-12-15 23:59")
    from sagwa.services.desk_messages import format_when
    assert f"메일·문자 답장은 {format_when(until, 'ko')}(한국 시간)까지" in page
    late = _reply(client, case_id, page, received_at=local_input(world.deadline
                                                                  + timedelta(minutes=5)))
    assert late.status_code == 409  # came after the deadline: the default stands
    assert "기본 처리가 그대로 유지됩니다" in unescape(late.text)
    came = local_input(world.deadline - timedelta(minutes=10))
    first = _reply(client, case_id, page, received_at=came)
    assert first.status_code == 200, first.text[:500]
    done = client.post(f"/cs/cases/{case_id}/reply", data={
        "channel": "sms", "choice": "keep", "words": "그냥 받을게요 유지해 주세요",
        "received_at": came, "confirmed": "yes", "csrf_token": csrf_of(first.text)})
    assert done.status_code == 303
    assert 'data-choice="keep"' in client.get(f"/cs/cases/{case_id}").text
    assert _recorded(session_factory, case_id)["channel"] == "sms"

    later = client_at(until + timedelta(minutes=1))
    log_in(later, "agent")
    other = world.cases["Alex Kim"]
    gone = later.get(f"/cs/cases/{other}").text
    assert 'id="reply-choice"' not in gone
    assert "data-reply-still" not in gone and "이 건에는 선택을 더 기록할 수 없습니다" in unescape(gone)
    refused = _reply(later, other, gone, received_at=came)
    assert refused.status_code == 409
    assert "다음 영업일 마감까지 기록해야 합니다" in unescape(refused.text)


def test_a_reply_asking_for_a_call_says_what_confirming_does(client: TestClient,
                                                           world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["Alex Kim"]
    page = client.get(f"/cs/cases/{case_id}?lang=en").text
    came = local_input(datetime.now(SEOUL) - timedelta(minutes=20))
    first = _reply(client, case_id, page, choice="talk_to_person", channel="sms",
                   words="Please call me", received_at=came)
    shown = unescape(first.text)
    assert first.status_code == 200, shown[:400]
    assert "is sent a note that their request for a call came in" in shown  # the English page
    assert "a reply to our text · received" in shown
    assert "cannot be undone" not in shown  # nothing final: the choice comes on the call


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_in_chromium_a_reply_is_typed_confirmed_and_recorded(page, site) -> None:  # type: ignore[no-untyped-def]
    """The form as Chromium sends it: the datetime-local field takes a Korea time between the
    wrong price going live and now (its min and max do not block a right one), and the
    confirm step records it."""
    from browsing import login, shot
    from world import PASSWORD

    case_id = site.world.cases["김민준"]
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    page.goto(f"/cs/cases/{case_id}")
    page.select_option("#reply-channel", "sms")
    page.select_option("#reply-choice-option", "keep")
    page.fill("#reply-words", "그냥 받을게요. 유지해 주세요")
    came = datetime.now(SEOUL) - timedelta(minutes=15)
    page.fill("#reply-received-at", came.strftime("%Y-%m-%dT%H:%M"))
    page.click("#reply-submit")
    page.wait_for_selector("#confirm-reply-step")
    assert f"문자 답장 · 받은 시각 {came:%Y-%m-%d %H:%M}" in page.locator(
        "[data-reply-came]").inner_text()
    shot(page, "cs-reply-confirm")
    page.click("#confirm-reply")
    page.wait_for_url(f"**/cs/cases/{case_id}")
    assert page.locator("[data-choice]").first.get_attribute("data-choice") == "keep"
    assert page.locator("#reply-choice").count() == 0
