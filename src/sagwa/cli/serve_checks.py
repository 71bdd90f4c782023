"""What ``sagwa serve`` checks before it starts anything (the worker included), and how it logs.

A server that cannot listen must not touch the queue: a second ``sagwa serve`` on a port in use
used to start its in-process worker, send messages, and only then die of uvicorn's
``[Errno 98]``. The address is checked first — the host resolves, the port can be bound — and a
refusal names the setting to change.

Once the database is open (its own checks passed: ``adapters/db/database.ready_for_writes``),
production refuses to serve while a demo login still signs in with its public password
(:func:`check_no_demo_logins`).
"""

from __future__ import annotations

import copy
import errno
import socket
from typing import TYPE_CHECKING, Any

from sagwa.errors import Conflict
from sagwa.seed.accounts import accounts_with_demo_password

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from sagwa.config import Settings


def address_problem(host: str, port: int) -> str | None:
    """Why a server cannot listen on ``host:port`` right now, or None if it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        why = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        return (f"SAGWA_HOST (or --host) {host!r} is not an address this machine can listen "
                f"on ({why}); use an address such as 127.0.0.1 or 0.0.0.0")
    family, kind, proto, _, sockaddr = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(sockaddr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} is in use (another sagwa serve?); stop it, or choose "
                        "another port with SAGWA_PORT or --port")
            return (f"cannot listen on {host}:{port} ({exc.strerror or exc}); check SAGWA_HOST "
                    "and SAGWA_PORT (or --host, --port)")
    return None


def check_no_demo_logins(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    """In production, refuse (:class:`Conflict`, ``demo_password_in_production``) while an
    account named as a demo login still takes the password ``sagwa seed demo`` prints (and
    the README shows): anyone could sign in as it. Elsewhere nothing is checked."""
    if settings.environment != "production":
        return
    names = accounts_with_demo_password(session_factory)
    if not names:
        return
    many = len(names) > 1
    raise Conflict(
        f"SAGWA_ENVIRONMENT is production, but {'accounts' if many else 'account'} "
        f"{', '.join(names)} still {'sign' if many else 'signs'} in with the public demo "
        "password that `sagwa seed demo` prints (anyone could sign in as "
        f"{'them' if many else 'it'}): serve production from a database the demo was never "
        "loaded into, or change each one's password (`sagwa users set-password --username "
        f"{names[0]}`) or deactivate it (`sagwa users deactivate --username {names[0]}`)",
        reason="demo_password_in_production", accounts=names)


def serve_log_config(uvicorn_config: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration plus sagwa's own loggers (delivery's warnings, the
    worker's) and procrastinate's warnings, on uvicorn's stderr handler."""
    config = copy.deepcopy(uvicorn_config)
    config.setdefault("loggers", {})
    config["loggers"]["sagwa"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"]["procrastinate"] = {"handlers": ["default"], "level": "WARNING",
                                          "propagate": False}
    # httpx logs each request's address at INFO: an SMS provider's holds its app key
    config["loggers"]["httpx"] = {"handlers": ["default"], "level": "WARNING",
                                  "propagate": False}
    return config

