"""The batch service refuses a chunk size below one (it would never advance)."""

from __future__ import annotations

import polars as pl
import pytest

from sagwa.errors import InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard


@pytest.mark.parametrize("chunk_rows", [0, -1])
def test_run_guard_refuses_a_chunk_size_below_one(chunk_rows: int) -> None:
    empty = pl.DataFrame()
    with pytest.raises(InvalidInput, match="chunk_rows must be 1 or more"):
        run_guard(history=empty, changes=empty, rules=load_rules(), chunk_rows=chunk_rows)
