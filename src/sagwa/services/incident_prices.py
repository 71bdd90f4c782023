"""Which incident, if any, a price on a listing repeats: the wrong price of an incident about
any listing of the same product (open, or closed after it was declared), a price close to it, or
one past it away from the correct price (:mod:`sagwa.domain.wrong_price_band`), is not set on
that product again (``listings.check_not_an_incidents_wrong_price``, ``promotion_end``) — the
public notice promises it for the product, and another seller's listing of it at the same
price would sell as wrongly — and a listing is not resumed at it
(``listings._check_no_incident_holds_it``). Closing an incident settles its customers, not the
price. A draft dismissed as a false alarm vouched for its price instead. After a gross mistake an
operator may narrow a closed incident's block to the band itself (:func:`narrow_price_block`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sagwa.adapters.db.incident_repo import IncidentRow
from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import require_text
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import with_particle
from sagwa.domain.wrong_price_band import WrongPriceBand, wrong_price_band
from sagwa.errors import Conflict
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class WrongPriceAgain:
    """A price that repeats the wrong price of incident ``incident_id`` (its ``band``), on
    ``listing_id``; ``incident_listing_ids``: the listings the incident is about (another
    listing of the same product when ``listing_id`` is not among them)."""

    incident_id: int
    closed: bool
    band: WrongPriceBand
    listing_id: int | None = None
    incident_listing_ids: tuple[int, ...] = ()

    @property
    def elsewhere(self) -> bool:
        """Whether the incident was about other listings of the product, not this one."""
        return (self.listing_id is not None and bool(self.incident_listing_ids)
                and self.listing_id not in self.incident_listing_ids)

    def details(self, price: Money) -> dict[str, object]:
        """What a refusal of ``price`` carries besides its reason: the incident, its wrong price,
        the prices that count as it, and ``price`` said so in Korean and English (``said_ko``,
        ``said_en``: the pages' sentences name the band with them); appended: the incident's
        listings and the prices refused (``refused_low``/``refused_high``; left out on the
        side where every price is refused)."""
        ko, en = self.sentences(price)
        low, high = self.band.refused_low, self.band.refused_high
        return {"incident_id": self.incident_id, "wrong_price": self.band.wrong.as_dict(),
                "wrong_price_low": self.band.low.as_dict(),
                "wrong_price_high": self.band.high.as_dict(), "said_ko": ko, "said_en": en,
                "incident_listing_ids": list(self.incident_listing_ids),
                "refused_low": None if low is None else low.as_dict(),
                "refused_high": None if high is None else high.as_dict()}

    def sentences(self, price: Money) -> tuple[str, str]:
        """``price`` said as the incident's wrong price, close to it or past it (Korean,
        English), and on which listing of the product the incident was when not this one."""
        n = self.incident_id
        ko_of, en_of = f"사고 #{n}", f"incident #{n}"
        if self.elsewhere:
            where = ", ".join(f"#{i}" for i in self.incident_listing_ids)
            ko_of = f"이 상품의 다른 판매({where})에서 난 {ko_of}"
            en_of = f"{en_of} (on listing {where.replace('#', '')} of the same product)"
        wrong_ko, wrong_en = (format_money(self.band.wrong, lang=lang) for lang in ("ko", "en"))
        if price == self.band.wrong:
            return f"{ko_of}의 잘못된 가격({wrong_ko})", f"the wrong price of {en_of} ({wrong_en})"
        rule_ko, rule_en = self._rule()
        if price in self.band:
            near_ko, near_en = "에 가까운 가격", "close to"
        elif price.amount_minor < self.band.wrong.amount_minor:
            near_ko, near_en = "보다 낮은 가격", "below"
        else:
            near_ko, near_en = "보다 높은 가격", "above"
        ko = f"{ko_of}의 잘못된 가격 {wrong_ko}{near_ko}({rule_ko} 같은 실수로 봅니다)"
        en = f"{near_en} {wrong_en}, the wrong price of {en_of} ({rule_en} the same mistake)"
        return ko, en

    def _rule(self) -> tuple[str, str]:
        """Which prices count as the mistake, in Korean and English."""
        low_ko, high_ko, low_en, high_en = (
            format_money(m, lang=lang) for lang in ("ko", "en")
            for m in (self.band.low, self.band.high))
        if self.band.too_low is True:
            return f"{high_ko} 이하는", f"any price up to {high_en} counts as"
        if self.band.too_low is False:
            return f"{low_ko} 이상은", f"any price from {low_en} up counts as"
        return (with_particle(f"{low_ko}~{high_ko}", "은(는)"),
                f"prices from {low_en} to {high_en} count as")


def incident_at(uow: SqlAlchemyUnitOfWork, listing_id: int, price: Money) -> WrongPriceAgain | None:
    """The incident about any listing of the product ``listing_id`` sells whose wrong price
    ``price`` repeats, if any: an open one, or a closed one that was declared
    (``standing_for_product_of``)."""
    return wrong_price_among(uow.incidents.standing_for_product_of(listing_id), price,
                             listing_id=listing_id)


def incidents_standing(uow: SqlAlchemyUnitOfWork,
                       listing_ids: Collection[int]) -> dict[int, list[IncidentRow]]:
    """Listing id -> the incidents standing for its product (``standing_for_product_of``
    for each of ``listing_ids``): one query for all, each incident read once."""
    ids = uow.reads.standing_incident_ids(listing_ids)
    rows = {i: uow.incidents.get(i) for i in sorted({i for found in ids.values() for i in found})}
    return {listing_id: [r for i in found if (r := rows[i]) is not None]
            for listing_id, found in ids.items()}


def wrong_price_among(rows: Iterable[IncidentRow], price: Money, *,
                      listing_id: int | None = None) -> WrongPriceAgain | None:
    """The first of the standing incidents ``rows`` whose wrong price ``price`` (on
    ``listing_id``) repeats: the wrong price itself, a price close to it, or one past it away
    from the correct price (``WrongPriceBand.blocks``)."""
    for row in rows:
        incident = row.incident
        band = wrong_price_band(incident.wrong_price, incident.correct_price)
        if row.band_only_at is not None:  # an operator narrowed it (narrow_price_block)
            band = band.band_only()
        if band.blocks(price):
            return WrongPriceAgain(int(incident.incident_id),
                                   incident.status is IncidentStatus.CLOSED, band, listing_id,
                                   tuple(sorted(int(i) for i in incident.listing_ids)))
    return None


@dataclass(frozen=True)
class NarrowedBlock:
    """What :func:`narrow_price_block` leaves: the incident, whether this call narrowed its
    block (False: it was narrowed already, and nothing was written again), and ``band``, the
    block as it stands now: the band around its wrong price only (``band.low`` … ``band.high``
    stay refused for good)."""

    row: IncidentRow
    narrowed: bool
    band: WrongPriceBand


def narrow_price_block(uow: SqlAlchemyUnitOfWork, *, incident_id: int, actor: str,
                       reason: str) -> NarrowedBlock:
    """Narrow closed incident ``incident_id``'s price block to the band around its wrong price:
    after a gross mistake every price past the band (away from the correct price) was refused
    on the product with no end; from now on only the band is (the wrong price and prices close
    to it stay refused for good, as the public notice promised). An operator's step, with a
    reason on the audit log; the incident must be closed (its customers settled). Returns the
    incident, whether this call narrowed it and the band that stays refused
    (:class:`NarrowedBlock`)."""
    said = require_text(reason, "reason", max_len=500)
    with uow:
        now = uow.now()
        row = require(uow.incidents.get(incident_id, for_update=True), "incident", incident_id)
        incident = row.incident
        band = wrong_price_band(incident.wrong_price, incident.correct_price)
        if row.band_only_at is not None:
            return NarrowedBlock(row, False, band.band_only())
        if incident.status is not IncidentStatus.CLOSED or incident.declared_at is None:
            raise Conflict(
                f"incident {incident_id} is {incident.status.value}: its price block can be "
                "narrowed once it is closed (its customers settled)",
                reason="incident_not_closed", incident_id=incident_id,
                status=incident.status.value)
        if band.too_low is None:
            raise Conflict(
                f"incident {incident_id}'s block is only the band around its wrong price "
                f"({format_money(band.low)} to {format_money(band.high)}) already: nothing past "
                "it is refused, and the band itself stays",
                reason="block_is_band_only", incident_id=incident_id,
                wrong_price_low=band.low.as_dict(), wrong_price_high=band.high.as_dict())
        uow.incidents.set_band_only(incident_id, now)
        uow.audit.append(AuditEvent(
            actor, "incident.price_block_narrowed", "incident", str(incident_id),
            before={"refused_low": _or_none(band.refused_low),
                    "refused_high": _or_none(band.refused_high)},
            after={"refused_low": band.low.as_dict(), "refused_high": band.high.as_dict(),
                   "reason": said}), now)
        row = require(uow.incidents.get(incident_id), "incident", incident_id)
        uow.commit()
        return NarrowedBlock(row, True, band.band_only())


def _or_none(price: Money | None) -> dict[str, object] | None:
    return None if price is None else price.as_dict()
