"""Access records of the staff pages (개인정보의 안전성 확보조치 기준 제8조): an agent's case page,
search and call queue, a change on a case, finance's refunds and the operator's incident page
each leave one record naming the account, the client's address, the request, and the customers
and cases the page showed; a search keeps no words. Signing in, failing to and signing out are
recorded with the address. A record that cannot be written fails the page, and a change
whose record cannot be written is not made."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from refunds_in_three_states import refunds_paid_overdue_and_owed
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from world import PASSWORD, World

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import access_records, audit_log, contact_attempts, customers
from sagwa.config import Settings
from sagwa.testing.access_records import DOWN, access_records_down
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e
ADDRESS = "203.0.113.9"


@pytest.fixture
def client(database: Database, session_factory: sessionmaker[Session],
           page_settings: Settings, world: World) -> Iterator[TestClient]:
    """The pages' client, from an address of its own."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(page_settings, database=db), follow_redirects=False,
                    client=(ADDRESS, 41000)) as c:
        yield c


def records(session_factory: sessionmaker[Session], **where: Any) -> list[dict[str, Any]]:
    q = select(access_records).order_by(access_records.c.id)
    for name, value in where.items():
        q = q.where(access_records.c[name] == value)
    with session_factory() as s:
        return [dict(r._mapping) for r in s.execute(q)]


def test_a_case_page_records_the_agent_the_address_the_customer_and_the_case(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}")
    assert page.status_code == 200
    [seen] = records(session_factory, action="view")
    assert (seen["account"], seen["role"], seen["client"]) == ("agent", "agent", ADDRESS)
    assert (seen["customer_ids"], seen["case_ids"]) == ([world.customers["김민준"]], [case_id])
    assert seen["what"] == f"GET /cs/cases/{case_id}"
    assert seen["request_id"] == page.headers["x-request-id"] and seen["at"] is not None


def test_a_search_is_recorded_with_what_it_found_but_not_the_words(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    assert client.get("/cs/cases", params={"q": "010-1234-0000"}).status_code == 200
    [found] = records(session_factory, action="search")
    assert found["what"] == "GET /cs/cases?q=[masked]"
    assert (found["results"], found["case_ids"]) == (1, [world.cases["김민준"]])
    assert found["customer_ids"] == [world.customers["김민준"]]
    assert "1234" not in repr(found)
    client.get("/cs/cases")  # the empty search box shows nobody: nothing to record
    assert len(records(session_factory)) == 2  # the search, and the sign-in


def test_the_call_queue_records_every_case_it_lists(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    html = client.get("/cs/queue").text
    [seen] = records(session_factory, action="view")
    assert world.cases["이서연"] in seen["case_ids"]
    assert all(f"/cs/cases/{c}" in html for c in seen["case_ids"])
    assert world.customers["이서연"] in seen["customer_ids"]


def test_a_call_logged_on_a_case_is_recorded_as_a_change(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get(f"/cs/cases/{case_id}").text
    answer = client.post(f"/cs/cases/{case_id}/attempt",
                         data={"outcome": "no_answer", "back": "case",
                               "csrf_token": csrf_of(page)})
    assert answer.status_code == 303
    [changed] = records(session_factory, action="change")
    assert (changed["case_ids"], changed["customer_ids"]) == ([case_id],
                                                              [world.customers["이서연"]])
    assert changed["what"] == f"POST /cs/cases/{case_id}/attempt"


def test_finance_and_the_operator_pages_record_the_customers_they_name(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    made = refunds_paid_overdue_and_owed(session_factory, page_settings.secret_key, world)
    log_in(client, "admin")
    client.get("/ops/refunds")
    [refunds] = records(session_factory, what="GET /ops/refunds")
    assert {made.overdue.customer_id, made.owed.customer_id} == set(refunds["customer_ids"])
    assert {made.overdue.case_id, made.owed.case_id} == set(refunds["case_ids"])
    client.get(f"/ops/incidents/{world.incident}")
    [incident] = records(session_factory, what=f"GET /ops/incidents/{world.incident}")
    assert set(incident["customer_ids"]) == set(world.customers.values())


def test_signing_in_failing_to_and_signing_out_are_recorded_with_the_address(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    token = csrf_of(client.get("/login").text)
    for name, password in (("agent", "wrong-password"), ("hunter2-typed-as-a-name", "x"),
                           ("agent", PASSWORD)):
        client.post("/login", data={"username": name, "password": password,
                                     "csrf_token": token})
    page = client.get("/cs/queue").text
    client.post("/logout", data={"csrf_token": csrf_of(page)})
    got = [(r["action"], r["account"], r["client"]) for r in records(session_factory)
           if r["action"] != "view"]
    assert got == [("sign_in_failed", "agent", ADDRESS),
                   ("sign_in_failed", "(unknown)", ADDRESS),
                   ("sign_in", "agent", ADDRESS), ("sign_out", "agent", ADDRESS)]
    assert "hunter2" not in repr(records(session_factory))


def test_a_page_whose_record_cannot_be_written_is_not_shown(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    access_records_down(session_factory)
    with pytest.raises(Exception, match=DOWN):
        client.get(f"/cs/cases/{world.cases['김민준']}")


def _attempts(session_factory: sessionmaker[Session], case_id: int) -> int:
    with session_factory() as s:
        return int(s.execute(select(func.count()).select_from(contact_attempts)
                             .where(contact_attempts.c.case_id == case_id)).scalar_one())


def test_a_change_whose_record_cannot_be_written_is_not_made(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """The record is written in the change's own transaction: when it cannot be, the call is
    not logged either, and the agent is told that nothing was changed (not a bare 500 after
    the change was made, inviting them to make it again)."""
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get(f"/cs/cases/{case_id}").text
    access_records_down(session_factory)
    answer = client.post(f"/cs/cases/{case_id}/attempt",
                         data={"outcome": "no_answer", "back": "case",
                               "csrf_token": csrf_of(page)})
    assert answer.status_code == 503
    assert "아무것도 바꾸지 않았습니다" in answer.text and "nothing was changed" in answer.text
    assert _attempts(session_factory, case_id) == 0
    with session_factory() as s:
        assert s.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.entity_type == "case", audit_log.c.entity_id == str(case_id),
            audit_log.c.action == "case.contact_attempted")).scalar_one() == 0


def test_a_contact_change_whose_record_cannot_be_written_keeps_the_old_details(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id, customer_id = world.cases["김민준"], world.customers["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    shown = {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
             for name in ("phone_was", "email_was")}
    access_records_down(session_factory)
    answer = client.post(f"/cs/cases/{case_id}/contact", data={
        "csrf_token": csrf_of(page), **shown, "phone": "010-9999-0000",
        "email": shown["email_was"]})
    assert answer.status_code == 503 and "nothing was changed" in answer.text
    with session_factory() as s:
        phone = s.execute(select(customers.c.phone).where(customers.c.id == customer_id)
                          ).scalar_one()
    assert phone != "010-9999-0000" and phone is not None
