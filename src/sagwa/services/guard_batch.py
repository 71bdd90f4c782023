"""Run the price guard over files of changes, streaming in time order, and measure it.

``run_guard`` replays history into an :class:`EvidenceState`, then walks the changes in
``proposed_at`` order in chunks: each chunk is judged on the state built from everything
strictly before it, and only the changes it allowed go live into the state (no lookahead). An
allowed change goes live for the chunks after its own only once they start strictly later than
it: a change never sees another proposed at the same instant, whatever the chunk size. Changes
in one chunk do not see each other, so verdicts can differ slightly with the chunk size.
``evaluate`` compares verdicts with labels: recall, false-hold rate, per error type, PR curve.

A price of 0 is no price (out of stock, not listed), never evidence: a history row at 0 is
skipped (counted in :attr:`GuardRun.zero_price_rows`), a list price of 0 is no list price, and
an old price of 0 is no current price (the change is judged, like a first price, against the
listing's recent prices, other sellers and the list price). A new price of 0 is judged: the
guard holds it as a penny price.

Evidence in another currency than the change's is not used: the listing's own prices in another
currency, other sellers' prices in another currency, a list price in another currency (as in
the single check, which gathers evidence in the change's currency only).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.errors import InvalidInput
from sagwa.priceguard.checks import GuardResult, PriceColumns, check_prices
from sagwa.priceguard.explain import render_reasons
from sagwa.priceguard.rules import PriceRules, category_key
from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.vocabulary import ERROR_TYPES

Progress = Callable[[int, int], None]
DEFAULT_CHUNK_ROWS = 2_000
_NO_VERDICTS = pl.DataFrame(
    schema={
        "change_id": pl.Utf8,
        "verdict": pl.Utf8,
        "score": pl.Float64,
        "error_type": pl.Utf8,
        "reason": pl.Utf8,
    }
)


@dataclass(frozen=True)
class GuardRun:
    """Verdicts (``change_id, verdict, score, error_type, reason``) plus the evidence used, and
    how many history rows at price 0 were skipped as no evidence."""

    verdicts: pl.DataFrame
    evidence: pl.DataFrame
    zero_price_rows: int = 0


def run_guard(
    *,
    history: pl.DataFrame,
    changes: pl.DataFrame,
    rules: PriceRules,
    products: pl.DataFrame | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
    lang: str = "en",
) -> GuardRun:
    """Judge every change in ``changes`` (typed frames from ``adapters.guard_input``).

    No changes (a header-only file, or every row skipped as malformed) is not an error: the
    run has no verdicts, with the verdict columns all the same. ``lang`` ("en" or "ko") is the
    language of the ``reason`` column.
    """
    if lang not in ("en", "ko"):
        raise InvalidInput(f"lang must be en or ko (got {lang!r})", field="lang")
    if chunk_rows < 1:
        raise InvalidInput(f"chunk_rows must be 1 or more (got {chunk_rows})", field="chunk_rows")
    priced = pl.col("price_minor") > 0
    zero_price_rows = history.height - history.filter(priced).height
    if changes.height == 0:
        return GuardRun(_NO_VERDICTS, _NO_VERDICTS, zero_price_rows)
    history = history.filter(priced)
    ids = _id_maps(history, changes)
    state = EvidenceState(window=rules.recent_window, capacity=ids.listings.height + 1,
                          streak_max_gap=rules.streak_max_gap_seconds)
    live = _LiveFeed(_with_ids(history.sort("observed_at", maintain_order=True), ids))
    todo = _with_ids(changes.sort("proposed_at", maintain_order=True), ids)
    todo = _attach_policy(todo, rules, products)
    outputs: list[pl.DataFrame] = []
    for start in range(0, todo.height, chunk_rows):
        chunk = todo.slice(start, chunk_rows)
        live.feed_before(chunk["proposed_at"][0], state)
        outputs.append(_judge_chunk(chunk, state, rules, lang))
        live.judged(chunk, outputs[-1]["verdict"])
        if progress is not None:
            progress(min(start + chunk_rows, todo.height), todo.height)
    evidence = pl.concat(outputs)
    verdicts = evidence.select("change_id", "verdict", "score", "error_type", "reason")
    return GuardRun(verdicts, evidence, zero_price_rows)


def categories_without_rules(
    products: pl.DataFrame | None, rules: PriceRules
) -> list[tuple[str, int]]:
    """The categories of ``products`` that match no category the rules name (their products
    get the default limits), each as first written (without surrounding spaces) with how many
    products carry it; spellings the rules would read alike (``Toys``, `` toys``) count as one."""
    if products is None or products.height == 0:
        return []
    named = products.filter(pl.col("category").str.strip_chars() != "")
    unknown = [c for c in named["category"].unique().to_list() if not rules.has_category(c)]
    if not unknown:
        return []
    keys = {c: category_key(c) for c in unknown}
    counted = (
        named.filter(pl.col("category").is_in(unknown))
        .with_columns(key=pl.col("category").replace_strict(keys),
                      shown=pl.col("category").str.strip_chars())
        .group_by("key", maintain_order=True)
        .agg(pl.col("shown").first(), n=pl.len())
    )
    return list(zip(counted["shown"].to_list(), counted["n"].to_list(), strict=True))


class _LiveFeed:
    """Hands the state what went live strictly before a given time: the history, and the
    changes the guard allowed, which wait here until a chunk starts strictly after them (so a
    change never sees another proposed at its own instant, whatever the chunk size)."""

    def __init__(self, hist: pl.DataFrame) -> None:
        self.hist = hist
        self.done = 0
        self.waiting: list[pl.DataFrame] = []  # allowed changes: proposed_at, lidx, pidx, ...

    def judged(self, chunk: pl.DataFrame, verdicts: pl.Series) -> None:
        """Take the changes of ``chunk`` the guard allowed: a held price never went live, nor
        did a price of 0 (no price)."""
        live = (verdicts == "allow").to_numpy() & (chunk["new_price_minor"] > 0).to_numpy()
        if live.any():
            self.waiting.append(chunk.filter(live).select(
                "proposed_at", "lidx", "pidx", "cidx", new="new_price_minor"))

    def feed_before(self, moment: datetime, state: EvidenceState) -> None:
        """Observe, in time order, the allowed changes and the history rows before ``moment``.

        The two are merged by time (history first at the same instant) so each listing's
        prices reach the state in the order they went live: a history row observed before an
        allowed change of the previous chunk must not come after it (a listing's streak of
        moves would read it as a move back)."""
        parts: list[pl.DataFrame] = []
        kept: list[pl.DataFrame] = []
        upto = int(self.hist["observed_at"].search_sorted(moment, side="left"))
        if upto > self.done:
            parts.append(self.hist.slice(self.done, upto - self.done).select(
                "lidx", "pidx", "cidx", price="price_minor", at="observed_at"))
            self.done = upto
        for part in self.waiting:
            earlier = (part["proposed_at"] < moment).to_numpy()
            parts.append(part.filter(earlier).select(
                "lidx", "pidx", "cidx", price="new", at="proposed_at"))
            if not earlier.all():
                kept.append(part.filter(~earlier))
        self.waiting = kept
        if len(parts) == 1:
            self._observe(parts[0], state)
        elif parts:
            self._observe(pl.concat(parts, how="vertical_relaxed").sort("at", maintain_order=True),
                          state)

    @staticmethod
    def _observe(part: pl.DataFrame, state: EvidenceState) -> None:
        if part.height == 0:
            return
        state.observe(
            part["lidx"].to_numpy(), part["pidx"].to_numpy(),
            part["price"].to_numpy().astype(np.float64), part["cidx"].to_numpy(),
            _seconds(part["at"]),
        )


@dataclass(frozen=True)
class _Ids:
    """Small integer ids for the state: listing, product and currency (``lidx, pidx, cidx``)."""

    listings: pl.DataFrame
    products: pl.DataFrame
    currencies: pl.DataFrame


def _id_maps(history: pl.DataFrame, changes: pl.DataFrame) -> _Ids:
    def index(column: str, name: str) -> pl.DataFrame:
        values = pl.concat([history[column], changes[column]]).unique(maintain_order=True)
        return values.to_frame().with_row_index(name).with_columns(pl.col(name).cast(pl.Int64))

    return _Ids(index("listing_id", "lidx"), index("product_id", "pidx"), index("currency", "cidx"))


def _with_ids(frame: pl.DataFrame, ids: _Ids) -> pl.DataFrame:
    for index, key in (
        (ids.listings, "listing_id"),
        (ids.products, "product_id"),
        (ids.currencies, "currency"),
    ):
        frame = frame.join(index, on=key, how="left", maintain_order="left")
    return frame


def _attach_policy(
    todo: pl.DataFrame, rules: PriceRules, products: pl.DataFrame | None
) -> pl.DataFrame:
    """Per-row policy numbers: list price, category depth, penny ceiling, seller limits (minor).

    A list price in another currency than the change's is no evidence (left out, as unknown).
    """
    if products is not None:
        info = products.select(
            "product_id",
            # a list price of 0 is no list price
            pl.col("list_price_minor").cast(pl.Float64).replace(0.0, None),
            "category",
            list_currency="currency",
        )
        same = pl.col("list_currency") == pl.col("currency")
        todo = (
            todo.join(info, on="product_id", how="left", maintain_order="left")
            .with_columns(list_price_minor=pl.when(same).then(pl.col("list_price_minor")))
            .drop("list_currency")
        )
    else:
        todo = todo.with_columns(
            list_price_minor=pl.lit(None, pl.Float64), category=pl.lit(None, pl.Utf8)
        )
    unit = pl.col("currency").replace_strict(
        {c: float(10**e) for c, e in CURRENCY_EXPONENTS.items()},
        default=100.0,
        return_dtype=pl.Float64,
    )
    currencies = todo["currency"].unique().to_list()
    penny = pl.col("currency").replace_strict(
        {c: rules.penny_major(c) for c in currencies}, return_dtype=pl.Float64
    )
    # the same lookup as a single check's: "electronics/mp3" falls back to "electronics"
    categories = todo["category"].drop_nulls().unique().to_list()
    depth = pl.col("category").replace_strict(
        {c: rules.max_depth_pct(c) for c in categories},
        default=rules.default_max_depth_pct,
        return_dtype=pl.Float64,
    )
    # the least share of the list price a category may sell at (the fixed book price law)
    shares = {c: rules.list_floor_pct(c) for c in categories}
    share = pl.col("category").replace_strict(
        {c: v for c, v in shares.items() if not math.isnan(v)}, default=None,
        return_dtype=pl.Float64,
    )
    floors = {s: lim.floor_major for s, lim in rules.sellers.items() if lim.floor_major is not None}
    ceilings = {
        s: lim.ceiling_major for s, lim in rules.sellers.items() if lim.ceiling_major is not None
    }
    return todo.with_columns(
        unit=unit,
        penny_minor=penny * unit,
        max_depth_pct=depth,
        list_floor_minor=pl.col("list_price_minor") * share / 100.0,
        floor_minor=pl.col("seller_id").replace_strict(
            floors, default=None, return_dtype=pl.Float64
        )
        * unit,
        ceiling_minor=pl.col("seller_id").replace_strict(
            ceilings, default=None, return_dtype=pl.Float64
        )
        * unit,
    )


def _seconds(times: pl.Series) -> np.ndarray:
    """Times as seconds since 1970 (float64; the streak's gaps are measured in them)."""
    return times.dt.epoch("s").cast(pl.Float64).fill_null(np.nan).to_numpy()


def _f64(chunk: pl.DataFrame, name: str, *, zero_is_none: bool = False) -> np.ndarray:
    values = chunk[name].cast(pl.Float64)
    if zero_is_none:  # a price of 0 is no price
        values = values.replace(0.0, None)
    return values.fill_null(np.nan).to_numpy()


def _judge_chunk(
    chunk: pl.DataFrame, state: EvidenceState, rules: PriceRules, lang: str
) -> pl.DataFrame:
    lidx, pidx, cidx = (chunk[name].to_numpy() for name in ("lidx", "pidx", "cidx"))
    peer, n_peers, peer_low, peer_high = state.peer_stats(lidx, pidx, cidx)
    recent = state.recent_median(lidx, cidx)
    spread = state.recent_log_range(lidx, cidx)
    n_recent = state.recent_count(lidx, cidx)
    old = _f64(chunk, "old_price_minor", zero_is_none=True)
    streak_start, streak_moves = state.streak(lidx, cidx, current=old,
                                              at=_seconds(chunk["proposed_at"]))
    cols = PriceColumns(
        new=_f64(chunk, "new_price_minor"),
        old=old,
        recent_median=recent,
        peer_median=peer,
        peer_low=peer_low,
        peer_high=peer_high,
        peer_count=n_peers.astype(np.float64),
        list_price=_f64(chunk, "list_price_minor"),
        promotion_pct=_f64(chunk, "promotion_pct"),
        max_depth_pct=_f64(chunk, "max_depth_pct"),
        list_floor=_f64(chunk, "list_floor_minor"),
        minor_per_major=_f64(chunk, "unit"),
        penny_minor=_f64(chunk, "penny_minor"),
        floor=_f64(chunk, "floor_minor"),
        ceiling=_f64(chunk, "ceiling_minor"),
        streak_start=streak_start,
        streak_moves=streak_moves.astype(np.float64),
    )
    result = check_prices(cols, rules)
    return _chunk_frame(chunk, cols, result, n_recent, n_peers, lang).with_columns(
        recent_log_range=spread
    )


def _chunk_frame(
    chunk: pl.DataFrame,
    cols: PriceColumns,
    result: GuardResult,
    n_recent: np.ndarray,
    n_peers: np.ndarray,
    lang: str,
) -> pl.DataFrame:
    currency = chunk["currency"].to_list()
    reasons = render_reasons(result, cols, currency, n_peers=n_peers, lang=lang)
    return pl.DataFrame(
        {
            "change_id": chunk["change_id"],
            "verdict": result.verdicts(),
            "score": np.round(result.score, 4),
            "error_type": np.asarray(ERROR_TYPES)[result.error_code],
            "reason": reasons,
            "proposed_at": chunk["proposed_at"],
            "old_price_minor": chunk["old_price_minor"],
            "new_price_minor": chunk["new_price_minor"],
            "promotion_pct": chunk["promotion_pct"],
            "recent_median_minor": cols.recent_median,
            "peer_median_minor": cols.peer_median,
            "n_recent": n_recent,
            "n_peers": n_peers,
        }
    )
