"""Fresh, migrated databases for replays: on the configured server, or an embedded one."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.migrate import upgrade_to_head
from sagwa.config import Settings


@contextmanager
def replay_server(settings: Settings) -> Iterator[URL]:
    """A server where the replay may create databases (dropped again afterwards)."""
    if settings.database_url:
        yield make_url(settings.database_url)
        return
    from sagwa.adapters.embedded_pg import start_embedded

    root = Path(tempfile.mkdtemp(prefix="sagwa-replay-"))
    yield make_url(start_embedded(root / "pg", cleanup_mode="delete", scratch=True))


@contextmanager
def fresh_database(server: URL) -> Iterator[Database]:
    name = f"sagwa_replay_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(server.set(database=name),
                           connect_args={"options": "-c synchronous_commit=off"})
    try:
        upgrade_to_head(engine)
        yield Database(engine, embedded=False)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
