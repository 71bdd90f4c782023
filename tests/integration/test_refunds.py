"""Refunds owed, on real PostgreSQL: every refund the desk records (a cancellation with the
customer's consent, or a cancellation instead of paying the difference) is owed from the same
transaction, due 3 Korean business days later; it is listed as owed, then overdue past its due
date, until someone marks it paid — once, at a time that can be right, on the audit log and the
incident timeline. A refusal writes nothing."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from test_desk import POLICY, _notified, shop  # noqa: F401
from test_desk_cancel_instead import _instead, chosen  # noqa: F401

from sagwa.adapters.db.tables import refunds
from sagwa.domain.audit_text import TextVerdict
from sagwa.domain.consent import EffectKind, OrderEffect
from sagwa.domain.money import Money
from sagwa.domain.refunds import REFUND_ACTIONS, REFUND_PAID, PaymentLine, RefundFilter
from sagwa.errors import Conflict, InvalidInput, NotFound, SagwaError
from sagwa.services import catalog, desk_cases
from sagwa.services.desk_report import build_report
from sagwa.services.recorded_texts import text_matches
from sagwa.services.refunds import (
    list_refunds,
    listed_dict,
    mark_owed_paid_before,
    mark_refund_paid,
    mark_refunds_paid,
)

SEOUL = ZoneInfo("Asia/Seoul")
#: _notified's customers answer on Friday 2008-06-13 10:00 (Korea): three business days later
#: (Mon 16, Tue 17, Wed 18) the refund is due.
DUE = date(2008, 6, 18)


def _cancelled(shop):  # type: ignore[no-untyped-def]
    """Customer 1 (2 orders of 1 unit at 19,900) cancels with compensation on Friday morning."""
    uow, clock, iid, cases, people, _ = _notified(shop)
    case_id = cases[people[1]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                             channel="web", evidence="clicked: cancel", taken_by="customer",
                             policy=POLICY)
    return uow, clock, iid, case_id, people[1]


def _refund_records(uow, case_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [r.seq for r in u.audit.iter_all() if r.event.action in REFUND_ACTIONS
                and (r.event.after or {}).get("case_id") == case_id]


def test_a_cancellation_owes_each_refund_it_records_due_three_business_days_later(shop) -> None:
    uow, clock, _iid, case_id, customer = _cancelled(shop)
    with uow() as u:
        owed = u.refunds.for_case(case_id)
    assert [r.audit_seq for r in owed] == _refund_records(uow, case_id)
    assert len(owed) == 2 and len({r.order_id for r in owed}) == 2
    for r in owed:
        assert (r.customer_id, r.amount, r.cancelled_at, r.due_by) == (
            customer, Money(19_900, "KRW"), clock.now, DUE)
        assert (r.status.value, r.paid_at, r.paid_reference, r.paid_by) == (
            "owed", None, None, None)


def test_a_policy_promising_two_business_days_makes_the_refund_due_in_two(shop) -> None:
    """Customers told "2영업일" are owed it then: finance's due date is the one they were told
    (Friday's cancellation: Mon 16, Tue 17)."""
    uow, _clock, _iid, cases, people, _ = _notified(shop)
    quicker = replace(POLICY, contact=replace(
        POLICY.contact,
        refund_timing_ko="취소하신 날부터 2영업일 안에 결제하신 수단으로 환불해 드립니다.",
        refund_timing_en="We refund you the way you paid within 2 business days of your "
                         "cancellation."))
    case_id = cases[people[1]]
    desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                             channel="web", evidence="clicked: cancel", taken_by="customer",
                             policy=quicker)
    with uow() as u:
        assert {r.due_by for r in u.refunds.for_case(case_id)} == {date(2008, 6, 17)}


def test_the_refund_is_written_in_the_transaction_of_the_cancellation(shop) -> None:
    uow, clock, iid, cases, people, _ = _notified(shop)
    case_id = cases[people[2]]
    with uow() as u:
        [row] = [r for r in u.cases.for_incident(iid) if r.case.case_id == case_id]
        order = row.case.orders[0]
        effect = OrderEffect(order.order_id, EffectKind.CANCEL_AND_REFUND, 1,
                             Money(19_900, "KRW"))
        desk_cases.apply_effect(u, row.case, effect, "customer", clock.now)
        [inside] = u.refunds.for_case(case_id)  # written with the order's change and its record
        assert inside.order_id == order.order_id
        # left without commit: the cancellation is rolled back, and its refund with it
    with uow() as u:
        assert u.refunds.for_case(case_id) == []
        assert u.market.order(int(order.order_id)).status.value == "placed"


def test_cancelling_instead_of_paying_owes_the_refund_of_what_was_paid(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    case_id = cases[people[1]]
    clock.now = datetime(2008, 9, 12, 16, 0, tzinfo=SEOUL)  # Friday before 추석 (Sep 13-15)
    done = _instead(uow, case_id)
    with uow() as u:
        owed = u.refunds.for_case(case_id)
    assert sum((r.amount for r in owed), Money(0, "KRW")) == done.refund
    # Sat 13, Sun 14, 추석 Mon 15 and not Tue 16 (Chuseok 2008 was Sep 13-15): Tue, Wed, Thu
    assert {r.due_by for r in owed} == {date(2008, 9, 18)}


def test_owed_refunds_are_listed_then_overdue_past_their_due_date(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    clock.now = datetime(2008, 6, 18, 23, 59, tzinfo=SEOUL)  # the last day still in time
    owed = list_refunds(uow(), which=RefundFilter.OWED)
    assert owed.total == 2 and [i.refund.case_id for i in owed.items] == [case_id] * 2
    assert list_refunds(uow(), which=RefundFilter.OVERDUE).items == []
    clock.now = datetime(2008, 6, 19, 0, 0, tzinfo=SEOUL)
    overdue = list_refunds(uow(), which=RefundFilter.OVERDUE)
    assert overdue.total == 2 and all(i.refund.overdue(clock.now) for i in overdue.items)
    first = overdue.items[0].refund.refund_id
    mark_refund_paid(uow(), refund_id=first, reference="KB 2008-0619-001", actor="admin:kim")
    assert [i.refund.refund_id for i in list_refunds(uow(), which=RefundFilter.PAID).items] == [
        first]
    assert list_refunds(uow(), which=RefundFilter.OVERDUE).total == 1
    assert list_refunds(uow(), which=RefundFilter.ALL).total == 2
    page = list_refunds(uow(), which=RefundFilter.ALL, limit=1)
    # the totals are of every refund listed, not of the page
    whole = sum(i.refund.amount.amount_minor for i in list_refunds(uow(), which=RefundFilter.ALL).items)
    assert page.amount_totals == {"KRW": whole} and len(page.items) == 1
    paid = list_refunds(uow(), which=RefundFilter.PAID)
    assert paid.amount_totals == {"KRW": paid.items[0].refund.amount.amount_minor}
    rest = list_refunds(uow(), which=RefundFilter.ALL, limit=1, after=page.next_after or 0)
    assert (len(page.items), rest.next_after) == (1, None)
    assert page.items[0].refund.refund_id != rest.items[0].refund.refund_id


def test_marking_paid_records_who_when_and_the_reference_on_the_audit_log(shop) -> None:
    uow, clock, iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        refund = u.refunds.for_case(case_id)[0]
    clock.now += timedelta(days=3)
    paid_at = datetime(2008, 6, 16, 9, 30, tzinfo=SEOUL)
    paid = mark_refund_paid(uow(), refund_id=refund.refund_id, reference=" 이체 KB-123 ",
                            paid_at=paid_at, actor="admin:kim", idempotency_key="k-1")
    assert (paid.paid_at, paid.paid_reference, paid.paid_by) == (paid_at, "이체 KB-123",
                                                                 "admin:kim")
    with uow() as u:
        stored = u.refunds.get(refund.refund_id)
        [record] = [r for r in u.audit.for_entity("case", str(case_id))
                    if r.event.action == REFUND_PAID]
    assert stored == paid
    assert record.event.actor == "admin:kim"
    assert record.event.after["refund_id"] == refund.refund_id
    # the reference on the refund; on the audit log a keyed digest of it (``recorded_texts``)
    assert "KB-123" not in str(record.event.after)
    with uow() as u:
        assert text_matches(u, stored.paid_reference, record.event.after,
                            "reference") is TextVerdict.MATCHES
    timeline = [e.action for e in build_report(uow(), incident_id=iid, policy=POLICY).timeline]
    assert REFUND_PAID in timeline
    # the same request again with its key answers the refund, writing nothing more
    again = mark_refund_paid(uow(), refund_id=refund.refund_id, reference="이체 KB-123",
                             paid_at=paid_at, actor="admin:kim", idempotency_key="k-1")
    assert again == paid
    with uow() as u:
        assert len([r for r in u.audit.for_entity("case", str(case_id))
                    if r.event.action == REFUND_PAID]) == 1


def _refused(uow, **kw) -> SagwaError:  # type: ignore[no-untyped-def]
    with pytest.raises(SagwaError) as caught:
        mark_refund_paid(uow(), **{"reference": "KB-1", "actor": "admin:lee"} | kw)
    return caught.value


def test_marking_paid_is_refused_with_its_reason_and_nothing_is_written(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
    cancelled = clock.now
    clock.now += timedelta(days=1)
    unknown = _refused(uow, refund_id=second + 1000)
    assert isinstance(unknown, NotFound) and unknown.details["reason"] == "refund_not_found"
    future = _refused(uow, refund_id=first, paid_at=clock.now + timedelta(minutes=1))
    assert isinstance(future, InvalidInput)
    assert future.details["reason"] == "refund_paid_at_future"
    early = _refused(uow, refund_id=first, paid_at=cancelled - timedelta(minutes=1))
    assert early.details["reason"] == "refund_paid_before_cancellation"
    blank = _refused(uow, refund_id=first, reference="  ")
    assert blank.details["reason"] == "refund_reference_required"
    with uow() as u:
        assert [r.paid_at for r in u.refunds.for_case(case_id)] == [None, None]
    mark_refund_paid(uow(), refund_id=first, reference="KB-1", actor="admin:kim")
    twice = _refused(uow, refund_id=first, reference="KB-2")
    assert isinstance(twice, Conflict) and twice.details["reason"] == "refund_already_paid"
    assert "admin:kim" in twice.message and "2008-06-14" in twice.message
    assert twice.details["paid_by"] == "admin:kim"
    with uow() as u:
        assert u.refunds.get(first).paid_reference == "KB-1"
        assert len([r for r in u.audit.for_entity("case", str(case_id))
                    if r.event.action == REFUND_PAID]) == 1


# finance's bank batches (sagwa refunds mark-paid --from-file / --recorded-before)


def _paid_records(uow, case_id: int) -> list:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [r for r in u.audit.for_entity("case", str(case_id))
                if r.event.action == REFUND_PAID]


def test_a_payments_file_marks_every_refund_with_a_record_each(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
    clock.now = datetime(2008, 6, 17, 11, 0, tzinfo=SEOUL)
    done = mark_refunds_paid(uow(), lines=[
        PaymentLine(2, str(first), "KB-0616-1", "2008-06-16T15:00"),
        PaymentLine(3, str(second), "KB-0616-2", "")], actor="admin:kim")
    assert (done.as_dict()["count"], done.totals()) == (2, {"KRW": 39_800})
    with uow() as u:
        stored = {r.refund_id: r for r in u.refunds.for_case(case_id)}
    assert (stored[first].paid_at, stored[first].paid_reference) == (
        datetime(2008, 6, 16, 15, 0, tzinfo=SEOUL), "KB-0616-1")
    assert (stored[second].paid_at, stored[second].paid_by) == (clock.now, "admin:kim")
    records = _paid_records(uow, case_id)
    assert sorted(r.event.after["refund_id"] for r in records) == [first, second]
    assert all(set(r.event.after) == {"refund_id", "order_id", "amount", "paid_at",
                                      "reference_hmac", "reference_key", "reference_chars",
                                      "customer_told", "audit_seq"} for r in records)
    assert {r.event.after["audit_seq"] for r in records} == {
        stored[first].audit_seq, stored[second].audit_seq}


def test_a_payments_file_appends_its_audit_records_in_one_go(shop) -> None:
    """The audit log's head stays locked until the batch commits: one append, not one a row."""
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
    clock.now += timedelta(days=1)
    statements: list[str] = []

    def seen(conn, cursor, statement, *rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        mark_refunds_paid(uow(), lines=[PaymentLine(2, str(first), "KB-1", ""),
                                        PaymentLine(3, str(second), "KB-2", "")],
                          actor="admin:kim")
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert sum(s.lstrip().upper().startswith("INSERT INTO AUDIT_LOG") for s in statements) == 1
    assert len(_paid_records(uow, case_id)) == 2


def test_a_payments_file_with_a_bad_row_marks_nothing(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
    clock.now += timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        mark_refunds_paid(uow(), lines=[
            PaymentLine(2, str(first), "KB-1", ""), PaymentLine(3, str(second), "", ""),
            PaymentLine(4, str(second + 1000), "KB-3", "")], actor="admin:kim")
    assert [(r["line"], r["reason"]) for r in refused.value.details["rows"]] == [
        (3, "refund_reference_required"), (4, "refund_not_found")]
    with uow() as u:
        assert [r.paid_at for r in u.refunds.for_case(case_id)] == [None, None]
    assert _paid_records(uow, case_id) == []
    checked = mark_refunds_paid(uow(), lines=[PaymentLine(2, str(first), "KB-1", "")],
                                actor="admin:kim", dry_run=True)
    assert (checked.dry_run, [r.refund_id for r in checked.refunds]) == (True, [first])
    with uow() as u:
        assert [r.paid_at for r in u.refunds.for_case(case_id)] == [None, None]


def test_refunds_recorded_before_a_day_are_marked_paid_now_and_later_ones_stay_owed(shop) -> None:
    uow, clock, _iid, case_id, _ = _cancelled(shop)  # cancelled Friday 2008-06-13
    with uow() as u:
        first, second = (r.refund_id for r in u.refunds.for_case(case_id))
        # as migration 0023 writes the refunds it found on the audit log
        u.conn.execute(update(refunds).where(refunds.c.id.in_([first, second]))
                       .values(backfilled=True))
        u.commit()
    clock.now = datetime(2008, 6, 14, 9, 0, tzinfo=SEOUL)
    kw = {"reference": "paid outside sagwa", "actor": "admin:kim"}
    assert mark_owed_paid_before(uow(), before=date(2008, 6, 13), **kw).refunds == []
    with pytest.raises(InvalidInput) as future:
        mark_owed_paid_before(uow(), before=date(2008, 6, 15), **kw)
    assert future.value.details["reason"] == "refund_recorded_before_future"
    with pytest.raises(InvalidInput):
        mark_owed_paid_before(uow(), before=date(2008, 6, 14), reference=" ", actor="a")
    clock.now = datetime(2008, 6, 30, 9, 0, tzinfo=SEOUL)
    dry = mark_owed_paid_before(uow(), before=date(2008, 6, 14), dry_run=True, **kw)
    assert [r.refund_id for r in dry.refunds] == [first, second]
    assert _paid_records(uow, case_id) == []
    mark_refund_paid(uow(), refund_id=first, reference="KB-1", actor="admin:lee")
    done = mark_owed_paid_before(uow(), before=date(2008, 6, 14), **kw)
    assert [(r.refund_id, r.paid_at) for r in done.refunds] == [(second, clock.now)]
    [record] = [r for r in _paid_records(uow, case_id) if r.event.after["refund_id"] == second]
    assert record.event.after["recorded_before"] == "2008-06-14"
    assert list_refunds(uow(), which=RefundFilter.OWED).total == 0


def test_refunds_are_listed_by_incident_and_by_seller_with_their_totals(shop) -> None:
    """A finance walk could not ask "which of seller 7's refunds are unpaid": the list narrows
    to an incident's cases or a seller's orders, says each refund's seller, and totals only
    those; an incident or seller that does not exist is refused, not listed as none."""
    uow, _clock, iid, _case, _ = _cancelled(shop)
    seller = shop[4]
    owed = list_refunds(uow(), which=RefundFilter.OWED, incident_id=iid, seller_id=seller)
    assert owed.total == 2 and {i.seller_id for i in owed.items} == {seller}
    assert owed.amount_totals == {"KRW": 2 * 19_900}
    other = catalog.register_seller(uow(), code="other", name="다른 판매자", actor="t").id
    none = list_refunds(uow(), which=RefundFilter.ALL, seller_id=other)
    assert (none.total, none.items, none.amount_totals) == (0, [], {})
    for missing in ({"incident_id": iid + 1000}, {"seller_id": other + 1000}):
        with pytest.raises(NotFound) as refused:
            list_refunds(uow(), which=RefundFilter.ALL, **missing)
        assert refused.value.details["reason"] == "unknown_id"
    assert listed_dict(owed.items[0], owed.now)["seller_id"] == seller


def test_refunds_paid_in_korean_days_are_listed_for_the_books(shop) -> None:
    """A finance walk: a month's paid refunds could not be listed (``refunds list`` took no
    days). Two refunds paid 40 minutes apart across a Korean midnight fall on their own days."""
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        first, second = u.refunds.for_case(case_id)
    clock.now += timedelta(days=3)
    mark_refund_paid(uow(), refund_id=first.refund_id, reference="KB-1", actor="finance",
                     paid_at=datetime(2008, 6, 15, 23, 30, tzinfo=SEOUL))
    mark_refund_paid(uow(), refund_id=second.refund_id, reference="KB-2", actor="finance",
                     paid_at=datetime(2008, 6, 16, 0, 10, tzinfo=SEOUL))

    def paid(since: date | None, until: date | None) -> list[int]:
        found = list_refunds(uow(), which=RefundFilter.PAID, paid_from=since, paid_to=until)
        assert found.amount_totals == ({"KRW": 19_900 * len(found.items)} if found.items else {})
        assert (found.as_dict()["paid_from"], found.as_dict()["paid_to"]) == (
            since and since.isoformat(), until and until.isoformat())
        return [i.refund.refund_id for i in found.items]

    assert paid(date(2008, 6, 16), None) == [second.refund_id]
    assert paid(None, date(2008, 6, 15)) == [first.refund_id]
    assert paid(date(2008, 6, 15), date(2008, 6, 16)) == [first.refund_id, second.refund_id]
    assert paid(date(2008, 6, 17), date(2008, 6, 30)) == []
    for which, since, until, reason in (
            (RefundFilter.OWED, date(2008, 6, 1), None, "refund_paid_days_need_paid"),
            (RefundFilter.PAID, date(2008, 6, 30), date(2008, 6, 1),
             "refund_paid_days_reversed")):
        with pytest.raises(InvalidInput) as refused:
            list_refunds(uow(), which=which, paid_from=since, paid_to=until)
        assert refused.value.details["reason"] == reason
