"""The tripwire's pause explanation reads in short sentences: a reviewer found the Korean nesting
brackets ("가격 변경(199,000원 → 19,900원, 12월 6일(일) 오전 11시 47분(한국 시간)) 후") and the
English one run-on clause ("at most 0.05/h: the floor used for listings that rarely sell;
during the declared 90% promotion …"). Every number it stated is still said."""

from __future__ import annotations

import re

import pytest
from test_tripwire_korean_sentences import CASES, _rush

QUIET = CASES["promotion on a quiet listing"]
NO_REVIEWER = CASES["promotion that needed no reviewer"]


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth > 1:
            return True
    return False


@pytest.mark.parametrize("case", list(CASES))
def test_no_bracket_is_nested_in_either_language(case: str) -> None:
    result = _rush(**CASES[case])  # type: ignore[arg-type]
    assert not _nested(result.reason_ko), result.reason_ko
    assert not _nested(result.reason_en), result.reason_en


def test_the_korean_says_the_price_change_as_its_own_sentence() -> None:
    ko = _rush(**QUIET).reason_ko  # type: ignore[arg-type]
    assert ko.startswith("12월 6일(일) 오전 2시 27분(한국 시간)에 가격을 185,000원 → 19,900원으로 "
                         "바꿨습니다. 그 뒤 6초 동안 고객 5명이 5건을 주문했습니다"
                         "(시간당 약 3,300건의 속도). "), ko
    assert "2026-12-06" not in ko


def test_the_floor_for_a_listing_that_rarely_sells_is_said_in_short_sentences() -> None:
    result = _rush(**QUIET)  # type: ignore[arg-type]
    assert ("이 상품은 드물게 팔려 평소 판매 속도를 최저 기준인 시간당 0.05건 이하로 잡았습니다. 이 속도라면 "
            "이 시간 동안 예상되는 주문은 0.1건 미만입니다. ") in result.reason_ko
    assert ("; its usual rate is at most 0.05/h, the floor used for listings that rarely sell. "
            "At that rate, fewer than 0.1 were expected. During the declared 90% promotion, up "
            "to 10 times the usual rate is allowed, 0.50/h. At that rate, still fewer than 0.1 "
            "orders were expected in so short a time (chance less than 1 in a billion)"
            ) in result.reason_en
    assert ": the floor" not in result.reason_en and "; during" not in result.reason_en


def test_a_promotion_that_needed_no_reviewer_is_said_in_short_sentences() -> None:
    en = _rush(**NO_REVIEWER).reason_en  # type: ignore[arg-type]
    assert (". During the declared 50% promotion, which needed no reviewer, orders are allowed "
            "at up to 10 an hour. Any such promotion is allowed that much, as it is announced to "
            "customers and any listing may draw them. 10 times the usual rate would be 0.50/h. "
            "At up to 10 an hour, fewer than 0.1 orders were expected in 9 seconds (chance") in en
    assert not _nested(en)


@pytest.mark.parametrize("case", list(CASES))
def test_every_number_is_still_said(case: str) -> None:
    result = _rush(**CASES[case])  # type: ignore[arg-type]
    for text in (result.reason_en, result.reason_ko):
        numbers = set(re.findall(r"\d[\d,.]*\d|\d", text))
        assert {"185,000", "19,900", "5"} <= numbers, text
    en_numbers = set(re.findall(r"\d+\.\d+|\d{1,3}(?:,\d{3})+", result.reason_en))
    ko_numbers = set(re.findall(r"\d+\.\d+|\d{1,3}(?:,\d{3})+", result.reason_ko))
    assert en_numbers == ko_numbers, (result.reason_en, result.reason_ko)
