"""``sagwa guard check`` reads a category's promotion limit as the single check does: a
sub-category without a limit of its own takes its parent's ("electronics/mp3" → "electronics")."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write

from sagwa.priceguard import ChangeEvidence, check_one, load_rules

pytestmark = pytest.mark.e2e

HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,199000,2025-07-01,KRW
L1,P1,S1,199000,2025-07-02,KRW
L2,P1,S2,189000,2025-07-01,KRW
L3,P1,S3,195000,2025-07-01,KRW
L4,P1,S4,205000,2025-07-01,KRW
"""


def verdict_of(tmp_path: Path, category: str) -> dict:
    products = f"product_id,list_price,currency,category\nP1,199000,KRW,{category}\n"
    out = tmp_path / "v.csv"
    result = run("check", "--history", write(tmp_path / "h.csv", HISTORY),
                 "--changes", write(tmp_path / "c.csv", changes_text(
                     ["c5,L1,P1,S1,199000,59700,2025-07-03T10:00:00,70,KRW"])),
                 "--products", write(tmp_path / "p.csv", products), "--out", out)
    assert result.exit_code == 0, result.output
    return pl.read_csv(out).to_dicts()[0]


@pytest.mark.parametrize(("category", "verdict"), [
    ("electronics", "hold"),        # 60% limit: a declared 70% needs a reviewer
    ("electronics/mp3", "hold"),    # no limit of its own: its parent's
    ("grocery/snacks", "allow"),    # grocery allows 80%: a matching 70% sale passes
])
def test_a_sub_category_takes_its_parents_promotion_limit_as_the_single_check_does(
        tmp_path: Path, category: str, verdict: str) -> None:
    got = verdict_of(tmp_path, category)
    single = check_one(ChangeEvidence(199_000, 59_700, "KRW", (199_000, 199_000),
                                      (189_000, 195_000, 205_000), 199_000, promotion_pct=70.0,
                                      category=category), load_rules())
    assert (got["verdict"], single.verdict) == (verdict, verdict), (got, single)
    if verdict == "hold":
        assert got["reason"].startswith("declared promotion of 70% needs a reviewer's approval "
                                         "(60% or deeper does;"), got
