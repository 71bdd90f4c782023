"""``sagwa incident note-follow-ups`` and ``resolve-follow-up``: a call note an agent marked
"follow-up needed" is listed (a table, and JSON with stable keys) until someone records what
was done from the terminal; recorded again, nothing changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_desk import busiest_listing
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from test_cli_incident import flat, sagwa
from test_cli_incident_money import _planned

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.services import desk_cases
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
NOTE = "환불 문의: 재무팀 확인 후 다시 연락"
KEYS = ["id", "case_id", "incident_id", "attempt_id", "note", "asked_by", "asked_at", "due_at",
        "due"]


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgn") as path:
        yield path


def _asked(data_dir: Path, case_id: int) -> int:
    """An agent's note on ``case_id``, marked "follow-up needed": its follow-up's id."""
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        logged = desk_cases.log_call_attempt(
            SqlAlchemyUnitOfWork(sessionmaker(engine)), case_id=case_id, channel="phone",
            outcome="reached", agent="agent:park", note=NOTE, policy=load_desk_policy(),
            follow_up=True)
    finally:
        engine.dispose()
    assert logged.follow_up_id is not None
    return logged.follow_up_id


def test_listed_until_resolved_from_the_terminal(data_dir: Path) -> None:
    seeded = sagwa("seed", "demo", "--products", "40", "--customers", "6", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    incident_id = _planned(data_dir, busiest_listing(data_dir)[0])
    assert sagwa("incident", "note-follow-ups").stdout.strip() == "no note needs a follow-up"
    [(case_id,)] = query(data_dir, f"SELECT min(id) FROM cases WHERE incident_id = {incident_id}")
    follow_up_id = _asked(data_dir, case_id)
    listed = sagwa("incident", "note-follow-ups", "--format", "json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert list(data) == ["open", "items"] and data["open"] == 1
    [item] = data["items"]
    assert list(item) == KEYS
    assert (item["id"], item["case_id"], item["note"], item["due"]) == (
        follow_up_id, case_id, NOTE, True)
    assert NOTE in flat(sagwa("incident", "note-follow-ups").stdout)
    done = sagwa("incident", "resolve-follow-up", str(case_id), str(follow_up_id), "--outcome",
                 "재무팀 확인, 고객께 전화로 안내함", "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["changed"] is True
    again = sagwa("incident", "resolve-follow-up", str(case_id), str(follow_up_id), "--outcome",
                  "x")
    assert again.exit_code == 0 and "already resolved; nothing changed" in flat(again.stdout)
    assert json.loads(sagwa("incident", "note-follow-ups", "--format", "json").stdout) == {
        "open": 0, "items": []}
    wrong = sagwa("incident", "resolve-follow-up", str(case_id + 1000), str(follow_up_id),
                  "--outcome", "x")
    assert wrong.exit_code != 0
