"""A first end-to-end pass through the services on real PostgreSQL."""

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import audit, catalog, listings, orders


def test_order_is_charged_the_live_price(uow) -> None:
    seller = catalog.register_seller(uow(), code="haneul", name="하늘전자", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노 3세대 4GB", category="electronics/mp3",
                                       list_price=Money(199000, "KRW"), actor="t")
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(199000, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    listings.propose_price_change(uow(), listing_id=listing.id, new_price=Money(179000, "KRW"),
                                  proposed_by="seller:haneul")
    order = orders.place_order(uow(), customer_id=customer.id, listing_id=listing.id, quantity=2,
                               actor="t")
    assert order.unit_price == Money(179000, "KRW")
    assert audit.verify_audit_log(uow()).ok
