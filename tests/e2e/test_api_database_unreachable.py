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
