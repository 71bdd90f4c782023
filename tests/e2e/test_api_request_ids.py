"""Every answer names its request: ``X-Request-ID`` (the caller's own when it is a short plain
token, else a new one) on every response — errors, 413s, 500s and HEAD included — on the one
access-log line each request gets, on whatever is logged while it is handled, and on a 500's
body so a customer can quote it to support (``web/request_ids.py``)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from sagwa.log_format import RequestIdFilter

pytestmark = pytest.mark.e2e

NEW_ID = re.compile(r"[0-9a-f]{32}")
JSON = {"content-type": "application/json"}
TOO_LARGE = b'{"new_price": "' + b"9" * (2 * 1024 * 1024) + b'"}'
TOKEN = "eyJjYXNlIjo0Mn0.Zm9vYmFyYmF6cXV4c2lnbmF0dXJl"

Call = Callable[[TestClient], httpx.Response]
CALLS: dict[str, tuple[Call, int]] = {
    "200": (lambda c: c.get("/api/products"), 200),
    "404": (lambda c: c.get("/api/no-such-route"), 404),
    "404-page": (lambda c: c.get("/no-such-page"), 404),
    "413": (lambda c: c.post("/api/price-changes/check", content=TOO_LARGE, headers=JSON), 413),
    "422": (lambda c: c.post("/api/orders", json={"customer_id": "x"}), 422),
    "401": (lambda c: c.post("/api/orders", json={}, headers={"Authorization": "Bearer no"}),
            401),
    "HEAD": (lambda c: c.head("/api/products"), 200),
    "HEAD-healthz": (lambda c: c.head("/healthz"), 200),
}


@pytest.fixture
def boom_app(api_app: FastAPI) -> FastAPI:
    """The app with routes that fail unexpectedly (a 500), as JSON and as a page, and one that
    logs while it answers."""

    @api_app.get("/api/boom-for-request-ids")
    def boom() -> None:
        raise RuntimeError("boom")

    @api_app.get("/boom-page-for-request-ids")
    def boom_page() -> None:
        raise RuntimeError("boom")

    @api_app.get("/api/logs-for-request-ids")
    def logs(request: Request) -> dict[str, str]:  # a sync route: it runs in a worker thread
        logging.getLogger("sagwa.test_request_ids").warning("handling it")
        return {"request_id": request.state.request_id}

    return api_app


@pytest.mark.parametrize("name", list(CALLS))
def test_every_answer_carries_a_new_request_id(client: TestClient, name: str) -> None:
    call, status = CALLS[name]
    answer = call(client)
    assert answer.status_code == status, answer.text
    assert NEW_ID.fullmatch(answer.headers["x-request-id"])
    assert answer.headers["x-frame-options"] == "DENY"  # the security headers are there too
    assert call(client).headers["x-request-id"] != answer.headers["x-request-id"]


@pytest.mark.parametrize("name", list(CALLS))
def test_a_sane_incoming_id_is_echoed(client: TestClient, name: str) -> None:
    call, _ = CALLS[name]
    client.headers["X-Request-ID"] = "lb-7f3a.2_x"
    assert call(client).headers["x-request-id"] == "lb-7f3a.2_x"


@pytest.mark.parametrize("sent", ["a" * 65, "has space", "<script>", "콩"])
def test_an_unusable_incoming_id_is_replaced(client: TestClient, sent: str) -> None:
    answer = client.get("/api/products", headers={"X-Request-ID": sent.encode()})
    assert NEW_ID.fullmatch(answer.headers["x-request-id"])


def test_a_500_names_its_request_id_in_the_header_and_the_json(
        boom_app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        answer = client.get("/api/boom-for-request-ids")
        echoed = client.get("/api/boom-for-request-ids", headers={"X-Request-ID": "ticket-42"})

    assert answer.status_code == 500
    rid = answer.headers["x-request-id"]
    assert NEW_ID.fullmatch(rid)
    body = answer.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == "internal_error"
    assert body["details"]["request_id"] == rid and rid in body["message"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert echoed.headers["x-request-id"] == echoed.json()["details"]["request_id"] == "ticket-42"
    [logged, _] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged.request_id == rid and rid in logged.getMessage()  # type: ignore[attr-defined]
    assert logged.exc_info


def test_a_500_page_asks_the_customer_to_quote_the_request_id_korean_first(
        boom_app: FastAPI) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        answer = client.get("/boom-page-for-request-ids")

    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    rid = answer.headers["x-request-id"]
    korean = answer.text.index(f"요청 번호: <code>{rid}</code>")
    english = answer.text.index(f"Quote request id <code>{rid}</code> when you contact us")
    assert korean < english


def test_one_access_line_per_request_carries_its_id(
        client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sagwa.web")
    client.get("/api/products?q=010-2745-4831", headers={"X-Request-ID": "trace-1"})
    client.head("/healthz", headers={"X-Request-ID": "trace-2"})
    client.get(f"/c/{TOKEN}/choose?lang=en", headers={"X-Request-ID": "trace-3"},
               follow_redirects=False)

    lines = _access_lines(caplog)
    assert [r.request_id for r in lines] == ["trace-1", "trace-2", "trace-3"]  # type: ignore[attr-defined]
    first, head, customer = (r.getMessage() for r in lines)
    assert re.fullmatch(r"testclient GET /api/products 200 \d+\.\d ms request_id=trace-1", first)
    assert re.fullmatch(r"testclient HEAD /healthz 200 \d+\.\d ms request_id=trace-2", head)
    assert TOKEN not in customer and customer.startswith("testclient GET /c/eyJ…[masked]/choose ")
    assert lines[0].__dict__.keys() >= {"client", "method", "path", "status", "duration_ms"}
    assert (lines[0].method, lines[0].path, lines[0].status) == (  # type: ignore[attr-defined]
        "GET", "/api/products", 200)


def test_a_500_gets_its_access_line_too(boom_app: FastAPI,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="sagwa.web")
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        answer = client.get("/api/boom-for-request-ids")
    [line] = _access_lines(caplog)
    assert line.status == 500  # type: ignore[attr-defined]
    assert line.request_id == answer.headers["x-request-id"]  # type: ignore[attr-defined]


def test_what_is_logged_while_handling_a_request_carries_its_id(
        boom_app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(RequestIdFilter())  # as sagwa serve's handlers have it
    with TestClient(boom_app) as client:
        answer = client.get("/api/logs-for-request-ids", headers={"X-Request-ID": "in-thread"})
        client.get("/api/logs-for-request-ids")
    first, second = [r for r in caplog.records if r.name == "sagwa.test_request_ids"]
    assert answer.json() == {"request_id": "in-thread"}  # request.state.request_id
    assert first.request_id == "in-thread"  # type: ignore[attr-defined]
    assert NEW_ID.fullmatch(second.request_id)  # type: ignore[attr-defined]
    logging.getLogger("sagwa.test_request_ids").warning("after")
    assert caplog.records[-1].request_id is None  # type: ignore[attr-defined]


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[Any]:
    return [r for r in caplog.records if r.name == "sagwa.web.access"]
