"""Synthetic price changes for the guard benchmarks: listings, history, changes with errors.

Not a test fixture: a generator whose shape (promotions, returns, injected ×10ⁿ errors) is close
enough to a marketplace's to time the guard on millions of rows without reading files.
"""

from __future__ import annotations

import numpy as np

from sagwa.priceguard import PriceColumns


def synthetic_columns(
    n: int, n_listings: int, seed: int
) -> tuple[PriceColumns, np.ndarray, np.ndarray]:
    """``n`` changes over ``n_listings`` listings: columns, listing ids, product ids."""
    rng = np.random.default_rng(seed)
    listing = rng.integers(0, n_listings, n)
    product = listing // 8
    base = np.exp(rng.normal(7.5, 1.2, n_listings)).round()  # regular price per listing
    old = base[listing] * np.exp(rng.normal(0, 0.05, n))
    move = np.exp(rng.normal(0, 0.25, n))
    promo = rng.random(n) < 0.25
    move = np.where(promo, rng.uniform(0.3, 0.9, n), move)
    error = rng.random(n) < 0.05
    move = np.where(error, rng.choice([0.1, 0.01, 10.0, 1 / 36, 1350.0], n), move)
    nan = np.full(n, np.nan)
    peer = np.where(rng.random(n) < 0.8, base[listing] * np.exp(rng.normal(0, 0.1, n)), nan)
    cols = PriceColumns(
        new=np.maximum((old * move).round(), 1.0),
        old=old.round(),
        recent_median=np.where(rng.random(n) < 0.9, base[listing], nan),
        peer_median=peer,
        peer_low=peer * 0.8,
        peer_high=peer * 1.25,
        peer_count=np.where(np.isnan(peer), 0.0, 7.0),
        list_price=np.where(rng.random(n) < 0.3, base[listing] * 1.3, nan),
        promotion_pct=np.where(promo & (rng.random(n) < 0.5), np.round((1 - move) * 100), nan),
        max_depth_pct=np.full(n, 80.0),
        minor_per_major=np.where(rng.random(n) < 0.5, 1.0, 100.0),
        penny_minor=np.ones(n),
        floor=nan,
        ceiling=nan,
        list_floor=nan,
        # a third of the listings in a streak of 1-8 moves that started up to ~2x away
        streak_start=np.where(rng.random(n) < 0.33, old * np.exp(rng.normal(0, 0.4, n)), nan),
        streak_moves=rng.integers(1, 9, n).astype(np.float64),
    )
    return cols, listing.astype(np.int64), product.astype(np.int64)
