"""``EvidenceState.peer_stats`` looks a chunk's products up in an index of listings by product
(rebuilt only after many listings got a product; those since are looked up one by one). Fed
random prices in random chunks — listings first seen late, moved to another product, two
currencies — its answers equal a brute-force reading of every listing's latest price, with the
index rebuilt on every change, never, or in between, and the chunk's products looked up one by
one or every product counted at once."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sagwa.priceguard.state as state_module
from sagwa.priceguard.state import EvidenceState


def _brute(state: EvidenceState, listing, product, currency) -> list[tuple]:
    answers = []
    for i, (me, p) in enumerate(zip(listing.tolist(), product.tolist(), strict=True)):
        prices = sorted(
            float(state.latest[j]) for j in range(state.latest.size)
            if j != me and state.product[j] == p and not math.isnan(state.latest[j])
            and (currency is None or state.currency[j] == currency[i]))
        if prices:
            m = len(prices)
            answers.append((0.5 * (prices[(m - 1) // 2] + prices[m // 2]), m, prices[0],
                            prices[-1]))
        else:
            answers.append((math.nan, 0, math.nan, math.nan))
    return answers


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("few_products", [0, 10**9])  # every product counted / looked up
@pytest.mark.parametrize("reindex_at", [0, 3, 4_096])
def test_peer_stats_match_a_brute_force_reading(monkeypatch, reindex_at: int,
                                                few_products: int) -> None:
    monkeypatch.setattr(state_module, "_REINDEX_AT", reindex_at)
    monkeypatch.setattr(state_module, "_FEW_PRODUCTS", few_products)
    checked = 0
    for seed in range(300):
        rng = np.random.default_rng(seed)
        n_listings, n_products = int(rng.integers(1, 30)), int(rng.integers(1, 6))
        currencies = rng.random() < 0.5
        state = EvidenceState(window=4, capacity=int(rng.integers(1, 40)))
        product_of = rng.integers(0, n_products, n_listings)
        for _ in range(int(rng.integers(1, 6))):
            k = int(rng.integers(0, 12))
            listing = rng.integers(0, n_listings, k)
            if rng.random() < 0.15:  # a listing moves to another product
                product_of[listing[:1]] = rng.integers(0, n_products, listing[:1].size)
            state.observe(listing, product_of[listing], rng.integers(1, 20, k).astype(float),
                          rng.integers(0, 2, k) if currencies else None)
            q = int(rng.integers(1, 8))
            asked = rng.integers(0, n_listings + 3, q)  # some never seen
            known = np.concatenate((product_of, [0, 1, 2]))[asked]
            products = np.where(rng.random(q) < 0.8, known, rng.integers(0, n_products + 2, q))
            currency = rng.integers(0, 3, q) if currencies else None
            got = state.peer_stats(asked, products, currency)
            for i, want in enumerate(_brute(state, asked, products, currency)):
                assert all(_same(float(g[i]), float(w)) for g, w in zip(got, want, strict=True)), (
                    seed, i, [g[i] for g in got], want)
                checked += 1
    assert checked > 2_000
