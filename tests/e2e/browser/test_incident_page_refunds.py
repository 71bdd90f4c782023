"""The operator's incident page lists the incident's refunds (``services.refunds``): each
cancelled order's refund with its amount, the day it is due by (the 3rd Korean business day
after the cancellation) and whether it is paid, still owed or overdue — as finance's list
(``sagwa refunds list``) reads them now. An incident nobody cancelled on has no such section."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from refunds_in_three_states import refund_rows, refunds_paid_overdue_and_owed
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("lang", "words"), [
    ("ko", {"paid": "지급됨", "owed": "미지급", "overdue": "기한 지남"}),
    ("en", {"paid": "paid", "owed": "owed", "overdue": "overdue"}),
])  # fmt: skip
def test_the_incident_page_lists_its_refunds_paid_owed_and_overdue(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str, words: dict[str, str]) -> None:
    made = refunds_paid_overdue_and_owed(session_factory, page_settings.secret_key, world)
    incident, paid, late, later = made.incident_id, made.paid, made.overdue, made.owed
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{incident}?lang={lang}").text
    rows = refund_rows(html, "refunds")
    assert [(i, state) for i, state, _ in rows] == [
        (paid.refund_id, "paid"), (late.refund_id, "overdue"), (later.refund_id, "owed")]
    for (_, state, text), refund in zip(rows, (paid, late, later), strict=True):
        assert f"#{refund.order_id}" in text and words[state] in text
        assert f"{refund.amount.amount_minor:,}" in text
    assert "2020-01-06" in rows[1][2] and later.due_by.isoformat() in rows[2][2]
    heading = re.search(r'<section class="card" id="refunds">\s*<h2>(.*?)</h2>', html)
    assert heading and ("환불" if lang == "ko" else "Refunds") in heading.group(1)


def test_an_incident_without_refunds_has_no_refunds_section(client: TestClient,
                                                            world: World) -> None:
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{world.incident}").text
    assert 'id="case' in html and 'id="refunds"' not in html
