"""Read-only views that join what the other repositories keep apart, for the pages, the
incident status and the incident report.

The other repositories each own one aggregate (catalog, market, cases, outbox, audit log). The
screens and the report need joined or aggregated views across them — listings with product
titles, escalated cases with customers and plan deadlines, outbox counts next to the audit
log — so those queries live here, in the one layer that touches tables. Nothing here writes.

``ReadRepository`` (the unit of work's ``reads``) gathers them: the call list and the calls
made (``call_list_reads``), the agents' case lookup (``case_lookup_reads``), the incident
status and report (``incident_reads``), the operators' incident list's counts
(``incident_list_reads``), the review queue's page of cards (``review_reads``), and here the
seller's listings page and the rest.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Text, case, cast, func, null, select, text

from sagwa.adapters.db.bulk import among
from sagwa.adapters.db.call_list_reads import CallListReads
from sagwa.adapters.db.case_lookup_reads import CaseLookupReads
from sagwa.adapters.db.difference_reads import DifferenceReads
from sagwa.adapters.db.incident_list_reads import IncidentListReads
from sagwa.adapters.db.incident_reads import IncidentReads
from sagwa.adapters.db.review_reads import ReviewReads
from sagwa.adapters.db.tables import (
    audit_log,
    cases,
    contact_attempts,
    listings,
    price_changes,
    products,
)
from sagwa.domain.money import Money


@dataclass(frozen=True)
class ListingLine:
    """One row of a seller's listings page: the listing, its product title, how many of its
    price changes are held, and the latest audit action asked about for its status
    (``ReadRepository.seller_listings``' ``latest``: a paused listing's latest pause, say)."""

    id: int
    product_id: int
    title: str
    title_en: str | None
    price: Money
    status: str
    held: int
    latest_action: str | None = None


class ReadRepository(CallListReads, CaseLookupReads, DifferenceReads, IncidentReads,
                     IncidentListReads, ReviewReads):
    """Every read-only view the services use, on one connection (``uow.reads``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # pages

    def seller_listings(self, seller_id: int, *, limit: int = 500,
                        latest: Mapping[str, Collection[str]] | None = None,
                        lang: str = "ko") -> list[ListingLine]:
        """The seller's listings by product title in ``lang`` (the English title where there
        is one, as the English page shows it), each with its number of held price changes
        and, for a listing whose status ``latest`` names, the latest of that status's audit
        actions (``latest_action``: ``{"paused": pause actions}`` gives a paused listing's
        latest pause). One query, however many listings."""
        held = (select(price_changes.c.listing_id, func.count().label("n"))
                .where(price_changes.c.status == "held").group_by(price_changes.c.listing_id)
                .subquery())
        shown = (func.coalesce(func.nullif(products.c.title_en, ""), products.c.title)
                 if lang == "en" else products.c.title)
        q = (select(listings, products.c.title, products.c.title_en, held.c.n,
                    _latest_action(latest or {}).label("latest_action"))
             .join(products, products.c.id == listings.c.product_id)
             .outerjoin(held, held.c.listing_id == listings.c.id)
             .where(listings.c.seller_id == seller_id)
             .order_by(func.lower(shown), listings.c.id).limit(limit))
        return [ListingLine(r.id, r.product_id, r.title, r.title_en,
                            Money(r.price_minor, r.currency), r.status, int(r.n or 0),
                            r.latest_action)
                for r in self.conn.execute(q)]

    def guard_reasons_ko(self, listing_ids: list[int]) -> dict[str, str]:
        """The price guard's reasons on these listings' changes: English (as the audit log keeps
        them) -> the Korean stored with the same change (the latest change's, should a
        wording have changed between versions: the same on every call)."""
        if not listing_ids:
            return {}
        en, ko = price_changes.c.guard_reason_en, price_changes.c.guard_reason_ko
        q = (select(en, ko).where(price_changes.c.listing_id.in_(listing_ids), en.is_not(None),
                                  ko.is_not(None))
             .group_by(en, ko).order_by(func.max(price_changes.c.id)))
        return {r.guard_reason_en: r.guard_reason_ko for r in self.conn.execute(q)}

    def wrong_number_cases(self, case_ids: Sequence[int],
                           customer_ids: Sequence[int]) -> tuple[dict[int, int], dict[int, set[int]]]:
        """Who of ``case_ids``' and ``customer_ids``' customers has a contact attempt logged
        as ``outcome`` "wrong_number" on any of their cases: (case id -> its customer, for those
        of ``case_ids`` whose customer has one; customer id -> the cases with such an
        attempt). One query, the outcome filtered in SQL."""
        if not case_ids and not customer_ids:
            return {}, {}
        asked = cases.alias("asked")
        marked = cases.alias("marked")
        owners = select(asked.c.customer_id).where(among(asked.c.id, list(case_ids)))
        rows = self.conn.execute(
            select(marked.c.customer_id, marked.c.id).distinct()
            .join(contact_attempts, contact_attempts.c.case_id == marked.c.id)
            .where(contact_attempts.c.outcome == "wrong_number",
                   marked.c.customer_id.in_(owners)
                   | among(marked.c.customer_id, list(customer_ids)))).all()
        by_customer: dict[int, set[int]] = {}
        for customer_id, case_id in rows:
            by_customer.setdefault(int(customer_id), set()).add(int(case_id))
        if not by_customer or not case_ids:
            return {}, by_customer
        owner_of = {int(c): int(o) for c, o in self.conn.execute(
            select(cases.c.id, cases.c.customer_id).where(
                among(cases.c.id, list(case_ids)),
                among(cases.c.customer_id, list(by_customer))))}
        return owner_of, by_customer

    def database_identity(self) -> str:
        """Which database this is (name, server address and port), for caches kept in a process
        that may talk to more than one."""
        return str(self.conn.execute(text(
            "SELECT current_database() || '@' || coalesce(host(inet_server_addr()), 'socket')"
            " || ':' || coalesce(inet_server_port()::text, '')")).scalar_one())


def _latest_action(latest: Mapping[str, Collection[str]]) -> Any:
    """The listing's latest audit action among those ``latest`` names for its status (a
    correlated lookup by the ``(entity_type, entity_id)`` index, run only for those
    statuses); NULL for the others."""
    whens = [(listings.c.status == status,
              select(audit_log.c.action)
              .where(audit_log.c.entity_type == "listing",
                     audit_log.c.entity_id == cast(listings.c.id, Text),
                     audit_log.c.action.in_(list(actions)))
              .order_by(audit_log.c.seq.desc()).limit(1).scalar_subquery())
             for status, actions in latest.items() if actions]
    return case(*whens, else_=null()) if whens else cast(null(), Text)
