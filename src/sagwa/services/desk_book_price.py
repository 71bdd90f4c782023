"""An incident plan held against the fixed book price law (:mod:`sagwa.domain.book_price`),
inside the plan's transaction: the incident's listings' products, their list prices and the
price guard's floor for their category (``PriceRules.list_floor_pct``, the one configured
floor the guard holds price changes to)."""

from __future__ import annotations

from sagwa.domain.book_price import BookFloor, book_floor, check_book_price_law
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.incidents import Incident
from sagwa.priceguard import PriceRules
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def incident_book_floor(uow: SqlAlchemyUnitOfWork, incident: Incident,
                        rules: PriceRules) -> BookFloor | None:
    """The strictest floor among the incident's listings' products (None: no listing sells a
    product whose category the law covers with a known list price)."""
    floors = []
    for listing_id in sorted(int(i) for i in incident.listing_ids):
        listing = uow.market.listing(listing_id)
        product = uow.catalog.product(listing.product_id) if listing is not None else None
        if product is None:
            continue
        found = book_floor(product.list_price, rules.list_floor_pct(product.category),
                           incident.currency)
        if found is not None:
            floors.append(found)
    return max(floors, key=lambda f: f.floor.amount_minor, default=None)


def check_plan_book_price(uow: SqlAlchemyUnitOfWork, incident: Incident, plan: IncidentPlan,
                          rules: PriceRules) -> None:
    """Refuse (``BookPriceLawRefused``) a plan selling the incident's book below its floor."""
    book = incident_book_floor(uow, incident, rules)
    if book is not None:
        check_book_price_law(plan, incident.wrong_price, book)
