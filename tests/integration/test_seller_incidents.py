"""The seller's view of an incident on real PostgreSQL (``services.seller_incidents``): the
discount is held until its difference is paid, the deadline's keep default sends (once a
reply that came by the deadline can no longer be recorded), a customer
who asked for a person is held for the call and, once the desk gave up calling, held for the
operator; only the seller's own listings, and 404 for another seller."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime

import pytest
from apologies_sent import apologies_sent
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_desk_never_told import _calls_fail, _past_deadline

from sagwa.domain.moments import SEOUL
from sagwa.errors import NotFound
from sagwa.services import catalog, desk_cases
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import notify
from sagwa.services.seller_incidents import seller_incident

OPTIONS = ["keep", "buy_at_correct_price_discount", "talk_to_person"]


def _view(uow, seller_id: int, iid: int) -> dict[int, str]:  # customer id -> instruction
    view = seller_incident(uow(), seller_id=seller_id, incident_id=iid, policy=POLICY)
    with uow() as u:
        who = {int(o.order_id): int(r.case.customer_id) for r in u.cases.for_incident(iid)
               for o in r.case.orders}
    out: dict[int, str] = {}
    for order in view.orders:
        out.setdefault(who[order.order_id], order.instruction.value)
    return out


def test_each_customers_orders_follow_their_case(shop) -> None:
    uow, clock, listing_id, people, seller_id = shop
    iid = _planned(uow, clock, listing_id, options=OPTIONS, discount_pct=20,
                   cancel_compensation=None)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        case_of = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    for n, choice in ((1, "buy_at_correct_price_discount"), (2, "talk_to_person"), (3, "keep")):
        desk_cases.record_choice(uow(), case_id=case_of[people[n]], choice=choice,
                                 channel="web", evidence="clicked", taken_by="customer",
                                 policy=POLICY)
    before = _view(uow, seller_id, iid)
    assert before == {people[0]: "hold_choice", people[1]: "hold_difference",
                      people[2]: "hold_call", people[3]: "send", people[4]: "hold_choice",
                      people[5]: "hold_choice"}
    record_difference_paid(uow(), case_id=case_of[people[1]], actor="agent:park",
                           note="transfer 42", policy=POLICY)
    _past_deadline(uow, clock, iid)
    after = _view(uow, seller_id, iid)
    assert after[people[1]] == "send"  # paid
    # the keep default: held while a reply that reached us by the deadline may still be
    # recorded (until the close of Wednesday, the next open day)
    assert after[people[0]] == "hold_choice"
    assert after[people[2]] == "hold_call"
    _calls_fail(uow, clock, [case_of[people[2]]])
    assert _view(uow, seller_id, iid)[people[2]] == "hold_unreachable"
    clock.now = datetime(2008, 6, 18, 18, 1, tzinfo=SEOUL)
    assert _view(uow, seller_id, iid)[people[0]] == "send"
    view = seller_incident(uow(), seller_id=seller_id, incident_id=iid, policy=POLICY)
    assert view.units_to_send == sum(1 + n % 2 for n in (0, 1, 3, 4, 5))
    assert view.counts == {"send": 8, "hold_unreachable": 1}  # orders, 1 or 2 a customer


def test_another_seller_gets_the_same_404_as_a_missing_incident(shop) -> None:
    uow, clock, listing_id, _people, _seller = shop
    iid = _planned(uow, clock, listing_id)
    other = catalog.register_seller(uow(), code="bada", name="바다전자", actor="t").id
    for incident_id in (iid, 999_999):
        with pytest.raises(NotFound):
            seller_incident(uow(), seller_id=other, incident_id=incident_id, policy=POLICY)
