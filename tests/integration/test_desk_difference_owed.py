"""What the desk says of the discount's differences still owed, on real PostgreSQL: the
incident's status and the incident list give how many customers owe one and the total (a
closed incident's too); a refusal names the case by its number; and the reads stay few —
recording a payment reads the incident once for the receipt and the sellers' email, and the
agents' lookup reads the cases owing a difference in one query, however many there are."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime

import pytest
from test_desk import POLICY, publish_notice, shop  # noqa: F401
from test_desk_difference import OPTIONS, SEOUL, _answered
from test_listing_lookups_one_query import _reading

from sagwa.errors import Conflict
from sagwa.services import desk, desk_cases
from sagwa.services.case_lookup import find_cases
from sagwa.services.desk_difference import (
    differences_of,
    receipt_messages,
    record_difference_paid,
)
from sagwa.services.desk_status import incident_status, incident_summaries
from sagwa.testing.statements import statements


@pytest.fixture
def chosen(shop):
    """20% off: customers 1 and 3 (2 units each, 278,600 KRW to pay) take the discount,
    customer 2 keeps; the rest have not answered."""
    return _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2], 2: "keep"})


def _listed(uow, iid: int) -> dict:
    [listed] = [s for s in incident_summaries(uow(), limit=50, offset=0) if s["id"] == iid]
    return listed


def test_the_status_and_the_list_give_what_is_still_owed_after_closing(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    status = incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()
    keys = list(status)  # appended in this order (later keys may follow them)
    start = keys.index("notices_outdated")
    assert keys[start:start + 9] == [
        "notices_outdated", "differences_unpaid_total", "differences_to_follow_up",
        "cancelled_instead", "required_notice_at", "notice_languages_missing",
        "apologies_queued", "apologies_due_at", "next_message_at"]
    assert status["differences_unpaid"] == 2
    assert status["differences_unpaid_total"] == {"amount_minor": 557_200, "currency": "KRW"}
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    listed = _listed(uow, iid)
    assert listed["status"] == "closed"
    assert list(listed)[-2:] == ["differences_unpaid", "differences_unpaid_total"]  # appended
    assert (listed["differences_unpaid"], listed["differences_unpaid_total"]) == (
        2, {"amount_minor": 557_200, "currency": "KRW"})
    record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                           note="transfer 0620", policy=POLICY)
    status = incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()
    assert (status["differences_unpaid"], status["differences_unpaid_total"]) == (
        1, {"amount_minor": 278_600, "currency": "KRW"})
    listed = _listed(uow, iid)
    assert (listed["differences_unpaid"], listed["differences_unpaid_total"]["amount_minor"]) == (
        1, 278_600)


def test_an_incident_without_the_discount_owes_nothing(shop) -> None:
    uow, _clock, iid, _cases, _people = _answered(shop, 20, {2: "keep"})
    listed = _listed(uow, iid)
    assert (listed["differences_unpaid"], listed["differences_unpaid_total"]) == (
        0, {"amount_minor": 0, "currency": "KRW"})
    status = incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()
    assert status["differences_unpaid_total"] == {"amount_minor": 0, "currency": "KRW"}


def test_a_case_owing_no_difference_is_refused_with_its_number(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    with pytest.raises(Conflict) as refused:
        record_difference_paid(uow(), case_id=cases[people[2]], actor="agent:park",
                               note="receipt 1")
    assert refused.value.details == {"reason": "no_difference_owed",
                                     "case_id": cases[people[2]]}  # an int, as other ids


def test_the_receipt_reads_no_incident_when_it_is_given_one(chosen, session_factory) -> None:
    uow, _clock, iid, cases, people = chosen
    case_id = cases[people[1]]
    record_difference_paid(uow(), case_id=case_id, actor="agent:park", note="transfer 0614")
    with uow() as u:
        row = u.cases.get(case_id)
        incident = u.incidents.get(iid).incident
        owed = differences_of(u, [row])[case_id]
        with statements(session_factory.kw["bind"]) as seen:
            [receipt] = receipt_messages(u, row, owed, row.difference_paid, POLICY,
                                         incident=incident)
    assert receipt.case_id == case_id and "278,600" in receipt.body
    assert _reading(seen, "incidents") == []


def test_recording_the_payment_reads_the_incident_once_for_the_receipt_and_sellers(
        chosen, session_factory) -> None:
    uow, _clock, _iid, cases, people = chosen
    with statements(session_factory.kw["bind"]) as seen:
        done = record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                      note="transfer 0614", policy=POLICY)
    assert done.changed and done.receipt == "email"
    # the lock (FOR SHARE), the correct price for the figures, and one read for the rest
    assert len(_reading(seen, "incidents")) == 3, _reading(seen, "incidents")


def test_the_lookup_reads_the_cases_owing_a_difference_in_one_query(
        chosen, session_factory) -> None:
    """The same statements for two cases owing as for one: not one read per case."""
    uow, _clock, _iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]

    def looked_up() -> tuple[frozenset[int], int]:
        with statements(session_factory.kw["bind"]) as seen:
            result = find_cases(uow(), typed="고객")
        assert {f.case_id for f in result.found} >= {one, three}
        return result.owing, len(seen)

    both, reads_for_two = looked_up()
    assert both == {one, three}
    record_difference_paid(uow(), case_id=three, actor="agent:park", note="transfer 0614")
    only, reads_for_one = looked_up()
    assert only == {one}
    assert reads_for_two == reads_for_one

