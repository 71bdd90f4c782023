"""억 (100,000,000) is read as people type it, as 만 and 천 are, in every won field of the pages
(one parser, ``forms.parse_won``): "100억" was refused as "not a number" on the seller's price
form while "18만" and "17만 5천원" were accepted, and after it was read there, the operators'
incident forms (wrong and correct price) still refused "1억 2천만원" and "100억". Anything unclear
around it is still refused with the field's message, never guessed; "1억 2천" (1억 2천만 to most
people, 100,002,000 to a parser) is refused with a request for its 만."""

import pytest

from sagwa.domain.money import Money
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.forms import parse_won

#: Every won field the pages read, with the start of its message.
FIELDS = [("new_price", "새 가격:"), ("wrong_price", "잘못 표시된 가격:"),
          ("correct_price", "정상 가격:")]


@pytest.mark.parametrize(("field", "_said"), FIELDS)
@pytest.mark.parametrize(("typed", "won"), [
    ("100억", 10_000_000_000), ("1억", 100_000_000), ("1억원", 100_000_000),
    ("1억 2천만원", 120_000_000), ("1억 2,000만", 120_000_000), ("1억2000만원", 120_000_000),
    ("1억 2천 500만", 125_000_000), ("₩2억", 200_000_000), ("１억", 100_000_000),
    ("1,000억", 100_000_000_000), ("2억 17만 5천원", 200_175_000), ("KRW 1억 5천만", 150_000_000),
    ("1억 2천만 원", 120_000_000), ("1억 9999만 9999원", 199_999_999),
    ("18만", 180_000), ("17만 5천원", 175_000), ("19,900", 19_900),  # as before
])
def test_eok_is_read_exactly_in_every_won_field(typed: str, won: int, field: str,
                                                 _said: str) -> None:
    assert parse_won(typed, field) == Money(won, "KRW")


@pytest.mark.parametrize(("field", "said"), FIELDS)
@pytest.mark.parametrize("typed", [
    "억", "억원", "0억", "1.5억", "1억 1억", "1억 10000만", "1억 100000000", "1,00억", "억 5천",
    "1억 abc", "abc", "1억 2천만 3천만", "-1억", "1억 -2천만", "1억 ₩2천만", "1억원 5천만",
    "1억 2천만원원", "1억 0만", "1억 12000", "1억\n2천만", "1억 2천달러", "1억 2천만$",
    # a review: "1억 2천" is 1억 2천만 to most people and was read as 100,002,000 (its 만 is
    # asked for, as any amount after 억 without one)
    "1억 2천", "1억 2천500", "3억 5000", "1억 5000원",
])
def test_unclear_eok_is_refused_with_the_fields_message(typed: str, field: str,
                                                        said: str) -> None:
    with pytest.raises(FormProblem) as caught:
        parse_won(typed, field)
    assert caught.value.ko.startswith(said) and caught.value.details["field"] == field


@pytest.mark.parametrize(("typed", "ko", "en"), [
    ("1억 2천", ("120,000,000원이라면 '1억 2천만'처럼 만을 붙이고, 100,002,000원이라면 "
                "100002000 또는 100,002,000처럼"),
     ("for 120,000,000 won, write '1억 2천만'; for 100,002,000 won, write 100002000 or "
      "100,002,000.")),
    ("1억 2천원", "120,000,000원이라면 '1억 2천만'처럼", "for 100,002,000 won, write 100002000"),
    ("3억 5000", "350,000,000원이라면 '3억 5000만'처럼 만을 붙이고, 300,005,000원이라면",
     "for 350,000,000 won, write '3억 5000만'; for 300,005,000 won"),
    ("₩1억 2천500", "125,000,000원이라면 '1억 2천500만'처럼", "for 100,002,500 won"),
])
def test_an_amount_after_eok_without_its_man_is_asked_for_its_man(typed: str, ko: str,
                                                                  en: str) -> None:
    """The refusal says what is missing and both ways to write what may have been meant (the
    seller form had refused "1억 2천" only with "enter a whole number of won, like 19,900")."""
    with pytest.raises(FormProblem) as caught:
        parse_won(typed, "correct_price")
    assert caught.value.ko.startswith(f"정상 가격: 억 뒤의 금액에 '만'이 없습니다('{typed}'). ")
    assert ko in caught.value.ko
    assert caught.value.en.startswith(
        f"The amount after 억 in the correct price has no 만 ('{typed}'): ")
    assert en in caught.value.en


@pytest.mark.parametrize("typed", ["1억 2천", "3억 5000", "1억 2천500", "12억 9999"])
def test_both_ways_the_refusal_suggests_are_read_as_it_says(typed: str) -> None:
    with pytest.raises(FormProblem) as caught:
        parse_won(typed, "new_price")
    suggested = caught.value.ko.split("'")[5]  # the way with 만
    as_man = parse_won(suggested, "new_price").amount_minor
    assert f"{as_man:,}원이라면 '{suggested}'" in caught.value.ko
