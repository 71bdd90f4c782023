"""How staff know a listing when an incident names it: the product's title, the seller's name
and the listing's status now — not only its number. Read inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class ListingName:
    """One listing as the incident pages and ``sagwa incident list`` name it."""

    listing_id: int
    title: str
    title_en: str | None
    seller: str
    status: str

    def title_in(self, lang: str) -> str:
        """The product's title in ``lang`` (the Korean one when it has no English one)."""
        return (self.title_en or self.title) if lang == "en" else self.title

    def as_dict(self) -> dict[str, object]:
        return {"id": self.listing_id, "title": self.title, "title_en": self.title_en,
                "seller": self.seller, "status": self.status}


def listing_names(uow: SqlAlchemyUnitOfWork, listing_ids: Iterable[int]) -> dict[int, ListingName]:
    """The listings by id, inside ``uow`` (already entered); a listing that is gone is missing."""
    return {int(r.listing_id): ListingName(int(r.listing_id), r.title, r.title_en, r.seller,
                                           str(r.status))
            for r in uow.reads.listing_names(listing_ids)}
