"""A listing's prices over time, from the price moves that went live: which prices it had in a
window (an incident's, say). Pure: the moves are passed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PriceMove:
    """A price change that went live at ``at`` (applied when proposed, approved when decided),
    moving the listing from ``old_minor`` to ``new_minor``; the change's id, and the promotion
    it declared (percent off, and its end) if any, where the caller knows them; ``reviewed``:
    it went live by a reviewer's approval (the guard held it)."""

    at: datetime
    old_minor: int
    new_minor: int
    change_id: int | None = None
    promotion_pct: float | None = None
    promotion_starts_at: datetime | None = None
    promotion_ends_at: datetime | None = None
    reviewed: bool = False


def prices_between(current_minor: int, moves: Sequence[PriceMove], start: datetime,
                   end: datetime) -> list[int]:
    """The prices the listing had at some moment from ``start`` to ``end`` (both included), in
    the order they were live, each once. ``current_minor`` is its price now; ``moves`` are all
    its moves, in any order. Without a move before ``start`` it had its first price then (the
    first move's old price, or the current one if it never moved)."""
    ordered = sorted(moves, key=lambda m: m.at)
    before = [m for m in ordered if m.at <= start]
    if before:
        at_start = before[-1].new_minor
    else:
        at_start = ordered[0].old_minor if ordered else current_minor
    seen = [at_start] + [m.new_minor for m in ordered if start < m.at <= end]
    return list(dict.fromkeys(seen))


def prices_before(current_minor: int, moves: Sequence[PriceMove], start: datetime) -> list[int]:
    """The prices the listing had before ``start`` (a move at ``start`` itself is not before
    it), in the order they were live, each once: its first price (the first move's old price,
    or the current one if it never moved), then each move's new price."""
    ordered = sorted(moves, key=lambda m: m.at)
    first = ordered[0].old_minor if ordered else current_minor
    return list(dict.fromkeys([first] + [m.new_minor for m in ordered if m.at < start]))
