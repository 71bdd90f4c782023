"""Streaming evidence state: what the guard knows about listings, updated as changes go live.

Listings and products are small integers (the caller maps its ids once). For each listing the
state keeps a ring buffer of its last ``window`` live prices and its latest price; the
other-seller median of a product is computed from the latest prices of its *other* listings.
Only changes the guard allowed move the state: a held price never went live.
"""

from __future__ import annotations

import warnings

import numpy as np

from sagwa.priceguard.features import F64, I64


class EvidenceState:
    """Mutable per-listing evidence; grows as new listings appear. Pure: no I/O, no clock."""

    def __init__(self, *, window: int = 8, capacity: int = 1024) -> None:
        self.window = window
        self.recent = np.full((capacity, window), np.nan)
        self.count = np.zeros(capacity, dtype=np.int64)
        self.latest = np.full(capacity, np.nan)
        self.product = np.full(capacity, -1, dtype=np.int64)

    def _grow(self, needed: int) -> None:
        size = self.latest.shape[0]
        if needed <= size:
            return
        new_size = max(needed, 2 * size)
        extra = new_size - size
        self.recent = np.vstack([self.recent, np.full((extra, self.window), np.nan)])
        self.count = np.concatenate([self.count, np.zeros(extra, dtype=np.int64)])
        self.latest = np.concatenate([self.latest, np.full(extra, np.nan)])
        self.product = np.concatenate([self.product, np.full(extra, -1, dtype=np.int64)])

    def observe(self, listing: I64, product: I64, price: F64) -> None:
        """Record live prices, given in time order (history, or allowed changes)."""
        if listing.size == 0:
            return
        self._grow(int(listing.max()) + 1)
        self.product[listing] = product
        order = np.argsort(listing, kind="stable")
        sorted_l = listing[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_l)) + 1]
        rank_sorted = np.arange(sorted_l.size) - np.repeat(
            starts, np.diff(np.r_[starts, sorted_l.size])
        )
        rank = np.empty_like(rank_sorted)
        rank[order] = rank_sorted
        keep = rank >= np.bincount(listing, minlength=1)[listing] - self.window
        slot = (self.count[listing] + rank) % self.window
        self.recent[listing[keep], slot[keep]] = price[keep]
        last = order[np.r_[starts[1:] - 1, sorted_l.size - 1]]
        self.latest[listing[last]] = price[last]
        self.count += np.bincount(listing, minlength=self.count.size)

    def recent_median(self, listing: I64) -> F64:
        """Median of each listing's last ``window`` live prices (NaN when none)."""
        self._grow(int(listing.max(initial=-1)) + 1)
        rows = np.sort(self.recent[listing], axis=1)
        c = np.minimum(self.count[listing], self.window)
        lo = np.maximum((c - 1) // 2, 0)
        hi = c // 2
        hi = np.minimum(hi, self.window - 1)
        med = 0.5 * (rows[np.arange(c.size), lo] + rows[np.arange(c.size), hi])
        return np.where(c > 0, med, np.nan)

    def recent_log_range(self, listing: I64) -> F64:
        """``ln(max / min)`` of each listing's recent live prices: how far it usually swings."""
        self._grow(int(listing.max(initial=-1)) + 1)
        rows = self.recent[listing]
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.log(np.nanmax(rows, axis=1)) - np.log(np.nanmin(rows, axis=1))
        return np.where(np.isfinite(spread), spread, np.nan)

    def peer_median(self, listing: I64, product: I64) -> tuple[F64, I64]:
        """Median latest price of the product's *other* listings, and how many there are."""
        med, count, _, _ = self.peer_stats(listing, product)
        return med, count

    def peer_stats(self, listing: I64, product: I64) -> tuple[F64, I64, F64, F64]:
        """Median, count, lowest and highest latest price of the product's *other* listings."""
        self._grow(int(max(listing.max(initial=-1), 0)) + 1)
        known = np.flatnonzero(~np.isnan(self.latest) & (self.product >= 0))
        n_products = int(max(product.max(initial=-1), self.product.max(initial=-1))) + 1
        # one integer sort key (product, then price; prices are whole minor units) sorts
        # several times faster than lexsort
        price_key = np.minimum(self.latest[known], 2.0**40 - 1).astype(np.int64)
        order = known[np.argsort((self.product[known] << 40) | price_key, kind="stable")]
        values = self.latest[order]
        per_product = np.bincount(self.product[order], minlength=n_products)
        offsets = np.r_[0, np.cumsum(per_product)]
        position = np.full(self.latest.shape[0], -1, dtype=np.int64)
        position[order] = np.arange(order.size) - offsets[self.product[order]]
        own = np.where(self.product[listing] == product, position[listing], -1)
        m = per_product[product] - (own >= 0)
        base = offsets[product]
        last = max(values.size - 1, 0)
        pick = values if values.size else np.array([np.nan])

        def at(k: I64) -> F64:
            """The k-th smallest of the *other* listings' prices (skipping the listing's own)."""
            k = np.maximum(k, 0)
            k = np.where((own >= 0) & (k >= own), k + 1, k)
            return np.asarray(pick[np.minimum(base + k, last)])

        med = 0.5 * (at((m - 1) // 2) + at(m // 2))
        has = m > 0
        return (
            np.where(has, med, np.nan),
            m.astype(np.int64),
            np.where(has, at(np.zeros_like(m)), np.nan),
            np.where(has, at(m - 1), np.nan),
        )
