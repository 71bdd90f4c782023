"""``sagwa worker --queue`` takes only the queues sagwa's jobs run on: a name none of them uses
(``--queue nosuch``) started a worker that idled forever, exit 0. ``sagwa worker --help`` says
what a worker runs and names the queues."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.errors import InvalidInput
from sagwa.jobs.app import app as jobs_app
from sagwa.jobs.queues import QUEUES, check_queues

pytestmark = pytest.mark.e2e


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    try:
        # a database that cannot be reached: a worker that started anyway fails fast (exit 1)
        return CliRunner().invoke(app, list(args), env={
            "SAGWA_DATABASE_URL": "postgresql://sagwa@127.0.0.1:9/nowhere"})
    finally:
        get_settings.cache_clear()


def test_an_unknown_queue_is_refused_naming_the_known_ones() -> None:
    result = sagwa("worker", "--queue", "messages,nosuch", "--one-shot")

    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "'nosuch'" in said and "messages, desk, market" in said
    assert "sagwa worker: concurrency" not in result.output  # it never started


def test_known_queues_pass_in_the_order_given() -> None:
    assert check_queues(("desk", "messages")) == ("desk", "messages")
    with pytest.raises(InvalidInput) as refused:
        check_queues(("Messages",))
    assert refused.value.details["reason"] == "queue_unknown"


def test_the_queues_are_those_sagwas_jobs_run_on() -> None:
    jobs_app.perform_import_paths()  # type: ignore[no-untyped-call]
    used = {task.queue for name, task in jobs_app.tasks.items()
            if not name.startswith(("procrastinate.", "builtin:"))}
    assert set(QUEUES) == used


def test_the_help_says_what_a_worker_runs_and_names_the_queues() -> None:
    said = " ".join(sagwa("worker", "--help").output.split())

    for words in ("messages", "reminders", "escalations", "deadlines", "audit",
                  "promotion", "desk", "market"):
        assert words in said, words
