"""Open sagwa's database: the external one in SAGWA_DATABASE_URL, or the embedded server."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.migrate import upgrade_to_head
from sagwa.config import Settings
from sagwa.errors import DatabaseUnavailable


@dataclass
class Database:
    """An engine plus the session factory units of work draw from."""

    engine: Engine
    embedded: bool
    session_factory: sessionmaker[Session] | None = field(default=None)

    def __post_init__(self) -> None:
        if self.session_factory is None:
            self.session_factory = sessionmaker(bind=self.engine, expire_on_commit=False)

    @property
    def description(self) -> str:
        url = self.engine.url
        if self.embedded:
            return f"embedded PostgreSQL (socket in {url.query.get('host')})"
        return f"PostgreSQL at {url.render_as_string(hide_password=True)}"

    def close(self) -> None:
        self.engine.dispose()


def database_url(settings: Settings) -> tuple[str, bool]:
    """(SQLAlchemy URL, embedded?) — starting the embedded server if no URL is configured."""
    if settings.database_url:
        return settings.database_url, False
    from sagwa.adapters.embedded_pg import start_embedded

    return start_embedded(settings.pg_data_dir), True


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """Connect, check the server answers, and (by default) migrate to the latest schema."""
    url, embedded = database_url(settings)
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
        ) from None
    if migrate:
        upgrade_to_head(engine)
    return Database(engine, embedded)
