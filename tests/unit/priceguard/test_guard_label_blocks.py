"""A labels file read a block at a time (``sagwa guard evaluate``'s way with labels as long as
a large changes file) gives what a whole-file read gives: the same typed rows in the same
order, the same bad rows with the same line numbers and words (a ``change_id`` repeated in a
later block included), the same refusals — whatever the block size."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from sagwa.adapters.guard_input import CHANGE_COLUMNS, LABEL_COLUMNS, read_table
from sagwa.adapters.guard_input_blocks import read_table_in_blocks
from sagwa.errors import InvalidInput

HEADER = "change_id,is_error,error_type\n"


def _rows(n: int = 80) -> list[str]:
    """Labels with every kind of trouble a labels file can have."""
    rows = [f"c{k},{1 if k % 4 == 0 else 0},{'extra_zero' if k % 4 == 0 else 'none'}\n"
            for k in range(n)]
    rows[3] = "c3,yes,none\n"  # not 0 or 1
    rows[5] = "c5,1,none\n"  # an error of no type
    rows[9] = "c9,0\n"  # too few fields
    rows[12] = "\n"  # blank
    rows[17] = '"c\n17",0,none\n'  # a line break in a quoted id
    rows[25] = "c6,0,none\n"  # repeats c6, near
    rows[61] = "c2,0,none\n"  # repeats c2, far
    rows[62] = "c2,1,penny\n"  # and again
    rows[70] = "c3,0,none\n"  # c3's first row was bad: this one is its label
    rows[74] = '"c74"," 0","none"\n'
    rows[77] = "c77,1,shipping_fee_typo\n"  # a type the guard does not name
    return rows


@pytest.mark.parametrize("block_bytes", [1, 40, 300, 1 << 20])
@pytest.mark.parametrize("packed", [False, True])
def test_blocks_give_the_rows_a_whole_read_gives(tmp_path, block_bytes, packed) -> None:
    data = (HEADER + "".join(_rows())).encode()
    path = tmp_path / "labels.csv"
    path.write_bytes(gzip.compress(data) if packed else data)
    whole = read_table(path, LABEL_COLUMNS)
    blocks = read_table_in_blocks(path, LABEL_COLUMNS, block_bytes=block_bytes)
    assert blocks.bad_rows == whole.bad_rows
    assert_frame_equal(blocks.frame, whole.frame)
    assert any("repeats line" in problem for _, problem in whole.bad_rows)
    assert whole.frame.height > 60


def test_a_header_only_file_has_no_rows(tmp_path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(HEADER, encoding="utf-8")
    blocks = read_table_in_blocks(path, LABEL_COLUMNS, block_bytes=10)
    assert_frame_equal(blocks.frame, read_table(path, LABEL_COLUMNS).frame)
    assert blocks.bad_rows == []


@pytest.mark.parametrize("data", [
    b"",
    b"change_id,is_error\nc1,0\n",
    HEADER.encode("utf-16"),
    (HEADER + "c1,0,none\n" * 30).encode() + b"c\xff,0,none\n",
    gzip.compress((HEADER + "c1,0,none\n" * 30).encode(), mtime=0)[:-12],
], ids=["empty", "no such column", "utf-16", "not utf-8 later", "truncated gzip"])
def test_a_file_refused_whole_is_refused_in_blocks_with_the_same_words(tmp_path,
                                                                       data) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as whole:
        read_table(path, LABEL_COLUMNS)
    with pytest.raises(InvalidInput, match=re.escape(whole.value.message)):
        read_table_in_blocks(path, LABEL_COLUMNS, block_bytes=50)


def test_a_layout_with_timestamps_is_not_read_in_blocks_here(tmp_path: Path) -> None:
    """Whether its timestamps carry UTC offsets is decided over the whole file."""
    with pytest.raises(ValueError, match="timestamps"):
        read_table_in_blocks(tmp_path / "changes.csv", CHANGE_COLUMNS)
