"""An operator narrows a closed incident's price block to its band
(``incident_prices.narrow_price_block``): after a gross mistake (19,900 for a correct 199,000)
every price up to the band's top (21,890) was refused on the product for good, so the product
could never be sold below 21,890 again — not in a clearance years later. Narrowed, only the
band stays refused (the wrong price and prices close to it, as the notice promised)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_desk_declare import RIGHT, WRONG, market  # noqa: F401  (market is the fixture)

from sagwa.adapters.db.tables import audit_log
from sagwa.domain.money import Money
from sagwa.errors import Conflict, InvalidInput
from sagwa.services import desk, listings
from sagwa.services.incident_prices import narrow_price_block

SEOUL = ZoneInfo("Asia/Seoul")


def _declared(uow, listing_id: int, *, correct: Money = RIGHT):  # type: ignore[no-untyped-def]
    return desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG,
                        correct_price=correct, cause="90% event as the price",
                        responsible="seller", actor="op",
                        window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)).incident


def _closed(uow, listing_id: int, *, correct: Money = RIGHT) -> int:  # type: ignore[no-untyped-def]
    incident = _declared(uow, listing_id, correct=correct)
    desk.scope(uow(), incident_id=incident.incident_id, actor="op")  # nobody ordered
    desk.close(uow(), incident_id=incident.incident_id, actor="op", reason="nobody affected")
    return int(incident.incident_id)


def _refused(uow, listing_id: int, price: Money) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict) as refused:
        listings.propose_price_change(uow(), listing_id=listing_id, new_price=price,
                                      proposed_by="s")
    return str(refused.value.details["reason"])


def test_narrowed_only_the_band_is_refused_on_every_listing_of_the_product(market) -> None:  # noqa: F811
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    iid = _closed(uow, first)
    clearance = Money(15_000, "KRW")
    assert _refused(uow, second, clearance) == "price_is_incident_wrong_price"  # past the band
    done = narrow_price_block(uow(), incident_id=iid, actor="admin",
                              reason="2년 지난 재고 정리: 정가 인하")
    assert done.narrowed and done.row.band_only_at == clock.now
    # the band that stays refused, as the API and the CLI say it
    assert (done.band.low, done.band.high) == (Money(18_091, "KRW"), Money(21_890, "KRW"))
    for listing_id in (first, second):
        listings.propose_price_change(uow(), listing_id=listing_id, new_price=clearance,
                                      proposed_by="s")
        for price in (WRONG, Money(18_091, "KRW"), Money(21_890, "KRW")):  # the band stays
            assert _refused(uow, listing_id, price) == "price_is_incident_wrong_price"
    with pytest.raises(Conflict) as refused:
        listings.propose_price_change(uow(), listing_id=first, new_price=WRONG, proposed_by="s")
    details = refused.value.details
    assert details["refused_low"] == Money(18_091, "KRW").as_dict()  # said as the band now
    assert details["refused_high"] == Money(21_890, "KRW").as_dict()
    assert "19,900원에 가까운 가격" not in details["said_ko"]  # the exact price: said as itself
    listings.propose_price_change(uow(), listing_id=first, new_price=Money(18_000, "KRW"),
                                  proposed_by="s")  # just under the band: the seller's price
    with uow() as u:
        [entry] = u.conn.execute(select(audit_log).where(
            audit_log.c.action == "incident.price_block_narrowed")).all()
    assert (entry.actor, entry.entity_id) == ("admin", str(iid))
    assert entry.before == {"refused_low": None, "refused_high": Money(21_890, "KRW").as_dict()}
    assert entry.after["reason"] == "2년 지난 재고 정리: 정가 인하"


def test_narrowing_again_changes_nothing_and_writes_nothing(market) -> None:  # noqa: F811
    uow, clock, (first, _, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    iid = _closed(uow, first)
    once = narrow_price_block(uow(), incident_id=iid, actor="admin", reason="clearance")
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    again = narrow_price_block(uow(), incident_id=iid, actor="admin", reason="again")
    assert not again.narrowed and again.row.band_only_at == once.row.band_only_at
    assert again.band == once.band
    with uow() as u:
        assert len(u.conn.execute(select(audit_log).where(
            audit_log.c.action == "incident.price_block_narrowed")).all()) == 1


def test_an_open_incident_a_small_slip_and_an_empty_reason_are_refused(market) -> None:  # noqa: F811
    uow, clock, (first, second, _) = market
    clock.now = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=first, new_price=RIGHT, proposed_by="s")
    open_one = _declared(uow, first)
    with pytest.raises(Conflict) as refused:
        narrow_price_block(uow(), incident_id=int(open_one.incident_id), actor="admin",
                           reason="too early")
    assert refused.value.details["reason"] == "incident_not_closed"
    with pytest.raises(InvalidInput) as empty:
        narrow_price_block(uow(), incident_id=int(open_one.incident_id), actor="admin",
                           reason="  ")
    assert empty.value.details["reason"] == "text_missing"
    # a small slip (19,900 for 21,000) blocks only its band already
    listings.propose_price_change(uow(), listing_id=second, new_price=RIGHT, proposed_by="s")
    slip = _closed(uow, second, correct=Money(21_000, "KRW"))
    with pytest.raises(Conflict) as band_only:
        narrow_price_block(uow(), incident_id=slip, actor="admin", reason="nothing to narrow")
    assert band_only.value.details["reason"] == "block_is_band_only"
