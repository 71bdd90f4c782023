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
