"""The agents' case lookup (/cs/cases) and case page (/cs/cases/{id}): a customer who rings in,
or who left the call list, is found by case number, phone, name or email, and their case offers
the same script and forms as the call list, with refusals said to the agent on that page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of, log_in
from world import POLICY, World

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import customers, incidents
from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import ManualClock, utc_now
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e


def _found(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)">', html)]


def _lookup(client: TestClient, q: str) -> list[int]:
    answer = client.get("/cs/cases", params={"q": q})
    assert answer.status_code == 200, answer.text[:500]
    return _found(answer.text)


def _close(client: TestClient, incident_id: int) -> None:
    """The incident as an operator left it once every case was settled: closed."""
    uow = client.app.state.uow_factory()  # type: ignore[attr-defined]
    with uow:
        uow.conn.execute(update(incidents).where(incidents.c.id == incident_id)
                         .values(status="closed", closed_at=utc_now()))
        uow.commit()


@pytest.mark.parametrize("q", ["#{id}", "{id}", "# {id}"])
def test_a_case_is_found_by_its_number(client: TestClient, world: World, q: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    assert _lookup(client, q.format(id=case_id)) == [case_id]


@pytest.mark.parametrize("q", ["010-1234-0000", "01012340000", "+82 10-1234-0000",
                               "+82 10 1234 0000", "+82 010-1234-0000", "(010) 1234 0000",
                               # QA: 00 (the international prefix) and 82 found nothing
                               "0082 10 1234 0000", "00 82 10-1234-0000", "010–1234–0000"])
def test_a_case_is_found_by_the_customers_phone_however_it_is_written(
        client: TestClient, world: World, q: str) -> None:
    log_in(client, "agent")
    assert _lookup(client, q) == [world.cases["김민준"]]
    assert f'value="{q}"' in client.get("/cs/cases", params={"q": q}).text  # kept in the box


@pytest.mark.parametrize(("q", "who"), [
    ("김민준", "김민준"), ("이서", "이서연"), ("Alex Kim", "Alex Kim"), ("alex", "Alex Kim"),
    ("kim", "Alex Kim"), ("1@EXAMPLE.com", "이서연"), (" 2@example.com ", "Alex Kim"),
    ("김 민준", "김민준"), ("이 서연", "이서연"), ("이 서", "이서연")])  # QA: a space in a Korean name
def test_a_case_is_found_by_name_or_prefix_or_email(client: TestClient, world: World, q: str,
                                                      who: str) -> None:
    log_in(client, "agent")
    assert _lookup(client, q) == [world.cases[who]]


# "@example.com" (a domain alone) is refused, saying to type the email's start:
# test_cs_case_lookup_tails.py; without its @ it is a name nobody has, and no email's start
@pytest.mark.parametrize("q", ["%", "_", "민준", "lex", "example.com", "1234", "010-1234-00",
                               "alexkim", "Al ex"])  # a space parts a Latin name's words
def test_wildcards_and_partial_numbers_find_nothing(client: TestClient, world: World,
                                                    q: str) -> None:
    log_in(client, "agent")
    answer = client.get("/cs/cases", params={"q": q})
    assert _found(answer.text) == []
    assert 'id="lookup-none"' in answer.text and "진행 중인 사고와 종료된 사고의 건을 모두 찾았습니다" in answer.text


def test_a_korean_name_typed_with_a_space_says_spaces_did_not_matter(client: TestClient,
                                                                    world: World) -> None:
    log_in(client, "agent")
    korean = client.get("/cs/cases", params={"q": "김 민준", "lang": "ko"}).text
    assert _found(korean) == [world.cases["김민준"]]
    assert "data-spaces-ignored> 한글 이름은 띄어 쓴 곳과 상관없이 찾았습니다." in korean
    english = client.get("/cs/cases", params={"q": "김 민준", "lang": "en"}).text
    assert "data-spaces-ignored> A Korean name is matched with or without its spaces." in english
    assert "data-spaces-ignored" not in client.get("/cs/cases", params={"q": "Alex Kim"}).text


def test_a_hash_and_a_number_too_large_for_any_case_finds_no_case(client: TestClient,
                                                                 world: World) -> None:
    """QA: "#" and 19 digits or more was looked up as a name ("찾은 기준: 이름 ‘#9999…’")."""
    log_in(client, "agent")
    for q in ("#" + "9" * 19, "#" + "1" * 40):
        answer = client.get("/cs/cases", params={"q": q, "lang": "ko"})
        assert answer.status_code == 200 and _found(answer.text) == []
        said = answer.text
        assert 'data-by="case_number"' in said and f"찾은 기준: 건 번호 {q}" in said
        assert "이름" not in re.search(r'id="lookup-by"[^>]*>(.*?)</p>', said, re.DOTALL).group(1)
        assert 'id="lookup-none"' in said


def test_a_result_shows_name_incident_status_choice_and_deadline(client: TestClient,
                                                                 world: World) -> None:
    log_in(client, "agent")
    html = client.get("/cs/cases", params={"q": "이서연", "lang": "en"}).text
    row = re.search(rf'<tr data-case="{world.cases["이서연"]}">(.*?)</tr>', html, re.DOTALL)
    assert row, html[:2000]
    cells = row.group(1)
    assert "이서연" in cells and f"#{world.incident}" in cells
    assert "on the call list" in cells and "data-on-call-list" in cells
    assert 'data-choice="talk_to_person"' in cells and "talk to a person" in cells.lower()
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells)  # the deadline
    assert f'href="/cs/cases/{world.cases["이서연"]}"' in cells


def test_an_empty_or_too_long_search_says_what_to_type(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    empty = client.get("/cs/cases", params={"q": "   "})
    assert empty.status_code == 422
    assert "건 번호(#12), 전화번호, 이름이나 이메일을 입력해 주세요" in empty.text
    long = client.get("/cs/cases", params={"q": "가" * 101, "lang": "en"})
    assert long.status_code == 422
    assert "A search is at most 100 characters" in long.text
    assert 'id="lookup-results"' not in long.text
    assert client.get("/cs/cases").status_code == 200  # no search yet: just the box


def test_cases_of_a_closed_incident_are_found_marked_closed(client: TestClient,
                                                           world: World) -> None:
    """A customer rings about their refund after the incident closed: the agent finds them."""
    log_in(client, "agent")
    _close(client, world.incident)
    case_id = world.cases["김민준"]
    assert _lookup(client, f"#{case_id}") == [case_id]
    assert _lookup(client, "010-1234-0000") == [case_id]
    html = client.get("/cs/cases", params={"q": "김민준", "lang": "en"}).text
    row = re.search(rf'<tr data-case="{case_id}">(.*?)</tr>', html, re.DOTALL)
    assert row and "data-closed" in row.group(1) and "closed: takes no more choices" in row.group(1)
    korean = client.get("/cs/cases", params={"q": "김민준", "lang": "ko"}).text
    assert "종료된 사고: 선택은 더 받지 않음" in korean


def test_results_are_bounded_and_say_there_are_more(client: TestClient, world: World) -> None:
    from sagwa.services.case_lookup import find_cases

    uow = client.app.state.uow_factory()  # type: ignore[attr-defined]
    with uow:  # 이서연 married into the 김 family: two customers' names start with 김
        uow.conn.execute(update(customers).where(customers.c.id == world.customers["이서연"])
                         .values(name="김서연"))
        uow.commit()
    capped = find_cases(client.app.state.uow_factory(), typed="김", limit=1)  # type: ignore[attr-defined]
    assert len(capped.found) == 1 and capped.more
    log_in(client, "agent")
    assert sorted(_lookup(client, "김")) == sorted([world.cases["김민준"], world.cases["이서연"]])


@pytest.mark.parametrize("role", ["seller_a", "reviewer"])
def test_only_agents_and_admins_may_look_cases_up(client: TestClient, world: World,
                                                   role: str) -> None:
    log_in(client, role)
    assert client.get("/cs/cases", params={"q": "김민준"}).status_code == 403
    assert client.get(f"/cs/cases/{world.cases['김민준']}").status_code == 403


def test_an_admin_may_look_cases_up(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    assert _lookup(client, "김민준") == [world.cases["김민준"]]


def test_the_lookup_needs_a_session(client: TestClient) -> None:
    answer = client.get("/cs/cases", params={"q": "김민준"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_call_list_has_the_search_box(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    html = client.get("/cs/queue").text
    assert 'action="/cs/cases"' in html and 'name="q"' in html


def _card(html: str, case_id: int) -> str:
    found = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', html,
                      re.DOTALL)
    assert found, f"no card for case {case_id}"
    return found.group(1)


def test_a_customer_not_on_the_call_list_gets_the_script_and_both_forms(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    assert case_id not in [int(n) for n in re.findall(r'id="case-(\d+)"',
                                                      client.get("/cs/queue").text)]
    page = client.get(f"/cs/cases/{case_id}")
    assert page.status_code == 200
    card = _card(page.text, case_id)
    assert "진심으로 사과드립니다" in card
    assert f'action="/cs/cases/{case_id}/choice"' in card
    assert f'action="/cs/cases/{case_id}/attempt"' in card
    assert card.count('name="back" value="case"') == 2
    assert 'id="case-summary"' in page.text and "안내 발송" in page.text  # status: notified
    assert re.search(r'id="lookup-q" name="q" type="search" maxlength="100" required value=""',
                     page.text)  # an empty search box, nothing of the card leaking into it


def test_a_choice_recorded_on_the_case_page_comes_back_to_it(client: TestClient,
                                                             world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    answer = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "전화로: 취소하고 포인트 받을게요",
        "back": "case", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert answer.status_code == 303 and answer.headers["location"] == f"/cs/cases/{case_id}"
    after = client.get(answer.headers["location"]).text
    assert f"#{case_id} 고객 선택 기록:" in after
    assert 'data-choice="cancel_with_compensation"' in after
    assert 'data-status="resolved"' in after


def test_a_call_logged_on_the_case_page_comes_back_to_it(client: TestClient,
                                                         world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["Alex Kim"]
    page = client.get(f"/cs/cases/{case_id}").text
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "reached", "note": "rang in", "back": "case", "csrf_token": csrf_of(page)})
    assert answer.status_code == 303 and answer.headers["location"] == f"/cs/cases/{case_id}"
    card = _card(client.get(answer.headers["location"]).text, case_id)
    assert 'data-outcome="reached"' in card and "rang in" in card


def test_a_second_choice_on_the_case_page_is_refused_there_with_what_was_typed(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    page = client.get(f"/cs/cases/{case_id}").text
    answer = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "역시 취소해 주세요", "back": "case",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 409
    assert 'id="case-summary"' in answer.text  # the case page, not the call list
    card = _card(answer.text, case_id)
    assert f'id="problem-{case_id}">이 건은 고객의 선택이 이미 기록되어 있어 바꿀 수 없습니다' in card
    assert "상담원과 통화해 주세요" not in answer.text
    # no choice form any more: what the customer asked for waits in the call log's note
    assert f'id="note-{case_id}" name="note" type="text" value="역시 취소해 주세요"' in card
    assert f'id="choice-{case_id}"' not in card


def test_a_choice_on_a_closed_incidents_case_is_refused_in_the_agents_words(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    _close(client, world.incident)
    answer = client.post(f"/cs/cases/{case_id}/choice?lang=en", data={
        "choice": "keep", "words": "keep it please", "back": "case",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 409
    card = _card(answer.text, case_id)
    assert "This incident is closed, so no choice can be recorded on it any more" in card
    assert "please contact our customer centre" not in answer.text
    assert 'value="keep it please"' in card
    assert 'data-incident-status="closed"' in answer.text


def test_a_case_page_for_no_such_case_is_not_found(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    assert client.get("/cs/cases/987654").status_code == 404


@pytest.fixture
def after_deadline(database: Database, session_factory: sessionmaker[Session],
                   page_settings: Settings, world: World) -> Iterator[TestClient]:
    """The site a day after the plan's deadline: the default applied; 이서연, who asked for a
    person, is owed a call."""
    from sagwa.adapters.db.database import Database as Db
    from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

    clock = ManualClock(world.deadline + timedelta(days=1))
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, clock),
                              incident_id=world.incident, actor="sagwa:deadline")
    db = Db(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(page_settings, database=db, clock=clock),
                    follow_redirects=False) as c:
        yield c


def test_reaching_the_customer_owed_a_call_opens_their_case_to_record_the_choice(
        after_deadline: TestClient, world: World) -> None:
    client = after_deadline
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    queue = client.get("/cs/queue").text
    assert f'id="case-{case_id}"' in queue
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "reached", "note": "", "csrf_token": csrf_of(queue)})
    assert answer.status_code == 303 and answer.headers["location"] == f"/cs/cases/{case_id}"
    page = client.get(answer.headers["location"]).text
    assert "이 화면에서 기록해 주세요" in page
    assert f'id="case-{case_id}"' not in client.get("/cs/queue").text  # off the list
    answer = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "취소해 주세요", "back": "case",
        "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert answer.status_code == 303
    assert 'data-choice="cancel_with_compensation"' in client.get(
        answer.headers["location"]).text


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_an_agent_finds_a_customer_who_rang_in_and_records_their_choice_in_chromium(
        page, site) -> None:  # type: ignore[no-untyped-def]
    from browsing import login, shot
    from world import PASSWORD

    case_id = site.world.cases["김민준"]
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    page.fill("#lookup-q", "+82 10-1234-0000")
    page.click("#case-lookup button[type=submit]")
    page.wait_for_url("**/cs/cases?q=*")
    row = page.locator(f"tr[data-case='{case_id}']")
    assert "김민준" in row.inner_text() and "안내 발송" in row.inner_text()
    shot(page, "cs-case-lookup-results")
    row.locator(f"a[href='/cs/cases/{case_id}']").first.click()
    page.wait_for_url(f"**/cs/cases/{case_id}")
    card = page.locator(f"#case-{case_id}")
    assert "사과드립니다" in card.locator(".script").inner_text()
    card.locator("select[name=choice]").select_option("keep")
    card.locator("input[name=words]").fill("그냥 받을게요, 감사합니다")
    card.locator("form[action$='/choice'] button").click()
    page.wait_for_selector("#confirm-choice-step [data-read-back]")  # read back, then confirm
    # what it does, said to the agent about the customer (a CS walk read "결제하신 … 보내 드립니다",
    # the customer's voice, on the agent's page); the read-back below is the customer's
    terms = page.locator("#confirm-choice-step dl").inner_text()
    assert "고객 주문" in terms and "고객이 결제한" in terms and "보내 드립니다" not in terms
    page.click("#confirm-choice")
    page.wait_for_selector(".flash")
    assert page.url.endswith(f"/cs/cases/{case_id}")
    assert page.locator("#case-summary [data-choice]").get_attribute("data-choice") == "keep"
    shot(page, "cs-case-choice-recorded")


@pytest.mark.parametrize("q", ["주문 {o}", "주문번호 {o}", "order {o}", "Order no. {o}"])
def test_a_case_is_found_by_the_order_number_the_customer_reads_out(
        client: TestClient, world: World, q: str) -> None:
    """A CS walk: the customer read out their order number (4003) and nothing found it, nor did
    the case page show it. "주문 4003" finds the case, which lists its orders."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    uow = client.app.state.uow_factory()  # type: ignore[attr-defined]
    with uow:
        row = uow.cases.get(case_id)
        assert row is not None
        [order_id, *_] = row.case.order_ids
    answer = client.get("/cs/cases", params={"q": q.format(o=order_id)})
    assert _found(answer.text) == [case_id]
    assert 'data-by="order_number"' in answer.text
    case_page = client.get(f"/cs/cases/{case_id}").text
    orders = case_page.split("data-orders>")[1].split("</dd>")[0]
    assert f"주문 #{order_id}" in orders
    assert _lookup(client, "주문 999999") == []


def test_a_call_logged_from_a_card_drawn_before_a_choice_says_the_choice_is_in(
        client: TestClient, world: World) -> None:
    """A CS walk logged "no answer" from a stale list moments after another agent recorded
    the customer's cancellation: the flash said only "#9 call logged: no answer" and sent the
    agent to a place on the list the case had left. Now it says the choice is recorded and
    shows the case."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    stale = client.get(f"/cs/cases/{case_id}").text
    assert 'name="choice_seen" value="-"' in stale
    client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": "전화로: 취소할게요", "back": "case",
        "confirmed": "yes", "csrf_token": csrf_of(stale)})
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "no_answer", "back": "queue", "choice_seen": "-",
        "csrf_token": csrf_of(stale)})
    assert answer.status_code == 303 and answer.headers["location"] == f"/cs/cases/{case_id}"
    after = client.get(answer.headers["location"]).text
    assert "이 고객의 선택은 이미 기록되어 있습니다(" in after
    # a card drawn after the choice says nothing more
    fresh = client.get(f"/cs/cases/{case_id}").text
    assert 'name="choice_seen" value="cancel_with_compensation"' in fresh
    again = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "reached", "back": "case", "choice_seen": "cancel_with_compensation",
        "csrf_token": csrf_of(fresh)})
    assert "이미 기록되어" not in client.get(again.headers["location"]).text


def test_the_case_page_lists_the_messages_the_customer_was_sent(client: TestClient,
                                                                world: World) -> None:
    """A CS walk: "did you get our message?" — the case page did not say what was sent (only
    the API did). It lists each message: what for, the channel, the masked address, where it
    stands and when it went (or is due)."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    section = page.split('id="case-messages"')[1].split("</section>")[0]
    rows = re.findall(r'<tr data-message="\d+" data-status="(\w+)">(.*?)</tr>', section, re.DOTALL)
    assert rows, section
    assert any("사과와 안내" in cells for _, cells in rows)
    assert "@" not in section or "*" in section  # addresses masked, never whole
    english = client.get(f"/cs/cases/{case_id}?lang=en").text.split('id="case-messages"')[1]
    assert "apology and options" in english.split("</section>")[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_bare_number_no_case_has_offers_to_look_it_up_as_an_order(
        client: TestClient, world: World, lang: str) -> None:
    """A tester typed an order's number (4003) alone and was told no case matched, with no
    hint that "주문 4003" finds it. Five digits: no phone's end (which would look up both)."""
    log_in(client, "agent")
    answer = client.get("/cs/cases", params={"q": "99999", "lang": lang})
    assert _found(answer.text) == [] and 'id="lookup-none"' in answer.text
    hint = re.search(r'<span class="small" data-order-hint>(.*?)</span>', answer.text, re.DOTALL)
    assert hint, "no hint to look the number up as an order"
    assert 'href="/cs/cases?q=%EC%A3%BC%EB%AC%B8%2099999"' in hint.group(1)
    assert ("‘주문 99999’로 찾기" if lang == "ko" else "‘order 99999’") in hint.group(1)
    by_name = client.get("/cs/cases", params={"q": "없는이름", "lang": lang}).text
    assert 'id="lookup-none"' in by_name and "data-order-hint" not in by_name
