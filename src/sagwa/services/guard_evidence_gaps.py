"""Evidence a batch run of the price guard was given but could not use, named for the notes the
CLI prints: the changes whose product's list price is in another currency than theirs, the
changes whose listing's history is only in other currencies, and the products the changes name
that a products file lacks (their changes are judged without a list price).

Each comes as an :class:`IdSample`: how many, and the first few ids (a note names them, and a
tool can look them up), gathered part by part for a run judged in parts — the first in the
file, when the changes carry their line numbers (``_line``), as the parts are in time order.
The verdicts do not depend on any of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

#: How many ids a note names; the rest are counted.
NAMED = 10


@dataclass(frozen=True)
class IdSample:
    """How many ids there are, and the first ``NAMED`` of them: in the order met, or, when
    the ids come with their line numbers, the first in the file."""

    count: int = 0
    first: tuple[str, ...] = ()
    #: the line of each of ``first``, when the ids came with theirs
    lines: tuple[int, ...] = ()

    def plus(self, ids: pl.Series, lines: pl.Series | None = None) -> IdSample:
        """This sample and ``ids`` (met after it; ``lines``: theirs in the file)."""
        if lines is None:
            room = max(NAMED - len(self.first), 0)
            return IdSample(self.count + ids.len(), self.first + tuple(ids.head(room).to_list()))
        met = pl.DataFrame({"line": lines, "id": ids}).sort("line").head(NAMED)
        kept = sorted([*zip(self.lines, self.first, strict=True), *met.iter_rows()])[:NAMED]
        return IdSample(self.count + ids.len(), tuple(i for _, i in kept),
                        tuple(line for line, _ in kept))


@dataclass(frozen=True)
class CurrencyGaps:
    """Changes whose evidence was in another currency than theirs (see the module)."""

    list_price: IdSample = IdSample()
    history: IdSample = IdSample()

    def plus(self, later: tuple[pl.DataFrame, pl.DataFrame]) -> CurrencyGaps:
        """These and the changes of ``later`` (``change_id``, and ``_line`` when known)."""
        return CurrencyGaps(_plus(self.list_price, later[0]), _plus(self.history, later[1]))


def _plus(sample: IdSample, found: pl.DataFrame) -> IdSample:
    return sample.plus(found["change_id"],
                       found["_line"] if "_line" in found.columns else None)


def other_currency_changes(
    history: pl.DataFrame, products: pl.DataFrame | None
) -> Callable[[pl.DataFrame], tuple[pl.DataFrame, pl.DataFrame]]:
    """For one part of the changes at a time: the ``change_id`` (and ``_line``, when the
    changes have it) of those whose product's list price is in another currency than theirs,
    and of those whose listing's history is only in other currencies (in the part's order).
    What it needs of the history and the products is gathered once."""
    priced = (products.filter(pl.col("list_price_minor") > 0).select(
        "product_id", list_currency="currency") if products is not None and products.height
        else None)
    seen = history.select("listing_id", "currency").unique()
    listings_seen = seen.select("listing_id").unique()

    def find(changes: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        ids = [c for c in ("change_id", "_line") if c in changes.columns]
        if changes.height == 0 or priced is None:
            listed = changes.select(ids).clear()
        else:
            listed = changes.join(priced, on="product_id", how="inner",
                                  maintain_order="left").filter(
                pl.col("list_currency") != pl.col("currency")).select(ids)
        known = changes.join(listings_seen, on="listing_id", how="semi", maintain_order="left")
        elsewhere = known.join(seen, on=["listing_id", "currency"], how="anti",
                               maintain_order="left").select(ids)
        return listed, elsewhere

    return find


def products_not_listed(product_ids: pl.Series, products: pl.DataFrame | None) -> IdSample:
    """The ids of ``product_ids`` (the products the changes name, each once) that are not in
    ``products``; none when no products file was given."""
    if products is None:
        return IdSample()
    return IdSample().plus(product_ids.filter(~product_ids.is_in(products["product_id"])))
