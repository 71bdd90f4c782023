"""The 2008 case in small, for tests that need a scoped incident and do not care how it came
about: one seller's iPod nano listed at 19,900 KRW instead of 199,000 KRW, ordered by one
customer, declared by an operator and scoped (one case). Built through the services.

``ipod_listed_at_wrong_price`` stops earlier: the listing live at the wrong price, nothing
ordered or declared yet, for tests that go through the rest themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sagwa.domain.consent import EffectKind, OrderEffect
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")


@dataclass(frozen=True)
class ScopedIncident:
    incident_id: int
    case_id: int
    listing_id: int
    customer_id: int
    order_ids: tuple[int, ...]


def scoped_incident(uow: Callable[[], SqlAlchemyUnitOfWork], *, orders_placed: int = 1,
                    clock: ManualClock | None = None) -> ScopedIncident:
    """The listing goes live at the wrong price, the customer places ``orders_placed`` orders of
    one, the operator declares and scopes the incident. With ``clock``, the orders come 5
    minutes after the listing went live and the declaration an hour after them (the clock is
    moved on); without, all of it happens now."""
    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", category="electronics/mp3",
                                       list_price=RIGHT, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor="seller:haneul")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    # the window opens once the listing exists (read before it, the minute could turn between:
    # a window from 11:20 refused for a listing created at 11:21:00)
    opened = clock.now if clock else datetime.now(UTC).replace(second=0, microsecond=0)
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com",
                                         phone="010-1234-5678", locale="ko", actor="t")
    if clock:
        clock.now += timedelta(minutes=5)
    placed = tuple(orders.place_order(uow(), customer_id=customer.id, listing_id=listing.id,
                                      quantity=1, actor="t", velocity=None).id
                   for _ in range(orders_placed))
    if clock:
        clock.now += timedelta(hours=1)
    declared = desk.declare(uow(), listing_ids=[listing.id], wrong_price=WRONG,
                            correct_price=RIGHT, window_start=opened, cause="a zero dropped",
                            responsible="seller", actor="operator:lee")
    incident_id = int(declared.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    with uow() as u:
        case_id = u.cases.case_for_customer(incident_id, customer.id)
    return ScopedIncident(incident_id, int(case_id), int(listing.id), int(customer.id),
                          tuple(int(o) for o in placed))


@dataclass(frozen=True)
class ListedAtWrongPrice:
    seller_id: int
    listing_id: int


def ipod_listed_at_wrong_price(uow: Callable[[], SqlAlchemyUnitOfWork], *,
                               listed_by: str = "t") -> ListedAtWrongPrice:
    """Seller ``haneul``'s Apple iPod nano 3rd gen 4GB (a Korean and an English title, list price
    199,000 KRW) listed by ``listed_by`` at 19,900 KRW and published, now."""
    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       title_en="Apple iPod nano 3rd gen 4GB",
                                       category="electronics/mp3", list_price=RIGHT, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor=listed_by)
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    return ListedAtWrongPrice(int(seller.id), int(listing.id))


@dataclass(frozen=True)
class RefundOwed:
    refund_id: int
    incident_id: int
    customer_id: int


def refund_owed(uow: Callable[[], SqlAlchemyUnitOfWork]) -> RefundOwed:
    """:func:`scoped_incident`'s order cancelled by the desk with a refund (through
    ``desk_cases.apply_effect``, as a recorded choice applies it): the refund owed."""
    made = scoped_incident(uow)
    with uow() as u:
        [row] = u.cases.for_incident(made.incident_id)
        effect = OrderEffect(row.case.orders[0].order_id, EffectKind.CANCEL_AND_REFUND, 1, WRONG)
        desk_cases.apply_effect(u, row.case, effect, "customer", u.now())
        u.commit()
        [refund] = u.refunds.for_case(made.case_id)
    return RefundOwed(refund.refund_id, made.incident_id, made.customer_id)
