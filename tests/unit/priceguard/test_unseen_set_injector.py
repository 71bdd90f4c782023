"""The error injector of ``bench/guard_unseen_set.py`` makes the errors its docstring names.

The second evaluation set is only worth something if its errors are what they say: a keystroke
is one edit of the meant price's digits, a decimal slip divides by 10 or 100, and so on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parents[3] / "bench" / "guard_unseen_set.py"
spec = importlib.util.spec_from_file_location("guard_unseen_set", SCRIPT)
assert spec is not None and spec.loader is not None
unseen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(unseen)


def one_edit(a: str, b: str) -> bool:
    """``b`` is ``a`` with one digit replaced, dropped, doubled, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


@pytest.mark.parametrize("meant", [1, 7, 99, 105, 150, 1999, 2049, 24900])
def test_a_keystroke_is_one_edit_of_the_meant_price(meant: int) -> None:
    rng = np.random.default_rng(meant)
    width = len(str(meant))
    seen = set()
    for _ in range(300):
        typed = unseen.keystroke(meant, rng)
        assert typed > 0 and typed != meant
        # as typed, in cents: a leading zero the number lost ("05" for 1.05 -> 0.05) counts
        shown = {str(typed), str(typed).zfill(width - 1), str(typed).zfill(width)}
        assert any(one_edit(str(meant), s) for s in shown), (meant, typed)
        seen.add(typed)
    assert len(seen) > 5  # the slips vary


def test_each_error_kind_moves_the_price_the_way_its_name_says() -> None:
    rng = np.random.default_rng(0)
    old, meant = 2000, 1800  # cents: 20.00 -> meant 18.00 (10% off)
    for _ in range(50):
        new, pct = unseen.inject("decimal_slip", old, meant, 10.0, rng)
        assert new in (180, 18) and pct == 10.0
        assert unseen.inject("extra_zero", old, meant, None, rng) == (18000, None)
        new, _ = unseen.inject("currency", old, meant, None, rng)
        assert any(abs(new - meant * r) <= 1 or abs(new - meant / r) <= 1 for r in unseen.FX)
        new, pct = unseen.inject("discount_as_price", old, meant, 10.0, rng)
        assert pct == 10.0 and any(
            new in (p * 100, round(old * p / 100)) for p in (10, 15, 20, 25, 30, 40, 50)
        )
        new, pct = unseen.inject("percent_inverted", old, meant, None, rng)
        assert pct in (None, new * 100 / old) and new <= old * 0.3
        new, _ = unseen.inject("unit_error", old, meant, None, rng)
        assert any(new in (meant * p, round(meant / p)) for p in unseen.PACKS)
        assert unseen.inject("penny", old, meant, None, rng)[0] == 1
        new, pct = unseen.inject("inflated_promotion", old, meant, None, rng)
        assert pct is not None and pct >= 80 and new == round(old * (1 - pct / 100))
        new, _ = unseen.inject("repricer_runaway", old, meant, None, rng)
        assert new >= meant * 1.27**8 * 0.99 or new <= meant / 1.25**8 * 1.01
    with pytest.raises(ValueError, match="unknown error type"):
        unseen.inject("typo", old, meant, None, rng)
