"""``POST /api/messages/check`` with ``incident_id``: a notice about a book called "소송의 기술"
(소송: a lawsuit) or "The Lawyer", sold by "법무법인 서점" (a law firm), is judged as publishing it
would be — the names it writes are not threats — while a threat the writer adds is still one;
without the incident the check cannot tell the names, as before. An unknown incident is the
API's 404, ``incident_id`` with a customer kind a 422 naming the field, and reading an
incident's names needs a staff account, as reading the incident does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings
from sagwa.services.notices import notice_text
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
KRW = "KRW"
THREAT = {"ko": "이 가격으로 주문을 계속 요구하시면 법적 조치를 취하겠습니다.",
          "en": "Customers who insist on the wrong price will face legal action."}
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


@pytest.fixture
def seller_id(session_factory: sessionmaker[Session]) -> int:
    """A seller called "법무법인 서점" (a law firm: a threat cue)."""
    return catalog.register_seller(SqlAlchemyUnitOfWork(session_factory), code="lawbooks",
                                   name="법무법인 서점", actor="t").id


@pytest.fixture
def incident_id(session_factory: sessionmaker[Session], seller_id: int) -> int:
    """A declared incident on the seller's listing of "소송의 기술" / "The Lawyer"."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    product = catalog.register_product(uow(), title="소송의 기술", title_en="The Lawyer",
                                       category="books", list_price=Money(199_000, KRW),
                                       actor="t")
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product.id,
                                      price=Money(19_900, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, KRW),
                       correct_price=Money(199_000, KRW), window_start=datetime.now(UTC),
                       cause="a zero dropped", responsible="seller", actor="admin:test")
    return int(row.incident.incident_id)


def _draft(client: TestClient, incident_id: int, lang: str) -> tuple[str, str]:
    """The incident's template notice (title, body): it names the product."""
    answer = client.get(f"/api/incidents/{incident_id}/notices/draft", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    return answer.json()["title"], answer.json()["body"]


def _check(client: TestClient, text: str, lang: str, **extra: Any) -> dict[str, Any]:
    answer = client.post("/api/messages/check",
                         json={"text": text, "kind": "notice", "lang": lang, **extra})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _errors(result: dict[str, Any]) -> set[str]:
    return {f["code"] for f in result["findings"] if f["severity"] == "error"}


@pytest.mark.parametrize(("lang", "name"), [("ko", "소송의 기술"), ("en", "The Lawyer")])
def test_a_notice_naming_the_incidents_product_passes_with_its_incident_as_it_publishes(
        client: TestClient, incident_id: int, lang: str, name: str) -> None:
    title, body = _draft(client, incident_id, lang)
    text = notice_text(title, body)
    assert name in text
    assert "threat" in _errors(_check(client, text, lang))  # the check alone: the name threatens
    assert _check(client, text, lang, incident_id=incident_id) == {"ok": True, "findings": []}
    published = client.post(f"/api/incidents/{incident_id}/notices",
                            json={"lang": lang, "title": title, "body": body})
    assert published.status_code == 201, published.text  # and publishing agrees


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_threat_added_to_the_notice_is_refused_with_its_incident_as_on_publishing(
        client: TestClient, incident_id: int, lang: str) -> None:
    title, body = _draft(client, incident_id, lang)
    threatening = f"{body}\n\n{THREAT[lang]}"
    result = _check(client, notice_text(title, threatening), lang, incident_id=incident_id)
    assert result["ok"] is False and "threat" in _errors(result)
    spans = [f["span"] for f in result["findings"] if f["code"] == "threat"]
    assert all(s[0] >= len(notice_text(title, body)) for s in spans)  # the added words only
    refused = client.post(f"/api/incidents/{incident_id}/notices",
                          json={"lang": lang, "title": title, "body": threatening})
    assert refused.status_code == 422 and refused.json()["code"] == "message_refused"


def test_an_unknown_incident_is_the_apis_404(client: TestClient, incident_id: int) -> None:
    answer = client.post("/api/messages/check", json={
        "text": "'소송의 기술' 가격 오류 안내\n\n죄송합니다.", "kind": "notice", "lang": "ko",
        "incident_id": incident_id + 1000})
    assert answer.status_code == 404, answer.text
    body = answer.json()
    assert body["code"] == "not_found" and body["details"]["reason"] == "unknown_id"
    assert str(incident_id + 1000) in body["message"]


@pytest.mark.parametrize("kind", ["resolution", "follow_up", "seller_notice"])
def test_an_incident_with_another_kind_is_a_422_naming_the_field(
        client: TestClient, incident_id: int, kind: str) -> None:
    answer = client.post("/api/messages/check", json={
        "text": "죄송합니다.", "kind": kind, "lang": "ko", "incident_id": incident_id})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "invalid_request"
    [error] = body["details"]["errors"]
    assert error["field"] == "body.incident_id" and "kind notice only" in error["problem"]


def test_reading_an_incidents_names_needs_a_staff_account(
        client_for: ApiClientFor, incident_id: int, seller_id: int) -> None:
    text = "'소송의 기술' 가격 오류 안내\n\n죄송합니다."
    seller = client_for("seller", seller_id=seller_id)  # the incident's own seller, even
    plain = seller.post("/api/messages/check", json={"text": text, "kind": "notice",
                                                     "lang": "ko"})
    assert plain.status_code == 200, plain.text  # any account may check a text, as before
    named = seller.post("/api/messages/check", json={"text": text, "kind": "notice",
                                                     "lang": "ko", "incident_id": incident_id})
    assert named.status_code == 403, named.text
    assert named.json()["details"]["reason"] == "role_not_allowed"
    for role in ("agent", "reviewer"):
        answer = client_for(role).post("/api/messages/check", json={
            "text": text, "kind": "notice", "lang": "ko", "incident_id": incident_id})
        assert answer.status_code == 200, answer.text


def test_the_api_document_describes_incident_id(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["MessageCheckRequest"]
    described = schema["properties"]["incident_id"]["description"]
    assert "notice" in described and "404" in described and "422" in described
    assert "incident_id" not in schema.get("required", [])
