"""Recording a difference as paid while a delivery worker escalates the same customer's failed
apology, on real commits (found by a review): the recording locked the case and then wrote the
receipt (the outbox row's key takes the incident), the worker locks the incident and then the
case — PostgreSQL found a deadlock and failed one of them. The recording now holds the incident
(shared) before the case, as every desk step does: both commit."""
# ruff: noqa: F811
from __future__ import annotations

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import outbox
from sagwa.services import desk_cases, desk_difference
from sagwa.services.desk_notify import notify
from sagwa.services.desk_undelivered import escalate_if_undeliverable

SEOUL = ZoneInfo("Asia/Seoul")
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]


@pytest.fixture
def session_factory(committed_database):  # real commits: concurrency
    return committed_database.session_factory


def test_recording_a_payment_and_escalating_an_undelivered_apology_both_commit(
        shop, monkeypatch) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, options=OPTIONS, discount_pct=20)
    notify(uow(), incident_id=iid, actor="op", policy=POLICY, links=LINKS)
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, people[1]))
        rows = u.conn.execute(select(outbox.c.id, outbox.c.channel).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "resolution")).all()
    # the email went out; the SMS is still pending (fails later)
    sms_id = next(int(r.id) for r in rows if r.channel == "sms")
    with uow() as u:
        for r in rows:
            if int(r.id) != sms_id:
                u.outbox.record_outcome(int(r.id), status="sent", last_error=None, sent_at=clock.now)
        u.commit()
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=case_id, choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    with uow() as u:  # the SMS fails for good now (the worker records it, then escalates)
        u.outbox.record_outcome(sms_id, status="failed", last_error="number does not exist")
        u.commit()

    locked = threading.Event()
    original = desk_difference.receipt_messages

    def slow_receipt(*a, **k):  # holding the case lock, about to enqueue the receipt
        out = original(*a, **k)
        locked.set()
        time.sleep(0.8)  # the delivery worker's escalation runs meanwhile
        return out

    monkeypatch.setattr(desk_difference, "receipt_messages", slow_receipt)
    out = {}

    def agent() -> None:
        try:
            out["paid"] = desk_difference.record_difference_paid(
                uow(), case_id=case_id, actor="agent:park", note="transfer 0613-42",
                policy=POLICY)
        except Exception as exc:  # noqa: BLE001
            out["paid"] = exc

    def worker() -> None:
        try:
            out["escalate"] = escalate_if_undeliverable(uow(), message_id=sms_id)
        except Exception as exc:  # noqa: BLE001
            out["escalate"] = exc

    a = threading.Thread(target=agent)
    a.start()
    assert locked.wait(10)
    w = threading.Thread(target=worker)
    w.start()
    a.join(30)
    w.join(30)
    errors = [v for v in out.values() if isinstance(v, Exception)]
    assert not errors, errors
    assert out["paid"].changed and out["paid"].receipt == "email"
