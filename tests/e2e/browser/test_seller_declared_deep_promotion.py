"""A promotion declared deeper than its category allows, at exactly the declared percent (70% off
199,000원 is 59,700원), is not a mistake to suspect: the verdict says it needs review because it
is deeper than the category's limit. Before the mend the seller read "의심되는 오류: 평소보다
깊게 선언된 할인" beside a price that matched their declaration to the won; a price that does
not match the percent still says what it looks like."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


def _verdict(client: TestClient, world: World, price: str, pct: str, lang: str = "ko") -> str:
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    answer = client.post(f"/seller/listings/{world.ipod_a}/check?lang={lang}",
                         data={"csrf_token": csrf_of(page), "new_price": price,
                               "promotion_pct": pct}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(answer.text))


def test_an_exact_deep_promotion_is_for_review_not_a_suspected_error(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    exact = _verdict(client, world, "59,700", "70")
    assert 'data-verdict="hold"' in exact and 'data-error-type="inflated_promotion"' in exact
    assert "검토 필요: 이 분류의 할인 한도보다 깊은 행사" in exact
    assert "의심되는 오류" not in exact and "평소보다 깊게 선언된 할인" not in exact
    english = _verdict(client, world, "59,700", "70", "en")
    assert ("Needs review: a promotion deeper than this category's limit" in english
            and "looks like" not in english)
    mismatch = _verdict(client, world, "19,900", "70")
    assert "의심되는 오류" in mismatch and "검토 필요: 이 분류의" not in mismatch
