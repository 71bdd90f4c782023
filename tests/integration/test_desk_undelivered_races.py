"""The escalation of an undeliverable apology against the deadline job and other workers, on
real commits (found by a review): the step runs with the ``now`` its delivery started at (just
before the deadline) while the deadline job runs; it locks the incident first, as that job does,
so the two neither interleave (a case left escalated after the deadline, never defaulted) nor
deadlock; two workers failing a case's email and text at once escalate it once; and a step that
failed is made on the job's retry."""
# ruff: noqa: F811
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_desk_undelivered import Refusing, _apologies, _deliver, _status, told  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.domain.incidents import CaseStatus
from sagwa.errors import DatabaseUnavailable
from sagwa.services import delivery, desk_cases
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.desk_notify import notify
from sagwa.services.desk_undelivered import UNDELIVERED_ACTION, escalate_if_undeliverable
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL)


@pytest.fixture
def session_factory(committed_database):  # shop on real commits
    return committed_database.session_factory


def _setup(shop, *, escalated_other: bool):
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    lost = cases[people[1]]
    clock.now = datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.id, outbox.c.case_id, outbox.c.channel,
                                     outbox.c.not_before).where(
            outbox.c.purpose == "resolution")).all()
        for mid, cid, _channel, due in rows:
            if cid == lost:
                u.outbox.record_outcome(mid, status="failed", last_error="550 no such user")
            else:
                u.outbox.record_outcome(mid, status="sent", last_error=None, sent_at=due)
        u.commit()
    # the lost case's text by its channel (the first of its rows was the email or the text,
    # as PostgreSQL returned them)
    [sms] = [int(m) for m, c, channel, _ in rows if c == lost and channel == "sms"]
    if escalated_other:  # e.g. a customer who asked for a person: 'escalated'
        desk_cases.record_choice(uow(), case_id=cases[people[2]], choice="talk_to_person",
                                 channel="web", evidence="x", taken_by="customer",
                                 policy=POLICY)
    return uow, iid, lost, sms


def _race(session_factory, uow, iid, sms):
    locked, go = threading.Event(), threading.Event()

    def slow_clock():  # first read happens right after the case row lock is taken
        locked.set()
        go.wait(10)
        return DEADLINE - timedelta(seconds=20)  # the delivery's 'now'

    result: dict[str, object] = {}

    def hook():
        try:
            result["hook"] = escalate_if_undeliverable(
                SqlAlchemyUnitOfWork(session_factory, slow_clock), message_id=sms)
        except Exception as exc:  # noqa: BLE001
            result["hook"] = exc

    def deadline():
        try:
            result["deadline"] = desk_cases.apply_deadline(
                SqlAlchemyUnitOfWork(session_factory, lambda: DEADLINE + timedelta(minutes=1)),
                incident_id=iid, actor="system:scheduler", policy=POLICY)
        except Exception as exc:  # noqa: BLE001
            result["deadline"] = exc

    t1 = threading.Thread(target=hook)
    t1.start()
    assert locked.wait(10)
    t2 = threading.Thread(target=deadline)
    t2.start()
    time.sleep(1.0)  # apply_deadline is now waiting on the case row lock
    go.set()
    t1.join(20)
    t2.join(20)
    return result


def test_the_deadline_job_waits_for_the_step_and_then_defaults_the_case(shop, session_factory):
    uow, iid, lost, sms = _setup(shop, escalated_other=False)
    result = _race(session_factory, uow, iid, sms)
    with uow() as u:
        status = u.cases.get(lost).case.status.value
        actions = [r.event.action for r in u.audit.for_entity("case", str(lost))]
    assert status == "defaulted", (status, actions, result)
    assert result["deadline"] == 6 and "case.never_told" in actions


def test_the_step_and_the_deadline_job_do_not_deadlock(shop, session_factory):
    uow, iid, _lost, sms = _setup(shop, escalated_other=True)
    result = _race(session_factory, uow, iid, sms)
    assert not isinstance(result["hook"], Exception), result
    assert not isinstance(result["deadline"], Exception), result


def test_two_workers_failing_email_and_sms_at_once_escalate_the_case_once(shop, session_factory):
    uow, clock, listing_id, _people, _ = shop
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    now = datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    refused = {f"c{n}@example.com" for n in range(6)} | {f"010-1234-000{n}" for n in range(6)}
    sender = Refusing(refused)
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.id, outbox.c.case_id, outbox.c.channel).where(
            outbox.c.purpose == "resolution")).all()
    by_case: dict[int, list[int]] = {}
    for mid, cid, _ch in rows:
        by_case.setdefault(int(cid), []).append(int(mid))
    for cid, ids in by_case.items():
        barrier = threading.Barrier(len(ids))

        def run(mid: int, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            deliver_message(session_factory, {"email": sender, "sms": sender}, mid, now,
                            contact_hours=POLICY.schedule)
        ts = [threading.Thread(target=run, args=(m,)) for m in ids]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    with uow() as u:
        for cid in by_case:
            acts = [r.event.action for r in u.audit.for_entity("case", str(cid))]
            assert u.cases.get(cid).case.status.value == "escalated", cid
            assert acts.count(UNDELIVERED_ACTION) == 1, acts


def test_a_step_that_failed_is_made_when_the_delivery_job_is_retried(told, monkeypatch) -> None:
    uow, clock, session_factory, _iid, cases, people = told
    lost = cases[people[1]]
    sender = Refusing({"c1@example.com", "010-1234-0001"})
    ids = _apologies(uow, lost)
    assert _deliver(session_factory, clock, sender, ids["email"]) is Outcome.FAILED
    real = delivery.escalate_if_undeliverable

    def boom(*a, **k):
        raise DatabaseUnavailable("database error: deadlock detected")

    monkeypatch.setattr(delivery, "escalate_if_undeliverable", boom)
    with pytest.raises(DatabaseUnavailable):  # the procrastinate job fails and is retried
        _deliver(session_factory, clock, sender, ids["sms"])
    monkeypatch.setattr(delivery, "escalate_if_undeliverable", real)
    assert _deliver(session_factory, clock, sender, ids["sms"]) is Outcome.ALREADY_DONE
    assert _status(uow, lost) is CaseStatus.ESCALATED  # not left to the escalation job
