"""``sagwa ledger export`` CSV: a staff memo a spreadsheet would run as a formula is quoted;
amounts (negative ones too) stay numbers."""

from __future__ import annotations

from sagwa.cli.ledger import format_csv


def test_a_memo_that_starts_like_a_formula_is_quoted_and_amounts_are_left_alone() -> None:
    text = format_csv(["memo", "amount"], [
        {"memo": "=HYPERLINK(\"http://x\",\"click\")", "amount": -5000},
        {"memo": "@SUM(A1)", "amount": 5000},
        {"memo": "incident 1: apology compensation", "amount": None}])
    lines = text.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",-5000")
    assert lines[2] == "'@SUM(A1),5000"
    assert lines[3] == "incident 1: apology compensation,"
