"""Access records of the JSON API's changes to customers' data (``web.access``): points, a
refund marked paid, a customer's contact details and a registered customer. The record is
written in the change's own transaction: when it cannot be, nothing is changed and the caller
is told so (503 ``access_record_unwritten``) — not a 500 after the change was made, inviting a
retry. A retry with the same Idempotency-Key, or a request that changes nothing, commits
nothing but still answers the customer's data: it leaves a ``view`` record of the call.
(The desk's changes on a case: tests/e2e/browser/test_api_case_changes_recorded.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from change_records import recorded, sent_twice, unrecorded
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import audit_log, customers
from sagwa.services import points
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.access_records import access_records_down
from sagwa.testing.wrong_price import refund_owed, scoped_incident

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def audited(session_factory: sessionmaker[Session], action: str) -> int:
    with session_factory() as s:
        return int(s.execute(select(func.count()).select_from(audit_log)
                             .where(audit_log.c.action == action)).scalar_one())


def test_points_whose_record_cannot_be_written_are_not_credited(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    access_records_down(session_factory)
    unrecorded(client_for("admin").post(f"/api/customers/{made.customer_id}/points/credit",
                                        json={"points": 500, "memo": "goodwill"}))
    assert points.points_balance(uow(), customer_id=made.customer_id) == 0
    assert audited(session_factory, "points.credited") == 0


def test_points_debited_again_with_the_same_key_are_recorded_as_a_view(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    points.credit_customer_points(uow(), customer_id=made.customer_id, points=500,
                                  memo="goodwill", actor="t")
    admin, path = client_for("admin"), f"/api/customers/{made.customer_id}/points/debit"
    sent_twice(admin, path, {"points": 200, "memo": "spent"}, key="d-1")
    assert points.points_balance(uow(), customer_id=made.customer_id) == 300
    assert recorded(session_factory) == [("change", f"POST {path}", [made.customer_id], []),
                                         ("view", f"POST {path}", [made.customer_id], [])]


def _paid_at(uow: UowFactory, refund_id: int) -> Any:
    with uow() as u:
        found = u.refunds.get(refund_id)
        assert found is not None
        return found.paid_at


def test_a_refund_whose_record_cannot_be_written_is_not_marked_paid(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    owed = refund_owed(uow)
    access_records_down(session_factory)
    unrecorded(client_for("finance").post(f"/api/refunds/{owed.refund_id}/paid",
                                          json={"reference": "bank 0613-42"}))
    assert _paid_at(uow, owed.refund_id) is None


def test_a_refund_marked_paid_again_with_the_same_key_is_recorded_as_a_view(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    owed = refund_owed(uow)
    with uow() as u:
        [row] = u.cases.for_incident(owed.incident_id)
    case_id, path = int(row.case.case_id), f"/api/refunds/{owed.refund_id}/paid"
    sent_twice(client_for("finance"), path, {"reference": "bank 0613-42"}, key="p-1")
    assert _paid_at(uow, owed.refund_id) is not None
    assert recorded(session_factory) == [
        ("change", f"POST {path}", [owed.customer_id], [case_id]),
        ("view", f"POST {path}", [owed.customer_id], [case_id])]


def test_a_contact_change_whose_record_cannot_be_written_keeps_the_old_number(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    access_records_down(session_factory)
    unrecorded(client_for("agent").patch(f"/api/customers/{made.customer_id}",
                                         json={"phone": "010-9999-0000"}))
    with session_factory() as s:
        assert s.execute(select(customers.c.phone).where(customers.c.id == made.customer_id)
                         ).scalar_one() == "010-1234-5678"


def test_the_same_contact_details_sent_again_are_recorded_as_a_view(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    made = scoped_incident(uow)
    agent, path = client_for("agent"), f"/api/customers/{made.customer_id}"
    assert agent.patch(path, json={"phone": "010-9999-0000"}).json()["changed"] == {
        "phone": "changed"}
    assert agent.patch(path, json={"phone": "010-9999-0000"}).json()["changed"] == {}
    assert recorded(session_factory) == [("change", f"PATCH {path}", [made.customer_id], []),
                                         ("view", f"PATCH {path}", [made.customer_id], [])]


def test_a_customer_registered_again_with_the_same_key_is_recorded_as_a_view(
        client_for: ApiClientFor, session_factory: sessionmaker[Session]) -> None:
    made = sent_twice(client_for("admin"), "/api/customers",
                      {"name": "이서연", "email": "sy@example.com"}, key="c-1").json()["id"]
    assert recorded(session_factory) == [("change", "POST /api/customers", [made], []),
                                         ("view", "POST /api/customers", [made], [])]


def test_a_customer_whose_record_cannot_be_written_is_not_registered(
        client_for: ApiClientFor, session_factory: sessionmaker[Session]) -> None:
    """The record names the customer the registration makes, in its transaction: it used to be
    written after the commit, and a record that failed left a customer registered unrecorded
    (and the caller a 500, inviting a retry)."""
    access_records_down(session_factory)
    unrecorded(client_for("admin").post("/api/customers",
                                         json={"name": "이서연", "email": "sy@example.com"}))
    with session_factory() as s:
        assert s.execute(select(func.count()).select_from(customers)
                         .where(customers.c.email == "sy@example.com")).scalar_one() == 0
    assert audited(session_factory, "customer.registered") == 0


def test_a_points_reversal_is_recorded_naming_the_customer_or_not_made(
        client_for: ApiClientFor, uow: UowFactory,
        session_factory: sessionmaker[Session]) -> None:
    """Reversing a points entry changes the customer's balance: it is recorded as a change of
    their data, in the reversal's transaction; a record that cannot be written reverses
    nothing."""
    made = scoped_incident(uow)
    receipt = points.credit_customer_points(uow(), customer_id=made.customer_id, points=500,
                                            memo="goodwill", actor="t")
    admin, path = client_for("admin"), f"/api/ledger/entries/{receipt.entry_id}/reverse"
    access_records_down(session_factory)
    unrecorded(admin.post(path, json={"memo": "credited by mistake"}))
    assert points.points_balance(uow(), customer_id=made.customer_id) == 500
    with session_factory() as s:  # the records writable again
        s.execute(text("DROP TRIGGER no_access_record ON access_records"))
        s.commit()
    sent_twice(admin, path, {"memo": "credited by mistake"}, key="r-1")
    assert points.points_balance(uow(), customer_id=made.customer_id) == 0
    assert recorded(session_factory) == [("change", f"POST {path}", [made.customer_id], []),
                                         ("view", f"POST {path}", [made.customer_id], [])]


def test_an_order_is_placed_with_its_record_naming_the_customer_or_not_at_all(
        client_for: ApiClientFor, session_factory: sessionmaker[Session]) -> None:
    """An order placed for a customer through the API was recorded nowhere: it is now a change
    of their data, recorded in the order's transaction."""
    from sagwa.adapters.db.tables import orders

    admin = client_for("admin")
    won = {"amount_minor": 199000, "currency": "KRW"}
    product = admin.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                 "list_price": won}).json()["id"]
    seller = admin.post("/api/sellers", json={"code": "haneul", "name": "하늘",
                                              "contact_email": "ops@haneul.example"}).json()["id"]
    listing = admin.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                "price": won, "publish": True}).json()["id"]
    customer = admin.post("/api/customers", json={"name": "고객", "email": "c@example.com",
                                                  "phone": "010-1234-0001"}).json()["id"]
    body = {"customer_id": customer, "listing_id": listing, "quantity": 1}
    access_records_down(session_factory)
    unrecorded(admin.post("/api/orders", json=body))
    with session_factory() as s:
        assert s.execute(select(func.count()).select_from(orders)).scalar_one() == 0
        s.execute(text("DROP TRIGGER no_access_record ON access_records"))
        s.commit()
    sent_twice(admin, "/api/orders", body, key="o-1")
    placed = [r for r in recorded(session_factory) if r[1] == "POST /api/orders"]
    assert placed == [("change", "POST /api/orders", [customer], []),
                      ("view", "POST /api/orders", [customer], [])]
