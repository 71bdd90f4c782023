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
    # 백 (100), as a seller walk typed it (refused before, though 17만 5천원 was the hint)
    ("2만5천5백원", 25_500), ("2만 2천 5백", 22_500), ("5백원", 500), ("3만 5백원", 30_500),
    ("2만5천5백50원", 25_550),
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
    "만원", "천원", "0만 5000", "10천", "1,2만", "17백", "1원9900", ",100", "100,", "₩", "백원",
    "2만 5백 3천",
])
def test_unclear_amounts_are_refused_with_an_example_with_commas(typed: str) -> None:
    with pytest.raises(FormProblem) as info:
        parse_won(typed, "wrong_price")
    assert info.value.details["field"] == "wrong_price"
    assert info.value.ko == "잘못 표시된 가격: 19,900처럼 원 단위 숫자로 입력해 주세요."
    assert info.value.en == "Enter the wrong price as a whole number of won, like 19,900."


@pytest.mark.parametrize(("typed", "ko", "en"), [
    ("17만 12000", ("새 가격: '만' 뒤의 12,000은(는) 만(10,000)보다 작아야 합니다('17만 12000'). "
                    "182,000원이라면 18만 2천, 182000 또는 182,000처럼 입력해 주세요."),
     ("In the new price, the 12,000 after 만 must be less than 만 (10,000) ('17만 12000'): "
      "for 182,000 won, write 182000 or 182,000.")),
    ("5천 1500", ("'천' 뒤의 1,500은(는) 천(1,000)보다 작아야 합니다('5천 1500'). 6,500원이라면 "
                 "6500 또는 6,500처럼"), "the 1,500 after 천 must be less than 천 (1,000)"),
    ("17만 5천 1000", "'천' 뒤의 1,000은(는) 천(1,000)보다 작아야 합니다", "for 176,000 won"),
    ("2만5천5백150", "'백' 뒤의 150은(는) 백(100)보다 작아야 합니다", "for 25,650 won"),
])
def test_a_remainder_too_big_for_its_unit_is_said_with_what_the_parts_add_up_to(
        typed: str, ko: str, en: str) -> None:
    """A tester typed 17만 12000 and was asked for "a whole number of won like 19,900"."""
    with pytest.raises(FormProblem) as info:
        parse_won(typed, "new_price")
    assert ko in info.value.ko and en in info.value.en


@pytest.mark.parametrize(("typed", "ko", "en"), [
    ("185.000", "점(.)을 쓰지 않습니다('185.000'). 185,000원이라면 185000 또는 185,000처럼",
     "cannot have a dot ('185.000'): for 185,000 won, write 185000 or 185,000."),
    ("1.590.000원", "1,590,000원이라면 1590000 또는 1,590,000처럼",
     "for 1,590,000 won, write 1590000 or 1,590,000."),
    ("185 000", "빈칸이 있습니다('185 000'). 185,000원이라면 185000 또는 185,000처럼 빈칸 없이",
     "cannot have spaces between its digits ('185 000'): for 185,000 won, write 185000 or"),
    ("17 0000", "빈칸이 있습니다('17 0000'). 19,900처럼 빈칸 없이",
     "cannot have spaces between its digits ('17 0000'): write it without spaces"),
    ("$149", "원(KRW) 금액만 입력할 수 있습니다('$149'). '$' 없이 원으로 바꾼 금액을 185000 또는 185,000",
     "in won (KRW), not in another currency ('$149'): write the amount in won without '$'"),
    ("149달러", "'달러' 없이 원으로 바꾼 금액을", "in won without '달러', like 185000 or 185,000."),
    ("1,200元", "'元' 없이 원으로 바꾼 금액을", "in won without '元'"),  # as ¥ and 엔 were
    ("18.5만", "소수점을 쓸 수 없습니다('18.5만'). 185,000원이라면 185000, 185,000 또는 18만 5천처럼",
     "cannot have a decimal before 만 or 천 ('18.5만'): for 185,000 won, write 185000 or"),
    ("2.5만", "25,000원이라면 25000, 25,000 또는 2만 5천처럼", "for 25,000 won, write 25000 or"),
    ("1.5천원", "1,500원이라면 1500 또는 1,500처럼", "for 1,500 won, write 1500 or 1,500."),
    ("1.23456만", "소수점을 쓸 수 없습니다('1.23456만'). 원 단위 정수로", "enter it as a whole number of won"),
    ("19900.5", "원 금액에는 소수점이 없습니다('19900.5')", "cannot have a decimal point ('19900.5')"),
])
def test_a_dot_spaces_a_currency_or_a_decimal_unit_is_said_with_how_to_write_it(
        typed: str, ko: str, en: str) -> None:
    """A tester's 185.000, 185 000, $149 and 18.5만 were all told only to write 19,900 in won."""
    with pytest.raises(FormProblem) as refused:
        parse_won(typed, "new_price")
    assert refused.value.ko.startswith("새 가격: ") and ko in refused.value.ko
    assert en in refused.value.en and "the new price" in refused.value.en.lower()
    assert refused.value.details["field"] == "new_price"


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
