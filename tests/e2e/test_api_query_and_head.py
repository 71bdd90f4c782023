"""The JSON API takes only the query parameters its routes declare, each once, and every GET
answers HEAD. An integrator's scripts saw a typo pass silently: ``GET /api/listings?seller=2``
(for ``seller_id``) answered 200 with every seller's listings, ``?bogus=1`` and an ``offset``
on a route without one were ignored, and ``limit=10&limit=20`` took the last; and ``curl -I``
(HEAD, as health checks send) answered 405 on every GET route, /healthz too. Pages keep
ignoring parameters they do not read (``?lang=en`` is read by the pages' own code)."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import APIRouter, FastAPI, Query
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from test_api_healthz import register_a_worker

from sagwa.web.query_params import declared_query, strict_query

pytestmark = pytest.mark.e2e


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def request_invalid(response: Any) -> list[dict[str, Any]]:
    """A 422 ``invalid_request`` with reason ``request_invalid``, like the schema's refusals."""
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert (body["code"], body["details"]["reason"]) == ("invalid_request", "request_invalid")
    assert set(body) == {"code", "message", "details"} and body["message"].strip()
    errors: list[dict[str, Any]] = body["details"]["errors"]
    return errors


@pytest.fixture
def listing(client: TestClient) -> dict[str, Any]:
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                 "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-q", "name": "판매자"}).json()["id"]
    return dict(client.post("/api/listings", json={
        "seller_id": seller, "product_id": product, "price": krw(199_000),
        "publish": True}).json())


@pytest.mark.parametrize(("path", "unknown"), [
    ("/api/listings?seller=2&limit=3", "seller"),
    ("/api/ledger/entries?bogus=1", "bogus"),
    ("/api/audit?entity_type=listing&entity_id=1&limit=1&offset=5", "limit"),
    ("/api/customers/11/orders?limit=1&offset=1", "limit"),
    ("/api/sellers/1?lang=en", "lang"),  # the API reads no language: nothing reads it here
])
def test_a_query_parameter_the_route_does_not_take_is_422_naming_it(
        client: TestClient, path: str, unknown: str) -> None:
    errors = request_invalid(client.get(path))
    assert f"query.{unknown}" in [e["field"] for e in errors], errors
    named = next(e for e in errors if e["field"] == f"query.{unknown}")
    assert unknown in named["problem"]


def test_the_refusal_lists_what_the_route_takes(client: TestClient) -> None:
    problem = request_invalid(client.get("/api/listings?seller=2"))[0]["problem"]
    assert "seller_id" in problem and "offset" in problem


def test_a_parameter_given_twice_is_422(client: TestClient) -> None:
    errors = request_invalid(client.get("/api/listings?limit=10&limit=20"))
    assert [e["field"] for e in errors] == ["query.limit"]
    assert "2" in errors[0]["problem"] or "twice" in errors[0]["problem"]


def test_a_list_parameter_may_be_repeated_and_aliases_are_the_names_sent() -> None:
    router = APIRouter()

    @router.get("/x")
    def x(ids: Annotated[list[int], Query()], since: Annotated[str | None, Query(alias="from")],
          limit: int = 5) -> None:
        return None

    route = router.routes[0]
    assert isinstance(route, APIRoute)
    assert declared_query(route.dependant) == {"ids": True, "from": False, "limit": False}


def test_declared_parameters_and_their_aliases_still_work(
        client: TestClient, listing: dict[str, Any]) -> None:
    mine = client.get(f"/api/listings?seller_id={listing['seller_id']}&limit=3")
    assert mine.status_code == 200 and [x["id"] for x in mine.json()] == [listing["id"]]
    assert client.get("/api/ledger/entries?from=2026-01-01&to=2026-12-31").status_code == 200
    assert client.get("/api/products?q=아이팟&limit=1&offset=0").status_code == 200


def test_a_refused_unknown_parameter_does_not_hide_the_missing_token(
        client_for: Any) -> None:
    """The shape of the request is judged at the edge, as a malformed body is."""
    anonymous = client_for(None)
    request_invalid(anonymous.get("/api/ledger/entries?bogus=1"))
    assert anonymous.get("/api/ledger/entries").status_code == 401


def test_every_api_route_judges_its_query(api_app: FastAPI) -> None:
    """Once, at the edge: every route under /api/ carries the check (a router included
    without it would let typos pass again)."""
    api = [r for r in iter_route_contexts(api_app.routes)
           if isinstance(r.original_route, APIRoute) and str(r.path).startswith("/api/")]
    assert len(api) > 40
    for route in api:
        calls = [d.call for d in route.dependant.dependencies]
        assert strict_query in calls, route.path


@pytest.mark.parametrize("path", ["/login?foo=1", "/?lang=en&utm_source=x", "/healthz?x=1"])
def test_pages_and_healthz_still_ignore_parameters_they_do_not_read(
        client: TestClient, session_factory: sessionmaker[Session], path: str) -> None:
    register_a_worker(session_factory)  # else /healthz is 503: no worker alive
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/api/listings/{id}", "/api/listings", "/healthz", "/login",
                                  "/", "/openapi.json", "/api/notices"])
def test_head_answers_like_get_without_a_body(client: TestClient, listing: dict[str, Any],
                                              session_factory: sessionmaker[Session],
                                              path: str) -> None:
    register_a_worker(session_factory)  # else /healthz is 503: no worker alive
    path = path.format(id=listing["id"])
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200, head.text
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_on_an_unknown_id_is_the_same_404(client: TestClient) -> None:
    assert client.head("/api/listings/987654321").status_code == 404


def test_a_route_without_get_still_refuses_head(client: TestClient) -> None:
    answer = client.head("/api/orders")
    assert answer.status_code == 405
    assert "HEAD" not in answer.headers["allow"] and "POST" in answer.headers["allow"]
    assert answer.content == b""


def test_the_allow_header_of_a_get_route_names_head(client: TestClient) -> None:
    answer = client.delete("/api/listings")
    assert answer.status_code == 405
    allowed = answer.json()["details"]["allowed"]
    assert {"GET", "HEAD", "POST"} <= set(allowed)
