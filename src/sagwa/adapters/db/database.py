"""Open sagwa's database: the external one in SAGWA_DATABASE_URL, or the embedded server; tell
a database that is gone (refused, dropped, shut down) from an error in a statement, and ask
whether it is back within a bounded time."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import psycopg
import psycopg_pool
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.audit_repo import AuditRepository, settings_chain_keys
from sagwa.adapters.db.migrate import (
    DEFAULT_LOCK_TIMEOUT,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from sagwa.adapters.db.schema_state import schema_state
from sagwa.config import Settings
from sagwa.domain.audit import ChainKeys
from sagwa.errors import Conflict, DatabaseUnavailable, SagwaError


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
        return f"PostgreSQL at {shown_url(url)}"

    def close(self) -> None:
        self.engine.dispose()


def shown_url(url: URL) -> str:
    """``url`` as sagwa prints it: its password masked, and libpq's secret parameters in the
    query string too (``?password=…``, ``?sslpassword=…``), which SQLAlchemy shows as given."""
    shown = url.set(query={}).render_as_string(hide_password=True)
    pairs = [(key, value) for key, values in url.query.items()
             for value in ((values,) if isinstance(values, str) else values)]
    if not pairs:
        return shown
    return shown + "?" + "&".join(f"{key}={'***' if 'password' in key.lower() else value}"
                                  for key, value in pairs)


def database_url(settings: Settings) -> tuple[str, bool]:
    """(SQLAlchemy URL, embedded?) — starting the embedded server if no URL is configured."""
    if settings.database_url:
        return settings.database_url, False
    from sagwa.adapters.embedded_pg import start_embedded

    return start_embedded(settings.pg_data_dir), True


def open_database(settings: Settings, *, migrate: bool = True,
                  audit_key: bool = True) -> Database:
    """Connect, check the server answers and (by default) make the database ready for this
    process (:func:`ready_for_writes`; ``audit_key=False`` for a command that only reads the
    audit log). ``migrate=False`` leaves the schema as it is (``sagwa db``)."""
    url, embedded = database_url(settings)
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    check_reachable(engine)
    if migrate:
        ready_for_writes(engine, settings, audit_key=audit_key)
    return Database(engine, embedded)


def ready_for_writes(engine: Engine, settings: Settings, *, audit_key: bool = True) -> None:
    """What every process that writes checks when it starts (serve, worker, the CLI): the
    schema at this code's head (migrated to it unless ``SAGWA_AUTO_MIGRATE`` is false), and
    the audit log's newest keyed record keyed with a key this process holds. A refusal is a
    :class:`Conflict` of one line; the engine is disposed of then."""
    try:
        prepare_schema(engine, upgrade=settings.auto_migrate,
                       lock_timeout=settings.migration_lock_timeout)
        if audit_key:
            check_audit_key(engine, settings_chain_keys(settings))
    except SagwaError:
        engine.dispose()
        raise


def prepare_schema(engine: Engine, *, upgrade: bool,
                   lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT) -> None:
    """Bring the schema to this code's head (``upgrade``), or refuse unless it is there; a
    database migrated by newer code (a revision this code does not know) is refused either
    way, in one line, not Alembic's "Can't locate revision" traceback."""
    with engine.connect() as conn:
        state = schema_state(conn)
    if state == "current":
        return
    current, head = current_revision(engine), head_revision()
    if state == "ahead":
        raise Conflict(schema_ahead_message(current, head), reason="schema_ahead")
    if not upgrade:
        raise Conflict(f"the database's schema is behind this code (at {current or 'none'}, "
                       f"this code needs {head}) and SAGWA_AUTO_MIGRATE is false: run "
                       "`sagwa db upgrade`", reason="schema_behind")
    upgrade_to_head(engine, lock_timeout=lock_timeout)


def schema_ahead_message(current: str | None, head: str | None) -> str:
    return (f"the database's schema is ahead of this code: revision {current} is unknown here "
            f"(this code's newest is {head}); it was migrated by a newer sagwa: run that "
            "version (sagwa has no downgrade command: going back means restoring a backup "
            "taken before the upgrade, docs/deploy.md)")


def check_audit_key(engine: Engine, keys: ChainKeys) -> None:
    """Refuse (:class:`Conflict`) when the audit log's newest keyed record names a key this
    process does not hold: its first audited write would break the chain for every host."""
    with engine.connect() as conn:
        problem = AuditRepository(conn, keys).key_refusal()
    if problem is not None:
        raise Conflict(problem, reason="audit_key_unknown")


def check_reachable(engine: Engine) -> None:
    """Raise :class:`DatabaseUnavailable` (one line: where, and why) unless the server answers;
    the engine is disposed of then."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {shown_url(engine.url)}: "
            f"{first_line(exc.orig if exc.orig else exc)}"
        ) from None


def answers_within(engine: Engine, seconds: float) -> bool:
    """Whether ``engine``'s server takes a connection of its own (not one from the pool) within
    ``seconds`` (libpq's shortest connect timeout, 2 s, at least): a database that is gone
    refuses it, a black-holed one lets the timeout pass — where a pooled engine's own attempt,
    with no ``connect_timeout``, would wait about 2 min."""
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        psycopg.connect(conninfo, connect_timeout=max(2, math.ceil(seconds))).close()
    except psycopg.Error:
        return False
    return True


#: SQLSTATEs of a server that is going or not there yet: admin/crash shutdown, starting up.
_GONE_STATES = frozenset({"57P01", "57P02", "57P03"})


def is_database_gone(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the database cannot be reached: a connection
    refused or lost, the server shutting down, a pool with no connection to give. A statement's
    own error (a deadlock, a timeout, a constraint) is not."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, DBAPIError) and is_database_gone(current.orig):
            return True
        if isinstance(current, psycopg.OperationalError):
            state = current.sqlstate
            if state is None or state.startswith("08") or state in _GONE_STATES:
                return True
        if isinstance(current, psycopg_pool.PoolTimeout | ConnectionError):
            return True
        current = current.__cause__ or current.__context__
    return False


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (psycopg's run over several)."""
    text_ = str(exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__
