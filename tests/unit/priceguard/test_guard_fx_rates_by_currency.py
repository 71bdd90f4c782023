"""Each currency's own exchange rates (``[shapes] fx_rates_by_currency``).

The packaged ``fx_rates`` are rates against the US dollar (yuan 7.2, Hong Kong dollars 7.8 …
won 1,350): right for a USD listing, but a KRW price 1/7.2 of the old one is no currency
mix-up (no currency is 7.2 won), and a KRW price typed in yuan (1/195) is one. A KRW listing
is checked against its own list, in both paths and in the batch run; a USD listing as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sagwa.adapters.guard_input import CHANGE_COLUMNS, HISTORY_COLUMNS, read_table
from sagwa.errors import InvalidInput
from sagwa.priceguard import ChangeEvidence, check_one, check_prices, load_rules
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import ERROR_TYPES
from sagwa.services.guard_batch import run_guard

RULES = load_rules()


def named(ev: ChangeEvidence) -> str:
    """The error type of a held ``ev``, the same in both paths."""
    one = check_one(ev, RULES)
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    assert one.verdict == "hold" and bool(batch.hold[0]), one
    assert one.score == pytest.approx(float(batch.score[0]), abs=1e-12)
    assert ERROR_TYPES[batch.error_code[0]] == one.error_type
    return one.error_type


def settled(old: int, new: int, currency: str) -> ChangeEvidence:
    return ChangeEvidence(old, new, currency, recent_prices_minor=(old,) * 4)


def test_a_krw_price_typed_in_yuan_is_a_currency_mix_up() -> None:
    """185,000 won is about 949 yuan at 195: "950" typed was named a dropped zero."""
    assert named(settled(185_000, 950, "KRW")) == "currency"


def test_a_krw_price_at_a_dollar_rate_of_the_won_is_no_currency_mix_up() -> None:
    """1/7.2 and 1/31.5 are yuan and Taiwan dollars per US dollar: nothing a won price is."""
    assert named(settled(100_000, 13_900, "KRW")) != "currency"
    assert named(settled(315_000, 10_000, "KRW")) != "currency"


def test_a_usd_listing_keeps_the_dollar_rates() -> None:
    """$129.99 to $18.05 (1/7.2: yuan) is still named a currency mix-up; $129.99 to 0.66 is
    not a yuan price of a USD listing (1/195 is no dollar rate)."""
    assert named(settled(12_999, 1_805, "USD")) == "currency"
    assert named(settled(12_999, 66, "USD")) != "currency"


def test_the_batch_run_checks_each_row_against_its_currencys_rates(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text(
        "listing_id,product_id,seller_id,price,observed_at,currency\n"
        "L1,P1,S1,185000,2026-03-01T09:00:00,KRW\n"
        "L2,P2,S2,129.99,2026-03-01T09:00:00,USD\n"
        "L3,P3,S3,100000,2026-03-01T09:00:00,KRW\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        "change_id,listing_id,product_id,seller_id,old_price,new_price,proposed_at,"
        "promotion_pct,currency\n"
        "k1,L1,P1,S1,185000,950,2026-03-02T09:00:00,,KRW\n"
        "u1,L2,P2,S2,129.99,18.05,2026-03-02T09:00:00,,USD\n"
        "k2,L3,P3,S3,100000,13900,2026-03-02T09:00:00,,KRW\n", encoding="utf-8")
    run = run_guard(history=read_table(tmp_path / "h.csv", HISTORY_COLUMNS).frame,
                    changes=read_table(tmp_path / "c.csv", CHANGE_COLUMNS).frame, rules=RULES)
    types = dict(zip(run.verdicts["change_id"], run.verdicts["error_type"], strict=True))
    assert types["k1"] == "currency" and types["u1"] == "currency", types
    assert types["k2"] not in ("currency", "none"), types


def test_an_operators_rates_for_a_currency_join_the_packaged_ones(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[shapes]\nfx_rates_by_currency = { JPY = [9.2, 150.0] }\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.fx_rates_by_currency == {"KRW": (195.0, 1350.0), "JPY": (9.2, 150.0)}
    assert rules.fx_set("USD") == 0 and rules.fx_set("JPY") != rules.fx_set("KRW") != 0


@pytest.mark.parametrize(("table", "said", "reason"), [
    ('{ won = [1350.0] }', "is not a currency code sagwa knows", "rules_file_unknown_key"),
    ('{ KRW = "1350" }', "must be a list of numbers above 0", "rules_file_value_invalid"),
    ('{ KRW = [1350.0, -1.0] }', "must be a list of numbers above 0", "rules_file_value_invalid"),
    ('[1350.0]', "must be a table like", "rules_file_value_invalid"),
])
def test_a_wrong_rates_table_is_refused_saying_what_is_wrong(
        tmp_path: Path, table: str, said: str, reason: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[shapes]\nfx_rates_by_currency = {table}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=said) as caught:
        load_rules(path)
    assert caught.value.details["reason"] == reason
    assert "fx_rates_by_currency" in str(caught.value)
