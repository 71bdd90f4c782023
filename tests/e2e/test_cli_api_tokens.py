"""``sagwa users token --expires-on`` and ``sagwa users tokens``: a token that works through a
Korean day (its end in the JSON), a day already over refused with exit 2 and nothing stored, and
the list of live tokens (all of them with ``--all``) with when each was last used, as a table
and as JSON with stable keys, never the token itself."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner, Result

from sagwa.adapters.db.database import Database
from sagwa.cli.main import app
from sagwa.domain.moments import SEOUL
from sagwa.services.accounts import account_for_token
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
KEYS = ["username", "role", "name", "state", "created_at", "expires_at", "last_used_at",
        "revoked_at"]



def sagwa(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_tokens_with_an_end_and_the_list_of_live_ones(cli_database: Database) -> None:
    made = sagwa("users", "create", "--username", "vendor", "--role", "agent", "--password",
                 "correct horse battery")
    assert made.exit_code == 0, made.output
    tomorrow = (datetime.now(SEOUL) + timedelta(days=1)).date()
    issued = sagwa("users", "token", "--username", "vendor", "--name", "month",
                   "--expires-on", tomorrow.isoformat(), "--json")
    assert issued.exit_code == 0, issued.output
    answer = json.loads(issued.stdout)
    assert list(answer) == ["username", "name", "token", "expires_at"]
    ends = datetime.fromisoformat(answer["expires_at"])
    assert (ends.date(), ends.hour, ends.utcoffset()) == (tomorrow + timedelta(days=1), 0,
                                                         timedelta(hours=9))
    assert sagwa("users", "token", "--username", "vendor", "--name", "old").exit_code == 0
    assert sagwa("users", "revoke-token", "--username", "vendor", "--name", "old").exit_code == 0
    assert cli_database.session_factory is not None
    assert account_for_token(SqlAlchemyUnitOfWork(cli_database.session_factory),
                             answer["token"]) is not None

    table = sagwa("users", "tokens")
    assert table.exit_code == 0, table.output
    assert "month" in table.stdout and "old" not in table.stdout
    assert tomorrow.isoformat() in table.stdout  # the last day it works, as --expires-on said
    assert answer["token"] not in table.stdout
    listed = json.loads(sagwa("users", "tokens", "--all", "--json").stdout)
    assert [list(t) for t in listed] == [KEYS, KEYS]
    assert [(t["name"], t["state"]) for t in listed] == [("old", "revoked"), ("month", "live")]
    month = listed[1]
    assert month["expires_at"] == answer["expires_at"] and month["last_used_at"] is not None
    assert answer["token"] not in json.dumps(listed)
    assert sagwa("users", "tokens", "--username", "nobody").exit_code != 0


def test_a_day_already_over_is_refused_and_no_token_is_made(cli_database: Database) -> None:
    assert sagwa("users", "create", "--username", "vendor", "--role", "agent", "--password",
                 "correct horse battery").exit_code == 0
    for day, reason in (("2020-01-01", "already"), ("2026-13-01", "is not a day")):
        refused = sagwa("users", "token", "--username", "vendor", "--expires-on", day)
        assert refused.exit_code == 2, refused.output
        assert reason in refused.output
    assert sagwa("users", "tokens", "--all").stdout.strip() == "no API tokens"
