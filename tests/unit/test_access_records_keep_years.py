"""How long access records are kept (개인정보의 안전성 확보조치 기준 제8조: a year at least, two
with 50,000 or more data subjects or sensitive data): ``SAGWA_ACCESS_RECORDS_KEEP_YEARS``, 1 to
10, two by default; ``sagwa access purge`` refuses a ``--before`` within it, naming the setting
and the latest day it takes; a year stays the floor whatever asks. Documented with the other
settings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.config import Settings, describe_invalid_settings
from sagwa.domain.access_records import check_purge_before, latest_purge_day
from sagwa.domain.moments import SEOUL
from sagwa.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 12:00 on 7 December in Korea
#: Settings the README does not list (yet): read by the demo and the replay only.
NOT_IN_THE_README = {"timezone", "default_currency"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-test-key-of-enough-length")
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def test_records_are_kept_two_years_unless_the_setting_says_otherwise(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().access_records_keep_years == 2
    monkeypatch.setenv("SAGWA_ACCESS_RECORDS_KEEP_YEARS", "5")
    assert Settings().access_records_keep_years == 5


@pytest.mark.parametrize("given", ["0", "11", "two"])
def test_a_keeping_outside_one_to_ten_years_is_refused_naming_the_setting(
        monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    monkeypatch.setenv("SAGWA_ACCESS_RECORDS_KEEP_YEARS", given)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert describe_invalid_settings(refused.value).startswith(
        "SAGWA_ACCESS_RECORDS_KEEP_YEARS: ")


def test_a_purge_within_the_years_kept_is_refused_naming_the_setting_and_the_latest_day(
        ) -> None:
    assert latest_purge_day(NOW, 2) == date(2024, 12, 7)
    with pytest.raises(InvalidInput) as refused:
        check_purge_before(date(2025, 6, 1), NOW, 2)
    said = refused.value
    assert said.details == {"field": "before", "reason": "purge_too_recent",
                            "setting": "SAGWA_ACCESS_RECORDS_KEEP_YEARS", "keep_years": 2,
                            "latest_before": "2024-12-07"}
    assert "SAGWA_ACCESS_RECORDS_KEEP_YEARS=2" in said.message and "2024-12-07" in said.message
    assert check_purge_before(date(2024, 12, 7), NOW, 2) == datetime(2024, 12, 7, tzinfo=SEOUL)
    assert check_purge_before(date(2025, 6, 1), NOW, 1) == datetime(2025, 6, 1, tzinfo=SEOUL)


def test_a_year_stays_the_floor_whatever_is_asked() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_purge_before(date(2026, 1, 1), NOW, 0)
    assert refused.value.details["latest_before"] == "2025-12-07"


def test_every_setting_is_in_the_readme_and_the_keeping_in_the_deploy_guide_too() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"`SAGWA_([A-Z_]+)`", readme))
    assert {f for f in Settings.model_fields if f.upper() not in rows} == NOT_IN_THE_README
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "SAGWA_ACCESS_RECORDS_KEEP_YEARS" in deploy
