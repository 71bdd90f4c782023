"""An expired API token is answered 401 ``token_expired`` with when it expired, not the
``token_unknown`` a typo gets: its holder knows to ask for a new one."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.services import accounts
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e
SEOUL = ZoneInfo("Asia/Seoul")


def test_an_expired_token_is_refused_saying_so(database: Database,
                                               session_factory: sessionmaker[Session],
                                               test_settings: Settings) -> None:
    clock = ManualClock(datetime(2026, 12, 7, 18, 0, tzinfo=SEOUL))
    accounts.create_user(SqlAlchemyUnitOfWork(session_factory, clock), username="ops",
                         role="admin", password="correct horse battery", actor="t")
    token = accounts.issue_api_token(SqlAlchemyUnitOfWork(session_factory, clock),
                                     username="ops", name="week", actor="t",
                                     expires_on=date(2026, 12, 7))
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(test_settings, database=db, clock=clock)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/audit/verify", headers=headers).status_code == 200
        clock.now = datetime(2026, 12, 8, 0, 0, tzinfo=SEOUL)
        refused = client.get("/api/audit/verify", headers=headers)
        assert refused.status_code == 401, refused.text
        body = refused.json()
        assert (body["code"], body["details"]["reason"]) == ("unauthenticated", "token_expired")
        assert "expired at 2026-12-08 00:00 (Korea time)" in body["message"]
        typo = client.get("/api/audit/verify", headers={"Authorization": f"Bearer {token}x"})
        assert typo.json()["details"]["reason"] == "token_unknown"
