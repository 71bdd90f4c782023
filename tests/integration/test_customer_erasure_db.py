"""Erasing a customer's personal data, on real PostgreSQL: refused while a law keeps it (and
nothing changes), done once every period has ended — the name, contacts, the words staff typed
and the messages gone from every table — while the ledger, the incident's figures and the audit
chain stand."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text, update
from test_book_follow_up_words import _discount_taken
from test_desk import POLICY, _notified, publish_notice, shop  # noqa: F401

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import (
    access_records,
    audit_words,
    cases,
    customers,
    ledger_entries,
    ledger_postings,
    outbox,
)
from sagwa.domain.retention import ERASED_TEXT, Hold, Kept, erasable_from, holds
from sagwa.errors import Conflict, DatabaseUnavailable, NotFound
from sagwa.jobs.retention_tasks import RETENTION_CRON, erase_due_job
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.services import desk, desk_cases, orders
from sagwa.services.audit import verify_audit_log
from sagwa.services.customer_contact import change_customer_contact
from sagwa.services.customer_copy import COPY_ACTION, customer_copy
from sagwa.services.customer_erasure import (
    ERASED_ACTION,
    erase_customer,
    erase_due,
    retention_plan,
)
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_status import incident_status
from sagwa.services.points import credit_customer_points, debit_customer_points, points_balance
from sagwa.services.refunds import mark_refund_paid
from sagwa.testing.access_records import access_records_down
from sagwa.web.pages.contact_centre import case_context, queue_context
from sagwa.web.pages.incident_context import detail_context

SEOUL = ZoneInfo("Asia/Seoul")
#: What staff typed about customer 1: an account and a name, a health condition, a reference.
WORDS = ("국민은행 123456-01-234567 윤곤열", "지병으로 입원중이라 통화 어려움", "KB 이체 윤곤열 0616",
         "윤곤열 고객 요청")


def _closed(shop):  # type: ignore[no-untyped-def]
    """Customer 1 cancels by phone (their bank account in the agent's words), a call note
    names an illness, the refunds are paid, the rest keep the order by default, the incident
    closes on 2008-06-18."""
    uow, clock, iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY, note=WORDS[1])
    desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                             channel="phone", evidence=WORDS[0], taken_by="agent:park",
                             policy=POLICY)
    clock.now = datetime(2008, 6, 16, 11, 0, tzinfo=SEOUL)
    with uow() as u:
        owed = u.refunds.for_case(case_id)
    for r in owed:
        mark_refund_paid(uow(), refund_id=r.refund_id, reference=WORDS[2], actor="finance:choi")
    # the compensation spent the same day (unused points would keep the data: a hold)
    spent = points_balance(uow(), customer_id=people[1])
    assert spent > 0
    debit_customer_points(uow(), customer_id=people[1], points=spent, actor="t",
                          memo=f"{WORDS[3]}: 보상 포인트 사용")
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline")
    clock.now = datetime(2008, 6, 18, 9, 0, tzinfo=SEOUL)
    publish_notice(uow, iid)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done", policy=POLICY)
    return uow, clock, people[1], people


def _everything(uow, but: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    """Every row of every table but the audit log (and ``but``), as text."""
    with uow() as u:
        names = [n for n in u.conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
            if n not in ("audit_log", *but)]
        return "\n".join(str(row) for n in names
                         for row in u.conn.execute(text(f'SELECT * FROM "{n}"')))


def _audit_text(uow) -> str:  # type: ignore[no-untyped-def]
    with uow() as u:
        return "\n".join(str(r) for r in u.conn.execute(text(
            "SELECT before::text, after::text FROM audit_log")))


def _ledger(uow) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [tuple(r) for r in u.conn.execute(select(ledger_postings).order_by(
            ledger_postings.c.id))]


def test_refused_while_the_law_keeps_it_and_erased_once_every_period_has_ended(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    with uow() as u:
        records = u.personal_data.records([customer])[customer]
        name = u.conn.execute(select(customers.c.name).where(customers.c.id == customer)).scalar()
    # payments: refunds paid 2008-06-16 (Korea) -> kept 5 years, erasable from 2013-06-17
    assert erasable_from(records) == datetime(2013, 6, 17, tzinfo=SEOUL)
    assert records.open_cases == 0 and records.refunds_owed == 0
    before, ledger = _everything(uow), _ledger(uow)
    assert name in before and all(w in before for w in WORDS)

    clock.now = datetime(2013, 6, 16, 23, 59, tzinfo=SEOUL)
    with pytest.raises(Conflict) as kept:
        erase_customer(uow(), customer_id=customer, reason="request", actor="admin:kim")
    assert kept.value.details["reason"] == "retention_hold"
    assert "대금 결제에 관한 기록" in kept.value.message and "2013-06-17" in kept.value.message
    assert [k["kept"] for k in kept.value.details["kept"]] == ["payments"]
    # nothing erased, nothing half-written: only the request is recorded
    # (test_erasure_requests_db)
    assert _everything(uow, but=("erasure_requests",)) == before

    clock.now = datetime(2013, 6, 17, 0, 0, tzinfo=SEOUL)
    done = erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    after = _everything(uow)
    assert name not in after and not any(w in after for w in WORDS)
    assert done.counts["choice_evidence"] == 1 and done.counts["call_notes"] == 1
    assert done.counts["refund_references"] == 2 and done.counts["messages"] >= 2
    # the words beside the audit log: the choice's, the call note's, each refund's reference,
    # the points' memo
    assert done.counts["recorded_words"] == 5
    assert done.counts["ledger_memos"] == 1  # the points' memo, typed by a person
    with uow() as u:
        row = u.conn.execute(select(customers).where(customers.c.id == customer)).one()
        assert (row.name, row.email, row.phone, row.erased_reason) == ("", None, None, "retention")
        assert row.erased_at == clock.now
        [record] = [r for r in u.audit.iter_all() if r.event.action == ERASED_ACTION]
        assert record.event.entity_id == str(customer) and record.event.actor == "admin:kim"
        assert record.event.after["messages"] == done.counts["messages"]
    assert verify_audit_log(uow()).ok
    assert _ledger(uow) == ledger  # the money stands, to the row
    # the audit log keeps digests of the staff's words, not the words
    assert done.counts["audit_records_with_text"] == 0
    assert not any(w in _audit_text(uow) for w in WORDS)

    with pytest.raises(Conflict) as twice:
        erase_customer(uow(), customer_id=customer, reason="request", actor="admin:kim")
    assert twice.value.details["reason"] == "customer_erased"
    assert "register" not in twice.value.message  # erased already: nothing to do
    with pytest.raises(NotFound):
        erase_customer(uow(), customer_id=99_999, reason="request", actor="admin:kim")


def test_the_plan_and_the_daily_run_erase_only_those_due(shop) -> None:
    uow, clock, customer, people = _closed(shop)
    # the others kept their orders (placed 2008-06-12) and their cases closed 2008-06-18
    at = datetime(2013, 6, 13, 0, 0, tzinfo=SEOUL)
    plan = retention_plan(uow(), as_of=at)
    assert customer not in plan.due and set(plan.due) == set(people) - {customer}
    assert plan.kept_until[customer] == datetime(2013, 6, 17, tzinfo=SEOUL)
    clock.now = at
    done = erase_due(uow, actor="sagwa:retention")
    assert sorted(d.customer_id for d in done) == sorted(set(people) - {customer})
    assert retention_plan(uow(), as_of=at).due == []
    with uow() as u:
        left = u.conn.execute(select(func.count()).select_from(customers)
                              .where(customers.c.erased_at.is_(None))).scalar()
    assert left == 1


def test_an_erased_message_stays_blank_and_a_sent_one_changes_only_by_erasure(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    with uow() as u:
        sent = u.conn.execute(select(outbox.c.id).where(
            outbox.c.customer_id == customer, outbox.c.status == "sent")).scalars().first()
    with pytest.raises(Conflict, match="was sent"), uow() as u:
        u.conn.execute(update(outbox).where(outbox.c.id == sent).values(body="changed"))
    with pytest.raises(Conflict, match="erasing it blanks only"), uow() as u:
        u.conn.execute(update(outbox).where(outbox.c.id == sent).values(
            recipient="", subject="", body="", erased_at=clock.now, purpose="tampered"))
    clock.now = datetime(2014, 1, 1, tzinfo=SEOUL)
    erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    with pytest.raises(Conflict, match="was erased"), uow() as u:
        u.conn.execute(update(outbox).where(outbox.c.id == sent).values(body="restored"))
    with pytest.raises(Conflict, match="ck_customers_erased_blank"), uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer).values(
            phone="010-1234-0001"))


def test_no_order_lands_on_an_erased_customer(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    listing_id = shop[2]  # paused by the incident: the customer is refused first
    clock.now = datetime(2014, 1, 1, tzinfo=SEOUL)
    erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    with pytest.raises(Conflict) as refused:
        orders.place_order(uow(), customer_id=customer, listing_id=listing_id, quantity=1,
                           actor="t", velocity=None)
    assert refused.value.details["reason"] == "customer_erased"
    assert "2014-01-01" in refused.value.message
    # what to do instead, Korean first as the English (was English only)
    assert "새 고객으로 다시 등록" in refused.value.message


def test_the_customers_copy_holds_what_is_kept_about_them_and_records_why(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    why = "고객 전화 요청 2008-06-20 (윤곤열 본인 확인)"
    copy = customer_copy(uow(), customer_id=customer, actor="admin:kim", reason=why)
    assert copy["customer_id"] == customer and copy["customer"]["email"] == "c1@example.com"
    assert [o["unit_price"] for o in copy["orders"]] == [19_900, 19_900]
    with uow() as u:  # what was bought, from whom: as the customer knew it, not a listing id
        [(title, seller)] = u.conn.execute(text(
            "SELECT DISTINCT p.title, s.name FROM orders o JOIN listings l ON l.id = o.listing_id "
            "JOIN products p ON p.id = l.product_id JOIN sellers s ON s.id = l.seller_id "
            "WHERE o.customer_id = :c"), {"c": customer}).all()
    assert {(o["product"], o["seller"]) for o in copy["orders"]} == {(title, seller)}
    assert copy["erasure_requests"] == []  # none asked for
    [case] = copy["cases"]
    assert case["choice"] == "cancel_with_compensation" and case["choice_evidence"] == WORDS[0]
    assert [c["note"] for c in copy["contacts"]] == [WORDS[1]]
    assert [(w["action"], w["words"]) for w in copy["recorded_words"]] == [
        ("case.contact_attempted", WORDS[1]), ("case.choice_recorded", WORDS[0]),
        ("case.refund_paid", WORDS[2]), ("case.refund_paid", WORDS[2]),
        ("points.debited", f"{WORDS[3]}: 보상 포인트 사용")]
    assert any("c1@example.com" == m["recipient"] for m in copy["messages"])
    assert [r["amount"] for r in copy["refunds"]] == [19_900, 19_900]
    assert [p["kind"] for p in copy["points"]][-1] == "points_debit" or copy["points"]
    assert sum(p["amount_minor"] for p in copy["points"]) == 0  # spent
    assert "agent:park" not in str(copy)  # staff's names are theirs, not the customer's
    with uow() as u:
        [made] = [r for r in u.audit.iter_all() if r.event.action == COPY_ACTION]
    assert why not in str(made.event.after) and made.event.after["reason_chars"] == len(why)
    assert made.event.after["counts"]["refunds"] == 2
    clock.now = datetime(2014, 1, 1, tzinfo=SEOUL)
    erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    with uow() as u:
        after = u.personal_data.copy_for(customer)
    assert after["customer"][0]["name"] == "" and after["customer"][0]["erased_at"]
    assert not any(w in str(after) for w in WORDS)
    assert [r["amount_minor"] for r in after["refunds"]] == [19_900, 19_900]  # money stands
    with pytest.raises(Conflict) as refused:  # nothing left to copy, and no reason kept
        customer_copy(uow(), customer_id=customer, actor="admin:kim", reason="윤곤열 재요청")
    assert refused.value.details["reason"] == "customer_erased"
    # what is left, not "register the person again" (advice for recording something new)
    said = refused.value.message
    assert "개인정보는 파기되어 사본으로 드릴 수 없습니다" in said and "nothing of them to copy" in said
    assert "변경 이력(연락처는 일부를 가린 형태)" in said  # what the chained log still keeps
    assert "register" not in said


def run_retention_job(database, session_factory, clock, *, on: bool) -> int:  # type: ignore[no-untyped-def]
    """The worker's daily retention job, once, at ``clock``'s time (``on``: the setting)."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    runtime = DeliveryRuntime(db, {}, load_desk_policy(), threads=1, clock=clock,
                              erase_daily=on)
    context = SimpleNamespace(additional_context={"delivery": runtime})
    try:
        with ThreadPoolExecutor(1) as pool:  # its own event loop, off the test's thread
            return int(pool.submit(asyncio.run, erase_due_job.func(context, 0)).result())
    finally:
        runtime._executor.shutdown()


@pytest.mark.parametrize("on", [False, True])
def test_the_daily_job_erases_those_due_only_when_the_setting_is_on(
        shop, database, session_factory, on: bool) -> None:  # type: ignore[no-untyped-def]
    uow, clock, _customer, people = _closed(shop)
    clock.now = datetime(2013, 6, 13, 0, 0, tzinfo=SEOUL)
    erased = run_retention_job(database, session_factory, clock, on=on)
    assert erased == (len(people) - 1 if on else 0)
    with uow() as u:
        [record, *_] = [r for r in u.audit.iter_all() if r.event.action == ERASED_ACTION] or [None]
    assert (record is not None) == on
    if on:
        assert record.event.actor == "sagwa:retention"
    assert RETENTION_CRON == "0 18 * * *"  # 03:00 in Korea


def test_the_daily_job_records_each_erasure_with_it_and_erases_nobody_unrecorded(
        shop, database, session_factory) -> None:  # type: ignore[no-untyped-def]
    uow, clock, _customer, _people = _closed(shop)
    clock.now = datetime(2013, 6, 13, 0, 0, tzinfo=SEOUL)
    access_records_down(session_factory)
    with pytest.raises(DatabaseUnavailable) as failed:
        run_retention_job(database, session_factory, clock, on=True)
    assert failed.value.details["reason"] == "access_record_unwritten"
    # stopped at the first customer, none erased before it: said so, not "nothing was changed"
    assert failed.value.details["erased_ids"] == []
    assert f"stopped at customer {failed.value.details['stopped_at']}" in failed.value.message
    with uow() as u:
        assert not [r for r in u.audit.iter_all() if r.event.action == ERASED_ACTION]
        assert u.conn.execute(select(func.count()).select_from(customers)
                              .where(customers.c.erased_at.is_not(None))).scalar_one() == 0


def test_the_daily_job_writes_one_access_record_per_customer_it_erased(
        shop, database, session_factory) -> None:  # type: ignore[no-untyped-def]
    uow, clock, _customer, _people = _closed(shop)
    clock.now = datetime(2013, 6, 13, 0, 0, tzinfo=SEOUL)
    erased = run_retention_job(database, session_factory, clock, on=True)
    with uow() as u:
        rows = u.conn.execute(select(access_records.c.account, access_records.c.what,
                                     access_records.c.customer_ids)).all()
        gone = {int(c) for c in u.conn.scalars(select(customers.c.id).where(
            customers.c.erased_at.is_not(None)))}
    assert erased == len(gone) == len(rows) > 0
    assert sorted(c for r in rows for c in r.customer_ids) == sorted(gone)
    assert {(r.account, r.what) for r in rows} == {
        ("sagwa:retention", "retention job (SAGWA_RETENTION_ERASE_DAILY)")}


def test_a_contact_correction_keeps_its_note_beside_the_log_until_erased(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    why = "고객 본인 전화: 새 번호 010-9999-1111, 주소 서울 마포구"
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            phone="010-9999-1111", note=why)
    with uow() as u:
        [record] = [r for r in u.audit.iter_all() if r.event.action == "customer.contact_changed"]
        words = u.conn.execute(select(audit_words.c.words).where(
            audit_words.c.seq == record.seq)).scalar()
    assert why not in str(record.event.after) and words == why
    clock.now = datetime(2014, 1, 1, tzinfo=SEOUL)
    with uow() as u:  # the messages sent to them name their address masked, as the correction
        messages = u.conn.execute(text(
            "SELECT count(*) FROM audit_log a JOIN outbox o ON a.entity_id = o.id::text "
            "WHERE a.entity_type = 'message' AND o.customer_id = :c AND a.after->>'recipient' "
            "<> ''"), {"c": customer}).scalar_one()
    done = erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    assert why not in _everything(uow) and "010-9999-1111" not in _everything(uow)
    # the masked number stays in the chained log ("010-****-1111"), counted, not said "none"
    assert "010-****-1111" in _audit_text(uow)
    assert done.counts["audit_records_with_contact"] == 1 + messages
    with pytest.raises(Conflict) as refused:
        change_customer_contact(uow(), customer_id=customer, actor="agent:park",
                                policy=POLICY, phone="010-9999-1111")
    assert refused.value.details["reason"] == "customer_erased"


def test_after_erasure_the_incident_its_cases_and_the_queue_still_read(shop) -> None:
    """The choice's words become "(개인정보 파기됨)": a consent needs words, and every page
    that rebuilds one (the incident, the case, the agents' queue) failed on a blank."""
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2014, 1, 1, tzinfo=SEOUL)
    erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    with uow() as u:
        case_id = u.conn.execute(select(cases.c.id).where(cases.c.customer_id == customer)).scalar()
        row = u.cases.get(case_id)
    assert row.case.consent.evidence == ERASED_TEXT
    incident_id = int(row.case.incident_id)
    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    assert status is not None
    page = case_context(uow(), POLICY, int(row.case.case_id))
    assert page and queue_context(uow(), POLICY) is not None
    assert detail_context(uow, incident_id, POLICY)
    with pytest.raises(Conflict) as late:  # nothing more is written about them
        desk_cases.log_contact_attempt(uow(), case_id=int(row.case.case_id), channel="phone",
                                       outcome="reached", agent="agent:park", policy=POLICY,
                                       note="윤곤열 다시 전화")
    assert late.value.details["reason"] == "customer_erased"
    with pytest.raises(Conflict) as points:
        credit_customer_points(uow(), customer_id=customer, points=100, memo="추가", actor="t")
    assert points.value.details["reason"] == "customer_erased"


def test_open_matters_keep_the_data_with_no_end(shop) -> None:
    """Unused points keep the customer's data until they are used, whatever the years (as a
    refund or a difference still owed, or a follow-up not resolved, would)."""
    uow, clock, _customer, people = _closed(shop)
    other = people[2]  # kept the order by default: no points, nothing owed
    credit_customer_points(uow(), customer_id=other, points=500, memo="사과 포인트", actor="t")
    clock.now = datetime(2030, 1, 1, tzinfo=SEOUL)
    with pytest.raises(Conflict) as kept:
        erase_customer(uow(), customer_id=other, reason="retention", actor="admin:kim")
    assert [k["kept"] for k in kept.value.details["kept"]] == ["points_held"]
    assert "사용하지 않은 포인트" in kept.value.message
    assert other in retention_plan(uow()).kept_open
    debit_customer_points(uow(), customer_id=other, points=500, memo="사용", actor="t")
    # the points used today: a payment record, kept 5 years from now
    with pytest.raises(Conflict) as paid:
        erase_customer(uow(), customer_id=other, reason="retention", actor="admin:kim")
    assert [k["kept"] for k in paid.value.details["kept"]] == ["payments"]


def test_the_journal_lets_only_a_typed_memo_be_marked_erased(shop) -> None:
    uow, _clock, _customer, _ = _closed(shop)
    with uow() as u:
        typed = u.conn.execute(select(ledger_entries.c.id).where(
            ledger_entries.c.kind == "points_debit")).scalar()
        desk_made = u.conn.execute(select(ledger_entries.c.id).where(
            ledger_entries.c.kind == "incident_compensation")).scalar()
    for entry_id, values in ((typed, {"memo": "다른 메모"}),
                             (typed, {"memo": ERASED_TEXT, "kind": "points_credit"}),
                             (desk_made, {"memo": ERASED_TEXT})):
        with pytest.raises(Conflict, match="append-only"), uow() as u:
            u.conn.execute(update(ledger_entries).where(ledger_entries.c.id == entry_id)
                           .values(**values))
    with uow() as u:
        u.conn.execute(update(ledger_entries).where(ledger_entries.c.id == typed)
                       .values(memo=ERASED_TEXT))
        u.commit()


def test_a_difference_still_owed_keeps_the_data_until_it_is_paid(session_factory) -> None:
    uow, clock, _iid, (paying, _other) = _discount_taken(session_factory, "books", 15_000)
    with uow() as u:
        customer = int(u.cases.get(paying).case.customer_id)
    clock.now = datetime(2040, 1, 1, tzinfo=SEOUL)  # every law's period long over
    with pytest.raises(Conflict) as owed:
        erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim")
    assert "difference_owed" in [k["kept"] for k in owed.value.details["kept"]]
    assert "결제를 기다리는 차액" in owed.value.message
    record_difference_paid(uow(), case_id=paying, actor="agent:park", note="transfer 1204",
                           policy=POLICY)
    with uow() as u:
        held = u.personal_data.records([customer])[customer]
    # paid: no longer owed, a payment record now (5 years from today; the incident still open)
    assert held.differences_owed == 0
    assert Hold(Kept.PAYMENTS, datetime(2045, 1, 2, tzinfo=SEOUL)) in holds(held)
