"""How many job workers are alive, read from procrastinate's own table of workers (``/healthz``).

A procrastinate 3 worker adds a row to ``procrastinate_workers`` when it starts, sets the row's
``last_heartbeat`` to the database's ``now()`` every ``update_heartbeat_interval`` seconds
(sagwa's: ``WorkerOptions.heartbeat_every``) and deletes the row when it stops gracefully; a
worker that is killed or loses its host leaves its row behind, its heartbeat growing old. The
row does not say which queues the worker takes: sagwa's workers write that in ``worker_queues``
when they start (migration 0031, ``jobs/sagwa_worker.py``), read beside a live heartbeat only
(:func:`workers_seen`). procrastinate's table (created by its SQL in migration 0003) is
declared here, apart from ``tables.metadata``, and only the two columns read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import BigInteger, Column, Connection, DateTime, MetaData, Table, func, null, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import worker_queues

WORKERS_TABLE = "procrastinate_workers"

_workers = Table(WORKERS_TABLE, MetaData(),
                 Column("id", BigInteger, primary_key=True),
                 Column("last_heartbeat", DateTime(timezone=True), nullable=False))


@dataclass(frozen=True)
class WorkersSeen:
    """The workers that sent a heartbeat lately, as ``/healthz`` says them: how many, and which
    of the queues asked about none of them takes."""

    alive: int
    queues_without_worker: list[str]


def workers_seen(conn: Connection, *, within: timedelta, queues: Sequence[str]) -> WorkersSeen:
    """The workers that sent a heartbeat in the last ``within``, by the database's clock (the
    one that stamps heartbeats: no skew with this host's), and which of ``queues`` none of them
    takes. A live worker that takes every queue — or that did not say which it takes (one of a
    version before ``worker_queues``, or one whose row could not be written) — serves them all.
    None alive when procrastinate's tables are not there (a database not migrated yet): no
    worker can have registered in it (:func:`live_worker_queues`)."""
    taken = live_worker_queues(conn, within=within)
    if any(queues_of is None for queues_of in taken):
        return WorkersSeen(len(taken), [])
    served = {queue for queues_of in taken for queue in queues_of or ()}
    return WorkersSeen(len(taken), [q for q in queues if q not in served])


def live_worker_queues(conn: Connection, *, within: timedelta) -> list[list[str] | None]:
    """The queues each worker that sent a heartbeat in the last ``within`` takes, by the
    database's clock: None for one that takes every queue or did not say which (a version
    before ``worker_queues``, or its row not written). None alive when procrastinate's tables
    are not there (a database not migrated yet). Two queries: whether the tables are there,
    the workers. ``/healthz`` and ``/api/metrics`` read it."""
    workers_there, queues_there = conn.execute(
        select(func.to_regclass(WORKERS_TABLE), func.to_regclass(worker_queues.name))).one()
    if workers_there is None:
        return []
    alive = _workers.c.last_heartbeat > func.now() - within
    if queues_there is None:
        rows = conn.execute(select(_workers.c.id, null().label("worker_id"),
                                   null().label("queues")).where(alive)).all()
    else:
        rows = conn.execute(
            select(_workers.c.id, worker_queues.c.worker_id, worker_queues.c.queues)
            .outerjoin(worker_queues, worker_queues.c.worker_id == _workers.c.id)
            .where(alive)).all()
    return [None if row.worker_id is None or row.queues is None else list(row.queues)
            for row in rows]


def workers_seen_of(session_factory: sessionmaker[Session], within: timedelta,
                    queues: Sequence[str]) -> WorkersSeen:
    """:func:`workers_seen` on a connection of ``session_factory`` (``/healthz``)."""
    with session_factory() as session:
        return workers_seen(session.connection(), within=within, queues=queues)
