"""Streaming evidence state: what the guard knows about listings, updated as changes go live.

Listings, products and currencies are small integers (the caller maps its ids once). For each
listing the state keeps a ring buffer of its last ``window`` live prices, its latest price, the
currency they are in and its current *streak* (the moves in one direction its live prices have
made in a row, and the price before the first of them: a repricer walking a price away step by
step leaves the ring buffer behind, not the streak's start); the other-seller statistics of a product are computed from the latest
prices of its *other* listings in the same currency. Only changes the guard allowed move the
state: a held price never went live.

Prices in different currencies are never compared: a listing that goes live in a new currency
starts its recent prices afresh, and asked with a ``currency``, the state answers from evidence
in that currency only (a listing's prices in another currency count as no history, other
sellers in another currency as no other sellers). Without ``currency`` every price is taken as
being in one currency, as before currencies were known.
"""

from __future__ import annotations

import warnings

import numpy as np

from sagwa.priceguard.features import F64, I64

#: Prices are sorted by one int64 key, (group << 40) | price, where that fits: whole minor units
#: below 2**40 and groups (product × currency) below 2**23; else by two keys (slower).
_PRICE_BITS = 40
#: The product index is rebuilt once more listings got a product since it was built than this
#: or a 16th of the state's capacity, whichever is larger; until then they are looked up one
#: by one.
_REINDEX_AT = 4_096
#: ``peer_stats`` looks up a chunk's products one by one (sorted) when there are more than this
#: many products per asked change, else it counts every product's listings in one pass.
_FEW_PRODUCTS = 64


class EvidenceState:
    """Mutable per-listing evidence; grows as new listings appear. Pure: no I/O, no clock."""

    def __init__(self, *, window: int = 8, capacity: int = 1024,
                 streak_max_gap: float = float("inf")) -> None:
        self.window = window
        #: Seconds: a move more than this after the streak's last one starts a new streak, and
        #: a change asked about that long after it continues none (a repricer is quick).
        self.streak_max_gap = streak_max_gap
        self.recent = np.full((capacity, window), np.nan)
        self.count = np.zeros(capacity, dtype=np.int64)
        self.latest = np.full(capacity, np.nan)
        self.product = np.full(capacity, -1, dtype=np.int64)
        #: The currency of each listing's prices (``count`` and ``recent`` hold only those).
        self.currency = np.zeros(capacity, dtype=np.int64)
        self._currencies: set[int] = set()  # every code observed: one means nothing to forget
        #: The streak each listing's latest price ends: how many moves in a row and the live price
        #: before the first (NaN: none); its direction is that from the start to ``latest``.
        self.streak_moves = np.zeros(capacity, dtype=np.int64)
        self.streak_start = np.full(capacity, np.nan)
        self.streak_last_at = np.full(capacity, np.nan)  # when its last move went live (s)
        self._index: tuple[I64, I64] | None = None  # listings by product (``_product_index``)
        #: listings whose product was set since the index was built (first seen, or moved)
        self._unindexed = np.zeros(0, dtype=np.int64)
        self._position = np.full(capacity, -1, dtype=np.int64)  # scratch of ``peer_stats``

    def grow(self, needed: int) -> None:
        size = self.latest.shape[0]
        if needed <= size:
            return
        new_size = max(needed, 2 * size)
        extra = new_size - size
        self.recent = np.vstack([self.recent, np.full((extra, self.window), np.nan)])
        self.count = np.concatenate([self.count, np.zeros(extra, dtype=np.int64)])
        self.latest = np.concatenate([self.latest, np.full(extra, np.nan)])
        self.product = np.concatenate([self.product, np.full(extra, -1, dtype=np.int64)])
        self.currency = np.concatenate([self.currency, np.zeros(extra, dtype=np.int64)])
        self.streak_moves = np.concatenate([self.streak_moves, np.zeros(extra, dtype=np.int64)])
        self.streak_start = np.concatenate([self.streak_start, np.full(extra, np.nan)])
        self.streak_last_at = np.concatenate([self.streak_last_at, np.full(extra, np.nan)])
        self._position = np.concatenate([self._position, np.full(extra, -1, dtype=np.int64)])

    def set_products(self, listing: I64, product: I64) -> None:
        """Put listings under products, keeping the product index's book of those since."""
        if self._index is not None:  # without one, the next lookup builds it from scratch
            moved = listing[self.product[listing] != product]  # seen for the first time, or moved
            self._unindexed = np.concatenate((self._unindexed, moved))
            if self._unindexed.size > max(_REINDEX_AT, self.product.size // 16):
                self._index = None
        self.product[listing] = product

    def set_currencies(self, listing: I64, currency: I64 | int, codes: list[int]) -> None:
        """Record the currency of listings' prices (``codes``: every code among them)."""
        self.currency[listing] = currency
        self._currencies.update(codes)

    def forgets_nothing(self, currency: int) -> bool:
        """Whether every listing's prices are in ``currency``, or none is known: no listing has
        prices to forget when one goes live in it (the usual case)."""
        return self._currencies <= {currency}

    def reset(self, listing: I64 | int) -> None:
        """Forget listings' prices and streaks (their prices go live in another currency)."""
        self.count[listing] = 0
        self.recent[listing] = np.nan
        # a price in another currency is no move from the last one: the streak starts afresh
        self.latest[listing] = np.nan
        self.streak_moves[listing] = 0
        self.streak_start[listing] = np.nan
        self.streak_last_at[listing] = np.nan

    def observe(self, listing: I64, product: I64, price: F64, currency: I64 | None = None,
                at: F64 | None = None) -> None:
        """Record live prices, given in time order (history, or allowed changes).

        ``currency`` codes the currency of each price (omitted: all in one currency). A listing
        whose price goes live in another currency than its recent prices forgets those.
        ``at``: when each price went live, in seconds (omitted or NaN: unknown, no gap counts).
        """
        if at is None:
            at = np.full(listing.shape[0], np.nan)
        if listing.size == 0:
            return
        self.grow(int(listing.max()) + 1)
        order = np.argsort(listing, kind="stable")
        if currency is not None:
            low, high = int(currency.min()), int(currency.max())
            one = low == high and self.forgets_nothing(low)
            kept = None if one else self._forget_other_currencies(listing, currency, order)
            if kept is not None:
                listing, product, price, currency, at = (
                    listing[kept],
                    product[kept],
                    price[kept],
                    currency[kept],
                    at[kept],
                )
                order = np.argsort(listing, kind="stable")
            self.set_currencies(listing, low if one else currency,
                                [low] if one else np.flatnonzero(np.bincount(currency)).tolist())
        self._record(listing, product, price, order, at)

    def _record(self, listing: I64, product: I64, price: F64, order: I64, at: F64) -> None:
        """Append prices to each listing's ring buffer (``order`` sorts ``listing``, stably)."""
        self.set_products(listing, product)
        sorted_l = listing[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_l)) + 1))
        self._extend_streaks(sorted_l, price[order], at[order], starts)
        per_listing = np.diff(np.concatenate((starts, [sorted_l.size])))  # how many prices each listing got
        rank_sorted = np.arange(sorted_l.size) - np.repeat(starts, per_listing)
        rank = np.empty_like(rank_sorted)
        rank[order] = rank_sorted
        got = np.empty_like(rank_sorted)
        got[order] = np.repeat(per_listing, per_listing)
        keep = rank >= got - self.window
        slot = (self.count[listing] + rank) % self.window
        self.recent[listing[keep], slot[keep]] = price[keep]
        last = order[np.concatenate((starts[1:] - 1, [sorted_l.size - 1]))]
        self.latest[listing[last]] = price[last]
        self.count[sorted_l[starts]] += per_listing

    def _extend_streaks(self, sorted_l: I64, prices: F64, at: F64, starts: I64) -> None:
        """Carry each listing's streak through its new prices (``sorted_l`` sorted by listing,
        each listing's prices in time order with their times ``at``, ``starts`` where each
        listing's run begins).

        A move is a price above (+1) or below (-1) the one before; a repeated price moves
        nothing; a first price (or one after none known) starts afresh; a move more than
        ``streak_max_gap`` after the one before starts a streak of its own. Only the last run
        of same-direction moves matters: it extends the listing's stored streak when it reaches
        back to the first move of this call in the stored direction and in time, else it starts
        at the price before its first move. Loops over nothing: a few passes over the rows.
        """
        prev = np.empty_like(prices)
        prev[1:] = prices[:-1]
        prev[starts] = self.latest[sorted_l[starts]]  # ``latest`` is not updated yet
        with np.errstate(invalid="ignore"):
            fresh = ~(prev > 0)  # no price before (NaN), or a 0 that is no price
            step = np.sign(prices - prev)
        code = np.where(fresh, 2, step).astype(np.int8)  # 2: starts afresh, matches nothing
        moves = np.flatnonzero(code != 0)
        if moves.size == 0:
            return
        who, kind, when = sorted_l[moves], code[moves], at[moves]
        new_group = np.concatenate(([True], who[1:] != who[:-1]))
        with np.errstate(invalid="ignore"):
            late = np.concatenate(([False], when[1:] - when[:-1] > self.streak_max_gap))
        new_run = new_group | np.concatenate(([True], kind[1:] != kind[:-1])) | (kind == 2) | late
        run_first = np.flatnonzero(new_run)
        run_of = np.cumsum(new_run) - 1
        last = np.concatenate((np.flatnonzero(new_group)[1:] - 1, [moves.size - 1]))  # each listing's last
        begin = run_first[run_of[last]]  # where its last run begins
        length = last - begin + 1
        ids, way = who[last], kind[last]
        whole = new_group[begin]  # the run is every move of this call
        with np.errstate(invalid="ignore"):
            in_time = ~(when[begin] - self.streak_last_at[ids] > self.streak_max_gap)
            stored_way = np.sign(self.latest[ids] - self.streak_start[ids])  # NaN: no streak
        goes_on = whole & (stored_way == way) & (way != 2) & in_time
        afresh = way == 2
        self.streak_moves[ids] = np.where(
            afresh, 0, np.where(goes_on, self.streak_moves[ids] + length, length))
        self.streak_start[ids] = np.where(
            afresh, np.nan, np.where(goes_on, self.streak_start[ids], prev[moves[begin]]))
        self.streak_last_at[ids] = when[last]

    def streak(self, listing: I64, currency: I64 | None = None, current: F64 | None = None,
               at: F64 | None = None) -> tuple[F64, I64]:
        """The price each listing's current streak started from and its number of moves (NaN
        and 0 without one, or when the listing's prices are not in ``currency``). With
        ``current`` (the price a change says it moves from), only streaks that end at that
        price: a change whose old price is not the listing's last live one (an earlier change
        to it was held) continues no streak the state knows. With ``at`` (when the change is
        proposed, seconds), only streaks whose last move is at most ``streak_max_gap`` before."""
        self.grow(int(listing.max(initial=-1)) + 1)
        known = (self.streak_moves[listing] > 0) & self._in_currency(listing, currency)
        if current is not None:
            known &= self.latest[listing] == current
        if at is not None:
            with np.errstate(invalid="ignore"):
                known &= ~(at - self.streak_last_at[listing] > self.streak_max_gap)
        return (np.where(known, self.streak_start[listing], np.nan),
                np.where(known, self.streak_moves[listing], 0))

    def _forget_other_currencies(self, listing: I64, currency: I64, order: I64) -> I64 | None:
        """Where a listing changes currency, reset it and keep only its prices after the last
        change (their indices), or ``None`` when no listing does (the usual case, no copies)."""
        sl, sc = listing[order], currency[order]
        first = np.r_[True, sl[1:] != sl[:-1]]
        switch = ~first & np.r_[False, sc[1:] != sc[:-1]]
        ends = np.r_[np.flatnonzero(first)[1:] - 1, sl.size - 1]
        ids = sl[ends]
        moved = (self.count[ids] > 0) & (self.currency[ids] != sc[ends])
        if not switch.any() and not moved.any():
            return None
        group = np.cumsum(first) - 1
        positions = np.arange(sl.size)
        segment = np.maximum.accumulate(np.where(first | switch, positions, 0))
        switched = np.bincount(group, weights=switch, minlength=ids.size) > 0
        self.reset(ids[moved | switched])
        return np.sort(order[positions >= segment[ends][group]])

    def _in_currency(self, listing: I64, currency: I64 | None) -> np.ndarray | bool:
        """Whether each listing's prices are in the asked currency (all, without one)."""
        if currency is None:
            return True
        return np.asarray(self.currency[listing] == currency)

    def recent_count(self, listing: I64, currency: I64 | None = None) -> I64:
        """How many recent live prices (at most ``window``) each listing has in ``currency``."""
        self.grow(int(listing.max(initial=-1)) + 1)
        c = np.minimum(self.count[listing], self.window)
        return np.where(self._in_currency(listing, currency), c, 0)

    def recent_median(self, listing: I64, currency: I64 | None = None) -> F64:
        """Median of each listing's last ``window`` live prices (NaN when none in ``currency``)."""
        self.grow(int(listing.max(initial=-1)) + 1)
        rows = np.sort(self.recent[listing], axis=1)
        c = np.minimum(self.count[listing], self.window)
        lo = np.maximum((c - 1) // 2, 0)
        hi = c // 2
        hi = np.minimum(hi, self.window - 1)
        med = 0.5 * (rows[np.arange(c.size), lo] + rows[np.arange(c.size), hi])
        return np.where((c > 0) & self._in_currency(listing, currency), med, np.nan)

    def recent_log_range(self, listing: I64, currency: I64 | None = None) -> F64:
        """``ln(max / min)`` of each listing's recent live prices: how far it usually swings."""
        self.grow(int(listing.max(initial=-1)) + 1)
        rows = self.recent[listing]
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            spread = np.log(np.nanmax(rows, axis=1)) - np.log(np.nanmin(rows, axis=1))
        known = np.isfinite(spread) & self._in_currency(listing, currency)
        return np.where(known, spread, np.nan)

    def peer_median(
        self, listing: I64, product: I64, currency: I64 | None = None
    ) -> tuple[F64, I64]:
        """Median latest price of the product's *other* listings, and how many there are."""
        med, count, _, _ = self.peer_stats(listing, product, currency)
        return med, count

    def _product_index(self) -> tuple[I64, I64]:
        """Every listing with a product, sorted by product, and where each product's run
        starts (``offsets[p]:offsets[p + 1]``). Built once, and again only when many listings
        got a product since (first seen, or moved: until then they are looked up in
        ``_unindexed``), so a chunk's lookup costs its own products' listings, not a pass over
        the state."""
        if self._index is None:
            has = np.flatnonzero(self.product >= 0)
            order = has[np.argsort(self.product[has], kind="stable")]
            n_products = int(self.product.max(initial=-1)) + 1
            counts = np.bincount(self.product[order], minlength=n_products)
            self._index = (order, np.concatenate(([0], np.cumsum(counts))))
            self._unindexed = np.zeros(0, dtype=np.int64)
        return self._index

    def listings_of(self, products: I64) -> I64:
        """The listings of the given (distinct) products, each once, in no particular order."""
        order, offsets = self._product_index()
        if products.size == 1 and self._unindexed.size == 0:  # one product, nobody moved
            p = int(products[0])
            return order[offsets[p]:offsets[p + 1]] if 0 <= p < offsets.size - 1 else order[:0]
        indexed = products[(products >= 0) & (products < offsets.size - 1)]
        lo = offsets[indexed]
        counts = offsets[indexed + 1] - lo
        block = np.cumsum(counts) - counts  # where each product's listings start in the answer
        found = order[np.arange(int(counts.sum())) - np.repeat(block - lo, counts)]
        if self._unindexed.size == 0:
            return found  # nobody moved: every listing is under its own product, once
        late = self._unindexed[np.isin(self.product[self._unindexed], products)]
        # a moved listing may sit under its old product too: its group is read afresh anyway
        return np.unique(np.concatenate((found, late)))

    def peer_stats(
        self, listing: I64, product: I64, currency: I64 | None = None
    ) -> tuple[F64, I64, F64, F64]:
        """Median, count, lowest and highest latest price of the product's *other* listings
        (those whose latest price is in ``currency``, when given)."""
        self.grow(int(max(listing.max(initial=-1), 0)) + 1)
        n_cur = 1
        if currency is not None:
            n_cur = max(max(self._currencies, default=0), int(currency.max(initial=0))) + 1
        asked = product * n_cur + currency if n_cur > 1 else product

        def group_of(rows: I64) -> I64:
            if n_cur == 1:
                return self.product[rows]
            return np.where(self.product[rows] >= 0,
                            self.product[rows] * n_cur + self.currency[rows], -1)

        _, offsets = self._product_index()
        n_products = max(offsets.size - 1, int(product.max(initial=-1)) + 1)
        # a chunk of a few products looks at those alone (sorting them is cheaper than a pass
        # over every product); a large one counts every product's listings at once
        few = product.size * _FEW_PRODUCTS < n_products
        if few:
            members = self.listings_of(np.unique(product[product >= 0]))
        else:
            wanted = np.zeros(n_products, dtype=bool)
            wanted[product[product >= 0]] = True
            members = self.listings_of(np.flatnonzero(wanted))
        members = members[~np.isnan(self.latest[members])]
        mine = group_of(members)
        prices = self.latest[members]
        if _one_key_fits(mine, prices):
            # one integer sort key (group, then price) sorts several times faster than lexsort
            sort = np.argsort((mine << _PRICE_BITS) | prices.astype(np.int64), kind="stable")
        else:
            sort = np.lexsort((prices, mine))
        order, sorted_groups = members[sort], mine[sort]
        values = self.latest[order]
        if few:
            base = np.searchsorted(sorted_groups, asked, side="left")
            m_all = np.searchsorted(sorted_groups, asked, side="right") - base
            group_start = np.searchsorted(sorted_groups, sorted_groups, side="left")
        else:
            per_group = np.bincount(sorted_groups, minlength=n_products * n_cur)
            starts = np.concatenate(([0], np.cumsum(per_group)))
            base, m_all, group_start = starts[asked], per_group[asked], starts[sorted_groups]
        # where the listing itself sits among its group's prices (-1: not among them)
        self._position[order] = np.arange(order.size) - group_start
        own = np.where(group_of(listing) == asked, self._position[listing], -1)
        self._position[order] = -1
        m = m_all - (own >= 0)
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


def _one_key_fits(groups: I64, prices: F64) -> bool:
    """Whether ``(group << 40) | price`` sorts these exactly (see ``_PRICE_BITS``)."""
    if groups.size == 0:
        return True
    return bool(groups.max() < 2 ** (63 - _PRICE_BITS) and prices.max() < 2.0**_PRICE_BITS
                and prices.min() >= 0 and np.array_equal(prices, np.floor(prices)))
