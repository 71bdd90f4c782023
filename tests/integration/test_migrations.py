"""Migrations: repeatable, matching the table definitions, reversible."""

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from test_migration_0024_claimed_at import _messages_as_0023_kept_them
from test_migration_0024_claimed_at import _rows as _outbox_rows

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from sagwa.adapters.db.outbox_repo import OutboxRepository
from sagwa.adapters.db.tables import metadata

TRIGGERS = {
    "audit_log_append_only", "audit_log_no_truncate", "ledger_entries_append_only",
    "ledger_entries_no_truncate", "ledger_postings_append_only", "ledger_postings_no_truncate",
    "ledger_postings_balanced",
}


def _schema(conn: Connection) -> dict[str, object]:
    return {
        "tables": sorted(inspect(conn).get_table_names()),
        "triggers": sorted(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars()),
        "functions": sorted(conn.execute(text(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'sagwa_%'")).scalars()),
        "versions": conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all(),
    }


def test_migrations_form_a_single_line() -> None:
    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()][-1] == "0001"


def test_upgrading_twice_is_a_no_op(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO sellers (code, name, created_at) "
                              "VALUES ('kept', '유지', now())"))
            before = _schema(conn)
        upgrade_to_head(engine)
        with engine.connect() as conn:
            assert _schema(conn) == before
            assert conn.execute(text("SELECT code FROM sellers")).scalars().all() == ["kept"]
        assert before["versions"] == [head_revision()]
        assert TRIGGERS <= set(before["triggers"])  # type: ignore[arg-type]
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _procrastinate_own(diff: object) -> bool:
    """procrastinate's job tables and their indexes: created from procrastinate's own SQL by a
    migration and owned by that library, so tables.py deliberately does not model them and
    autogenerate sees them only as "in the database, not in the metadata" (remove_*)."""
    return (isinstance(diff, tuple) and diff[0] in ("remove_table", "remove_index")
            and diff[1].name.startswith(("procrastinate_", "idx_procrastinate_")))


def test_migrated_schema_matches_the_table_definitions(database: Database) -> None:
    # alembic_version is alembic's own and ignored by compare_metadata; triggers and functions
    # are not modelled in tables.py at all and are checked in test_upgrading_twice_is_a_no_op.
    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(context, metadata)
    assert [d for d in diffs if not _procrastinate_own(d)] == []


def _alembic(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    getattr(command, action)(config, revision)


def test_downgrade_to_base_then_upgrade_works(scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create())
    try:
        with engine.connect() as conn:
            migrated = _schema(conn)
        _alembic(engine, "downgrade", "base")
        with engine.connect() as conn:
            emptied = _schema(conn)
        assert emptied == {"tables": ["alembic_version"], "triggers": [], "functions": [],
                           "versions": []}
        assert current_revision(engine) is None
        _alembic(engine, "upgrade", "head")
        with engine.connect() as conn:
            assert _schema(conn) == migrated
        assert set(metadata.tables) < set(migrated["tables"])  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _provider_ids(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT idempotency_key, provider_id FROM outbox")).all())


def test_0026_adds_an_empty_provider_id_that_marking_sent_fills_and_down_drops(
        scratch) -> None:  # type: ignore[no-untyped-def]
    """Migration 0026: ``outbox.provider_id`` (varchar(200), nullable) on a database with a
    message in each state, none of them changed (a sent one is locked: migration 0021); the
    UPDATE that marks a message sent writes it; the downgrade drops it and keeps the rows."""
    engine = create_engine(scratch.create(migrate=False))
    try:
        _alembic(engine, "upgrade", "0025")
        _messages_as_0023_kept_them(engine)  # the outbox's columns are those up to 0025
        before = _outbox_rows(engine)

        _alembic(engine, "upgrade", "0026")
        assert _outbox_rows(engine) == before
        assert set(_provider_ids(engine).values()) == {None}
        [column] = [c for c in inspect(engine).get_columns("outbox")
                    if c["name"] == "provider_id"]
        assert column["nullable"] and getattr(column["type"], "length", None) == 200
        with engine.begin() as conn:
            sending = conn.execute(text(
                "SELECT id FROM outbox WHERE status = 'sending'")).scalar_one()
            OutboxRepository(conn).record_outcome(
                sending, status="sent", last_error=None, sent_at=datetime.now(UTC),
                provider_id="nhn:req-1:1")
        assert {k: v for k, v in _provider_ids(engine).items() if v} == {
            "k-sending": "nhn:req-1:1"}

        _alembic(engine, "downgrade", "0025")
        assert "provider_id" not in {c["name"] for c in inspect(engine).get_columns("outbox")}
        assert [r[:2] for r in _outbox_rows(engine)] == [
            (k, "sent" if k == "k-sending" else s) for k, s, *_ in before]

        _alembic(engine, "upgrade", "head")
        assert current_revision(engine) == head_revision()
        assert set(_provider_ids(engine).values()) == {None}
    finally:
        engine.dispose()
