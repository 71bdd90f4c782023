"""The desk's order records are read by case through ``ix_audit_log_order_case`` (migration 0011).

Each read runs on a log of many incidents' order records; its statement is then explained with
the planner's own choice (sequential scans allowed) and with the values it was sent as bound
parameters, as a prepared statement's generic plan would see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

from sagwa.adapters.db.read_repo import ReadRepository
from sagwa.testing.statements import statements

CASES = 3000
RECORDS_PER_CASE = 4


@pytest.fixture(scope="module")
def engine(scratch) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    with engine.begin() as conn:
        # order records of many cases (the append-only log takes plain inserts); the chain's
        # hashes do not matter to a read by case
        conn.execute(text("""
            INSERT INTO audit_log (seq, occurred_at, actor, action, entity_type, entity_id,
                                   before, after, prev_hash, hash)
            SELECT g, now(), 'desk', 'order.cancel_and_refund', 'order', g::text,
                   jsonb_build_object('quantity', 1,
                                      'unit_price', jsonb_build_object('amount_minor', 1000)),
                   jsonb_build_object('case_id', (g % :cases + 1)::text, 'quantity', 1,
                                      'amount', jsonb_build_object('currency', 'KRW',
                                                                   'amount_minor', 1000)),
                   lpad(g::text, 64, '0'), lpad(g::text, 63, '0') || 'h'
              FROM generate_series(1, :n) g
        """), {"cases": CASES, "n": CASES * RECORDS_PER_CASE})
        conn.execute(text("ANALYZE audit_log"))
    yield engine
    engine.dispose()


def _plans(conn: Connection, read: Any) -> list[str]:
    """The plan of every statement ``read`` runs on ``conn``."""
    statements: list[tuple[str, Any]] = []

    def keep(conn_: Any, cursor: Any, statement: str, parameters: Any, context: Any,
             executemany: bool) -> None:
        if not statement.lstrip().upper().startswith("EXPLAIN"):
            statements.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", keep)
    try:
        read()
    finally:
        event.remove(conn, "before_cursor_execute", keep)
    plans = []
    for statement, parameters in statements:
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        plans.append("\n".join(r[0] for r in rows))
    return plans


def test_orders_as_placed_reads_by_the_case_index(engine: Engine) -> None:
    with engine.connect() as conn:
        reads = ReadRepository(conn)
        placed = reads.orders_as_placed([7, 8])
        assert set(placed) == {7, 8} and all(len(v) == RECORDS_PER_CASE for v in placed.values())
        plans = _plans(conn, lambda: reads.orders_as_placed([7, 8]))
    assert plans and all("ix_audit_log_order_case" in p for p in plans), plans


def test_the_audit_trail_reads_order_records_by_the_case_index(engine: Engine) -> None:
    with engine.connect() as conn:
        reads = ReadRepository(conn)
        trail = reads.incident_audit_trail(1, listing_ids=[], case_ids=[7],
                                           listings_since=conn.execute(text("SELECT now()")).scalar_one())
        assert len(trail) == RECORDS_PER_CASE
        plans = _plans(conn, lambda: reads.incident_audit_trail(
            1, listing_ids=[], case_ids=[7],
            listings_since=conn.execute(text("SELECT now()")).scalar_one()))
    assert any("ix_audit_log_order_case" in p for p in plans), plans


def test_the_audit_trail_sends_an_incidents_cases_as_one_parameter(engine: Engine) -> None:
    """Not 20,000 placeholders for an incident of 20,000 cases (twice: its cases' records and
    its orders'): writing and parsing them took 440 ms of the timeline's 460."""
    with engine.connect() as conn:
        reads = ReadRepository(conn)
        since = conn.execute(text("SELECT now()")).scalar_one()
        with statements(conn) as sent:
            trail = reads.incident_audit_trail(1, listing_ids=[], case_ids=list(range(1, CASES + 1)),
                                               listings_since=since)
    assert len(trail) == CASES * RECORDS_PER_CASE
    assert len(sent) == 1 and len(sent[0]) < 2000, len(sent[0])
