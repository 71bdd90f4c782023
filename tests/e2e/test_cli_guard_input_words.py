"""What ``sagwa guard`` says about input it cannot use: every bad field of a row, the value as
the file wrote it, how such values are written (once), headers that are nearly right, the
changes named in a note, products a products file lacks, and a file no row of which could be
read even with --skip-bad-rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from guard_cli_files import (
    CHANGES_HEADER,
    HISTORY_HEADER,
    LABELS_HEADER,
    assert_refused,
    changes_text,
    run_on_inputs,
    write,
)
from typer.testing import Result

from sagwa.domain.money import CURRENCY_EXPONENTS

pytestmark = pytest.mark.e2e

HISTORY = HISTORY_HEADER + """\
L1,P1,S1,199000,2025-07-01T00:00:00+09:00,KRW
L2,P1,S2,189000,2025-07-01T00:00:00+09:00,KRW
L5,P2,S1,19.99,2025-07-01T00:00:00+09:00,USD
"""
PRODUCTS = "product_id,list_price,currency,category\nP1,199000,KRW,electronics\n"
GOOD = [
    "c1,L1,P1,S1,199000,189000,2025-07-10T10:00:00+09:00,,KRW",  # line 2
    "c2,L5,P2,S1,19.99,18.99,2025-07-10T12:00:00+09:00,,USD",  # line 3
]


def check(tmp_path: Path, rows: list[str] | str, *extra: str | Path,
          products: str | None = None) -> Result:
    texts = {"history": HISTORY,
             "changes": rows if isinstance(rows, str) else changes_text(rows)}
    if products is not None:
        texts["products"] = products
    return run_on_inputs("check", tmp_path, "--out", tmp_path / "v.csv", *extra, **texts)


# -- every bad field of a row, and how it is written --


def test_every_bad_field_of_a_row_is_named_and_the_form_said_once(tmp_path: Path) -> None:
    result = check(tmp_path, [
        *GOOD,
        'c3,L1,P1,S1,"199,000","19,900",2025-07-10T10:00:00+09:00,90,KRW',  # line 4
        'c4,L2,P1,S2,"189,000",180000,2025-07-10T11:00:00+09:00,,KRW',  # line 5
    ])
    assert result.exit_code == 2, result.output
    assert ('line 4: old_price "199,000" is not a price; new_price "19,900" is not a price'
            in result.stderr), result.stderr
    assert 'line 5: old_price "189,000" is not a price\n' in result.stderr
    assert result.stderr.count('prices are plain numbers with "." for decimals, without '
                               "thousands separators or currency symbols: 199000 or 19.99") == 1
    assert "2 malformed rows found; nothing written" in result.stderr
    assert not (tmp_path / "v.csv").exists()


def test_a_currency_is_quoted_as_written_and_the_known_ones_listed(tmp_path: Path) -> None:
    result = check(tmp_path, [*GOOD, "c3,L2,P1,S2,189000,180000,2025-07-10T11:00:00+09:00,,won"])
    assert result.exit_code == 2, result.output
    assert 'line 4: currency "won" is not a currency sagwa knows' in result.stderr
    assert '"WON"' not in result.stderr
    assert ", ".join(CURRENCY_EXPONENTS) in result.stderr


# -- headers that are nearly right --


@pytest.mark.parametrize(("header", "expected"), [
    (CHANGES_HEADER.replace("listing_id", "Listing_ID"),
     'differ from the required ones only by case: "Listing_ID"'),
    (CHANGES_HEADER.replace(",product_id", ", product_id"),
     'only by surrounding spaces: " product_id"'),
    (CHANGES_HEADER.replace(",", ";"), "looks semicolon-separated: the file must be comma-"),
    (CHANGES_HEADER.replace(",", "\t"), "looks tab-separated: the file must be comma-separated"),
])
def test_a_header_nearly_right_says_what_differs(tmp_path: Path, header: str,
                                                 expected: str) -> None:
    rows = "\n".join(GOOD) if "," in header else "\n".join(r.replace(",", header[9]) for r in GOOD)
    result = check(tmp_path, header + rows + "\n")
    assert_refused(result, "--changes", "lacks column(s)", expected)


# -- notes on evidence not used --


@pytest.mark.parametrize("part_rows", ["200000", "5"])  # the notes gather over the parts
def test_the_note_on_list_prices_in_another_currency_names_the_changes(tmp_path: Path,
                                                                      part_rows: str) -> None:
    rows = [f"C{k:02d},L5,P2,S1,19.99,18.99,2025-07-10T12:{k:02d}:00+09:00,,USD"
            for k in range(12)]
    products = "product_id,list_price,currency,category\nP2,25000,KRW,books\n"
    result = check(tmp_path, rows, "--part-rows", part_rows, products=products)
    assert result.exit_code == 0, result.output
    assert ("note: 12 changes had a list price in another currency than the change's: not used "
            "(change_ids C00, C01, C02, C03, C04, C05, C06, C07, C08, C09 and 2 more)"
            in result.stderr), result.stderr


def test_products_missing_from_the_products_file_are_noted(tmp_path: Path) -> None:
    rows = [*GOOD, "c3,L7,P3,S2,15000,150000,2025-07-10T13:00:00+09:00,,KRW"]
    result = check(tmp_path, rows, products=PRODUCTS)
    assert result.exit_code == 0, result.output
    assert (f"note: 2 products named by the changes are not in {tmp_path / 'products.csv'} "
            "(P2, P3): their changes were judged without a list price") in result.stderr
    assert "products named" not in check(tmp_path, rows).stderr  # no products file, no note


def test_evaluate_notes_products_missing_from_the_products_file(tmp_path: Path) -> None:
    result = run_on_inputs("evaluate", tmp_path, history=HISTORY, changes=changes_text(GOOD),
                           products=PRODUCTS, labels=LABELS_HEADER + "c1,0,none\nc2,0,none\n")
    assert result.exit_code == 0, result.output
    assert "note: 1 product named by the changes is not in" in result.stderr
    assert "(P2): its changes were judged without a list price" in result.stderr


# -- no row could be read --


def test_skipping_bad_rows_stops_when_no_row_of_the_changes_could_be_read(
    tmp_path: Path,
) -> None:
    out = write(tmp_path / "v.csv", "previous run\n")
    bad = [f'x{k},L1,P1,S1,"199,000",190000,2025-07-10T10:00:00+09:00,,KRW' for k in range(60)]
    result = check(tmp_path, bad, "--skip-bad-rows")
    assert result.exit_code == 2, result.output
    assert (f"--changes: no row of {tmp_path / 'changes.csv'} could be read (60 malformed "
            "rows); nothing written") in result.stderr, result.stderr
    assert "skipped" not in result.stderr and "changes checked" not in result.output
    assert out.read_text(encoding="utf-8") == "previous run\n"


def test_a_changes_file_without_rows_is_still_a_success_when_skipping(tmp_path: Path) -> None:
    result = check(tmp_path, CHANGES_HEADER, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert "could be read" not in result.stderr
