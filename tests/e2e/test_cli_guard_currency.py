"""``sagwa guard check`` compares a change only with evidence in its own currency.

A listing's history, other sellers' prices and the list price in another currency are not
evidence (10.00 USD is not 1,000 KRW), as in the single check the web request runs.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write

pytestmark = pytest.mark.e2e

USD_HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,10.00,2025-07-01,USD
L1,P1,S1,10.00,2025-07-02,USD
L2,P1,S2,10.50,2025-07-01,USD
L3,P1,S3,9.90,2025-07-01,USD
"""


def verdicts(tmp_path: Path, history: str, changes: list[str], products: str | None = None) -> dict:
    history_file = write(tmp_path / "h.csv", history)
    changes_file = write(tmp_path / "c.csv", changes_text(changes))
    args: list[str | Path] = ["check", "--history", history_file, "--changes", changes_file]
    if products is not None:
        args += ["--products", write(tmp_path / "p.csv", products)]
    out = tmp_path / "v.csv"
    result = run(*args, "--out", out)
    assert result.exit_code == 0, result.output
    return {row["change_id"]: row for row in pl.read_csv(out).to_dicts()}


def test_history_and_other_sellers_in_another_currency_do_not_vouch_for_a_price(
    tmp_path: Path,
) -> None:
    # 10.00 USD is 1000 minor units, as is 1,000 KRW: they must not be read as the same price
    got = verdicts(tmp_path, USD_HISTORY, ["a,L1,P1,S1,10000,1000,2025-07-03T10:00:00,,KRW"])
    assert got["a"]["verdict"] == "hold", got["a"]
    assert got["a"]["error_type"] == "decimal_slip"


def test_other_sellers_in_the_changes_currency_still_count(tmp_path: Path) -> None:
    history = USD_HISTORY + "L4,P1,S4,13000,2025-07-01,KRW\nL5,P1,S5,13500,2025-07-01,KRW\n"
    got = verdicts(
        tmp_path,
        history,
        [
            "a,L1,P1,S1,10.00,10.20,2025-07-03T10:00:00,,USD",
            "b,L6,P1,S6,13000,1300,2025-07-03T10:00:00,,KRW",
        ],
    )
    assert got["a"]["verdict"] == "allow"
    assert got["b"]["verdict"] == "hold"


def test_a_list_price_in_another_currency_does_not_vouch_for_a_price(tmp_path: Path) -> None:
    products = "product_id,list_price,currency,category\nP99,19900,KRW,book\n"
    change = ["b,L9,P99,S1,19.90,199.00,2025-07-03T10:00:00,,USD"]
    with_list = verdicts(tmp_path, USD_HISTORY, change, products)
    without = verdicts(tmp_path, USD_HISTORY, change)
    assert with_list["b"]["verdict"] == "hold" and with_list["b"]["error_type"] == "extra_zero"
    assert with_list["b"] == without["b"]


def test_a_list_price_in_the_changes_currency_still_counts(tmp_path: Path) -> None:
    products = "product_id,list_price,currency,category\nP99,199.00,USD,book\n"
    history = USD_HISTORY + "L9,P99,S1,199.00,2025-06-01,USD\n"
    change = ["b,L9,P99,S1,19.90,199.00,2025-07-03T10:00:00,,USD"]
    got = verdicts(tmp_path, history, change, products)
    assert got["b"]["verdict"] == "allow"


TWO_CURRENCIES = USD_HISTORY + """L9,P9,S1,150000,2025-07-01,KRW
L9,P9,S1,150000,2025-07-02,KRW
"""


@pytest.mark.parametrize(("limits", "usd_verdict"), [
    ('{ floor = 100000.0, ceiling = 500000.0, currency = "krw" }', "allow"),
    ("{ floor = 100000.0, ceiling = 500000.0 }", "hold"),  # in each listing's own currency
])
def test_seller_limits_in_one_currency_leave_the_sellers_other_prices_alone(
        tmp_path: Path, limits: str, usd_verdict: str) -> None:
    """An audit's finding: a seller's KRW floor of 100,000 held their USD listing's 10.00 ->
    9.50 as "below the seller's floor of $100,000.00; looks like a mistyped digit". Limits may
    name their currency; a hold past a seller's limit names no error type unless a shape does
    (a 5% cut under the floor is no typo)."""
    rules = write(tmp_path / "rules.toml", f"[sellers]\nS1 = {limits}\n")
    history_file = write(tmp_path / "h.csv", TWO_CURRENCIES)
    changes_file = write(tmp_path / "c.csv", changes_text([
        "u1,L1,P1,S1,10.00,9.50,2025-07-03,,USD",
        "k1,L9,P9,S1,150000,95000,2025-07-03,,KRW",
    ]))
    out = tmp_path / "v.csv"
    result = run("check", "--history", history_file, "--changes", changes_file, "--rules", rules,
                 "--out", out)
    assert result.exit_code == 0, result.output
    got = {row["change_id"]: row for row in pl.read_csv(out).to_dicts()}
    assert got["u1"]["verdict"] == usd_verdict
    assert got["k1"]["verdict"] == "hold"
    assert "below the seller's floor of 100,000 KRW" in got["k1"]["reason"]
    assert got["k1"]["error_type"] == "none" and "looks like" not in got["k1"]["reason"]
    if usd_verdict == "hold":
        assert got["u1"]["error_type"] == "none"
        assert "floor of $100,000.00" in got["u1"]["reason"]
