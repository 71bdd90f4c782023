"""Access records of an incident's steps (``web.access``): scoping, notifying, escalating, the
deadline's default and closing change every case of the incident, so each — from a page or the
API — leaves one ``change`` record naming the incident's cases and their customers as the step
left them (scoping: the cases it has just made). The record is written in the step's own
transaction: when it cannot be, the step changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from change_records import recorded, unrecorded
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.services import desk
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.access_records import access_records_down
from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def _statuses(uow: UowFactory, incident_id: int) -> dict[int, str]:
    with uow() as u:
        return {int(r.case.case_id): str(r.case.status) for r in u.cases.for_incident(incident_id)}


def _whose(uow: UowFactory, incident_id: int) -> tuple[list[int], list[int]]:
    """The incident's customers and cases, each sorted, as a record names them."""
    with uow() as u:
        rows = u.cases.for_incident(incident_id)
    return (sorted(int(r.case.customer_id) for r in rows),
            sorted(int(r.case.case_id) for r in rows))


def _changes(session_factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    return [r for r in recorded(session_factory) if r[0] == "change"]


def _speaker_declared(uow: UowFactory, world: World) -> int:
    """Seller A's speaker, ordered by the three customers at 8,900 KRW, declared (not scoped)."""
    return int(desk.declare(
        uow(), listing_ids=[world.speaker_a], wrong_price=Money(8_900, "KRW"),
        correct_price=Money(89_000, "KRW"),
        window_start=datetime.now(UTC) - timedelta(hours=3), cause="0 하나 빠짐",
        responsible="seller", actor="admin:test").incident.incident_id)


def test_escalating_from_the_page_records_every_case_of_the_incident(
        client: TestClient, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    path = f"/ops/incidents/{world.incident}/escalate"
    assert client.post(path, data={"csrf_token": csrf_of(page)}).status_code == 303
    customers, cases = _whose(uow, world.incident)
    assert len(cases) == 3
    assert _changes(session_factory) == [("change", f"POST {path}", customers, cases)]


def test_a_page_step_whose_record_cannot_be_written_changes_no_case(
        client: TestClient, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    before = _statuses(uow, world.incident)
    access_records_down(session_factory)
    sent = client.post(f"/ops/incidents/{world.incident}/escalate",
                       data={"csrf_token": csrf_of(page)})
    assert sent.status_code == 303
    assert _statuses(uow, world.incident) == before
    assert "notified" in before.values()  # escalating would have moved them


def test_scoping_through_the_api_records_the_cases_it_made(
        client_for: ApiClientFor, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    incident_id = _speaker_declared(uow, world)
    path = f"/api/incidents/{incident_id}/scope"
    answer = client_for("admin").post(path)
    assert answer.status_code == 200, answer.text
    assert answer.json()["new_cases"] == 3
    customers, cases = _whose(uow, incident_id)
    assert customers == sorted(world.customers.values())
    assert _changes(session_factory) == [("change", f"POST {path}", customers, cases)]


def test_scoping_whose_record_cannot_be_written_makes_no_case(
        client_for: ApiClientFor, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    incident_id = _speaker_declared(uow, world)
    access_records_down(session_factory)
    unrecorded(client_for("admin").post(f"/api/incidents/{incident_id}/scope"))
    assert _statuses(uow, incident_id) == {}


def test_the_apis_escalation_is_recorded_with_the_incidents_cases(
        client_for: ApiClientFor, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    path = f"/api/incidents/{world.incident}/escalate"
    answer = client_for("admin").post(path)
    assert answer.status_code == 200 and answer.json()["escalated"] == 2, answer.text
    customers, cases = _whose(uow, world.incident)
    assert _changes(session_factory) == [("change", f"POST {path}", customers, cases)]


def test_notifying_through_the_api_records_every_case_it_told(
        client_for: ApiClientFor, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    incident_id = _speaker_declared(uow, world)
    desk.scope(uow(), incident_id=incident_id, actor="admin:test")
    desk.plan(uow(), incident_id=incident_id, options=["keep", "talk_to_person"],
              deadline=closing_time_after(datetime.now(UTC) + timedelta(days=10)),
              default="keep", seller_share_pct=100, platform_share_pct=0, actor="admin:test",
              policy=load_desk_policy())
    path = f"/api/incidents/{incident_id}/notify"
    answer = client_for("admin").post(path)
    assert answer.status_code == 200 and answer.json()["cases"] == 3, answer.text
    customers, cases = _whose(uow, incident_id)
    assert _changes(session_factory) == [("change", f"POST {path}", customers, cases)]


def test_refused_steps_leave_no_change_record(
        client_for: ApiClientFor, world: World, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    admin, incident_id = client_for("admin"), _speaker_declared(uow, world)
    refused = admin.post(f"/api/incidents/{incident_id}/escalate")  # not notified yet
    assert refused.status_code == 409, refused.text
    early = admin.post(f"/api/incidents/{world.incident}/deadline")  # the deadline is days off
    assert early.status_code == 422 and "has not passed" in early.text, early.text
    assert _changes(session_factory) == []
