"""A schema upgrade rehearsed (``sagwa db upgrade --dry-run``): every migration the database
lacks runs, as ``sagwa db upgrade`` would run it, in one transaction that is then rolled back.
What it tells an operator before the real one: which migrations would apply and how long each
took on this database's data, the SQL they ran (for a DBA to read), and the tables whose locks
the upgrade holds until it commits — an ``ACCESS EXCLUSIVE`` lock stops every read and write
of the table for the upgrade's whole time, not the statement's.

It takes the same locks for as long as the upgrade will: rehearse on a restored copy, or where
a pause of that length is acceptable. PostgreSQL's DDL is transactional, so nothing stays."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from sagwa.adapters.db.migrate import upgrade_on

#: What waits while a table's lock is held (PostgreSQL's modes a migration takes).
LOCK_EFFECTS = {
    "AccessExclusiveLock": ("읽기와 쓰기 모두 대기", "reads and writes wait"),
    "ExclusiveLock": ("쓰기 대기", "writes wait"),
    "ShareRowExclusiveLock": ("쓰기 대기", "writes wait"),
    "ShareLock": ("쓰기 대기", "writes wait"),
    "ShareUpdateExclusiveLock": ("스키마 변경·VACUUM만 대기", "only DDL and VACUUM wait"),
    "RowExclusiveLock": ("바뀐 행만 대기", "only the rows it changed wait"),
    "RowShareLock": ("대기 없음", "nothing waits"),
    "AccessShareLock": ("대기 없음", "nothing waits"),
}

#: The strongest first: a table's lock is shown in its strongest mode held.
_STRENGTH = list(LOCK_EFFECTS)


@dataclass(frozen=True)
class MigrationRun:
    revision: str
    title: str
    seconds: float
    statements: int


@dataclass(frozen=True)
class TableLock:
    table: str
    mode: str
    #: made by the upgrade itself: nobody else can use it before the upgrade commits
    new: bool = False

    @property
    def blocks(self) -> bool:
        """Whether ordinary writes (or reads) of an existing table wait for it."""
        if self.new:
            return False
        return _STRENGTH.index(self.mode) <= _STRENGTH.index("ShareLock") \
            if self.mode in LOCK_EFFECTS else True

    def effect(self, lang: str = "en") -> str:
        ko, en = LOCK_EFFECTS.get(self.mode, (self.mode, self.mode))
        return ko if lang == "ko" else en


@dataclass(frozen=True)
class Rehearsal:
    migrations: tuple[MigrationRun, ...]
    seconds: float
    locks: tuple[TableLock, ...]
    sql: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"migrations": [vars(m) for m in self.migrations],
                "seconds": round(self.seconds, 3), "statements": len(self.sql),
                "locks": [{"table": lock.table, "mode": lock.mode, "new": lock.new,
                           "blocks": lock.blocks, "effect": lock.effect()}
                          for lock in self.locks],
                "rolled_back": True}


def rehearse_upgrade(engine: Engine, *, lock_timeout: float | None) -> Rehearsal:
    """Run the missing migrations in a transaction, measure them, and roll it all back. A
    lock not granted within ``lock_timeout`` raises ``Conflict`` (``migration_lock_timeout``)
    as the upgrade would."""
    sql: list[str] = []
    runs: list[MigrationRun] = []

    def executed(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        sql.append(_statement(statement, parameters))

    with engine.connect() as conn:
        started = time.perf_counter()
        mark = [started, 0]

        def applied(*, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
            now = time.perf_counter()
            script = step.up_revision
            runs.append(MigrationRun(revision=str(script.revision),
                                     title=(script.doc or "").strip().splitlines()[0]
                                     if script.doc else "",
                                     seconds=round(now - mark[0], 3),
                                     statements=len(sql) - mark[1]))
            mark[0], mark[1] = now, len(sql)

        # begun here: Alembic, finding no transaction, would begin and commit its own
        conn.begin()
        before = _tables(conn)
        event.listen(conn, "before_cursor_execute", executed)
        try:
            upgrade_on(conn, engine, lock_timeout=lock_timeout, on_version_apply=[applied])
            seconds = time.perf_counter() - started
        finally:
            event.remove(conn, "before_cursor_execute", executed)
        try:
            locks = _held_locks(conn, before) if conn.in_transaction() else []
        finally:
            conn.rollback()
    return Rehearsal(tuple(runs), seconds, tuple(locks), tuple(sql))


def _statement(statement: str, parameters: Any) -> str:
    text_ = statement.strip().rstrip(";") + ";"
    if parameters:
        text_ += f"\n-- parameters: {parameters!r}"
    return text_


_USER_TABLES = ("c.relkind IN ('r', 'p') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")


def _tables(conn: Connection) -> dict[int, str]:
    """The user tables there are, by oid: a table renamed or dropped by the upgrade keeps its."""
    return {int(oid): name for oid, name in conn.execute(text(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE {_USER_TABLES}"))}


def _held_locks(conn: Connection, before: dict[int, str]) -> list[TableLock]:
    """The tables this transaction holds locks on, each in its strongest mode, strongest first
    (the system catalogs left out). A table in ``before`` (by oid) is an existing one — under
    its name before the upgrade, also when the upgrade renamed or dropped it; the others are the
    upgrade's new tables."""
    rows = conn.execute(text(
        "SELECT l.relation::bigint AS oid, c.relname, l.mode FROM pg_locks l "
        "LEFT JOIN pg_class c ON c.oid = l.relation "
        "LEFT JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
        f"AND (c.oid IS NULL OR ({_USER_TABLES}))")).all()
    strongest: dict[int, tuple[str, str]] = {}
    for oid, name, mode in rows:
        oid = int(oid)
        if name is None and oid not in before:
            continue  # made and dropped by the upgrade, or not a table
        held = strongest.get(oid)
        if held is None or _rank(mode) < _rank(held[1]):
            strongest[oid] = (before.get(oid, name), mode)
    return sorted((TableLock(name, mode, new=oid not in before)
                   for oid, (name, mode) in strongest.items()),
                  key=lambda lock: (_rank(lock.mode), lock.table))


def _rank(mode: str) -> int:
    return _STRENGTH.index(mode) if mode in _STRENGTH else -1
