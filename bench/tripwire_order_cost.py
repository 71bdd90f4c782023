"""What the order tripwire costs per order, on a product with many sellers and a month of orders.

On a fresh embedded PostgreSQL (or ``SAGWA_DATABASE_URL``'s server): one product sold by
``--listings`` other listings, each with ``--orders`` orders spread over the 30 days before
(loaded with SQL, not timed); then a newcomer publishes (timed: the publish measures the other
sellers' rate for the tripwire once, ``tripwire.launch_comparison``) and ``place_order`` runs,
one transaction each, on an old listing (watched only after a price move: not watched here) and
on the newcomer on its first day (watched), alternating. Then a busy listing: ``--busy`` orders
an hour for the 30 days before a price cut 70 hours ago and since (loaded with SQL), watched
since the cut; ``place_order`` on it at the same rate (timed): what an order pays for a long
watch of a busy listing (``--cut-hours-ago``, 70 by default). Prints a table and writes a JSON result (``--json``).

    .venv/bin/python bench/tripwire_order_cost.py --listings 400 --orders 2500 --busy 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from sagwa.config import Settings
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services import catalog, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _load(db, clock: ManualClock, n_listings: int, per_listing: int) -> tuple[int, int, int]:
    """The product, one customer, and ``n_listings`` live listings with their orders."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(db.session_factory, clock)

    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="bench").id
    customer = catalog.register_customer(uow(), name="고객", email="c@example.com",
                                         actor="bench").id
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO sellers (code, name, created_at) SELECT 'bulk' || g, "
                          "'bulk' || g, :t FROM generate_series(1, :n) g"),
                     {"n": n_listings, "t": NOW - timedelta(days=90)})
        conn.execute(text("INSERT INTO listings (seller_id, product_id, price_minor, currency, "
                          "status, created_at, updated_at) SELECT id, :p, 199000, 'KRW', 'live', "
                          ":t, :t FROM sellers WHERE code LIKE 'bulk%'"),
                     {"p": product, "t": NOW - timedelta(days=60)})
        conn.execute(text(
            "INSERT INTO orders (customer_id, listing_id, quantity, unit_price_minor, currency, "
            "status, placed_at, updated_at) SELECT :c, l.id, 1, 199000, 'KRW', 'placed', "
            ":t - g * (interval '30 days' / :k), :t FROM listings l, generate_series(1, :k) g "
            "WHERE l.product_id = :p"), {"c": customer, "p": product, "k": per_listing, "t": NOW})
        conn.execute(text("ANALYZE sellers; ANALYZE listings; ANALYZE orders"))
        old = conn.execute(text("SELECT min(id) FROM listings WHERE product_id = :p"),
                           {"p": product}).scalar_one()
    return product, customer, old


def _busy_listing(db, product: int, customer: int, per_hour: int, cut_hours_ago: float) -> int:
    """A live listing that sold ``per_hour`` orders an hour for 30 days before a price cut
    ``cut_hours_ago`` hours before NOW (199,000 -> 179,000 KRW, under the list price: watched)
    and since."""
    cut = NOW - timedelta(hours=cut_hours_ago)
    with db.engine.begin() as conn:
        seller = conn.execute(text("INSERT INTO sellers (code, name, created_at) VALUES "
                                   "('busy', 'busy', :t) RETURNING id"),
                              {"t": NOW - timedelta(days=90)}).scalar_one()
        listing = conn.execute(text(
            "INSERT INTO listings (seller_id, product_id, price_minor, currency, status, "
            "created_at, updated_at) VALUES (:s, :p, 179000, 'KRW', 'live', :t, :t) "
            "RETURNING id"), {"s": seller, "p": product, "t": NOW - timedelta(days=60)}
        ).scalar_one()
        conn.execute(text(
            "INSERT INTO price_changes (listing_id, old_price_minor, new_price_minor, currency, "
            "proposed_by, proposed_at, status, decided_at) VALUES (:l, 199000, 179000, 'KRW', "
            "'seller:busy', :t, 'applied', :t)"), {"l": listing, "t": cut})
        every = timedelta(hours=1) / per_hour
        start = cut - timedelta(days=30)
        count = int((NOW - start) / every)
        conn.execute(text(
            "INSERT INTO orders (customer_id, listing_id, quantity, unit_price_minor, currency, "
            "status, placed_at, updated_at) SELECT :c, :l, 1 + (g % 3 = 0)::int, 199000, 'KRW', "
            "'placed', :s + g * :e, :s + g * :e FROM generate_series(0, :n - 1) g"),
            {"c": customer, "l": listing, "s": start, "e": every, "n": count})
        conn.execute(text("ANALYZE orders; ANALYZE price_changes"))
    return int(listing)


def run(n_listings: int, per_listing: int, rounds: int, busy: int,
        cut_hours_ago: float = 70.0) -> dict[str, object]:
    clock = ManualClock(NOW)
    with replay_server(Settings(database_url=None, data_dir=Path(tempfile.mkdtemp()))) as server, \
            fresh_database(server) as db:
        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(db.session_factory, clock)

        product, customer, old = _load(db, clock, n_listings, per_listing)
        seller = catalog.register_seller(uow(), code="newcomer", name="newcomer", actor="bench")
        # under the list price: a listing at or above it is not paused on a surge (2026-12-02),
        # and the point is the cost of the watch
        new = listings.create_listing(uow(), seller_id=seller.id, product_id=product,
                                      price=Money(179_000, "KRW"), actor="bench").id
        started = time.perf_counter()
        listings.change_listing_status(uow(), listing_id=new, trigger=ListingTrigger.PUBLISH,
                                       actor="bench")
        publish_ms = (time.perf_counter() - started) * 1000
        timings: dict[int, list[float]] = {old: [], new: []}
        for _ in range(rounds):  # alternate, so that both see the same machine
            for listing_id in (old, new):
                clock.now += timedelta(minutes=15)
                started = time.perf_counter()
                orders.place_order(uow(), customer_id=customer, listing_id=listing_id,
                                   quantity=1, actor="bench")
                timings[listing_id].append((time.perf_counter() - started) * 1000)
        busy_ms: list[float] = []
        if busy:
            hot = _busy_listing(db, product, customer, busy, cut_hours_ago)
            clock.now = NOW
            for _ in range(rounds):
                clock.now += timedelta(hours=1) / busy
                started = time.perf_counter()
                orders.place_order(uow(), customer_id=customer, listing_id=hot, quantity=1,
                                   actor="bench")
                busy_ms.append((time.perf_counter() - started) * 1000)
    busy_row = ({"busy_orders_per_hour": busy, "busy_cut_hours_ago": cut_hours_ago,
                 "order_ms_busy_watched_p50": round(statistics.median(busy_ms), 2),
                 "order_ms_busy_watched_max": round(max(busy_ms), 2)} if busy else {})
    return {"listings": n_listings, "orders_per_listing": per_listing, "rounds": rounds,
            "publish_ms": round(publish_ms, 1),
            "order_ms_old_listing_p50": round(statistics.median(timings[old]), 2),
            "order_ms_first_day_p50": round(statistics.median(timings[new]), 2),
            "order_ms_first_day_max": round(max(timings[new]), 2), **busy_row}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=400)
    parser.add_argument("--orders", type=int, default=2500, help="orders per other listing")
    parser.add_argument("--rounds", type=int, default=40, help="orders on each listing (≤ 96)")
    parser.add_argument("--busy", type=int, default=300,
                        help="orders an hour of the busy watched listing (0: leave it out)")
    parser.add_argument("--cut-hours-ago", type=float, default=70.0,
                        help="how long before the timed orders the busy listing's price was cut")
    parser.add_argument("--json", type=Path, default=Path("bench/results/tripwire_order_cost.json"))
    args = parser.parse_args()
    if not 1 <= args.rounds <= 96:  # 15 minutes apart: the newcomer stays in its first day
        parser.error("--rounds must be 1 to 96")
    result = run(args.listings, args.orders, args.rounds, args.busy, args.cut_hours_ago)
    for key, value in result.items():
        print(f"{key:28} {value}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"-> {args.json}")


if __name__ == "__main__":
    main()
