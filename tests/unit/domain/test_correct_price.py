"""The correct price given when declaring, held against the listings' prices before the wrong
price and their products' list prices: more than twice the highest is refused."""

from __future__ import annotations

import pytest

from sagwa.domain.correct_price import (
    MAX_TIMES_REFERENCE,
    PriceReference,
    check_correct_price_plausible,
)
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput

WRONG = Money(18_500, "KRW")
#: QA's listing: it sold at 185,000 KRW before the error; its product's list price is 199,000.
SOLD_AT_185K = PriceReference(403, (185_000,), 199_000)


def krw(amount: int) -> Money:
    return Money(amount, "KRW")


def test_a_correct_price_ten_times_what_the_listing_sold_at_is_refused_naming_the_prices() -> None:
    """QA declared 1,850,000 KRW (a zero too many) and it flowed into the notice, the
    discount offered and the differences owed."""
    with pytest.raises(InvalidInput) as refused:
        check_correct_price_plausible(krw(1_850_000), WRONG, [SOLD_AT_185K])
    details = refused.value.details
    assert (details["field"], details["reason"]) == ("correct_price", "correct_price_implausible")
    assert details["prices_seen"] == {"403": [185_000]}
    assert details["list_prices"] == {"403": 199_000}
    assert details["highest"] == krw(199_000).as_dict() and details["factor"] == 2
    assert details["seen_ko"] == "403번 185,000원, 정가 199,000원"
    assert "listing 403: 185,000 KRW, list price 199,000 KRW" in refused.value.message
    assert "1,850,000 KRW is more than 2 times 199,000 KRW" in refused.value.message


@pytest.mark.parametrize("correct", [185_000, 199_000, 398_000])
def test_up_to_twice_the_highest_reference_stands(correct: int) -> None:
    assert MAX_TIMES_REFERENCE == 2
    check_correct_price_plausible(krw(correct), WRONG, [SOLD_AT_185K])


def test_just_above_twice_the_highest_reference_is_refused() -> None:
    with pytest.raises(InvalidInput):
        check_correct_price_plausible(krw(398_001), WRONG, [SOLD_AT_185K])


def test_the_highest_reference_of_every_listing_counts() -> None:
    """One correct price for several listings (403 sold at 189,000, 404 at 185,000): held
    against the highest of them all."""
    refs = [PriceReference(403, (189_000,)), PriceReference(404, (185_000,))]
    check_correct_price_plausible(krw(378_000), WRONG, refs)
    with pytest.raises(InvalidInput) as refused:
        check_correct_price_plausible(krw(378_001), WRONG, refs)
    assert refused.value.details["seen_en"] == ("listing 403: 189,000 KRW; "
                                                "listing 404: 185,000 KRW")


def test_a_price_at_or_below_the_wrong_price_is_no_reference() -> None:
    """A listing created at the wrong price has it as its first price: that says nothing about
    the right one. With no other reference there is nothing to hold the price against."""
    check_correct_price_plausible(krw(1_850_000), WRONG, [PriceReference(403, (18_500,))])
    check_correct_price_plausible(krw(1_850_000), WRONG, [PriceReference(403, (9_900,))])
    with pytest.raises(InvalidInput):  # the list price is still a reference
        check_correct_price_plausible(krw(1_850_000), WRONG,
                                      [PriceReference(403, (18_500,), 199_000)])


def test_a_correct_price_below_half_the_lowest_reference_is_refused_naming_the_prices() -> None:
    """QA declared 2,631 KRW for a listing that sold at 26,300 before its wrong price of 2,630
    (a zero left out): each customer's difference would have been a won."""
    sold = PriceReference(51, (26_300,), 29_000)
    with pytest.raises(InvalidInput) as refused:
        check_correct_price_plausible(krw(2_631), krw(2_630), [sold])
    details = refused.value.details
    assert (details["field"], details["reason"]) == ("correct_price", "correct_price_implausible")
    assert details["lowest"] == krw(26_300).as_dict() and "highest" not in details
    assert details["lowest_ko"] == "26,300원" and details["seen_ko"] == "51번 26,300원, 정가 29,000원"
    assert "2,631 KRW is less than 1/2 of 26,300 KRW" in refused.value.message


@pytest.mark.parametrize("correct", [13_150, 20_000, 26_300])
def test_down_to_half_the_lowest_reference_stands(correct: int) -> None:
    check_correct_price_plausible(krw(correct), krw(2_630), [PriceReference(51, (26_300,))])


def test_the_page_says_why_a_price_too_low_was_refused() -> None:
    from sagwa.web.pages.error_texts import error_text

    with pytest.raises(InvalidInput) as refused:
        check_correct_price_plausible(krw(2_631), krw(2_630), [PriceReference(51, (26_300,))])
    said = error_text(refused.value, "ko")
    assert said.startswith("입력한 정상 가격(2,631원)이 잘못된 가격 전에 상품이 팔리던 가격 가운데 가장 낮은 "
                           "26,300원의 2분의 1보다 낮습니다(참고한 가격: 51번 26,300원).")
    assert "0을 빠뜨리지" in said
    assert "less than 1/2 of 26,300 KRW" in error_text(refused.value, "en")


def test_a_list_price_far_above_what_the_listing_sold_at_does_not_refuse_a_low_one() -> None:
    """A maker's list price (199,000) above a listing that only ever sold at its wrong price
    (19,900): a correct price of 21,000 stands — the low side reads what the listings sold at."""
    check_correct_price_plausible(krw(21_000), krw(19_900), [PriceReference(30, (19_900,),
                                                                            199_000)])

