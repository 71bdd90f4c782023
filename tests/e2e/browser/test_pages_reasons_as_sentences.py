"""The guard's reasons are clauses in the API and the batch output ("new price … is within
range …"); the pages show them as sentences — a capital first, a full stop last — in the dry
run, the seller's history and the review queue. Korean reasons are left as they are."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

from sagwa.web.pages.rendering import as_sentence

pytestmark = pytest.mark.e2e


def _reasons(page: str) -> list[str]:
    return [" ".join(html.unescape(r).split())
            for r in re.findall(r'<p class="reason"[^>]*>(.*?)</p>', page, re.DOTALL)]


def test_english_reasons_on_the_pages_are_sentences(client: TestClient, world: World) -> None:
    log_in(client, "seller_a")
    token = csrf_of(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text)
    dry = client.post(f"/seller/listings/{world.ipod_a}/check?lang=en",
                      data={"new_price": "19900"},
                      headers={"HX-Request": "true", "X-CSRF-Token": token}).text
    found = _reasons(dry)
    assert found, dry[:500]
    for reason in found:
        assert reason.startswith("New price") and reason.endswith("."), reason


def test_as_sentence() -> None:
    assert as_sentence("new price $1.00 is a penny price") == "New price $1.00 is a penny price."
    assert as_sentence("Already one.") == "Already one."
    assert as_sentence("새 가격 19,900원은 정가보다 90% 낮습니다.") == "새 가격 19,900원은 정가보다 90% 낮습니다."
    assert as_sentence(None) == "" and as_sentence("") == "" and as_sentence("  ") == ""
    assert as_sentence("3 orders in 9 seconds; …") == "3 orders in 9 seconds; …"  # not "…."
