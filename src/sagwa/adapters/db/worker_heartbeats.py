"""How many job workers are alive, read from procrastinate's own table of workers (``/healthz``).

A procrastinate 3 worker adds a row to ``procrastinate_workers`` when it starts, sets the row's
``last_heartbeat`` to the database's ``now()`` every ``update_heartbeat_interval`` seconds
(sagwa's: ``WorkerOptions.heartbeat_every``) and deletes the row when it stops gracefully; a
worker that is killed or loses its host leaves its row behind, its heartbeat growing old. The
row does not say which queues the worker takes (``sagwa worker --queues audit`` counts too). The
table is procrastinate's (created by its SQL in migration 0003), so it is declared here, apart
from ``tables.metadata``, and only the two columns read.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import BigInteger, Column, Connection, DateTime, MetaData, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

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
