"""``sagwa seed demo --products N`` lists N of the catalogue's products, spread through it: every
category among them, the iPod nano of the 2008 story always, the catalogue's order kept."""

from __future__ import annotations

import pytest

from sagwa.seed.demo import IPOD_SKU, _rows, catalogue_size, spread_products

ROWS = _rows("products.csv")


def _kinds(rows: list[dict[str, str]]) -> set[str]:
    return {row["category"].split("/")[0] for row in rows}


@pytest.mark.parametrize("wanted", [1, 2, 7, 40, 100, catalogue_size() - 1])
def test_n_products_spread_over_the_kinds_with_the_ipod(wanted: int) -> None:
    picked = spread_products(ROWS, wanted)
    assert len(picked) == wanted
    assert IPOD_SKU in {row["sku"] for row in picked}
    assert picked == sorted(picked, key=ROWS.index)  # the catalogue's order
    if wanted >= 40:
        assert _kinds(picked) == _kinds(ROWS)


@pytest.mark.parametrize("wanted", [None, catalogue_size(), catalogue_size() + 5])
def test_all_or_more_is_the_whole_catalogue(wanted: int | None) -> None:
    assert spread_products(ROWS, wanted) == ROWS


def test_none_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one product"):
        spread_products(ROWS, 0)
