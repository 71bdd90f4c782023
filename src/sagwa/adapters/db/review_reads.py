"""The review queue's reads for a page of held changes at once (``uow.reads``): each card
needs its listing, product and seller, the listing's recent live prices, the other sellers'
prices, whether another price took effect since the proposal and the incidents standing for
its product. One query each for the whole page, however many cards (read one card at a time,
24 cards took 269 queries). Each answers what the one-listing read it stands for answers
(``MarketRepository.listing``, ``effective_prices``, ``other_seller_prices``,
``price_moved_after``; ``CatalogRepository.product``, ``seller``;
``IncidentRepository.standing_for_product_of``)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import BigInteger, Connection, String, column, func, select, values

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.catalog_repo import _product, _seller
from sagwa.adapters.db.market_repo import PriceChangeRecord, _listing, moved_after
from sagwa.adapters.db.tables import (
    incident_listings,
    incidents,
    listings,
    price_changes,
    products,
    sellers,
)
from sagwa.domain.catalog import Product, Seller
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.pricing import PriceChangeStatus

_TOOK_EFFECT = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)


class ReviewReads:
    """The review queue's reads of a page of cards (a part of ``ReadRepository``)."""

    conn: Connection

    def listings_by_id(self, ids: Collection[int]) -> dict[int, Listing]:
        rows = self.conn.execute(select(listings).where(among(listings.c.id, list(ids))))
        return {int(r.id): _listing(r) for r in rows}

    def products_by_id(self, ids: Collection[int]) -> dict[int, Product]:
        rows = self.conn.execute(select(products).where(among(products.c.id, list(ids))))
        return {int(r.id): _product(r) for r in rows}

    def sellers_by_id(self, ids: Collection[int]) -> dict[int, Seller]:
        rows = self.conn.execute(select(sellers).where(among(sellers.c.id, list(ids))))
        return {int(r.id): _seller(r) for r in rows}

    def recent_prices_of(self, listing_ids: Collection[int], *,
                         limit: int) -> dict[int, list[int]]:
        """Listing id -> its live prices over time, oldest first, from its latest ``limit``
        applied or approved changes (a listing without any is left out)."""
        c = price_changes.c
        newest = func.row_number().over(partition_by=c.listing_id,
                                        order_by=(c.proposed_at.desc(), c.id.desc()))
        latest = (select(c.listing_id, c.old_price_minor, c.new_price_minor, newest.label("n"))
                  .where(among(c.listing_id, list(listing_ids)), c.status.in_(_TOOK_EFFECT))
                  .subquery())
        rows = self.conn.execute(select(latest).where(latest.c.n <= limit)
                                 .order_by(latest.c.listing_id, latest.c.n.desc())).all()
        out: dict[int, list[int]] = {}
        for row in rows:  # each listing's oldest of its latest first
            prices = out.setdefault(int(row.listing_id), [row.old_price_minor])
            prices.append(row.new_price_minor)
        return out

    def other_seller_prices_of(self, asked: Collection[Listing]) -> dict[int, list[int]]:
        """Listing id -> the live prices of its product's other listings in its currency,
        lowest first (every asked listing is a key)."""
        out: dict[int, list[int]] = {int(a.id): [] for a in asked}
        if not asked:
            return out
        wanted = values(column("id", BigInteger), column("product_id", BigInteger),
                        column("currency", String), name="wanted").data(
            [(a.id, a.product_id, a.price.currency) for a in asked])
        other = listings.c
        q = (select(wanted.c.id, other.price_minor)
             .select_from(wanted.join(listings, other.product_id == wanted.c.product_id))
             .where(other.id != wanted.c.id, other.currency == wanted.c.currency,
                    other.status == ListingStatus.LIVE.value)
             .order_by(wanted.c.id, other.price_minor, other.id))
        for row in self.conn.execute(q):
            out[int(row.id)].append(row.price_minor)
        return out

    def changes_moved_after(self, changes: Collection[PriceChangeRecord]) -> set[int]:
        """The ids of ``changes`` after whose proposal another change took effect on their
        listing (``MarketRepository.price_moved_after`` for each)."""
        return {change_id for _listing_id, change_id in moved_after(self.conn, changes)}

    def standing_incident_ids(self, listing_ids: Collection[int]) -> dict[int, list[int]]:
        """Listing id -> the ids of the incidents standing for its product (open, or closed
        after being declared), lowest first; a listing with none is left out."""
        asked = listings.alias("asked")
        q = (select(asked.c.id, incidents.c.id.label("incident_id")).distinct()
             .select_from(asked)
             .join(listings, listings.c.product_id == asked.c.product_id)
             .join(incident_listings, incident_listings.c.listing_id == listings.c.id)
             .join(incidents, incidents.c.id == incident_listings.c.incident_id)
             .where(among(asked.c.id, list(listing_ids)),
                    (incidents.c.status != IncidentStatus.CLOSED.value)
                    | incidents.c.declared_at.is_not(None))
             .order_by(asked.c.id, incidents.c.id))
        out: dict[int, list[int]] = {}
        for row in self.conn.execute(q):
            out.setdefault(int(row.id), []).append(int(row.incident_id))
        return out
