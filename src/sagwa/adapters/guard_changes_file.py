"""A changes file of any size made ready to be judged in parts of time, in bounded memory.

:func:`stage_changes` reads the file in blocks (``guard_input_blocks``) three times over
files it keeps in a working directory (Arrow IPC, removed with it):

1. the text of each block, and how the file's timestamps carry UTC offsets (a whole-file
   decision, as when the file is read whole);
2. each block's rows validated (``guard_row_checks``): the bad ones kept as ``(line,
   problem)``, the good ones typed; a ``change_id`` repeated anywhere later in the file is
   found through a 64-bit fingerprint of each id, then compared in full;
3. the good rows shared out into parts of time (``guard_batch.part_starts``: at most
   ``part_rows`` changes each, no instant split), each part's rows in file order.

What it keeps in memory as the file grows is the order of the changes (8 bytes a change, to
find where the parts start), the fingerprints while looking for repeats (16 bytes a change),
and the listing, product and currency ids (each once). The bad rows are those a whole-file
read reports, with the same line numbers and words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from sagwa.adapters.guard_input import CHANGE_COLUMNS
from sagwa.adapters.guard_input_blocks import BLOCK_BYTES, iter_text_blocks
from sagwa.adapters.guard_row_checks import OffsetVotes, offset_votes, repeated, validate_rows
from sagwa.services.guard_batch import ids_of, part_starts

#: Changes judged at once by default: a part of a run (``GuardStream.judge``).
PART_ROWS = 200_000
_KEYS = ("listing_id", "product_id", "currency")


@dataclass(frozen=True)
class StagedChanges:
    """A changes file validated and shared out into parts of time (in ``workdir``)."""

    workdir: Path
    bad_rows: list[tuple[int, str]]
    count: int  # good rows (after dropping repeats)
    keys: dict[str, pl.Series]
    #: each part's first instant (microseconds since 1970), in time order
    part_start_us: list[int]

    def parts(self) -> Iterator[tuple[pl.DataFrame, int | None]]:
        """Each part's changes (file order) and the next part's first instant (None: last)."""
        for k in range(len(self.part_start_us)):
            files = sorted(self.workdir.glob(f"part-{k:06d}-*.arrow"))
            frame = pl.concat([pl.read_ipc(f) for f in files])
            for f in files:
                f.unlink()
            nxt = self.part_start_us[k + 1] if k + 1 < len(self.part_start_us) else None
            yield frame, nxt

    def column(self, name: str) -> Iterator[pl.Series]:
        """One column of the changes, a piece at a time, before :meth:`parts` (which it leaves
        to be read): e.g. the ``change_id`` to match labels against before the run."""
        for k in range(len(self.part_start_us)):
            for f in sorted(self.workdir.glob(f"part-{k:06d}-*.arrow")):
                yield pl.read_ipc(f, columns=[name])[name]


def stage_changes(path: Path, workdir: Path, *, part_rows: int = PART_ROWS,
                  block_bytes: int = BLOCK_BYTES) -> StagedChanges:
    """Read, validate and share out the changes file ``path`` (see the module)."""
    blocks, ragged, votes = _read_text_blocks(path, workdir, block_bytes)
    offsets = {name: v.decision() for name, v in votes.items()}
    bad = list(ragged)
    prints = []
    for k in range(blocks):
        raw_file = workdir / f"text-{k:06d}.arrow"
        raw = pl.read_ipc(raw_file)
        raw_file.unlink()
        # repeats are found over the whole file below (the first row of an id may be in an
        # earlier block), so a block keeps its own
        good, bad_here = validate_rows(raw, CHANGE_COLUMNS, key=None, offsets=offsets)
        del raw
        bad += bad_here
        good.write_ipc(workdir / f"good-{k:06d}.arrow")
        prints.append(good["change_id"].hash(seed=0).to_numpy())
    repeats, bad_repeats = _repeats(workdir, prints)
    del prints
    bad += bad_repeats
    times, keys = _times_and_keys(workdir, blocks, repeats)
    count = int(times.size)
    order = np.sort(times, kind="stable")
    del times
    starts = part_starts(order, part_rows)
    start_us = [int(order[s]) for s in starts] if order.size else []
    del order
    _share_out(workdir, blocks, repeats, np.asarray(start_us, dtype=np.int64))
    return StagedChanges(workdir, sorted(bad), count, keys, start_us)


def _read_text_blocks(path: Path, workdir: Path,
                      block_bytes: int) -> tuple[int, list[tuple[int, str]], dict[str, OffsetVotes]]:
    """Pass 1: each block's text to ``text-K.arrow``; the ragged rows; the offset votes."""
    ragged: list[tuple[int, str]] = []
    votes: dict[str, OffsetVotes] = {}
    blocks = 0
    for raw, ragged_here in iter_text_blocks(path, CHANGE_COLUMNS, block_bytes=block_bytes):
        ragged += ragged_here
        for name, v in offset_votes(raw, CHANGE_COLUMNS).items():
            votes[name] = votes.get(name, OffsetVotes()).plus(v)
        raw.write_ipc(workdir / f"text-{blocks:06d}.arrow")
        blocks += 1
    return blocks, ragged, votes


def _repeats(workdir: Path,
             prints: list[np.ndarray]) -> tuple[set[int], list[tuple[int, str]]]:
    """The lines whose ``change_id`` an earlier row already had (the first is kept), and a bad
    row for each naming the first one's line, as the whole-file check words it; ``prints``:
    each block's fingerprints of its good rows' ids."""
    if not prints:
        return set(), []
    block_of = np.repeat(np.arange(len(prints)), [p.size for p in prints])
    fingerprints = np.concatenate(prints)
    values, counts = np.unique(fingerprints, return_counts=True)
    shared = values[counts > 1]
    if shared.size == 0:
        return set(), []
    suspects = np.isin(fingerprints, shared)
    wanted = set(np.unique(block_of[suspects]).tolist())
    found = []
    for k in sorted(wanted):
        good = pl.read_ipc(workdir / f"good-{k:06d}.arrow", columns=["change_id", "_line"])
        mask = np.isin(prints[k], shared)
        found.append(good.filter(pl.Series(mask)))
    rows = pl.concat(found).sort("_line")
    first = rows.group_by("change_id").agg(pl.col("_line").min().alias("_first"))
    later = rows.join(first, on="change_id").filter(pl.col("_line") != pl.col("_first"))
    bad = [repeated("change_id", value, line, first_line)
           for line, value, first_line in later.select("_line", "change_id", "_first").iter_rows()]
    return set(later["_line"].to_list()), bad


def _good_block(workdir: Path, k: int, repeats: set[int]) -> pl.DataFrame:
    good = pl.read_ipc(workdir / f"good-{k:06d}.arrow")
    if repeats:
        good = good.filter(~pl.col("_line").is_in(list(repeats)))
    return good


def _times_and_keys(workdir: Path, blocks: int,
                    repeats: set[int]) -> tuple[np.ndarray, dict[str, pl.Series]]:
    """Every good change's time (microseconds, file order) and the ids the run will number."""
    times = []
    keys: dict[str, pl.Series] = {}
    for k in range(blocks):
        good = _good_block(workdir, k, repeats)
        times.append(good["proposed_at"].dt.epoch("us").to_numpy())
        for name, values in ids_of(good).items():
            keys[name] = (values if name not in keys
                          else pl.concat([keys[name], values]).unique(maintain_order=True))
    if not keys:
        keys = {name: pl.Series(name, [], pl.Utf8) for name in _KEYS}
    return (np.concatenate(times) if times else np.zeros(0, dtype=np.int64)), keys


def _share_out(workdir: Path, blocks: int, repeats: set[int], start_us: np.ndarray) -> None:
    """Pass 3: each block's good rows to ``part-P-K.arrow`` by the part their time falls in."""
    for k in range(blocks):
        good = _good_block(workdir, k, repeats)
        (workdir / f"good-{k:06d}.arrow").unlink()
        if good.height == 0:
            continue
        at = good["proposed_at"].dt.epoch("us").to_numpy()
        part = np.searchsorted(start_us, at, side="right") - 1
        for p, rows in good.with_columns(_part=pl.Series(part)).partition_by(
                "_part", as_dict=True, maintain_order=True).items():
            rows.drop("_part").write_ipc(workdir / f"part-{int(p[0]):06d}-{k:06d}.arrow")
