"""What every command shares: settings, a console, opening the database, error exits."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from sagwa.adapters.db.database import Database, open_database
from sagwa.cli.refusals import format_refusal, format_refusal_json
from sagwa.config import Settings, describe_invalid_settings, get_settings
from sagwa.errors import InvalidInput, SagwaError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        err_console.print(f"[red]configuration error:[/red] {describe_invalid_settings(exc)}",
                          markup=True, highlight=False)
        raise typer.Exit(2) from None


def freeze_startup_objects() -> None:
    """For a long-running process, once it is set up: what is alive then (modules, the schema,
    the app and its rules) lives as long as the process, so it is moved out of the garbage
    collector's view. A large read (an incident's 100,000 cases) otherwise makes each full
    collection walk all of it again; the seller's page of a 20,000-order incident took about
    15% longer (docs/benchmarks.md). What is made afterwards is collected as usual."""
    gc.collect()
    gc.freeze()


def database(*, migrate: bool = True) -> Database:
    return open_database(settings(), migrate=migrate)


def exits_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Show a SagwaError as a red line instead of a traceback (a refused plan: a line for each
    problem); a command run with ``--format json`` also prints it to stdout as JSON
    (``cli/refusals.py``). Exit status 2 when what was given is wrong (``InvalidInput``: fix the
    command and run it again), 1 when it could not be done (not found, a conflict, a transition
    the state does not allow)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SagwaError as exc:
            if kwargs.get("fmt") == "json":
                print(format_refusal_json(exc))
            err_console.print(format_refusal(exc), highlight=False)
            raise typer.Exit(2 if isinstance(exc, InvalidInput) else 1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)

    return wrapper
