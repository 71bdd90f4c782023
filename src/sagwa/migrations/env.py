"""Alembic environment: runs online only, serialised by an advisory lock so that several sagwa
processes starting at once on one database migrate it exactly once."""

from __future__ import annotations

import math

from alembic import context
from sqlalchemy import create_engine, pool, text

from sagwa.adapters.db.tables import include_name, metadata

MIGRATION_LOCK = 7_262_008  # any constant shared by every sagwa process


def run_migrations_online() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                      include_name=include_name,
                      # a rehearsal's timer (adapters/db/migration_rehearsal.py)
                      on_version_apply=context.config.attributes.get("on_version_apply", ()))
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        # set after the advisory lock: a second process waits for the first's migration as
        # long as it takes; a table's lock held by an open transaction is waited for only so
        # long (a DDL statement queued behind it stalls every write to that table meanwhile)
        timeout = context.config.attributes.get("lock_timeout")
        if timeout:
            connection.execute(text("SELECT set_config('lock_timeout', :t, true)"),
                               {"t": f"{max(1, math.ceil(timeout * 1000))}ms"})  # 0ms: none
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("sagwa migrations run online only: use `sagwa db upgrade`")
run_migrations_online()
