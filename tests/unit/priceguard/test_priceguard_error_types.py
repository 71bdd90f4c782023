"""Each error shape is held with the right error type, in KRW and USD; legitimate moves pass."""

from __future__ import annotations

import dataclasses

import pytest

from sagwa.priceguard import ChangeEvidence, check_one, load_rules

RULES = load_rules()


def evidence(old: int, new: int, currency: str, pct: float | None = None) -> ChangeEvidence:
    """A listing that has sat at ``old`` for a while, among sellers pricing near it."""
    return ChangeEvidence(
        old_price_minor=old,
        new_price_minor=new,
        currency=currency,
        recent_prices_minor=(old, old, round(old * 1.02), old),
        other_seller_prices_minor=(round(old * 0.97), old, round(old * 1.05), round(old * 1.01)),
        promotion_pct=pct,
    )


ERRORS = [
    # (case, old, new, currency, declared pct, expected error type)
    ("dropped zero", 25_000, 2_500, "KRW", None, "decimal_slip"),
    ("decimal point two places", 1_999, 20, "USD", None, "decimal_slip"),
    ("extra zero", 15_000, 150_000, "KRW", None, "extra_zero"),
    ("extra zero cents", 1_299, 12_990, "USD", None, "extra_zero"),
    # meant 1.69 (a rise from 1.29), typed 16.90: 13.1x, near no power of ten, ends in a 0 cent
    ("extra zero on a price that was itself moving", 129, 1_690, "USD", None, "extra_zero"),
    ("12-pack price for a unit, cents not ending in 0", 129, 1_547, "USD", None, "unit_error"),
    ("digit typo up", 23_000, 93_000, "KRW", None, "digit_typo"),
    ("digit typo", 349, 1_349, "USD", None, "digit_typo"),
    ("USD amount in a KRW listing", 39_000, 29, "KRW", None, "currency"),
    ("KRW amount in a USD listing", 2_999, 4_048_650, "USD", None, "currency"),
    ("2008 iPod nano 90% event", 199_000, 19_900, "KRW", 90.0, "percent_inverted"),
    ("meant 20% off", 5_000, 1_000, "USD", 80.0, "percent_inverted"),
    ("promotion deeper than plausible", 100_000, 15_000, "KRW", 85.0, "inflated_promotion"),
    ("promotion deeper than plausible", 2_000, 300, "USD", 85.0, "inflated_promotion"),
    ("discount typed as price", 349, 3_000, "USD", None, "discount_as_price"),
    ("discount typed as price", 120_000, 30, "KRW", None, "discount_as_price"),
    ("single price for a 36-pack", 5_400, 150, "USD", None, "unit_error"),
    ("single price for a 24-pack", 48_000, 2_000, "KRW", None, "unit_error"),
    ("penny price", 1_299, 1, "USD", None, "penny"),
    ("one won", 15_000, 1, "KRW", None, "penny"),
    ("zero price", 15_000, 0, "KRW", None, "penny"),
    ("placeholder dollar", 1_899, 100, "USD", None, "penny"),
    # the price disagrees with the promotion declared with it: named from the promised price
    # 0.50 is the discount's amount (1.99 - 1.49): typed into the price field
    ("declared 25% off, 0.50 typed for 1.49", 199, 50, "USD", 25.0, "discount_as_price"),
    ("declared 20% off, a zero dropped", 199_000, 15_920, "KRW", 20.0, "decimal_slip"),
    ("price raised under a declared discount", 15_900, 19_900, "KRW", 20.0, "digit_typo"),
]


@pytest.mark.parametrize(("case", "old", "new", "currency", "pct", "expected"), ERRORS)
def test_error_is_held_with_its_type(
    case: str, old: int, new: int, currency: str, pct: float | None, expected: str
) -> None:
    verdict = check_one(evidence(old, new, currency, pct), RULES)
    assert verdict.verdict == "hold", (case, verdict)
    assert verdict.error_type == expected, (case, verdict)
    assert verdict.score >= RULES.hold_score


LEGIT = [
    ("declared 50% promotion", 39_900, 19_950, "KRW", 50.0),
    ("declared 70% promotion", 2_999, 900, "USD", 70.0),
    ("undeclared 60% promotion", 12_000, 4_800, "KRW", None),
    ("undeclared 70% clearance", 4_999, 1_499, "USD", None),
    ("ordinary rise", 1_999, 2_399, "USD", None),
    ("small cut", 15_900, 14_900, "KRW", None),
    ("declared 20%, priced 22% off", 10_000, 7_800, "KRW", 20.0),
    ("declared 30%, rounded to 9,900", 14_000, 9_900, "KRW", 30.0),
    (
        "declared 10%, priced 21.5% off (between the tolerances: scored as usual)",
        20_000,
        15_700,
        "KRW",
        10.0,
    ),
]


@pytest.mark.parametrize(("case", "old", "new", "currency", "pct"), LEGIT)
def test_legitimate_change_is_allowed(
    case: str, old: int, new: int, currency: str, pct: float | None
) -> None:
    verdict = check_one(evidence(old, new, currency, pct), RULES)
    assert verdict.verdict == "allow", (case, verdict)
    assert verdict.error_type == "none"


@pytest.mark.parametrize(
    ("regular", "promo", "currency"), [(29_900, 9_900, "KRW"), (1_299, 499, "USD")]
)
def test_end_of_promotion_jumping_back_up_is_allowed(
    regular: int, promo: int, currency: str
) -> None:
    back = ChangeEvidence(
        old_price_minor=promo,
        new_price_minor=regular,
        currency=currency,
        recent_prices_minor=(regular, regular, regular, promo, promo),
        other_seller_prices_minor=(regular, round(regular * 1.03)),
    )
    verdict = check_one(back, RULES)
    assert verdict.verdict == "allow", verdict


def test_2008_case_reason_names_numbers_in_both_languages() -> None:
    verdict = check_one(evidence(199_000, 19_900, "KRW", 90.0), RULES)
    assert "19,900 KRW" in verdict.reason_en and "90%" in verdict.reason_en
    assert "19,900원" in verdict.reason_ko and "90%" in verdict.reason_ko
    assert verdict.reason_code == "promotion_too_deep"


def test_reason_cites_other_sellers_and_the_gap() -> None:
    lone = ChangeEvidence(
        old_price_minor=200_000,
        new_price_minor=19_900,
        currency="KRW",
        other_seller_prices_minor=(199_000, 199_000, 198_000, 201_000),
    )
    verdict = check_one(lone, RULES)
    assert verdict.verdict == "hold"
    assert "90% below" in verdict.reason_en and "other sellers" in verdict.reason_en
    assert "dropped zero" in verdict.reason_en
    assert "다른 판매자 4곳" in verdict.reason_ko


def test_unknown_currency_is_refused() -> None:
    from sagwa.errors import InvalidInput

    with pytest.raises(InvalidInput):
        check_one(evidence(1_000, 900, "XYZ"), RULES)


def test_a_price_far_above_every_other_seller_is_held_with_that_reason() -> None:
    verdict = check_one(evidence(10_000, 30_000, "KRW"), RULES)
    assert verdict.verdict == "hold", verdict
    assert verdict.reason_code == "above_all_other_sellers"
    assert "highest of 4 other sellers" in verdict.reason_en
    assert "다른 판매자 4곳 중 최고가" in verdict.reason_ko


def test_a_modest_rise_above_every_other_seller_is_allowed() -> None:
    assert check_one(evidence(10_000, 12_500, "KRW"), RULES).verdict == "allow"


def test_a_lone_sellers_declared_70pct_promotion_ignores_the_sellers_range() -> None:
    lone = ChangeEvidence(
        10_000, 3_000, "USD", (10_000,) * 4, (10_000, 10_100, 9_900, 10_050), promotion_pct=70.0
    )
    assert check_one(lone, RULES).verdict == "allow"


def test_a_price_that_disagrees_with_its_declared_promotion_says_what_the_promotion_gives() -> None:
    verdict = check_one(evidence(199, 50, "USD", 25.0), RULES)
    assert (verdict.verdict, verdict.reason_code) == ("hold", "promotion_mismatch")
    assert verdict.reason_en == (
        "new price $0.50 does not match the declared promotion of 25% (the current price less "
        "25%: $1.49); looks like the discount's amount (25% of the current price) typed into the "
        "price field"
    )
    assert verdict.reason_ko == (
        "새 가격 $0.50는 선언된 25% 할인과 맞지 않습니다(현재 가격에서 25% 할인한 가격 $1.49). "
        "할인 금액(현재 가격의 25%)을 가격란에 입력한 것으로 보입니다."
    )
    assert verdict.facts["reference_kind"] == "promotion_price"
    assert verdict.facts["reference_price_minor"] == pytest.approx(149.25)
    assert verdict.facts["ratio_to_reference"] == pytest.approx(50 / 149.25)


def test_a_promotion_shown_as_10pct_off_on_a_30pct_cut_is_held() -> None:
    """Customers would read "10% off" while the price falls 30% (185,000 -> 130,000 KRW; the
    declared percent gives 166,500): the price and the promotion cannot both be meant."""
    verdict = check_one(evidence(185_000, 130_000, "KRW", 10.0), RULES)
    assert (verdict.verdict, verdict.reason_code) == ("hold", "promotion_mismatch")
    assert "166,500" in verdict.reason_en


def test_the_mismatch_tolerance_is_configuration_and_must_exceed_the_match_tolerance() -> None:
    from sagwa.errors import InvalidInput

    lenient = dataclasses.replace(RULES, promo_mismatch_log=5.0)
    assert check_one(evidence(199, 50, "USD", 25.0), lenient).reason_code != "promotion_mismatch"
    with pytest.raises(InvalidInput, match="promo_mismatch_log"):
        dataclasses.replace(RULES, promo_mismatch_log=RULES.promo_match_log)


def test_a_promotion_declared_against_the_regular_price_is_no_mismatch() -> None:
    """On 50% off now (5,000 of a usual 10,000 KRW), the seller declares 70% off and sets
    3,000: 70% off the usual price, not off the current one."""
    deeper = ChangeEvidence(
        old_price_minor=5_000,
        new_price_minor=3_000,
        currency="KRW",
        recent_prices_minor=(10_000, 10_000, 10_000, 10_000, 5_000),
        promotion_pct=70.0,
    )
    verdict = check_one(deeper, RULES)
    assert verdict.reason_code != "promotion_mismatch", verdict
    assert verdict.verdict == "allow", verdict
    typo = dataclasses.replace(deeper, new_price_minor=300)  # a zero dropped: held
    assert check_one(typo, RULES).reason_code == "promotion_mismatch"


def test_a_discount_that_leaves_the_price_above_every_regular_price_is_held() -> None:
    """A 10% "discount" raising a 13,500 KRW book to 16,000 (list price 15,000) lands within the
    mismatch tolerance of 10% off the list price, but discounts nothing: held, and whatever the
    tolerance is set to."""
    rise = ChangeEvidence(13_500, 16_000, "KRW", (13_500,) * 4, list_price_minor=15_000,
                          promotion_pct=10.0)
    verdict = check_one(rise, RULES)
    assert (verdict.verdict, verdict.reason_code) == ("hold", "promotion_mismatch")
    lenient = dataclasses.replace(RULES, promo_mismatch_log=5.0)
    assert check_one(rise, lenient).reason_code == "promotion_mismatch"
    just_below = dataclasses.replace(rise, new_price_minor=13_400)
    assert check_one(just_below, RULES).reason_code != "promotion_mismatch"


def test_a_shallower_promotion_after_a_deeper_one_may_raise_the_price() -> None:
    """On 30% off now (7,000 of a usual 10,000 KRW), 10% off the usual price is 9,000: a rise
    under a declared discount, but below the regular price: no mismatch."""
    shallower = ChangeEvidence(7_000, 9_000, "KRW", (10_000, 10_000, 10_000, 10_000, 7_000),
                               promotion_pct=10.0)
    verdict = check_one(shallower, RULES)
    assert verdict.reason_code != "promotion_mismatch", verdict
    assert verdict.verdict == "allow", verdict


@pytest.mark.parametrize(("pct", "error_type"), [
    (70.0, "inflated_promotion"),   # an ordinary deep sale beyond electronics' 60%: for review
    (90.0, "percent_inverted"),     # the 2008 "90% event": 10% off meant
])
def test_a_too_deep_promotion_is_named_an_inverted_percent_only_when_very_deep(
        pct: float, error_type: str) -> None:
    sale = ChangeEvidence(185_000, round(185_000 * (1 - pct / 100)), "KRW", (185_000,) * 4,
                          (175_000, 185_000, 189_000), promotion_pct=pct, category="electronics")
    verdict = check_one(sale, RULES)
    assert (verdict.verdict, verdict.reason_code, verdict.error_type) == (
        "hold", "promotion_too_deep", error_type)
    assert "needs a reviewer's approval (60% or deeper does;" in verdict.reason_en


IPOD_PEERS = (175_000, 185_000, 189_000)


@pytest.mark.parametrize(("category", "new", "verdict"), [
    ("electronics", 74_000, "hold"),   # 60% off, undeclared: electronics' limit is 60%
    ("electronics", 75_850, "allow"),  # 59% off
    ("electronics", 55_500, "hold"),   # 70% off
    ("grocery", 55_500, "allow"),      # grocery allows 80%: an undeclared 70% sale passes
    (None, 55_500, "allow"),           # the default 80%: the undeclared 50-70% sales pass
])
def test_an_undeclared_cut_needs_a_declared_promotion_where_the_category_says_so(
        category: str | None, new: int, verdict: str) -> None:
    """Leaving the promotion out must not get a sale through that declaring it would send to
    review (electronics: 60%)."""
    sale = ChangeEvidence(185_000, new, "KRW", (185_000,) * 4, IPOD_PEERS, category=category)
    got = check_one(sale, RULES)
    assert got.verdict == verdict, got
    if verdict == "hold":
        assert got.reason_code == "undeclared_cut_too_deep"
        assert got.reason_en.endswith(
            "a cut of 60% or more needs a declared promotion and a reviewer's approval")
        assert "looks like" not in got.reason_en  # a sale, more often than a slip


def test_a_deep_undeclared_drop_keeps_naming_the_slip() -> None:
    """Past the guard's own drop threshold the ratio speaks: a dropped zero is named as one."""
    slip = ChangeEvidence(185_000, 18_500, "KRW", (185_000,) * 4, IPOD_PEERS,
                          category="electronics")
    got = check_one(slip, RULES)
    assert (got.verdict, got.error_type) == ("hold", "decimal_slip")
    assert got.reason_code != "undeclared_cut_too_deep"


@pytest.mark.parametrize("hold_score", [0.53, 0.65, 0.8])
def test_a_policy_rule_holds_whatever_the_threshold(hold_score: float) -> None:
    """A declared 61% where 60% needs review, and a price under the seller's floor, are held
    at any hold_score: policy is not a score to be outvoted."""
    from sagwa.priceguard import SellerLimits

    rules = dataclasses.replace(RULES, hold_score=hold_score,
                                sellers={"S1": SellerLimits(floor_major=100_000.0)})
    deep = ChangeEvidence(185_000, 72_150, "KRW", (185_000,) * 4, IPOD_PEERS,
                          promotion_pct=61.0, category="electronics")
    assert (check_one(deep, rules).verdict, check_one(deep, rules).reason_code) == (
        "hold", "promotion_too_deep")
    floor = ChangeEvidence(185_000, 99_000, "KRW", (185_000,) * 4, IPOD_PEERS, seller_id="S1",
                           promotion_pct=50.0)
    assert (check_one(floor, rules).verdict, check_one(floor, rules).reason_code) == (
        "hold", "below_seller_floor")


@pytest.mark.parametrize("new", [210_800, 150_000, 131_749, 125_000, 110_000])
def test_every_undeclared_cut_of_60_percent_or_more_on_electronics_is_held(new: int) -> None:
    """Exactly 60% off (210,800 of 527,000) and 75-79% off, where the ratio alone scores just
    under the threshold, were allowed as "within range" (second review, 2026-12-02)."""
    camera = ChangeEvidence(527_000, new, "KRW", (527_000,) * 4, (527_000,),
                            category="electronics")
    got = check_one(camera, RULES)
    assert got.verdict == "hold", got
    if got.reason_code == "undeclared_cut_too_deep":
        assert got.error_type == "none"  # a sale more often than a slip: no guess named


def test_a_price_next_to_nothing_is_named_a_placeholder_not_a_slipped_decimal() -> None:
    got = check_one(ChangeEvidence(527_000, 2, "KRW", (527_000,) * 4), RULES)
    assert (got.verdict, got.error_type) == ("hold", "penny")
    assert got.reason_en.endswith("looks like a placeholder or penny price")


@pytest.mark.parametrize(("new", "pct", "verdict"), [
    (13_500, None, "allow"),   # 10% off the list price: what the law allows
    (13_400, None, "hold"),    # a hair deeper
    (12_000, 20.0, "hold"),    # a declared 20% promotion does not make it lawful
    (15_000, None, "allow"),   # the list price itself
])
def test_a_book_may_not_sell_below_the_fixed_book_price(
        new: int, pct: float | None, verdict: str) -> None:
    """도서정가제: a new book at most 10% off its list price (rules.toml: books = 90)."""
    book = ChangeEvidence(15_000, new, "KRW", (15_000,) * 4, (14_250, 15_000, 13_500),
                          list_price_minor=15_000, promotion_pct=pct, category="books/novel")
    got = check_one(book, RULES)
    assert got.verdict == verdict, got
    if verdict == "hold":
        assert got.reason_code == "below_list_price_floor"
        assert got.reason_en.startswith(
            f"new price {new:,} KRW is below 13,500 KRW, the least the fixed book price law "
            "allows (90% of the list price 15,000 KRW)")
        assert got.reason_ko.startswith(
            f"새 가격 {new:,}원은 도서정가제 최저가 13,500원(정가 15,000원의 90%)보다 낮습니다")
        assert got.facts["reference_kind"] == "list_price"


def test_the_book_floor_is_configuration_and_needs_a_list_price() -> None:
    no_law = dataclasses.replace(RULES, category_list_floor_pct={})
    cheap = ChangeEvidence(15_000, 12_000, "KRW", (15_000,) * 4, list_price_minor=15_000,
                           category="books/novel")
    assert check_one(cheap, no_law).verdict == "allow"
    unknown_list = dataclasses.replace(cheap, list_price_minor=None)
    assert check_one(unknown_list, RULES).reason_code != "below_list_price_floor"


def test_raising_a_price_during_an_approved_deep_promotion_is_not_an_undeclared_cut() -> None:
    """Code review: at 175,000 on a 500,000 reference (a reviewer-approved 65% promotion),
    raising to 180,000 with no percent was held as "a cut of 60% or more"."""
    rise = ChangeEvidence(175_000, 180_000, "KRW", (500_000,) * 6 + (175_000,) * 2,
                          (500_000, 495_000, 510_000), list_price_minor=500_000,
                          category="electronics")
    got = check_one(rise, RULES)
    assert got.reason_code != "undeclared_cut_too_deep", got
