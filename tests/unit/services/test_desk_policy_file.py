"""The desk policy file: every setting it holds is used, and none is silently ignored or coerced."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.contact_hours import may_contact
from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.desk_status import answered_count

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
SEOUL = ZoneInfo("Asia/Seoul")


def _policy_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _with(tmp_path: Path, table: str, *lines: str) -> Path:
    """The shipped policy with ``lines`` added at the top of ``[table]``."""
    header = f"[{table}]\n"
    assert header in SHIPPED
    return _policy_file(tmp_path, SHIPPED.replace(header, header + "\n".join(lines) + "\n", 1))


def _without(tmp_path: Path, line_start: str) -> Path:
    kept = [line for line in SHIPPED.splitlines() if not line.startswith(line_start)]
    return _policy_file(tmp_path, "\n".join(kept) + "\n")


def _refusal(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        load_desk_policy(path)
    return refused.value


def test_the_shipped_policy_loads_with_seoul_hours_and_holidays_closed() -> None:
    policy = load_desk_policy()
    assert isinstance(policy, DeskPolicy)
    assert policy.schedule.timezone == "Asia/Seoul" and policy.schedule.holidays_closed
    assert policy.schedule.closed_dates == frozenset()
    assert policy.schedule.min_time_left == timedelta(minutes=120)
    assert policy.notice_sla == timedelta(minutes=60)


@pytest.mark.parametrize("written", ["[2026-12-31]", '["2026-12-31"]'])
def test_closed_dates_in_the_file_close_the_contact_centre(tmp_path: Path, written: str) -> None:
    text = SHIPPED.replace("closed_dates = []", f"closed_dates = {written}")
    policy = load_desk_policy(_policy_file(tmp_path, text))
    assert policy.schedule.closed_dates == frozenset({date(2026, 12, 31)})
    morning = datetime(2026, 12, 31, 10, 0, tzinfo=SEOUL)  # a Thursday, normally open
    assert not may_contact(policy.schedule, morning)
    assert may_contact(policy.schedule, morning - timedelta(days=1))


def test_the_time_zone_in_the_file_is_used(tmp_path: Path) -> None:
    text = SHIPPED.replace('timezone = "Asia/Seoul"', 'timezone = "Europe/London"')
    policy = load_desk_policy(_policy_file(tmp_path, text))
    assert policy.schedule.timezone == "Europe/London"
    # 10:00 in London on a Wednesday in winter is 19:00 in Seoul: open in London's hours
    ten_in_london = datetime(2026, 1, 14, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert may_contact(policy.schedule, ten_in_london)
    assert not may_contact(load_desk_policy().schedule, ten_in_london)


def test_holidays_closed_false_keeps_the_centre_open_on_a_public_holiday(tmp_path: Path) -> None:
    text = SHIPPED.replace("holidays_closed = true", "holidays_closed = false")
    policy = load_desk_policy(_policy_file(tmp_path, text))
    liberation_day = datetime(2025, 8, 15, 10, 0, tzinfo=SEOUL)  # a Friday
    assert not policy.schedule.holidays_closed
    assert may_contact(policy.schedule, liberation_day)
    assert not may_contact(load_desk_policy().schedule, liberation_day)


BAD_VALUES = [  # replace this line of the shipped file, and the key the refusal must name
    ("holidays_closed = true", 'holidays_closed = "false"', "contact_hours", "holidays_closed"),
    ("holidays_closed = true", "holidays_closed = 0", "contact_hours", "holidays_closed"),
    ("closed_dates = []", 'closed_dates = ["31-12-2026"]', "contact_hours", "closed_dates"),
    ("closed_dates = []", "closed_dates = [20261231]", "contact_hours", "closed_dates"),
    ("closed_dates = []", "closed_dates = [2026-12-31T10:00:00]", "contact_hours",
     "closed_dates"),
    ("closed_dates = []", 'closed_dates = "2026-12-31"', "contact_hours", "closed_dates"),
    ('timezone = "Asia/Seoul"', 'timezone = "Asia/Busan"', "contact_hours", "timezone"),
    ('timezone = "Asia/Seoul"', "timezone = 9", "contact_hours", "timezone"),
    ("min_time_left_minutes = 120", "min_time_left_minutes = -5", "contact_hours",
     "min_time_left_minutes"),
    ("min_time_left_minutes = 120", 'min_time_left_minutes = "120"', "contact_hours",
     "min_time_left_minutes"),
    ("min_time_left_minutes = 120", "min_time_left_minutes = 90.5", "contact_hours",
     "min_time_left_minutes"),
    ('mon = "09:00-18:00"', "mon = 9", "contact_hours", "mon"),
    ('mon = "09:00-18:00"', 'mon = "9 to 6"', "contact_hours", "mon"),
    ("public_notice_minutes = 60", "public_notice_minutes = -1", "sla", "public_notice_minutes"),
    ("public_notice_minutes = 60", "public_notice_minutes = true", "sla",
     "public_notice_minutes"),
    ("escalation_lead_hours = 8", 'escalation_lead_hours = "8"', "sla", "escalation_lead_hours"),
    ("min_answer_hours = 24", "min_answer_hours = -24", "sla", "min_answer_hours"),
    ('phone = "1544-0000"', "phone = 15440000", "contact", "phone"),
    ('email = "help@sagwa.example"', 'email = " "', "contact", "email"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "bad", "table", "key"), BAD_VALUES,
                         ids=[bad for _, bad, _, _ in BAD_VALUES])  # fmt: skip
def test_a_value_of_the_wrong_kind_is_refused_naming_file_table_and_key(
    tmp_path: Path, line: str, bad: str, table: str, key: str
) -> None:
    assert line in SHIPPED
    path = _policy_file(tmp_path, SHIPPED.replace(line, bad, 1))
    refused = _refusal(path)
    assert refused.details == {
        "field": "desk_policy",
        "file": str(path),
        "table": table,
        "key": key,
        "reason": "policy_value_invalid",
    }
    assert str(path) in refused.message and f"[{table}] {key}" in refused.message


@pytest.mark.parametrize(("table", "typo"), [
    ("contact_hours", "min_time_left_minute = 60"),
    ("contact_hours", "holiday_closed = false"),
    ("contact_hours", 'closed_date = ["2026-12-31"]'),
    ("sla", "public_notice_minute = 30"),
    ("contact", 'fax = "02-000-0000"'),
])  # fmt: skip
def test_an_unknown_key_is_refused_not_ignored(tmp_path: Path, table: str, typo: str) -> None:
    path = _with(tmp_path, table, typo)
    refused = _refusal(path)
    key = typo.split(" =")[0]
    assert (refused.details["table"], refused.details["key"]) == (table, key)
    assert f"[{table}] {key} is not a known setting" in refused.message
    assert str(path) in refused.message


def test_an_unknown_table_is_refused(tmp_path: Path) -> None:
    refused = _refusal(_policy_file(tmp_path, SHIPPED + '\n[contact_hour]\nmon = ""\n'))
    assert refused.details["table"] == "contact_hour" and "not a known table" in refused.message


@pytest.mark.parametrize(("line_start", "table", "key"), [
    ("escalation_lead_hours", "sla", "escalation_lead_hours"),
    ("hours_en", "contact", "hours_en"),
])  # fmt: skip
def test_a_missing_required_setting_is_named(
    tmp_path: Path, line_start: str, table: str, key: str
) -> None:
    refused = _refusal(_without(tmp_path, line_start))
    assert (refused.details["table"], refused.details["key"]) == (table, key)
    assert "is missing" in refused.message


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    text = SHIPPED.split("[contact]")[0]
    refused = _refusal(_policy_file(tmp_path, text))
    assert refused.details["table"] == "contact" and "is missing" in refused.message


def test_a_day_left_out_or_empty_is_closed(tmp_path: Path) -> None:
    text = SHIPPED.replace('sat = "10:00-14:00"', 'sat = ""').replace('mon = "09:00-18:00"\n', "")
    hours = load_desk_policy(_policy_file(tmp_path, text)).schedule.hours
    assert hours[0] is None and hours[5] is None and hours[1] is not None


def test_hours_the_schedule_rejects_are_refused_naming_the_day(tmp_path: Path) -> None:
    path = _policy_file(tmp_path, SHIPPED.replace('tue = "09:00-18:00"', 'tue = "18:00-09:00"'))
    refused = _refusal(path)
    assert (refused.details["table"], refused.details["key"]) == ("contact_hours", "tue")
    assert "close before they open" in refused.message


def test_a_file_that_is_not_toml_or_not_there_is_refused_naming_it(tmp_path: Path) -> None:
    broken = _policy_file(tmp_path, "[contact_hours\n")
    assert "is not valid TOML" in _refusal(broken).message
    missing = tmp_path / "nowhere.toml"
    refused = _refusal(missing)
    assert refused.details["file"] == str(missing) and "cannot be read" in refused.message


def test_only_choices_that_settle_a_case_count_as_answered() -> None:
    counts = {
        "keep": 2,
        "cancel_with_compensation": 1,
        "buy_at_correct_price_discount": 1,
        "talk_to_person": 3,
        None: 4,
    }
    assert answered_count(counts) == 4
    assert answered_count({}) == 0


def test_the_privacy_officer_is_read_and_a_half_given_one_refused(tmp_path: Path) -> None:
    # the packaged policy names nobody: a made-up officer would go into real customers' letters
    assert load_desk_policy().privacy_officer is None
    given = _policy_file(tmp_path, SHIPPED + '\n[privacy_officer]\nname = "홍길동"\n'
                         'contact = "privacy@example.co.kr, 02-000-0000"\n')
    assert load_desk_policy(given).privacy_officer == ("홍길동", "privacy@example.co.kr, 02-000-0000")
    half = _policy_file(tmp_path, SHIPPED + '\n[privacy_officer]\nname = "홍길동"\n')
    refused = _refusal(half)
    assert refused.details["reason"] == "policy_key_missing"
    assert "[privacy_officer] contact" in refused.message
