"""Where sagwa prints the database's URL (``db status``, serve's first line, /healthz, a
``database_unavailable`` error) its secrets are masked — the password in the URL, and libpq's
secret parameters in its query string, which an ops walk saw printed in full."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from sagwa.adapters.db.database import Database, check_reachable, shown_url
from sagwa.errors import DatabaseUnavailable


@pytest.mark.parametrize(("given", "shown"), [
    ("postgresql+psycopg://u:pw@db.example:5433/sagwa", "postgresql+psycopg://u:***@db.example:5433/sagwa"),
    ("postgresql+psycopg://u@db/sagwa?password=QSECRET&sslmode=require&sslpassword=SSLSECRET",
     "postgresql+psycopg://u@db/sagwa?password=***&sslmode=require&sslpassword=***"),
    ("postgresql+psycopg://u@/sagwa?host=/tmp/a&host=/tmp/b", "postgresql+psycopg://u@/sagwa?host=/tmp/a&host=/tmp/b"),
])  # fmt: skip
def test_the_url_is_shown_with_its_secrets_masked(given: str, shown: str) -> None:
    assert shown_url(make_url(given)) == shown
    assert Database(create_engine(given), embedded=False).description == f"PostgreSQL at {shown}"


def test_a_database_out_of_reach_is_named_without_its_secrets() -> None:
    engine = create_engine("postgresql+psycopg://u@127.0.0.1:1/sagwa?password=QSECRET"
                           "&connect_timeout=2")
    with pytest.raises(DatabaseUnavailable) as gone:
        check_reachable(engine)
    assert "QSECRET" not in str(gone.value) and "password=***" in str(gone.value)
