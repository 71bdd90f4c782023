"""What the review queue's change cards show of their listings, read for a whole page at once:
the guard's evidence (product, seller, other sellers' prices, recent prices; as
:func:`~sagwa.services.price_review.gather_evidence` reads it for one listing, without the
streak) and whether approving needs a reason
(:func:`~sagwa.services.price_review.approval_rule_in`). A handful of queries for the page,
however many cards: read card by card, each cost about ten."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditRecord
from sagwa.domain.catalog import Product, Seller
from sagwa.domain.listings import Listing
from sagwa.domain.money import Money
from sagwa.domain.price_moves import first_price_reference
from sagwa.domain.pricing import Promotion
from sagwa.priceguard import ChangeEvidence
from sagwa.services.listing_holds import (
    ON_SALE_ACTIONS,
    judged_as_first_price_since,
    list_price_in,
)
from sagwa.services.lookups import require
from sagwa.services.price_review import (
    RECENT_PRICES,
    EvidenceReads,
    approval_rule,
    evidence_of,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class CardReads:
    """A page of listings' reads, by id: products, sellers, the other sellers' live prices
    and the recent live prices of each listing, and each listing's first publish or release
    on the audit log."""

    products: dict[int, Product]
    sellers: dict[int, Seller]
    others: dict[int, list[int]]
    recent: dict[int, list[int]]
    on_sale: dict[int, AuditRecord]

    def evidence(self, listing: Listing, new_price: Money,
                 promotion: Promotion | None) -> ChangeEvidence:
        """``gather_evidence(uow, listing, new_price, promotion, streak=False)``."""
        product = require(self.products.get(listing.product_id), "product", listing.product_id)
        return evidence_of(listing, new_price, promotion, EvidenceReads(
            product, self.sellers.get(listing.seller_id), self.others[listing.id],
            self.recent.get(listing.id, [])))

    def approval_rule(self, uow: SqlAlchemyUnitOfWork, change: PriceChangeRecord,
                      listing: Listing) -> str | None:
        """``approval_rule_in(uow, change, listing)`` (a listing with no publish or release on
        its audit log is still looked up, as there)."""
        if not judged_as_first_price_since(uow, listing, change.proposed_at,
                                           self.on_sale.get(listing.id)):
            return approval_rule(change)
        known = list_price_in(self.products.get(listing.product_id), listing.price.currency)
        reference = first_price_reference(known, [] if known else self.others[listing.id])
        return approval_rule(change, first_price=True, reference=reference)


def read_cards(uow: SqlAlchemyUnitOfWork, listings: Collection[Listing]) -> CardReads:
    """:class:`CardReads` of ``listings``, inside ``uow`` (already entered)."""
    by_id = {int(listing.id): listing for listing in listings}
    ids = sorted(by_id)
    first = uow.audit.of_entities("listing", [str(i) for i in ids], *ON_SALE_ACTIONS)
    return CardReads(
        uow.reads.products_by_id({listing.product_id for listing in by_id.values()}),
        uow.reads.sellers_by_id({listing.seller_id for listing in by_id.values()}),
        uow.reads.other_seller_prices_of(list(by_id.values())),
        uow.reads.recent_prices_of(ids, limit=RECENT_PRICES),
        {int(entity): entries[0] for entity, entries in first.items()})
