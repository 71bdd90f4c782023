"""Read-only views that join what the other repositories keep apart, for the pages, the
incident status and the incident report.

The other repositories each own one aggregate (catalog, market, cases, outbox, audit log). The
screens and the report need joined or aggregated views across them — listings with product
titles, escalated cases with customers and plan deadlines, outbox counts next to the audit
log — so those queries live here, in the one layer that touches tables. Nothing here writes.

``ReadRepository`` (the unit of work's ``reads``) gathers them: the call list and the calls
made (``call_list_reads``), the agents' case lookup (``case_lookup_reads``), the incident
status and report (``incident_reads``), and here the seller's listings page and the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, text

from sagwa.adapters.db.call_list_reads import CallListReads
from sagwa.adapters.db.case_lookup_reads import CaseLookupReads
from sagwa.adapters.db.incident_reads import IncidentReads
from sagwa.adapters.db.tables import listings, price_changes, products
from sagwa.domain.money import Money


@dataclass(frozen=True)
class ListingLine:
    """One row of a seller's listings page: the listing, its product title and held changes."""

    id: int
    product_id: int
    title: str
    title_en: str | None
    price: Money
    status: str
    held: int


class ReadRepository(CallListReads, CaseLookupReads, IncidentReads):
    """Every read-only view the services use, on one connection (``uow.reads``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # pages

    def seller_listings(self, seller_id: int, *, limit: int = 500) -> list[ListingLine]:
        """The seller's listings by product title, each with its number of held price changes."""
        held = (select(price_changes.c.listing_id, func.count().label("n"))
                .where(price_changes.c.status == "held").group_by(price_changes.c.listing_id)
                .subquery())
        q = (select(listings, products.c.title, products.c.title_en, held.c.n)
             .join(products, products.c.id == listings.c.product_id)
             .outerjoin(held, held.c.listing_id == listings.c.id)
             .where(listings.c.seller_id == seller_id).order_by(products.c.title).limit(limit))
        return [ListingLine(r.id, r.product_id, r.title, r.title_en,
                            Money(r.price_minor, r.currency), r.status, int(r.n or 0))
                for r in self.conn.execute(q)]

    def guard_reasons_ko(self, listing_ids: list[int]) -> dict[str, str]:
        """The price guard's reasons on these listings' changes: English (as the audit log keeps
        them) -> the Korean stored with the same change."""
        if not listing_ids:
            return {}
        q = (select(price_changes.c.guard_reason_en, price_changes.c.guard_reason_ko)
             .where(price_changes.c.listing_id.in_(listing_ids),
                    price_changes.c.guard_reason_en.is_not(None),
                    price_changes.c.guard_reason_ko.is_not(None)).distinct())
        return {r.guard_reason_en: r.guard_reason_ko for r in self.conn.execute(q)}

    def database_identity(self) -> str:
        """Which database this is (name, server address and port), for caches kept in a process
        that may talk to more than one."""
        return str(self.conn.execute(text(
            "SELECT current_database() || '@' || coalesce(host(inet_server_addr()), 'socket')"
            " || ':' || coalesce(inet_server_port()::text, '')")).scalar_one())
