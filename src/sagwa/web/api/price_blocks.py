"""``POST /api/incidents/{id}/price-block/narrow``: an operator narrows a closed incident's
price block to the band around its wrong price (``services.incident_prices``)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sagwa.services.incident_prices import narrow_price_block
from sagwa.web.deps import ADMIN, Actor, Uow
from sagwa.web.schemas import Body, MoneyIO

router = APIRouter(prefix="/api", tags=["incident desk"])


class NarrowRequest(Body):
    reason: str = Field(min_length=1, max_length=500, examples=["2년 지난 재고 정리"])


class PriceBlockPublic(BaseModel):
    incident_id: int
    #: False: it was narrowed already (nothing written again).
    narrowed: bool
    refused_low: MoneyIO
    refused_high: MoneyIO
    band_only_at: datetime | None


@router.post("/incidents/{incident_id}/price-block/narrow", response_model=PriceBlockPublic,
             dependencies=[ADMIN])
def narrow(incident_id: int, body: NarrowRequest, uow: Uow, actor: Actor) -> PriceBlockPublic:
    """After a gross mistake (at most half, or at least twice, the correct price) every price
    past the band around the wrong price is refused on the incident's product, with no end.
    Once the incident is closed, an operator may let those prices be set again: only the band
    (`refused_low` … `refused_high`: the wrong price and prices close to it) stays refused.
    The same call again changes nothing (`narrowed`: false). Refused with
    `incident_not_closed` before the incident is closed, and `block_is_band_only` after a
    small slip, whose block is only its band already."""
    done = narrow_price_block(uow(), incident_id=incident_id, actor=actor, reason=body.reason)
    return PriceBlockPublic(incident_id=incident_id, narrowed=done.narrowed,
                            refused_low=MoneyIO.of(done.band.low),
                            refused_high=MoneyIO.of(done.band.high),
                            band_only_at=done.row.band_only_at)
