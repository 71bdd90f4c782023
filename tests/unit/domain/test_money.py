"""Money is exact: integer minor units in a known currency, never a float."""

from decimal import Decimal

import pytest

from sagwa.domain.money import MAX_MAJOR_UNITS, Money, check_price, format_money
from sagwa.errors import InvalidInput


def test_of_converts_major_units_exactly() -> None:
    assert Money.of("39.99", "USD") == Money(3999, "USD")
    assert Money.of("39.99", "USD").amount_minor == 3999
    assert Money.of("19,900", "KRW") == Money(19900, "KRW")
    assert Money.of(Decimal("0.10"), "EUR") == Money(10, "EUR")
    assert Money.of(199000, "KRW").amount_minor == 199000


def test_sums_of_cents_stay_exact() -> None:
    total = Money.of("0.10", "USD") + Money.of("0.20", "USD")
    assert total == Money.of("0.30", "USD")
    assert Money(1999, "USD").times(3) == Money(5997, "USD")


def test_float_amount_is_refused() -> None:
    with pytest.raises(InvalidInput, match="whole number"):
        Money(19.99, "USD")  # type: ignore[arg-type]


def test_bool_amount_is_refused() -> None:
    with pytest.raises(InvalidInput):
        Money(True, "KRW")  # type: ignore[arg-type]


@pytest.mark.parametrize(("major", "currency"), [("39.999", "USD"), ("100.5", "KRW"),
                                                 ("1.5", "JPY")])
def test_more_decimals_than_the_currency_allows_is_refused(major: str, currency: str) -> None:
    with pytest.raises(InvalidInput, match="decimals"):
        Money.of(major, currency)


@pytest.mark.parametrize("major", ["abc", "", "Infinity", "NaN", "1e999999999"])
def test_non_amounts_are_refused_as_invalid_input(major: str) -> None:
    with pytest.raises(InvalidInput):
        Money.of(major, "USD")


@pytest.mark.parametrize("currency", ["XYZ", "krw", "", "US"])
def test_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(InvalidInput, match="unknown currency") as info:
        Money(100, currency)
    assert info.value.code == "invalid_input"
    with pytest.raises(InvalidInput, match="unknown currency"):
        Money.of("1", currency)


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot combine"):
        Money(100, "KRW") + Money(100, "USD")


@pytest.mark.parametrize(("money", "lang", "text"), [
    (Money(19900, "KRW"), "ko", "19,900원"),
    (Money(19900, "KRW"), "en", "19,900 KRW"),
    (Money(199000, "KRW"), "ko", "199,000원"),
    (Money(3999, "USD"), "en", "$39.99"),
    (Money(-3999, "USD"), "en", "-$39.99"),
    (Money(123456, "EUR"), "en", "€1,234.56"),
    (Money(500, "JPY"), "en", "¥500"),
    (Money(1250, "CNY"), "en", "CNY 12.50"),
])
def test_format_money(money: Money, lang: str, text: str) -> None:
    assert format_money(money, lang=lang) == text


def test_str_is_the_english_format() -> None:
    assert str(Money(19900, "KRW")) == "19,900 KRW"


@pytest.mark.parametrize("amount", [0, -1, -199000])
def test_price_must_be_positive(amount: int) -> None:
    with pytest.raises(InvalidInput, match="positive"):
        check_price(Money(amount, "KRW"))


def test_price_ceiling_is_ten_billion_major_units() -> None:
    assert check_price(Money(MAX_MAJOR_UNITS, "KRW")).amount_minor == 10_000_000_000
    with pytest.raises(InvalidInput, match="ceiling"):
        check_price(Money(MAX_MAJOR_UNITS + 1, "KRW"))
    assert check_price(Money(MAX_MAJOR_UNITS * 100, "USD")).currency == "USD"
    with pytest.raises(InvalidInput, match="ceiling"):
        check_price(Money(MAX_MAJOR_UNITS * 100 + 1, "USD"))


def test_smallest_price_is_one_minor_unit() -> None:
    assert check_price(Money(1, "USD")) == Money(1, "USD")


@pytest.mark.parametrize("major", [39.99, 0.1, True])
def test_of_refuses_floats_and_bools(major: object) -> None:
    with pytest.raises(InvalidInput, match="not"):
        Money.of(major, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("money", [Money(19900, "KRW"), Money(-3999, "USD"), Money(0, "JPY")])
def test_from_dict_reads_back_what_as_dict_stored(money: Money) -> None:
    assert Money.from_dict(money.as_dict()) == money


def test_from_dict_takes_minor_units_read_as_text_from_a_json_path() -> None:
    assert Money.from_dict({"amount_minor": "199000", "currency": "KRW"}) == Money(199000, "KRW")
    assert Money.from_dict({"amount_minor": "-50", "currency": "USD"}) == Money(-50, "USD")


@pytest.mark.parametrize("stored", [{"currency": "KRW"}, {"amount_minor": 1}, None, "19900"])
def test_from_dict_without_both_keys_says_what_an_amount_needs(stored: object) -> None:
    with pytest.raises(InvalidInput, match="amount_minor and currency"):
        Money.from_dict(stored)  # type: ignore[arg-type]


@pytest.mark.parametrize("stored", [{"amount_minor": 19.9, "currency": "USD"},
                                    {"amount_minor": "19.9", "currency": "USD"},
                                    {"amount_minor": 100, "currency": "XYZ"}])
def test_from_dict_keeps_money_own_checks(stored: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        Money.from_dict(stored)
