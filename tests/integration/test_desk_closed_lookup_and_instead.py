"""After an incident closes, on real PostgreSQL: the agents' lookup still finds its cases —
after the open incidents' cases, those still owing a difference first — and a case whose
customer cancelled instead of paying the difference says which discount it replaced, read from
the audit log in one query for a whole table of cases (the operator's incident page, the case
API, the lookup), however many of them were cancelled instead."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from test_desk import POLICY, WRONG, publish_notice, shop  # noqa: F401
from test_desk_cancel_instead import _instead
from test_desk_difference import OPTIONS, SEOUL, _answered
from test_listing_lookups_one_query import _reading

from sagwa.domain.cancel_instead import ReplacedDiscount
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.case_lookup import find_cases
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.testing.statements import statements
from sagwa.web.api.incidents import cases_public
from sagwa.web.pages.incident_context import detail_context

DISCOUNT_CHOSEN = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)  # _answered's morning


@pytest.fixture
def closed(shop):
    """Customers 1, 3 and 5 (2 units each, 278,600 KRW to pay) took the discount, 2 kept;
    the deadline passed and the incident closed; then customer 1 cancelled instead of
    paying."""
    uow, clock, iid, cases, people = _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2],
                                                          5: OPTIONS[2], 2: "keep"})
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    clock.now += timedelta(days=2)
    _instead(uow, cases[people[1]])
    return uow, clock, iid, cases, people


def _open_incident(uow, clock, customer_id: int, seller_id: int) -> int:  # type: ignore[no-untyped-def]
    """Another listing at a wrong price, ordered by ``customer_id``: declared and scoped (open,
    no plan yet). Its case id."""
    product = catalog.register_product(uow(), title="소니 워크맨 NW-A800", title_en="Sony Walkman",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product.id,
                                      price=WRONG, actor="seller:haneul")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = clock.now
    clock.now += timedelta(minutes=5)
    orders.place_order(uow(), customer_id=customer_id, listing_id=listing.id, quantity=1,
                       actor="t", velocity=None)
    clock.now += timedelta(minutes=30)
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=WRONG,
                       correct_price=Money(199_000, "KRW"), window_start=start,
                       cause="a second typo", responsible="seller", actor="operator:lee")
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    with uow() as u:
        return int(u.cases.for_incident(incident_id)[0].case.case_id)


def test_a_closed_incidents_case_is_found_after_the_open_ones_and_says_it_was_cancelled_instead(
        closed, shop) -> None:
    uow, clock, _iid, cases, people = closed
    other = _open_incident(uow, clock, people[1], shop[4])
    result = find_cases(uow(), typed="010-1234-0001")
    assert [(f.case_id, f.closed) for f in result.found] == [(other, False),
                                                             (cases[people[1]], True)]
    assert result.instead == {cases[people[1]]: ReplacedDiscount(
        datetime(2008, 6, 19, 18, 2, tzinfo=SEOUL), "agent:park", OPTIONS[2],
        Money(278_600, "KRW"), Money(39_800, "KRW"), 10_000, DISCOUNT_CHOSEN)}
    assert result.owing == frozenset()  # cancelled: nothing owed any more


def test_of_a_closed_incident_the_cases_owing_a_difference_come_first(closed) -> None:
    uow, _clock, _iid, cases, people = closed
    result = find_cases(uow(), typed="고객")  # customers 1 to 5 (0 is Alex Kim)
    found = [f.case_id for f in result.found]
    owing = sorted(cases[people[n]] for n in (3, 5))
    rest = sorted(cases[people[n]] for n in (1, 2, 4))
    assert found == [*owing, *rest]  # 3 and 5 still owe; each part by case id
    assert all(f.closed for f in result.found) and not result.more
    assert result.owing == set(owing)
    assert set(result.instead) == {cases[people[1]]}
    # a case number finds a closed case that owes nothing and was never cancelled instead
    [kept] = find_cases(uow(), typed=f"#{cases[people[2]]}").found
    assert kept.closed and kept.choice == "keep"


def test_the_discounts_replaced_are_read_in_one_query_however_many(
        closed, session_factory) -> None:
    uow, _clock, _iid, cases, people = closed
    ids = sorted(cases.values())

    def read() -> tuple[dict[int, ReplacedDiscount], list[str]]:
        with uow() as u, statements(session_factory.kw["bind"]) as seen:
            return replaced_discounts(u, ids), seen

    one, seen_for_one = read()
    _instead(uow, cases[people[3]])
    both, seen_for_two = read()
    assert set(one) == {cases[people[1]]} and set(both) == {cases[people[1]], cases[people[3]]}
    assert len(seen_for_one) == len(seen_for_two) == 1
    assert both[cases[people[3]]].discount_chosen_at == DISCOUNT_CHOSEN
    with uow() as u:
        assert replaced_discounts(u, []) == {}
        assert replaced_discounts(u, [cases[people[2]]]) == {}  # kept: never cancelled instead


def test_the_incident_page_and_the_case_api_read_them_for_the_whole_table_at_once(
        closed, session_factory) -> None:
    """The same statements for the page and the API with two cases cancelled instead as
    with one (customer 5 owing in both): not one read per row; one of the audit log for the
    API's table."""
    uow, _clock, iid, cases, people = closed
    api_seen: list[str] = []

    def counted() -> tuple[dict[int, ReplacedDiscount], int, int, list[dict]]:
        with statements(session_factory.kw["bind"]) as page:
            shown = detail_context(uow, iid, POLICY)["instead"]
        with uow() as u, statements(session_factory.kw["bind"]) as api:
            public = cases_public(u, u.cases.for_incident(iid))
        api_seen[:] = api
        return shown, len(page), len(api), [c.model_dump(mode="json") for c in public]

    shown_one, page_one, api_one, _ = counted()
    _instead(uow, cases[people[3]])
    shown_two, page_two, api_two, public = counted()
    assert set(shown_one) == {cases[people[1]]}
    assert set(shown_two) == {cases[people[1]], cases[people[3]]}
    assert (page_one, api_one) == (page_two, api_two)
    # the audit entries themselves (the figures read the orders as placed from it too)
    entries = [q for q in _reading(api_seen, "audit_log") if q.startswith("SELECT audit_log.seq")]
    assert len(entries) == 1, entries
    by_id = {c["id"]: c for c in public}
    said = by_id[cases[people[3]]]["cancelled_instead"]
    assert said == {"at": said["at"], "replaced_choice": OPTIONS[2],
                    "replaced_choice_at": said["replaced_choice_at"],
                    "difference": {"amount_minor": 278_600, "currency": "KRW"}}
    assert datetime.fromisoformat(said["at"]) == datetime(2008, 6, 19, 18, 2, tzinfo=SEOUL)
    assert datetime.fromisoformat(said["replaced_choice_at"]) == DISCOUNT_CHOSEN
    assert by_id[cases[people[2]]]["cancelled_instead"] is None
    assert list(by_id[cases[people[2]]])[-2:] == ["cancelled_instead", "call_at"]  # appended


def test_a_closed_incident_says_what_refunds_it_still_owes(closed) -> None:
    """``sagwa incident close`` says the refunds finance still owes (a finance walk saw an
    incident closed with one overdue and no word of it): here customer 1's, cancelled
    instead after the close; overdue once its due day has passed, none once it is paid."""
    from sagwa.cli.incident_lifecycle import refunds_still_owed
    from sagwa.services.refunds import list_refunds, mark_refund_paid

    uow, clock, iid, _cases, _people = closed
    listed = list_refunds(uow(), incident_id=iid)
    assert listed.total >= 1
    owed, overdue, totals = refunds_still_owed(uow(), iid)
    assert (owed, overdue) == (listed.total, 0)
    assert totals == {"KRW": sum(r.refund.amount.amount_minor for r in listed.items)}
    clock.now += timedelta(days=10)
    assert refunds_still_owed(uow(), iid)[:2] == (listed.total, listed.total)
    for r in listed.items:
        mark_refund_paid(uow(), refund_id=r.refund.refund_id, reference="KB-1", actor="finance")
    assert refunds_still_owed(uow(), iid) == (0, 0, {})
