"""The agents' case lookup page (/cs/cases) by what a customer reads out: "my number ends in
6980" finds the case #6980 (if there is one) and the customers whose phone ends in 6980, the
page saying it looked up both and which row is which; the start of an email finds it; a domain
alone, or a marked number's end of other than four digits, is refused in the agent's words."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from test_cs_case_lookup import _found, _lookup
from test_pages_access import log_in
from world import World

from sagwa.adapters.db.tables import cases, customers
from sagwa.services import catalog
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _uow(client: TestClient) -> SqlAlchemyUnitOfWork:
    return client.app.state.uow_factory()  # type: ignore[attr-defined,no-any-return]


def _set(uow: SqlAlchemyUnitOfWork, customer_id: int, **values: str) -> None:
    with uow:
        uow.conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))
        uow.commit()


def numbered_case(sessions: sessionmaker[Session], world: World) -> int:
    """A new customer's case in the world's incident, numbered with four digits (the world's
    own are numbered lower): a lookup in the usual order would list it after theirs."""
    customer = catalog.register_customer(SqlAlchemyUnitOfWork(sessions), name="최번호",
                                         email="numbered@example.org", actor="t")
    with SqlAlchemyUnitOfWork(sessions) as u:
        taken = set(u.conn.execute(select(cases.c.id)).scalars())
        number = next(n for n in range(6980, 10_000) if n not in taken)
        u.conn.execute(insert(cases).values(
            id=number, incident_id=world.incident, customer_id=customer.id, status="notified",
            exposure_minor=159_000, currency="KRW", updated_at=u.now()))
        u.commit()
    return number


def _row(html: str, case_id: int) -> str:
    row = re.search(rf'<tr data-case="{case_id}">(.*?)</tr>', html, re.DOTALL)
    assert row, html[:3000]
    return row.group(1)


def test_four_digits_find_that_case_and_the_phones_ending_in_them_and_say_so(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    number = numbered_case(session_factory, world)
    _set(_uow(client), world.customers["Alex Kim"], phone=f"+82 10-9876-{number}")
    log_in(client, "agent")
    assert _lookup(client, str(number)) == [number, world.cases["Alex Kim"]]  # the case first
    english = unescape(client.get("/cs/cases", params={"q": str(number), "lang": "en"}).text)
    assert (f"Looked up: case #{number} and phone numbers ending in {number} (the case with "
            f"that number first; type *{number} for phone numbers only).") in english
    assert "data-by-case-number>by case number<" in _row(english, number)
    alex = _row(english, world.cases["Alex Kim"])
    assert "data-by-phone-tail>by phone's end<" in alex and f"9876-{number}" in alex
    korean = unescape(client.get("/cs/cases", params={"q": str(number), "lang": "ko"}).text)
    assert f"찾은 기준: 건 번호 #{number}, 그리고 끝 네 자리가 {number}인 전화번호" in korean
    # the particle fits the number as it is read: *6980으로 (팔십), *6982로 (이)
    particle = "으로" if str(number)[-1] in "036" else "로"
    assert f"전화번호로만 찾으려면 *{number}{particle} 입력하세요" in korean
    assert "data-by-case-number>건 번호로 찾음<" in _row(korean, number)
    assert "data-no-such-case" not in korean  # the case exists


def test_four_digits_with_no_such_case_say_so(client: TestClient, world: World) -> None:
    """A walkthrough read "Looked up: case #9853 and phone numbers ending in 9853" with no
    case #9853: the line says there is none."""
    _set(_uow(client), world.customers["Alex Kim"], phone="+82 10-9876-9853")
    log_in(client, "agent")
    assert _lookup(client, "9853") == [world.cases["Alex Kim"]]
    english = unescape(client.get("/cs/cases", params={"q": "9853", "lang": "en"}).text)
    assert "There is no case #9853." in english
    korean = unescape(client.get("/cs/cases", params={"q": "9853", "lang": "ko"}).text)
    assert "건 번호 #9853인 건은 없습니다." in korean


def test_a_marked_end_finds_the_phones_only(client: TestClient, world: World,
                                            session_factory: sessionmaker[Session]) -> None:
    number = numbered_case(session_factory, world)
    _set(_uow(client), world.customers["이서연"], phone=f"010-5555-{number}")
    log_in(client, "agent")
    for q in (f"*{number}", f"…{number}", f"...{number}", f"-{number}"):
        assert _lookup(client, q) == [world.cases["이서연"]], q
    html = unescape(client.get("/cs/cases", params={"q": f"*{number}", "lang": "en"}).text)
    assert f'data-by="phone_tail">Looked up: phone numbers ending in {number}</p>' in html
    assert "data-by-case-number" not in html and "data-by-phone-tail" not in html
    # 0000 starts with 0, no case number: the phones ending in it (김민준's 010-1234-0000)
    assert _lookup(client, "0000") == [world.cases["김민준"]]
    assert "끝 네 자리가 0000인 전화번호" in unescape(
        client.get("/cs/cases", params={"q": "0000", "lang": "ko"}).text)


def test_the_start_of_an_email_finds_it_with_or_without_the_at_sign(
        client: TestClient, world: World) -> None:
    _set(_uow(client), world.customers["이서연"], email="minsu.kim@example.com")
    log_in(client, "agent")
    for q in ("minsu.kim", "MINSU.KIM@", "minsu.kim@exam", "minsu.kim@example.com"):
        assert _lookup(client, q) == [world.cases["이서연"]], q
    email = unescape(client.get("/cs/cases", params={"q": "Minsu.Kim@", "lang": "en"}).text)
    assert ("Looked up: email ‘minsu.kim@’ — that address first, then addresses starting "
            "with it.") in email
    name = unescape(client.get("/cs/cases", params={"q": "minsu", "lang": "ko"}).text)
    assert "찾은 기준: 이름 ‘minsu’ — 이름(또는 이름의 한 단어)이 이렇게 시작하는 고객이 먼저" in name


def test_what_was_looked_up_is_escaped(client: TestClient, world: World) -> None:
    log_in(client, "agent")
    html = client.get("/cs/cases", params={"q": "<b>x@"}).text
    assert "<b>x@" not in html and "&lt;b&gt;x@" in html


@pytest.mark.parametrize(("q", "korean", "english"), [
    ("@example.com", "이메일은 @ 앞부분부터 입력해 주세요(예: minsu.kim 또는 minsu.kim@).",
     "Type the email from its start, before the @ (like minsu.kim or minsu.kim@)"),
    ("*698", "전화번호 끝자리로 찾으려면 마지막 네 자리를 입력해 주세요(예: *6980 또는 6980). 입력한 숫자는 3자리입니다.",
     ("To find a phone number by its end, type its last four digits (like *6980, or just "
      "6980); 3 digits were typed.")),
])  # fmt: skip
def test_a_domain_alone_or_a_marked_end_not_of_four_digits_is_refused_in_words(
        client: TestClient, world: World, q: str, korean: str, english: str) -> None:
    log_in(client, "agent")
    answer = client.get("/cs/cases", params={"q": q})
    assert answer.status_code == 422
    assert 'id="lookup-problem"' in answer.text and korean in unescape(answer.text)
    assert f'value="{q}"' in answer.text and _found(answer.text) == []  # kept to correct
    answer = client.get("/cs/cases", params={"q": q, "lang": "en"})
    assert answer.status_code == 422 and english in unescape(answer.text)


def test_the_search_box_says_the_last_four_digits_are_enough(client: TestClient,
                                                             world: World) -> None:
    log_in(client, "agent")
    korean = unescape(client.get("/cs/cases", params={"lang": "ko"}).text)
    assert "끝 네 자리 6980" in korean  # the placeholder
    assert "전화번호는 끝 네 자리만, 이메일은 앞부분만 써도 됩니다" in korean
    english = unescape(client.get("/cs/cases", params={"lang": "en"}).text)
    assert "last four 6980" in english
    assert ("The last four digits of a phone number are enough, and so is the start of an "
            "email: 6980 finds case #6980 and phone numbers ending in 6980; *6980 finds phone "
            "numbers only.") in english


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_an_agent_finds_a_caller_by_the_end_of_their_number_in_chromium(page, site) -> None:  # type: ignore[no-untyped-def]
    """The walkthrough's caller: "my number ends in 6980"."""
    from browsing import login, shot
    from world import PASSWORD

    sessions = site.database.session_factory
    number = numbered_case(sessions, site.world)
    _set(SqlAlchemyUnitOfWork(sessions), site.world.customers["이서연"],
         phone=f"010-5555-{number}")
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    page.fill("#lookup-q", str(number))
    page.click("#case-lookup button[type=submit]")
    page.wait_for_url("**/cs/cases?q=*")
    rows = page.locator("#lookup-results tbody tr")
    assert [rows.nth(i).get_attribute("data-case") for i in range(rows.count())] == [
        str(number), str(site.world.cases["이서연"])]
    assert f"끝 네 자리가 {number}인 전화번호" in page.locator("#lookup-by").inner_text()
    assert "이서연" in rows.nth(1).inner_text() and "전화번호 끝자리로 찾음" in rows.nth(1).inner_text()
    shot(page, "cs-case-lookup-phone-end")
