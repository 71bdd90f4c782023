"""``sagwa guard check`` on the inputs a real export carries: a price of 0 (no price), category
names in another case, a header naming a column twice, two changes at one instant across a
chunk boundary; and a JSON output that ends with a newline."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import assert_refused, changes_text, run, write
from typer.testing import Result

pytestmark = pytest.mark.e2e

HISTORY_HEADER = "listing_id,product_id,seller_id,price,observed_at,currency\n"
IPOD_AT_ZERO = HISTORY_HEADER + """L1,IPOD,S1,199000,2008-08-01T10:00:00+09:00,KRW
L2,IPOD,S2,0,2008-08-01T10:00:00+09:00,KRW
L3,IPOD,S3,0,2008-08-01T10:00:00+09:00,KRW
L4,IPOD,S4,0,2008-08-01T10:00:00+09:00,KRW
L1,IPOD,S1,0,2008-08-10T10:00:00+09:00,KRW
"""
IPOD = "product_id,list_price,currency,category\nIPOD,199000,KRW,electronics/mp3\n"
TIED = HISTORY_HEADER + "".join(f"L{i},P,S{i},10000,2008-08-01T10:00:00Z,KRW\n" for i in (1, 2, 3))


def check(tmp_path: Path, history: str, changes: list[str], *extra: str | Path,
          products: str | None = None, name: str = "v.csv") -> Result:
    args: list[str | Path] = ["check", "--history", write(tmp_path / "h.csv", history),
                              "--changes", write(tmp_path / "c.csv", changes_text(changes)),
                              "--out", tmp_path / name, *extra]
    if products is not None:
        args += ["--products", write(tmp_path / "p.csv", products)]
    return run(*args)


def verdicts(path: Path) -> dict[str, dict]:
    return {r["change_id"]: r for r in pl.read_csv(path).to_dicts()}


def test_history_at_price_0_is_no_evidence_and_stderr_counts_it(tmp_path: Path) -> None:
    result = check(tmp_path, IPOD_AT_ZERO, [
        "C2,L2,IPOD,S2,189000,179000,2008-08-20T11:00:00+09:00,,KRW",  # an ordinary 5% cut
        "Z1,L1,IPOD,S1,0,199000,2008-08-20T10:00:00+09:00,,KRW",      # back in stock at list
        # old_price 0 is no current price: judged on the other evidence (list, other seller)
        "Z3,L9,IPOD,S9,0,19900,2008-08-20T10:00:02+09:00,,KRW",
    ], products=IPOD)
    assert result.exit_code == 0, result.output
    got = verdicts(tmp_path / "v.csv")
    assert got["C2"]["verdict"] == "allow" and got["Z1"]["verdict"] == "allow", got
    assert got["Z3"]["verdict"] == "hold" and "90% below" in got["Z3"]["reason"], got
    assert "skipped 4 rows of" in result.stderr and "at price 0" in result.stderr, result.stderr


def test_no_reason_has_an_empty_gap_or_a_question_mark(tmp_path: Path) -> None:
    result = check(tmp_path, IPOD_AT_ZERO, [
        "C1,L1,IPOD,S1,199000,19900,2008-08-20T10:00:00+09:00,90,KRW",
        "N1,LX,PX,SX,0,0,2008-08-20T10:00:00Z,,KRW",  # no current price, no evidence at all
    ], products=IPOD)
    assert result.exit_code == 0, result.output
    got = verdicts(tmp_path / "v.csv")
    assert got["N1"]["reason"] == "new price 0 KRW is a penny price, likely a placeholder", got
    for row in got.values():
        assert "?" not in row["reason"] and "  " not in row["reason"], row
        assert " 0 KRW)" not in row["reason"] and "sellers 0 KRW" not in row["reason"], row


def test_a_category_in_capitals_keeps_its_limit_and_an_unknown_one_is_noted(
        tmp_path: Path) -> None:
    products = ("product_id,list_price,currency,category\nP,10000,KRW,Books \n"
                "Q,5000,KRW,도서\nR,5000,KRW, 도서\n")
    result = check(tmp_path, TIED, ["B1,L1,P,S1,10000,7000,2008-08-20T10:00:00Z,30,KRW"],
                   products=products)
    assert result.exit_code == 0, result.output
    assert verdicts(tmp_path / "v.csv")["B1"]["verdict"] == "hold"  # below 90% of the list
    assert result.stdout == "1 changes checked, 1 held -> " + str(tmp_path / "v.csv") + "\n"
    assert result.stderr == ("note: category '도서' (2 products) matches no category in the "
                             "rules; default limits applied\n")


@pytest.mark.parametrize("rows", [
    # fast reader: every row as wide as the header
    ["C1,L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW,90000"],
    # careful reader: a short row (or a quoted line break) sends the file there
    ["C1,L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW,90000", "C2,L2,P,S2,1,2"],
    ['"C\n1",L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW,90000'],
])
@pytest.mark.parametrize("gz", [False, True])
def test_a_header_naming_a_column_twice_is_refused(
        tmp_path: Path, rows: list[str], gz: bool) -> None:
    changes = write(tmp_path / "changes.csv", changes_text(rows).replace(
        ",currency\n", ",currency,new_price\n", 1), gz=gz)
    result = run("check", "--history", write(tmp_path / "h.csv", TIED), "--changes", changes,
                 "--out", tmp_path / "v.csv")
    assert_refused(result, "changes.csv line 1: column new_price appears twice")
    assert not (tmp_path / "v.csv").exists()


def test_a_repeated_spare_column_is_refused_too(tmp_path: Path) -> None:
    text = changes_text(['"C\n1",L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW,a,b'])
    changes = write(tmp_path / "changes.csv", text.replace(",currency\n", ",currency,note,note\n"))
    result = run("check", "--history", write(tmp_path / "h.csv", TIED), "--changes", changes,
                 "--out", tmp_path / "v.csv")
    assert_refused(result, "column note appears twice")


def test_unnamed_columns_from_trailing_commas_are_ignored_on_the_careful_path(
        tmp_path: Path) -> None:
    text = changes_text(['"C\n1",L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW,,'])
    changes = write(tmp_path / "changes.csv", text.replace(",currency\n", ",currency,,\n"))
    result = run("check", "--history", write(tmp_path / "h.csv", TIED), "--changes", changes,
                 "--out", tmp_path / "v.csv")
    assert result.exit_code == 0, (result.output, result.exception)
    assert list(verdicts(tmp_path / "v.csv")) == ["C\n1"]


def test_a_change_does_not_see_one_proposed_at_its_own_instant_across_chunks(
        tmp_path: Path) -> None:
    tied = ["A,L1,P,S1,10000,30000,2008-08-20T10:00:00Z,,KRW",
            "B,L1,P,S1,30000,31000,2008-08-20T10:00:00Z,,KRW"]
    scores = {}
    for chunk, rows in (("1", tied), ("2000", tied), ("1-alone", tied[1:])):
        result = check(tmp_path, TIED, rows, "--chunk-rows", chunk.split("-")[0],
                       name=f"v{chunk}.csv")
        assert result.exit_code == 0, result.output
        scores[chunk] = verdicts(tmp_path / f"v{chunk}.csv")["B"]["score"]
    assert scores["1"] == scores["2000"] == scores["1-alone"], scores


def test_json_verdicts_end_with_a_newline(tmp_path: Path) -> None:
    for rows in ([], ["C1,L1,P,S1,10000,9000,2008-08-20T10:00:00Z,,KRW"]):
        result = check(tmp_path, TIED, rows, "--format", "json")
        assert result.exit_code == 0, result.output
        text = (tmp_path / "v.csv").read_text(encoding="utf-8")
        assert text.endswith("]\n") and not text.endswith("\n\n"), repr(text)
        assert len(json.loads(text)) == len(rows)


def test_evidence_in_another_currency_is_noted_not_used_silently(tmp_path: Path) -> None:
    """A review's finding: a list price in KRW for USD changes was dropped without a word, and
    a change in KRW on a listing priced in USD was judged against nothing, silently."""
    history = HISTORY_HEADER + "L1,P,S1,100.00,2008-08-01T10:00:00Z,USD\n"
    products = "product_id,list_price,currency,category\nP,10,KRW,electronics\n"
    result = check(tmp_path, history, [
        "C1,L1,P,S1,100.00,90.00,2008-08-20T10:00:00Z,,USD",
        "X1,L1,P,S1,100,150000,2008-08-20T11:00:00Z,,KRW",
    ], products=products)
    assert result.exit_code == 0, result.output
    assert "note: 1 change had a list price in another currency than the change's: not used" \
        in result.stderr, result.stderr
    assert ("note: 1 change came in another currency than every earlier price of its listing "
            "in the history: judged without those prices") in result.stderr, result.stderr
    quiet = check(tmp_path, history, ["C1,L1,P,S1,100.00,90.00,2008-08-20T10:00:00Z,,USD"],
                  name="w.csv")
    assert "another currency" not in quiet.stderr
