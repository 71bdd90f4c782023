"""Databases for the schema-upgrade tests: one migrated only to a given revision, and an open
transaction (as a session left ``idle in transaction`` would be) holding the row every
migration updates last."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from sagwa.adapters.db.migrate import alembic_config


def migrated_to(url: URL, revision: str) -> URL:
    """``url``'s empty database migrated to ``revision`` (``head-1`` and the like too)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        config = alembic_config(url.render_as_string(hide_password=False))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()
    engine.dispose()
    return url


@contextmanager
def version_row_held(url: URL) -> Iterator[int]:
    """Hold ``alembic_version``'s row in an open transaction named ``a-forgotten-psql``; its pid."""
    engine = create_engine(url, connect_args={"application_name": "a-forgotten-psql"})
    with engine.connect() as conn:
        conn.execute(text("SELECT version_num FROM alembic_version FOR UPDATE"))
        yield conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        conn.rollback()
    engine.dispose()
