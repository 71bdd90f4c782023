"""The embedded PostgreSQL that tests start through the CLI: query it, and stop it leaking nothing."""

from __future__ import annotations

import atexit
import signal
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, text

from sagwa.adapters.embedded_pg import start_embedded


def stop_embedded(pgdata: Path) -> None:
    """Detach this process from the embedded server the CLI started in it (stopping it)."""
    from pgserver.postgres_server import PostgresServer

    server = PostgresServer._instances.get(pgdata.resolve())
    if server is not None:
        server.cleanup()
        atexit.unregister(server._cleanup)


def stop_orphan(pgdata: Path) -> None:
    """After a failed run: fast-shut-down a postmaster left behind, so the test leaks nothing."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        psutil.Process(pid).send_signal(signal.SIGINT)
        psutil.Process(pid).wait(timeout=10)
    except (FileNotFoundError, ValueError, IndexError, psutil.Error):
        pass


def query(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` on the embedded server of ``SAGWA_DATA_DIR`` ``data_dir`` (joining it)."""
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()
