"""A customer who chose the discount and then cancelled instead of paying the difference, as
the agent's case page, the operator's case table, the case API and the lookup show it —
beside the choice, not only on the timeline — and a closed incident's case found by the lookup,
whose page offers only the forms the desk still takes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_cancel_instead_pages import _discounted
from test_cs_case_lookup import _card, _close, _lookup
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_messages import format_when
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.rendering import seoul

EN = ("Cancelled instead of paying the difference of 256,200 KRW (chose to buy at a discount "
      "off the correct price first, on {chosen})")
KO = "정상가에서 할인된 가격으로 구매를 먼저 골랐다가({chosen}) 차액 256,200원을 내지 않고 대신 취소"


def _cancelled(world: World, session_factory: sessionmaker[Session],
               page_settings: Settings):  # type: ignore[no-untyped-def]
    """김민준 took the discount (256,200 KRW more to pay) and, 20 minutes later, asked an
    agent on the phone to cancel instead: (the case, when he chose, when he cancelled)."""
    case = _discounted(world, session_factory, page_settings)
    chosen = case.clock.now
    case.clock.now = chosen + timedelta(minutes=20)
    cancel_instead_of_paying(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, channel="phone",
                             evidence="차액은 부담돼서 취소할게요", taken_by="agent:agent",
                             policy=POLICY)
    return case, chosen, case.clock.now


def _summary(html: str) -> str:
    found = re.search(r'<dl class="small" id="case-summary">(.*?)</dl>', html, re.DOTALL)
    assert found, "no case summary"
    return unescape(found.group(1))


def test_the_agents_case_page_says_the_discount_came_first(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case, chosen, cancelled = _cancelled(world, session_factory, page_settings)
    log_in(client, "agent")
    english = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    said = EN.format(chosen=seoul(chosen, lang="en"))
    assert said in _summary(english)  # where the choice is shown, and on the card
    card = unescape(_card(english, case.case_id))
    assert said in card and 'data-cancelled-instead="buy_at_correct_price_discount"' in card
    # the script, in the customer's language, answers the customer ringing about the refund
    assert (f"고객님께서 {format_when(cancelled, 'ko')}에 차액을 내시는 대신 주문 취소를 요청하셔서, "
            "주문은 취소되었고 결제하신 39,800원은 전액 환불됩니다. 사과의 뜻으로 5,000포인트도 "
            "드렸습니다. 이 처리는 바꾸거나 되돌릴 수 없습니다.") in card
    assert f'id="choice-{case.case_id}"' not in card and "/cancel-instead" not in card
    korean = client.get(f"/cs/cases/{case.case_id}?lang=ko").text
    assert KO.format(chosen=seoul(chosen)) in _summary(korean)


def test_a_case_that_was_not_cancelled_instead_says_nothing_of_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _discounted(world, session_factory, page_settings)
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    assert "data-cancelled-instead" not in page and "Cancelled instead" not in page


def test_the_operators_case_table_says_it_with_when(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case, chosen, cancelled = _cancelled(world, session_factory, page_settings)
    log_in(client, "admin")
    for lang, words, when in (
            ("en", EN.format(chosen=seoul(chosen, lang="en")), seoul(cancelled, lang="en")),
            # as the rest of the row: a Korean page names no zone (rendering.seoul)
            ("ko", KO.format(chosen=seoul(chosen)), seoul(cancelled))):
        page = unescape(client.get(f"/ops/incidents/{case.incident_id}?lang={lang}").text)
        body = page[page.index("<tbody>", page.index('<table id="cases"')):]
        row = body[:body.index("</tr>")]  # the incident's one case
        assert f"{words} · {when}" in row, row


def test_the_case_api_appends_what_the_cancellation_replaced(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    case, chosen, cancelled = _cancelled(world, session_factory, page_settings)
    agent = client_for("agent")
    shown = agent.get(f"/api/cases/{case.case_id}").json()
    assert shown["choice"] == "cancel_with_compensation"  # unchanged: the final choice
    assert list(shown)[-4:] == ["cancelled_instead", "call_at",  # appended after it: call_at,
                               "apology_sent", "apology_due"]  # then whether it was told
    assert shown["call_at"] is None
    said = shown["cancelled_instead"]
    assert said == {"at": said["at"], "replaced_choice": "buy_at_correct_price_discount",
                    "replaced_choice_at": said["replaced_choice_at"],
                    "difference": {"amount_minor": 256_200, "currency": "KRW"}}
    assert datetime.fromisoformat(said["at"]) == cancelled
    assert datetime.fromisoformat(said["replaced_choice_at"]) == chosen
    [listed] = [c for c in agent.get(f"/api/incidents/{case.incident_id}/cases").json()
                if c["id"] == case.case_id]
    assert listed["cancelled_instead"] == said
    assert agent.get(f"/api/cases/{world.cases['Alex Kim']}").json()["cancelled_instead"] is None


def test_a_closed_incidents_case_is_found_after_the_open_ones_and_opens_read_only(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The customer rings about their refund after the incident closed."""
    case, chosen, _ = _cancelled(world, session_factory, page_settings)
    _close(client, case.incident_id)
    log_in(client, "agent")
    assert _lookup(client, "김민준") == [world.cases["김민준"], case.case_id]  # open first
    found = unescape(client.get("/cs/cases", params={"q": "김민준", "lang": "en"}).text)
    row = re.search(rf'<tr data-case="{case.case_id}">(.*?)</tr>', found, re.DOTALL)
    assert row and "closed: takes no more choices" in row.group(1)
    assert EN.format(chosen=seoul(chosen, lang="en")) in row.group(1)
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    assert page.count("data-incident-closed") == 1
    card = _card(page, case.case_id)
    for refused in ("/choice", "/cancel-instead", "/difference-paid"):  # the desk takes none
        assert f'action="/cs/cases/{case.case_id}{refused}"' not in card
    logged = client.post(f"/cs/cases/{case.case_id}/attempt", data={
        "outcome": "reached", "note": "asked when the refund arrives", "back": "case",
        "csrf_token": csrf_of(page)})
    assert logged.status_code == 303
    assert "asked when the refund arrives" in client.get(logged.headers["location"]).text


def test_a_closed_incidents_case_still_owing_offers_payment_and_cancelling_instead(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """No choice form after closing, but the two the desk still takes on a difference."""
    case = _discounted(world, session_factory, page_settings)
    _close(client, case.incident_id)
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}?lang=ko").text
    assert "선택을 더 받지 않음" in _summary(page) and "data-incident-closed" in page
    card = _card(page, case.case_id)
    assert f'action="/cs/cases/{case.case_id}/choice"' not in card
    assert f'action="/cs/cases/{case.case_id}/difference-paid"' in card
    assert f'action="/cs/cases/{case.case_id}/cancel-instead"' in card
    done = client.post(f"/cs/cases/{case.case_id}/cancel-instead", data={
        "csrf_token": csrf_of(page), "channel": "phone", "evidence": "못 내겠어요, 취소해 주세요",
        "confirmed": "yes"})  # the confirm step's second press
    assert done.status_code == 303
    after = unescape(client.get(f"/cs/cases/{case.case_id}?lang=ko").text)
    assert "차액 256,200원을 내지 않고 대신 취소" in _summary(after)
