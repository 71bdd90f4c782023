"""Access records of the desk's changes on a case through the JSON API (``web.access``): the
customer's choice, a contact attempt, a follow-up resolved, the difference paid and cancelling
instead of paying it. The record is written in the
change's own transaction: when it cannot be, nothing is changed and the caller is told so (503
``access_record_unwritten``). A retry with the same Idempotency-Key, or a request the case
already answered (the same choice, a follow-up resolved before), commits nothing but still
answers the case: it leaves a ``view`` record of the call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from change_records import recorded, sent_twice, unrecorded
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.tables import contact_attempts
from sagwa.config import Settings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.access_records import access_records_down

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]
CHOICE = {"choice": "cancel_with_compensation", "channel": "phone",
          "evidence": "취소하고 포인트로 받을게요"}


def _attempts(session_factory: sessionmaker[Session], case_id: int) -> int:
    with session_factory() as s:
        return int(s.execute(select(func.count()).select_from(contact_attempts)
                             .where(contact_attempts.c.case_id == case_id)).scalar_one())


def test_a_choice_or_attempt_whose_record_cannot_be_written_is_not_made(
        client_for: ApiClientFor, world: World, session_factory: sessionmaker[Session],
        uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    agent, case_id = client_for("agent"), world.cases["김민준"]
    access_records_down(session_factory)
    unrecorded(agent.post(f"/api/cases/{case_id}/choice", json=CHOICE))
    unrecorded(agent.post(f"/api/cases/{case_id}/contact-attempts",
                          json={"outcome": "no_answer"}))
    with uow() as u:
        row = u.cases.get(case_id)
        assert row is not None and row.case.consent is None
    assert _attempts(session_factory, case_id) == 0


def test_an_attempt_sent_again_with_the_same_key_is_recorded_as_a_view(
        client_for: ApiClientFor, world: World, session_factory: sessionmaker[Session]) -> None:
    agent, case_id, customer_id = (client_for("agent"), world.cases["김민준"],
                                   world.customers["김민준"])
    path = f"/api/cases/{case_id}/contact-attempts"
    sent_twice(agent, path, {"outcome": "no_answer"}, key="a-1")
    assert _attempts(session_factory, case_id) == 1
    assert recorded(session_factory) == [("change", f"POST {path}", [customer_id], [case_id]),
                                         ("view", f"POST {path}", [customer_id], [case_id])]


def test_the_same_choice_again_and_a_follow_up_resolved_again_are_recorded_as_views(
        client_for: ApiClientFor, world: World, session_factory: sessionmaker[Session]) -> None:
    agent, case_id, customer_id = (client_for("agent"), world.cases["김민준"],
                                   world.customers["김민준"])
    chose = f"/api/cases/{case_id}/choice"
    assert agent.post(chose, json=CHOICE).json()["recorded"] is True
    assert agent.post(chose, json=CHOICE).json()["recorded"] is False
    asked = agent.post(f"/api/cases/{case_id}/contact-attempts", json={
        "outcome": "reached", "note": "영수증 다시 보내 달라고 함", "follow_up": True}).json()
    resolve = f"/api/cases/{case_id}/follow-ups/{asked['follow_up_id']}/resolve"
    assert agent.post(resolve, json={"outcome": "sent"}).json()["changed"] is True
    assert agent.post(resolve, json={"outcome": "sent"}).json()["changed"] is False
    whose = [customer_id], [case_id]
    assert [(r[0], r[1]) for r in recorded(session_factory)] == [
        ("change", f"POST {chose}"), ("view", f"POST {chose}"),
        ("change", f"POST /api/cases/{case_id}/contact-attempts"),
        ("change", f"POST {resolve}"), ("view", f"POST {resolve}")]
    assert {(r[2], r[3]) == whose for r in recorded(session_factory)} == {True}


def test_a_payment_or_cancelling_instead_whose_record_cannot_be_written_is_not_made(
        client_for: ApiClientFor, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, uow: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))
    agent = client_for("agent")
    access_records_down(session_factory)
    unrecorded(agent.post(f"/api/cases/{case.case_id}/difference-paid",
                          json={"note": "receipt 0613-42"}))
    unrecorded(agent.post(f"/api/cases/{case.case_id}/cancel-instead",
                          json={"channel": "phone", "evidence": "차액은 부담돼서 취소할게요"}))
    with uow() as u:
        row = u.cases.get(case.case_id)
        assert row is not None and row.difference_paid is None
        assert row.case.consent is not None
        assert row.case.consent.choice.value == "buy_at_correct_price_discount"


def test_a_payment_recorded_again_is_recorded_as_a_view(
        client_for: ApiClientFor, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))
    agent, path = client_for("agent"), f"/api/cases/{case.case_id}/difference-paid"
    assert agent.post(path, json={"note": "receipt 0613-42"}).json()["changed"] is True
    assert agent.post(path, json={"note": "receipt 0613-42"}).json()["changed"] is False
    assert [(r[0], r[3]) for r in recorded(session_factory) if r[1] == f"POST {path}"] == [
        ("change", [case.case_id]), ("view", [case.case_id])]
