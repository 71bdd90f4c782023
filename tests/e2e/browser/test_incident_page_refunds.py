"""The operator's incident page lists the incident's refunds (``services.refunds``): each
cancelled order's refund with its amount, the day it is due by (the 3rd Korean business day
after the cancellation) and whether it is paid, still owed or overdue — as finance's list
(``sagwa refunds list``) reads them now. An incident nobody cancelled on has no such section."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_money import _two_seller_incident
from world import World

from sagwa.adapters.db.tables import refunds as refunds_table
from sagwa.config import Settings
from sagwa.services.refunds import mark_refund_paid
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _rows(html: str) -> list[tuple[int, str, str]]:
    """(refund id, data-state, the row's text) per row of the refunds section."""
    found = re.search(r'<section class="card" id="refunds">(.*?)</section>', html, re.DOTALL)
    assert found, "no refunds section"
    rows = re.findall(r'<tr data-refund-id="(\d+)" data-state="(\w+)">(.*?)</tr>',
                      found.group(1), re.DOTALL)
    return [(int(i), state, " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()))
            for i, state, text in rows]


@pytest.mark.parametrize(("lang", "words"), [
    ("ko", {"paid": "지급됨", "owed": "미지급", "overdue": "기한 지남"}),
    ("en", {"paid": "paid", "owed": "owed", "overdue": "overdue"}),
])  # fmt: skip
def test_the_incident_page_lists_its_refunds_paid_owed_and_overdue(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str, words: dict[str, str]) -> None:
    incident, cases = _two_seller_incident(session_factory, page_settings.secret_key, world)
    with SqlAlchemyUnitOfWork(session_factory) as u:
        owed = [r for case_id in cases.values() for r in u.refunds.for_case(case_id)]
    assert len(owed) == 3  # 김민준's two orders, Alex Kim's one
    paid, late, later = sorted(owed, key=lambda r: r.refund_id)
    mark_refund_paid(SqlAlchemyUnitOfWork(session_factory), refund_id=paid.refund_id,
                     reference="KB-1", actor="admin:kim")
    with session_factory() as s:  # as if due long ago
        s.execute(update(refunds_table).where(refunds_table.c.id == late.refund_id)
                  .values(due_by=date(2020, 1, 6)))
        s.commit()
    log_in(client, "admin")
    html = client.get(f"/ops/incidents/{incident}?lang={lang}").text
    rows = _rows(html)
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
