"""A shop at its simplest, for tests of what any use of the services leaves behind: seller
``haneul``'s iPod nano listed at its list price (199,000 KRW) and published, and one customer.
Built through the services, so each step writes its audit record."""

from __future__ import annotations

from collections.abc import Callable

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def ipod_listing_and_customer(uow: Callable[[], SqlAlchemyUnitOfWork]) -> tuple[int, int, int]:
    """The seller, the product and the customer registered, the listing created and published
    (five audit records), all by actor ``t``: (seller id, listing id, customer id)."""
    seller = catalog.register_seller(uow(), code="haneul", name="하늘전자", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노 3세대 4GB", category="electronics/mp3",
                                       list_price=Money(199000, "KRW"), actor="t")
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(199000, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    return int(seller.id), int(listing.id), int(customer.id)
