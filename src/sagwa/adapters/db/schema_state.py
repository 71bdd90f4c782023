"""Whether the database's schema (its ``alembic_version``) is the one this code migrates to:
``current``, ``behind`` (an older revision this code knows, or none: ``sagwa db upgrade``
brings it up) or ``ahead`` (a revision this code does not know: newer code migrated it)."""

from __future__ import annotations

import functools

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.migrate import alembic_config


@functools.cache
def _revisions() -> tuple[str | None, frozenset[str]]:
    """(the head, every revision this code knows), read once from the migration scripts."""
    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return script.get_current_head(), frozenset(s.revision for s in script.walk_revisions())


def schema_state(conn: Connection) -> str:
    current = MigrationContext.configure(conn).get_current_revision()
    head, known = _revisions()
    if current == head:
        return "current"
    return "behind" if current is None or current in known else "ahead"


def schema_state_of(session_factory: sessionmaker[Session]) -> str:
    """:func:`schema_state` on a connection of ``session_factory`` (``/healthz``)."""
    with session_factory() as session:
        return schema_state(session.connection())
