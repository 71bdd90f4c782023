"""Korean puts no space before a parenthesis, English does (the seller pages' ``sp``): the
paused listing's list of its incidents read "가격 오류 사고 #3 (고객 안내 중)" in Korean."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

pytestmark = pytest.mark.e2e


def _incidents(client: TestClient, url: str) -> str:
    page = html.unescape(client.get(url).text)
    return re.sub(r"<[^>]+>", "", page.split('id="listing-incidents"')[1].split("</ul>")[0])


def test_the_incident_status_follows_its_number_as_each_language_writes_it(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_b")
    url = f"/seller/listings/{world.macbook_b}"
    korean = _incidents(client, f"{url}?lang=ko")
    assert re.search(rf"가격 오류 사고 #{world.incident}\(\S", korean), korean
    english = _incidents(client, f"{url}?lang=en")
    assert re.search(rf"Pricing incident #{world.incident} \(\S", english), english
