"""What an order's customer paid and got back, on real PostgreSQL: the desk changes orders in
place (a discount reprices them, a cancellation cancels them), and the order the API shows
still says what was paid and refunded — a cancelled order never a price nobody paid."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime

from test_desk import LINKS, POLICY, SEOUL, _planned, shop  # noqa: F401
from test_desk_cancel_instead import _instead, chosen  # noqa: F401
from test_desk_money import _case_of, _three_units

from sagwa.domain.money import Money
from sagwa.services import desk_cases
from sagwa.services.desk_notify import notify
from sagwa.services.orders import orders_money
from sagwa.web.api.market import order_public

KRW = {"currency": "KRW"}


def _orders_of(uow, case_id: int) -> list:  # type: ignore[no-untyped-def]
    with uow() as u:
        found = [u.market.order(int(o.order_id)) for o in u.cases.get(case_id).case.orders]
        money = orders_money(u, found)
    return [order_public(o, money[o.id]).model_dump() for o in found]


def test_an_order_cancelled_instead_of_paying_shows_what_was_paid_and_refunded(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    case_id = cases[people[1]]  # 2 orders of a unit at 19,900, repriced to 159,200 each
    for before in _orders_of(uow, case_id):
        assert before["total"] == {"amount_minor": 159_200, **KRW}  # awaiting the difference
        assert before["paid"] == {"amount_minor": 19_900, **KRW}
        assert before["refunded"] == {"amount_minor": 0, **KRW}
    assert _instead(uow, case_id).refund == Money(39_800, "KRW")
    for after in _orders_of(uow, case_id):
        assert after["status"] == "cancelled"
        assert (after["quantity"], after["unit_price"]) == (1, {"amount_minor": 19_900, **KRW})
        assert after["total"] == after["paid"] == after["refunded"] == {
            "amount_minor": 19_900, **KRW}


def test_an_order_never_changed_was_paid_in_full_and_refunded_nothing(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    for kept in _orders_of(uow, cases[people[2]]):  # customer 2 kept at the price paid
        assert kept["status"] == "placed"
        assert kept["total"] == kept["paid"] == {"amount_minor": 19_900, **KRW}
        assert kept["refunded"] == {"amount_minor": 0, **KRW}


def test_an_order_reduced_to_the_cap_shows_the_units_refunded(shop) -> None:
    uow, clock, listing_id, _, _ = shop
    customer = _three_units(uow, clock, listing_id)  # 3 units at 19,900 in one order
    incident_id = _planned(uow, clock, listing_id, keep_max_units=2)
    notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    case_id = _case_of(uow, incident_id, customer)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    [order] = _orders_of(uow, case_id)
    assert (order["status"], order["quantity"]) == ("placed", 2)
    assert order["total"] == {"amount_minor": 39_800, **KRW}  # what is kept
    assert order["paid"] == {"amount_minor": 59_700, **KRW}
    assert order["refunded"] == {"amount_minor": 19_900, **KRW}
