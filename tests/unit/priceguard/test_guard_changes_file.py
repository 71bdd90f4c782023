"""A changes file read in blocks and shared out into parts of time (``sagwa guard check``'s way
with a file of any size) gives what a whole-file read gives: the same good rows, the same bad
rows with the same line numbers and words, the same refusals — whatever the block size."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sagwa.adapters.guard_changes_file import stage_changes
from sagwa.adapters.guard_input import CHANGE_COLUMNS, read_table
from sagwa.errors import InvalidInput

HEADER = ("change_id,listing_id,product_id,seller_id,old_price,new_price,proposed_at,"
          "promotion_pct,currency\n")


def _rows(n: int = 60, *, seed: int = 0) -> list[str]:
    """Rows in no particular time order, sharing instants, with every kind of trouble."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        minute = int(rng.integers(0, 20))
        rows.append(f"c{k},L{k % 7},P{k % 3},S{k % 7},10.00,9.{k % 10}0,"
                    f"2026-03-01T10:{minute:02d}:00+09:00,,USD\n")
    rows[3] = "c3,L1,P1,S1,10.00,9.x0,2026-03-01T10:00:00+09:00,,USD\n"  # not a price
    rows[8] = "c8,L1,P1\n"  # too few fields
    rows[12] = "\n"  # blank
    rows[17] = 'c17,L2,P2,"S\n2",10.00,9.00,2026-03-01T10:03:00+09:00,,USD\n'  # a line break
    rows[25] = "c5,L3,P1,S3,10.00,9.50,2026-03-01T10:04:00+09:00,,USD\n"  # repeats c5
    rows[40] = "c40,L4,P1,S4,10.00,9.50,2026-03-01T10:04:00,,USD\n"  # no offset: most have
    rows[55] = "c25,L4,P1,S4,10.00,9.50,2026-03-01T10:04:00+09:00,,USD\n"  # c25 was replaced
    rows[57] = "c1,L4,P1,S4,10.00,9.50,2026-03-01T10:04:00+09:00,,USD\n"  # repeats c1, far
    rows[58] = "c1,L4,P1,S4,10.00,9.50,2026-03-01T10:05:00+09:00,,USD\n"  # and again
    rows[14] = 'c14,L2,P2,S"2,10.00,9.00,2026-03-01T10:03:00+09:00,"",USD\n'  # a stray quote
    rows[30] = '"c30","L2","P2","S2","10.00","","2026-03-01T10:03:00+09:00","","USD"\n'
    return rows


def _staged_against_whole(tmp_path: Path, path: Path, block_bytes: int, part_rows: int):
    work = tmp_path / f"work-{path.name}-{block_bytes}-{part_rows}"
    work.mkdir()
    staged = stage_changes(path, work, part_rows=part_rows, block_bytes=block_bytes)
    whole = read_table(path, CHANGE_COLUMNS)
    return staged, whole


@pytest.mark.parametrize("block_bytes", [1, 90, 300, 1 << 20])
@pytest.mark.parametrize("part_rows", [1, 5, 1000])
def test_blocks_and_parts_give_the_rows_a_whole_read_gives(tmp_path, block_bytes,
                                                           part_rows) -> None:
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + "".join(_rows()), encoding="utf-8")
    staged, whole = _staged_against_whole(tmp_path, path, block_bytes, part_rows)
    assert staged.bad_rows == whole.bad_rows
    # after the line break, +1; the second repeat of c1 names c1's first line
    assert dict(whole.bad_rows) == {
        5: 'new_price "9.x0" is not a price', 10: "expected 9 fields, found 3",
        28: 'change_id "c5" repeats line 7', 33: "new_price is empty",
        43: 'proposed_at "2026-03-01T10:04:00" has no UTC offset, but most of the file\'s '
            "proposed_at values have one; give every timestamp an offset, or none",
        60: 'change_id "c1" repeats line 3', 61: 'change_id "c1" repeats line 3'}
    assert staged.count == whole.frame.height
    parts = list(staged.parts())
    frames = [frame for frame, _ in parts]
    # the run's order: time, and the file's order within an instant
    by_time = whole.frame.sort("proposed_at", maintain_order=True)
    assert pl.concat([f.sort("proposed_at", maintain_order=True) for f in frames]).equals(
        by_time, null_equal=True)
    for k, (frame, next_start) in enumerate(parts):
        at = frame["proposed_at"].dt.epoch("us")
        assert frame.height <= part_rows or at.n_unique() == 1
        if next_start is None:
            assert k == len(parts) - 1
        else:  # no instant split between two parts
            assert at.max() < next_start == parts[k + 1][0]["proposed_at"].dt.epoch("us").min()
    assert staged.keys["listing_id"].to_list() == (
        whole.frame["listing_id"].unique(maintain_order=True).to_list())
    assert not list(tmp_path.glob("work-*/*.arrow"))  # the parts were read and removed


@pytest.mark.parametrize("block_bytes", [1, 200])
def test_a_gzip_file_and_old_mac_line_ends_read_in_blocks_as_whole(tmp_path,
                                                                   block_bytes) -> None:
    text = HEADER + "".join(r for r in _rows(seed=1) if '"' not in r)
    packed = tmp_path / "changes.csv.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    mac = tmp_path / "mac.csv"
    mac.write_bytes(text.replace("\n", "\r").encode())
    for path in (packed, mac):
        staged, whole = _staged_against_whole(tmp_path, path, block_bytes, 7)
        assert staged.bad_rows == whole.bad_rows and whole.bad_rows
        assert staged.count == whole.frame.height > 20


def test_the_offset_decision_is_the_whole_files_not_a_blocks(tmp_path) -> None:
    """The first block has only values without an offset; most of the file has offsets: the
    few without are the malformed ones, as when the file is read whole."""
    rows = [f"c{k},L1,P1,S1,10.00,9.00,2026-03-01T10:{k:02d}:00{'' if k < 3 else 'Z'},,USD\n"
            for k in range(20)]
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    staged, whole = _staged_against_whole(tmp_path, path, 150, 100)
    assert [line for line, _ in staged.bad_rows] == [2, 3, 4]
    assert staged.bad_rows == whole.bad_rows


@pytest.mark.parametrize(("name", "data"), [
    ("truncated gzip", gzip.compress((HEADER + "c1,L1,P1,S1,1.00,2.00,2026-01-01,,USD\n" * 50)
                                     .encode())[:-30]),
    ("unclosed quote", (HEADER + "c1,L1,P1,S1,1.00,2.00,2026-01-01,,USD\n" * 30
                        + 'c99,"L1,P1,S1,1.00,2.00,2026-01-01,,USD\n'
                        + "c2,L1,P1,S1,1.00,2.00,2026-01-01,,USD\n" * 5).encode()),
    ("empty", b""),
    ("no such column", b"change_id,price\nc1,2\n"),
    ("utf-16", HEADER.encode("utf-16")),
    ("not utf-8 later", (HEADER + "c1,L1,P1,S1,1.00,2.00,2026-01-01,,USD\n" * 30).encode()
     + b"c9,L\xff,P1,S1,1.00,2.00,2026-01-01,,USD\n"),
])
def test_a_file_refused_whole_is_refused_in_blocks_with_the_same_words(tmp_path, name,
                                                                       data) -> None:
    path = tmp_path / "changes.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as whole:
        read_table(path, CHANGE_COLUMNS)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(InvalidInput, match=re.escape(whole.value.message)):
        stage_changes(path, work, block_bytes=100)


def test_a_header_only_file_has_no_parts(tmp_path) -> None:
    path = tmp_path / "changes.csv"
    path.write_text(HEADER, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    staged = stage_changes(path, work, block_bytes=10)
    assert (staged.count, staged.bad_rows, list(staged.parts())) == (0, [], [])


def test_a_quoted_value_longer_than_the_csv_modules_field_limit_is_read(tmp_path) -> None:
    """Finding a block's end asks the csv module, whose default field limit is 131,072
    characters: a longer quoted value is read as the whole-file reader reads it."""
    long = "x" * 200_000
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + f'c1,L1,P1,"{long}",10.00,9.00,2026-01-01,,USD\n'
                    + "c2,L1,P1,S1,10.00,9.00,2026-01-02,,USD\n", encoding="utf-8")
    staged, whole = _staged_against_whole(tmp_path, path, 50_000, 10)
    assert (staged.count, staged.bad_rows) == (whole.frame.height, whole.bad_rows) == (2, [])


@pytest.mark.parametrize("packed", [False, True])
def test_a_changes_file_from_a_pipe_is_read_whole(tmp_path, packed) -> None:
    """The first bytes are peeked at, not read and lost: a pipe (/dev/stdin) keeps them."""
    import os
    import threading

    text = (HEADER + "c1,L1,P1,S1,10.00,9.00,2026-01-01,,USD\n" * 1).encode()
    data = gzip.compress(text) if packed else text
    read_end, write_end = os.pipe()
    threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end))).start()
    work = tmp_path / "work"
    work.mkdir()
    staged = stage_changes(Path(f"/dev/fd/{read_end}"), work)
    os.close(read_end)
    assert (staged.count, staged.bad_rows) == (1, [])


@pytest.mark.parametrize("first_has_offset", [True, False])
def test_a_tie_in_offsets_goes_the_way_of_the_first_readable_value(tmp_path,
                                                                   first_has_offset) -> None:
    with_offset, without = "2026-03-01T10:00:00Z", "2026-03-01T10:01:00"
    times = [with_offset, without] if first_has_offset else [without, with_offset]
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + "c0,L1,P1,S1,10.00,9.00,not a time,,USD\n" + "".join(
        f"c{k},L1,P1,S1,10.00,9.00,{t},,USD\n" for k, t in enumerate(times, start=1)),
        encoding="utf-8")
    staged, whole = _staged_against_whole(tmp_path, path, 60, 10)
    said = "has no UTC offset" if first_has_offset else "has a UTC offset"
    assert [line for line, problem in whole.bad_rows if said in problem] == [4]
    assert staged.bad_rows == whole.bad_rows
