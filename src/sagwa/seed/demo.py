"""Load the demo marketplace through the real services (so every row has its audit trail).

Sellers and products come from the CSV files beside this module; customers are generated from
``names.toml``; orders are spread over the weeks before ``end`` with a clock the units of work
read, so the data looks like several weeks of trading. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import csv
import random
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.listings import Listing, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import Conflict
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings, orders
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

HERE = Path(__file__).parent
ACTOR = "seed:demo"
IPOD_SKU = "APL-IPN3-4GB"
Progress = Callable[[str, int], None]
RULES = load_rules()


@dataclass(frozen=True)
class DemoSize:
    customers: int = 2000
    orders: int = 4000
    weeks: int = 6
    #: how many of the catalogue's products (``None``: all of them; see :func:`spread_products`)
    products: int | None = None


@dataclass
class DemoSummary:
    sellers: int = 0
    products: int = 0
    listings: int = 0
    customers: int = 0
    orders: int = 0
    price_changes: int = 0
    ipod_listings: list[int] = field(default_factory=list)


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def load_demo(session_factory: sessionmaker[Session], *, size: DemoSize = DemoSize(),
              seed: int = 2008, end: datetime | None = None,
              progress: Progress | None = None) -> DemoSummary:
    rng = random.Random(seed)
    end = end or datetime.now(UTC).replace(microsecond=0)
    clock = ManualClock(end - timedelta(weeks=size.weeks, days=1))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    tick = progress or (lambda _stage, _n: None)
    summary = DemoSummary()
    seller_ids = _load_sellers(uow, tick, summary)
    products = _load_products(uow, tick, summary, size.products)
    live = _load_listings(uow, rng, seller_ids, products, tick, summary)
    customer_ids = _load_customers(uow, rng, size.customers, tick, summary)
    _trade(uow, clock, rng, live, customer_ids, size, end, tick, summary)
    return summary


def _load_sellers(uow: Callable[[], SqlAlchemyUnitOfWork], tick: Progress,
                  summary: DemoSummary) -> list[int]:
    ids = []
    for row in _rows("sellers.csv"):
        seller = catalog.register_seller(uow(), code=_slug(row["name_en"]), name=row["name_ko"],
                                         contact_email=row["contact_email"], phone=row["phone"],
                                         actor=ACTOR, idempotency_key=f"seed-seller-{row['code']}")
        ids.append(seller.id)
        tick("sellers", 1)
    summary.sellers = len(ids)
    return ids


def catalogue_size() -> int:
    """How many products the demo catalogue (``products.csv``) holds."""
    return len(_rows("products.csv"))


def spread_products(rows: list[dict[str, str]], wanted: int | None) -> list[dict[str, str]]:
    """``wanted`` of the catalogue's ``rows`` (all of them for ``None`` or more than there
    are): evenly spaced through the file, which is sorted by category, so that every kind of
    product is among them, and the iPod nano of the 2008 story always (in place of the last
    one taken when the spacing missed it). In the catalogue's order."""
    if wanted is None or wanted >= len(rows):
        return list(rows)
    if wanted < 1:
        raise ValueError(f"a demo needs at least one product, not {wanted}")
    picked = sorted({i * len(rows) // wanted for i in range(wanted)})
    ipod = next(i for i, row in enumerate(rows) if row["sku"] == IPOD_SKU)
    if ipod not in picked:
        picked = sorted({*picked[:-1], ipod})
    return [rows[i] for i in picked]


def _load_products(uow: Callable[[], SqlAlchemyUnitOfWork], tick: Progress,
                   summary: DemoSummary, wanted: int | None) -> list[tuple[int, str, str, Money]]:
    out = []
    for row in spread_products(_rows("products.csv"), wanted):
        price = Money(int(row["list_price_krw"]), "KRW")
        product = catalog.register_product(
            uow(), title=row["title_ko"], title_en=row["title_en"], category=row["category"],
            brand=row["brand"], list_price=price, gtin=row["gtin"] or None,
            isbn=row["isbn"] or None, sku=row["sku"], actor=ACTOR,
            idempotency_key=f"seed-product-{row['sku']}")
        out.append((product.id, row["sku"], row["category"], price))
        tick("products", 1)
    summary.products = len(out)
    return out


def _shelf_price(rng: random.Random, category: str, list_price: Money) -> Money:
    """Books: the fixed-book-price law allows at most 10% off; gadgets vary more."""
    if category.startswith("books/"):
        factor = rng.choice([1.0, 0.9, 0.9, 0.9])
    else:
        factor = rng.choice([1.0, 0.97, 0.95, 0.93, 0.9, 0.88, 0.85])
    step = 100 if list_price.amount_minor < 100_000 else 1000
    if category.startswith("books/"):  # rounded up: never below the law's (and the guard's) floor
        amount = max(step, -(-int(list_price.amount_minor * factor) // step) * step)
    else:
        amount = max(step, round(list_price.amount_minor * factor / step) * step)
    return Money(amount, "KRW")


def _load_listings(uow: Callable[[], SqlAlchemyUnitOfWork], rng: random.Random,
                   seller_ids: list[int], products: list[tuple[int, str, str, Money]],
                   tick: Progress, summary: DemoSummary) -> list[Listing]:
    live = []
    for product_id, sku, category, list_price in products:
        count = 4 if sku == IPOD_SKU else rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]
        for seller_id in rng.sample(seller_ids, count):
            listing = listings.create_listing(
                uow(), seller_id=seller_id, product_id=product_id,
                price=_shelf_price(rng, category, list_price), actor=ACTOR,
                idempotency_key=f"seed-listing-{seller_id}-{product_id}")
            listing = listings.change_listing_status(uow(), listing_id=listing.id,
                                                     trigger=ListingTrigger.PUBLISH, actor=ACTOR)
            live.append(listing)
            if sku == IPOD_SKU:
                summary.ipod_listings.append(listing.id)
            tick("listings", 1)
    summary.listings = len(live)
    return live


def _names(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    data = tomllib.loads((HERE / "names.toml").read_text(encoding="utf-8"))
    surnames = data["surnames"]
    weights = [s["weight"] for s in surnames]
    syllables = data["given_syllables"]
    english = data["english_given_names"]
    while True:
        surname = rng.choices(surnames, weights=weights)[0]
        if rng.random() < 0.08:
            given = rng.choice(english)
            yield f"{given} {surname['roman']}", given.lower(), "en"
        else:
            given = "".join(rng.sample(syllables, 2))
            yield surname["name"] + given, surname["roman"].lower(), "ko"


def _load_customers(uow: Callable[[], SqlAlchemyUnitOfWork], rng: random.Random, count: int,
                    tick: Progress, summary: DemoSummary) -> list[int]:
    ids = []
    names = _names(rng)
    domains = tomllib.loads((HERE / "names.toml").read_text(encoding="utf-8"))["email_domains"]
    for n in range(count):
        name, handle, locale = next(names)
        phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"
        email = f"{handle}{n + 1:05d}@{rng.choice(domains)}"
        customer = catalog.register_customer(uow(), name=name, email=email, phone=phone,
                                             locale=locale, actor=ACTOR)
        ids.append(customer.id)
        tick("customers", 1)
    summary.customers = len(ids)
    return ids


def _trade(uow: Callable[[], SqlAlchemyUnitOfWork], clock: ManualClock, rng: random.Random,
           live: list[Listing], customer_ids: list[int], size: DemoSize, end: datetime,
           tick: Progress, summary: DemoSummary) -> None:
    """Orders (and now and then a seller's price change) in time order over the weeks."""
    start = clock.now
    span = (end - start).total_seconds()
    popularity = [rng.paretovariate(1.2) for _ in live]
    stamps = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(size.orders))
    prices = {item.id: item.price for item in live}
    for n, stamp in enumerate(stamps):
        clock.now = stamp
        listing = rng.choices(live, weights=popularity)[0]
        if n % 40 == 39:
            _reprice(uow, rng, listing, prices, n, summary)
        orders.place_order(uow(), customer_id=rng.choice(customer_ids), listing_id=listing.id,
                           quantity=rng.choices([1, 2, 3], weights=[85, 12, 3])[0], actor=ACTOR)
        summary.orders += 1
        tick("orders", 1)


def _reprice(uow: Callable[[], SqlAlchemyUnitOfWork], rng: random.Random, listing: Listing,
             prices: dict[int, Money], n: int, summary: DemoSummary) -> None:
    old = prices[listing.id]
    step = 100 if old.amount_minor < 100_000 else 1000
    new_amount = round(old.amount_minor * rng.choice([0.95, 0.97, 1.03, 1.05]) / step) * step
    if new_amount <= 0 or new_amount == old.amount_minor:
        return
    new = Money(new_amount, old.currency)
    change = listings.propose_price_change(uow(), listing_id=listing.id, new_price=new,
                                           proposed_by=f"seller:{listing.seller_id}",
                                           gate=guard_gate(RULES),
                                           idempotency_key=f"seed-reprice-{n}")
    if change.status is PriceChangeStatus.APPLIED:
        prices[listing.id] = new
    summary.price_changes += 1


def database_is_empty(session_factory: sessionmaker[Session]) -> bool:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        return u.catalog.counts()["sellers"] == 0


def check_demo_allowed(environment: str) -> None:
    """Refuse the demo in production (:class:`Conflict`, ``demo_in_production``): its logins'
    passwords are public, and its shop, customers and orders are made up."""
    if environment == "production":
        raise Conflict("SAGWA_ENVIRONMENT is production: the demo is not loaded there (its "
                       "logins' passwords are public, so anyone could sign in with them, and "
                       "its shop, customers and orders are made up); load it on a development "
                       "database", reason="demo_in_production")
