"""What every command shares: settings, a console, opening the database, error exits.

Exit status, for every command: 0 done; 1 could not be done (not found, a conflict, a
transition the state does not allow, a broken audit chain); 2 bad input or usage (fix the
command and run it again). A command asked for JSON (``--json``, or ``--format json``) prints
each failure also as one JSON object on stdout (``cli/refusals.py``), its line on stderr kept.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from sagwa.adapters.db.database import Database, open_database
from sagwa.cli.refusals import format_refusal, format_refusal_json
from sagwa.config import Settings, describe_invalid_settings, get_settings
from sagwa.errors import InvalidInput, SagwaError
from sagwa.log_format import json_line

console = Console()
# not a terminal (a service manager's log, a file): a line is never wrapped at 80 columns,
# which split words in two ("appli\ncation_name") for whoever reads or greps the log
err_console = Console(stderr=True, soft_wrap=not sys.stderr.isatty())

P = ParamSpec("P")
R = TypeVar("R")


class ExitRefused(typer.Exit):
    """A refusal whose line a command has already printed (its own words, on stderr, as it
    always has); ``exits_cleanly`` prints ``error`` as JSON when the command was asked for
    JSON. Exit status 2 for an ``InvalidInput``, else 1."""

    def __init__(self, error: SagwaError) -> None:
        super().__init__(2 if isinstance(error, InvalidInput) else 1)
        self.error = error


def settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        described = describe_invalid_settings(exc)
        _say_refusal(InvalidInput(f"configuration error: {described}"),
                     f"[red]configuration error:[/red] {described}")
        raise ExitRefused(InvalidInput(f"configuration error: {described}",
                                       reason="settings_invalid")) from None


def freeze_startup_objects() -> None:
    """For a long-running process, once it is set up: what is alive then (modules, the schema,
    the app and its rules) lives as long as the process, so it is moved out of the garbage
    collector's view. A large read (an incident's 100,000 cases) otherwise makes each full
    collection walk all of it again; the seller's page of a 20,000-order incident took about
    15% longer (docs/benchmarks.md). What is made afterwards is collected as usual."""
    gc.collect()
    gc.freeze()


def database(*, migrate: bool = True, audit_key: bool = True) -> Database:
    """The database, made ready for this command (``adapters.db.database.open_database``):
    ``audit_key=False`` for a command that only reads the audit log."""
    return open_database(settings(), migrate=migrate, audit_key=audit_key)


def prints_json(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a command whose output is always JSON (no flag asks for it): its failures are
    printed as JSON too (put it under ``exits_cleanly``)."""
    func.always_json = True  # type: ignore[attr-defined]
    return func


#: Whether the command running is one :func:`logs_as_a_service` marks (set by
#: :func:`exits_cleanly`): its settings' refusal is a JSON log line with SAGWA_LOG_FORMAT=json.
_a_service: ContextVar[bool] = ContextVar("sagwa_cli_service", default=False)


def logs_as_a_service(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a long-running command (``serve``, ``worker``) whose log a service manager keeps:
    with ``SAGWA_LOG_FORMAT=json`` its refusal is one JSON log line too, as its other lines
    (put it under ``exits_cleanly``)."""
    func.logs_as_a_service = True  # type: ignore[attr-defined]
    return func


def _log_format_json() -> bool:
    """Whether the log is JSON lines: the settings', or, when they cannot be read (the very
    refusal may be theirs), ``SAGWA_LOG_FORMAT`` as set."""
    try:
        return get_settings().log_format == "json"
    except Exception:  # noqa: BLE001 — a refusal of the settings is being reported
        return os.environ.get("SAGWA_LOG_FORMAT", "").strip().lower() == "json"


def refusal_log_line(exc: SagwaError) -> str:
    """``exc`` as one JSON log line (``log_format.json_line``, logger ``sagwa.cli``), its
    reason beside the message."""
    reason = exc.details.get("reason")
    return json_line(f"error ({exc.code}): {exc.message}", logger="sagwa.cli",
                     level=logging.ERROR, **({"reason": reason} if reason else {}))


def _say_refusal(exc: SagwaError, shown: object) -> None:
    """Tell the refusal on stderr: ``shown`` (Rich markup), or one JSON log line
    (:func:`refusal_log_line`) for a command a service manager logs with
    ``SAGWA_LOG_FORMAT=json``."""
    if _a_service.get() and _log_format_json():
        print(refusal_log_line(exc), file=sys.stderr, flush=True)
    else:
        err_console.print(shown, highlight=False)


def wants_json(params: dict[str, object]) -> bool:
    """Whether a command was asked for JSON on stdout: ``--format json`` (a parameter named
    ``fmt``) or ``--json`` (a flag named ``as_json``)."""
    return params.get("fmt") == "json" or params.get("as_json") is True


def exits_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Show a SagwaError as a red line instead of a traceback (a refused plan: a line for each
    problem); a command asked for JSON (``wants_json``) also prints it to stdout as one JSON
    object (``cli/refusals.py``), as it does an ``ExitRefused``'s error. Exit status 2 when
    what was given is wrong (``InvalidInput``: fix the command and run it again), 1 when it
    could not be done (not found, a conflict, a transition the state does not allow)."""

    always_json = getattr(func, "always_json", False)
    a_service = getattr(func, "logs_as_a_service", False)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        _a_service.set(a_service)
        try:
            return func(*args, **kwargs)
        except ExitRefused as exc:
            if always_json or wants_json(kwargs):
                print(format_refusal_json(exc.error))
            raise
        except SagwaError as exc:
            if always_json or wants_json(kwargs):
                print(format_refusal_json(exc))
            _say_refusal(exc, format_refusal(exc))
            raise typer.Exit(2 if isinstance(exc, InvalidInput) else 1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)

    return wrapper
