"""Migration 0023 backfills the refunds already recorded: a database the desk used before it
(its refunds only on the audit log) shows each of them owed after the upgrade, due 3 Korean
business days after its cancellation, marked as backfilled; downgrading drops the table and
keeps the audit log, from which upgrading again restores the refunds marked paid. Marking
"every refund recorded before a day" paid touches only the backfilled ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.migrate import alembic_config, current_revision, head_revision
from sagwa.domain.audit import AuditEvent
from sagwa.domain.consent import EffectKind, OrderEffect
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.refunds import REFUND_PAID, Refund
from sagwa.services import desk_cases
from sagwa.services.refunds import mark_owed_paid_before, mark_refund_paid
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import scoped_incident

pytestmark = pytest.mark.integration
SEOUL = ZoneInfo("Asia/Seoul")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
#: A Friday before 설날 2026 (Mon 16 to Wed 18 February): due Thu 19, Fri 20, Mon 23.
CANCELLED = datetime(2026, 2, 13, 15, 0, tzinfo=SEOUL)


def _alembic(engine: Engine, action: str, revision: str) -> None:
    getattr(command, action)(alembic_config(engine.url.render_as_string(hide_password=False)),
                             revision)


@dataclass(frozen=True)
class Before0023:
    """What :func:`_cancelled_as_0022_recorded_it` left: the case, its incident, the order
    cancelled before 0023, its customer, and the customer's other order (still placed)."""

    case_id: int
    order_id: int
    customer_id: int
    incident_id: int
    other_order_id: int


def _cancelled_as_0022_recorded_it(engine: Engine) -> Before0023:
    """Two orders at the wrong price, in a scoped incident, one cancelled with a refund as the
    desk recorded one before 0023: the order's status and an ``order.cancel_and_refund`` audit
    record (``desk_cases.apply_effect``), nothing else."""
    opened = CANCELLED - timedelta(days=2)
    clock = ManualClock(opened)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock)

    # the orders and the case placed by today's code, on today's schema (it reads columns
    # added since 0022: an erased customer takes no order), then back to 0022 for the refund
    _alembic(engine, "upgrade", "head")
    made = scoped_incident(uow, orders_placed=2, clock=clock)
    _alembic(engine, "downgrade", "0022")
    order_id, other_id = made.order_ids
    clock.now = CANCELLED
    with uow() as u:
        u.market.change_order(order_id, now=clock.now, status=OrderStatus.CANCELLED)
        u.audit.append(AuditEvent("customer", "order.cancel_and_refund", "order",
                                  str(order_id),
                                  before={"status": "placed", "quantity": 1,
                                          "unit_price": WRONG.as_dict()},
                                  after={"case_id": made.case_id, "quantity": 1,
                                         "amount": WRONG.as_dict(), "consent": "recorded"}),
                       clock.now)
        u.commit()
    return Before0023(made.case_id, order_id, made.customer_id, made.incident_id, other_id)


def test_upgrading_backfills_each_recorded_refund_as_owed(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        _alembic(engine, "upgrade", "0022")
        before = _cancelled_as_0022_recorded_it(engine)
        case_id, order_id, customer_id = before.case_id, before.order_id, before.customer_id
        _alembic(engine, "upgrade", "head")
        assert current_revision(engine) == head_revision()
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [refund] = u.refunds.for_case(case_id)
            [record] = [r for r in u.audit.for_entity("order", str(order_id))
                        if r.event.action == "order.cancel_and_refund"]
        assert (refund.audit_seq, refund.order_id, refund.customer_id, refund.amount) == (
            record.seq, order_id, customer_id, WRONG)
        assert (refund.cancelled_at, refund.due_by, refund.status.value, refund.backfilled) == (
            CANCELLED, date(2026, 2, 23), "owed", True)
        # down again: the table goes, the audit record stays; up again: the same row is back
        _alembic(engine, "downgrade", "0022")
        assert "refunds" not in inspect(engine).get_table_names()
        _alembic(engine, "upgrade", "head")
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [again] = u.refunds.for_case(case_id)
        assert (again.audit_seq, again.due_by) == (record.seq, date(2026, 2, 23))
    finally:
        engine.dispose()


def _upgraded_with_a_backfilled_refund(engine: Engine) -> Before0023:
    _alembic(engine, "upgrade", "0022")
    before = _cancelled_as_0022_recorded_it(engine)
    _alembic(engine, "upgrade", "head")
    return before


def _paid_as_recorded_before_digests(engine: Engine, clock: ManualClock, refund: Refund,
                                     paid_at: datetime) -> Refund:
    """The refund marked paid as sagwa recorded it before the audit log kept a digest of the
    reference (``domain.audit_text``): the reference itself in the ``case.refund_paid`` record."""
    with SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock) as u:
        u.refunds.mark_paid(refund.refund_id, at=paid_at, reference="KB 0214-01", by="admin:kim")
        u.audit.append(AuditEvent("admin:kim", REFUND_PAID, "case", str(refund.case_id), before={
            "due_by": refund.due_by.isoformat()}, after={
            "refund_id": refund.refund_id, "order_id": refund.order_id,
            "amount": refund.amount.as_dict(), "paid_at": paid_at.astimezone(UTC).isoformat(),
            "reference": "KB 0214-01", "audit_seq": refund.audit_seq}), clock.now)
        u.commit()
    with SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock) as u:
        return u.refunds.get(refund.refund_id)  # type: ignore[return-value]


@pytest.mark.parametrize("recorded", [
    "reference_on_the_log",  # as sagwa recorded a payment before digests
    # since (domain.audit_text) the log keeps a digest of the reference, not its words: the
    # payment comes back, its reference naming the record (it broke ck_refunds_paid_together)
    "digest_on_the_log"])
def test_a_refund_marked_paid_is_paid_again_after_downgrading_and_upgrading(
        scratch, recorded: str) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        before = _upgraded_with_a_backfilled_refund(engine)
        clock = ManualClock(CANCELLED + timedelta(days=1))
        uow = SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock)
        with uow as u:
            [owed] = u.refunds.for_case(before.case_id)
        paid_at = CANCELLED + timedelta(hours=20)
        paid = (_paid_as_recorded_before_digests(engine, clock, owed, paid_at)
                if recorded == "reference_on_the_log" else
                mark_refund_paid(SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock),
                                 refund_id=owed.refund_id, reference="KB 0214-01",
                                 paid_at=paid_at, actor="admin:kim"))
        _alembic(engine, "downgrade", "0022")
        _alembic(engine, "upgrade", "head")
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [again] = u.refunds.for_case(before.case_id)
        assert (again.audit_seq, again.status.value) == (owed.audit_seq, "paid")
        assert (again.paid_at, again.paid_by) == (paid_at, "admin:kim") == (
            paid.paid_at, paid.paid_by)
        if recorded == "reference_on_the_log":
            assert again.paid_reference == paid.paid_reference == "KB 0214-01"
        else:
            assert re.fullmatch(r"\(kept as a digest in audit record \d+\)",
                                again.paid_reference or "")
    finally:
        engine.dispose()


def test_marking_refunds_recorded_before_a_day_paid_leaves_those_sagwa_tracked_owed(
        scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        before = _upgraded_with_a_backfilled_refund(engine)
        clock = ManualClock(CANCELLED + timedelta(days=1))

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock)

        with uow() as u:  # after the upgrade, the desk cancels the other order: tracked live
            [row] = u.cases.for_incident(before.incident_id)
            desk_cases.apply_effect(u, row.case, OrderEffect(
                before.other_order_id, EffectKind.CANCEL_AND_REFUND, 1, WRONG), "customer",
                clock.now)
            u.commit()
        clock.now = CANCELLED + timedelta(days=10)
        done = mark_owed_paid_before(uow(), before=clock.now.astimezone(SEOUL).date(),
                                     reference="paid outside sagwa", actor="admin:kim")
        with uow() as u:
            by_order = {r.order_id: r for r in u.refunds.for_case(before.case_id)}
        assert [r.order_id for r in done.refunds] == [before.order_id]
        assert by_order[before.order_id].status.value == "paid"
        assert (by_order[before.other_order_id].status.value,
                by_order[before.other_order_id].backfilled) == ("owed", False)
    finally:
        engine.dispose()
