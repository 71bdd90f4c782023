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


def test_the_batch_holds_a_book_below_the_fixed_book_price_as_the_single_check_does(
        tmp_path: Path) -> None:
    history = ("listing_id,product_id,seller_id,price,observed_at,currency\n"
               "B1,P7,S1,15000,2025-07-01,KRW\nB2,P7,S2,14500,2025-07-01,KRW\n")
    products = "product_id,list_price,currency,category\nP7,15000,KRW,books/novel\n"
    out = tmp_path / "v.csv"
    result = run("check", "--history", write(tmp_path / "h.csv", history),
                 "--changes", write(tmp_path / "c.csv", changes_text(
                     ["ok,B1,P7,S1,15000,13500,2025-07-03T10:00:00,,KRW",
                      "deep,B2,P7,S2,14500,12000,2025-07-03T10:00:00,20,KRW"])),
                 "--products", write(tmp_path / "p.csv", products), "--out", out,
                 "--lang", "ko")
    assert result.exit_code == 0, result.output
    got = {r["change_id"]: r for r in pl.read_csv(out).to_dicts()}
    assert got["ok"]["verdict"] == "allow", got
    assert got["deep"]["verdict"] == "hold", got
    assert got["deep"]["reason"].startswith(
        "새 가격 12,000원은 도서정가제 최저가 13,500원(정가 15,000원의 90%)보다 낮습니다"), got  # names the law


@pytest.mark.parametrize("zero", ["0", "0.0", "00"])
def test_a_promotion_pct_of_zero_declares_nothing_and_does_not_lift_the_undeclared_cut_limit(
        tmp_path: Path, zero: str) -> None:
    """A tool that writes 0 for "no promotion" gets the verdict an empty promotion_pct gets:
    a 61% cut of electronics (limit 60%) is held either way (a 0 once let it through)."""
    products = "product_id,list_price,currency,category\nP1,199000,KRW,electronics\n"
    out = tmp_path / "v.csv"
    result = run("check", "--history", write(tmp_path / "h.csv", HISTORY),
                 "--changes", write(tmp_path / "c.csv", changes_text(
                     [f"z1,L1,P1,S1,199000,77600,2025-07-03T10:00:00,{zero},KRW",
                      "z2,L2,P1,S2,189000,73700,2025-07-03T10:00:00,,KRW"])),
                 "--products", write(tmp_path / "p.csv", products), "--out", out)
    assert result.exit_code == 0, result.output
    rows = {r["change_id"]: r for r in pl.read_csv(out).to_dicts()}
    assert rows["z1"]["verdict"] == rows["z2"]["verdict"] == "hold", rows
    assert "needs a declared promotion" in rows["z1"]["reason"], rows["z1"]
