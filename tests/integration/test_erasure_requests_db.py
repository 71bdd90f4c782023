"""A customer's erasure request refused while a law keeps the data, on real PostgreSQL: recorded
once (who took it, when, the holds), answered with the text staff send, shown to staff as kept
apart, and carried out by the daily job — even with the general sweep off — as soon as every
hold lifts, the request then closed."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_customer_erasure_db import _closed, run_retention_job
from test_desk import shop  # noqa: F401

from sagwa.adapters.db.tables import access_records, cases, customers, erasure_requests
from sagwa.errors import Conflict, InvalidInput
from sagwa.services.customer_copy import customer_copy
from sagwa.services.customer_erasure import (
    REQUEST_DATED_ACTION,
    REQUESTED_ACTION,
    erase_customer,
    erase_due,
    erasure_marks,
    retention_plan,
)
from sagwa.services.points import credit_customer_points, debit_customer_points

SEOUL = ZoneInfo("Asia/Seoul")
#: customer 1's refunds were paid 2008-06-16: kept 5 years, erasable from 2013-06-17
FREE_FROM = datetime(2013, 6, 17, tzinfo=SEOUL)


def _requests(uow):  # type: ignore[no-untyped-def]
    with uow() as u:
        return u.conn.execute(select(erasure_requests).order_by(erasure_requests.c.id)).all()


def _refused(uow, customer: int, **kw):  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as refused:
        erase_customer(uow(), customer_id=customer, actor=kw.pop("actor", "admin:kim"),
                       reason=kw.pop("reason", "request"), **kw)
    assert refused.value.details["reason"] == "retention_hold"
    return refused.value


def test_a_refused_request_is_recorded_once_with_who_took_it_and_the_holds(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, 10, 0, tzinfo=SEOUL)
    refused = _refused(uow, customer)
    assert "기록했습니다" in refused.message and "2013-06-17" in refused.message
    assert "recorded" in refused.message
    details = refused.details
    assert details["erase_from"] == "2013-06-17" and details["answer_by"] == "2009-03-12"
    assert details["open_matter"] is False
    assert "2013-06-16까지" in details["answer"]["ko"] and "118" in details["answer"]["ko"]
    assert "1833-6972" in details["answer"]["en"]
    [row] = _requests(uow)
    assert (row.customer_id, row.requested_by, row.requested_at, row.done_at) == (
        customer, "admin:kim", clock.now, None)
    assert row.erase_from == FREE_FROM
    kept = [h for h in row.holds if h["kept"] == "payments"]
    assert kept and datetime.fromisoformat(kept[0]["until"]) == FREE_FROM
    assert details["request_id"] == row.id and details["recorded_again"] is False
    with uow() as u:
        actions = [r.event.action for r in u.audit.iter_all()
                   if r.event.entity_id == str(customer)]
    assert actions.count(REQUESTED_ACTION) == 1

    clock.now = datetime(2010, 1, 5, tzinfo=SEOUL)  # asked again: the same request
    again = _refused(uow, customer, actor="agent:park")
    assert again.details["request_id"] == row.id and again.details["recorded_again"] is True
    [same] = _requests(uow)
    assert (same.requested_by, same.requested_at) == ("admin:kim", row.requested_at)
    # the letter printed again keeps the request's date and its ten days
    assert again.details["answer_by"] == "2009-03-12"
    assert "2009-03-02에 요청하신" in again.details["answer"]["ko"]


def test_the_customers_copy_holds_their_waiting_request(shop) -> None:
    """A copy (제35조) holds everything kept about them: their request too, not who took it."""
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    copy = customer_copy(uow(), customer_id=customer, actor="admin:kim", reason="본인 요청")
    [asked] = copy["erasure_requests"]
    assert asked["requested_at"] == "2009-03-02T00:00:00+09:00" and asked["done_at"] is None
    assert asked["erase_from"].startswith("2013-06-17") and "requested_by" not in asked
    assert "payments" in [h["kept"] for h in asked["holds"]]


def test_a_dry_run_or_an_erasure_for_retention_records_no_request(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    assert "request_id" not in _refused(uow, customer, dry_run=True).details
    assert "request_id" not in _refused(uow, customer, reason="retention").details
    assert _requests(uow) == []


def test_the_daily_job_carries_out_a_request_once_its_holds_lift_even_with_the_sweep_off(
        shop, database, session_factory, caplog) -> None:  # type: ignore[no-untyped-def]
    uow, clock, customer, people = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    plan = retention_plan(uow(), as_of=datetime(2013, 6, 16, tzinfo=SEOUL)).as_dict()
    assert plan["requests_pending"] == 1 and plan["requests_due_ids"] == []
    assert plan["requests"] == [{"customer_id": customer, "requested_at": "2009-03-02T00:00:00+09:00",
                                 "erase_from": "2013-06-17", "due": False,
                                 "answer_by": "2009-03-12"}]
    clock.now = datetime(2013, 6, 16, 3, 0, tzinfo=SEOUL)
    assert run_retention_job(database, session_factory, clock, on=False) == 0  # still kept by law
    clock.now = datetime(2013, 6, 17, 3, 0, tzinfo=SEOUL)
    assert retention_plan(uow()).as_dict()["requests_due_ids"] == [customer]
    caplog.set_level(logging.WARNING, "sagwa.jobs.retention")
    assert run_retention_job(database, session_factory, clock, on=False) == 1
    # the customer is to be told (시행령 제43조): the job logs the letter, once
    [told] = [r.getMessage() for r in caplog.records if r.name == "sagwa.jobs.retention"]
    assert f"customer {customer}'s erasure request was carried out: tell them by 2013-06-17" in told
    assert "2009-03-02에 요청하신 개인정보 삭제를 2013-06-17에 마쳤습니다" in told
    with uow() as u:
        erased = dict(u.conn.execute(select(customers.c.id, customers.c.erased_reason)).all())
    # the customer who asked, erased as asked; the others (due since 2013-06-13) wait for the
    # general sweep, which is off
    assert erased[customer] == "request"
    assert all(erased[p] is None for p in people if p != customer)
    [row] = _requests(uow)
    assert row.done_at == clock.now
    assert retention_plan(uow()).as_dict()["requests_pending"] == 0


def test_the_run_erases_a_request_due_as_asked_and_closes_it(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    clock.now = FREE_FROM
    done = {d.customer_id: d for d in erase_due(uow, actor="admin:kim",
                                                officer=("홍길동", "privacy@example.co.kr"))}
    assert done[customer].reason == "request"
    # the letter that tells them (retention run prints it), naming the officer; nobody else's
    assert "홍길동" in done[customer].answer["ko"]  # type: ignore[index]
    assert [c for c, d in done.items() if d.answer] == [customer]
    assert done[customer].as_dict()["request_id"] == _requests(uow)[0].id
    assert _requests(uow)[0].done_at == FREE_FROM


def test_a_request_carried_out_comes_with_the_letter_that_tells_the_customer(shop) -> None:
    """시행령 제43조: the result is told too. A request that waited for the law (its refusal
    answered then) is told today; one carried out as it came, within its ten days (a late
    one, overdue); an erasure nobody asked for, no letter."""
    uow, clock, customer, people = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    clock.now = FREE_FROM
    waited = erase_customer(uow(), customer_id=customer, reason="retention", actor="admin:kim",
                            officer=("홍길동", "privacy@example.co.kr"))
    assert waited.answer is not None
    assert (waited.answer_by, waited.answer_overdue) == (date(2013, 6, 17), False)
    ko, en = waited.answer["ko"], waited.answer["en"]
    assert "2009-03-02에 요청하신 개인정보 삭제를 2013-06-17에 마쳤습니다" in ko
    assert "성함, 이메일 주소, 전화번호" in ko and "홍길동" in ko
    assert "We deleted your personal data on 2013-06-17, as you asked on 2009-03-02" in en
    assert waited.as_dict()["answer_by"] == "2013-06-17"
    # where to send it, as it was before the erasure (for the command to show staff, once)
    assert waited.send_to is not None and waited.send_to["email"]
    with uow() as u:
        assert u.conn.execute(select(customers.c.email).where(
            customers.c.id == customer)).scalar() is None  # erased all the same

    late, unasked = [p for p in people if p != customer][:2]
    clock.now = datetime(2013, 6, 20, 11, 0, tzinfo=SEOUL)  # a letter of 06-05, opened late
    done = erase_customer(uow(), customer_id=late, reason="request", actor="admin:kim",
                          asked_on=date(2013, 6, 5))
    assert (done.answer_by, done.answer_overdue) == (date(2013, 6, 15), True)
    assert "2013-06-05에 요청하신" in done.answer["ko"]  # type: ignore[index]
    nobody = erase_customer(uow(), customer_id=unasked, reason="retention", actor="admin:kim")
    assert nobody.answer is None and nobody.as_dict()["answer"] is None
    assert nobody.send_to is None


def test_a_run_stopped_part_way_has_told_of_those_it_erased(shop) -> None:
    """Each erasure commits on its own and closes its request: its letter is handed over
    (``on_erased``) before the next customer is tried, so a run that stops later loses none."""
    uow, clock, customer, people = _closed(shop)
    other = next(p for p in people if p != customer)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    _refused(uow, other)
    clock.now = FREE_FROM
    told: list[int] = []

    def record(customer_id: int):  # type: ignore[no-untyped-def]
        if customer_id == other:
            raise RuntimeError("the second customer's record fails")

    with pytest.raises(RuntimeError):
        erase_due(uow, actor="admin:kim", due=[], requested=[customer, other], record=record,
                  on_erased=lambda d: told.append(d.customer_id) if d.answer else None)
    assert told == [customer]


def test_an_open_matter_keeps_the_request_undated_until_the_daily_check_dates_it(
        shop, database, session_factory) -> None:  # type: ignore[no-untyped-def]
    uow, clock, _customer, people = _closed(shop)
    other = people[2]
    credit_customer_points(uow(), customer_id=other, points=500, memo="사과 포인트", actor="t")
    clock.now = datetime(2030, 1, 1, tzinfo=SEOUL)
    refused = _refused(uow, other)
    assert "erase_from" not in refused.details and refused.details["open_matter"] is True
    assert "처리 중인 일이 끝나고" in refused.message
    assert "once the open matter is settled" in refused.message
    with uow() as u:
        [case_id] = u.conn.execute(select(cases.c.id).where(cases.c.customer_id == other)).all()
    marks = erasure_marks(uow())
    assert marks.by_customer[other] is None and marks.by_case[case_id[0]] is None
    debit_customer_points(uow(), customer_id=other, points=500, memo="사용", actor="t")
    assert run_retention_job(database, session_factory, clock, on=False) == 0  # a payment now: 5 years
    [row] = _requests(uow)
    assert row.erase_from == datetime(2035, 1, 2, tzinfo=SEOUL) and row.done_at is None
    assert erasure_marks(uow()).by_customer[other] == datetime(2035, 1, 2, tzinfo=SEOUL)


def test_the_database_keeps_one_pending_request_per_customer(shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, tzinfo=SEOUL)
    _refused(uow, customer)
    with pytest.raises(Conflict, match="ix_erasure_requests_pending"), uow() as u:
        u.conn.execute(erasure_requests.insert().values(
            customer_id=customer, requested_at=clock.now, requested_by="t", holds=[]))
        u.commit()


def test_a_request_received_days_before_it_is_entered_counts_its_ten_days_from_then(
        shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 20, 15, 0, tzinfo=SEOUL)
    refused = _refused(uow, customer, asked_on=date(2009, 3, 2))  # a letter, opened late
    details = refused.details
    assert datetime.fromisoformat(details["requested_at"]) == datetime(2009, 3, 2, tzinfo=SEOUL)
    assert details["answer_by"] == "2009-03-12" and details["answer_overdue"] is True
    assert "2009-03-12" in refused.message and "today" in refused.message
    assert "2009-03-02에 요청하신" in details["answer"]["ko"]
    [row] = _requests(uow)
    assert row.requested_at == datetime(2009, 3, 2, tzinfo=SEOUL)
    with uow() as u:
        [event] = [r.event for r in u.audit.iter_all() if r.event.action == REQUESTED_ACTION]
    assert event.after["asked_on"] == "2009-03-02"
    # asked again: the answer to the first asking was due then; not flagged again
    clock.now = datetime(2009, 4, 1, tzinfo=SEOUL)
    assert _refused(uow, customer).details["answer_overdue"] is False


def test_a_request_entered_the_day_it_came_is_not_overdue_and_an_earlier_day_moves_it(
        shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 20, 15, 0, tzinfo=SEOUL)
    first = _refused(uow, customer, asked_on=date(2009, 3, 20))  # today: the moment entered
    assert first.details["answer_overdue"] is False
    assert datetime.fromisoformat(first.details["requested_at"]) == clock.now
    # found later that the customer had written on the 15th: the earlier day stands
    again = _refused(uow, customer, asked_on=date(2009, 3, 15))
    assert again.details["answer_by"] == "2009-03-25"
    [row] = _requests(uow)
    assert row.requested_at == datetime(2009, 3, 15, tzinfo=SEOUL)
    # and a later day never moves it forward
    _refused(uow, customer, asked_on=date(2009, 3, 18))
    assert _requests(uow)[0].requested_at == datetime(2009, 3, 15, tzinfo=SEOUL)


@pytest.mark.parametrize(("asked_on", "reason", "why"), [
    (date(2009, 3, 21), "request", "asked_on_in_future"),
    (date(2009, 3, 2), "retention", "asked_on_needs_request")])
def test_an_asked_on_day_after_today_or_without_a_request_is_refused_recording_nothing(
        shop, asked_on: date, reason: str, why: str) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 20, 23, 30, tzinfo=SEOUL)
    with pytest.raises(InvalidInput) as refused:
        erase_customer(uow(), customer_id=customer, actor="admin:kim", reason=reason,
                       asked_on=asked_on)
    assert refused.value.details["reason"] == why
    assert refused.value.details["field"] == "asked_on"
    assert _requests(uow) == []


def test_a_request_found_to_be_older_is_dated_back_on_the_audit_and_answered_as_overdue(
        shop) -> None:
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 20, 15, 0, tzinfo=SEOUL)
    first = _refused(uow, customer)
    assert first.details["answer_overdue"] is False and first.details["answer_by"] == "2009-03-30"
    # the customer had written on 1 March: the ten days ended on the 11th
    moved = _refused(uow, customer, asked_on=date(2009, 3, 1))
    assert moved.details["recorded_again"] is True
    assert moved.details["answer_by"] == "2009-03-11" and moved.details["answer_overdue"] is True
    assert moved.details["requested_at"] == "2009-03-01T00:00:00+09:00"  # Korea time
    with uow() as u:
        [dated] = [r.event for r in u.audit.iter_all()
                   if r.event.action == REQUEST_DATED_ACTION]
    assert datetime.fromisoformat(dated.before["requested_at"]) == clock.now
    assert dated.after["asked_on"] == "2009-03-01"
    # the same day again moves nothing: no second audit record, not flagged again
    again = _refused(uow, customer, asked_on=date(2009, 3, 1))
    assert again.details["answer_overdue"] is False
    with uow() as u:
        assert [r.event.action for r in u.audit.iter_all()].count(REQUEST_DATED_ACTION) == 1


def test_the_daily_job_records_no_access_for_a_request_still_kept(
        shop, database, session_factory) -> None:  # type: ignore[no-untyped-def]
    uow, clock, customer, _ = _closed(shop)
    clock.now = datetime(2009, 3, 2, 10, 0, tzinfo=SEOUL)
    _refused(uow, customer)
    for day in (3, 4, 5):  # still kept by law: the request's holds brought up to date nightly
        clock.now = datetime(2009, 3, day, 3, 0, tzinfo=SEOUL)
        assert run_retention_job(database, session_factory, clock, on=False) == 0
    with uow() as u:
        assert u.conn.execute(select(access_records.c.id)).all() == []
