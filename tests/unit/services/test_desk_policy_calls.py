"""The desk policy's ``[calls] max_attempts`` (attempts before the desk stops trying to reach a
customer it owes a call) is read strictly, and the rule that uses it is pure."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from sagwa.domain.call_attempts import OUTCOMES, OwedCall, gives_up
from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        load_desk_policy(path)
    return refused.value


def test_the_shipped_policy_tries_three_times() -> None:
    assert "[calls]\n" in SHIPPED and "max_attempts = 3" in SHIPPED
    assert load_desk_policy().max_call_attempts == 3


@pytest.mark.parametrize("n", [1, 5, 10])
def test_max_attempts_in_the_file_is_used(tmp_path: Path, n: int) -> None:
    text = SHIPPED.replace("max_attempts = 3", f"max_attempts = {n}")
    assert load_desk_policy(_policy_file(tmp_path, text)).max_call_attempts == n


def test_a_file_written_before_the_calls_table_still_loads_with_three_attempts(
        tmp_path: Path) -> None:
    text = SHIPPED.split("[calls]")[0]
    assert "max_attempts" not in text
    assert load_desk_policy(_policy_file(tmp_path, text)).max_call_attempts == 3


@pytest.mark.parametrize("bad", ["0", "11", "-1", '"3"', "3.0", "true", "[3]"])
def test_max_attempts_outside_one_to_ten_or_not_a_whole_number_is_refused(
        tmp_path: Path, bad: str) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace("max_attempts = 3", f"max_attempts = {bad}"))
    refused = _refusal(path)
    assert refused.details == {"field": "desk_policy", "file": str(path), "table": "calls",
                               "key": "max_attempts", "reason": "policy_value_invalid"}
    assert f"{path}: [calls] max_attempts must be a whole number of attempts from 1 to 10" in (
        refused.message)


def test_an_unknown_key_in_calls_is_refused(tmp_path: Path) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace("max_attempts = 3", "max_attempt = 3"))
    refused = _refusal(path)
    assert (refused.details["table"], refused.details["key"]) == ("calls", "max_attempt")
    assert "[calls] max_attempt is not a known setting; known: max_attempts" in refused.message


def test_calls_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.split("[calls]")[0].replace("[contact_hours]", "calls = 3\n\n[contact_hours]")
    refused = _refusal(_policy_file(tmp_path, text))
    assert refused.details["table"] == "calls" and "must be a table" in refused.message


# --- the rule: when the desk stops trying -------------------------------------------------

UNREACHED = [o for o in OUTCOMES if o not in ("reached", "callback_requested")]


@pytest.mark.parametrize("outcome", UNREACHED)
def test_the_desk_gives_up_only_once_the_attempts_are_used_up(outcome: str) -> None:
    assert not gives_up(OwedCall(7, 0, None), 3)
    assert not gives_up(OwedCall(7, 2, outcome), 3)
    assert gives_up(OwedCall(7, 3, outcome), 3)
    assert gives_up(OwedCall(7, 4, outcome), 3)  # max lowered since: the next attempt decides
    assert gives_up(OwedCall(7, 1, outcome), 1)


def test_a_callback_request_as_the_latest_attempt_holds_off_giving_up() -> None:
    assert not gives_up(OwedCall(7, 3, "callback_requested"), 3)
    assert not gives_up(OwedCall(7, 10, "callback_requested"), 3)
    assert gives_up(OwedCall(7, 4, "no_answer"), 3)


def test_the_shipped_policy_counts_attempts_two_hours_apart(tmp_path: Path) -> None:
    from datetime import timedelta

    assert "min_spacing_minutes = 120" in SHIPPED
    assert load_desk_policy().min_call_spacing == timedelta(hours=2)
    text = SHIPPED.replace("min_spacing_minutes = 120", "min_spacing_minutes = 0")
    assert load_desk_policy(_policy_file(tmp_path, text)).min_call_spacing == timedelta(0)
    older = SHIPPED.replace("min_spacing_minutes = 120", "")
    assert load_desk_policy(_policy_file(tmp_path, older)).min_call_spacing == timedelta(hours=2)


@pytest.mark.parametrize("bad", ["-1", "1441", '"120"', "2.5", "true"])
def test_a_spacing_outside_a_day_or_not_whole_minutes_is_refused(tmp_path: Path,
                                                                 bad: str) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace("min_spacing_minutes = 120",
                                                  f"min_spacing_minutes = {bad}"))
    refused = _refusal(path)
    assert (refused.details["table"], refused.details["key"]) == ("calls", "min_spacing_minutes")
    assert "must be a whole number of minutes from 0 to 1440" in refused.message
