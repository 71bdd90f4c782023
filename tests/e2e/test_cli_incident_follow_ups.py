"""``sagwa incident follow-ups``: a customer who took the discount and has not paid the
difference a week later is listed for a call, in a table and as JSON; once an agent logs a call
they leave it, and the policy's ``follow_up_after_days = 0`` keeps no list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_desk import busiest_listing
from sqlalchemy import create_engine, text
from test_cli_incident import flat, sagwa
from test_cli_incident_money import _chooses, _planned

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
KEYS = ["case_id", "incident_id", "incident_status", "customer_id", "customer_name", "phone",
        "email", "locale", "product_ko", "product_en", "difference", "chosen_at", "days_waiting",
        "due_at", "reminder", "contacts_since_choice", "last_contact", "may_cancel_instead"]


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgf") as path:
        yield path


def _execute(data_dir: Path, sql: str) -> None:
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def owing(data_dir: Path) -> int:
    """The busiest listing's incident; its last customer bought at 20% off eight days ago (the
    choice moved back in time) and has not paid. The case id."""
    seeded = sagwa("seed", "demo", "--customers", "8", "--orders", "20", "--json")
    assert seeded.exit_code == 0, seeded.output
    listing_id, _opened = busiest_listing(data_dir)
    incident_id = _planned(data_dir, listing_id)
    [(case_id,)] = query(data_dir, f"SELECT max(id) FROM cases WHERE incident_id = {incident_id}")
    _chooses(data_dir, case_id, "buy_at_correct_price_discount")
    _execute(data_dir, "UPDATE cases SET choice_at = choice_at - interval '8 days' "
                       f"WHERE id = {case_id}")
    return case_id


def test_listed_as_json_and_as_a_table(owing: int) -> None:
    listed = sagwa("incident", "follow-ups", "--format", "json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert list(data) == ["enabled", "as_of", "more", "follow_ups"]
    [one] = data["follow_ups"]
    assert list(one) == KEYS
    assert (one["case_id"], one["days_waiting"], one["last_contact"]) == (owing, 8, None)
    assert one["difference"]["currency"] == "KRW" and one["difference"]["amount_minor"] > 0
    table = flat(sagwa("incident", "follow-ups").stdout)
    assert f"#{owing}" in table and "(8 days)" in table and "none since the choice" in table
    status = sagwa("incident", "status", str(one["incident_id"]))
    assert "differences to follow up 1" in flat(status.stdout)


def test_a_logged_call_takes_the_case_off_and_a_bad_limit_is_refused(owing: int,
                                                                     data_dir: Path) -> None:
    refused = sagwa("incident", "follow-ups", "--limit", "0")
    assert refused.exit_code == 2 and "--limit" in flat(refused.output)
    _execute(data_dir, "INSERT INTO contact_attempts (case_id, channel, attempted_at, outcome, "
                       "agent, within_contact_hours) "
                       f"VALUES ({owing}, 'phone', now(), 'no_answer', 'agent:kim', true)")
    after = json.loads(sagwa("incident", "follow-ups", "--format", "json").stdout)
    assert after["follow_ups"] == [] and after["more"] is False
    assert "no unpaid difference to follow up now" in flat(sagwa("incident", "follow-ups").stdout)


def test_a_policy_without_the_list_says_so(owing: int, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import resources

    shipped = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
    policy = tmp_path / "desk.toml"
    policy.write_text(shipped.replace("follow_up_after_days = 7", "follow_up_after_days = 0"),
                      encoding="utf-8")
    monkeypatch.setenv("SAGWA_DESK_POLICY", str(policy))
    data = json.loads(sagwa("incident", "follow-ups", "--format", "json").stdout)
    assert (data["enabled"], data["follow_ups"]) == (False, [])
    assert "keeps no follow-up list" in flat(sagwa("incident", "follow-ups").stdout)
