"""The seller's incident page shows the apology the platform sends their customers; it no longer
says they "got" it while it waits for contact hours. The world's incident is notifying with
every apology still queued (one customer answered first: hers was withdrawn), yet the section
was headed "고객에게 보낸 사과 안내" / "The apology your customers got"."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

pytestmark = pytest.mark.e2e


def _section(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(
        page.split('id="customer-apology"')[1].split("<blockquote")[0]))


def test_the_apology_section_does_not_say_it_was_sent_while_it_waits(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_b")
    korean = client.get(f"/seller/incidents/{world.incident}?lang=ko").text
    assert 'id="apologies-due"' in korean  # still queued
    said = _section(korean)
    assert "보낸 사과" not in said and "고객에게 보내는 사과 안내" in said
    assert "내 상품을 주문한 고객에게 보내는 사과 메일입니다" in said
    english = _section(client.get(f"/seller/incidents/{world.incident}?lang=en").text)
    assert "got" not in english and "sent" not in english
    assert "The apology to your customers" in english
