"""The batch run (``sagwa guard run``) and the fixed book price law's ceiling: a book above
its list price is held as the single check holds it (a seller tester saw 1Q84 1, list price
16,800 KRW, allowed at 20,000 KRW), and its reason names the law."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from sagwa.priceguard import ChangeEvidence, check_one, load_rules
from sagwa.services.guard_batch import _attach_policy, run_guard

RULES = load_rules()
def _at(hour: int) -> datetime:
    return datetime(2025, 7, 1, hour, tzinfo=UTC)


def _run(category: str, new: int, lang: str = "ko") -> pl.DataFrame:
    history = pl.DataFrame({
        "listing_id": ["L1", "L2"], "product_id": ["P"] * 2, "seller_id": ["S1", "S2"],
        "price_minor": [16_800] * 2, "observed_at": [_at(1)] * 2, "currency": ["KRW"] * 2,
    })
    changes = pl.DataFrame({
        "change_id": ["c"], "listing_id": ["L1"], "product_id": ["P"], "seller_id": ["S1"],
        "old_price_minor": [16_800], "new_price_minor": [new], "proposed_at": [_at(2)],
        "promotion_pct": [None], "currency": ["KRW"],
    }, schema_overrides={"promotion_pct": pl.Float64})
    products = pl.DataFrame({"product_id": ["P"], "list_price_minor": [16_800],
                             "currency": ["KRW"], "category": [category]})
    return run_guard(history=history, changes=changes, products=products, rules=RULES,
                     lang=lang).verdicts


def test_the_batch_gives_each_change_its_categorys_most_price() -> None:
    todo = pl.DataFrame({"product_id": ["P", "Q"], "currency": ["KRW", "KRW"],
                         "seller_id": ["S", "S"]})
    products = pl.DataFrame({"product_id": ["P", "Q"], "list_price_minor": [16_800, 16_800],
                             "currency": ["KRW", "KRW"], "category": ["Books/Novel", "grocery"]})
    got = _attach_policy(todo, RULES, products)
    assert got["list_ceiling_minor"].to_list() == [16_800.0, None]
    assert got["list_floor_minor"].to_list() == [15_120.0, None]


def test_the_batch_holds_a_book_above_its_list_price_as_the_single_check_does() -> None:
    single = check_one(ChangeEvidence(16_800, 20_000, "KRW", (16_800,), (16_800,), 16_800,
                                      category="books/novel"), RULES)
    assert single.verdict == "hold"
    assert _run("books/novel", 20_000)["verdict"][0] == "hold"
    assert _run("grocery", 20_000)["verdict"][0] == "allow"


def test_the_batch_reason_names_the_law() -> None:
    said = _run("books/novel", 20_000)["reason"][0]
    assert said.startswith("새 가격 20,000원은 도서정가제 최고가 16,800원(정가 16,800원의 100%)보다 높습니다")
