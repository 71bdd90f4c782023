"""Korea's fixed book price law (도서정가제, 출판문화산업 진흥법 제22조) in both directions: a new
book may not be sold above its list price either. A seller tester checked listing 39 (1Q84 1,
books, list price 16,800 KRW) at 20,000 and 25,000 KRW and both were allowed ("…인상 한도 안이므로
허용됩니다"); the floor's reason for a book named neither the law nor its exemption."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from sagwa.errors import InvalidInput
from sagwa.priceguard import ChangeEvidence, check_one, check_prices, load_rules
from sagwa.priceguard.explain import render_reasons
from sagwa.priceguard.single import evidence_columns
from sagwa.priceguard.vocabulary import (
    ERROR_TYPES,
    NO_GUESS_REASONS,
    POLICY_REASONS,
    REASON_CODES,
)

RULES = load_rules()


def _book(new: int, list_price: int = 16_800, category: str | None = "books/novel",
          old: int | None = None, pct: float | None = None) -> ChangeEvidence:
    old = list_price if old is None else old
    return ChangeEvidence(old, new, "KRW", (old,) * 4, (old, old), list_price_minor=list_price,
                          promotion_pct=pct, category=category)


def _both(ev: ChangeEvidence, rules=RULES):  # type: ignore[no-untyped-def]
    """The single check's verdict, after asserting the batch core says the same."""
    one = check_one(ev, rules)
    batch = check_prices(evidence_columns(ev, rules), rules)
    assert ("hold" if batch.hold[0] else "allow") == one.verdict
    assert REASON_CODES[int(batch.reason_code[0])] == one.reason_code
    assert ERROR_TYPES[int(batch.error_code[0])] == one.error_type
    assert math.isclose(float(batch.score[0]), one.score, rel_tol=1e-9)
    return one


@pytest.mark.parametrize("new", [16_900, 20_000, 25_000])
def test_a_book_above_its_list_price_is_held_in_both_checks(new: int) -> None:
    got = _both(_book(new))
    assert got.verdict == "hold", got
    assert got.reason_code == "above_list_price_ceiling"
    assert got.error_type == "none"  # no error shape: a policy hold, not a guessed typo
    assert got.facts["reference_kind"] == "list_price"
    assert got.facts["reference_price_minor"] == 16_800


def test_a_book_at_its_list_price_or_within_the_law_is_allowed() -> None:
    assert _both(_book(16_800, old=15_200)).verdict == "allow"
    assert _both(_book(15_200)).verdict == "allow"


def test_the_ceiling_holds_whatever_the_score_and_a_shape_still_names_the_error() -> None:
    """A policy rule holds at any ``hold_score``; a ×10 book is still named an extra zero."""
    strict = dataclasses.replace(RULES, hold_score=0.99)
    assert _both(_book(16_900), strict).reason_code == "above_list_price_ceiling"
    tenfold = _both(_book(168_000))
    assert tenfold.reason_code == "above_list_price_ceiling"
    assert tenfold.error_type == "extra_zero"


def test_other_categories_and_books_without_a_list_price_have_no_ceiling() -> None:
    assert _both(_book(19_000, category="grocery")).verdict == "allow"
    assert _both(_book(19_000, category=None)).verdict == "allow"
    no_list = dataclasses.replace(_book(19_000), list_price_minor=None)
    assert _both(no_list).reason_code != "above_list_price_ceiling"
    zero_list = dataclasses.replace(_book(19_000), list_price_minor=0)  # none, as in the batch
    assert check_one(zero_list, RULES).reason_code != "above_list_price_ceiling"


def test_the_ceiling_is_a_policy_reason_that_guesses_no_error() -> None:
    assert "above_list_price_ceiling" in POLICY_REASONS
    assert "above_list_price_ceiling" in NO_GUESS_REASONS
    # appended: the stored codes of the others keep their numbers
    assert REASON_CODES[-1] == "above_list_price_ceiling"
    assert REASON_CODES.index("cut_too_deep_in_steps") == 12


def test_the_ceiling_is_configuration(tmp_path: Path) -> None:
    assert RULES.list_ceiling_pct("Books/Novel") == 100.0
    assert math.isnan(RULES.list_ceiling_pct("grocery"))
    path = tmp_path / "rules.toml"
    path.write_text("[promotion.category_list_ceiling_pct]\nliquor = 120.0\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.list_ceiling_pct("liquor") == 120.0
    assert rules.list_ceiling_pct("books") == 100.0  # the packaged entry is kept
    assert rules.has_category("liquor")
    over = _book(20_000, list_price=10_000, category="liquor")
    assert _both(over, rules).reason_code == "above_list_price_ceiling"
    assert _both(dataclasses.replace(over, new_price_minor=12_000), rules).verdict == "allow"
    lifted = dataclasses.replace(RULES, category_list_ceiling_pct={})
    assert _both(_book(20_000), lifted).verdict == "allow"


def test_a_ceiling_that_is_not_a_percentage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[promotion.category_list_ceiling_pct]\nbooks = "100"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"category_list_ceiling_pct\] books must be"):
        load_rules(path)
    path.write_text("[promotion]\ncategory_list_ceiling_pct = 100\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"category_list_ceiling_pct must be a table"):
        load_rules(path)


def test_a_book_above_its_list_price_names_the_law_the_lawful_price_and_its_exemption() -> None:
    got = check_one(_book(20_000), RULES)
    assert got.reason_ko == (
        "새 가격 20,000원은 도서정가제 최고가 16,800원(정가 16,800원의 100%)보다 높습니다. "
        "16,800원 이하로 정하면 이 법에 맞습니다. " + _EXEMPT_KO + ".")
    assert got.reason_en == (
        "new price 20,000 KRW is above 16,800 KRW, the most the fixed book price law allows "
        "(100% of the list price 16,800 KRW); a price of 16,800 KRW or less keeps to the law; "
        + _EXEMPT_EN)


#: What a book's list-price reason says of the law's exemptions: what is true whoever reads it
#: (nothing in sagwa edits a product's list price, and a reviewer reads the same sentence).
_EXEMPT_KO = ("중고 도서는 이 법의 대상이 아니며, 출간 12개월이 지나 출판사가 정가를 새로 정했다면(재정가) "
              "등록된 정가는 이 책의 정가가 아닙니다. 그런 경우에는 검토자가 그 사실을 사유에 적고 승인할 수 "
              "있습니다")
_EXEMPT_EN = ("a used book is outside the law, and a publisher may set a new list price 12 months "
              "after publication: then the list price on record is not the book's, and a reviewer "
              "may approve the price with a reason that says so")


@pytest.mark.parametrize("new", [8_600, 20_000])
def test_a_book_reason_gives_no_advice_nobody_can_follow(new: int) -> None:
    """No page, API or command edits a product's list price, and a reviewer reads the reason
    too: it never says to correct the list price, nor to ask a reviewer."""
    got = check_one(_book(new, list_price=9_800 if new < 9_800 else 16_800), RULES)
    for said in (got.reason_en, got.reason_ko):
        for nobody_can in ("correct the product's list price", "ask a reviewer",
                           "정가를 고치", "검토자에게"):
            assert nobody_can not in said


def test_a_book_below_its_floor_names_the_law_the_lawful_price_and_its_exemption() -> None:
    got = check_one(_book(8_600, list_price=9_800), RULES)
    assert got.reason_code == "below_list_price_floor"
    assert got.reason_ko == (
        "새 가격 8,600원은 도서정가제 최저가 8,820원(정가 9,800원의 90%)보다 낮습니다. "
        "8,820원 이상으로 정하면 이 법에 맞습니다. " + _EXEMPT_KO + ".")
    assert got.reason_en == (
        "new price 8,600 KRW is below 8,820 KRW, the least the fixed book price law allows "
        "(90% of the list price 9,800 KRW); a price of 8,820 KRW or more keeps to the law; "
        + _EXEMPT_EN)


def test_other_categories_keep_the_generic_wording() -> None:
    rules = dataclasses.replace(RULES, category_list_floor_pct={"liquor": 95.0},
                                category_list_ceiling_pct={"liquor": 110.0})
    low = check_one(_book(9_000, list_price=10_000, category="liquor"), rules)
    assert low.reason_en == ("new price 9,000 KRW is below 9,500 KRW, the least this category "
                             "may be sold at (95% of the list price 10,000 KRW)")
    assert low.reason_ko == ("새 가격 9,000원은 이 분류에서 허용되는 최저가 9,500원"
                             "(정가 10,000원의 95%)보다 낮습니다.")
    high = check_one(_book(11_500, list_price=10_000, category="liquor"), rules)
    assert high.reason_code == "above_list_price_ceiling"
    assert high.reason_en == ("new price 11,500 KRW is above 11,000 KRW, the most this category "
                              "may be sold at (110% of the list price 10,000 KRW)")
    assert high.reason_ko == ("새 가격 11,500원은 이 분류에서 허용되는 최고가 11,000원"
                              "(정가 10,000원의 110%)보다 높습니다.")
    assert "도서정가제" not in low.reason_ko + high.reason_ko


def test_the_batch_renders_the_same_sentences_as_the_single_check() -> None:
    evs = [_book(20_000), _book(8_600, list_price=9_800), _book(16_000)]
    cols = [evidence_columns(ev, RULES) for ev in evs]
    joined = type(cols[0])(*(np.concatenate([getattr(c, f) for c in cols])
                             for f in cols[0].__dataclass_fields__))
    result = check_prices(joined, RULES)
    for lang in ("en", "ko"):
        said = render_reasons(result, joined, ["KRW"] * 3, n_peers=np.array([2, 2, 2]),
                              lang=lang, categories=[ev.category for ev in evs])
        for ev, text in zip(evs[:2], said[:2], strict=True):
            one = check_one(ev, RULES)
            assert text == (one.reason_en if lang == "en" else one.reason_ko)
        assert "도서정가제" not in said[2] and "fixed book price" not in said[2]
