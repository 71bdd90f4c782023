"""``sagwa worker``: deliver queued messages and run the scheduled jobs until stopped.

Run as many as you like, on any host that reaches the database; each takes jobs the others
have not. ``python -m sagwa.cli.worker`` runs the same command on its own.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from sagwa.cli.context import (
    exits_cleanly,
    freeze_startup_objects,
    logs_as_a_service,
    settings,
)
from sagwa.jobs.queues import QUEUES, check_queues
from sagwa.jobs.worker import WorkerOptions, run_worker
from sagwa.log_format import JsonFormatter, startup_line

ConcurrencyOpt = Annotated[int, typer.Option(
    "--concurrency", "-c", min=1, max=64, help="Messages sent at the same time by this worker.")]
OneShotOpt = Annotated[bool, typer.Option(
    "--one-shot", help="Stop once no job is ready, instead of waiting.")]
QueuesOpt = Annotated[list[str] | None, typer.Option(
    "--queues", "--queue", "-q",
    help="Queues to take jobs from (repeat, or comma-separate); default: all. "
         + "; ".join(f"{name}: {what}" for name, what in QUEUES.items()) + ".")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log every job.")]


@exits_cleanly
@logs_as_a_service
def worker(concurrency: ConcurrencyOpt = 4, one_shot: OneShotOpt = False,
           queues: QueuesOpt = None, verbose: VerboseOpt = False) -> None:
    """Run a worker: it sends the queued emails and texts, and runs the scheduled jobs — the
    incident desk's reminders, escalations and deadlines, the sellers' emails of the orders
    they can send every 30 minutes, a promotion's end, the audit log's anchor every 15
    minutes. SIGTERM/Ctrl-C stops it gracefully.

    Queues (--queue): messages, desk, market. Run as many workers as you like, on any host that
    reaches the database: each takes jobs the others have not.
    """
    names = check_queues(tuple(q.strip() for item in queues or [] for q in item.split(",")
                               if q.strip()))
    config = settings()
    configure_logging(config.log_format, verbose=verbose)
    options = WorkerOptions(concurrency=concurrency, one_shot=one_shot, queues=names or None)
    told: list[bool] = []

    def started(_: object) -> None:
        # once it runs, not before its checks (the database, the schema, the key): an ops walk
        # read "sagwa worker: …" and then the refusal
        if not told:
            told.append(True)
            typer.echo(startup_line(f"sagwa worker: concurrency {concurrency}, queues "
                                    f"{', '.join(names) if names else 'all'}"
                                    f"{' (one shot)' if one_shot else ''}", config.log_format,
                                    logger="sagwa.worker"))

    freeze_startup_objects()
    run_worker(config, options, on_started=started)


def configure_logging(log_format: str, *, verbose: bool) -> None:
    """The worker's logging: warnings (every job with ``verbose``) on stderr, as
    :func:`log_handler` writes them; never httpx's request lines (each request's address at
    INFO: an SMS provider's holds its app key)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        handlers=[log_handler(log_format)])
    logging.getLogger("httpx").setLevel(logging.WARNING)


def log_handler(log_format: str) -> logging.Handler:
    """The worker's log lines on stderr: text, or one JSON object a line with
    ``SAGWA_LOG_FORMAT=json`` (as ``sagwa serve``'s)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


cli = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
cli.command()(worker)

if __name__ == "__main__":
    cli()
