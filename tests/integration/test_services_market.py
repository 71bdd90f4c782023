"""Listings, price changes and orders on real PostgreSQL."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from sagwa.adapters.db.tables import orders as orders_table
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, ListingNotOrderable, NotFound
from sagwa.services import audit, catalog, listings, orders
from sagwa.services.listings import GateDecision
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]
T = ListingTrigger


@dataclass
class Shop:
    seller_id: int
    product_id: int
    customer_id: int
    listing: Listing


@pytest.fixture
def shop(uow: Uow) -> Shop:
    seller = catalog.register_seller(uow(), code="haneul", name="하늘전자", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노 3세대 4GB", category="electronics/mp3",
                                       list_price=Money(199000, "KRW"), actor="t")
    customer = catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(199000, "KRW"), actor="t")
    return Shop(seller.id, product.id, customer.id, listing)


def _move(uow: Uow, listing_id: int, *triggers: ListingTrigger) -> Listing:
    listing = None
    for trigger in triggers:
        listing = listings.change_listing_status(uow(), listing_id=listing_id, trigger=trigger,
                                                 actor="t")
    assert listing is not None
    return listing


def _order_count(uow: Uow) -> int:
    with uow() as u:
        return int(u.conn.execute(select(func.count()).select_from(orders_table)).scalar_one())


def test_new_listing_is_a_draft(shop: Shop) -> None:
    assert shop.listing.status is ListingStatus.DRAFT


@pytest.mark.parametrize("triggers", [(), (T.HOLD,), (T.PUBLISH, T.PAUSE), (T.PUBLISH, T.END),
                                      (T.PUBLISH, T.HOLD)],
                         ids=["draft", "held", "paused", "ended", "held-after-live"])
def test_order_is_refused_unless_the_listing_is_live(uow: Uow, shop: Shop, triggers) -> None:  # type: ignore[no-untyped-def]
    for trigger in triggers:
        _move(uow, shop.listing.id, trigger)
    before = _order_count(uow)
    with pytest.raises(ListingNotOrderable) as info:
        orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                           quantity=1, actor="t")
    assert info.value.code == "listing_not_orderable"
    assert _order_count(uow) == before


def test_resumed_listing_takes_orders_again(uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.PUBLISH, T.PAUSE, T.RESUME)
    order = orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                               quantity=1, actor="t")
    assert order.unit_price == Money(199000, "KRW")


def test_order_uses_the_live_price_after_a_change(uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.PUBLISH)
    first = orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                               quantity=1, actor="t")
    listings.propose_price_change(uow(), listing_id=shop.listing.id,
                                  new_price=Money(179000, "KRW"), proposed_by="seller:haneul")
    second = orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                                quantity=2, actor="t")
    assert first.unit_price == Money(199000, "KRW")
    assert second.unit_price == Money(179000, "KRW")
    assert second.quantity == 2


def test_applied_price_change_updates_the_listing_and_audits_before_and_after(
        uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.PUBLISH)
    change = listings.propose_price_change(uow(), listing_id=shop.listing.id,
                                           new_price=Money(19900, "KRW"),
                                           proposed_by="seller:haneul")
    assert change.status.value == "applied"
    assert (change.old_price, change.new_price) == (Money(199000, "KRW"), Money(19900, "KRW"))
    with uow() as u:
        assert u.market.listing(shop.listing.id).price == Money(19900, "KRW")  # type: ignore[union-attr]
    trail = audit.audit_trail(uow(), entity_type="listing", entity_id=str(shop.listing.id))
    record = trail[-1]
    assert record.event.action == "price_change.applied"
    assert record.event.actor == "seller:haneul"
    assert record.event.before == {"price": {"amount_minor": 199000, "currency": "KRW"}}
    assert record.event.after is not None
    assert record.event.after["live"] == {"amount_minor": 19900, "currency": "KRW"}
    assert record.event.after["price_change_id"] == change.id


def test_held_price_change_leaves_the_live_price(uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.PUBLISH)
    change = listings.propose_price_change(
        uow(), listing_id=shop.listing.id, new_price=Money(19900, "KRW"), proposed_by="s",
        gate=lambda *_: GateDecision(hold=True, reason="90% below recent prices"))
    assert change.status.value == "held"
    order = orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                               quantity=1, actor="t")
    assert order.unit_price == Money(199000, "KRW")


def test_price_change_to_another_currency_or_the_same_price_is_refused(uow: Uow,
                                                                       shop: Shop) -> None:
    with pytest.raises(InvalidInput, match="priced in KRW"):
        listings.propose_price_change(uow(), listing_id=shop.listing.id,
                                      new_price=Money(19900, "USD"), proposed_by="s")
    with pytest.raises(InvalidInput, match="already costs") as unchanged:
        listings.propose_price_change(uow(), listing_id=shop.listing.id,
                                      new_price=Money(199000, "KRW"), proposed_by="s")
    assert unchanged.value.details["reason"] == "price_unchanged"
    with uow() as u:
        assert u.market.price_changes_for(shop.listing.id) == []


def test_ended_listing_price_cannot_change(uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.END)
    with pytest.raises(Conflict, match="has ended") as ended:
        listings.propose_price_change(uow(), listing_id=shop.listing.id,
                                      new_price=Money(1000, "KRW"), proposed_by="s")
    assert ended.value.details["reason"] == "listing_ended"


def test_illegal_status_change_is_refused_and_not_stored(uow: Uow, shop: Shop) -> None:
    _move(uow, shop.listing.id, T.END)
    with pytest.raises(IllegalTransition, match="the listing is ended: only a draft listing can be published") as refused:
        _move(uow, shop.listing.id, T.PUBLISH)
    assert refused.value.details["reason"] == "listing_status"
    with uow() as u:
        assert u.market.listing(shop.listing.id).status is ListingStatus.ENDED  # type: ignore[union-attr]


def test_second_listing_of_the_same_product_by_one_seller_is_a_conflict(uow: Uow,
                                                                         shop: Shop) -> None:
    with pytest.raises(Conflict, match="already lists") as info:
        listings.create_listing(uow(), seller_id=shop.seller_id, product_id=shop.product_id,
                                price=Money(1000, "KRW"), actor="t")
    assert info.value.details["reason"] == "product_already_listed"


def test_unknown_ids_are_not_found(uow: Uow, shop: Shop) -> None:
    with pytest.raises(NotFound, match="listing 999999999 does not exist"):
        orders.place_order(uow(), customer_id=shop.customer_id, listing_id=999_999_999,
                           quantity=1, actor="t")
    with pytest.raises(NotFound, match="customer"):
        orders.place_order(uow(), customer_id=999_999_999, listing_id=shop.listing.id,
                           quantity=1, actor="t")
    with pytest.raises(NotFound, match="seller"):
        listings.create_listing(uow(), seller_id=999_999_999, product_id=shop.product_id,
                                price=Money(1000, "KRW"), actor="t")


@pytest.mark.parametrize("quantity", [0, -1, 101])
def test_quantity_out_of_range_is_refused(uow: Uow, shop: Shop, quantity: int) -> None:
    _move(uow, shop.listing.id, T.PUBLISH)
    with pytest.raises(InvalidInput, match="quantity"):
        orders.place_order(uow(), customer_id=shop.customer_id, listing_id=shop.listing.id,
                           quantity=quantity, actor="t")
