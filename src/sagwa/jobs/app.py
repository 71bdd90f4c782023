"""The procrastinate app. It lives here, importable, as procrastinate requires.

Importing it connects to nothing: the worker swaps in a connector built from Settings when it
starts (``connector_for``). Services never need the app — the outbox defers jobs through
procrastinate's SQL in the caller's own transaction.
"""

from __future__ import annotations

import importlib.util

from procrastinate import App, PsycopgConnector
from sqlalchemy.engine import URL

#: Modules holding tasks; those not (yet) present are skipped.
TASK_MODULES = ("sagwa.jobs.tasks", "sagwa.jobs.desk_tasks", "sagwa.jobs.market_tasks",
                "sagwa.jobs.audit_tasks", "sagwa.jobs.retention_tasks", "sagwa.jobs.seller_tasks",
                "sagwa.jobs.upkeep_tasks")


def _present(modules: tuple[str, ...]) -> list[str]:
    return [name for name in modules if importlib.util.find_spec(name) is not None]


app = App(connector=PsycopgConnector(), import_paths=_present(TASK_MODULES))


#: Seconds a query waits for a pooled connection before it fails (psycopg_pool's default: 30).
POOL_WAIT = 10.0


def connector_for(url: URL, *, max_size: int = 10) -> PsycopgConnector:
    """A connector for the database SQLAlchemy reaches at ``url`` (TCP or a unix socket)."""
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    # timeout: how long a query waits for a connection; with the database gone, a stopping
    # worker's last query waited the pool's 30 s before the supervisor could take over
    return PsycopgConnector(conninfo=conninfo, min_size=1, max_size=max_size, timeout=POOL_WAIT)
