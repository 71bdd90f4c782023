"""``/healthz`` asks the database, not just the process: 503 when it does not answer, and the
outbox's failed and overdue messages when it does."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e


def test_healthz_is_503_when_the_database_is_gone(test_settings: Settings) -> None:
    gone = Database(create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{free_port()}/gone"),
                    embedded=False)
    with TestClient(create_app(test_settings, database=gone)) as client:
        answer = client.get("/healthz")

    assert answer.status_code == 503
    body = answer.json()
    assert (body["status"], body["database"]) == ("unavailable", "unreachable")
    assert body["database_at"].startswith("PostgreSQL at ")
    gone.close()


def test_healthz_counts_failed_and_overdue_messages(client: TestClient) -> None:
    answer = client.get("/healthz")

    assert answer.status_code == 200
    body = answer.json()
    assert list(body)[:2] == ["status", "database"]
    assert (body["status"], body["outbox_failed"], body["outbox_overdue"]) == ("ok", 0, 0)
