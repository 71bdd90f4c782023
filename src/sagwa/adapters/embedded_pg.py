"""The embedded PostgreSQL server (``pgserver``) that sagwa starts in ``$SAGWA_DATA_DIR/pg``.

Several sagwa processes (server, workers, CLI) share one postmaster on the same data directory;
pgserver keeps their PIDs in ``.handle_pids.json`` and the last one to exit stops the server.
A holder killed with SIGKILL leaves its dead PID in that file and nobody would ever stop the
server again, so before attaching we prune PIDs that are no longer alive (under pgserver's own
inter-process lock): the orphaned postmaster is then adopted and stopped by the last live holder.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path

import psutil

from sagwa.errors import DatabaseUnavailable

_log = logging.getLogger(__name__)

HANDLE_FILE = ".handle_pids.json"


def prune_dead_holders(pgdata: Path) -> list[int]:
    """Drop PIDs of processes that died without detaching; returns the PIDs removed."""
    path = pgdata / HANDLE_FILE
    if not path.exists():
        return []
    try:
        pids = [int(p) for p in json.loads(path.read_text() or "[]")]
    except (ValueError, TypeError):
        _log.warning("unreadable %s; resetting it", path)
        pids = []
        path.write_text("[]")
        return []
    alive = [p for p in pids if _is_alive(p)]
    dead = [p for p in pids if p not in alive]
    if dead:
        _log.warning("embedded PostgreSQL: removing dead holder PIDs %s", dead)
        path.write_text(json.dumps(alive))
    return dead


def _is_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        proc = psutil.Process(pid)
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_embedded(pgdata: Path, *, cleanup_mode: str = "stop", scratch: bool = False) -> str:
    """Start (or attach to) the embedded server and return a SQLAlchemy URL for it.
    ``scratch``: ``pgdata`` is a throwaway directory made on purpose (the replay's), created
    without the note that a new, empty database is being made."""
    os.environ.setdefault("XDG_RUNTIME_DIR", str(Path("/tmp") / f"sagwa-runtime-{os.getuid()}"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
        from pgserver.postgres_server import PostgresServer

    pgdata = pgdata.expanduser().resolve()
    if not scratch and not (pgdata / "PG_VERSION").exists():
        # said on stderr (stdout may be JSON another tool reads): run from the wrong directory,
        # sagwa would otherwise answer from an empty database as if nothing had happened
        print(f"sagwa: no database in {pgdata} yet; creating a new, empty one there "
              "(SAGWA_DATA_DIR or SAGWA_DATABASE_URL point sagwa at an existing one)",
              file=sys.stderr)
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with PostgresServer._lock:
            prune_dead_holders(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
    except OSError as exc:  # a read-only or full file system, a directory not ours
        where = f" ({exc.filename})" if exc.filename else ""
        raise DatabaseUnavailable(
            f"cannot start the embedded PostgreSQL in {pgdata}: {exc.strerror or exc}{where}; "
            "point SAGWA_DATA_DIR at a writable directory, or SAGWA_DATABASE_URL at a "
            "server") from None
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql+psycopg://postgres@/postgres?host={socket_dir}"
