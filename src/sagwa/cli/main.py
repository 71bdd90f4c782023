"""The ``sagwa`` command."""

from __future__ import annotations

import importlib
import itertools
import json
import signal
from collections.abc import Sequence
from types import FrameType
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

from sagwa import __version__
from sagwa.cli import audit, database, incident, replay, seed, users
from sagwa.cli import worker as worker_cli
from sagwa.cli.context import (
    console,
    err_console,
    exits_cleanly,
    freeze_startup_objects,
    logs_as_a_service,
    settings,
)
from sagwa.cli.flag_help import show_flags_without_values
from sagwa.cli.refusals import format_usage_json

show_flags_without_values()  # every command's help: ``--skip-bad-rows``, not ``… <bool>``

#: Groups whose ``--format json`` / ``--json`` name a file's format or a file (``guard check
#: --format json --out F``, ``guard evaluate --json PATH``): stdout is not their JSON.
FILE_FORMAT_GROUPS = frozenset({"guard"})
#: Commands that print JSON with no flag asking for it (``cli.context.prints_json``).
ALWAYS_JSON = frozenset({("messages", "retry-failed")})


def asks_for_json(argv: Sequence[str]) -> bool:
    """Whether a command line asks for JSON on stdout (``--json``, ``--format json``,
    ``--format=json``), read from the words typed: Typer may refuse it before the command runs."""
    words = list(argv)
    if "--" in words:
        words = words[:words.index("--")]
    if not words or words[0] in FILE_FORMAT_GROUPS:
        return False
    return (tuple(words[:2]) in ALWAYS_JSON or "--json" in words or "--format=json" in words
            or any(a == "--format" and b == "json" for a, b in itertools.pairwise(words)))


class SagwaGroup(TyperGroup):
    """The ``sagwa`` command: a command line Typer refuses (a bad value, an unknown or missing
    option) is also printed as JSON on stdout when JSON was asked for, before Typer's own box
    on stderr and its exit status 2."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Any = None, **extra: Any) -> Any:
        words = list(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click_errors.UsageError as exc:
            _print_usage_json(exc, words)
            raise

    def invoke(self, ctx: Any) -> Any:
        words = [*ctx._protected_args, *ctx.args]
        try:
            return super().invoke(ctx)
        except click_errors.UsageError as exc:
            _print_usage_json(exc, words)
            raise


def _print_usage_json(exc: click_errors.UsageError, words: Sequence[str]) -> None:
    if not isinstance(exc, click_errors.NoArgsIsHelpError) and asks_for_json(words):
        print(format_usage_json(exc))


app = typer.Typer(
    name="sagwa",
    help="sagwa (사과): catch pricing errors before customers see them; when one slips "
         "through, make it right.\n\nWith no SAGWA_DATABASE_URL set, sagwa runs its own "
         "PostgreSQL in $SAGWA_DATA_DIR/pg (default ./.sagwa/pg), shared by every sagwa "
         "process on that directory.\n\nExit status: 0 done; 1 could not be done (not found, "
         "a conflict, a step the incident's state does not allow, a broken audit chain); 2 bad "
         "input or usage. Asked for JSON (`--json`, or `--format json` where a command takes "
         "it), a command that fails also prints one JSON object on stdout: `code`, `message`, "
         "`details.reason` (as the API's errors), its line on stderr kept.",
    cls=SagwaGroup,
    no_args_is_help=True,
    # markdown: a docstring's lines are joined into paragraphs that fit the terminal (the
    # "rich" mode keeps each line break and breaks every line again at 80 columns)
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)
app.add_typer(database.app, name="db")
app.add_typer(seed.app, name="seed")
app.add_typer(audit.app, name="audit")
app.add_typer(incident.app, name="incident")
app.add_typer(replay.app, name="replay")
app.command(name="worker")(worker_cli.worker)
app.add_typer(users.app, name="users")
app.add_typer(importlib.import_module("sagwa.cli.ledger").app, name="ledger")
app.add_typer(importlib.import_module("sagwa.cli.refunds").app, name="refunds")
app.add_typer(importlib.import_module("sagwa.cli.access").app, name="access")
app.add_typer(importlib.import_module("sagwa.cli.personal_data").customers_app, name="customers")
app.add_typer(importlib.import_module("sagwa.cli.personal_data").retention_app,
              name="retention")

# Feature command groups that live in their own modules.
for _name, _help in (("guard", "Price guard: check and evaluate price changes in batch."),
                     ("messages", "Customer messages: check them before they are queued; re-send failed ones.")):
    try:
        _module = importlib.import_module(f"sagwa.cli.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"sagwa.cli.{_name}":
            raise
    else:
        app.add_typer(_module.app, name=_name, help=_help)


@app.command()
@exits_cleanly
@logs_as_a_service
def serve(
    host: str = typer.Option(None, help="Address to listen on (default: SAGWA_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, min=1, max=65535, help="Port (default: SAGWA_PORT, 8000)."),
    no_worker: bool = typer.Option(False, "--no-worker",
                                   help="Do not deliver messages in this process."),
) -> None:
    """Serve the web pages and the JSON API (/docs), with a message worker in-process.

    The embedded database is started and migrated first if needed.
    """
    import logging.config

    from sagwa.adapters.db.database import open_database
    from sagwa.cli.serve_checks import address_problem, check_no_demo_logins, serve_log_config
    from sagwa.log_format import startup_line, with_log_format
    from sagwa.web.access_log import log_config
    from sagwa.web.app import create_app

    config = settings()
    host, port = host or config.host, port or config.port
    config = config.for_address(host, port)  # customers' links point at this server
    # before anything starts (the worker above all): a server that cannot listen sends nothing
    problem = address_problem(host, port)
    if problem is not None:
        err_console.print(f"[red]cannot serve:[/red] {problem}", highlight=False)
        raise typer.Exit(1)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it; dying of it would skip the
    # atexit hook that stops the embedded PostgreSQL and leave it running. Exit normally instead.
    signal.signal(signal.SIGTERM, _exit_normally)
    db = open_database(config)
    background = None
    try:
        assert db.session_factory is not None
        check_no_demo_logins(config, db.session_factory)  # production: no public password
        app = create_app(config, database=db)  # reads the rules and policy files: before all
        # FastAPI builds its routes (dependencies, parameter fields, pydantic adapters) on the
        # first request that scans them — 0.3–0.8 s the first visitor would wait; the API's
        # schema builds them all, now, and /docs then serves it ready
        app.openapi()
        # the access log masks customers' link tokens (sagwa.web.access_log); delivery's
        # warnings (an SMTP server down) go to the same stderr, the worker's from its start;
        # every record carries the request's id, as JSON lines with SAGWA_LOG_FORMAT=json
        logging_config = with_log_format(serve_log_config(log_config()), config.log_format)
        logging.config.dictConfig(logging_config)
        if not no_worker:
            from sagwa.jobs.worker import run_worker_in_background

            background = run_worker_in_background(config)
        said = (f"sagwa {__version__} on http://{host}:{port} (API docs: "
                f"http://{host}:{port}/docs) — {db.description}"
                + ("" if no_worker else "; delivering messages in this process"))
        # one line however narrow the terminal (or none: a service manager's log), JSON with
        # SAGWA_LOG_FORMAT=json
        typer.echo(startup_line(said, config.log_format, logger="sagwa.serve"))
        freeze_startup_objects()
        _listen(app, host, port, logging_config)
    finally:
        if background is not None:
            background.stop()
        db.close()


def _listen(app: Any, host: str, port: int, logging_config: dict[str, Any]) -> None:
    """Serve until stopped, unless a SIGTERM came during the start and was lost."""
    import uvicorn

    if _stop_asked:
        return
    # one access line a request, with its id: sagwa.web.request_ids's, not uvicorn's
    uvicorn.run(app, host=host, port=port, log_level="info", log_config=logging_config,
                access_log=False)


#: A SIGTERM came before uvicorn took over the signals (:func:`_exit_normally`).
_stop_asked = False


def _exit_normally(signum: int, frame: FrameType | None) -> None:
    """Exit, running the atexit hooks. The SystemExit is raised wherever the main thread is;
    in a finaliser or a weakref callback (the garbage collector's, during the start) Python
    prints it as "Exception ignored" and goes on, so the start looks at the flag before it
    listens (a SIGTERM there was seen lost and the server serving)."""
    global _stop_asked
    _stop_asked = True
    raise SystemExit(0)


@app.command()
def version(as_json: bool = typer.Option(False, "--json", help="Print it as JSON.")) -> None:
    """Print sagwa's version."""
    if as_json:
        print(json.dumps({"version": __version__}))
        return
    console.print(__version__)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        err_console.print("output closed")
        raise SystemExit(1) from None
