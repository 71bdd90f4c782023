"""``/api/metrics``: the job queues, workers, outbox, incidents and review queue in Prometheus's
text format, for an admin's API token only; every figure read from the database at the request
(a job queued, a message waiting, a price change held show up in the next scrape)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import ApiClientFor, refused
from test_api_healthz import register_a_worker

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.ports import free_port
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

SAMPLE = re.compile(r'^([a-z_]+)(?:\{(.*)\})? (\S+)$')


def _scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/api/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    samples = {}
    declared = set()
    for line in answer.text.splitlines():
        if line.startswith("# TYPE "):
            declared.add(line.split()[2])
            continue
        if line.startswith("# HELP ") or not line:
            continue
        match = SAMPLE.match(line)
        assert match, line
        name, labels, value = match.groups()
        assert name in declared, f"{name} sampled before its TYPE line"
        pairs = tuple(tuple(p.split("=", 1)) for p in labels.split(",")) if labels else ()
        samples[(name, tuple((k, v.strip('"')) for k, v in pairs))] = float(value)
    return samples


def test_metrics_need_an_admins_token(client_for: ApiClientFor) -> None:
    refused(client_for(None).get("/api/metrics"), 401, "unauthenticated", "token_required")
    refused(client_for("agent").get("/api/metrics"), 403, "forbidden", "role_not_allowed")


def test_a_job_a_message_and_a_held_change_show_up_in_the_next_scrape(
        client_for: ApiClientFor, session_factory: sessionmaker[Session]) -> None:
    client = client_for("admin")
    before = _scrape(client)
    assert before[("sagwa_database_up", ())] == 1
    assert before[("sagwa_in_process_worker", (("state", "separate"),))] == 1
    assert before[("sagwa_in_process_worker", (("state", "running"),))] == 0
    assert before[("sagwa_jobs", (("queue", "messages"), ("status", "todo")))] == 0
    assert before[("sagwa_queue_workers", (("queue", "desk"),))] == 0
    assert before[("sagwa_price_changes_held", ())] == 0
    # every status is a series from the start (a series that appears only when non-zero
    # breaks an alert on it)
    assert before[("sagwa_open_cases", (("status", "notified"),))] == 0
    assert before[("sagwa_incidents", (("status", "notifying"),))] == 0

    uow = lambda: SqlAlchemyUnitOfWork(session_factory)
    listed = ipod_listed_at_wrong_price(uow)
    with session_factory() as session:
        # a desk job not due for an hour: procrastinate's own row
        session.execute(text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, scheduled_at) "
            "VALUES ('desk', 'sagwa.deadline', 'todo', now() + interval '1 hour')"))
        # a price change held for review since 20 minutes ago
        session.execute(text(
            "INSERT INTO price_changes (listing_id, old_price_minor, new_price_minor, currency, "
            "proposed_by, proposed_at, status) VALUES (:listing, 199000, 19900, 'KRW', "
            "'seller:haneul', now() - interval '20 minutes', 'held')"),
            {"listing": listed.listing_id})
        session.commit()
    with uow() as u:  # a message (and its delivery job) due 30 minutes ago, no worker to send it
        enqueue_message(u, idempotency_key="metrics:1", purpose="confirmation", channel="email",
                        recipient="minji@example.com", locale="ko", subject="[사과] 안내",
                        body="고객님, 안내드립니다.\n",
                        not_before=datetime.now(UTC) - timedelta(minutes=30))
        u.commit()
    register_a_worker(session_factory)

    after = _scrape(client)
    assert after[("sagwa_jobs", (("queue", "messages"), ("status", "todo")))] == 1
    assert after[("sagwa_jobs", (("queue", "desk"), ("status", "todo")))] == 1
    # the desk job is not due yet: only the delivery job has waited, since its time
    assert 1790 <= after[("sagwa_job_oldest_due_seconds", (("queue", "messages"),))] < 1900
    assert after[("sagwa_job_oldest_due_seconds", (("queue", "desk"),))] == 0
    assert after[("sagwa_outbox_messages", (("status", "pending"), ("channel", "email")))] == 1
    assert after[("sagwa_outbox_overdue", ())] == 1
    assert after[("sagwa_price_changes_held", ())] == 1
    assert 1190 <= after[("sagwa_price_changes_held_oldest_seconds", ())] < 1300
    assert after[("sagwa_workers_alive", ())] == 1
    # a worker that did not say which queues it takes takes them all
    assert {q: after[("sagwa_queue_workers", (("queue", q),))]
            for q in ("messages", "desk", "market")} == {"messages": 1, "desk": 1, "market": 1}


def test_the_metrics_token_reads_them_with_the_database_down_and_nothing_else(
        test_settings: Settings, client_for: ApiClientFor) -> None:
    """``SAGWA_METRICS_TOKEN`` is checked without the database: a scrape with the database
    gone still answers, ``sagwa_database_up 0``. It opens no other door."""
    token = "m" * 40
    settings = test_settings.model_copy(update={"metrics_token": token})
    gone = Database(create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{free_port()}/gone"),
                    embedded=False)
    with TestClient(create_app(settings, database=gone),
                    headers={"Authorization": f"Bearer {token}"}) as scraper:
        samples = _scrape(scraper)
        assert samples[("sagwa_database_up", ())] == 0
        assert ("sagwa_jobs", (("queue", "messages"), ("status", "todo"))) not in samples
        # an API token needs the database to be checked
        refused(scraper.get("/api/metrics", headers={"Authorization": "Bearer sgw_" + "x" * 40}),
                503, "database_unavailable")
    anyone = client_for(None)
    refused(anyone.get("/api/metrics", headers={"Authorization": f"Bearer {token}"}), 401,
            "unauthenticated", "token_unknown")  # this app has no metrics token set
    with TestClient(create_app(settings, database=anyone.app.state.database),
                    headers={"Authorization": f"Bearer {token}"}) as scraper:
        assert _scrape(scraper)[("sagwa_database_up", ())] == 1
        refused(scraper.get("/api/incidents"), 401, "unauthenticated", "token_unknown")
        refused(scraper.get("/api/metrics", headers={"Authorization": "Bearer " + "y" * 40}),
                401, "unauthenticated", "token_unknown")
