"""A first end-to-end pass through the services on real PostgreSQL."""

from ipod_listing_and_customer import ipod_listing_and_customer

from sagwa.domain.money import Money
from sagwa.services import audit, listings, orders


def test_order_is_charged_the_live_price(uow) -> None:
    _, listing_id, customer_id = ipod_listing_and_customer(uow)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(179000, "KRW"),
                                  proposed_by="seller:haneul")
    order = orders.place_order(uow(), customer_id=customer_id, listing_id=listing_id,
                               quantity=2, actor="t")
    assert order.unit_price == Money(179000, "KRW")
    assert audit.verify_audit_log(uow()).ok
