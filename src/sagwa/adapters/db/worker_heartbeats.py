"""How many job workers are alive, read from procrastinate's own table of workers (``/healthz``).

A procrastinate 3 worker adds a row to ``procrastinate_workers`` when it starts, sets the row's
``last_heartbeat`` to the database's ``now()`` every ``update_heartbeat_interval`` seconds
(sagwa's: ``WorkerOptions.heartbeat_every``) and deletes the row when it stops gracefully; a
worker that is killed or loses its host leaves its row behind, its heartbeat growing old. The
row does not say which queues the worker takes: sagwa's workers write that in ``worker_queues``
when they start (migration 0031, ``jobs/sagwa_worker.py``), read beside a live heartbeat only
(:func:`queues_without_worker`). procrastinate's table (created by its SQL in migration 0003) is
declared here, apart from ``tables.metadata``, and only the two columns read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import BigInteger, Column, Connection, DateTime, MetaData, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import worker_queues

WORKERS_TABLE = "procrastinate_workers"

_workers = Table(WORKERS_TABLE, MetaData(),
                 Column("id", BigInteger, primary_key=True),
                 Column("last_heartbeat", DateTime(timezone=True), nullable=False))


def workers_alive(conn: Connection, *, within: timedelta) -> int:
    """How many workers sent a heartbeat in the last ``within``, by the database's clock (the
    one that stamps heartbeats: no skew with this host's). 0 when procrastinate's tables are
    not there (a database not migrated yet): no worker can have registered in it."""
    if conn.execute(select(func.to_regclass(WORKERS_TABLE))).scalar() is None:
        return 0
    alive = select(func.count()).select_from(_workers).where(
        _workers.c.last_heartbeat > func.now() - within)
    return int(conn.execute(alive).scalar_one())


def workers_alive_of(session_factory: sessionmaker[Session], within: timedelta) -> int:
    """:func:`workers_alive` on a connection of ``session_factory`` (``/healthz``)."""
    with session_factory() as session:
        return workers_alive(session.connection(), within=within)


def queues_without_worker(conn: Connection, *, within: timedelta,
                          queues: Sequence[str]) -> list[str]:
    """Which of ``queues`` no live worker (a heartbeat within ``within``) takes. A live worker
    that takes every queue — or that did not say which it takes (one of a version before
    ``worker_queues``, or one whose row could not be written) — serves them all."""
    if conn.execute(select(func.to_regclass(WORKERS_TABLE))).scalar() is None:
        return list(queues)
    alive = _workers.c.last_heartbeat > func.now() - within
    if conn.execute(select(func.to_regclass(worker_queues.name))).scalar() is None:
        told = select(_workers.c.id).where(alive)
        return [] if conn.execute(told.limit(1)).first() is not None else list(queues)
    rows = conn.execute(select(_workers.c.id, worker_queues.c.worker_id, worker_queues.c.queues)
                        .outerjoin(worker_queues, worker_queues.c.worker_id == _workers.c.id)
                        .where(alive)).all()
    served: set[str] = set()
    for row in rows:
        if row.worker_id is None or row.queues is None:
            return []
        served.update(row.queues)
    return [q for q in queues if q not in served]


def queues_without_worker_of(session_factory: sessionmaker[Session], within: timedelta,
                             queues: Sequence[str]) -> list[str]:
    """:func:`queues_without_worker` on a connection of ``session_factory`` (``/healthz``)."""
    with session_factory() as session:
        return queues_without_worker(session.connection(), within=within, queues=queues)
