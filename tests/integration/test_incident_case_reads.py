"""Reading every case of an incident reads their orders by the incident (one query, no list of
ids): a case scoped between the two statements (a re-scope committing meanwhile) is not one of
the cases read, and its orders are left out rather than failing the read (a review found a
KeyError there)."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select
from test_desk import _declared, shop  # noqa: F401

from sagwa.adapters.db.case_repo import CaseRepository
from sagwa.adapters.db.tables import case_orders, cases
from sagwa.services import desk


def test_a_case_scoped_between_the_two_reads_is_left_out_not_a_crash(
        shop, monkeypatch: pytest.MonkeyPatch) -> None:
    uow, clock, listing_id, _people, _ = shop
    iid = _declared(uow, clock, listing_id)
    desk.scope(uow(), incident_id=iid, actor="operator:lee")
    with uow() as u:  # take the last case away, to put it back between the two statements
        last = u.conn.execute(select(cases).where(cases.c.incident_id == iid)
                              .order_by(cases.c.id.desc()).limit(1)).one()
        links = u.conn.execute(select(case_orders).where(case_orders.c.case_id == last.id)).all()
        u.conn.execute(delete(case_orders).where(case_orders.c.case_id == last.id))
        u.conn.execute(delete(cases).where(cases.c.id == last.id))
        u.commit()
    with uow() as u:
        before = [int(r.case.case_id) for r in u.cases.for_incident(iid)]
    real = CaseRepository._orders_of

    def racing(self, case_ids, prices, *, whole_incident=None):  # type: ignore[no-untyped-def]
        self.conn.execute(insert(cases).values(**last._mapping))
        self.conn.execute(insert(case_orders), [dict(link._mapping) for link in links])
        return real(self, case_ids, prices, whole_incident=whole_incident)

    monkeypatch.setattr(CaseRepository, "_orders_of", racing)
    with uow() as u:
        rows = u.cases.for_incident(iid)
    assert [int(r.case.case_id) for r in rows] == before and last.id not in before
    assert all(r.case.orders for r in rows)  # every case read keeps its orders
