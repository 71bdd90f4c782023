"""The finance role over the API: a finance account reads the ledger and the refunds the desk
owes, marks a refund paid and reads the incidents a refund belongs to (the incident and the
list, as staff read them: no customer's contact details are in them) — and nothing else staff
do (declaring or running incidents, their cases, deciding price reviews, the agents' customers,
booking points): each refused with the usual 403 body. Reviewers and agents are still refused
the refunds and the ledger; sellers and anonymous callers the incidents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import refund_owed

pytestmark = pytest.mark.e2e

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


@pytest.fixture
def owed(uow: Callable[[], SqlAlchemyUnitOfWork]) -> dict[str, int]:
    """An order cancelled by the desk with a refund (as a choice applies it): the refund's id,
    its incident's and its customer's."""
    made = refund_owed(uow)
    return {"refund": made.refund_id, "incident": made.incident_id, "customer": made.customer_id}


def refused(response: Any, needs: str) -> None:
    assert response.status_code == 403, response.text
    body = response.json()
    assert (body["code"], body["details"]["reason"]) == ("forbidden", "role_not_allowed")
    assert f"needs: {needs}" in body["message"], body["message"]


def test_finance_lists_refunds_and_ledger_entries_and_marks_a_refund_paid(
        client_for: ApiClientFor, client: TestClient, owed: dict[str, int]) -> None:
    credited = client.post(f"/api/customers/{owed['customer']}/points/credit",
                           json={"points": 3_000, "memo": "goodwill"})
    assert credited.status_code == 201, credited.text
    finance = client_for("finance", username="lee")
    listed = finance.get("/api/refunds")
    assert listed.status_code == 200, listed.text
    assert [r["refund_id"] for r in listed.json()["refunds"]] == [owed["refund"]]
    ledger = finance.get("/api/ledger/entries", params={"customer_id": owed["customer"]})
    assert ledger.status_code == 200, ledger.text
    assert "goodwill" in [e["memo"] for e in ledger.json()["entries"]]
    paid = finance.post(f"/api/refunds/{owed['refund']}/paid", json={"reference": "KB 0219-77"})
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["paid_by"]) == ("paid", "api:lee")
    assert finance.get("/api/refunds").json()["total"] == 0


@pytest.mark.parametrize(("method", "path", "body", "needs"), [
    ("post", "/api/incidents", {}, "admin"),
    ("post", "/api/incidents/{incident}/scope", None, "admin"),
    ("post", "/api/incidents/{incident}/plan", {}, "admin"),
    ("post", "/api/incidents/{incident}/notify", None, "admin"),
    ("post", "/api/incidents/{incident}/escalate", None, "admin"),
    ("post", "/api/incidents/{incident}/deadline", None, "admin"),
    ("post", "/api/incidents/{incident}/close", {"reason": "x"}, "admin"),
    ("post", "/api/incidents/{incident}/notices", {"title": "x", "body": "x"}, "admin"),
    ("get", "/api/incidents/{incident}/notices/draft", None, "admin"),
    ("get", "/api/incidents/{incident}/cases", None, "reviewer, agent, admin"),
    ("post", "/api/price-changes/1/approve", {"reason": "looks fine"}, "reviewer, admin"),
    ("post", "/api/price-changes/1/reject", {"reason": "too low"}, "reviewer, admin"),
    ("get", "/api/review/price-changes", None, "reviewer, admin"),
    ("get", "/api/customers/{customer}", None, "agent, admin"),
    ("get", "/api/cases/1", None, "reviewer, agent, admin"),
    ("post", "/api/customers/{customer}/points/credit", {"points": 10, "memo": "x"}, "admin"),
    ("post", "/api/ledger/entries/1/reverse", {"memo": "x"}, "admin"),
    ("post", "/api/sellers", {"code": "x", "name": "x"}, "admin"),
    ("get", "/api/audit/verify", None, "admin"),
])  # fmt: skip
def test_finance_is_refused_everything_else_staff_do(
        client_for: ApiClientFor, owed: dict[str, int], method: str, path: str,
        body: dict[str, Any] | None, needs: str) -> None:
    finance = client_for("finance", username="lee")
    url = path.format(incident=owed["incident"], customer=owed["customer"])
    answer = getattr(finance, method)(url, **({"json": body} if body is not None else {}))
    refused(answer, needs)
    assert "a finance account" in answer.json()["message"]


def test_finance_reads_the_incident_of_a_refund_as_staff_do(
        client_for: ApiClientFor, client: TestClient, owed: dict[str, int]) -> None:
    """The person paying a refund looks its incident up: the same body an admin reads, with
    the refund booked in its money; the list names it too. Neither carries the customer's
    name, email or phone."""
    finance = client_for("finance", username="lee")
    [row] = finance.get("/api/refunds").json()["refunds"]
    answer = finance.get(f"/api/incidents/{row['incident_id']}")
    assert answer.status_code == 200, answer.text
    incident = answer.json()
    assert incident == client.get(f"/api/incidents/{owed['incident']}").json()
    assert incident["incident_id"] == owed["incident"]
    assert incident["money"]["refunds"] == {"amount_minor": row["amount_minor"],
                                            "currency": row["currency"]}
    listed = finance.get("/api/incidents")
    assert listed.status_code == 200, listed.text
    assert listed.json() == client.get("/api/incidents").json()
    assert [i["id"] for i in listed.json()] == [owed["incident"]]
    customer = client.get(f"/api/customers/{owed['customer']}").json()
    contacts = [customer[k] for k in ("name", "email", "phone")]
    assert all(contacts), customer  # else the check below proves nothing
    for text in (answer.text, listed.text):
        for contact in contacts:
            assert contact not in text


@pytest.mark.parametrize("path", ["/api/incidents", "/api/incidents/{incident}"])
def test_sellers_and_anonymous_callers_are_still_refused_the_incidents(
        client_for: ApiClientFor, client: TestClient, owed: dict[str, int], path: str) -> None:
    url = path.format(incident=owed["incident"])
    seller = client.post("/api/sellers", json={"code": "s9", "name": "판매자9"}).json()["id"]
    refused(client_for("seller", seller_id=seller).get(url), "reviewer, agent, finance, admin")
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", ["reviewer", "agent"])
def test_reviewers_and_agents_are_still_refused_refunds_and_the_ledger(
        client_for: ApiClientFor, owed: dict[str, int], role: str) -> None:
    staff = client_for(role)
    for answer in (staff.get("/api/refunds"), staff.get("/api/ledger/entries"),
                   staff.post(f"/api/refunds/{owed['refund']}/paid",
                              json={"reference": "KB-1"})):
        refused(answer, "finance, admin")
