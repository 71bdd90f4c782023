"""``sagwa incident plan --help`` names the split as one of the compensation (points) and says
how the seller's share is rounded; ``sagwa incident status`` words the plan's split the same."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from sagwa.cli.incident_format import format_plan
from sagwa.cli.main import app


def _flat(text: str) -> str:
    return " ".join(re.sub("[\u2500-\u257f]", " ", text).split())


def test_the_plan_help_says_the_split_is_of_the_compensation_and_how_it_rounds() -> None:
    shown = _flat(CliRunner().invoke(app, ["incident", "plan", "--help"],
                                     env={"COLUMNS": "200"}).output)
    assert "Seller's share of the compensation (points), percent" in shown
    assert "rounded down to the won for each case, the platform pays the rest" in shown
    assert "Platform's share of the compensation (points), percent" in shown
    assert "share of the cost" not in shown


def test_the_status_words_the_plans_split_as_the_compensations() -> None:
    plan = {"options": ["keep"], "deadline": "2008-06-17T09:00:00+00:00", "default": "keep",
            "seller_share_pct": 70, "platform_share_pct": 30}
    assert "compensation (points) split: seller 70%, platform 30%" in format_plan(plan)
