"""What an agent does on the case page that cannot be taken back is read back first: a choice
given on the phone (order cancelled, refund, points booked at once) and a phone number deleted
from a customer owed a call. Contact details changed keep, on the audit log, the old and new
values masked, and show on the incident's timeline; the card warns when the contact centre is
closed; the script checks who is on the line and promises only what happens."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

from sagwa.domain.audit_text import TextVerdict
from sagwa.services.recorded_texts import text_matches
from sagwa.testing.deadlines import open_day_after

pytestmark = pytest.mark.e2e


def _card(html: str, case_id: int) -> str:
    found = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', html,
                      re.DOTALL)
    assert found, f"no card for case {case_id}"
    return found.group(1)


def _audit(client: TestClient, customer_id: int) -> list[dict]:  # type: ignore[type-arg]
    """The customer's contact corrections on the audit log: before and after."""
    uow = client.app.state.uow_factory()  # type: ignore[attr-defined]
    with uow as u:
        return [{"before": r.event.before, "after": r.event.after}
                for r in u.audit.for_entity("customer", str(customer_id))
                if r.event.action == "customer.contact_changed"]


def test_a_choice_given_on_the_phone_is_read_back_before_it_is_recorded(
        client: TestClient, world: World) -> None:
    """Before: "선택 기록" cancelled the order, refunded and booked the points at once, with no
    read-back — the customer's own page asks "이대로 진행할까요?" first."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    first = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "취소하고 포인트 받을게요", "back": "case",
        "csrf_token": csrf_of(page)})
    assert first.status_code == 200, first.text[:300]
    shown = unescape(first.text)
    assert 'id="confirm-choice"' in shown
    read_back = re.search(r"<p data-read-back>(.*?)</p>", shown, re.DOTALL)
    assert read_back and "고객님께" in read_back.group(1) and "처리해 드릴까요?" in read_back.group(1)
    # when the refund arrives, as the customer's own page and messages say it (before: not said)
    timing = client.app.state.desk_policy.contact.refund_timing_ko  # type: ignore[attr-defined]
    assert timing in read_back.group(1)
    assert "“취소하고 포인트 받을게요”" in shown
    assert 'name="confirmed" value="yes"' in shown
    # nothing recorded yet
    assert 'data-choice=""' in client.get(f"/cs/cases/{case_id}").text
    done = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "취소하고 포인트 받을게요", "back": "case",
        "confirmed": "yes", "csrf_token": csrf_of(first.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/cs/cases/{case_id}"
    after = unescape(client.get(f"/cs/cases/{case_id}").text)
    assert 'data-choice="cancel_with_compensation"' in after
    assert timing in _script(_card(after, case_id))  # a later call is told it too


def test_the_choice_read_back_is_in_english_for_an_english_speaking_customer(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["Alex Kim"]
    page = client.get(f"/cs/cases/{case_id}").text
    first = client.post(f"/cs/cases/{case_id}/choice?lang=en", data={
        "choice": "keep", "words": "I'll keep it", "back": "case",
        "csrf_token": csrf_of(page)})
    assert first.status_code == 200
    read_back = re.search(r"<p data-read-back>(.*?)</p>", unescape(first.text), re.DOTALL)
    assert read_back and "Shall I" in read_back.group(1)
    assert "refund" not in read_back.group(1).lower()  # keeping refunds nothing: no timing


def _script(card: str) -> str:
    found = re.search(r'<div class="script"[^>]*>(.*?)</div>', card, re.DOTALL)
    assert found, "no call script on the card"
    return found.group(1)


def test_the_script_checks_who_is_on_the_line_and_promises_only_what_happens(
        client: TestClient, world: World) -> None:
    """Before: the script promised "제가 메모해서 담당자에게 전달해 드리겠습니다" — a logged note
    reached no one — and went into the order without checking who the agent was talking to.
    Notes now reach the next agent and a follow-up stays listed until resolved
    (``desk_follow_ups``): the script says that much, and no more."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    card = _card(unescape(client.get(f"/cs/cases/{case_id}").text), case_id)
    script = _script(card)
    assert "담당자에게 전달" not in script and "for a specialist" not in script
    assert ("다음에 다른 상담원이 받더라도 그 내용을 보고 이어서 도와드립니다. 다시 연락드려야 할 일이면 "
            "후속 조치로 남겨 두고, 처리될 때까지 챙겨서 다시 연락드리겠습니다") in script
    identity = re.search(r"<p[^>]*data-identity-check[^>]*>(.*?)</p>", script, re.DOTALL)
    assert identity and "성함" in identity.group(1) and "주문하신 상품" in identity.group(1)
    assert script.index("data-identity-check") < script.index("data-script-options")
    english = _card(unescape(client.get(f"/cs/cases/{world.cases['Alex Kim']}?lang=en").text),
                    world.cases["Alex Kim"])
    assert ("I will mark it for follow-up: it stays on our team's list until it is dealt with, "
            "and we will contact you again") in _script(english)
    assert "name and the item they ordered" in _script(english)


def test_the_script_says_by_when_and_that_no_choice_costs_the_customer(
        client: TestClient, world: World) -> None:
    """A CS walk: the deadline was only an agent's note — without a zone in an English
    customer's script on a Korean page — and nothing answered "will I suffer disadvantages?"."""
    log_in(client, "agent")
    korean = _script(_card(unescape(client.get(f"/cs/cases/{world.cases['김민준']}").text),
                           world.cases["김민준"]))
    line = re.search(r"<p data-script-deadline>(.*?)</p>", korean, re.DOTALL)
    assert line and "(한국 시간)까지 알려 주시면 됩니다. 그때까지 답이 없으시면" in line.group(1)
    assert "어떤 방법을 고르셔도 고객님께 불이익은 없습니다" in line.group(1)
    # an English customer's script, read from a Korean page, names Korea time
    english = _script(_card(unescape(client.get(f"/cs/cases/{world.cases['Alex Kim']}").text),
                            world.cases["Alex Kim"]))
    line = re.search(r"<p data-script-deadline>(.*?)</p>", english, re.DOTALL)
    assert line and "You can tell us any time before" in line.group(1)
    assert "Korea time. If we do not hear from you by then," in line.group(1)
    assert "it will not be held against you" in line.group(1)


SEOUL = ZoneInfo("Asia/Seoul")


def _next(weekday: int, hour: int, minute: int) -> datetime:
    """The next such time in Korea (Monday 0 … Sunday 6), at least a day from now."""
    day = datetime.now(SEOUL) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_the_card_warns_when_the_contact_centre_is_closed(client_at, world: World) -> None:  # type: ignore[no-untyped-def]
    """Before: on Saturday at 23:29 the agent's page took call outcomes with no word that
    nobody should phone a customer then (the audit said within_contact_hours: false)."""
    case_id = world.cases["김민준"]
    late = client_at(_next(5, 23, 29))
    log_in(late, "agent")
    card = _card(unescape(late.get(f"/cs/cases/{case_id}").text), case_id)
    warning = re.search(r'<p[^>]*data-centre-closed[^>]*>(.*?)</p>', card, re.DOTALL)
    assert warning, "no closed warning on the card"
    assert "지금은 고객센터 운영 시간이 아닙니다" in warning.group(1)
    assert "고객께 전화하지 마세요" in warning.group(1) and "다음 운영:" in warning.group(1)
    english = _card(unescape(late.get(f"/cs/cases/{case_id}?lang=en").text), case_id)
    assert "The contact centre is closed now" in english and "do not phone the customer" in english
    queue = unescape(late.get("/cs/queue").text)
    assert "data-centre-closed" in queue
    monday = open_day_after(datetime.now(SEOUL), weekday=0)  # not a holiday (설날, 추석)
    open_now = client_at(datetime.combine(monday, time(11, 0), tzinfo=SEOUL))
    log_in(open_now, "agent")
    assert "data-centre-closed" not in open_now.get(f"/cs/cases/{case_id}").text


def _contact_form(client: TestClient, case_id: int) -> str:
    return client.get(f"/cs/cases/{case_id}").text


def test_a_contact_change_keeps_the_old_and_new_number_masked_and_the_reason(
        client: TestClient, world: World) -> None:
    """Before: the audit said before: null and after.phone: "changed" — the old number was
    nowhere, no reason was asked, and the incident's timeline showed nothing of it."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = _contact_form(client, case_id)
    was = re.search(r'name="phone_was" value="([^"]*)"', page)
    assert was and was.group(1)
    assert 'id="contact-note"' in page  # a reason is offered
    answer = client.post(f"/cs/cases/{case_id}/contact", data={
        "phone": "010-2690-6373", "email": re.search(r'name="email_was" value="([^"]*)"',
                                                     page).group(1),  # type: ignore[union-attr]
        "phone_was": was.group(1), "email_was": re.search(
            r'name="email_was" value="([^"]*)"', page).group(1),  # type: ignore[union-attr]
        "note": "고객이 번호가 바뀌었다고 전화함", "csrf_token": csrf_of(page)})
    assert answer.status_code == 303, answer.text[:400]
    [audit] = _audit(client, world.customers["김민준"])
    assert audit["after"]["phone"] == "changed"  # what was recorded before stays
    assert audit["after"]["masked"] == {"phone": "010-****-6373"}
    # the reason as a keyed digest (``recorded_texts``): never the text, which holds personal
    # data the audit log could never erase
    assert "고객이 번호가" not in str(audit)
    with client.app.state.uow_factory() as u:  # type: ignore[attr-defined]
        assert text_matches(u, "고객이 번호가 바뀌었다고 전화함", audit["after"],
                            "note") is TextVerdict.MATCHES
    old_digits = re.sub(r"\D", "", was.group(1))
    assert audit["before"]["phone"].endswith(old_digits[-4:]) and "*" in audit["before"]["phone"]
    assert old_digits not in re.sub(r"\D", "", str(audit))  # never the whole number
    assert "2690" not in str(audit)
    client.cookies.clear()
    log_in(client, "admin")
    timeline = unescape(client.get(f"/ops/incidents/{world.incident}/timeline").text)
    row = re.search(r'<tr data-action="customer.contact_changed">(.*?)</tr>', timeline, re.DOTALL)
    assert row, "the contact change is not on the incident's timeline"
    assert "고객 1명" in row.group(1) and "전화번호를 고침" in row.group(1)


def test_deleting_the_number_of_a_customer_waiting_for_a_call_asks_first(
        client: TestClient, world: World) -> None:
    """Before: an empty phone field deleted the number of 이서연, who had just asked to be
    called, with no confirmation — and so gave up the call owed."""
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = _contact_form(client, case_id)
    assert 'name="confirm_remove_phone"' in page
    was = re.search(r'name="phone_was" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    email = re.search(r'name="email_was" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    data = {"phone": "", "email": email, "phone_was": was, "email_was": email,
            "csrf_token": csrf_of(page)}
    refused = client.post(f"/cs/cases/{case_id}/contact", data=data)
    assert refused.status_code == 422, refused.text[:300]
    assert "전화를 기다리는 고객" in unescape(refused.text)
    assert f'value="{was}"' in client.get(f"/cs/cases/{case_id}").text  # still on file
    assert not _audit(client, world.customers["이서연"])
    done = client.post(f"/cs/cases/{case_id}/contact",
                       data={**data, "confirm_remove_phone": "yes"})
    assert done.status_code == 303, done.text[:300]


def test_the_contact_history_names_an_agent_the_same_whether_by_page_or_api(
        client: TestClient, world: World) -> None:
    """Before: a call logged through the API read "agent", one logged on the page "상담원
    agent" — the same person, two names."""
    from world import POLICY

    from sagwa.services import desk_cases

    case_id = world.cases["김민준"]
    desk_cases.log_call_attempt(client.app.state.uow_factory(),  # type: ignore[attr-defined]
                                case_id=case_id, channel="phone", outcome="no_answer",
                                agent="api:agent", note="by the API", policy=POLICY)
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case_id}").text
    client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "busy", "note": "on the page", "back": "case", "csrf_token": csrf_of(page)})
    card = _card(unescape(client.get(f"/cs/cases/{case_id}").text), case_id)
    rows = re.findall(r"<li>(.*?)</li>", card.split('class="small attempts"')[1], re.DOTALL)
    api = next(r for r in rows if "by the API" in r)
    on_page = next(r for r in rows if "on the page" in r)
    assert "상담원 agent" in api and "상담원 agent" in on_page
