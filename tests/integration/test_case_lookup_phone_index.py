"""The agents' phone lookup on real PostgreSQL: a number stored in any form is found by the
digits typed, and the lookup's own statement can use ``ix_customers_phone_digits`` (the index
is on the same expression the lookup compares; migration 0009)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select, text, update
from test_desk import _planned, shop  # noqa: F401  (shop is the fixture)

from sagwa.adapters.db.tables import customers, domestic_phone_digits
from sagwa.services.case_lookup import find_cases


def _store_phone(uow, customer_id: int, phone: str) -> None:
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer_id).values(phone=phone))
        u.commit()


def test_a_phone_stored_in_any_form_is_found_by_its_digits(shop) -> None:  # noqa: F811
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    _store_phone(uow, people[1], "+82 10-1234-0001")
    _store_phone(uow, people[2], "(010) 1234 0002")
    for typed, who in (("010-1234-0001", people[1]), ("+82 10 1234 0002", people[2]),
                       ("01012340003", people[3])):
        result = find_cases(uow(), typed=typed)
        assert [(f.incident_id, f.customer_name) for f in result.found] == [
            (iid, f"고객{people.index(who)}")]
    assert find_cases(uow(), typed="010-9999-9999").found == []
    # QA: 00 (the international prefix) and 82 found nothing; dashes of any kind part digits
    for typed in ("0082 10 1234 0001", "00 82 10-1234-0001", "010–1234–0001"):
        assert [f.customer_name for f in find_cases(uow(), typed=typed).found] == [
            f"고객{people.index(people[1])}"], typed


def test_the_phone_lookup_can_use_the_phone_digits_index(shop) -> None:  # noqa: F811
    """The lookup compares the index's own expression (the same SQL text, patterns as literals),
    and PostgreSQL serves that comparison from ``ix_customers_phone_digits``. (The plan of the
    whole lookup on a handful of rows depends on table statistics, so it is not what is asked.)"""
    uow, clock, listing_id, _, _ = shop
    _planned(uow, clock, listing_id)
    statements: list[tuple[str, Any]] = []
    with uow() as u:
        def grab(conn, cursor, statement, parameters, context, executemany) -> None:
            statements.append((statement, parameters))

        event.listen(u.conn, "before_cursor_execute", grab)
        try:
            assert u.reads.cases_by_phone("01012340001", limit=21)
        finally:
            event.remove(u.conn, "before_cursor_execute", grab)
        [(statement, _parameters)] = statements
        expression = str(domestic_phone_digits(customers.c.phone).compile(
            dialect=u.conn.dialect, compile_kwargs={"literal_binds": True}))
        assert expression in statement, (expression, statement)
        u.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        probe = select(customers.c.id).where(domestic_phone_digits(customers.c.phone)
                                             == "01012340001")
        plan = "\n".join(u.conn.execute(text("EXPLAIN (COSTS OFF) " + str(probe.compile(
            dialect=u.conn.dialect, compile_kwargs={"literal_binds": True})))).scalars())
    assert "ix_customers_phone_digits" in plan, plan


def test_the_email_start_lookup_can_use_the_email_prefix_index(shop) -> None:  # noqa: F811
    """``/cs/cases?q=minsu.kim@`` compares ``lower(email)`` as a prefix (``LIKE 'x%'``), and
    PostgreSQL serves it from ``ix_customers_email_prefix`` (``text_pattern_ops``: any
    collation; migration 0017), with the lookup's own escaping of ``%`` and ``_``."""
    uow, clock, listing_id, people, _ = shop
    _planned(uow, clock, listing_id)
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == people[1])
                       .values(email="Minsu.Kim@Example.com"))
        found = u.reads.cases_by_email("minsu.kim@", limit=21)
        assert [f.customer_name for f in found] == ["고객1"]
        u.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        probe = select(customers.c.id).where(
            func.lower(customers.c.email).startswith("minsu_k", autoescape=True))
        plan = "\n".join(u.conn.execute(text("EXPLAIN (COSTS OFF) " + str(probe.compile(
            dialect=u.conn.dialect, compile_kwargs={"literal_binds": True})))).scalars())
    assert "ix_customers_email_prefix" in plan, plan
    assert "~>=~" in plan, plan  # the prefix bounds the index scan, not only a filter
