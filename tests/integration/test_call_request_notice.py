"""A customer who asks to talk to a person is told the request came in, on real PostgreSQL
(``services.call_request_notice``): at once, when and at which (masked) number we will call,
that nothing changes on their order until then and that what they say on the call counts even
after the deadline; once, however often they ask; never for a request an agent takes on a
call; to a customer with no number, to call us instead."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from test_desk import POLICY, _notified, shop  # noqa: F401

from sagwa.adapters.db.tables import customers, outbox
from sagwa.services import desk_cases
from sagwa.services.call_request_notice import PURPOSE

SEOUL = ZoneInfo("Asia/Seoul")


def _ask(uow, case_id: int, channel: str = "email", words: str = "전화 주세요"):  # type: ignore[no-untyped-def]
    return desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person",
                                    channel=channel, evidence=words,
                                    taken_by="customer" if channel == "web" else "agent:park",
                                    policy=POLICY)


def _notes(uow, case_id: int) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [dict(r._mapping) for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.recipient, outbox.c.locale, outbox.c.subject,
                   outbox.c.body, outbox.c.not_before, outbox.c.status)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == PURPOSE))]


def test_a_request_by_email_reply_is_acknowledged_at_once_with_when_and_which_number(
        shop) -> None:
    """고객1 replied to our email "전화 주세요" on Friday morning (the centre is open)."""
    uow, clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    _ask(uow, case_id)
    [note] = _notes(uow, case_id)
    assert (note["channel"], note["recipient"], note["locale"], note["status"]) == (
        "email", "c1@example.com", "ko", "pending")
    assert note["subject"].endswith("상담원 통화 요청을 받았습니다")
    assert note["not_before"] == clock.now  # it answers their own request: at once
    body = str(note["body"])
    assert body.startswith("고객1 고객님, 다시 한 번 가격 오류로 불편을 드려 죄송합니다.")
    assert "상담원과 통화하고 싶다는 요청을 6월 13일(금) 오전 10시(한국 시간)에 받았습니다" in body
    assert "상담원이 곧 전화드리겠습니다. 전화는 010-****-0001 번호로 드립니다" in body
    assert "010-1234-0001" not in body
    assert "통화하기 전까지 주문은 그대로 둡니다" in body
    assert "오후 6시(한국 시간)가 지나더라도 통화에서 말씀하신 방법대로 처리해 드립니다" in body
    assert "불이익은 없습니다" in body and POLICY.contact.phone in body
    # asked again (a text as well): one note
    _ask(uow, case_id, channel="sms", words="전화 부탁드려요")
    assert len(_notes(uow, case_id)) == 1


def test_at_night_the_note_says_the_call_comes_once_the_centre_opens(shop) -> None:
    """Alex Kim (English) clicks "talk to a person" on Friday at 23:00: the centre opens on
    Saturday at 10:00."""
    uow, clock, _iid, cases, people, _ = _notified(shop)
    clock.now = datetime(2008, 6, 13, 23, 0, tzinfo=SEOUL)
    case_id = cases[people[0]]
    _ask(uow, case_id, channel="web", words="clicked: talk to a person")
    [note] = _notes(uow, case_id)
    assert (note["locale"], note["not_before"]) == ("en", clock.now)
    body = str(note["body"])
    assert body.startswith("Dear Alex Kim,")
    assert "we received your request to talk to a person on Friday, June 13 at 11 pm" in body
    assert ("One of our staff will call you once our contact centre opens, from Saturday, "
            "June 14 at 10 am Korea time.") in body
    assert "Nothing changes on your order until we talk." in body


def test_a_request_taken_on_a_call_is_not_acknowledged_in_writing(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[2]]
    _ask(uow, case_id, channel="phone", words="고객이 전화로 팀장 통화를 요청함")
    assert _notes(uow, case_id) == []


def _without(uow, customer_id: int, **details: None) -> None:  # type: ignore[no-untyped-def]
    """The customer's email or phone removed, straight in the table."""
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer_id).values(**details))
        u.commit()


def test_with_no_number_on_file_the_note_asks_them_to_call_us(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    _without(uow, people[1], phone=None)
    case_id = cases[people[1]]
    _ask(uow, case_id)
    [note] = _notes(uow, case_id)
    body = str(note["body"])
    assert "전화번호가 없어 전화드릴 수 없습니다" in body
    assert "아래 고객센터 번호로 전화 주시면" in body and POLICY.contact.phone in body
    assert "곧 전화드리겠습니다" not in body


def test_a_text_only_customer_is_acknowledged_by_text(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    _without(uow, people[2], email=None)
    case_id = cases[people[2]]
    _ask(uow, case_id, channel="sms", words="통화 원함")
    [note] = _notes(uow, case_id)
    assert (note["channel"], note["subject"]) == ("sms", "")
    assert "상담원 통화 요청을 받았습니다. 상담원이 곧 전화드리겠습니다." in str(note["body"])


def test_the_note_offers_the_other_ways_not_the_call_just_asked_for(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    _ask(uow, case_id)
    [note] = _notes(uow, case_id)
    body = str(note["body"])
    assert "안내드린 방법(주문 유지 또는 주문 취소(전액 환불과 보상 포인트)) 가운데" in body
    assert "상담원과 통화)" not in body


def test_a_choice_made_while_a_picked_call_time_waits_says_the_call_will_not_come(
        shop) -> None:
    """A customer walk: 고객1 asked for a person, picked Saturday 11:00 for the call, then chose
    to keep the order themselves on Friday afternoon; the confirmation said nothing of the
    call, and they waited for it."""
    from sagwa.services.customer_call_time import set_call_time

    uow, clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    _ask(uow, case_id, channel="web", words="clicked: talk to a person")
    set_call_time(uow(), case_id=case_id, call_at=datetime(2008, 6, 14, 11, 0, tzinfo=SEOUL),
                  policy=POLICY)
    clock.now = datetime(2008, 6, 13, 15, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    with uow() as u:
        [body] = u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "confirmation")).scalars().all()
    assert ("6월 14일(토) 오전 11시(한국 시간)에 드리기로 했던 상담원 전화는 이제 드리지 않습니다"
            in body)


def test_a_choice_with_no_call_waiting_says_nothing_of_a_call(shop) -> None:
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)
    with uow() as u:
        [body] = u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "confirmation")).scalars().all()
    assert "상담원 전화는 이제 드리지 않습니다" not in body


def test_a_call_already_waiting_for_a_named_time_is_said_with_that_time(shop) -> None:
    """A review: a customer who named a time on an earlier call and then asked by email for a
    person was told "we will call you soon"."""
    from datetime import timedelta

    uow, clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    later = clock.now + timedelta(hours=5)  # Friday 15:00
    desk_cases.log_call_attempt(uow(), case_id=case_id, channel="phone",
                                outcome="callback_requested", agent="agent:park",
                                policy=POLICY, callback_at=later)
    _ask(uow, case_id)
    [note] = _notes(uow, case_id)
    body = str(note["body"])
    assert "통화 중에 말씀하신 6월 13일(금) 오후 3시(한국 시간)에 상담원이 다시 전화드리겠습니다" in body
    assert "곧 전화드리겠습니다" not in body


def test_a_reply_recorded_later_is_acknowledged_as_received_when_it_came(shop) -> None:
    """The reply asking for a call reached us at 8:40 and was recorded at 10:00 (its
    ``said_at``): the note says 8:40, not when staff got to it."""
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    case_id = cases[people[2]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="talk_to_person", channel="email",
                             evidence="답장: 전화 주세요", taken_by="agent:park", policy=POLICY,
                             said_at=datetime(2008, 6, 13, 8, 40, tzinfo=SEOUL))
    [note] = _notes(uow, case_id)
    assert "요청을 6월 13일(금) 오전 8시 40분(한국 시간)에 받았습니다" in str(note["body"])
