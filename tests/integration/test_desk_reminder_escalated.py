"""Reminders after a manual escalation, on real PostgreSQL: escalating unanswered cases before
the reminder puts them on the call list and takes no reminder away — the written reminder still
goes to every customer who has not answered, but not to one who asked for a person or whom an
agent reached on the phone; at the deadline the escalated customers who never answered take
the default and are told so."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from test_desk import LINKS, POLICY, _notified, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.domain.incidents import CaseStatus
from sagwa.services import desk_cases
from sagwa.services.desk_notify import remind_unanswered

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)  # test_desk._planned's


def _told(uow, purpose: str) -> set[int]:
    with uow() as u:
        return {int(r.customer_id) for r in u.conn.execute(
            select(outbox.c.customer_id).where(outbox.c.purpose == purpose)).all()}


def test_an_escalation_before_the_reminder_still_leaves_the_written_reminder(shop) -> None:
    uow, clock, incident_id, cases, people, _ = _notified(shop)
    asked, chose, reached = people[1], people[2], people[3]
    desk_cases.record_choice(uow(), case_id=cases[asked], choice="talk_to_person",
                             channel="web", evidence="pressed", taken_by="customer",
                             policy=POLICY)
    desk_cases.record_choice(uow(), case_id=cases[chose], choice="keep", channel="web",
                             evidence="pressed keep", taken_by="customer", policy=POLICY)
    assert desk_cases.escalate_unanswered(uow(), incident_id=incident_id,
                                          actor="operator:lee") == 4
    desk_cases.log_call_attempt(uow(), case_id=cases[reached], channel="phone",
                                outcome="reached", agent="agent:park", policy=POLICY)
    clock.now = datetime(2008, 6, 16, 20, 0, tzinfo=SEOUL)
    queued = remind_unanswered(uow(), incident_id=incident_id, actor="system", policy=POLICY,
                               links=LINKS)
    reminded = set(people) - {asked, chose, reached}
    assert queued == 2 * len(reminded)  # email + sms each
    assert _told(uow, "reminder") == reminded
    with uow() as u:
        statuses = {int(r.case.customer_id): r.case.status for r in u.cases.for_incident(incident_id)}
    assert {statuses[p] for p in reminded} == {CaseStatus.ESCALATED}  # still on the call list
    # the deadline: every escalated customer without an answer takes the default and is told
    clock.now = DEADLINE + timedelta(minutes=1)
    desk_cases.apply_deadline(uow(), incident_id=incident_id, actor="sagwa:deadline",
                              policy=POLICY)
    with uow() as u:
        statuses = {int(r.case.customer_id): r.case.status for r in u.cases.for_incident(incident_id)}
    assert {statuses[p] for p in reminded | {reached, asked}} == {CaseStatus.DEFAULTED}
    assert _told(uow, "defaulted") == reminded | {reached}  # asked for a person: the call is owed
