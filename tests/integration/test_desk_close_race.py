"""A late choice (the plan accepts late choices) recorded while the operator closes the
incident, on real commits (found by a review): the choice used to check "not closed" without
locking the incident, so a choice whose check ran before the close committed after it — an order
cancelled and compensation booked on a closed incident, whose figures and ledger are final. The
choice now holds the incident (shared) from before its check: the close waits for it."""
# ruff: noqa: F811  (the test takes test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from apologies_sent import apologies_sent
from test_desk import LINKS, POLICY, SEOUL, _planned, publish_notice, shop  # noqa: F401

from sagwa.domain.incidents import IncidentStatus
from sagwa.services import desk, desk_cases
from sagwa.services.desk_notify import notify


@pytest.fixture
def session_factory(committed_database):  # shop on real commits
    return committed_database.session_factory


def test_closing_waits_for_a_choice_being_recorded(shop, monkeypatch) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, accept_late_choices=True)
    notify(uow(), incident_id=iid, actor="op", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="op", policy=POLICY)
    with uow() as u:
        case_id = u.cases.case_for_customer(iid, people[0])

    checked, finished = threading.Event(), []
    original = desk_cases._require_not_closed

    def slow_check(u, incident_id):  # the customer's request, paused just after its check
        original(u, incident_id)
        checked.set()
        time.sleep(1.0)  # the operator's close starts meanwhile

    monkeypatch.setattr(desk_cases, "_require_not_closed", slow_check)
    out: dict[str, object] = {}

    def customer() -> None:
        try:
            out["choice"] = desk_cases.record_choice(
                uow(), case_id=case_id, choice="cancel_with_compensation", channel="web",
                evidence="pressed", taken_by="customer", policy=POLICY)
        except Exception as exc:  # noqa: BLE001
            out["choice"] = exc
        finished.append("choice")

    th = threading.Thread(target=customer)
    th.start()
    assert checked.wait(10)
    closed = desk.close(uow(), incident_id=iid, actor="op", reason="all answered or defaulted")
    finished.append("close")
    th.join(30)
    assert finished == ["choice", "close"], out  # the close waited for the choice
    assert out["choice"].changed and closed.incident.status is IncidentStatus.CLOSED
    with uow() as u:
        entry = u.cases.get(case_id).compensation_entry_id
        events = [r.event.action for r in u.audit.for_entity("incident", str(iid))]
        case_events = u.audit.for_entity("case", str(case_id))
    assert entry is not None and any(e.startswith("incident.clos") for e in events), events
    assert "case.choice_recorded" in [r.event.action for r in case_events]
