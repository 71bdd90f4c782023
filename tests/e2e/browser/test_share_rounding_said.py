"""The seller's share of the compensation is rounded down to the won for each case and the
platform pays the rest (``ledger.credit_compensation``): the seller's incident page and the
operator's plan page say so, and the plan form names the split as one of the compensation
(points), not of every cost."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

pytestmark = pytest.mark.e2e

KO = "판매자 몫은 건별로 원 단위 미만을 버리고, 나머지는 플랫폼이 부담합니다."
EN = "The seller's share is rounded down to the won for each case; the platform pays the rest."


def test_the_seller_page_says_how_their_share_is_rounded(client: TestClient,
                                                         world: World) -> None:
    log_in(client, "seller_b")
    url = f"/seller/incidents/{world.incident}"
    assert KO in html.unescape(client.get(url).text)
    assert EN in html.unescape(client.get(url + "?lang=en").text)


def test_the_plan_page_says_the_rounding_and_what_the_split_covers(client: TestClient,
                                                                   world: World) -> None:
    log_in(client, "admin")
    url = f"/ops/incidents/{world.incident}"
    ko = html.unescape(client.get(url).text)
    assert KO in ko and "보상 포인트 중 판매자 몫 (%)" in ko and "보상 포인트 중 플랫폼 몫 (%)" in ko
    en = html.unescape(client.get(url + "?lang=en").text)
    assert EN in en
    assert "Seller's share of the compensation (points, %)" in en
    assert "Compensation (points) split" in en and "Cost split" not in en
    assert "Seller pays (%)" not in en
