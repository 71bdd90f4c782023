"""``sagwa audit anchor`` and ``sagwa audit verify --anchors``, on an embedded database.

Before: deleting the last audit record (as a superuser, past the append-only trigger) left
``audit verify`` saying "intact" — nothing outside the database remembered where the log
ended. Now ``audit anchor`` writes the head to ``<data dir>/audit-anchors.jsonl`` and verify
checks every anchor, naming the one that fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.embedded import fresh_data_dir, start_embedded

pytestmark = pytest.mark.e2e


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args))


def flat(text_: str) -> str:
    return " ".join(text_.split())


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sga") as path:
        result = sagwa("seed", "demo", "--products", "40", "--customers", "3", "--orders", "2", "--json")
        assert result.exit_code == 0, result.output
        yield path


def _delete_last_record(data_dir: Path) -> int:
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            return int(conn.execute(text(
                "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log) "
                "RETURNING seq")).scalar_one())
    finally:
        engine.dispose()


def test_anchor_then_a_deleted_last_record_fails_verify(data_dir: Path) -> None:
    anchored = sagwa("audit", "anchor", "--json")
    assert anchored.exit_code == 0, anchored.output
    head = json.loads(anchored.stdout)
    assert head["path"] == str(data_dir / "audit-anchors.jsonl") and head["seq"] > 0
    [line] = (data_dir / "audit-anchors.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["hash"] == head["hash"]

    intact = sagwa("audit", "verify")
    assert intact.exit_code == 0, intact.output
    assert "audit log intact" in flat(intact.stdout) and "1 anchors from" in flat(intact.stdout)

    assert _delete_last_record(data_dir) == head["seq"]
    broken = sagwa("audit", "verify")
    assert broken.exit_code == 1
    said = flat(broken.stderr)
    assert f"audit log broken at record {head['seq']}" in said
    assert "anchor on line 1" in said and "no longer in the log" in said
    as_json = json.loads(sagwa("audit", "verify", "--json").stdout)
    assert list(as_json)[:4] == ["ok", "checked", "first_bad_seq", "reason"]
    assert as_json["anchor_failed"]["line"] == 1 and as_json["code"] == "audit_chain_broken"


def test_verify_with_a_missing_anchors_file_is_bad_input(data_dir: Path) -> None:
    result = sagwa("audit", "verify", "--anchors", str(data_dir / "nowhere.jsonl"))
    assert result.exit_code == 2
    assert "no anchors file" in flat(result.stderr)
    # with --json, one JSON object on stdout as every refusal (a tester got nothing there)
    said = sagwa("audit", "verify", "--anchors", str(data_dir / "nowhere.jsonl"), "--json")
    assert said.exit_code == 2
    refusal = json.loads(said.stdout)
    assert refusal["details"]["reason"] == "file_unreadable"
    assert refusal["problems"][0]["option"] == "--anchors"


def test_anchor_print_only_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    result = sagwa("audit", "anchor", "--print-only")
    assert result.exit_code == 0, result.output
    assert "anchored record" in flat(result.stdout) and "→" not in result.stdout


def test_verify_with_no_anchor_says_a_rewrite_would_pass(data_dir: Path, tmp_path: Path) -> None:
    """Before: "audit log intact ...; no anchors in <file>" read as a full check, although a
    log rewritten whole (plain hashes from record 1) passes when no anchor is checked."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = sagwa("audit", "verify", "--anchors", str(empty))
    assert result.exit_code == 0, result.output
    assert ("no anchors checked: a rewrite of the whole chain would not be detected"
            in flat(result.stdout))
    as_json = json.loads(sagwa("audit", "verify", "--json", "--anchors", str(empty)).stdout)
    assert list(as_json)[-1] == "anchors_warning" and as_json["anchors_warning"].startswith(
        "no anchors checked")
