"""An operator's rules TOML is checked table by table, key by key: a mistake is refused with one
line naming the file, the table and the key, never silently ignored or half-applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagwa.errors import InvalidInput
from sagwa.priceguard import PriceRules, load_rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[threshold]\ndown_ratio = 0.3\n",
            "[threshold] is not a known table; known: [thresholds]",
        ),
        ("[sellers.S1]\nceilng = 50\n", "[sellers.S1] ceilng is not a known setting; known: floor"),
        ("hold_score = 0.5\n", "hold_score is outside any table"),
        ('[sellers.S1]\nfloor = "5"\n', "[sellers.S1] floor must be a price in major units"),
        ("[sellers]\nS1 = { floor = -1.0 }\n", "[sellers.S1] floor must be a price"),
        ("[sellers.S1]\nfloor = 10\nceiling = 5\n", "[sellers.S1] floor (10.0) must not be above"),
        ("[thresholds]\nhold_scroe = 0.5\n", "[thresholds] hold_scroe is not a known setting"),
        ('[thresholds]\nhold_score = "high"\n', "[thresholds] hold_score must be a number"),
        ("[thresholds]\nrecent_window = 0\n", "[thresholds] recent_window must be a whole number"),
        ("[thresholds]\npromo_mismatch_log = 0.1\n", "promo_mismatch_log must be larger than"),
        ("[promotion]\ndefault_max_depth_pct = 120\n", "[promotion] default_max_depth_pct"),
        ('[promotion.category_max_depth_pct]\ntoys = "40"\n', "category_max_depth_pct] toys"),
        ("[penny]\nmax_major = { usd = 0.01 }\n", "[penny.max_major] usd is not default or a"),
        ("[shapes]\npack_sizes = [6, 0]\n", "[shapes] pack_sizes must be a list of whole numbers"),
        ("[shapes]\nfx_rates = 7.2\n", "[shapes] fx_rates must be a list of numbers"),
    ],
)
def test_a_mistake_in_the_rules_file_is_refused_naming_file_table_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "my-rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_rules(path)
    message = caught.value.message
    assert message.startswith(f"price rules {path}: ") and "\n" not in message
    assert expected in message
    assert "__init__" not in message and "not supported between" not in message


def test_a_quoted_number_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[sellers.S1]\nfloor = "5"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="without quotes"):
        load_rules(path)


def test_a_complete_operator_file_loads_every_setting(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[thresholds]\nhold_score = 0.6\nrecent_window = 5\n"
        "[promotion]\nround_pct_step = 10\n[promotion.category_max_depth_pct]\ntoys = 40\n"
        "[penny]\nmax_major = { default = 0.05, KRW = 10 }\n"
        "[shapes]\nfx_rates = [7.2]\npack_sizes = [6, 12]\n"
        "[sellers]\nS9 = { floor = 1, ceiling = 900.0 }\n"
        'S7 = { floor = 1000, currency = " krw" }\n[sellers.S8]\nceiling = 50\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert rules.hold_score == 0.6 and rules.recent_window == 5 and rules.round_pct_step == 10.0
    assert rules.max_depth_pct("toys") == 40.0 and rules.penny_major("KRW") == 10.0
    assert rules.fx_rates == (7.2,) and rules.pack_sizes == (6, 12)
    assert rules.seller_limits("S9").floor_major == 1.0
    assert rules.seller_limits("S8").ceiling_major == 50.0
    assert rules.seller_limits("S8").floor_major is None
    assert rules.seller_limits("S7").currency == "KRW"
    assert rules.seller_limits("S7", "KRW").floor_major == 1000.0
    assert rules.seller_limits("S7", "USD").floor_major is None  # limits of another currency
    assert rules.seller_limits("S9", "USD").floor_major == 1.0  # no currency: any


def test_seller_limits_name_a_currency_sagwa_knows(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[sellers]\nS1 = { floor = 1, currency = "WON" }\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"sellers.S1\] currency must be a currency code"):
        load_rules(path)


def test_the_packaged_rules_load_as_the_defaults_they_restate() -> None:
    assert load_rules() == PriceRules(
        category_max_depth_pct={"electronics": 60.0, "grocery": 80.0, "fashion": 85.0},
        category_list_floor_pct={"books": 90.0},
        category_list_ceiling_pct={"books": 100.0},
        penny_max_major={"default": 0.01, "KRW": 1.0, "JPY": 1.0},
        fx_rates_by_currency={"KRW": (195.0, 1350.0)},
    )


def test_an_operator_file_changes_only_what_it_gives(tmp_path: Path) -> None:
    """A file holding one threshold keeps every other packaged setting: the category limits,
    the list-price floor of books and the penny price per currency (they used to fall back to
    the code's defaults: no category limits, a 0.01 penny in every currency)."""
    packaged = load_rules()
    path = tmp_path / "rules.toml"
    path.write_text("[thresholds]\nhold_score = 0.6\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.hold_score == 0.6
    assert rules.max_depth_pct("electronics") == packaged.max_depth_pct("electronics") == 60.0
    assert rules.list_floor_pct("books") == packaged.list_floor_pct("books") == 90.0
    assert rules.penny_major("KRW") == packaged.penny_major("KRW") == 1.0
    assert rules.down_ratio == packaged.down_ratio and rules.fx_rates == packaged.fx_rates


def test_an_operator_table_is_merged_entry_by_entry_and_a_list_replaced(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[promotion.category_max_depth_pct]\ntoys = 40.0\nelectronics = 80.0\n"
                    "[penny]\nmax_major = { USD = 0.05 }\n[shapes]\npack_sizes = [10]\n",
                    encoding="utf-8")
    rules = load_rules(path)
    assert rules.max_depth_pct("toys") == 40.0
    assert rules.max_depth_pct("electronics") == 80.0  # lifted to the default depth
    assert rules.max_depth_pct("fashion") == 85.0  # kept from the packaged file
    assert rules.penny_major("USD") == 0.05 and rules.penny_major("KRW") == 1.0
    assert rules.pack_sizes == (10,)
