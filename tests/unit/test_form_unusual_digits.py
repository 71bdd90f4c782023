"""Page forms read full-width numbers as ASCII and refuse other digits with the field's message
(never a 500 from ``int()`` after ``str.isdigit()`` said yes)."""

import pytest

from sagwa.domain.money import Money
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.forms import parse_int, parse_promotion, parse_won


def test_full_width_won_is_read_as_ascii() -> None:
    assert parse_won("１９，９００원", "new_price") == Money(19_900, "KRW")
    assert parse_won("１９９００ ＫＲＷ", "new_price") == Money(19_900, "KRW")


@pytest.mark.parametrize("typed", ["①", "1990²", "١٩٩٠٠", "19900.5", ""])
def test_other_digits_in_a_price_are_a_field_problem(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_won(typed, "new_price")
    assert info.value.details["field"] == "new_price"
    assert "19,900" in info.value.ko


def test_full_width_integers_are_read_as_ascii() -> None:
    assert parse_int("５０", "seller_share_pct") == 50
    assert parse_int(" 1,000 ", "cancel_compensation") == 1000
    assert parse_int("", "discount_pct", optional=True) is None


@pytest.mark.parametrize("typed", ["①", "²", "١٢", "1_000", "3，4"])
def test_other_digits_in_an_integer_are_a_field_problem(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_int(typed, "listing_ids")
    assert info.value.details["field"] == "listing_ids"


def test_full_width_promotion_percent_is_read() -> None:
    promotion = parse_promotion("１０％", None, None)
    assert promotion is not None and promotion.percent == 10.0


@pytest.mark.parametrize("typed", ["①", "١٠", "nan", "1e1"])
def test_other_promotion_percents_are_a_field_problem(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_promotion(typed, None, None)
    assert info.value.details["field"] == "promotion.percent"


@pytest.mark.parametrize("typed", ["5,00", "1,8500", "0,500", "1,000,00"])
def test_a_comma_out_of_its_place_is_refused_saying_where_commas_go(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_int(typed, "cancel_compensation")
    assert "세 자리마다" in info.value.ko and "5,000" in info.value.ko
    assert "groups of three digits" in info.value.en
