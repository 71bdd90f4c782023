"""Who may call what: API tokens, roles, a seller's own listings, idempotency keys required."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.accounts import revoke_api_tokens
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def refused(response: Any, status: int, code: str, reason: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"].strip()
    if reason is not None:  # the stable sub-code beside the code
        assert body["details"]["reason"] == reason
    return str(body["message"])


@pytest.fixture
def shop(client: TestClient) -> dict[str, int]:
    """Two sellers of one product, a customer; made by the admin (platform) token."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199000)}).json()["id"]
    ids = {"product": product}
    for n in (1, 2):
        seller = client.post("/api/sellers", json={"code": f"s{n}", "name": f"판매자{n}"}).json()
        ids[f"seller{n}"] = seller["id"]
        ids[f"listing{n}"] = client.post("/api/listings", json={
            "seller_id": seller["id"], "product_id": product, "price": krw(199000),
            "publish": True}).json()["id"]
    ids["customer"] = client.post("/api/customers", json={
        "name": "김민준", "email": "mj@example.com", "phone": "010-1234-5678"}).json()["id"]
    return ids


def test_without_a_token_only_the_public_catalogue_and_notices_are_open(
        client_for: ApiClientFor, shop: dict[str, int]) -> None:
    anonymous = client_for(None)
    assert anonymous.get("/api/products").status_code == 200
    assert anonymous.get(f"/api/listings/{shop['listing1']}").status_code == 200
    assert anonymous.get("/api/notices").status_code == 200
    answer = anonymous.get(f"/api/customers/{shop['customer']}")
    assert answer.headers["www-authenticate"] == 'Bearer realm="sagwa"'  # RFC 9110's challenge
    message = refused(answer, 401, "unauthenticated")
    assert "Bearer" in message
    for path in ("/api/audit/verify", "/api/review/price-changes", "/api/incidents",
                 f"/api/customers/{shop['customer']}/points"):
        refused(anonymous.get(path), 401, "unauthenticated")
    refused(anonymous.post(f"/api/customers/{shop['customer']}/points/credit",
                           json={"points": 1_000_000, "memo": "free money"}),
            401, "unauthenticated")
    refused(anonymous.post("/api/sellers", json={"code": "x", "name": "x"}), 401,
            "unauthenticated")


def test_an_unknown_malformed_or_revoked_token_is_refused(
        client_for: ApiClientFor, session_factory: sessionmaker[Session],
        shop: dict[str, int]) -> None:
    agent = client_for("agent")
    assert agent.get(f"/api/customers/{shop['customer']}").status_code == 200
    for header in ("Bearer sgw_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4=",
                   "sgw_without_scheme"):
        response = agent.get(f"/api/customers/{shop['customer']}",
                             headers={"Authorization": header})
        refused(response, 401, "unauthenticated")
    revoked = revoke_api_tokens(SqlAlchemyUnitOfWork(session_factory), username="agent",
                                name=None, actor="test")
    assert revoked == 1
    assert "revoked" in refused(agent.get(f"/api/customers/{shop['customer']}"), 401,
                                "unauthenticated")


@pytest.mark.parametrize(("role", "method", "path", "body"), [
    ("agent", "post", "/api/customers/{customer}/points/credit", {"points": 10, "memo": "x"}),
    ("agent", "post", "/api/incidents", {}),
    ("reviewer", "get", "/api/customers/{customer}", None),
    ("reviewer", "post", "/api/cases/1/choice", {"choice": "keep", "channel": "phone",
                                                 "evidence": "네"}),
    ("seller", "get", "/api/customers/{customer}", None),
    ("seller", "get", "/api/review/price-changes", None),
    ("seller", "post", "/api/orders", {"customer_id": 1, "listing_id": 1}),
    ("seller", "get", "/api/audit/verify", None),
])
def test_each_role_is_refused_what_it_may_not_do(
        client_for: ApiClientFor, shop: dict[str, int], role: str, method: str, path: str,
        body: dict[str, Any] | None) -> None:
    caller = client_for(role, seller_id=shop["seller1"] if role == "seller" else None)
    url = path.format(customer=shop["customer"])
    response = getattr(caller, method)(url, **({"json": body} if body is not None else {}))
    article = "an" if role[0] in "aeiou" else "a"  # "an agent account", "a seller account"
    assert f"{article} {role} account" in refused(response, 403, "forbidden", "role_not_allowed")


@pytest.mark.parametrize(("role", "method", "path", "body", "needs"), [
    ("reviewer", "post", "/api/listings/{listing}/price-changes", {"new_price": krw(189000)},
     "needs: seller, admin"),
    ("reviewer", "get", "/api/customers/{customer}", None, "needs: agent, admin"),
    ("seller", "post", "/api/orders", {"customer_id": 1, "listing_id": 1}, "needs: admin)"),
])
def test_a_refusal_names_every_role_that_may_do_it_the_admin_too(
        client_for: ApiClientFor, client: TestClient, shop: dict[str, int], role: str,
        method: str, path: str, body: dict[str, Any] | None, needs: str) -> None:
    """A tester's reviewer token proposing a price was told "(needs: seller)"; an admin may
    propose too."""
    caller = client_for(role, seller_id=shop["seller1"] if role == "seller" else None)
    url = path.format(customer=shop["customer"], listing=shop["listing1"])
    response = getattr(caller, method)(url, **({"json": body} if body is not None else {}))
    assert needs in refused(response, 403, "forbidden", "role_not_allowed")
    if method == "post" and "price-changes" in url:  # what the message says holds
        assert client.post(url, json=body).status_code == 201


def test_an_agent_reads_customers_and_reaches_the_case_endpoints(
        client_for: ApiClientFor, shop: dict[str, int]) -> None:
    agent = client_for("agent")
    assert agent.get(f"/api/customers/{shop['customer']}").json()["phone"] == "010-1234-5678"
    # past the role check: the case does not exist
    refused(agent.post("/api/cases/987654/choice", json={
        "choice": "keep", "channel": "phone", "evidence": "유지할게요"}), 404, "not_found")
    # an agent records the choice they took; relaying "the customer" is the platform's
    relayed = {"choice": "keep", "channel": "web", "evidence": "clicked", "taken_by": "customer"}
    answer = agent.post("/api/cases/987654/choice", json=relayed)
    refused(answer, 403, "forbidden", "customer_choice_needs_admin")


def test_a_seller_changes_only_its_own_listings(client: TestClient, client_for: ApiClientFor,
                                                shop: dict[str, int]) -> None:
    seller1 = client_for("seller", seller_id=shop["seller1"])
    own = seller1.post(f"/api/listings/{shop['listing1']}/price-changes",
                       json={"new_price": krw(189000)})
    assert own.status_code == 201 and own.json()["status"] == "applied"
    assert own.json()["proposed_by"] == f"api:seller-{shop['seller1']}"
    other = shop["listing2"]
    not_own = (403, "forbidden", "not_own_listing")
    cut = {"new_price": krw(19900)}
    refused(seller1.post(f"/api/listings/{other}/price-changes", json=cut), *not_own)
    refused(seller1.post(f"/api/listings/{other}/pause"), *not_own)
    refused(seller1.get(f"/api/listings/{other}/price-changes"), *not_own)
    refused(seller1.post("/api/price-changes/check", json={"listing_id": other, **cut}), *not_own)
    theirs = {"seller_id": shop["seller2"], "product_id": shop["product"], "price": krw(1)}
    refused(seller1.post("/api/listings", json=theirs), *not_own)
    listing = client.get(f"/api/listings/{other}").json()
    assert (listing["price"], listing["status"]) == (krw(199000), "live")  # untouched
    assert client.get(f"/api/listings/{other}/price-changes").json() == []


def test_a_create_without_an_idempotency_key_is_refused_and_creates_nothing(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    bare = client_for("admin", username="admin-no-keys", auto_keys=False)
    body = {"customer_id": shop["customer"], "listing_id": shop["listing1"], "quantity": 1}
    response = bare.post("/api/orders", json=body)
    assert "Idempotency-Key" in refused(response, 422, "invalid_input")
    assert client.get(f"/api/customers/{shop['customer']}/orders").json() == []
    assert bare.post("/api/orders", json=body,
                     headers={"Idempotency-Key": "order-1"}).status_code == 201
    incident = {"listing_ids": [shop["listing1"]], "wrong_price": krw(19900),
                "correct_price": krw(199000), "window_start": "2026-12-01T09:00:00+09:00",
                "cause": "90% event typed as the price", "responsible": "seller"}
    assert "Idempotency-Key" in refused(bare.post("/api/incidents", json=incident), 422,
                                        "invalid_input")
    assert client.get("/api/incidents").json() == []


def test_the_openapi_document_declares_the_bearer_token(client_for: ApiClientFor) -> None:
    schemes = client_for(None).get("/openapi.json").json()["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_a_notice_for_an_unknown_incident_is_404_before_any_text_check(
        client: TestClient) -> None:
    refused(client.post("/api/incidents/987654/notices",
                        json={"lang": "ko", "title": "안내", "body": "주문이 취소되었습니다."}),
            404, "not_found")


def test_closing_an_incident_takes_its_reason_in_the_json_body(
        client: TestClient, shop: dict[str, int],
        session_factory: sessionmaker[Session]) -> None:
    body = {"listing_ids": [shop["listing1"]], "wrong_price": krw(19900),
            "correct_price": krw(199000),
            "window_start": datetime.now(UTC).isoformat(),  # after the listing was created
            "cause": "90% event typed as the price", "responsible": "seller"}
    for bad, said in ((0, "not a number"), ("0", "not a number"),
                      ("2026-12-01T09:00:00", "timezone")):
        answer = client.post("/api/incidents", json={**body, "window_start": bad},
                             headers={"Idempotency-Key": f"bad-{bad}"})
        assert answer.status_code == 422 and said in answer.text, answer.text
    assert client.get("/api/incidents").json() == []
    # the seller types 19,900 KRW (an incident is declared only over a price the listing had)
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=shop["listing1"], new_price=Money(19900, "KRW"),
                                  proposed_by="seller:s1")
    declared = client.post("/api/incidents", json=body, headers={"Idempotency-Key": "inc-1"})
    assert declared.status_code == 201, declared.text
    incident = declared.json()["incident_id"]
    # a retry is the same incident; another declaration on the same listing is refused
    retried = client.post("/api/incidents", json=body, headers={"Idempotency-Key": "inc-1"})
    assert retried.json()["incident_id"] == incident
    again = client.post("/api/incidents", json=body, headers={"Idempotency-Key": "inc-2"})
    refused(again, 409, "conflict", "window_overlaps_incident")
    assert again.json()["details"]["incident_id"] == incident
    assert client.post(f"/api/incidents/{incident}/scope").json()["orders"] == 0  # no orders
    assert "reason" in refused(client.post(f"/api/incidents/{incident}/close"), 422,
                               "invalid_input")
    closed = client.post(f"/api/incidents/{incident}/close",
                         json={"reason": "false alarm: the price was right"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    # a retried close (its answer lost) gets the closed incident again, as the first did
    again = client.post(f"/api/incidents/{incident}/close", json={"reason": "retry"})
    assert again.status_code == 200, again.text
    assert again.json() == closed.json()


def test_a_listing_published_at_a_tenth_of_its_price_is_held_until_a_reviewer_releases_it(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    seller = client.post("/api/sellers", json={"code": "s3", "name": "판매자3"}).json()["id"]
    created = client.post("/api/listings", json={
        "seller_id": seller, "product_id": shop["product"], "price": krw(19900), "publish": True})
    assert created.status_code == 201, created.text
    listing = created.json()
    assert listing["status"] == "held"  # the guard held its first price: nobody can order
    # and the answer says why, as the reviewers see it (a walkthrough got only "held")
    hold = listing["hold"]
    assert hold["reason_en"] and hold["reason_ko"] and hold["score"] is not None
    assert "19,900" in hold["reason_en"] and hold["error_type"]
    assert client.get(f"/api/listings/{listing['id']}").json()["hold"] == hold
    order = client.post("/api/orders", json={"customer_id": shop["customer"],
                                              "listing_id": listing["id"], "quantity": 1})
    assert order.status_code == 409, order.text
    own = client_for("seller", seller_id=seller)
    refused(own.post(f"/api/listings/{listing['id']}/release"), 403, "forbidden")
    # nor around the review: a held listing cannot be paused (pause + resume would put it live)
    pause = own.post(f"/api/listings/{listing['id']}/pause")
    assert pause.status_code == 409 and pause.json()["code"] == "illegal_transition", pause.text
    assert client.get(f"/api/listings/{listing['id']}").json()["status"] == "held"
    reviewer = client_for("reviewer")
    moved = reviewer.post(f"/api/listings/{listing['id']}/release",  # not the price it has
                          json={"reason": "checked", "expected_price": krw(29900)})
    refused(moved, 409, "conflict", "listing_price_moved")
    assert client.get(f"/api/listings/{listing['id']}").json()["status"] == "held"
    released = reviewer.post(f"/api/listings/{listing['id']}/release",
                             json={"reason": "checked with the seller",
                                   "expected_price": krw(19900)})
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "live"
    assert client.get(f"/api/listings/{shop['listing1']}").json()["status"] == "live"  # 199,000


def test_a_correct_price_refused_as_implausible_is_declared_when_confirmed(
        client: TestClient, shop: dict[str, int],
        session_factory: sessionmaker[Session]) -> None:
    """1,990,000 KRW for a listing that sold at 199,000 (a zero too many) is refused with the
    prices it was held against; ``correct_price_confirmed`` declares it all the same (the
    operator checked it: a pack's price, say), and the audit log says so."""
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=shop["listing1"], new_price=Money(19900, "KRW"),
                                  proposed_by="seller:s1")
    body = {"listing_ids": [shop["listing1"]], "wrong_price": krw(19900),
            "correct_price": krw(1_990_000), "window_start": datetime.now(UTC).isoformat(),
            "cause": "90% event typed as the price", "responsible": "seller"}
    answer = client.post("/api/incidents", json=body, headers={"Idempotency-Key": "cp-1"})
    refused(answer, 422, "invalid_input", "correct_price_implausible")
    assert "correct_price_confirmed" in answer.json()["message"]
    declared = client.post("/api/incidents", json={**body, "correct_price_confirmed": True},
                           headers={"Idempotency-Key": "cp-2"})
    assert declared.status_code == 201, declared.text
    trail = client.get(f"/api/audit?entity_type=incident&entity_id="
                       f"{declared.json()['incident_id']}").json()
    [entry] = [e for e in trail if e["action"] == "incident.declared"]
    assert entry["after"]["correct_price_confirmed"] is True


def test_finance_reads_a_customers_points_balance_and_a_reviewer_does_not(
        client_for: ApiClientFor, shop: dict[str, int]) -> None:
    """A finance walk reconciling the ledger's postings with the balances was refused (403)."""
    url = f"/api/customers/{shop['customer']}/points"
    answer = client_for("finance").get(url)
    assert answer.status_code == 200, answer.text
    assert answer.json()["customer_id"] == shop["customer"]
    assert client_for("agent").get(url).status_code == 200
    assert "needs: agent, finance, admin" in refused(client_for("reviewer").get(url), 403,
                                                     "forbidden", "role_not_allowed")
