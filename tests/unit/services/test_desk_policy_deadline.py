"""The latest answer deadline a plan may set is a desk policy setting (``[sla]
max_deadline_days``, 14 days unless set, 1 to 90): until customers answer, their paid orders are
neither shipped nor refunded (a legal review found 90 days hard-coded)."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
LINE = "max_deadline_days = 14\n"


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return load_desk_policy(path)


def test_the_shipped_policy_allows_two_weeks() -> None:
    assert LINE in SHIPPED
    assert load_desk_policy().max_deadline_ahead == timedelta(days=14)


def test_without_the_key_the_default_is_two_weeks(tmp_path: Path) -> None:
    assert _load(tmp_path, SHIPPED.replace(LINE, "")).max_deadline_ahead == timedelta(days=14)


def test_an_operator_may_set_it(tmp_path: Path) -> None:
    policy = _load(tmp_path, SHIPPED.replace(LINE, "max_deadline_days = 7\n"))
    assert policy.max_deadline_ahead == timedelta(days=7)


@pytest.mark.parametrize("bad", ["0", "91", "7.5", '"7"', "true"])
def test_a_value_outside_1_to_90_days_is_refused_naming_the_key(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, SHIPPED.replace(LINE, f"max_deadline_days = {bad}\n"))
    assert (refused.value.details["table"], refused.value.details["key"],
            refused.value.details["reason"]) == ("sla", "max_deadline_days",
                                                 "policy_value_invalid")
    assert "from 1 to 90" in refused.value.message
