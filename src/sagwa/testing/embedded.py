"""The embedded PostgreSQL that tests start through the CLI: query it, and stop it leaking nothing."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def fresh_data_dir(prefix: str) -> Iterator[Path]:
    """A new ``SAGWA_DATA_DIR`` on the embedded PostgreSQL (``SAGWA_DATABASE_URL`` unset) for a
    module of CLI tests; afterwards the environment is as it was, the server is stopped and the
    directory removed."""
    from sagwa.config import get_settings

    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))  # short: unix socket path limit
    saved = {name: os.environ.get(name) for name in ("SAGWA_DATABASE_URL", "SAGWA_DATA_DIR")}
    os.environ.pop("SAGWA_DATABASE_URL", None)
    os.environ["SAGWA_DATA_DIR"] = str(root / "data")
    get_settings.cache_clear()
    try:
        yield root / "data"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
        stop_embedded(root / "data" / "pg")
        stop_orphan(root / "data" / "pg")
        shutil.rmtree(root, ignore_errors=True)
