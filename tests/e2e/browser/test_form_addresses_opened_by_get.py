"""A form's address opened by GET (the address bar, the history, a copied link) goes to the
page the form belongs to (TestClient): the review queue, or the seller's listing. Before: a raw
English "Method Not Allowed" under "입력을 확인해 주세요" on a Korean page. Any other method a
page does not take is a page with its own heading, in Korean and English; the API's 405 stays
JSON."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

pytestmark = pytest.mark.e2e


def test_a_review_forms_address_opened_by_get_goes_to_the_queue(
        client: TestClient, world: World) -> None:
    log_in(client, "reviewer")
    for path in ("/ops/review/114/approve", "/ops/review/114/reject",
                 "/ops/review/listings/631/release", "/ops/review/listings/631/send-back"):
        answer = client.get(path)
        assert answer.status_code == 303, (path, answer.status_code, answer.text[:300])
        assert answer.headers["location"] == "/ops/review", path
    kept = client.get("/ops/review/114/approve?lang=en")
    assert kept.status_code == 303 and kept.headers["location"] == "/ops/review?lang=en"


def test_a_seller_forms_address_opened_by_get_goes_to_the_listing(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    listing = f"/seller/listings/{world.ipod_a}"
    for path in (f"{listing}/price-changes/114/withdraw", f"{listing}/check", f"{listing}/price",
                 f"{listing}/status"):
        answer = client.get(path)
        assert answer.status_code == 303, (path, answer.status_code, answer.text[:300])
        assert answer.headers["location"] == listing, path
        assert client.get(answer.headers["location"]).status_code == 200


def test_another_method_a_page_does_not_take_is_a_page_with_its_heading(
        client: TestClient, world: World) -> None:
    log_in(client, "reviewer")
    korean = client.delete("/ops/review/114/approve")
    assert korean.status_code == 405
    assert korean.headers["content-type"].startswith("text/html")
    page = html.unescape(korean.text)
    assert "<h1>이 주소는 양식을 보낼 때만 씁니다</h1>" in page, page
    assert "Method Not Allowed" not in page and "입력을 확인해 주세요" not in page
    english = html.unescape(client.delete("/ops/review/114/approve?lang=en").text)
    assert "<h1>This address is only for sending a form</h1>" in english
    assert "Method Not Allowed" not in english


def test_the_apis_405_stays_json(client: TestClient) -> None:
    answer = client.get("/api/orders")
    assert answer.status_code == 405
    assert answer.json()["details"]["reason"] == "method_not_allowed"
