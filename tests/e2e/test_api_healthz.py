"""``/healthz`` asks the database, not just the process: 503 when it does not answer, and the
outbox's failed and overdue messages when it does; 503 ``degraded`` when the schema is not this
code's (a worker stopped for good: tests/integration/test_worker_database_outage.py).

Anyone (a load balancer, a monitor) gets every key but ``database_at``, with ``database`` only
``reachable``/``unreachable``; an admin's API token gets which database it is. The ``client``
fixture is an admin's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import ApiClientFor

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

COARSE = ["status", "database", "outbox_failed", "outbox_overdue", "worker", "schema"]


def test_healthz_is_503_when_the_database_is_gone(test_settings: Settings) -> None:
    gone = Database(create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{free_port()}/gone"),
                    embedded=False)
    with TestClient(create_app(test_settings, database=gone)) as client:
        answer = client.get("/healthz")
        # a token cannot be checked without the database: the caller is answered as anyone
        with_token = client.get("/healthz", headers={"Authorization": "Bearer sgw_whatever"})

    for said in (answer, with_token):
        assert said.status_code == 503
        assert said.json() == {"status": "unavailable", "database": "unreachable",
                               "worker": "separate", "schema": "unknown"}
        assert "PostgreSQL" not in said.text and "127.0.0.1" not in said.text
    gone.close()


def test_the_full_unreachable_body_still_says_which_database() -> None:
    from sagwa.services.health import check_health

    def unreachable() -> None:
        raise OSError("connection refused")

    body, ok = check_health(unreachable, "PostgreSQL at db:5432/sagwa")  # type: ignore[arg-type]
    assert not ok and body["database_at"] == "PostgreSQL at db:5432/sagwa"


def test_anyone_gets_every_key_but_not_which_database(client_for: ApiClientFor) -> None:
    for caller in (client_for(None), client_for("reviewer"), client_for("agent")):
        answer = caller.get("/healthz")
        assert answer.status_code == 200
        body = answer.json()
        assert list(body) == COARSE
        assert body == {"status": "ok", "database": "reachable", "outbox_failed": 0,
                        "outbox_overdue": 0, "worker": "separate", "schema": "current"}
        assert "PostgreSQL" not in answer.text


def test_an_unknown_token_is_answered_as_anyone(client_for: ApiClientFor) -> None:
    caller = client_for(None)
    for authorization in ("Bearer sgw_not-a-token", "Basic abc", "Bearer"):
        answer = caller.get("/healthz", headers={"Authorization": authorization})
        assert answer.status_code == 200, authorization
        assert list(answer.json()) == COARSE


def test_an_admin_gets_the_whole_body(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.headers["cache-control"] == "no-store"  # not kept for anyone else
    body = answer.json()
    assert list(body)[:2] == ["status", "database"] and set(COARSE) <= set(body)
    assert "PostgreSQL" in body["database"] and "outbox_failed" in body


def test_healthz_counts_failed_and_overdue_messages(client: TestClient) -> None:
    answer = client.get("/healthz")

    assert answer.status_code == 200
    body = answer.json()
    assert list(body)[:2] == ["status", "database"]
    assert (body["status"], body["outbox_failed"], body["outbox_overdue"]) == ("ok", 0, 0)


def test_healthz_appends_the_worker_and_the_schema(client: TestClient) -> None:
    body = client.get("/healthz").json()

    assert list(body) == ["status", "database", "outbox_failed", "outbox_overdue", "worker",
                          "schema"]
    assert (body["worker"], body["schema"]) == ("separate", "current")  # no worker in-process


@pytest.mark.parametrize(("revision", "state", "status", "code"), [
    ("0001", "behind", "degraded", 503), (None, "behind", "degraded", 503),
    # a newer host migrated first (a rolling deploy): its migrations add, this one still serves;
    # a 503 here would take every older host out of the load balancer before the new ones are up
    ("9999_from_newer_code", "ahead", "ok", 200)])
def test_healthz_is_503_when_the_schema_is_behind_this_codes(
        client: TestClient, session_factory: sessionmaker[Session], revision: str | None,
        state: str, status: str, code: int) -> None:
    with session_factory() as session:  # rolled back after the test
        if revision == "0001":
            revision = _first_revision()
        if revision is None:
            session.execute(text("DELETE FROM alembic_version"))
        else:
            session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
        session.commit()

    answer = client.get("/healthz")

    assert answer.status_code == code
    body = answer.json()
    assert (body["status"], body["schema"], body["outbox_failed"]) == (status, state, 0)


def _first_revision() -> str:
    from alembic.script import ScriptDirectory

    from sagwa.adapters.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return list(script.walk_revisions())[-1].revision
