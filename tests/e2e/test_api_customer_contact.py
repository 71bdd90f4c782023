"""``PATCH /api/customers/{id}``: an agent corrects a customer's email or phone number; only
the details sent change, ``null`` removes one, and a refusal says what was wrong and stores
nothing (what the correction does on the desk: tests/integration/test_customer_contact.py)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from test_api_access import ApiClientFor, refused, shop  # noqa: F401

# ruff: noqa: F811  (the tests take test_api_access's ``shop`` fixture by name)


def _patch(caller: TestClient, customer: int, body: dict[str, Any]) -> Any:
    return caller.patch(f"/api/customers/{customer}", json=body)


def test_an_agent_adds_changes_and_removes_details_and_only_those_sent_change(
        client_for: ApiClientFor, shop: dict[str, int]) -> None:
    agent, customer = client_for("agent"), shop["customer"]
    answer = _patch(agent, customer, {"phone": "010-9999-0000"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["changed"] == {"phone": "changed"}
    assert body["customer"]["phone"] == "010-9999-0000"
    assert body["customer"]["email"] == "mj@example.com"  # not sent: kept
    assert (body["calls_resumed"], body["calls_given_up"], body["messages_queued"]) == ([], [], 0)
    removed = _patch(agent, customer, {"email": None}).json()
    assert removed["changed"] == {"email": "removed"} and removed["customer"]["email"] is None
    assert (removed["messages_withdrawn"], removed["messages_resent"]) == (0, 0)  # none waited
    same = _patch(agent, customer, {"phone": "010-9999-0000"}).json()
    assert same["changed"] == {}
    assert agent.get(f"/api/customers/{customer}").json()["phone"] == "010-9999-0000"


def test_a_refused_correction_says_what_was_wrong_and_stores_nothing(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    agent, customer = client_for("agent"), shop["customer"]
    other = client.post("/api/customers", json={"name": "이서연", "email": "sy@example.com"})
    message = refused(_patch(agent, customer, {"email": "SY@example.com", "phone": "010-1"}),
                      422, "invalid_input", "phone_not_a_number")
    assert "010-1" in message
    refused(_patch(agent, customer, {"email": "sy@example.com"}), 409, "conflict",
            "customer_email_taken")
    refused(_patch(agent, customer, {"email": None, "phone": None}), 422, "invalid_input",
            "customer_contact_required")
    refused(_patch(agent, customer, {"name": "someone else"}), 422, "invalid_request")
    refused(_patch(agent, 987654, {"phone": "010-2222-3333"}), 404, "not_found")
    stored = agent.get(f"/api/customers/{customer}").json()
    assert (stored["email"], stored["phone"]) == ("mj@example.com", "010-1234-5678")
    assert other.status_code == 201


def test_only_agents_and_admins_correct_contact_details(client_for: ApiClientFor,
                                                        shop: dict[str, int]) -> None:
    for role in ("reviewer", "seller"):
        caller = client_for(role, seller_id=shop["seller1"] if role == "seller" else None)
        refused(_patch(caller, shop["customer"], {"phone": "010-2222-3333"}), 403, "forbidden",
                "role_not_allowed")
    refused(client_for(None).patch(f"/api/customers/{shop['customer']}",
                                   json={"phone": "010-2222-3333"}), 401, "unauthenticated")
