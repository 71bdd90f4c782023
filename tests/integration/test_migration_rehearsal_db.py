"""``sagwa db upgrade --dry-run`` on real PostgreSQL: the missing migrations run in one
transaction that is rolled back — the revision and the tables stay as they were — and it says
which ran, how long each took, the SQL, and which existing tables the upgrade would lock until
it commits. Behind an open transaction it gives up as the upgrade does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from schema_at import migrated_to, version_row_held
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from sagwa.adapters.db.migrate import current_revision, head_revision
from sagwa.adapters.db.migration_rehearsal import rehearse_upgrade
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.errors import Conflict

#: 0027 makes access_records, 0028 adds columns to customers and outbox
FROM = "0026"


@pytest.fixture
def at_0026(scratch) -> URL:  # type: ignore[no-untyped-def]
    return migrated_to(scratch.create(migrate=False), FROM)


def _cli(url: URL, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("SAGWA_DATABASE_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAGWA_MIGRATION_LOCK_TIMEOUT", "0.5")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "upgrade", *args])
    finally:
        get_settings.cache_clear()
    return result.exit_code, result.output


def test_a_rehearsal_runs_the_missing_migrations_and_changes_nothing(at_0026: URL) -> None:
    engine = create_engine(at_0026)
    tables = set(inspect(engine).get_table_names())
    rehearsal = rehearse_upgrade(engine, lock_timeout=2)
    ran = [m.revision for m in rehearsal.migrations]
    assert ran[0] == "0027" and ran[-1] == head_revision() and len(ran) >= 3
    assert all(m.seconds >= 0 and m.statements > 0 for m in rehearsal.migrations)
    assert rehearsal.migrations[0].title.startswith("access_records")
    assert any("CREATE TABLE access_records" in s for s in rehearsal.sql)
    # rolled back: the revision, the tables and the columns as before
    assert current_revision(engine) == FROM
    found = inspect(engine)
    assert set(found.get_table_names()) == tables and "access_records" not in tables
    assert "erased_at" not in {c["name"] for c in found.get_columns("customers")}
    locks = {lock.table: lock for lock in rehearsal.locks}
    # an existing table altered: every read and write waits until the upgrade commits
    assert locks["customers"].mode == "AccessExclusiveLock" and locks["customers"].blocks
    # a table the upgrade makes: nobody else can be waiting for it
    assert locks["access_records"].new and not locks["access_records"].blocks
    engine.dispose()


def test_the_command_says_so_writes_the_sql_and_leaves_the_revision(
        at_0026: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sql = tmp_path / "upgrade.sql"
    code, out = _cli(at_0026, monkeypatch, "--dry-run", "--sql", str(sql))
    assert code == 0, out
    flat = " ".join(out.split())
    assert "rolled back; nothing changed" in flat and "되돌렸습니다" in flat
    assert "0027" in flat and "total" in flat
    assert "customers AccessExclusiveLock" in flat and "reads and writes wait" in flat
    assert "access_records AccessExclusiveLock" not in flat  # new: not among the waits
    written = sql.read_text(encoding="utf-8")
    assert written.startswith("-- sagwa db upgrade --dry-run") and "ALTER TABLE customers" in written
    engine = create_engine(at_0026)
    assert current_revision(engine) == FROM
    engine.dispose()


def test_the_json_keeps_its_keys(at_0026: URL, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _cli(at_0026, monkeypatch, "--dry-run", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert {"database", "current", "latest", "migrations", "seconds", "statements", "locks",
            "rolled_back"} <= set(data)
    assert data["current"] == FROM and data["latest"] == head_revision() and data["rolled_back"]
    assert set(data["migrations"][0]) == {"revision", "title", "seconds", "statements"}
    assert {"table", "mode", "new", "blocks", "effect"} == set(data["locks"][0])


def test_up_to_date_there_is_nothing_to_rehearse(scratch, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = scratch.create()
    code, out = _cli(url, monkeypatch, "--dry-run")
    assert code == 0, out
    assert "already at the latest schema" in " ".join(out.split())


def test_json_or_sql_without_dry_run_is_refused_before_anything_runs(
        at_0026: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in (["--json"], ["--sql", str(tmp_path / "x.sql")]):
        code, out = _cli(at_0026, monkeypatch, *args)
        assert code == 2, out
        assert "goes with --dry-run" in " ".join(out.split())
    engine = create_engine(at_0026)
    assert current_revision(engine) == FROM  # the real upgrade did not run either
    engine.dispose()


def test_an_unwritable_sql_file_is_said_plainly(at_0026: URL, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _cli(at_0026, monkeypatch, "--dry-run", "--sql", str(tmp_path / "no" / "x.sql"))
    assert code != 0 and "cannot write the SQL to" in " ".join(out.split())
    assert "Traceback" not in out


@pytest.fixture
def holder(at_0026: URL) -> Iterator[int]:
    """An open transaction holding the row every migration updates last; its pid."""
    with version_row_held(at_0026) as pid:
        yield pid


def test_behind_an_open_transaction_it_gives_up_as_the_upgrade_would(
        at_0026: URL, holder: int) -> None:
    engine = create_engine(at_0026)
    with pytest.raises(Conflict) as refused:
        rehearse_upgrade(engine, lock_timeout=0.5)
    assert refused.value.details["reason"] == "migration_lock_timeout"
    assert f"pid {holder}" in refused.value.message
    assert current_revision(engine) == FROM
    engine.dispose()


def test_a_table_renamed_or_dropped_is_reported_as_the_existing_table_it_was(scratch) -> None:  # type: ignore[no-untyped-def]
    """Locks are matched by the table's oid taken before: a migration renaming or dropping a
    table still shows that table's reads and writes waiting, under its old name."""
    from sagwa.adapters.db.migration_rehearsal import _held_locks, _tables

    engine = create_engine(scratch.create())
    with engine.connect() as conn:
        before = _tables(conn)
        conn.execute(text("ALTER TABLE sellers RENAME TO sellers_old"))
        conn.execute(text("DROP TABLE web_sessions"))
        conn.execute(text("CREATE TABLE brand_new (id int)"))
        locks = {lock.table: lock for lock in _held_locks(conn, before)}
        conn.rollback()
    assert locks["sellers"].blocks and not locks["sellers"].new and "sellers_old" not in locks
    assert locks["web_sessions"].mode == "AccessExclusiveLock" and locks["web_sessions"].blocks
    assert locks["brand_new"].new and not locks["brand_new"].blocks
    engine.dispose()
