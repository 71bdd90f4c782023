"""Single-check latency of the price guard: in-process and over HTTP, side by side.

    .venv/bin/python bench/guard_http.py [--requests 1000] [--customers 500] [--orders 1000]

Loads the demo marketplace into a throwaway embedded PostgreSQL (or the server in
``SAGWA_DATABASE_URL``), issues the demo seller a bearer token, serves the app with uvicorn on a
loopback port, and asks the guard about ``--requests`` varied price changes on the seller's own
listings (every 10th a 90%-off slip, a few with a declared promotion) in four ways, interleaved
so load drifts hit all of them alike:

  core      ``check_one`` on evidence gathered once beforehand (the pure decision + reasons)
  service   ``price_review.check_price_change``: one transaction that reads the listing, its
            recent prices and the other sellers' prices, then ``check_one``
  HTTP      ``POST /api/price-changes/check`` over a keep-alive connection (auth, validation,
            the service, JSON) — what a seller's tool sees
  healthz   ``GET /healthz`` over the same connection: the HTTP + framework floor

and, after them, ``check_one`` on the same evidence back to back (warm caches, as
``bench/guard_throughput.py`` measures it): interleaved with the database and HTTP work, the
core runs with cold caches and takes several times longer.

Prints p50 / p95 / p99 per way and writes bench/results/guard_http_embedded.json (or
``guard_http_external.json`` with ``SAGWA_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select

from sagwa.adapters.db.tables import listings
from sagwa.config import Settings
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.priceguard import check_one, load_rules
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.seed.accounts import create_demo_accounts, demo_seller_id
from sagwa.seed.demo import DemoSize, load_demo
from sagwa.services import accounts, price_review
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

RESULTS = Path(__file__).resolve().parent / "results"


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000.0 for s in samples_s)

    def at(q: float) -> float:
        return round(ms[min(len(ms) - 1, int(q * len(ms)))], 3)

    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "n": len(ms),
    }


def proposals(own: list[tuple[int, int]], n: int) -> list[dict[str, Any]]:
    """Varied checks: small moves, a 90%-off slip every 10th, a declared 20% promotion that
    the new price matches every 7th (the other 10ths keep their slip)."""
    out = []
    for i in range(n):
        listing_id, price = own[i % len(own)]
        factor = 0.1 if i % 10 == 0 else (0.8, 0.95, 1.05, 1.2, 0.7)[i % 5]
        if i % 7 == 0 and i % 10:
            factor = 0.8
        body: dict[str, Any] = {
            "listing_id": listing_id,
            "new_price": {
                "amount_minor": max(10, int(price * factor) // 10 * 10),
                "currency": "KRW",
            },
        }
        if i % 7 == 0:
            body["promotion"] = {"percent": 20.0}
        out.append(body)
    return out


class Server:
    """The app under uvicorn on a loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def run(size: DemoSize, n: int) -> dict[str, Any]:
    settings = Settings(
        database_url=os.environ.get("SAGWA_DATABASE_URL"),
        data_dir=Path(tempfile.mkdtemp()),
        environment="test",
    )
    rules = load_rules()
    with replay_server(settings) as server, fresh_database(server) as db:
        load_demo(db.session_factory, size=size)
        seller_id = demo_seller_id(db.session_factory)
        assert seller_id is not None
        create_demo_accounts(db.session_factory, seller_id=seller_id)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(db.session_factory)

        token = accounts.issue_api_token(uow(), username="seller", name="bench", actor="bench")
        with uow() as u:
            own = [
                (r.id, r.price_minor)
                for r in u.conn.execute(
                    select(listings.c.id, listings.c.price_minor)
                    .where(listings.c.seller_id == seller_id)
                    .order_by(listings.c.id)
                ).all()
            ]
        bodies = proposals(own, n)
        evidence = []
        for body in bodies:
            with uow() as u:
                listing = u.market.listing(body["listing_id"])
                assert listing is not None
                promo = Promotion(20.0) if "promotion" in body else None
                evidence.append(
                    price_review.gather_evidence(
                        u, listing, Money(body["new_price"]["amount_minor"], "KRW"), promo
                    )
                )
        times: dict[str, list[float]] = {
            "core": [],
            "service": [],
            "http": [],
            "healthz": [],
            "core (back to back)": [],
        }
        held = 0
        app = create_app(settings, database=db)
        with (
            Server(app) as base,
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client,
        ):
            for body in bodies[:50]:  # warm-up: connections, caches, Kiwi-free paths
                client.post("/api/price-changes/check", json=body).raise_for_status()
            for body, ev in zip(bodies, evidence, strict=True):
                t = time.perf_counter()
                check_one(ev, rules)
                times["core"].append(time.perf_counter() - t)
                promo = Promotion(20.0) if "promotion" in body else None
                t = time.perf_counter()
                price_review.check_price_change(
                    uow(),
                    listing_id=body["listing_id"],
                    rules=rules,
                    promotion=promo,
                    new_price=Money(body["new_price"]["amount_minor"], "KRW"),
                )
                times["service"].append(time.perf_counter() - t)
                t = time.perf_counter()
                response = client.post("/api/price-changes/check", json=body)
                times["http"].append(time.perf_counter() - t)
                response.raise_for_status()
                held += response.json()["verdict"] == "hold"
                t = time.perf_counter()
                # 503 "degraded" here: no worker is alive (none runs in this process)
                assert client.get("/healthz").status_code in (200, 503)
                times["healthz"].append(time.perf_counter() - t)
        for _ in range(5):  # the same evidence back to back: warm caches, nothing in between
            for ev in evidence:
                t = time.perf_counter()
                check_one(ev, rules)
                times["core (back to back)"].append(time.perf_counter() - t)
    return {
        "requests": n,
        "held": held,
        "listings": len(own),
        "database": "external" if settings.database_url else "embedded",
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg": os.getloadavg(),
            "python": platform.python_version(),
        },
        "ways": {k: percentiles(v) for k, v in times.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--orders", type=int, default=1000)
    args = parser.parse_args()
    data = run(DemoSize(customers=args.customers, orders=args.orders), args.requests)
    print(
        f"{data['requests']} checks over {data['listings']} of the demo seller's listings "
        f"({data['held']} held), {data['database']} PostgreSQL, "
        f"load {data['machine']['load_avg'][0]:.1f}"
    )
    print(f"{'way':<20} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for way, row in data["ways"].items():
        print(f"{way:<20} {row['p50_ms']:>8.3f} {row['p95_ms']:>8.3f} {row['p99_ms']:>8.3f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"guard_http_{data['database']}.json"
    out.write_text(json.dumps(data, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
