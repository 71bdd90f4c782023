"""Error types the testers found misnamed, in KRW and USD, named alike by both paths.

A KRW price typed in dollars a little off the 1,350 rate (150 for 185,000: $150 is 202,500, by
the list price 199,000) or exactly on it below a round 10 (13,500 to "10"); a discount's amount
typed as the price under a declared promotion (55,500 for 30% off 185,000); and a reason that
quotes the highest other seller at an FX rate ("1,350.0 times the highest of N other sellers")
is no mistyped digit. The verdicts are those of before: these are names only.
"""

from __future__ import annotations

import pytest

from sagwa.priceguard import ChangeEvidence, Verdict, check_one, check_prices, load_rules
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import ERROR_TYPES

RULES = load_rules()
CURRENCY_EN = "looks like a currency or exchange-rate mix-up"
CURRENCY_KO = "통화·환율을 혼동한 것으로 보입니다."


def listing_402(new: int, pct: float | None = None) -> ChangeEvidence:
    """The demo's listing 402: live at 185,000 KRW, list 199,000, three other sellers."""
    return ChangeEvidence(
        old_price_minor=185_000, new_price_minor=new, currency="KRW",
        recent_prices_minor=(185_000,) * 4, list_price_minor=199_000,
        other_seller_prices_minor=(175_000, 185_000, 189_000), promotion_pct=pct)


def usd_listing(new: int, pct: float | None = None, *, list_price: int | None = None,
                others: tuple[int, ...] = ()) -> ChangeEvidence:
    """A USD listing long at $129.99."""
    return ChangeEvidence(
        old_price_minor=12_999, new_price_minor=new, currency="USD",
        recent_prices_minor=(12_999,) * 4, list_price_minor=list_price,
        other_seller_prices_minor=others, promotion_pct=pct)


def held(ev: ChangeEvidence, error_type: str) -> Verdict:
    """``ev`` is held and named ``error_type`` by ``check_one`` and by ``check_prices``."""
    verdict = check_one(ev, RULES)
    batch = check_prices(evidence_columns(ev, RULES), RULES)
    assert verdict.verdict == "hold" and bool(batch.hold[0]), verdict
    assert (verdict.error_type, ERROR_TYPES[batch.error_code[0]]) == (error_type, error_type)
    return verdict


@pytest.mark.parametrize("new", [150, 149])
def test_a_krw_price_typed_in_dollars_a_little_off_the_rate_is_a_currency_mix_up(new: int) -> None:
    """185,000 / 150 is 1,233 KRW per dollar, 9% off 1,350 (past the shape tolerance), far from
    1,000; $150 at 1,350 is 202,500, within 2% of the list price 199,000."""
    verdict = held(listing_402(new), "currency")
    assert verdict.reason_en.endswith(CURRENCY_EN)
    assert verdict.reason_ko.endswith(CURRENCY_KO)


def test_199_for_185000_stays_a_dropped_zero() -> None:
    """199 is the list price 199,000 without its thousands (and 1/930 of 185,000, near 1/1,000):
    $199 at 1,350 is 268,650, near none of the references."""
    held(listing_402(199), "decimal_slip")


def test_a_usd_price_typed_in_yen_a_little_off_the_rate_is_a_currency_mix_up() -> None:
    """22,500 for $129.99 is 173 times (0.14 off 150 in log, past the shape tolerance); at 150
    it is $150.00, the list price."""
    verdict = held(usd_listing(2_250_000, list_price=14_999), "currency")
    assert verdict.reason_en.endswith(CURRENCY_EN)
    assert verdict.reason_ko.endswith(CURRENCY_KO)


def test_a_wider_rate_needs_a_reference_it_lands_on() -> None:
    """The same 173 times with no price 150 times below it stays unnamed (a mistyped digit)."""
    held(usd_listing(2_250_000), "digit_typo")


def test_a_book_price_typed_in_dollars_is_no_typed_percent() -> None:
    """"10" for a 13,500 KRW book is $10 at 1,350 exactly: a currency mix-up, though 10 is also
    a round percent."""
    ev = ChangeEvidence(13_500, 10, "KRW", (13_500,) * 4, list_price_minor=13_500,
                        category="books/essay")
    verdict = held(ev, "currency")
    assert verdict.reason_code == "below_list_price_floor"
    assert verdict.reason_en.endswith(CURRENCY_EN)
    assert verdict.reason_ko.endswith(CURRENCY_KO)


@pytest.mark.parametrize(("ev", "pct"), [
    (listing_402(55_500, 30.0), "30"),  # 30% of 185,000
    (listing_402(37_000, 20.0), "20"),  # 20% of 185,000
    (usd_listing(3_900, 30.0), "30"),  # 30% of $129.99 is $39.00
])
def test_a_discount_amount_typed_as_the_price_is_named_so(ev: ChangeEvidence, pct: str) -> None:
    verdict = held(ev, "discount_as_price")
    assert verdict.reason_code == "promotion_mismatch"
    assert verdict.reason_en.endswith(
        f"looks like the discount's amount ({pct}% of the current price) typed into the price "
        "field")
    assert verdict.reason_ko.endswith(
        f"할인 금액(현재 가격의 {pct}%)을 가격란에 입력한 것으로 보입니다.")


def test_a_typed_percent_under_a_declared_promotion_keeps_its_sentence() -> None:
    """"30" typed for 120,000 KRW with 30% declared is the percent, not its amount (36,000)."""
    ev = ChangeEvidence(120_000, 30, "KRW", (120_000,) * 4, promotion_pct=30.0)
    verdict = held(ev, "discount_as_price")
    assert verdict.reason_en.endswith("looks like a discount number typed into the price field")
    assert verdict.reason_ko.endswith("할인율 숫자를 가격란에 입력한 것으로 보입니다.")


def test_ten_percent_of_the_price_is_still_a_dropped_zero() -> None:
    """18,500 under a declared 10% is 10% of 185,000 but also 185,000 less a zero."""
    held(listing_402(18_500, 10.0), "decimal_slip")


@pytest.mark.parametrize(("ev", "en", "ko"), [
    (ChangeEvidence(249, 403_650, "USD", (249,) * 4, (199, 229, 249, 299)),
     "new price $4,036.50 is 1,350.0 times the highest of 4 other sellers ($2.99)",
     "새 가격 $4,036.50는 다른 판매자 4곳 중 최고가($2.99)의 1,350.0배입니다."),
    (ChangeEvidence(12_900, 2_385_000, "KRW", (12_900,) * 4, (9_900, 12_500, 15_900)),
     "new price 2,385,000 KRW is 150.0 times the highest of 3 other sellers (15,900 KRW)",
     "새 가격 2,385,000원은 다른 판매자 3곳 중 최고가(15,900원)의 150.0배입니다."),
])
def test_a_reason_quoting_an_fx_rate_from_another_seller_names_a_currency_mix_up(
    ev: ChangeEvidence, en: str, ko: str
) -> None:
    """The median reference ($2.49, 12,900 KRW) is near no rate, the quoted highest seller is."""
    verdict = held(ev, "currency")
    assert verdict.reason_code == "above_all_other_sellers"
    assert verdict.reason_en == f"{en}; {CURRENCY_EN}"
    assert verdict.reason_ko == f"{ko} {CURRENCY_KO}"


@pytest.mark.parametrize(("ev", "error_type"), [
    # 30% declared on 509,000 (356,300 meant); 50,900 is 1/7 of that, near the 7.2 rate, and
    # 5,090,000 near nothing: each is the current price a power of ten off, as the reviewer saw
    (ChangeEvidence(509_000, 50_900, "KRW", promotion_pct=30.0), "decimal_slip"),
    (ChangeEvidence(509_000, 5_090_000, "KRW", promotion_pct=30.0), "extra_zero"),
    (usd_listing(1_300, 20.0), "decimal_slip"),
    (usd_listing(129_990, 20.0), "extra_zero"),
])
def test_a_price_off_its_declared_promotion_but_a_power_of_ten_off_the_current_is_that_slip(
        ev: ChangeEvidence, error_type: str) -> None:
    verdict = held(ev, error_type)
    assert verdict.reason_code == "promotion_mismatch"


def test_a_price_off_its_declared_promotion_alone_is_still_named_from_the_promotions_price() -> None:
    """35,630 is the promotion's 356,300 with a zero dropped, not the current price's."""
    assert held(ChangeEvidence(509_000, 35_630, "KRW", promotion_pct=30.0),
                "decimal_slip").reason_code == "promotion_mismatch"
