"""A reason's numbers agree with each other as printed (a review read every held reason of the
dev set against its inputs): the gap is measured from the amount the sentence shows, a half
rounds up, a floor is shown as the least price it allows, a declared percent as written."""

from __future__ import annotations

import dataclasses

import pytest

from sagwa.priceguard import ChangeEvidence, check_one, load_rules
from sagwa.priceguard.explain import format_reason, format_reasons
from sagwa.priceguard.rules import SellerLimits

RULES = load_rules()


def _settled(old: int, new: int, currency: str = "USD", **kw) -> ChangeEvidence:  # type: ignore[no-untyped-def]
    kw.setdefault("recent_prices_minor", (old,) * 4)
    return ChangeEvidence(old_price_minor=old, new_price_minor=new, currency=currency, **kw)


def test_a_half_cent_median_shows_rounded_up_and_the_gap_is_measured_from_it() -> None:
    # dev-0003036 read "$11.90 is 19.0 times the listing's recent median ($0.62)": 62.5 cents
    en, ko = format_reasons(reason="far_above_references", error_type="extra_zero", new=1190.0,
                            ref=62.5, ref_kind="recent_median", currency="USD")
    assert "$11.90 is 19.0 times the listing's recent median ($0.63)" not in en
    assert "is 18.9 times the listing's recent median ($0.63)" in en  # 11.90 / 0.63 = 18.89
    assert "최근 판매가 중앙값($0.63)의 18.9배입니다" in ko
    below = format_reason(reason="far_below_references", error_type="digit_typo", new=54.0,
                          ref=291.5, ref_kind="recent_median", currency="USD")
    assert "$0.54 is 82% below the listing's recent median ($2.92)" in below  # 1 - 54/292


def test_a_half_rounds_up_in_a_ratio() -> None:
    text = format_reason(reason="far_above_references", error_type="digit_typo", new=180.0,
                         ref=80.0, ref_kind="current", currency="USD")
    assert "is 2.3 times the current price ($0.80)" in text  # 2.25, not the even 2.2


@pytest.mark.parametrize(("currency", "list_price", "new", "least"), [
    ("USD", 1999, 1799, "$18.00"),  # 90% of $19.99 is 1,799.1 cents
    ("KRW", 19_999, 17_999, "18,000 KRW"),
    ("KRW", 20_000, 17_999, "18,000 KRW"),  # exactly 18,000: not 18,001
])
def test_a_list_price_floor_is_shown_as_the_least_price_it_allows(currency, list_price, new,
                                                                   least) -> None:
    verdict = check_one(_settled(list_price, new, currency, list_price_minor=list_price,
                                 category="books"), RULES)
    assert verdict.reason_code == "below_list_price_floor"
    assert f"is below {least}, the least the fixed book price law allows (90% of the list " \
           "price" in verdict.reason_en


def test_a_sellers_fractional_floor_and_ceiling_are_shown_as_prices_it_allows() -> None:
    rules = dataclasses.replace(RULES, sellers={"S": SellerLimits(floor_major=9.991,
                                                                  ceiling_major=50.009)})
    low = check_one(_settled(1200, 999, seller_id="S"), rules)
    assert "below the seller's floor of $10.00" in low.reason_en
    high = check_one(_settled(4500, 5001, seller_id="S"), rules)
    assert "above the seller's ceiling of $50.00" in high.reason_en


@pytest.mark.parametrize(("pct", "shown"), [(25.0, "25%"), (12.5, "12.5%"),
                                             (12.3456789, "12.35%"), (0.00001, "<0.01%")])
def test_a_declared_percent_is_shown_as_written(pct: float, shown: str) -> None:
    verdict = check_one(_settled(3_000_000, 1_000_000, "KRW", promotion_pct=pct), RULES)
    assert verdict.reason_code == "promotion_mismatch"
    assert f"declared promotion of {shown} (the current price less {shown}:" in verdict.reason_en
    assert "e-05" not in verdict.reason_ko


def test_other_sellers_without_a_count_are_not_zero_sellers() -> None:
    verdict = check_one(ChangeEvidence(old_price_minor=199_000, new_price_minor=19_900,
                                       currency="KRW", old_price_kind="other_sellers"), RULES)
    assert "the other sellers' median (199,000 KRW)" in verdict.reason_en
    assert "0 other sellers" not in verdict.reason_en
    assert "다른 판매자들의 중앙값(199,000원)" in verdict.reason_ko
