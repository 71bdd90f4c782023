"""The seller's price form reads 억 as it reads 만 and 천: "100억" was refused as "19,900처럼 원
단위 숫자로 입력해 주세요" while "18만" was accepted. 100억 is the highest price allowed; more
is refused as above it."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


def test_eok_is_read_on_the_sellers_price_form(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    said = {typed: html.unescape(client.post(
        f"/seller/listings/{world.ipod_a}/check",
        data={"csrf_token": csrf_of(page), "new_price": typed},
        headers={"HX-Request": "true"}).text) for typed in ("1억 2천만원", "100억", "101억")}
    assert "data-verdict=" in said["1억 2천만원"] and "120,000,000원" in said["1억 2천만원"]
    assert "숫자로 입력해 주세요" not in said["100억"] and "data-verdict=" in said["100억"]
    assert "최고 금액(10,000,000,000원)을 넘습니다" in said["101억"]
