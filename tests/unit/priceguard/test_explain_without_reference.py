"""A reason with no reference price (none known, or one of 0) names none: no empty gap
("is  the highest"), no "?" (the current price: ?), no "0 KRW" reference."""

from __future__ import annotations

import math

import pytest

from sagwa.priceguard import format_reason
from sagwa.priceguard.explain import format_reasons
from sagwa.priceguard.vocabulary import REASON_CODES, REF_KINDS


def _reasons(reason: str, ref: float, ref_kind: str) -> tuple[str, str]:
    return format_reasons(reason=reason, error_type="digit_typo", new=179_000, ref=ref,
                          ref_kind=ref_kind, currency="KRW", n_peers=3, promotion_pct=70.0,
                          limit_minor=9_000.0, max_depth_pct=60.0)


@pytest.mark.parametrize("ref", [math.nan, 0.0])
@pytest.mark.parametrize("ref_kind", REF_KINDS)
@pytest.mark.parametrize("reason", REASON_CODES)
def test_a_reason_without_a_reference_price_has_no_gap_and_no_placeholder(
        reason: str, ref_kind: str, ref: float) -> None:
    for text in _reasons(reason, ref, ref_kind):
        assert "?" not in text and "  " not in text and "()" not in text, text
        assert " 0 KRW" not in text and "(0원" not in text and " 0원" not in text, text
        assert "179,000" in text or "9,000" in text, text


def test_the_highest_of_other_sellers_at_zero_gives_a_whole_sentence() -> None:
    en, ko = _reasons("above_all_other_sellers", 0.0, "highest_other_seller")
    assert en == ("new price 179,000 KRW is far above every other seller's price; "
                  "looks like a mistyped digit")
    assert ko == ("새 가격 179,000원은 다른 모든 판매자의 가격보다 크게 높습니다. "
                  "숫자를 잘못 입력한 것으로 보입니다.")


def test_a_penny_price_without_a_current_price_says_no_current_price() -> None:
    text = format_reason(reason="penny_price", error_type="penny", new=0.0, ref=math.nan,
                         ref_kind="current", currency="USD")
    assert text == "new price $0.00 is a penny price, likely a placeholder"
    ko = format_reason(reason="penny_price", error_type="penny", new=0.0, ref=math.nan,
                       ref_kind="current", currency="KRW", lang="ko")
    assert ko == "새 가격 0원은 자리표시용으로 보이는 최저 단위 가격입니다."


def test_a_reason_with_a_reference_price_is_as_before() -> None:
    en, _ = _reasons("far_below_references", 199_000.0, "current")
    assert en == ("new price 179,000 KRW is 10% below the current price (199,000 KRW); "
                  "looks like a mistyped digit")
