"""What the single check says of a change it allows: a cut its declared promotion gives names
the promotion, a big move says how far it goes and why it passes, an ordinary move is "within
range" as before; the verdicts, and the batch's short text for allowed rows, do not change."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sagwa.priceguard import ChangeEvidence, check_one, load_rules, render_reasons
from sagwa.priceguard.checks import check_prices
from sagwa.priceguard.single import evidence_columns

RULES = load_rules()


def _settled(old: int, new: int, **kw) -> ChangeEvidence:  # type: ignore[no-untyped-def]
    """A change on a listing whose recent prices all were ``old``."""
    kw.setdefault("recent_prices_minor", (old,) * 8)
    return ChangeEvidence(old_price_minor=old, new_price_minor=new, currency="KRW", **kw)


def _allowed(ev: ChangeEvidence) -> tuple[str, str]:
    verdict = check_one(ev, RULES)
    assert (verdict.verdict, verdict.reason_code, verdict.error_type) == (
        "allow", "within_range", "none")
    return verdict.reason_en, verdict.reason_ko


def test_a_cut_that_matches_its_declared_promotion_names_the_promotion() -> None:
    en, ko = _allowed(_settled(10_000, 7_000, promotion_pct=30.0))
    assert en == ("new price 7,000 KRW matches the declared promotion of 30% "
                  "(the current price less 30%: 7,000 KRW)")
    assert ko == "새 가격 7,000원은 선언된 30% 할인과 맞습니다(현재 가격에서 30% 할인한 가격 7,000원)."


def test_a_promotion_taken_off_the_usual_price_names_that_price() -> None:
    """On top of a running 20% promotion (8,000), 30% declared off the usual 10,000: the core
    takes the percent off the listing's recent median (``checks._promotion_mismatch``)."""
    en, ko = _allowed(_settled(8_000, 7_000, promotion_pct=30.0,
                               recent_prices_minor=(10_000,) * 8))
    assert en == ("new price 7,000 KRW matches the declared promotion of 30% "
                  "(the listing's recent median less 30%: 7,000 KRW)")
    assert ko == ("새 가격 7,000원은 선언된 30% 할인과 맞습니다"
                  "(이 판매 상품의 최근 판매가 중앙값에서 30% 할인한 가격 7,000원).")


def test_a_draft_promotion_off_its_list_price_says_the_list_price() -> None:
    en, ko = _allowed(ChangeEvidence(10_000, 7_000, "KRW", list_price_minor=10_000,
                                     promotion_pct=30.0, old_price_kind="list_price"))
    assert en.endswith("(the list price less 30%: 7,000 KRW)")
    assert ko.endswith("(정가에서 30% 할인한 가격 7,000원).")


def test_the_promotion_match_is_the_rules_own_tolerance() -> None:
    """6,600 is 0.059 (log) off 30% of 10,000: said against the promotion at
    ``promo_match_log`` 0.12 (how far off it is: no "match" past 0.04), not at all at 0.05 —
    then the cut is said as a cut (34% below), the verdict the same."""
    ev = _settled(10_000, 6_600, promotion_pct=30.0)
    assert check_one(ev, RULES).reason_en == (
        "new price 6,600 KRW is 5.7% below what the declared promotion of 30% gives (the "
        "current price less 30%: 7,000 KRW); the cut from the current price (10,000 KRW) is "
        "34.0%")
    strict = dataclasses.replace(RULES, promo_match_log=0.05)
    verdict = check_one(ev, strict)
    assert verdict.verdict == "allow"
    assert verdict.reason_en.startswith("new price 6,600 KRW is 34% below the current price")
    assert "선언된 30% 할인과 맞습니다" not in verdict.reason_ko


def test_a_big_undeclared_cut_is_said_as_a_cut_and_why_it_passes() -> None:
    en, ko = _allowed(_settled(10_000, 5_400, category="electronics"))  # limit 60%
    assert en == ("new price 5,400 KRW is 46% below the current price (10,000 KRW); allowed: "
                  "it matches no known error shape and is within this category's limits")
    assert ko == ("새 가격 5,400원은 현재 가격(10,000원)보다 46% 낮습니다. "
                  "알려진 오류 형태에 해당하지 않고 이 분류의 한도 안이므로 허용됩니다.")


def test_a_big_cut_names_the_reference_the_guard_compared_with() -> None:
    en, ko = _allowed(ChangeEvidence(10_000, 5_400, "KRW", (), (10_000,),
                                     old_price_kind="other_sellers"))
    assert en.startswith("new price 5,400 KRW is 46% below the one other seller's price "
                         "(10,000 KRW); allowed:")
    assert ko.startswith("새 가격 5,400원은 다른 판매자 1곳의 가격(10,000원)보다 46% 낮습니다. ")


def test_a_threefold_rise_at_a_promotions_end_is_said_as_a_rise() -> None:
    """A 67%-off promotion (3,300) that ran long enough to be the recent median ends: back to
    the list price, 3.0 times — allowed (a rise alone is held from about 4.1 times)."""
    en, ko = _allowed(_settled(3_300, 10_000, list_price_minor=10_000))
    assert en == ("new price 10,000 KRW is 3.0 times the current price (3,300 KRW); allowed: "
                  "it matches no known error shape and is within the price guard's limits "
                  "for a rise")
    assert ko == ("새 가격 10,000원은 현재 가격(3,300원)의 3.0배입니다. "
                  "알려진 오류 형태에 해당하지 않고 가격 검사의 인상 한도 안이므로 허용됩니다.")


@pytest.mark.parametrize("new", [9_500, 8_100, 10_500, 14_900])
def test_a_small_move_is_still_within_range(new: int) -> None:
    en, ko = _allowed(_settled(10_000, new))
    shown = f"{new:,}"
    assert en == f"new price {shown} KRW is within range of the current price (10,000 KRW)"
    assert ko.startswith(f"새 가격 {shown}원")
    assert ko.endswith("현재 가격(10,000원)과 비교해 정상 범위입니다.")


@pytest.mark.parametrize(("new", "said"), [
    (8_000, "20% below"), (8_001, "within range"), (15_000, "1.5 times"), (14_999, "within range")])
def test_a_big_move_starts_at_a_fifth_below_or_half_again_above(new: int, said: str) -> None:
    """``explain_allowed.BIG_CUT_RATIO`` 0.8 and ``BIG_RISE_RATIO`` 1.5, both inclusive."""
    en, _ = _allowed(_settled(10_000, new))
    assert said in en


def test_a_change_with_no_reference_price_says_so_as_before() -> None:
    en, ko = _allowed(ChangeEvidence(0, 9_500, "KRW"))
    assert en == "new price 9,500 KRW has no reference price to be compared with"
    assert ko == "새 가격 9,500원과 비교할 참고 가격이 없습니다."


def test_a_held_change_keeps_its_reason() -> None:
    verdict = check_one(_settled(10_000, 1_000), RULES)
    assert verdict.verdict == "hold"
    assert verdict.reason_en.startswith("new price 1,000 KRW is 90% below the current price")


def test_the_batch_keeps_its_short_text_for_the_same_allowed_changes() -> None:
    """Other tools read the batch's CSV/JSON reason column: allowed rows stay one fixed text."""
    changes = [_settled(10_000, 7_000, promotion_pct=30.0), _settled(10_000, 5_400),
               _settled(3_300, 10_000, list_price_minor=10_000), _settled(10_000, 9_500)]
    for ev in changes:
        cols = evidence_columns(ev, RULES)
        result = check_prices(cols, RULES)
        assert not result.hold[0]
        n_peers = np.zeros(1, dtype=np.int64)
        assert render_reasons(result, cols, ["KRW"], n_peers=n_peers) == [
            "within range of its references"]
        assert render_reasons(result, cols, ["KRW"], n_peers=n_peers, lang="ko") == [
            "참고 가격과 비교해 정상 범위"]


def test_a_rise_is_never_said_as_its_declared_promotion() -> None:
    """500,000 → 800,000 with 20% declared is 20% off the list price (1,000,000), but it is a
    60% rise: said as a rise, not as a sale."""
    from sagwa.priceguard.explain_allowed import format_allowed_reasons

    said = format_allowed_reasons(
        new=80_000_000.0 / 100, ref=500_000.0, ref_kind="current", currency="KRW", n_peers=0,
        promotion_pct=20.0, bases=(("current", 500_000.0), ("recent_median", 500_000.0),
                                   ("list_price", 1_000_000.0)), match_log=0.12)
    assert said is not None
    en, ko = said
    assert "matches the declared promotion" not in en and "1.6 times" in en
    assert "할인과 맞습니다" not in ko


def _listing_526(new: int, pct: float) -> ChangeEvidence:
    """The demo's listing 526: live at 527,000 KRW, list price 599,000."""
    return _settled(527_000, new, promotion_pct=pct, list_price_minor=599_000,
                    category="electronics")


def _listing_402(new: int, pct: float) -> ChangeEvidence:
    """The demo's listing 402: live at 185,000 KRW, list price 199,000, three other sellers."""
    return _settled(185_000, new, promotion_pct=pct, list_price_minor=199_000,
                    other_seller_prices_minor=(175_000, 185_000, 189_000))


@pytest.mark.parametrize(("ev", "en", "ko"), [
    # 10.8% below the live price: no "match" for 30% off the list price (419,300)
    (_listing_526(470_000, 30.0),
     ("new price 470,000 KRW is 12.1% above what the declared promotion of 30% gives (the list "
      "price less 30%: 419,300 KRW); the cut from the current price (527,000 KRW) is 10.8%"),
     ("새 가격 470,000원은 선언된 30% 할인이 주는 가격(정가에서 30% 할인한 가격 419,300원)보다 "
      "12.1% 높습니다. 현재 가격(527,000원)에서 10.8% 내린 가격입니다.")),
    (_listing_526(500_000, 10.0),
     ("new price 500,000 KRW is 5.4% above what the declared promotion of 10% gives (the current "
      "price less 10%: 474,300 KRW); the cut from the current price (527,000 KRW) is 5.1%"),
     ("새 가격 500,000원은 선언된 10% 할인이 주는 가격(현재 가격에서 10% 할인한 가격 474,300원)"
      "보다 5.4% 높습니다. 현재 가격(527,000원)에서 5.1% 내린 가격입니다.")),
    (_listing_402(111_000, 50.0),
     ("new price 111,000 KRW is 11.6% above what the declared promotion of 50% gives (the list "
      "price less 50%: 99,500 KRW); the cut from the current price (185,000 KRW) is 40.0%"),
     ("새 가격 111,000원은 선언된 50% 할인이 주는 가격(정가에서 50% 할인한 가격 99,500원)보다 "
      "11.6% 높습니다. 현재 가격(185,000원)에서 40.0% 내린 가격입니다.")),
    # $44.99: 7.1% above 30% off the list price $59.99 ($41.99), 10% below the live $49.99
    (ChangeEvidence(4_999, 4_499, "USD", (4_999,) * 8, list_price_minor=5_999,
                    promotion_pct=30.0),
     ("new price $44.99 is 7.1% above what the declared promotion of 30% gives (the list price "
      "less 30%: $41.99); the cut from the current price ($49.99) is 10.0%"),
     ("새 가격 $44.99는 선언된 30% 할인이 주는 가격(정가에서 30% 할인한 가격 $41.99)보다 7.1% "
      "높습니다. 현재 가격($49.99)에서 10.0% 내린 가격입니다.")),
])
def test_a_price_well_off_its_declared_promotion_is_not_said_to_match_it(
    ev: ChangeEvidence, en: str, ko: str
) -> None:
    """Within ``promo_match_log`` (0.12) of what the promotion gives, but past rounding (0.04):
    how far off it is, and the cut it really makes."""
    assert _allowed(ev) == (en, ko)


@pytest.mark.parametrize(("ev", "en", "ko"), [
    # 139,300 is 199,000 less 30% exactly (185,000 less 30% is 129,500, also within 0.12)
    (_listing_402(139_300, 30.0),
     ("new price 139,300 KRW matches the declared promotion of 30% (the list price less 30%: "
      "139,300 KRW)"),
     "새 가격 139,300원은 선언된 30% 할인과 맞습니다(정가에서 30% 할인한 가격 139,300원)."),
    # $37.80 is $54.00 less 30% exactly ($50.00 less 30% is $35.00, also within 0.12)
    (ChangeEvidence(5_000, 3_780, "USD", (5_000,) * 8, list_price_minor=5_400,
                    promotion_pct=30.0),
     "new price $37.80 matches the declared promotion of 30% (the list price less 30%: $37.80)",
     "새 가격 $37.80는 선언된 30% 할인과 맞습니다(정가에서 30% 할인한 가격 $37.80)."),
])
def test_a_promotion_is_named_after_the_price_it_fits_best(
    ev: ChangeEvidence, en: str, ko: str
) -> None:
    assert _allowed(ev) == (en, ko)


@pytest.mark.parametrize(("ev", "en", "ko"), [
    (_listing_402(189_050, 5.0),
     ("new price 189,050 KRW is 2.2% above the current price (185,000 KRW): a rise; the declared "
      "promotion of 5% is taken off the list price (199,000 KRW), which gives 189,050 KRW"),
     ("새 가격 189,050원은 현재 가격(185,000원)보다 2.2% 오른 가격입니다. 선언된 5% 할인은 "
      "정가(199,000원) 기준입니다(정가에서 5% 할인한 가격 189,050원).")),
    (ChangeEvidence(1_850, 1_900, "USD", (1_850,) * 8, list_price_minor=2_000,
                    promotion_pct=5.0),
     ("new price $19.00 is 2.7% above the current price ($18.50): a rise; the declared promotion "
      "of 5% is taken off the list price ($20.00), which gives $19.00"),
     ("새 가격 $19.00는 현재 가격($18.50)보다 2.7% 오른 가격입니다. 선언된 5% 할인은 "
      "정가($20.00) 기준입니다(정가에서 5% 할인한 가격 $19.00).")),
])
def test_a_rise_under_a_declared_discount_says_the_rise_and_the_promotions_base(
    ev: ChangeEvidence, en: str, ko: str
) -> None:
    """5% off the list price may pass, but the price rises from the current one: both said."""
    assert _allowed(ev) == (en, ko)
