"""The marketplace of June 2008 for the replay: the iPod nano and the people who ordered it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
#: Thursday 12 June 2008, the afternoon the wrong price went live (not a holiday).
PRICE_CHANGED_AT = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
LIST_PRICE = Money(199_000, "KRW")
WRONG_PRICE = Money(19_900, "KRW")
ACTOR = "replay"
#: The 2008 rush: about 300 orders in the four hours from 14:00 until the seller noticed (75 an
#: hour). A replay with fewer customers keeps that pace (a shorter rush, not a thinner one:
#: 10 customers spread over four hours is an ordinary promotion's afternoon, which the tripwire
#: rightly leaves alone); one with more fits them into the same afternoon.
RUSH_PER_HOUR = 75.0
RUSH_HOURS = 4.0


@dataclass(frozen=True)
class Market:
    uow: Callable[[], SqlAlchemyUnitOfWork]
    clock: ManualClock
    session_factory: sessionmaker[Session]
    listing_id: int
    seller_code: str
    customer_ids: list[int]


def build_market(session_factory: sessionmaker[Session], *, customers: int,
                 seed: int = 2008) -> Market:
    """The iPod nano at four sellers for weeks before, and the customers who will order it."""
    rng = random.Random(seed)
    clock = ManualClock(PRICE_CHANGED_AT - timedelta(days=35))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(
        uow(), title="애플 아이팟 나노 3세대 4GB 실버", category="electronics/mp3",
        title_en="Apple iPod nano (3rd generation) 4GB Silver", brand="Apple",
        list_price=LIST_PRICE, actor=ACTOR)
    shops = [("haneul-digital", "하늘디지털", 199_000), ("bookmaru", "북마루", 189_000),
             ("digital-plaza", "디지털프라자", 195_000), ("gadget-house", "가젯하우스", 193_000)]
    listing_id = 0
    for code, name, price in shops:
        seller = catalog.register_seller(uow(), code=code, name=name, actor=ACTOR,
                                         contact_email=f"{code}@example.com")
        listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                          price=Money(price, "KRW"), actor=ACTOR)
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor=ACTOR)
        listing_id = listing_id or listing.id
    people = []
    for n in range(customers):
        english = rng.random() < 0.1
        name = f"Customer {n + 1}" if english else f"고객{n + 1:03d}"
        people.append(catalog.register_customer(
            uow(), name=name, email=f"buyer{n + 1:04d}@example.com",
            phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
            locale="en" if english else "ko", actor=ACTOR).id)
    _ordinary_weeks(uow, clock, rng, listing_id, people)
    return Market(uow, clock, session_factory, listing_id, shops[0][0], people)


def _ordinary_weeks(uow: Callable[[], SqlAlchemyUnitOfWork], clock: ManualClock,
                    rng: random.Random, listing_id: int, people: list[int]) -> None:
    """A month of ordinary sales at the right price (about two a day): the listing's normal rate."""
    moment = clock.now
    while True:
        moment += timedelta(hours=rng.expovariate(1 / 12))
        if moment >= PRICE_CHANGED_AT - timedelta(hours=1):
            break
        clock.now = moment
        orders.place_order(uow(), customer_id=rng.choice(people), listing_id=listing_id,
                           quantity=1, actor="customer")


def rush_hours(customers: int) -> float:
    """How long the afternoon rush of ``customers`` buyers lasts: at 2008's pace or faster,
    never past the four hours before the seller noticed."""
    return min(RUSH_HOURS, customers / RUSH_PER_HOUR)


def order_surge(rng: random.Random, start: datetime, customers: list[int],
                hours: float) -> list[tuple[datetime, int, int]]:
    """(time, customer, quantity): the afternoon rush, 1-2 units each, in time order."""
    out = [(start + timedelta(seconds=rng.random() * hours * 3600), cid,
            rng.choices([1, 2], weights=[70, 30])[0]) for cid in customers]
    return sorted(out)
