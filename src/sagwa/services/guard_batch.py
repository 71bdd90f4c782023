"""Run the price guard over files of changes, streaming in time order, and measure it.

``run_guard`` replays history into an :class:`EvidenceState`, then walks the changes in
``proposed_at`` order in chunks: each chunk is judged on the state built from everything
strictly before its first instant, and only the changes it allowed go live into the state (no
lookahead). A chunk holds at most ``chunk_rows`` changes and ends before the first change that
depends on something not yet live when it starts — an earlier change of the same listing or
product, a history row of them observed since, or a row (change or history) that may have moved
a listing to another product, which leaves the old product's sellers — so every change is judged
on exactly what went live before its own instant (the history and the allowed changes, its
listing's and the other sellers'): verdicts do not depend on the chunk size. Changes proposed at
the same instant never see each other. Small chunks cost little: the state answers from the
chunk's own listings and products, not a pass over all of them, and where a product changes
every few rows (the chunks are that short) a chunk of up to ``ONE_AT_A_TIME`` changes is judged
one change at a time with the plain-float check and lookups (``guard_batch_judge``), the same
answers at a tenth of the array path's fixed cost. ``blind_chunks`` gives the old behaviour
for speed: chunks of exactly ``chunk_rows`` changes that do not see each other (verdicts then
depend on the chunk size). Which rows a chunk may hold and the feed of live prices are in
``guard_batch_order``.
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

import numpy as np
import polars as pl

from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.errors import InvalidInput
from sagwa.priceguard.rules import PriceRules, category_key
from sagwa.priceguard.state import EvidenceState
from sagwa.services.guard_batch_judge import Answers
from sagwa.services.guard_batch_order import ChangeRows, ListingProducts, LiveFeed

Progress = Callable[[int, int], None]
DEFAULT_CHUNK_ROWS = 2_000
#: Chunks of at most this many changes are judged one change at a time (the plain-float
#: check, the same answers): below it the array check's fixed cost per call is the larger.
ONE_AT_A_TIME = 12
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
    blind_chunks: bool = False,
    progress: Progress | None = None,
    lang: str = "en",
) -> GuardRun:
    """Judge every change in ``changes`` (typed frames from ``adapters.guard_input``).

    No changes (a header-only file, or every row skipped as malformed) is not an error: the
    run has no verdicts, with the verdict columns all the same. ``lang`` ("en" or "ko") is the
    language of the ``reason`` column. ``blind_chunks``: every chunk is ``chunk_rows`` long and
    its changes do not see each other (faster when a few products change all the time; the
    verdicts then depend on the chunk size, as before 2026-12-02).
    """
    _check_options(lang, chunk_rows)
    if changes.height == 0:
        return GuardRun(_NO_VERDICTS, _NO_VERDICTS, _zero_price_rows(history))
    _require_values(changes, "changes", _CHANGES_REQUIRED)
    stream = GuardStream(history=history, rules=rules, products=products,
                         keys=ids_of(changes), chunk_rows=chunk_rows,
                         blind_chunks=blind_chunks, lang=lang)
    evidence = stream.judge(changes, next_start=None, progress=progress)
    verdicts = evidence.select("change_id", "verdict", "score", "error_type", "reason")
    return GuardRun(verdicts, evidence, stream.zero_price_rows)


#: A history row with a price: one at 0 (or none) is no evidence (see the module).
_PRICED = pl.col("price_minor") > 0


def _zero_price_rows(history: pl.DataFrame) -> int:
    """How many history rows are skipped as no price (0, or none)."""
    return history.height - history.filter(_PRICED).height


def _check_options(lang: str, chunk_rows: int) -> None:
    if lang not in ("en", "ko"):
        raise InvalidInput(f"lang must be en or ko (got {lang!r})", field="lang",
                           reason="lang_unknown")
    if chunk_rows < 1:
        raise InvalidInput(f"chunk_rows must be 1 or more (got {chunk_rows})", field="chunk_rows",
                           reason="chunk_rows_not_positive")


def ids_of(changes: pl.DataFrame) -> dict[str, pl.Series]:
    """The listing, product and currency values of ``changes``, each once in order of first
    appearance: what :class:`GuardStream` numbers (after the history's)."""
    return {c: changes[c].unique(maintain_order=True) for c in ("listing_id", "product_id",
                                                                 "currency")}


def part_starts(at_us: np.ndarray, part_rows: int) -> list[int]:
    """Where each part of a run starts, as indices into the changes' times (microseconds,
    sorted): parts of ``part_rows`` changes or fewer, each ending where an instant does (an
    instant with more changes than that is one part of its own)."""
    if part_rows < 1:
        raise InvalidInput(f"part_rows must be 1 or more (got {part_rows})", field="part_rows",
                           reason="part_rows_not_positive")
    starts = [0]
    while starts[-1] + part_rows < at_us.size:
        moment = at_us[starts[-1] + part_rows]
        cut = int(np.searchsorted(at_us, moment, side="left"))  # that instant's first row
        if cut <= starts[-1]:  # one instant fills the part: it ends after it
            cut = int(np.searchsorted(at_us, moment, side="right"))
        if cut >= at_us.size:
            break
        starts.append(cut)
    return starts


class GuardStream:
    """A run judged in parts: the evidence state, the feed of history and the listings'
    products carried from one part to the next.

    Each part is a frame of changes in time order (a part may be a whole file, or the changes of
    a stretch of time; no instant is split between two parts). ``keys`` names every listing,
    product and currency the parts will hold (:func:`ids_of` of each part, concatenated in file
    order, gives the numbering a run over the whole file would use). A run judged in parts gives
    the verdicts a run judged whole does: a part starts on what went live before its first
    instant, and its last allowed changes go live before the next part (``next_start``).
    """

    def __init__(self, *, history: pl.DataFrame, rules: PriceRules,
                 products: pl.DataFrame | None, keys: dict[str, pl.Series],
                 chunk_rows: int = DEFAULT_CHUNK_ROWS, blind_chunks: bool = False,
                 lang: str = "en") -> None:
        _check_options(lang, chunk_rows)
        self.zero_price_rows = _zero_price_rows(history)
        _require_values(history, "history", _HISTORY_REQUIRED)
        history = history.filter(_PRICED)
        self.ids = _id_maps(history, keys)
        self.rules, self.products, self.lang = rules, products, lang
        self.chunk_rows, self.blind_chunks = chunk_rows, blind_chunks
        self.state = EvidenceState(window=rules.recent_window,
                                   capacity=self.ids.listings.height + 1,
                                   streak_max_gap=rules.streak_max_gap_seconds)
        self.live = LiveFeed(_with_ids(history.sort("observed_at", maintain_order=True),
                                       self.ids))
        self.listing_products = ListingProducts(self.ids.listings.height)

    def judge(self, changes: pl.DataFrame, *, next_start: int | None,
              progress: Progress | None = None) -> pl.DataFrame:
        """Judge one part (every change of it before ``next_start``, the next part's first
        instant in microseconds since 1970, or None for the last part): verdicts and
        evidence, a row per change in time order."""
        if changes.height == 0:
            return _NO_VERDICTS
        _require_values(changes, "changes", _CHANGES_REQUIRED)
        todo = _with_ids(changes.sort("proposed_at", maintain_order=True), self.ids)
        unknown = todo.filter(pl.any_horizontal(pl.col("lidx", "pidx", "cidx").is_null()))
        if unknown.height:
            raise InvalidInput(f"change {unknown['change_id'][0]!r} names a listing, product "
                               "or currency the run was not told of", field="changes",
                               reason="change_names_unknown_ids")
        last_us = int(todo["proposed_at"].dt.epoch("us").max() or 0)
        if next_start is not None and last_us >= next_start:
            raise InvalidInput("a part of a run must end before the next part's first instant",
                               field="changes", reason="part_overlaps_next")
        todo = _attach_policy(todo, self.rules, self.products)
        live, state, rules = self.live, self.state, self.rules
        upto = (live.lidx.size if next_start is None
                else int(np.searchsorted(live.at_us, next_start, side="left")))
        rows = ChangeRows.of(todo, live, self.listing_products, upto)
        answers = Answers(rows)
        start = 0
        while start < todo.height:
            end = (min(start + self.chunk_rows, todo.height) if self.blind_chunks
                   else rows.chunk_end(start, self.chunk_rows))
            live.feed_before(int(rows.at_us[start]), rows, state)
            if end - start > ONE_AT_A_TIME:
                allowed = answers.judge_chunk(start, end, state, rules)
            else:
                allowed = np.array([answers.judge_one(i, state, rules)
                                    for i in range(start, end)])
            live.judged(rows, start, end, allowed)
            if progress is not None:
                progress(end, todo.height)
            start = end
        if next_start is not None:  # what this part let go live, before the next part
            live.feed_before(next_start, rows, state)
        return answers.frame(todo, self.lang)


#: The columns a frame from ``adapters.guard_input`` always fills (a frame built in code may
#: not: a missing time or id would otherwise fail deep in the run, or be read as something).
_HISTORY_REQUIRED = ("listing_id", "product_id", "price_minor", "observed_at", "currency")
_CHANGES_REQUIRED = ("change_id", "listing_id", "product_id", "seller_id", "new_price_minor",
                     "proposed_at", "currency")


def _require_values(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    """Refuse a frame that lacks one of ``columns`` or has an empty value in one."""
    for column in columns:
        if column not in frame.columns:
            raise InvalidInput(f"{name} has no column {column!r}", field=name,
                               reason="column_missing")
        empty = frame[column].null_count()
        if empty:
            first = int(frame[column].is_null().arg_max() or 0)
            raise InvalidInput(
                f"{name}: {empty} row(s) with no {column} (the first is row {first + 1})",
                field=name, reason="column_values_missing")


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


@dataclass(frozen=True)
class _Ids:
    """Small integer ids for the state: listing, product and currency (``lidx, pidx, cidx``)."""

    listings: pl.DataFrame
    products: pl.DataFrame
    currencies: pl.DataFrame


def _id_maps(history: pl.DataFrame, keys: dict[str, pl.Series]) -> _Ids:
    def index(column: str, name: str) -> pl.DataFrame:
        values = pl.concat([history[column], keys[column]]).unique(maintain_order=True)
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


def _share_of_list_price(categories: list[str],
                         share_of: Callable[[str | None], float]) -> pl.Expr:
    """Each row's category's share (percent) of the list price, by ``share_of`` (null: none)."""
    shares = {c: share_of(c) for c in categories}
    return pl.col("category").replace_strict(
        {c: v for c, v in shares.items() if not math.isnan(v)}, default=None,
        return_dtype=pl.Float64,
    )


def _attach_policy(
    todo: pl.DataFrame, rules: PriceRules, products: pl.DataFrame | None
) -> pl.DataFrame:
    """Per-row policy numbers: list price, category depth, penny ceiling, the category's least
    and most price (a share of the list price) and seller limits (minor).

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
    fx_set = pl.col("currency").replace_strict(
        {c: float(rules.fx_set(c)) for c in currencies}, return_dtype=pl.Float64
    )
    # the same lookup as a single check's: "electronics/mp3" falls back to "electronics"
    categories = todo["category"].drop_nulls().unique().to_list()
    depth = pl.col("category").replace_strict(
        {c: rules.max_depth_pct(c) for c in categories},
        default=rules.default_max_depth_pct,
        return_dtype=pl.Float64,
    )
    # the least and the most share of the list price a category may sell at (the fixed book
    # price law)
    share = _share_of_list_price(categories, rules.list_floor_pct)
    most_share = _share_of_list_price(categories, rules.list_ceiling_pct)
    floors = {s: lim.floor_major for s, lim in rules.sellers.items() if lim.floor_major is not None}
    ceilings = {
        s: lim.ceiling_major for s, lim in rules.sellers.items() if lim.ceiling_major is not None
    }
    # limits that name a currency leave the seller's prices in other currencies alone
    named = {s: lim.currency for s, lim in rules.sellers.items() if lim.currency is not None}
    limit_currency = pl.col("seller_id").replace_strict(named, default=None,
                                                        return_dtype=pl.Utf8)
    applies = limit_currency.is_null() | (limit_currency == pl.col("currency"))
    return todo.with_columns(
        unit=unit,
        penny_minor=penny * unit,
        fx_set=fx_set,
        max_depth_pct=depth,
        list_floor_minor=pl.col("list_price_minor") * share / 100.0,
        list_ceiling_minor=pl.col("list_price_minor") * most_share / 100.0,
        floor_minor=pl.when(applies).then(pl.col("seller_id").replace_strict(
            floors, default=None, return_dtype=pl.Float64) * unit),
        ceiling_minor=pl.when(applies).then(pl.col("seller_id").replace_strict(
            ceilings, default=None, return_dtype=pl.Float64) * unit),
    )
