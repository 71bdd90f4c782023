"""Declaring an incident: its correct price held against what its listings sold at before the
wrong price and their products' list prices (:mod:`sagwa.domain.correct_price`), inside the
declaration's transaction, before anything is paused."""

from __future__ import annotations

from collections.abc import Sequence

from sagwa.domain.catalog import Product
from sagwa.domain.correct_price import PriceReference, check_correct_price_plausible
from sagwa.domain.incidents import Incident
from sagwa.domain.listings import Listing
from sagwa.domain.price_history import prices_before
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def check_correct_price(uow: SqlAlchemyUnitOfWork, listings: Sequence[Listing],
                        incident: Incident) -> None:
    """Refuse (``correct_price_implausible``) a correct price far above every reference of the
    declared ``incident``'s ``listings``: one query for their price moves, one per product."""
    correct = incident.correct_price
    assert correct is not None  # a declared incident has its correct price
    moves = uow.market.price_moves([listing.id for listing in listings])
    products = {pid: uow.catalog.product(pid) for pid in {x.product_id for x in listings}}
    references = [
        PriceReference(listing.id,
                       tuple(prices_before(listing.price.amount_minor, moves[listing.id],
                                           incident.window_start)),
                       _list_price(products[listing.product_id], correct.currency))
        for listing in listings]
    check_correct_price_plausible(correct, incident.wrong_price, references)


def _list_price(product: Product | None, currency: str) -> int | None:
    if product is None or product.list_price is None or product.list_price.currency != currency:
        return None
    return product.list_price.amount_minor
