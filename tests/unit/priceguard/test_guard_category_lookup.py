"""A product's category meets the rules' categories with case and surrounding spaces ignored,
parents included ("ELECTRONICS/MP3" takes electronics' limit), in the one lookup the batch and
the single check both use; a category matching none gets the defaults and is named."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import polars as pl
import pytest

from sagwa.priceguard import ChangeEvidence, check_one, load_rules
from sagwa.services.guard_batch import categories_without_rules, run_guard

RULES = load_rules()  # electronics 60% promotion limit; books sold at 90% of list at least


@pytest.mark.parametrize("category", ["Books", " books", "BOOKS ", "books / Novel", "Books/"])
def test_a_book_category_in_any_case_or_spacing_keeps_the_fixed_book_price(category: str) -> None:
    assert RULES.list_floor_pct(category) == 90.0
    assert RULES.has_category(category)


@pytest.mark.parametrize("category", ["ELECTRONICS", " electronics", "Electronics/MP3",
                                      " ELECTRONICS / mp3 "])
def test_an_electronics_category_in_any_case_keeps_its_promotion_limit(category: str) -> None:
    assert RULES.max_depth_pct(category) == 60.0


@pytest.mark.parametrize("category", ["도서", "toys", "", None, "electronicsx"])
def test_a_category_the_rules_do_not_name_gets_the_defaults(category: str | None) -> None:
    assert RULES.max_depth_pct(category) == RULES.default_max_depth_pct
    assert math.isnan(RULES.list_floor_pct(category))
    assert not RULES.has_category(category)


def _at(hour: int) -> datetime:
    return datetime(2025, 7, hour, 10, tzinfo=UTC)


def _batch_verdict(category: str, new: int, promotion: float | None) -> str:
    history = pl.DataFrame({
        "listing_id": ["L1", "L2", "L3"], "product_id": ["P"] * 3, "seller_id": ["S1", "S2", "S3"],
        "price_minor": [10_000] * 3, "observed_at": [_at(1)] * 3, "currency": ["KRW"] * 3,
    })
    changes = pl.DataFrame({
        "change_id": ["c"], "listing_id": ["L1"], "product_id": ["P"], "seller_id": ["S1"],
        "old_price_minor": [10_000], "new_price_minor": [new], "proposed_at": [_at(2)],
        "promotion_pct": [promotion], "currency": ["KRW"],
    }, schema_overrides={"promotion_pct": pl.Float64})
    products = pl.DataFrame({"product_id": ["P"], "list_price_minor": [10_000],
                             "currency": ["KRW"], "category": [category]})
    run = run_guard(history=history, changes=changes, products=products, rules=RULES)
    return str(run.verdicts["verdict"][0])


@pytest.mark.parametrize(("category", "new", "promotion", "verdict"), [
    ("Books", 7_000, 30.0, "hold"),          # below 90% of the list price
    (" books", 7_000, 30.0, "hold"),
    ("ELECTRONICS/MP3", 3_900, 61.0, "hold"),  # 61% off where 60% needs a reviewer
    ("Electronics", 3_900, 61.0, "hold"),
    ("도서", 7_000, 30.0, "allow"),           # names no category: the defaults
])
def test_the_batch_and_the_single_check_read_a_category_alike(
        category: str, new: int, promotion: float, verdict: str) -> None:
    single = check_one(ChangeEvidence(10_000, new, "KRW", (10_000,), (10_000, 10_000), 10_000,
                                      promotion_pct=promotion, category=category), RULES)
    assert (_batch_verdict(category, new, promotion), single.verdict) == (verdict, verdict)


def test_categories_matching_no_rule_are_named_once_with_their_product_count() -> None:
    products = pl.DataFrame({
        "product_id": ["A", "B", "C", "D", "E", "F"],
        "category": ["도서", " 도서 ", "Books", "toys", None, "electronics/mp3"],
    })
    assert categories_without_rules(products, RULES) == [("도서", 2), ("toys", 1)]
    assert categories_without_rules(None, RULES) == []
