"""Access records of the JSON API: reading a customer, a case, an incident's cases and the
refunds owed each leave one record naming the token's account, the client's address and the
customers and cases the answer held; a reason given with ``X-Access-Reason`` (or ``?reason=``)
is kept with it. A call whose record cannot be written answers nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import access_records
from sagwa.domain.audit import AuditEvent
from sagwa.services import points
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.access_records import DOWN, access_records_down
from sagwa.testing.wrong_price import refund_owed, scoped_incident

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]


def records(session_factory: sessionmaker[Session]) -> list[dict[str, Any]]:
    with session_factory() as s:
        return [dict(r._mapping) for r in
                s.execute(select(access_records).order_by(access_records.c.id))]


def test_reading_a_customer_and_a_case_records_the_account_and_whose_data(
        client_for: ApiClientFor, uow: Callable[[], SqlAlchemyUnitOfWork],
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    agent = client_for("agent")
    assert agent.get(f"/api/customers/{made.customer_id}").status_code == 200
    assert agent.get(f"/api/cases/{made.case_id}").status_code == 200
    assert agent.get(f"/api/incidents/{made.incident_id}/cases").status_code == 200
    assert agent.get("/api/customers/999999").status_code == 404  # nobody shown: no record
    got = [(r["account"], r["role"], r["action"], r["what"], r["customer_ids"], r["case_ids"])
           for r in records(session_factory)]
    assert got == [
        ("agent", "agent", "view", f"GET /api/customers/{made.customer_id}",
         [made.customer_id], []),
        ("agent", "agent", "view", f"GET /api/cases/{made.case_id}", [made.customer_id],
         [made.case_id]),
        ("agent", "agent", "view", f"GET /api/incidents/{made.incident_id}/cases",
         [made.customer_id], [made.case_id])]
    assert {r["client"] for r in records(session_factory)} == {"testclient"}


def test_the_refunds_read_by_finance_are_recorded_with_the_reason_given(
        client_for: ApiClientFor, uow: Callable[[], SqlAlchemyUnitOfWork],
        session_factory: sessionmaker[Session]) -> None:
    owed = refund_owed(uow)
    finance = client_for("finance")
    said = "2026년 12월 환불 지급"
    assert finance.get("/api/refunds", headers={"X-Access-Reason": quote(said)}
                       ).status_code == 200
    assert finance.get("/api/refunds", params={"reason": "bank batch"}).status_code == 200
    first, second = records(session_factory)
    assert (first["account"], first["role"], first["customer_ids"]) == (
        "finance", "finance", [owed.customer_id])
    assert (first["reason"], second["reason"]) == (said, "bank batch")
    long = finance.get("/api/refunds", params={"reason": "x" * 501})
    assert long.status_code == 422 and len(records(session_factory)) == 2


def test_an_answer_whose_record_cannot_be_written_is_not_given(
        client_for: ApiClientFor, uow: Callable[[], SqlAlchemyUnitOfWork],
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    access_records_down(session_factory)
    with pytest.raises(Exception, match=DOWN):
        client_for("agent").get(f"/api/customers/{made.customer_id}")


def _audited_message(uow: Callable[[], SqlAlchemyUnitOfWork], made: Any) -> int:
    """A message queued to the case's customer, with an audit record of its own (and the case
    one: scoping writes none)."""
    with uow() as u:
        message_id = enqueue_message(
            u, idempotency_key="access-test-1", purpose="apology", channel="email",
            recipient="mj@example.com", locale="ko", subject="s", body="b", not_before=u.now(),
            incident_id=made.incident_id, case_id=made.case_id, customer_id=made.customer_id)
        assert message_id is not None
        u.audit.append(AuditEvent("t", "message.requeued", "message", str(message_id)), u.now())
        u.audit.append(AuditEvent("t", "case.contact_attempted", "case", str(made.case_id)),
                       u.now())
        u.commit()
    return message_id


def test_an_audit_trail_records_the_customers_and_cases_its_entity_belongs_to(
        client_for: ApiClientFor, uow: Callable[[], SqlAlchemyUnitOfWork],
        session_factory: sessionmaker[Session]) -> None:
    """An order's, a message's or a points entry's trail shows that customer's data as much as
    the customer's own: each record names them (and the case), found in the database."""
    made = scoped_incident(uow)
    credited = points.credit_customer_points(uow(), customer_id=made.customer_id, points=500,
                                             memo="goodwill", actor="t")
    points.reverse_entry(uow(), entry_id=credited.entry_id, memo="by mistake", actor="t")
    message_id = _audited_message(uow, made)
    admin = client_for("admin")
    trails = {"order": made.order_ids[0], "message": message_id,
              "ledger_entry": credited.entry_id, "customer": made.customer_id,
              "case": made.case_id, "listing": made.listing_id}
    for entity_type, entity_id in trails.items():
        trail = admin.get("/api/audit", params={"entity_type": entity_type,
                                                "entity_id": str(entity_id)})
        assert trail.status_code == 200 and trail.json(), entity_type
    got = {r["what"].split("entity_type=")[1].split("&")[0]: (r["customer_ids"], r["case_ids"])
           for r in records(session_factory)}
    whose = ([made.customer_id], [made.case_id])
    assert got == {"order": whose, "message": whose, "case": whose,
                   "ledger_entry": ([made.customer_id], []),
                   "customer": ([made.customer_id], []), "listing": ([], [])}


def test_an_empty_or_unknown_audit_trail_names_nobody(
        client_for: ApiClientFor, uow: Callable[[], SqlAlchemyUnitOfWork],
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    admin = client_for("admin")
    for entity_type, entity_id in (("order", "999999"), ("customer", "999999"),
                                   ("customer", "9" * 30), ("order", f" {made.order_ids[0]}x"),
                                   ("refund", "1")):
        answer = admin.get("/api/audit", params={"entity_type": entity_type,
                                                 "entity_id": entity_id})
        assert answer.status_code == 200 and answer.json() == []
    assert [(r["customer_ids"], r["case_ids"]) for r in records(session_factory)] == [
        ([], [])] * 5
