"""억 (100,000,000) is read as sellers type it, as 만 and 천 are: "100억" was refused as "not a
number" on the seller's price form while "18만" and "17만 5천원" were accepted. Anything unclear
around it is still refused with the field's message, never guessed."""

import pytest

from sagwa.domain.money import Money
from sagwa.web.pages.error_texts import FormProblem
from sagwa.web.pages.won_units import parse_seller_won


@pytest.mark.parametrize(("typed", "won"), [
    ("100억", 10_000_000_000), ("1억", 100_000_000), ("1억원", 100_000_000),
    ("1억 2천만원", 120_000_000), ("1억 2,000만", 120_000_000), ("1억2000만원", 120_000_000),
    ("1억 2천 500만", 125_000_000), ("₩2억", 200_000_000), ("１억", 100_000_000),
    ("1,000억", 100_000_000_000), ("2억 17만 5천원", 200_175_000),
    ("18만", 180_000), ("17만 5천원", 175_000), ("19,900", 19_900),  # as before
])
def test_eok_is_read_exactly(typed: str, won: int) -> None:
    assert parse_seller_won(typed, "new_price") == Money(won, "KRW")


@pytest.mark.parametrize("typed", [
    "억", "억원", "0억", "1.5억", "1억 1억", "1억 10000만", "1억 100000000", "1,00억", "억 5천",
    "1억 abc", "abc", "1억 2천만 3천만",
    # a review: "1억 2천" is 1억 2천만 to most people and was read as 100,002,000 (its 만 is
    # asked for, as any amount after 억 without one)
    "1억 2천", "1억 2천500", "3억 5000", "1억 5000원",
])
def test_unclear_eok_is_refused_with_the_fields_message(typed: str) -> None:
    with pytest.raises(FormProblem) as caught:
        parse_seller_won(typed, "new_price")
    assert caught.value.ko.startswith("새 가격:")
