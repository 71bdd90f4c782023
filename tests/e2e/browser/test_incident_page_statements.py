"""The operator's incident page reads the database a fixed number of times however many cases
its incident has, in one transaction: the incident and its plan once (the plan form's version
and the status from the same read), and where the notified cases' apologies stand counted by
the database (one aggregate row), not every notified case read to count them in Python. Before:
50 statements for the bench's incident (the incident read 4 times, its plan 3, every notified
case and its orders read on each view: 10,000 rows for a 10,000-case incident)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e

#: What the page runs for an incident with notified cases, with its session check, its refunds
#: and the access record written after it (50 before it read in one transaction, 2026-12-07).
MOST_STATEMENTS = 42


def notified_incident(session_factory: sessionmaker[Session], world: World,
                      customers: int) -> int:
    """A new listing at a tenth of its price, ordered once by each of ``customers`` new
    customers, declared, scoped, planned and notified through the services: the incident."""
    real_now = datetime.now(UTC).replace(microsecond=0)
    clock = ManualClock(real_now - timedelta(hours=2))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title=f"무선 이어폰 {customers}",
                                       category="electronics/mp3", actor="t",
                                       list_price=Money(99_000, "KRW")).id
    listing = listings.create_listing(uow(), seller_id=world.seller_a, product_id=product,
                                      price=Money(9_900, "KRW"), actor="t").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    for i in range(customers):
        clock.now += timedelta(seconds=30)
        person = catalog.register_customer(uow(), name=f"고객 {customers}-{i}", actor="t",
                                           email=f"c{customers}-{i}@example.com",
                                           phone=f"010-5{customers:03d}-{i:04d}")
        orders.place_order(uow(), customer_id=person.id, listing_id=listing, quantity=1,
                           actor="t", velocity=None)
    clock.now = real_now - timedelta(minutes=20)
    incident = int(desk.declare(
        uow(), listing_ids=[listing], wrong_price=Money(9_900, "KRW"),
        correct_price=Money(99_000, "KRW"), window_start=real_now - timedelta(hours=2),
        cause="이어폰 가격 입력 실수", responsible="seller", actor="admin:test")
        .incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    desk.plan(uow(), incident_id=incident, options=["keep", "cancel_with_compensation"],
              deadline=closing_time_after(real_now + timedelta(days=10)), default="keep",
              seller_share_pct=100, platform_share_pct=0, actor="admin:test", policy=POLICY,
              cancel_compensation=Money(5_000, "KRW"))
    notify(uow(), incident_id=incident, actor="admin:test", policy=POLICY,
           links=LinkMaker("secret", "http://127.0.0.1"))
    return incident


@contextmanager
def rows_read(conn: Connection) -> Iterator[Counter[str]]:
    """Rows each table's SELECTs returned inside the block, by the table named first after
    FROM."""
    seen: Counter[str] = Counter()

    def count(_conn, cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        found = re.search(r"\bFROM\s+(\w+)", statement)
        if statement.lstrip().startswith("SELECT") and found and cursor.rowcount > 0:
            seen[found.group(1)] += cursor.rowcount

    event.listen(conn, "after_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(conn, "after_cursor_execute", count)


def _tables(seen: list[str]) -> Counter[str]:
    """Statements by the table named first after FROM (or by their first word)."""
    return Counter(found.group(1) if (found := re.search(r"\bFROM\s+(\w+)", s)) else
                   s.split()[0] for s in seen)


def _page(client: TestClient, conn: Connection, incident: int
          ) -> tuple[list[str], Counter[str]]:
    client.get(f"/ops/incidents/{incident}")  # warmed up: sessions, templates
    with statements(conn) as seen, rows_read(conn) as rows:
        answer = client.get(f"/ops/incidents/{incident}")
    assert answer.status_code == 200, answer.text
    assert "사고" in answer.text
    # the test's own savepoints (one a unit of work) are not the page's SQL
    return [s for s in seen if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))], rows


def test_the_incident_page_reads_as_often_for_sixty_cases_as_for_three(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    conn = session_factory.kw["bind"]
    few, many = (notified_incident(session_factory, world, n) for n in (3, 60))
    log_in(client, "admin")
    three, rows_three = _page(client, conn, few)
    sixty, rows_sixty = _page(client, conn, many)
    assert len(sixty) == len(three), (_tables(three), _tables(sixty))
    assert len(sixty) <= MOST_STATEMENTS, _tables(sixty)
    # where the notified cases' apologies stand: counted by the database, not read a row each
    assert not [s for s in sixty if s.lstrip().startswith("SELECT cases.id, cases.incident_id")
                and "cases.status IN" in s], sixty
    # the case rows read grow by the incident's cases read once (for the exposure still
    # honoured, ``desk_status``) and the page's own rows, not once more for the notified ones
    assert rows_sixty["cases"] - rows_three["cases"] <= (60 - 3) + (50 - 3), (rows_three,
                                                                              rows_sixty)


def test_the_incident_page_reads_the_incident_and_its_plan_once(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """One read of the incident for the page (the case table's figures read it once more, in
    ``desk_money``) and of its plan; its waiting apologies counted, not listed."""
    conn = session_factory.kw["bind"]
    incident = notified_incident(session_factory, world, 5)
    log_in(client, "admin")
    seen, _ = _page(client, conn, incident)
    tables = _tables(seen)
    assert tables["incident_plans"] == 1, tables
    assert tables["incidents"] <= 2, tables
    # the incident's waiting apologies counted, not listed a case each (the page's own rows'
    # are read by their ids)
    listed = [s for s in seen if s.lstrip().startswith("SELECT outbox.case_id, min(")
              and "outbox.incident_id" in s]
    assert not listed, listed
