"""Migration 0023 backfills the refunds already recorded: a database the desk used before it
(its refunds only on the audit log) shows each of them owed after the upgrade, due 3 Korean
business days after its cancellation, marked as backfilled; downgrading drops the table and
keeps the audit log, from which upgrading again restores the refunds marked paid. Marking
"every refund recorded before a day" paid touches only the backfilled ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
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

    made = scoped_incident(uow, orders_placed=2, clock=clock)
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


def test_a_refund_marked_paid_is_paid_again_after_downgrading_and_upgrading(
        scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        before = _upgraded_with_a_backfilled_refund(engine)
        clock = ManualClock(CANCELLED + timedelta(days=1))
        uow = SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock)
        with uow as u:
            [owed] = u.refunds.for_case(before.case_id)
        paid_at = CANCELLED + timedelta(hours=20)
        paid = mark_refund_paid(SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock),
                                refund_id=owed.refund_id, reference="KB 0214-01",
                                paid_at=paid_at, actor="admin:kim")
        _alembic(engine, "downgrade", "0022")
        _alembic(engine, "upgrade", "head")
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [again] = u.refunds.for_case(before.case_id)
        assert (again.audit_seq, again.status.value) == (owed.audit_seq, "paid")
        assert (again.paid_at, again.paid_reference, again.paid_by) == (
            paid_at, "KB 0214-01", "admin:kim") == (
            paid.paid_at, paid.paid_reference, paid.paid_by)
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
