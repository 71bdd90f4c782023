"""Which incident, if any, is about a listing at a given price: the wrong price of an incident
about a listing (open, or closed after it was declared), or a price close to it
(:mod:`sagwa.domain.wrong_price_band`), is not set on that listing again
(``listings.check_not_an_incidents_wrong_price``, ``promotion_end``), as the listing is not
resumed at it (``listings._check_no_incident_holds_it``). Closing an incident settles its
customers, not the price. A draft dismissed as a false alarm vouched for its price instead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sagwa.adapters.db.incident_repo import IncidentRow
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import with_particle
from sagwa.domain.wrong_price_band import WrongPriceBand, wrong_price_band
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class WrongPriceAgain:
    """A price that repeats the wrong price of incident ``incident_id`` (its ``band``)."""

    incident_id: int
    closed: bool
    band: WrongPriceBand

    def details(self, price: Money) -> dict[str, object]:
        """What a refusal of ``price`` carries besides its reason: the incident, its wrong price,
        the prices that count as it, and ``price`` said so in Korean and English (``said_ko``,
        ``said_en``: the pages' sentences name the band with them)."""
        ko, en = self.sentences(price)
        return {"incident_id": self.incident_id, "wrong_price": self.band.wrong.as_dict(),
                "wrong_price_low": self.band.low.as_dict(),
                "wrong_price_high": self.band.high.as_dict(), "said_ko": ko, "said_en": en}

    def sentences(self, price: Money) -> tuple[str, str]:
        """``price`` said as the incident's wrong price or as close to it (Korean, English)."""
        n = self.incident_id
        wrong_ko, wrong_en = (format_money(self.band.wrong, lang=lang) for lang in ("ko", "en"))
        if price == self.band.wrong:
            return f"사고 #{n}의 잘못된 가격({wrong_ko})", f"the wrong price of incident #{n} ({wrong_en})"
        low_ko, high_ko, low_en, high_en = (
            format_money(m, lang=lang) for lang in ("ko", "en")
            for m in (self.band.low, self.band.high))
        span_ko = with_particle(f"{low_ko}~{high_ko}", "은(는)")
        ko = f"사고 #{n}의 잘못된 가격 {wrong_ko}에 가까운 가격({span_ko} 같은 실수로 봅니다)"
        en = (f"close to {wrong_en}, the wrong price of incident #{n} (prices from {low_en} "
              f"to {high_en} count as the same mistake)")
        return ko, en


def incident_at(uow: SqlAlchemyUnitOfWork, listing_id: int, price: Money) -> WrongPriceAgain | None:
    """The incident about ``listing_id`` whose wrong price ``price`` repeats, if any: an open
    one, or a closed one that was declared (``standing_for_listing``)."""
    return wrong_price_among(uow.incidents.standing_for_listing(listing_id), price)


def wrong_price_among(rows: Iterable[IncidentRow], price: Money) -> WrongPriceAgain | None:
    """The first of a listing's standing incidents whose wrong price ``price`` repeats (the
    wrong price itself or a price close to it)."""
    for row in rows:
        incident = row.incident
        band = wrong_price_band(incident.wrong_price, incident.correct_price)
        if price in band:
            return WrongPriceAgain(int(incident.incident_id),
                                   incident.status is IncidentStatus.CLOSED, band)
    return None
