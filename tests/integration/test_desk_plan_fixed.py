"""A plan a customer has already chosen under cannot be revised (found by a review): a customer
who phoned in before the apologies went out chose to cancel for 10,000 points, which were
booked; a revision to 50,000 made their page show 50,000, and one dropping the option made their
page refuse to open. Now the revision is refused (409 ``plan_has_choices``), the plan and the
booked points stand, and the operator's page says why the plan is fixed."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime

import pytest
from test_desk import LINKS, POLICY, SEOUL, _planned, shop  # noqa: F401

from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services import desk, desk_cases
from sagwa.services.desk_notify import notify


def _revise(uow, iid: int, **terms):  # type: ignore[no-untyped-def]
    base = {"options": ["keep", "talk_to_person"],
            "deadline": datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), "default": "keep",
            "seller_share_pct": 60, "platform_share_pct": 40, "actor": "operator:kim",
            "policy": POLICY}
    return desk.plan(uow(), incident_id=iid, **{**base, **terms})


def test_a_plan_is_fixed_once_a_customer_chose_under_it(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    # revisable while nobody has chosen
    _revise(uow, iid, options=["keep", "cancel_with_compensation", "talk_to_person"],
            cancel_compensation=Money(12_000, "KRW"))
    with uow() as u:
        case_id = next(int(r.case.case_id) for r in u.cases.for_incident(iid)
                       if int(r.case.customer_id) == people[2])
    chosen = desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                      channel="phone", evidence="called before the apology",
                                      taken_by="agent:park", policy=POLICY)
    assert chosen.compensation_points == 12_000
    for terms in ({"options": ["keep", "cancel_with_compensation"],
                   "cancel_compensation": Money(50_000, "KRW")},
                  {"options": ["keep", "talk_to_person"]}):
        with pytest.raises(Conflict) as refused:
            _revise(uow, iid, **terms)
        assert refused.value.details["reason"] == "plan_has_choices"
        assert "1 customer has already answered" in str(refused.value)
    with uow() as u:
        plan = u.incidents.plan(iid, Money(199_000, "KRW"))
        actions = [r.event.action for r in u.audit.for_entity("incident", str(iid))]
    assert plan.cancel_compensation == Money(12_000, "KRW")
    assert actions.count("incident.planned") == 2  # the first plan and the revision before it


def test_only_the_deadline_may_move_later_so_an_incident_is_never_stuck(shop) -> None:
    """A second review found the incident stuck in ``planned``: notify refused a deadline too
    close ("revise the plan with a later deadline"), the revision was refused, and a planned
    incident cannot close. Moving only the deadline later, every term as it was, is allowed."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    with uow() as u:
        case_id = next(int(r.case.case_id) for r in u.cases.for_incident(iid)
                       if int(r.case.customer_id) == people[2])
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="phone",
                             evidence="called before the apology", taken_by="agent:park",
                             policy=POLICY)
    same = {"options": ["keep", "cancel_with_compensation", "talk_to_person"],
            "cancel_compensation": Money(10_000, "KRW")}
    with pytest.raises(Conflict) as earlier:
        _revise(uow, iid, deadline=datetime(2008, 6, 17, 14, 0, tzinfo=SEOUL), **same)
    assert earlier.value.details["reason"] == "deadline_only_later"  # the terms are the same
    assert earlier.value.details["field"] == "deadline"
    assert "can only move later than 2008-06-17 18:00" in str(earlier.value)
    with uow() as u:
        planned = [r for r in u.audit.for_entity("incident", str(iid))
                   if r.event.action == "incident.planned"]
    again = _revise(uow, iid, deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), **same)
    with uow() as u:  # the same plan again: nothing saved, nothing logged
        assert [r for r in u.audit.for_entity("incident", str(iid))
                if r.event.action == "incident.planned"] == planned
    assert again.deadline == datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)
    clock.now = datetime(2008, 6, 17, 10, 0, tzinfo=SEOUL)  # too close to notify for the 17th
    with pytest.raises(Conflict) as too_close:
        notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    assert "later deadline" in str(too_close.value)
    later = _revise(uow, iid, deadline=datetime(2008, 6, 20, 18, 0, tzinfo=SEOUL), **same)
    assert later.deadline == datetime(2008, 6, 20, 18, 0, tzinfo=SEOUL)
    assert later.cancel_compensation == Money(10_000, "KRW")
    with pytest.raises(Conflict):  # a later deadline does not carry other changes with it
        _revise(uow, iid, deadline=datetime(2008, 6, 23, 18, 0, tzinfo=SEOUL),
                options=["keep", "cancel_with_compensation", "talk_to_person"],
                cancel_compensation=Money(20_000, "KRW"))
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        assert u.incidents.get(iid).incident.status.value == "notifying"
