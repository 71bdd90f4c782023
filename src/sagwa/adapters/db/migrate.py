"""Run Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from sagwa.errors import Conflict

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


#: How long a migration waits for a table's lock (``SAGWA_MIGRATION_LOCK_TIMEOUT``): behind an
#: open transaction it would otherwise wait forever, and every write queued behind it too.
DEFAULT_LOCK_TIMEOUT = 10.0


def upgrade_to_head(engine: Engine, *, lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT) -> None:
    """Bring the database to the latest schema; safe to call from several processes at once.
    A lock not granted within ``lock_timeout`` seconds (None: wait) undoes it all and raises
    :class:`Conflict` naming the oldest open transactions (what most likely holds it)."""
    with engine.connect() as conn:
        upgrade_on(conn, engine, lock_timeout=lock_timeout)
        conn.commit()


def upgrade_on(conn: Connection, engine: Engine, *, lock_timeout: float | None,
               on_version_apply: object = ()) -> None:
    """Run every migration to head on ``conn``, in its transaction, left open for the caller
    to commit (:func:`upgrade_to_head`) or roll back (``migration_rehearsal``).
    ``on_version_apply``: Alembic's callbacks, called after each migration. A lock not granted
    within ``lock_timeout`` rolls back and raises :class:`Conflict`."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    config.attributes["lock_timeout"] = lock_timeout  # read by migrations/env.py
    config.attributes["on_version_apply"] = on_version_apply  # read by migrations/env.py
    config.attributes["connection"] = conn
    try:
        command.upgrade(config, "head")
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        conn.rollback()
        raise Conflict(lock_timeout_message(lock_timeout, open_transactions(conn)),
                       reason="migration_lock_timeout") from None


LOCK_NOT_AVAILABLE = "55P03"


def open_transactions(conn: Connection, *, limit: int = 3) -> list[str]:
    """The oldest transactions open on this database but ``conn``'s, described in a few
    words each: ``pid 123 (idle in transaction for 45 s, psql: UPDATE listings …)``."""
    rows = conn.execute(text(
        "SELECT pid, state, extract(epoch FROM now() - xact_start)::int AS age, "
        "application_name, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query "
        "FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
        "ORDER BY xact_start LIMIT :n"), {"n": limit}).all()
    # another role's sessions show no state, start or query to a role without
    # pg_read_all_stats: counted, so that the message does not read as "nobody holds it"
    hidden = conn.execute(text(
        "SELECT usename, count(*) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND query = '<insufficient privilege>' GROUP BY usename ORDER BY usename")).all()
    conn.rollback()
    return [f"pid {r.pid} ({r.state} for {r.age} s"
            + (f", {r.application_name}" if r.application_name else "")
            + (f": {r.query}" if r.query else "") + ")" for r in rows] + [
        f"{r.n} session{'s' if r.n != 1 else ''} of {r.usename} this role may not see into "
        "(grant it pg_read_all_stats to have them named)" for r in hidden]


def lock_timeout_message(lock_timeout: float | None, holders: list[str]) -> str:
    held = (f"; open transactions, oldest first: {'; '.join(holders)}" if holders
            else "; no open transaction this role can see")
    return (f"the schema upgrade waited {lock_timeout:g} s for a table lock and gave up, "
            f"changing nothing{held}; retry when they end (SAGWA_MIGRATION_LOCK_TIMEOUT "
            "sets the wait)")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()
