"""A required reason says something: at least four letters or digits, where a Hangul syllable
counts two (a two-syllable Korean word says as much as a four-letter English one) and spaces,
punctuation and symbols count for nothing — one check for every reviewer's reason (approving a
big move, releasing a far first price, rejecting, sending back)."""

from __future__ import annotations

import unicodedata

import pytest

from sagwa.domain.reasons import (
    MIN_REASON_SIGNS,
    check_meaningful_reason,
    reason_signs,
    require_reason,
)
from sagwa.errors import InvalidInput

TOO_SHORT = [".", "ok", "ok!", "...!!!", "  오  ", "가?", "a b c", "- - - -", "👍👍👍👍", "12.3",
             "ㅇㅋ", "오1"]
ENOUGH = ["1234", "확인했음", "판매자와 통화", "ok, checked", "재고 정리 99원", "tel: 0101",
          "typo", "오타", "오타임", "오타1", "판매자 확인함"]


@pytest.mark.parametrize("reason", TOO_SHORT)
def test_a_reason_of_fewer_than_four_letters_or_digits_is_refused(reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_meaningful_reason(reason)
    assert caught.value.details == {"field": "reason", "reason": "reason_too_short",
                                    "minimum": MIN_REASON_SIGNS}


@pytest.mark.parametrize("reason", ENOUGH)
def test_four_letters_or_digits_are_enough_and_the_reason_is_kept_trimmed(reason: str) -> None:
    assert check_meaningful_reason(f"  {reason} ") == reason


@pytest.mark.parametrize("stamp", ["승인", "확인", "확인함", " 승인! ", "Okay", "APPROVED", "네",
                                   "이상 없음", "lgtm."])
def test_a_word_that_only_says_a_decision_was_taken_is_refused(stamp: str) -> None:
    """A reviewer found "승인" enough to approve a tenfold cut once a syllable weighed two: a
    rubber stamp says nothing about why, in either language, whatever it weighs."""
    with pytest.raises(InvalidInput) as caught:
        check_meaningful_reason(stamp)
    assert caught.value.details["reason"] == "reason_too_short"
    assert "says only that a decision was taken" in str(caught.value)


def test_a_two_syllable_korean_word_is_enough_as_a_four_letter_english_one_is() -> None:
    """"오타" and "typo" say the same; the price reviewer's "오타임" was refused as too short."""
    assert check_meaningful_reason("오타") == "오타"
    assert check_meaningful_reason("오타임") == "오타임"
    assert check_meaningful_reason("typo") == "typo"
    decomposed = unicodedata.normalize("NFD", "오타")  # typed as separate jamo: still 2 syllables
    assert check_meaningful_reason(decomposed) == decomposed


def test_the_refusal_states_the_rule_in_the_units_it_counts() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_meaningful_reason("오")
    assert "at least 4 letters or digits, or 2 Hangul syllables" in caught.value.message
    assert "a Hangul syllable counts as two letters" in caught.value.message


def test_hangul_syllables_count_once_even_typed_as_separate_jamo() -> None:
    assert reason_signs("확인했음") == 4
    decomposed = unicodedata.normalize("NFD", "확인함")  # 8 jamo, 3 syllables
    assert len(decomposed) > 3 and reason_signs(decomposed) == 3


def test_spaces_punctuation_and_symbols_count_for_nothing() -> None:
    assert reason_signs(" .,!?-_/()[]~₩%👍\u3000") == 0
    assert reason_signs("a1 가") == 3


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000"])
def test_a_required_reason_that_is_missing_is_refused_as_required(blank: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        require_reason(blank, missing="a rejection needs a reason")
    assert caught.value.details == {"field": "reason", "reason": "reason_required"}
    assert caught.value.message == "a rejection needs a reason"


def test_a_required_reason_that_says_too_little_is_refused_as_too_short() -> None:
    with pytest.raises(InvalidInput) as caught:
        require_reason(".", missing="a rejection needs a reason")
    assert caught.value.details["reason"] == "reason_too_short"
    assert require_reason(" 가격 오타 ", missing="-") == "가격 오타"


def test_a_release_that_needs_a_reason_takes_none_that_says_too_little() -> None:
    from sagwa.domain.money import Money
    from sagwa.domain.price_moves import PriceReference, check_release_reason

    far = (3, Money(19_900, "KRW"), PriceReference(199_000, "list_price"))
    with pytest.raises(InvalidInput) as caught:
        check_release_reason(*far, ".")
    assert caught.value.details["reason"] == "reason_too_short"
    check_release_reason(*far, "판매자와 통화함")
    near = (3, Money(189_000, "KRW"), PriceReference(199_000, "list_price"))
    check_release_reason(*near, ".")  # an optional note is not checked
