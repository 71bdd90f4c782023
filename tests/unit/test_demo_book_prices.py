"""The demo's book prices respect the fixed-book-price law, as the guard's own floor
(``rules.toml`` ``[promotion.category_list_floor_pct] books = 90.0``) does: a walkthrough found
72 seeded books rounded to the nearest 100 won below it (15,100 KRW for a 16,800 KRW book),
so a seller raising such a price by 10 won was held."""

from __future__ import annotations

import csv
import random
from importlib import resources

from sagwa.domain.money import Money
from sagwa.seed.demo import _shelf_price


def test_no_seeded_book_is_priced_below_ninety_percent_of_its_list_price() -> None:
    text = resources.files("sagwa.seed").joinpath("products.csv").read_text("utf-8")
    books = [r for r in csv.DictReader(text.splitlines()) if r["category"].startswith("books/")]
    assert len(books) > 50
    rng = random.Random(7)
    below = []
    for row in books:
        listed = int(row["list_price_krw"])
        for _ in range(8):  # every factor the demo draws from, several times
            price = _shelf_price(rng, row["category"], Money(listed, "KRW")).amount_minor
            if price * 10 < listed * 9:
                below.append((row["sku"], listed, price))
    assert below == []
