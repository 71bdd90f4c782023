"""A customer's orders, as ``GET /api/customers/{id}/orders`` lists them, on real PostgreSQL:
newest first, and orders placed at the same moment (one basket) in the same order on every
call — the latest placed first — not as the rows happened to come out of the sort."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from sagwa.services import catalog, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price


def test_orders_placed_at_the_same_moment_come_latest_placed_first(
        session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(datetime(2008, 6, 12, 5, 0, tzinfo=UTC))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    listing_id = ipod_listed_at_wrong_price(uow).listing_id
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")

    def place() -> int:
        return orders.place_order(uow(), customer_id=customer.id, listing_id=listing_id,
                                  quantity=1, actor="t", velocity=None).id

    basket = [place() for _ in range(3)]  # one moment: the clock does not move
    clock.now += timedelta(minutes=1)
    later = place()
    with uow() as u:
        listed = [o.id for o in u.market.orders_for_customer(customer.id)]
    assert listed == [later, *reversed(basket)]
