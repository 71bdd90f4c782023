"""Korean reasons put the particle that fits the amount before it (19,900원은, 185,000원)과)."""

from __future__ import annotations

import math

import pytest

from sagwa.priceguard import format_reason
from sagwa.priceguard.vocabulary import REASON_CODES


def reason_ko(reason: str, error_type: str = "", *, new: float = 19_900, ref: float = 185_000,
              ref_kind: str = "current", currency: str = "KRW", n_peers: int = 0,
              promotion_pct: float = math.nan, limit_minor: float = math.nan,
              max_depth_pct: float = math.nan) -> str:
    return format_reason(reason=reason, error_type=error_type, new=new, ref=ref,
                         ref_kind=ref_kind, currency=currency, lang="ko", n_peers=n_peers,
                         promotion_pct=promotion_pct, limit_minor=limit_minor,
                         max_depth_pct=max_depth_pct)


def test_the_comparison_takes_gwa_after_an_amount_in_won() -> None:
    text = reason_ko("within_range", new=185_000)
    assert text == "새 가격 185,000원은 현재 가격(185,000원)과 비교해 정상 범위입니다."


def test_the_new_price_takes_eun_after_won_and_the_tail_takes_euro() -> None:
    text = reason_ko("far_below_references", "digit_typo", ref=199_000)
    assert text == ("새 가격 19,900원은 현재 가격(199,000원)보다 90% 낮습니다. "
                    "숫자를 잘못 입력한 것으로 보입니다.")


def test_a_declared_percent_takes_neun() -> None:
    text = reason_ko("promotion_too_deep", "percent_inverted", ref=199_000, ref_kind="list_price",
                     promotion_pct=10.0, max_depth_pct=80.0)
    assert text.startswith("선언된 할인 폭 10%는 검토자 승인이 필요합니다(80% 이상은 승인 대상, ")
    assert "받음)으로 보입니다." in text


def test_a_dollar_amount_is_read_as_dallyeo() -> None:
    text = reason_ko("penny_price", "penny", new=1, ref=3_999, currency="USD")
    assert text == "새 가격 $0.01는 자리표시용으로 보이는 최저 단위 가격입니다(현재 가격 $39.99)."


@pytest.mark.parametrize("reason", REASON_CODES)
def test_no_korean_reason_keeps_a_double_form(reason: str) -> None:
    text = reason_ko(reason, "extra_zero", ref_kind="other_sellers", n_peers=3, promotion_pct=80.0,
                     limit_minor=20_000)
    assert not any(double in text for double in ("(는)", "(가)", "(를)", "(와)", "(으)"))


def test_a_rise_is_said_as_times_the_reference_in_both_languages() -> None:
    kwargs = {"reason": "far_above_references", "error_type": "digit_typo", "new": 384,
              "ref": 122, "ref_kind": "other_sellers", "currency": "USD", "n_peers": 79}
    assert format_reason(**kwargs) == (  # type: ignore[arg-type]
        "new price $3.84 is 3.1 times the median of 79 other sellers ($1.22); "
        "looks like a mistyped digit")
    assert format_reason(**kwargs, lang="ko").startswith(  # type: ignore[arg-type]
        "새 가격 $3.84는 다른 판매자 79곳의 중앙값($1.22)의 3.1배입니다.")


@pytest.mark.parametrize(("kind", "en", "ko"), [
    ("list_price", "90% below the list price (199,000 KRW)", "정가(199,000원)보다 90% 낮습니다"),
    ("other_sellers", "90% below the one other seller's price (199,000 KRW)",
     "다른 판매자 1곳의 가격(199,000원)보다 90% 낮습니다"),
    ("current", "90% below the current price (199,000 KRW)", "현재 가격(199,000원)보다 90% 낮습니다"),
])
def test_a_first_price_names_the_reference_standing_in_for_the_current_price(
        kind: str, en: str, ko: str) -> None:
    """A draft has no price of its own: the guard compares its first price with the list price
    (or the other sellers' median) and the reason says which, never "the current price"."""
    from sagwa.priceguard import load_rules
    from sagwa.priceguard.single import ChangeEvidence, check_one

    others = (199_000,) if kind == "other_sellers" else ()
    verdict = check_one(ChangeEvidence(199_000, 19_900, "KRW", (), others,
                                       199_000 if kind == "list_price" else None,
                                       old_price_kind=kind), load_rules())  # type: ignore[arg-type]
    assert verdict.verdict == "hold"
    assert en in verdict.reason_en
    assert ko in verdict.reason_ko


def test_a_too_deep_promotion_names_the_depth_allowed_and_says_so_once() -> None:
    """An honest 70% sale beyond electronics' 60% is not called a typing slip."""
    kwargs = {"reason": "promotion_too_deep", "error_type": "inflated_promotion", "new": 55_500,
              "ref": 185_000, "ref_kind": "current", "currency": "KRW", "promotion_pct": 70.0,
              "max_depth_pct": 60.0}
    assert format_reason(**kwargs) == (  # type: ignore[arg-type]
        "declared promotion of 70% needs a reviewer's approval "
        "(60% or deeper does; new price 55,500 KRW, the current price 185,000 KRW)")
    assert format_reason(**kwargs, lang="ko") == (  # type: ignore[arg-type]
        "선언된 할인 폭 70%는 검토자 승인이 필요합니다(60% 이상은 승인 대상, 새 가격 55,500원, "
        "현재 가격 185,000원).")


def test_a_penny_price_is_not_explained_by_itself() -> None:
    text = format_reason(reason="penny_price", error_type="penny", new=1, ref=185_000,
                         ref_kind="current", currency="KRW")
    assert text == "new price 1 KRW is a penny price, likely a placeholder (the current price: 185,000 KRW)"


@pytest.mark.parametrize(("new", "en", "ko"), [
    (90, "99.9% below", "99.9% 낮습니다"),       # 99.95%: not "100%", which reads as free
    (900, "99.5% below", "99.5% 낮습니다"),
    (1_000, "99% below", "99% 낮습니다"),
    (19_900, "89% below", "89% 낮습니다"),
    (0, "100% below", "100% 낮습니다"),
])
def test_a_drop_short_of_everything_is_never_rounded_up_to_100_percent(
        new: float, en: str, ko: str) -> None:
    kwargs = {"reason": "far_below_references", "error_type": "", "new": new, "ref": 185_000,
              "ref_kind": "current", "currency": "KRW"}
    assert en in format_reason(**kwargs)  # type: ignore[arg-type]
    assert ko in format_reason(**kwargs, lang="ko")  # type: ignore[arg-type]


def test_the_recent_median_is_the_listings_not_the_products_in_korean() -> None:
    text = reason_ko("far_below_references", ref_kind="recent_median")
    assert "이 판매 상품의 최근 판매가 중앙값(185,000원)보다" in text


def test_a_large_ratio_is_grouped_in_thousands_in_both_languages() -> None:
    """As the amounts are ("1147.1 times" read as a code, a review's finding)."""
    def said(lang: str) -> str:
        return format_reason(reason="far_above_references", error_type="digit_typo",
                             new=526_500.0, ref=459.0, ref_kind="highest_other_seller",
                             currency="USD", n_peers=38, lang=lang)

    assert "is 1,147.1 times the highest of 38 other sellers ($4.59)" in said("en")
    assert "1,147.1배입니다" in said("ko")


def test_a_declared_percent_just_under_100_never_reads_100() -> None:
    said = format_reason(reason="promotion_too_deep", error_type="inflated_promotion",
                         new=1.0, ref=199_000.0, ref_kind="current", currency="KRW",
                         promotion_pct=99.9999999999, max_depth_pct=80.0)
    assert "declared promotion of 99.9%" in said and "100%" not in said
    assert "declared promotion of 12.5%" in format_reason(
        reason="promotion_too_deep", error_type="inflated_promotion", new=1.0, ref=199_000.0,
        ref_kind="current", currency="KRW", promotion_pct=12.5, max_depth_pct=10.0)
