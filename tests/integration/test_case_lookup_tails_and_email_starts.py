"""The agents' lookup on real PostgreSQL by what a customer reads out: a phone number's last four
digits ("it ends in 6980") — with the case of that number first when four digits come alone —
and the start of an email, typed with its ``@`` or as a name; and the lookup by a number's end
can use ``ix_customers_phone_last4`` (migration 0014, on the expression the lookup compares)."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, select, text, update
from test_desk import _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import cases, customers, phone_last4
from sagwa.services import catalog
from sagwa.services.case_lookup import LookupBy, find_cases


def _set(uow, customer_id: int, **values: str) -> None:  # type: ignore[no-untyped-def]
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))
        u.commit()


def _cases_of(uow, iid: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """customer id -> their case in incident ``iid``."""
    with uow() as u:
        rows = u.conn.execute(select(cases.c.customer_id, cases.c.id)
                              .where(cases.c.incident_id == iid)).all()
    return {r.customer_id: r.id for r in rows}


def numbered_case(uow, iid: int, name: str) -> int:  # type: ignore[no-untyped-def]
    """A new customer ``name``'s case in incident ``iid`` with a four-digit number, higher than
    the shop's: a lookup in the usual order would list it after theirs."""
    customer = catalog.register_customer(uow(), name=name, email="numbered@example.org",
                                         actor="t")
    with uow() as u:
        taken = set(u.conn.execute(select(cases.c.id)).scalars())
        number = next(n for n in range(6980, 10_000) if n not in taken)
        u.conn.execute(insert(cases).values(
            id=number, incident_id=iid, customer_id=customer.id, status="notified",
            exposure_minor=179_100, currency="KRW", updated_at=u.now()))
        u.commit()
    return number


def test_a_phones_last_four_digits_find_the_customers_whose_number_ends_in_them(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    case_of = _cases_of(uow, iid)
    _set(uow, people[1], phone="+82 10-5555-6980")  # stored in any form
    _set(uow, people[2], phone="(010) 7777 6980")
    _set(uow, people[3], phone="010-6980-1234")  # 6980 in the middle: not its end
    for typed in ("*6980", "...6980", "-6980", "…6980"):
        result = find_cases(uow(), typed=typed)
        assert result.query.by is LookupBy.PHONE_TAIL
        # one incident, one deadline: by case number (case ids follow the customers' ids
        # sorted as text, so which of the two comes first depends on the ids the run gives)
        assert [f.case_id for f in result.found] == sorted([case_of[people[1]],
                                                            case_of[people[2]]])
    # four digits starting with 0 are no case number: only a number's end
    result = find_cases(uow(), typed="0004")
    assert result.query.by is LookupBy.PHONE_TAIL
    assert [f.case_id for f in result.found] == [case_of[people[4]]]  # 010-1234-0004
    assert find_cases(uow(), typed="*6981").found == []


def test_four_digits_alone_find_that_case_first_then_the_phones_ending_in_them(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    case_of = _cases_of(uow, iid)
    number = numbered_case(uow, iid, "번호고객")
    tail = str(number)
    _set(uow, people[2], phone=f"010-5555-{tail}")
    _set(uow, people[1], phone=f"010 7777 {tail}")
    result = find_cases(uow(), typed=tail)
    assert result.query.by is LookupBy.CASE_NUMBER_OR_PHONE_TAIL
    assert [f.case_id for f in result.found] == [number, *sorted([case_of[people[1]],
                                                                  case_of[people[2]]])]
    assert result.found[0].customer_name == "번호고객" and not result.more
    # marked as a number's end: the phones only; with # the case only
    assert [f.case_id for f in find_cases(uow(), typed=f"*{tail}").found] == [
        case_of[people[1]], case_of[people[2]]]
    assert [f.case_id for f in find_cases(uow(), typed=f"#{tail}").found] == [number]


def test_a_case_found_both_by_its_number_and_its_phone_is_listed_once(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    number = numbered_case(uow, iid, "번호고객")
    with uow() as u:
        owner = u.conn.execute(select(cases.c.customer_id).where(cases.c.id == number)).scalar()
    _set(uow, owner, phone=f"010-1111-{number}")
    _set(uow, people[3], phone=f"010-2222-{number}")
    result = find_cases(uow(), typed=str(number), limit=2)
    assert [f.case_id for f in result.found] == [number, _cases_of(uow, iid)[people[3]]]
    assert not result.more


def test_the_phone_end_hits_are_bounded_after_the_case_of_that_number(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    number = numbered_case(uow, iid, "번호고객")
    for n, person in enumerate(people):
        _set(uow, person, phone=f"010-{n}000-{number}")
    result = find_cases(uow(), typed=str(number), limit=3)
    assert result.found[0].case_id == number and len(result.found) == 3 and result.more


def test_an_email_is_found_by_its_start_the_exact_one_first(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    case_of = _cases_of(uow, iid)
    _set(uow, people[1], email="minsu.kim@example.com")
    _set(uow, people[2], email="Minsu.Kim@Example.co")  # a later customer: its case id is higher
    found = [f.case_id for f in find_cases(uow(), typed="minsu.kim@example.co").found]
    assert found == [case_of[people[2]], case_of[people[1]]]  # exact first, then by its start
    for typed in ("MINSU.KIM@", "minsu.kim@exa"):  # both by their start: by case id (case
        # ids follow customer ids sorted as text, so "100" may come before "99")
        assert [f.case_id for f in find_cases(uow(), typed=typed).found] == sorted(
            [case_of[people[1]], case_of[people[2]]])
    assert find_cases(uow(), typed="minsu.lee@").found == []
    assert find_cases(uow(), typed="c%@").found == []  # % is a plain character: no "c1@..."
    assert find_cases(uow(), typed="c_@").found == []
    assert [f.case_id for f in find_cases(uow(), typed="c3@").found] == [case_of[people[3]]]


def test_a_name_of_three_characters_finds_emails_starting_with_it_after_the_names(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    case_of = _cases_of(uow, iid)
    _set(uow, people[1], email="minsu.kim@example.com")
    _set(uow, people[2], email="minsu_lee@example.com")
    _set(uow, people[4], name="Minsu Park")  # a name match, with a higher case id
    result = find_cases(uow(), typed="minsu")
    assert result.query.by is LookupBy.NAME
    assert [f.case_id for f in result.found] == [  # the emails by case id (see above)
        case_of[people[4]], *sorted([case_of[people[1]], case_of[people[2]]])]
    assert [f.case_id for f in find_cases(uow(), typed="minsu.kim").found] == [case_of[people[1]]]
    assert [f.case_id for f in find_cases(uow(), typed="minsu_").found] == [case_of[people[2]]]
    assert find_cases(uow(), typed="minsu%").found == []
    # two characters: names only (too short a start to tell emails apart)
    _set(uow, people[3], email="mi.park@example.com")
    assert [f.case_id for f in find_cases(uow(), typed="mi").found] == [case_of[people[4]]]


def test_the_phone_end_lookup_can_use_the_last4_index(shop) -> None:
    """The lookup compares the index's own expression (the same SQL text, the 4 and the
    patterns as literals), and PostgreSQL serves that comparison from
    ``ix_customers_phone_last4``. (The plan of the whole lookup on a handful of rows depends on
    table statistics, so it is not what is asked.)"""
    uow, clock, listing_id, _, _ = shop
    _planned(uow, clock, listing_id)
    statements: list[tuple[str, Any]] = []
    with uow() as u:
        def grab(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
            statements.append((statement, parameters))

        event.listen(u.conn, "before_cursor_execute", grab)
        try:
            assert u.reads.cases_by_phone_tail("0001", limit=21)
        finally:
            event.remove(u.conn, "before_cursor_execute", grab)
        [(statement, _parameters)] = statements
        expression = str(phone_last4(customers.c.phone).compile(
            dialect=u.conn.dialect, compile_kwargs={"literal_binds": True}))
        assert expression.startswith("right(regexp_replace(") and expression.endswith(", 4)")
        assert expression in statement, (expression, statement)
        u.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        probe = select(customers.c.id).where(phone_last4(customers.c.phone) == "0001")
        plan = "\n".join(u.conn.execute(text("EXPLAIN (COSTS OFF) " + str(probe.compile(
            dialect=u.conn.dialect, compile_kwargs={"literal_binds": True})))).scalars())
    assert "ix_customers_phone_last4" in plan, plan


def test_a_korean_name_is_found_with_or_without_spaces_inside_it(shop) -> None:
    """QA: "윤 곤열" found nothing while 윤곤열 exists — Korean names are typed with a space
    between family and given name or without one, and stored either way. A Latin name's
    spaces still part its words: "alexkim" is no "Alex Kim"."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    case_of = _cases_of(uow, iid)
    _set(uow, people[1], name="윤곤열")
    _set(uow, people[2], name="윤 곤열")
    _set(uow, people[3], name="윤곤")  # a name the typed one's start is
    both = sorted([case_of[people[1]], case_of[people[2]]])
    for typed in ("윤 곤열", "윤곤열", "윤  곤 열", " 윤곤 열"):
        result = find_cases(uow(), typed=typed)
        assert [f.case_id for f in result.found] == both, typed
        assert result.query.by is LookupBy.NAME and result.query.ignores_spaces
    # a start, spaced or not: the exact name first, then the names starting with it
    assert [f.case_id for f in find_cases(uow(), typed="윤 곤").found] == [
        case_of[people[3]], *both]
    assert [f.case_id for f in find_cases(uow(), typed="곤열").found] == [case_of[people[2]]]
    assert find_cases(uow(), typed="alexkim").found == []
    assert [f.case_id for f in find_cases(uow(), typed="alex kim").found] == [
        case_of[people[0]]]  # the shop's "Alex Kim"
    assert find_cases(uow(), typed="윤%").found == []  # % is a plain character here too


def test_a_hash_and_a_number_beyond_any_case_number_finds_no_case(shop) -> None:
    """QA: "#" and 19 digits was looked up as a name. It is a case number that no case has —
    looked up without asking the database a number beyond its ids (which it would refuse)."""
    uow, clock, listing_id, _, _ = shop
    _planned(uow, clock, listing_id)
    for typed in ("#" + "9" * 19, "#9223372036854775808", "#" + "1" * 60):
        result = find_cases(uow(), typed=typed)
        assert result.query.by is LookupBy.CASE_NUMBER and result.found == [], typed
