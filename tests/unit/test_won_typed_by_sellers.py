"""Won amounts as Korean sellers type them are read exactly (``₩170,000``, ``17만 5천원``);
a misplaced comma or an unclear Korean unit is refused with the field's message, never guessed."""

import pytest

from sagwa.domain.money import Money
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.forms import parse_won


@pytest.mark.parametrize(("typed", "won"), [
    ("19900", 19_900), ("19,900", 19_900), ("1,234,567", 1_234_567),
    ("₩170,000", 170_000), ("￦170,000", 170_000), ("KRW 170000", 170_000),
    ("170,000원", 170_000), ("170,000 원", 170_000), ("184,000KRW", 184_000),
    ("１７００００", 170_000), ("１８４，０００원", 184_000), ("  19,900  원 ", 19_900),
])
def test_digits_with_grouping_commas_and_won_signs_are_read(typed: str, won: int) -> None:
    assert parse_won(typed, "new_price") == Money(won, "KRW")


@pytest.mark.parametrize(("typed", "won"), [
    ("17만원", 170_000), ("17만", 170_000), ("17만 5천원", 175_000), ("17만5천원", 175_000),
    ("17만 5000원", 175_000), ("17만 5,000원", 175_000), ("1,200만원", 12_000_000),
    ("5천원", 5_000), ("5천 500원", 5_500), ("1만 2천 500원", 12_500), ("１７만원", 170_000),
])
def test_korean_units_are_read_exactly(typed: str, won: int) -> None:
    assert parse_won(typed, "new_price") == Money(won, "KRW")


@pytest.mark.parametrize("typed", ["185,00", "1,8500", "18,5000", "1,85,000"])
def test_a_misplaced_comma_is_refused_not_dropped(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_won(typed, "new_price")
    assert info.value.details["field"] == "new_price"
    assert info.value.ko.startswith("새 가격: 쉼표 위치가 맞지 않습니다(")
    assert f"('{typed}')" in info.value.ko and "19,900처럼" in info.value.ko
    assert "commas in the new price are misplaced" in info.value.en


@pytest.mark.parametrize("typed", [
    "만원", "천원", "2.5만", "17만 12000", "5천 1500", "0만 5000", "10천", "17만 5천 1000",
    "1,2만", "17백", "1원9900", "170 000", ",100", "100,", "₩", "19900.5",
])
def test_unclear_amounts_are_refused_with_an_example_with_commas(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_won(typed, "wrong_price")
    assert info.value.details["field"] == "wrong_price"
    assert info.value.ko == "잘못 표시된 가격: 19,900처럼 원 단위 숫자로 입력해 주세요."
    assert info.value.en == "Enter the wrong price as a whole number of won, like 19,900."


@pytest.mark.parametrize("typed", ["-5000", "-19,900", "−19900", "- 5,000원"])
def test_a_negative_amount_is_said_to_be_negative(typed: str) -> None:
    """A walkthrough typed -5000 and was told only to write 19,900."""
    with pytest.raises(FormProblem) as refused:
        parse_won(typed, "new_price")
    assert "cannot be negative" in refused.value.en and "음수" in refused.value.ko
    assert refused.value.details["field"] == "new_price"


def test_a_negative_promotion_percent_is_said_to_be_negative() -> None:
    from sagwa.web.pages.forms import parse_promotion

    with pytest.raises(FormProblem) as refused:
        parse_promotion("-10", None, None)
    assert "cannot be negative" in refused.value.en and "음수" in refused.value.ko
