"""``GET /api/refunds`` and ``POST /api/refunds/{id}/paid``: finance (a finance or an admin
token, as for the ledger; test_api_finance_role.py has the finance role's own) lists the refunds
the desk owes and marks one paid, once, with an Idempotency-Key; other roles are refused, and so
are a refund that does not exist and a payment time in the future."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import refund_owed

pytestmark = pytest.mark.e2e

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)
KEYS = ["refund_id", "case_id", "order_id", "customer_id", "amount_minor", "currency", "cancelled_at",
        "due_by", "status", "overdue", "paid_at", "paid_reference", "paid_by"]


@pytest.fixture
def refund_id(uow: Callable[[], SqlAlchemyUnitOfWork]) -> int:
    """A customer's order at the wrong price, cancelled by the desk with a refund (through
    ``desk_cases.apply_effect``, as a choice applies it): the refund's id."""
    return refund_owed(uow).refund_id


def test_finance_lists_the_owed_refund_and_marks_it_paid_once(client: TestClient,
                                                              refund_id: int) -> None:
    listed = client.get("/api/refunds")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert (body["status"], body["total"], body["next_after"]) == ("owed", 1, None)
    [item] = body["refunds"]
    assert list(item) == [*KEYS, "incident_id", "customer_name", "seller_id"]
    assert (item["refund_id"], item["amount_minor"], item["currency"], item["status"],
            item["overdue"], item["customer_name"]) == (refund_id, 19_900, "KRW", "owed", False,
                                                         "김민준")
    assert client.get("/api/refunds", params={"status": "overdue"}).json()["total"] == 0
    headers = {"Idempotency-Key": "refund-paid-1"}
    paid = client.post(f"/api/refunds/{refund_id}/paid", json={"reference": "KB 0219-77"},
                       headers=headers)
    assert paid.status_code == 200, paid.text
    assert list(paid.json()) == KEYS
    assert (paid.json()["status"], paid.json()["paid_reference"], paid.json()["paid_by"]) == (
        "paid", "KB 0219-77", "api:admin")
    retried = client.post(f"/api/refunds/{refund_id}/paid", json={"reference": "KB 0219-77"},
                          headers=headers)
    assert retried.status_code == 200 and retried.json() == paid.json()
    again = client.post(f"/api/refunds/{refund_id}/paid", json={"reference": "KB 0219-78"})
    assert again.status_code == 409, again.text
    assert again.json()["details"]["reason"] == "refund_already_paid"
    assert "api:admin" in again.json()["message"]
    assert client.get("/api/refunds").json()["total"] == 0
    assert [r["refund_id"] for r in client.get("/api/refunds",
                                        params={"status": "paid"}).json()["refunds"]] == [
        refund_id]


@pytest.mark.parametrize("role", ["agent", "reviewer"])
def test_reviewers_and_agents_may_not_read_or_mark_refunds(client_for: ApiClientFor,
                                                          refund_id: int, role: str) -> None:
    staff = client_for(role)
    for answer in (staff.get("/api/refunds"),
                   staff.post(f"/api/refunds/{refund_id}/paid", json={"reference": "KB-1"})):
        assert answer.status_code == 403, answer.text
        assert answer.json()["details"]["reason"] == "role_not_allowed"
    assert client_for(None).get("/api/refunds").status_code == 401
    assert client_for("admin").get("/api/refunds").json()["refunds"][0]["status"] == "owed"


def test_an_unknown_refund_a_future_payment_and_a_missing_key_are_refused(
        client_for: ApiClientFor, refund_id: int) -> None:
    admin = client_for("admin")
    unknown = admin.post(f"/api/refunds/{refund_id + 1000}/paid", json={"reference": "KB-1"})
    assert (unknown.status_code, unknown.json()["details"]["reason"]) == (404, "refund_not_found")
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    future = admin.post(f"/api/refunds/{refund_id}/paid",
                        json={"reference": "KB-1", "paid_at": later})
    assert (future.status_code, future.json()["details"]["reason"]) == (
        422, "refund_paid_at_future")
    keyless = client_for("admin", auto_keys=False).post(f"/api/refunds/{refund_id}/paid",
                                                        json={"reference": "KB-1"})
    assert (keyless.status_code, keyless.json()["details"]["reason"]) == (
        422, "idempotency_key_missing")
    assert admin.get("/api/refunds", params={"status": "bogus"}).status_code == 422
    listed = admin.get("/api/refunds").json()
    assert listed["refunds"][0]["status"] == "owed"
    # what they come to, not only how many (a finance walk)
    assert listed["amount_totals"] == [{"currency": "KRW", "amount_minor": sum(
        r["amount_minor"] for r in listed["refunds"])}]
    # a bare number was read as seconds since 1970 (a finance walk paid a refund at 2026-11-29)
    epoch = admin.post(f"/api/refunds/{refund_id}/paid",
                       json={"reference": "KB-1", "paid_at": 1796000000})
    assert epoch.status_code == 422 and "not a number" in epoch.text, epoch.text


def test_a_payment_time_without_a_zone_is_refused_saying_to_add_korea_offset(
        client: TestClient, refund_id: int) -> None:
    """The CLI and a payments file read a time without a zone as Korea time; the API takes
    only an explicit offset, and its refusal says which one to add."""
    naive = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
    refused = client.post(f"/api/refunds/{refund_id}/paid",
                          json={"reference": "KB-1", "paid_at": naive})
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"]["reason"] == "refund_paid_at_without_zone"
    assert "add +09:00" in refused.json()["message"]
    assert client.get("/api/refunds").json()["refunds"][0]["status"] == "owed"
