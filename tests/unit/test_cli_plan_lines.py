"""``sagwa incident status`` writes the plan's terms as a person reads them."""

from __future__ import annotations

import pytest

from sagwa.cli.incident_format import format_plan

PLAN = {"options": ["keep", "buy_at_correct_price_discount"], "deadline": "2008-06-17T18:00:00+09:00",
        "default": "keep", "seller_share_pct": 50, "platform_share_pct": 50,
        "discount_pct": 20}


@pytest.mark.parametrize(("cap", "line"), [(1, "keep at most: 1 unit per customer"),
                                           (3, "keep at most: 3 units per customer")])
def test_the_keep_cap_is_counted_in_units_per_customer(cap: int, line: str) -> None:
    lines = format_plan({**PLAN, "keep_max_units": cap}).splitlines()
    assert line in lines and "discount: 20% off the correct price" in lines


def test_no_cap_no_line() -> None:
    assert not any(x.startswith("keep at most") for x in format_plan(PLAN).splitlines())


def test_choices_are_named_as_the_pages_name_them() -> None:
    from sagwa.cli.incident_format import _choice_words
    from sagwa.services.desk_report import figure_rows

    assert _choice_words("buy_at_correct_price_discount") == "buy at a discount off the correct price"
    assert _choice_words("keep") == "keep the order"
    rows = dict(figure_rows({"by_choice": {"buy_at_correct_price_discount": 2, "keep": 1}}))
    assert rows["… bought at the discounted correct price"] == "2"
    assert rows["… kept the order"] == "1"
