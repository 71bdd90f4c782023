"""The operators' incident list on real PostgreSQL says, per open incident, what its own page
and ``incident_status`` say: customers and how many answered, the answer deadline (passed or
not), the public notice against its SLA, the calls still owed, the differences unpaid and due a
follow-up now, and who cancelled instead of paying; a closed incident is only "closed". The
counts are read for all the listed incidents at once: the reads do not grow with the list."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from apologies_sent import apologies_sent
from test_desk import LINKS, POLICY, RIGHT, WRONG, _dismissed_draft, publish_notice, shop  # noqa: F401
from test_desk_difference import OPTIONS, SEOUL

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_notify import notify
from sagwa.services.desk_status import answered_count, incident_status
from sagwa.services.incident_attention import Attention, attention_of
from sagwa.testing.statements import statements
from sagwa.web.pages.incident_context import detail_context, list_context

MORNING = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)  # the choices
WEEK = timedelta(days=7)


def _listing_with_orders(uow, clock, seller_id: int, buyers: list[int]) -> tuple[int, datetime]:
    """Another product listed at the wrong price, one unit ordered by each of ``buyers``; and
    when it was listed (the wrong price's window starts then)."""
    listed_at = clock.now
    product = catalog.register_product(uow(), title=f"상품 {clock.now:%H%M%S}", title_en=None,
                                       category="electronics/mp3", list_price=RIGHT, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product.id,
                                      price=WRONG, actor="seller:haneul")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    for buyer in buyers:
        clock.now += timedelta(minutes=3)
        orders.place_order(uow(), customer_id=buyer, listing_id=listing.id, quantity=1,
                           actor="t", velocity=None)
    return listing.id, listed_at


def _declared(uow, listing: tuple[int, datetime], *, planned: bool) -> int:
    """Declared now and scoped; with ``planned``, a 20%-off plan (deadline 17 June 18:00)
    and its apologies queued."""
    listing_id, window_start = listing
    iid = int(desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG,
                           correct_price=RIGHT, window_start=window_start,
                           cause="90% event typed as the price", responsible="both",
                           actor="operator:lee").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="operator:lee")
    if planned:
        desk.plan(uow(), incident_id=iid, options=[*OPTIONS, "talk_to_person"],
                  deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
                  seller_share_pct=60, platform_share_pct=40, actor="operator:lee",
                  policy=POLICY, discount_pct=20, cancel_compensation=Money(10_000, "KRW"))
        notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    return iid


def _choose(uow, case_id: int, choice: str) -> None:
    desk_cases.record_choice(uow(), case_id=case_id, choice=choice, channel="web",
                             evidence=f"clicked {choice}", taken_by="customer", policy=POLICY)


def _cases(uow, iid: int) -> dict[int, int]:
    with uow() as u:
        return {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}


@pytest.fixture
def desk_of_four(shop):
    """Four incidents: ``one`` (the shop's listing; notice published in time; customers 1 and 3
    take the discount, 2 keeps, 4 asks for a person), ``two`` (another listing; no notice;
    customer 0 takes the discount, 1 keeps), ``three`` (scoped the next morning, no plan yet)
    and ``four`` (a dismissed draft: closed)."""
    uow, clock, listing_id, people, seller_id = shop
    second = _listing_with_orders(uow, clock, seller_id, people[:3])
    third = _listing_with_orders(uow, clock, seller_id, people[3:5])
    fourth, _ = _listing_with_orders(uow, clock, seller_id, [])
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    one = _declared(uow, (listing_id, datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)),
                    planned=True)
    two = _declared(uow, second, planned=True)
    clock.now += timedelta(minutes=10)
    publish_notice(uow, one)  # 10 minutes after declaring: in time
    apologies_sent(uow)
    clock.now = MORNING
    first, second_cases = _cases(uow, one), _cases(uow, two)
    for n, choice in ((1, OPTIONS[2]), (3, OPTIONS[2]), (2, "keep"), (4, "talk_to_person")):
        _choose(uow, first[people[n]], choice)
    _choose(uow, second_cases[people[0]], OPTIONS[2])
    _choose(uow, second_cases[people[1]], "keep")
    three = _declared(uow, third, planned=False)
    four = _dismissed_draft(uow, clock, fourth)
    return uow, clock, (one, two, three, four), first, people


def _listed(uow, ids: tuple[int, ...]) -> dict[int, Attention]:
    """The list page's figures (``list_context``), for each of ``ids`` it shows open."""
    context = list_context(uow(), POLICY)
    assert set(ids) <= {int(r.incident.incident_id) for r in context["incidents"]}
    return context["attention"]


def _agrees_with_its_own_page(uow, iid: int, shown: Attention) -> None:
    status = incident_status(uow(), incident_id=iid, policy=POLICY)
    assert shown.cases == sum(status.cases_by_status.values())
    assert shown.answered == answered_count(status.choices)
    assert shown.calls_owed == status.calls_owed
    assert shown.differences_unpaid == status.differences_unpaid
    assert shown.differences_to_follow_up == status.differences_to_follow_up
    assert shown.cancelled_instead == status.cancelled_instead
    assert shown.first_notice_at == status.first_notice_at
    assert shown.notice_due_at == status.notice_due_at
    assert shown.deadline == (datetime.fromisoformat(status.plan["deadline"])
                              if status.plan else None)
    page = detail_context(uow, iid, POLICY)
    assert shown.notice_late == page["clocks"]["notice_late"]
    assert page["total"] == shown.cases


def test_each_open_incident_shows_what_its_own_page_says(desk_of_four) -> None:
    uow, clock, (one, two, three, four), *_ = desk_of_four
    clock.now = MORNING + timedelta(minutes=30)
    listed = _listed(uow, (one, two, three, four))
    assert four not in listed  # closed: nothing more to say
    a, b, c = listed[one], listed[two], listed[three]
    assert (a.cases, a.answered, a.calls_owed, a.notice) == (6, 3, 1, "published")
    assert (a.differences_unpaid, a.differences_to_follow_up, a.past_deadline) == (2, 0, False)
    assert (b.cases, b.answered, b.notice, b.differences_unpaid) == (3, 2, "overdue", 1)
    assert (c.cases, c.answered, c.deadline, c.notice) == (2, 0, None, "due")
    for iid in (one, two, three):
        _agrees_with_its_own_page(uow, iid, listed[iid])


def test_a_week_on_the_deadline_has_passed_and_the_follow_ups_are_due(desk_of_four) -> None:
    uow, clock, (one, two, three, four), first, people = desk_of_four
    clock.now = MORNING + WEEK
    cancel_instead_of_paying(uow(), case_id=first[people[3]], channel="phone",
                             evidence="고객이 차액 대신 취소를 원함", taken_by="agent:park",
                             policy=POLICY)
    clock.now += timedelta(hours=1)
    listed = _listed(uow, (one, two, three, four))
    a, b, c = listed[one], listed[two], listed[three]
    assert (a.past_deadline, a.differences_unpaid, a.differences_to_follow_up,
            a.cancelled_instead) == (True, 1, 1, 1)
    assert (b.past_deadline, b.differences_unpaid, b.differences_to_follow_up) == (True, 1, 1)
    assert (c.past_deadline, c.notice, c.notice_late) == (False, "overdue", True)
    assert four not in listed
    for iid in (one, two, three):
        _agrees_with_its_own_page(uow, iid, listed[iid])


def test_a_closed_incident_still_shows_the_differences_unpaid(desk_of_four) -> None:
    """Money still owed outlives closing: a closed incident whose customer took the discount
    and has not paid shows that count (and the follow-up due) and nothing else."""
    uow, clock, (one, two, three, four), *_ = desk_of_four
    clock.now = MORNING + WEEK
    desk_cases.apply_deadline(uow(), incident_id=two, actor="sagwa:deadline")
    publish_notice(uow, two)
    desk.close(uow(), incident_id=two, actor="operator:lee", reason="all answered",
               policy=POLICY, links=LINKS)
    clock.now += timedelta(hours=1)
    listed = _listed(uow, (one, two, three, four))
    b = listed[two]
    assert b.closed and (b.differences_unpaid, b.differences_to_follow_up) == (1, 1)
    assert (b.cases, b.calls_owed, b.deadline) == (0, 0, None)  # nothing else is said
    assert four not in listed  # closed, nothing owed
    status = incident_status(uow(), incident_id=two, policy=POLICY)
    assert b.differences_unpaid == status.differences_unpaid
    assert b.differences_to_follow_up == status.differences_to_follow_up


def test_the_reads_do_not_grow_with_the_number_of_incidents(desk_of_four,
                                                            session_factory) -> None:
    uow, clock, ids, *_ = desk_of_four
    clock.now = MORNING + WEEK + timedelta(hours=1)  # differences owed and due in two of them

    def reads(incident_ids: tuple[int, ...]) -> int:
        with uow() as u:
            found = [u.incidents.get(i).incident for i in incident_ids]
            with statements(session_factory.kw["bind"]) as seen:
                shown = attention_of(u, found, POLICY)
        assert sum(a.differences_to_follow_up for a in shown.values()) >= 1
        return len(seen)

    assert reads(ids[:1]) == reads(ids[:2]) == reads(ids)


def test_the_whole_list_reads_alike_for_one_incident_or_four(desk_of_four,
                                                             session_factory) -> None:
    """The list page's reads, incidents and their listings included, do not grow per row (the
    incidents used to be read one at a time, with their listings)."""
    uow, clock, ids, *_ = desk_of_four
    clock.now = MORNING + WEEK + timedelta(hours=1)
    with statements(session_factory.kw["bind"]) as seen:
        context = list_context(uow(), POLICY)
    assert len(context["incidents"]) == len(ids) == 4
    with uow() as u:
        for row in context["incidents"]:  # the same incidents as read one at a time
            assert row == u.incidents.get(int(row.incident.incident_id))
    with statements(session_factory.kw["bind"]) as one, uow() as u:
        single = u.incidents.list(limit=1)
    assert len(single) == 1
    with statements(session_factory.kw["bind"]) as four, uow() as u:
        u.incidents.list(limit=4)
    assert len(one) == len(four)
    assert len(seen) < 20
