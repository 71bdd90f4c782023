"""Refunds as the staff pages show them, for the incident page's and finance's page tests: the
three refunds of ``_two_seller_incident`` (test_incident_page_money) put one in each state a
page marks — paid, overdue, still owed — and the rows of a page's refunds table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_money import _two_seller_incident
from world import World

from sagwa.adapters.db.tables import refunds as refunds_table
from sagwa.domain.refunds import Refund
from sagwa.services.refunds import mark_refund_paid
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class RefundsInThreeStates:
    incident_id: int
    paid: Refund
    overdue: Refund  # as it was read: its due date is moved back after
    owed: Refund


def refunds_paid_overdue_and_owed(session_factory: sessionmaker[Session], secret: str,
                                  world: World) -> RefundsInThreeStates:
    """``_two_seller_incident``'s three refunds in the order recorded: the first marked paid
    (reference KB-1), the second due since 6 January 2020 (overdue), the third left owed."""
    incident, cases = _two_seller_incident(session_factory, secret, world)
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
    return RefundsInThreeStates(incident, paid, late, later)


def refund_rows(html: str, section_id: str) -> list[tuple[int, str, str]]:
    """(refund id, data-state, the row's text) per row of the section ``section_id``."""
    found = re.search(rf'<section class="card" id="{section_id}">(.*?)</section>', html,
                      re.DOTALL)
    assert found, "no refunds section"
    rows = re.findall(r'<tr data-refund-id="(\d+)" data-state="(\w+)">(.*?)</tr>',
                      found.group(1), re.DOTALL)
    return [(int(i), state, " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()))
            for i, state, text in rows]
