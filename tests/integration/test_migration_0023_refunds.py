"""Migration 0023 backfills the refunds already recorded: a database the desk used before it
(its refunds only on the audit log) shows each of them owed after the upgrade, due 3 Korean
business days after its cancellation; downgrading drops the table and keeps the audit log."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.migrate import alembic_config, current_revision, head_revision
from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderStatus
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration
SEOUL = ZoneInfo("Asia/Seoul")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
#: A Friday before 설날 2026 (Mon 16 to Wed 18 February): due Thu 19, Fri 20, Mon 23.
CANCELLED = datetime(2026, 2, 13, 15, 0, tzinfo=SEOUL)


def _alembic(engine: Engine, action: str, revision: str) -> None:
    getattr(command, action)(alembic_config(engine.url.render_as_string(hide_password=False)),
                             revision)


def _cancelled_as_0022_recorded_it(engine: Engine) -> tuple[int, int, int]:
    """An order at the wrong price, in a scoped incident, cancelled with a refund as the desk
    recorded one before 0023: the order's status and an ``order.cancel_and_refund`` audit
    record (``desk_cases.apply_effect``), nothing else. (case, order, customer)."""
    opened = CANCELLED - timedelta(days=2)
    clock = ManualClock(opened)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(sessionmaker(bind=engine), clock)

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", category="electronics/mp3",
                                       list_price=RIGHT, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor="seller:haneul")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    customer = catalog.register_customer(uow(), name="고객", email="c@example.com",
                                         phone="010-1234-0001", locale="ko", actor="t")
    clock.now += timedelta(minutes=5)
    order = orders.place_order(uow(), customer_id=customer.id, listing_id=listing.id,
                               quantity=1, actor="t", velocity=None)
    clock.now += timedelta(hours=1)
    incident = desk.declare(uow(), listing_ids=[listing.id], wrong_price=WRONG,
                            correct_price=RIGHT, window_start=opened,
                            cause="a zero dropped", responsible="seller", actor="operator:lee")
    desk.scope(uow(), incident_id=int(incident.incident.incident_id), actor="operator:lee")
    clock.now = CANCELLED
    with uow() as u:
        case_id = u.cases.case_for_customer(int(incident.incident.incident_id), customer.id)
        u.market.change_order(int(order.id), now=clock.now, status=OrderStatus.CANCELLED)
        u.audit.append(AuditEvent("customer", "order.cancel_and_refund", "order",
                                  str(order.id),
                                  before={"status": "placed", "quantity": 1,
                                          "unit_price": WRONG.as_dict()},
                                  after={"case_id": case_id, "quantity": 1,
                                         "amount": WRONG.as_dict(), "consent": "recorded"}),
                       clock.now)
        u.commit()
    return int(case_id), int(order.id), int(customer.id)


def test_upgrading_backfills_each_recorded_refund_as_owed(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        _alembic(engine, "upgrade", "0022")
        case_id, order_id, customer_id = _cancelled_as_0022_recorded_it(engine)
        _alembic(engine, "upgrade", "head")
        assert current_revision(engine) == head_revision()
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [refund] = u.refunds.for_case(case_id)
            [record] = [r for r in u.audit.for_entity("order", str(order_id))
                        if r.event.action == "order.cancel_and_refund"]
        assert (refund.audit_seq, refund.order_id, refund.customer_id, refund.amount) == (
            record.seq, order_id, customer_id, WRONG)
        assert (refund.cancelled_at, refund.due_by, refund.status.value) == (
            CANCELLED, date(2026, 2, 23), "owed")
        # down again: the table goes, the audit record stays; up again: the same row is back
        _alembic(engine, "downgrade", "0022")
        assert "refunds" not in inspect(engine).get_table_names()
        _alembic(engine, "upgrade", "head")
        with SqlAlchemyUnitOfWork(sessionmaker(bind=engine)) as u:
            [again] = u.refunds.for_case(case_id)
        assert (again.audit_seq, again.due_by) == (record.seq, date(2026, 2, 23))
    finally:
        engine.dispose()
