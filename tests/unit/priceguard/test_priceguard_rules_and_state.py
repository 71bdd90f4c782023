"""Rules load from TOML; the streaming evidence state keeps what the guard may know."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import sagwa.priceguard
from sagwa.errors import InvalidInput
from sagwa.priceguard import ChangeEvidence, EvidenceState, check_one, load_rules


def test_packaged_rules_load_with_policy() -> None:
    rules = load_rules()
    assert 0 < rules.down_ratio < 1 < rules.up_ratio
    assert rules.max_depth_pct("electronics") == 60.0
    assert rules.max_depth_pct("electronics/mp3") == 60.0
    assert rules.max_depth_pct(None) == rules.default_max_depth_pct
    assert rules.penny_major("KRW") == 1.0


def test_operator_rules_set_seller_floor_and_category_depth(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[promotion]\ndefault_max_depth_pct = 80.0\n"
        "[promotion.category_max_depth_pct]\ntoys = 40.0\n"
        "[sellers]\nS9 = { floor = 100.0, ceiling = 900.0 }\n",
        encoding="utf-8",
    )
    rules = load_rules(path)
    below = ChangeEvidence(15_000, 9_000, "USD", (15_000,), seller_id="S9")
    verdict = check_one(below, rules)
    assert verdict.verdict == "hold" and verdict.reason_code == "below_seller_floor"
    assert "$100.00" in verdict.reason_en
    promo = ChangeEvidence(10_000, 5_500, "USD", (10_000,), promotion_pct=45.0, category="toys")
    assert check_one(promo, rules).reason_code == "promotion_too_deep"


def test_malformed_rules_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[thresholds]\ndown_ratio = 2.0\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_rules(bad)
    bad.write_text("[thresholds]\nwhatever = 1\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_rules(bad)


def test_state_keeps_last_window_prices_in_order() -> None:
    state = EvidenceState(window=3, capacity=2)
    listing = np.array([0, 0, 0, 0, 1])
    state.observe(listing, np.array([0, 0, 0, 0, 0]), np.array([10.0, 20.0, 30.0, 40.0, 99.0]))
    assert state.recent_median(np.array([0]))[0] == 30.0  # median of 20, 30, 40
    assert state.latest[0] == 40.0 and state.latest[1] == 99.0
    state.observe(np.array([0]), np.array([0]), np.array([1.0]))
    assert state.recent_median(np.array([0]))[0] == 30.0  # 30, 40, 1
    assert np.isnan(state.recent_median(np.array([5]))[0])  # unseen listing, state grows


def test_peer_median_excludes_the_listing_itself() -> None:
    rng = np.random.default_rng(3)
    n = 200
    product = rng.integers(0, 7, n)
    price = rng.integers(1, 1000, n).astype(float)
    state = EvidenceState(capacity=4)
    state.observe(np.arange(n), product, price)
    ask = rng.integers(0, n + 5, 50)
    ask_product = np.where(ask < n, product[np.minimum(ask, n - 1)], 3)
    med, count = state.peer_median(ask, ask_product)
    for i, (lst, prod) in enumerate(zip(ask, ask_product, strict=True)):
        others = [price[j] for j in range(n) if product[j] == prod and j != lst]
        assert count[i] == len(others)
        assert med[i] == pytest.approx(np.median(others))


def test_priceguard_imports_no_database_web_or_adapters() -> None:
    root = Path(sagwa.priceguard.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(
                    ("sqlalchemy", "fastapi", "sagwa.adapters", "sagwa.config")
                ), path


@pytest.mark.parametrize(
    ("minor", "currency"),
    [
        (19_900, "KRW"),
        (3_999, "USD"),
        (5, "USD"),
        (123_456_789, "EUR"),
        (100, "JPY"),
        (12_345, "CNY"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_fast_money_text_matches_the_domain_formatter(minor: int, currency: str, lang: str) -> None:
    from sagwa.domain.money import Money, format_money
    from sagwa.priceguard.explain import money

    assert money(float(minor), currency, lang) == format_money(Money(minor, currency), lang=lang)


def test_peer_range_excludes_the_listing_itself() -> None:
    state = EvidenceState(capacity=8)
    state.observe(
        np.array([0, 1, 2, 3]), np.array([0, 0, 0, 0]), np.array([100.0, 200.0, 300.0, 900.0])
    )
    med, count, low, high = state.peer_stats(np.array([3, 0, 5]), np.array([0, 0, 0]))
    assert list(count) == [3, 3, 4]
    assert list(low) == [100.0, 200.0, 100.0] and list(high) == [300.0, 900.0, 900.0]
    assert list(med) == [200.0, 300.0, 250.0]
