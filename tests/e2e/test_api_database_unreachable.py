"""With the database unreachable, the API answers 503 ``database_unavailable`` (reason
``database_unreachable``) as JSON and the pages a 503 page, each with one WARNING line in the
log and no traceback; a statement's own error is still a logged 500."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e


@pytest.fixture
def gone_client(test_settings: Settings) -> Iterator[TestClient]:
    gone = Database(create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{free_port()}/gone"),
                    embedded=False)
    with TestClient(create_app(test_settings, database=gone),
                    raise_server_exceptions=False) as client:
        yield client
    gone.close()


def _logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("path", ["/api/listings/402", "/api/products"])
def test_the_api_answers_503_database_unavailable(gone_client: TestClient, path: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    answer = gone_client.get(path)

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    body = answer.json()
    assert (body["code"], body["details"]["reason"]) == ("database_unavailable",
                                                         "database_unreachable")
    [line] = _logged(caplog)
    assert line.levelno == logging.WARNING and not line.exc_info
    assert line.getMessage().startswith(f"database unreachable: GET {path} answered 503 (")


@pytest.mark.parametrize("path", ["/", "/notices"])
def test_a_page_answers_a_503_page(gone_client: TestClient, path: str,
                                   caplog: pytest.LogCaptureFixture) -> None:
    answer = gone_client.get(path)

    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert "지금은 데이터베이스에 연결할 수 없어 처리하지 못했습니다." in answer.text
    assert "The database cannot be reached just now" in answer.text
    [line] = _logged(caplog)
    assert not line.exc_info


def test_a_customer_s_link_is_not_written_whole_to_the_log(
        gone_client: TestClient, test_settings: Settings,
        caplog: pytest.LogCaptureFixture) -> None:
    """A reviewer: the 503 line logged the path as it came, and a customer's link token is a
    key to their case (the access log masks it; this line did not)."""
    from datetime import UTC, datetime, timedelta

    from sagwa.services.case_links import case_token

    token = case_token(test_settings.secret_key, case_id=7, customer_id=3,
                       expires_at=datetime.now(UTC) + timedelta(days=3))
    answer = gone_client.get(f"/c/{token}")

    assert answer.status_code == 503
    logged = " ".join(r.getMessage() for r in _logged(caplog))
    assert "database unreachable: GET /c/" in logged
    assert token not in logged and token[12:40] not in logged
