"""The discount choice's difference on the pages and the API: the operator's case table and
count say who still owes it, the agent records the payment on the case page (a reference is
required; sent twice, it says it was already recorded), the customer's page then says it was
received, and the API gives the case's difference and records it the same way."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of
from world import POLICY, World

from sagwa.adapters.db.tables import outbox
from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
OPTIONS = ["keep", "buy_at_correct_price_discount"]


def _discounted(client: TestClient, world: World, session_factory: sessionmaker[Session],
                page_settings: Settings):  # type: ignore[no-untyped-def]
    """김민준's 2 earphones (19,900 paid, 185,000 correct) bought at 20% off: 148,000 each,
    2 × 128,100 = 256,200 KRW more to pay."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=2),
                                  options=OPTIONS, discount_pct=20)
    case.clock.now = datetime.now(UTC) - timedelta(hours=1)
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, choice=OPTIONS[1], channel="web",
                             evidence="pressed buy at the discount", taken_by="customer",
                             policy=POLICY)
    return case


def _row(html: str, case_id: int) -> str:
    found = re.search(rf"<tr><td[^>]*>#{case_id}</td>(.*?)</tr>", html, re.DOTALL)
    assert found, f"no row for case {case_id}"
    return unescape(found.group(1))


def _bars(html: str) -> dict[str, int]:
    """The operator's progress bars: state -> count."""
    return {state: int(n) for state, n in re.findall(
        r'<tr data-state="([a-z_]+)">.*?<td class="n">(\d+)</td></tr>', html, re.DOTALL)}


def test_the_agent_records_the_difference_and_every_page_says_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(client, world, session_factory, page_settings)
    log_in(client, "admin")
    ops = unescape(client.get(f"/ops/incidents/{case.incident_id}?lang=en").text)
    assert 'data-differences-unpaid="1"' in ops
    assert "difference not yet paid: 1 (items not sent until then)" in ops
    # not counted as done in the progress bars while the items are held
    assert (_bars(ops)["resolved"], _bars(ops)["difference_unpaid"]) == (0, 1)
    assert "resolved, difference not yet paid (items held)" in ops
    assert 'data-difference="unpaid"' in _row(ops, case.case_id)
    assert "difference of 256,200 KRW unpaid" in _row(ops, case.case_id)
    # what the platform and seller still bear is the discount, not "units kept"
    assert "left after the discount 74,000 KRW" in _row(ops, case.case_id)
    assert "on units kept" not in _row(ops, case.case_id)
    assert f'<a href="/cs/cases/{case.case_id}" class="badge held"' in _row(ops, case.case_id)
    assert client.get(f"/cs/cases/{case.case_id}").status_code == 200  # an admin may record it

    client.cookies.clear()
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert f'id="difference-{case.case_id}" data-difference-paid="no"' in page
    assert "not sent until the customer pays the difference of 256,200 KRW" in page
    # read to the customer, in their language (Korean): only paying the difference is left
    assert ("이제 차액 256,200원 결제만 남았습니다. 차액은 자동으로 결제되지 않으니 저희 고객센터에서 "
            "결제해 주시면 되고, 결제가 확인되면 상품을 보내 드립니다.") in page
    korean = unescape(client.get(f"/cs/cases/{case.case_id}?lang=ko").text)
    assert "고객이 차액 256,200원을 결제하기 전까지 상품은 보내지 않습니다." in korean
    # the reminder queued with the choice, due three days after it, is named with its channel
    assert f'id="difference-reminder-{case.case_id}" data-reminder="pending"' in page
    assert re.search(r"Reminder of the difference: goes by email on .+ \(not sent if the "
                     r"payment is recorded first\)", page)
    assert re.search(r"차액 안내 메시지: .+에 이메일로 보냅니다", korean)
    # failed first: a message sent can no longer be changed (the outbox's trigger)
    for status, words in (("failed", "could not be sent by email: tell the customer how to pay"),
                          ("sent", "Reminder of the difference sent by email on ")):
        with session_factory() as session:
            session.execute(update(outbox).where(
                outbox.c.case_id == case.case_id, outbox.c.purpose == "difference_reminder")
                .values(status=status, sent_at=datetime.now(UTC) if status == "sent" else None))
            session.commit()
        shown = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
        assert f'data-reminder="{status}"' in shown and words in shown
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    url = f"/cs/cases/{case.case_id}/difference-paid"
    blank = client.post(url, data={"csrf_token": csrf_of(page), "note": "  ", "back": "case"})
    assert blank.status_code == 422
    refused = unescape(blank.text)
    assert "Say how the difference was paid: a receipt number" in refused
    assert f'aria-describedby="difference-problem-{case.case_id}"' in refused
    ok = client.post(url, data={"csrf_token": csrf_of(page), "note": "ok", "back": "case"})
    assert ok.status_code == 422  # found by QA: "ok" recorded a payment of the difference
    assert "The payment note says too little: say how it was paid" in unescape(ok.text)

    done = client.post(url, data={"csrf_token": csrf_of(page), "note": "transfer ref 0613-42",
                                  "back": "case"})
    assert done.status_code == 303 and done.headers["location"] == f"/cs/cases/{case.case_id}"
    after = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "the difference of 256,200 KRW is recorded as paid; the items can be sent" in after
    assert "The customer is sent a receipt by" in after
    assert 'data-difference-paid="yes"' in after and "transfer ref 0613-42" in after
    assert f'action="{url}"' not in after
    # the reminder went (set above): said as sent before the payment, nothing asked of it
    assert f'id="difference-reminder-{case.case_id}" data-reminder="sent"' in after
    assert "before the payment was recorded" in after
    assert "결제만 남았습니다" not in after  # the script no longer asks for it
    again = client.post(url, data={"csrf_token": csrf_of(page), "note": "transfer ref 0613-42",
                                   "back": "case"})
    assert again.status_code == 303
    shown = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "the difference was already recorded as paid; nothing was changed" in shown

    for lang, words in (("en", "We received the difference of 256,200 KRW on "),
                        ("ko", "차액 256,200원은 ")):
        customer = unescape(client.get(f"/c/{case.token}?lang={lang}").text)
        assert words in customer
    english = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "has not been charged" not in english
    # the receipt is mentioned, and the choice's moment is written as the receipt's is
    assert "We are also sending you a receipt for the difference by email." in english
    assert re.search(r"received \w+day, \w+ \d+ at [\d:]+ [ap]m Korea time\)", english)

    client.cookies.clear()
    log_in(client, "admin")
    ops = unescape(client.get(f"/ops/incidents/{case.incident_id}?lang=ko").text)
    assert "data-differences-unpaid" not in ops
    assert _bars(ops)["resolved"] == 1 and "difference_unpaid" not in _bars(ops)
    assert 'data-difference="paid"' in _row(ops, case.case_id)
    assert "차액 256,200원 결제 확인" in _row(ops, case.case_id)


def test_the_api_gives_the_difference_and_records_it_once(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    agent = client_for("agent")
    case = _discounted(agent, world, session_factory, page_settings)
    shown = agent.get(f"/api/cases/{case.case_id}").json()
    assert shown["difference"] == {"amount_minor": 256_200, "currency": "KRW"}
    assert shown["difference_paid_at"] is None
    assert list(shown)[-9:] == ["difference", "difference_paid_at", "difference_paid_by",
                                "difference_paid_note", "difference_reminder",
                                "cancelled_instead", "call_at",
                                "apology_sent", "apology_due"]  # appended, in this order
    assert shown["cancelled_instead"] is None  # the discount stands
    with session_factory() as session:  # as the agent's case page says when it goes
        [(due, channel)] = session.execute(select(outbox.c.not_before, outbox.c.channel).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "difference_reminder")).all()
    reminder = shown["difference_reminder"]
    assert reminder == {"status": "pending", "channel": channel, "due_at": reminder["due_at"],
                        "sent_at": None, "after_payment": None}
    assert datetime.fromisoformat(reminder["due_at"]) == due  # with its time zone
    [listed] = [c for c in agent.get(f"/api/incidents/{case.incident_id}/cases").json()
                if c["id"] == case.case_id]
    assert listed["difference_reminder"] == reminder  # the incident's cases say it too
    url = f"/api/cases/{case.case_id}/difference-paid"
    for body, reason in (({"note": ""}, "payment_note_required"),
                         ({}, "payment_note_required"),
                         ({"note": "ok"}, "payment_note_too_short"),  # says nothing to check
                         ({"note": "x" * 5000}, "payment_note_too_long")):
        missing = agent.post(url, json=body)
        assert missing.status_code == 422, missing.text
        assert missing.json()["details"]["reason"] == reason
    first = agent.post(url, json={"note": "receipt 42"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert list(body) == ["case_id", "difference", "paid_at", "recorded_by", "note", "changed",
                          "receipt", "sellers_told",  # sellers_told appended (2026-12-04)
                          "note_recorded"]  # appended (2026-12-05)
    assert isinstance(body["sellers_told"], int) and body["note_recorded"] is True
    assert body["receipt"] in {"email", "sms"}
    assert body["difference"] == {"amount_minor": 256_200, "currency": "KRW"}
    assert body["recorded_by"] == "api:agent" and body["changed"] is True
    again = agent.post(url, json={"note": "another"}).json()
    assert again["changed"] is False and again["note"] == "receipt 42"
    assert again["receipt"] is None  # the first record sent it
    assert again["paid_at"] == body["paid_at"]
    shown = agent.get(f"/api/cases/{case.case_id}").json()
    assert shown["difference_paid_at"] == body["paid_at"]
    assert (shown["difference_paid_by"], shown["difference_paid_note"]) == ("api:agent",
                                                                            "receipt 42")
    # withdrawn, as the case page says: the payment was recorded first
    assert shown["difference_reminder"] == {**reminder, "status": "withdrawn",
                                            "after_payment": "withdrawn"}
    assert agent.post(url, json={"note": ""}).json()["changed"] is False  # recorded already
    other = world.cases["Alex Kim"]  # has not chosen: owes nothing
    assert agent.get(f"/api/cases/{other}").json()["difference_reminder"] is None
    refused = agent.post(f"/api/cases/{other}/difference-paid", json={"note": "receipt"})
    assert refused.status_code == 409
    assert refused.json()["details"] == {"reason": "no_difference_owed", "case_id": other}
    reviewer = client_for("reviewer")
    assert reviewer.post(url, json={"note": "receipt"}).status_code == 403


def test_a_refused_record_says_why_on_the_case_page(
        client: TestClient, world: World) -> None:
    """Alex Kim has not chosen: the page that refuses it says so (the form is not on it)."""
    log_in(client, "agent")
    case_id = world.cases["Alex Kim"]
    page = client.get(f"/cs/cases/{case_id}?lang=en").text
    answer = client.post(f"/cs/cases/{case_id}/difference-paid",
                         data={"csrf_token": csrf_of(page), "note": "receipt 1", "back": "case"})
    assert answer.status_code == 409
    assert "This customer owes no difference" in unescape(answer.text)


def test_after_closing_a_case_still_owing_it_is_found_and_recorded(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The incident closes with the difference unpaid; the customer rings later to pay."""
    from test_cs_case_lookup import _close, _lookup

    case = _discounted(client, world, session_factory, page_settings)
    _close(client, case.incident_id)
    _close(client, world.incident)
    log_in(client, "admin")
    ops = unescape(client.get(f"/ops/incidents/{case.incident_id}?lang=en").text)
    assert "it takes no more choices." in ops and "or calls" not in ops
    assert ("The 1 customer still owing a difference can pay after closing: record it on the "
            "agent's case page") in ops
    client.cookies.clear()
    log_in(client, "agent")
    assert _lookup(client, f"#{case.case_id}") == [case.case_id]
    # both incidents closed: the case still owing a difference comes before the settled one
    assert _lookup(client, "김민준") == [case.case_id, world.cases["김민준"]]
    found = unescape(client.get("/cs/cases", params={"q": f"#{case.case_id}", "lang": "en"}).text)
    assert "resolved <span class=\"badge held\" data-difference-unpaid>difference unpaid" in found
    assert "closed: takes no more choices" in found
    # the box's hint says closed incidents' cases are found too, after the open ones
    assert ("Search the cases by case number, phone number, name (the start is enough) or "
            "email: open incidents' cases first, then closed incidents' cases, marked closed."
            ) in found
    korean = unescape(client.get("/cs/cases", params={"lang": "ko"}).text)
    assert "진행 중인 사고의 건이 먼저, 종료된 사고의 건은 그 뒤에 ‘종료’ 표시와 함께 나옵니다." in korean
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    # the script read to the caller says the difference is owed, not that all is done
    assert "이제 차액 256,200원 결제만 남았습니다." in unescape(page)
    assert "이 건의 처리는 모두 끝나" not in unescape(page)
    assert client.post(f"/cs/cases/{case.case_id}/difference-paid",
                       data={"csrf_token": csrf_of(page), "note": "transfer after closing",
                             "back": "case"}).status_code == 303
    # still found (the customer may ring about it), no longer owing
    assert _lookup(client, f"#{case.case_id}") == [case.case_id]
    paid = unescape(client.get("/cs/cases", params={"q": f"#{case.case_id}"}).text)
    assert "data-difference-unpaid" not in paid and "data-closed" in paid


def test_before_choosing_the_customer_and_the_agent_see_what_the_discount_leaves_to_pay(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """김민준's 2 earphones at 20% off: 256,200 KRW more, on his page and in the agent's
    script, before anything is chosen (the choice cannot be undone)."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=2),
                                  options=OPTIONS, discount_pct=20)
    for lang, words in (("ko", "결제하신 금액과의 차액 256,200원은 자동으로 결제되지 않아"),
                        ("en", ("The difference of 256,200 KRW from what you paid is not "
                               "charged automatically"))):
        assert words in unescape(client.get(f"/c/{case.token}?lang={lang}").text)
    page = client.get(f"/c/{case.token}?lang=en").text
    preview = unescape(client.post(f"/c/{case.token}/choose?lang=en", data={
        "choice": OPTIONS[1], "csrf_token": csrf_of(page)}, follow_redirects=True).text)
    assert "sent once the difference is paid (through our customer centre)" in preview
    log_in(client, "agent")
    script = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "차액 256,200원은 자동으로 결제되지 않아" in script  # read to him in Korean


def test_once_paid_the_case_page_says_the_reminder_was_not_sent(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(client, world, session_factory, page_settings)
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    done = client.post(f"/cs/cases/{case.case_id}/difference-paid",
                       data={"csrf_token": csrf_of(page), "note": "transfer ref 0613-43",
                             "back": "case"})
    assert done.status_code == 303
    after = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert f'id="difference-reminder-{case.case_id}" data-reminder="withdrawn"' in after
    assert "The reminder of the difference was not sent: the payment was recorded first." in after
    korean = unescape(client.get(f"/cs/cases/{case.case_id}?lang=ko").text)
    assert "차액 안내 메시지는 결제가 먼저 기록되어 보내지 않았습니다." in korean


def test_the_customer_page_names_the_channel_the_confirmation_went_by(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """From a walkthrough: the confirmation went by text; an agent then swapped the number for
    an address, and the page said "we have sent you a confirmation email"."""
    case = _discounted(client, world, session_factory, page_settings)
    with session_factory() as session:
        [via] = session.execute(select(outbox.c.channel).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "confirmation")).scalars()
        session.execute(update(outbox).where(outbox.c.case_id == case.case_id,
                                             outbox.c.purpose == "confirmation")
                        .values(channel="sms", recipient="010-0000-0000"))
        session.commit()
    assert via == "email"  # as the customer's details chose it then; now it reads as a text
    page = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert 'id="confirmation-sent" data-via="sms"' in page
    assert "We have sent you a confirmation text message." in page
    assert "confirmation email" not in page


def test_once_paid_a_reminder_sent_before_says_when_it_went(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(client, world, session_factory, page_settings)
    with session_factory() as session:
        session.execute(update(outbox).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "difference_reminder")
            .values(status="sent", sent_at=datetime.now(UTC) - timedelta(minutes=30)))
        session.commit()
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    assert client.post(f"/cs/cases/{case.case_id}/difference-paid",
                       data={"csrf_token": csrf_of(page), "note": "transfer 0613-44",
                             "back": "case"}).status_code == 303
    after = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert f'id="difference-reminder-{case.case_id}" data-reminder="sent"' in after
    assert ", before the payment was recorded." in after and "was not sent" not in after


def _amounts(page: str) -> list[tuple[str, str]]:
    """The customer page's figures: (what, amount) as its ``<dl id="amounts">`` lists them."""
    found = re.search(r'<dl id="amounts">(.*?)</dl>', unescape(page), re.DOTALL)
    assert found, "no figures on the page"
    return re.findall(r"<dt>(.*?)</dt> <dd><strong>(.*?)</strong></dd>", found.group(1))


def test_once_the_difference_is_paid_the_customer_sees_what_they_paid_in_all(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """A walkthrough's finding: once the difference was paid, the customer's figures still
    began with "You paid" (39,800 KRW, what was paid at order) and gave no total. They now say
    what was paid at order, the difference paid and the total paid."""
    case = _discounted(client, world, session_factory, page_settings)
    assert _amounts(client.get(f"/c/{case.token}?lang=en").text) == [  # still owed
        ("You paid", "39,800 KRW (2 units)"),
        ("Your order at the discounted price", "296,000 KRW, 148,000 KRW each"),
        ("Difference from what you paid", "256,200 KRW")]
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    assert client.post(f"/cs/cases/{case.case_id}/difference-paid",
                       data={"csrf_token": csrf_of(page), "note": "transfer ref 0613-45",
                             "back": "case"}).status_code == 303
    assert _amounts(client.get(f"/c/{case.token}?lang=ko").text) == [
        ("주문하실 때 결제하신 금액", "39,800원 (2개)"),
        ("추가로 결제하신 차액", "256,200원"),
        ("총 결제 금액", "296,000원 · 1개당 148,000원")]
    assert _amounts(client.get(f"/c/{case.token}?lang=en").text) == [
        ("Paid when you ordered", "39,800 KRW (2 units)"),
        ("Difference you paid", "256,200 KRW"),
        ("Total paid", "296,000 KRW, 148,000 KRW each")]
