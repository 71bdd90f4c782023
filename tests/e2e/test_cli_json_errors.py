"""Whenever a command is asked for JSON (``--json`` or ``--format json``), a failure prints one
JSON error object on stdout (``code``, ``message``, ``details.reason``, as the API's errors),
besides its line on stderr and its exit status: 0 done, 1 could not be done, 2 bad input or
usage. Before, an integrator's script read an empty stdout: ``users token --json`` printed its
refusal on stderr only, and a usage error (``incident status abc --format json``) only Typer's
box."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from sagwa import __version__
from sagwa.adapters.db.migrate import head_revision
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.audit import ChainVerdict

pytestmark = pytest.mark.e2e


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args))


def json_error(result: Result, exit_code: int) -> dict[str, Any]:
    """The one JSON error object on stdout, checked for the keys every error has."""
    assert result.exit_code == exit_code, result.output
    body = json.loads(result.stdout)
    assert isinstance(body, dict)
    assert isinstance(body["code"], str) and isinstance(body["message"], str)
    assert isinstance(body["details"]["reason"], str)
    return body


@pytest.fixture
def database_url(scratch: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI on a fresh migrated database of each backend."""
    url = scratch.create().render_as_string(hide_password=False)
    monkeypatch.setenv("SAGWA_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


# --- usage errors: Typer refuses the command line before the command runs -----------------

def test_a_bad_argument_with_format_json_prints_a_json_usage_error() -> None:
    result = sagwa("incident", "status", "abc", "--format", "json")
    body = json_error(result, 2)
    assert body["code"] == "invalid_request"
    assert body["details"]["reason"] == "argument_invalid"
    assert body["details"]["errors"][0]["field"] == "incident_id"
    assert "not a whole number" in body["message"]
    assert "not a whole number" in result.stderr  # the box is still there


def test_a_bad_option_value_with_format_json_names_the_option() -> None:
    result = sagwa("ledger", "export", "--by", "nope", "--format=json")
    body = json_error(result, 2)
    assert (body["code"], body["details"]["reason"]) == ("invalid_request", "option_invalid")
    assert body["details"]["errors"] == [{"field": "--by", "problem": body["message"]}]
    assert body["problems"][0]["option"] == "--by"


def test_an_unknown_option_with_json_is_a_json_usage_error() -> None:
    body = json_error(sagwa("users", "token", "--username", "x", "--json", "--bogus"), 2)
    assert body["details"]["reason"] == "option_unknown"


def test_a_missing_option_with_json_is_a_json_usage_error() -> None:
    body = json_error(sagwa("users", "token", "--json"), 2)
    assert body["details"]["reason"] == "option_missing"
    assert body["details"]["errors"][0]["field"] == "--username"


def test_a_usage_error_without_json_prints_nothing_on_stdout() -> None:
    result = sagwa("incident", "status", "abc")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_guard_file_formats_do_not_ask_for_json_on_stdout() -> None:
    """``guard check --format json`` names the verdict file's format and ``guard evaluate
    --json PATH`` a file: their stdout stays theirs."""
    result = sagwa("guard", "check", "--format", "json", "--bogus")
    assert result.exit_code == 2 and result.stdout == ""


# --- refusals inside a command --------------------------------------------------------------

def test_messages_lint_with_an_unknown_kind_prints_a_json_error(tmp_path: Path) -> None:
    text = tmp_path / "message.txt"
    text.write_text("안녕하세요.", encoding="utf-8")
    result = sagwa("messages", "lint", str(text), "--kind", "bogus", "--lang", "ko",
                   "--format", "json")
    body = json_error(result, 2)
    assert body["code"] == "invalid_input"
    assert "Error:" in result.stderr and "bogus" in result.stderr


def test_messages_lint_of_an_unreadable_file_prints_a_json_error(tmp_path: Path) -> None:
    result = sagwa("messages", "lint", str(tmp_path / "missing.txt"), "--kind", "notice",
                   "--lang", "ko", "--format", "json")
    body = json_error(result, 2)
    assert (body["code"], body["details"]["reason"]) == ("invalid_input", "file_unreadable")


def test_messages_lint_incident_with_another_kind_prints_a_json_error(tmp_path: Path) -> None:
    text = tmp_path / "message.txt"
    text.write_text("안녕하세요.", encoding="utf-8")
    result = sagwa("messages", "lint", str(text), "--kind", "resolution", "--lang", "ko",
                   "--incident", "1", "--format", "json")
    body = json_error(result, 2)
    assert body["details"]["reason"] == "incident_needs_notice_kind"


def test_a_settings_error_with_json_prints_a_json_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_PORT", "not-a-port")
    result = sagwa("users", "token", "--username", "nobody", "--json")
    body = json_error(result, 2)
    assert (body["code"], body["details"]["reason"]) == ("invalid_input", "settings_invalid")
    assert "configuration error" in result.stderr


def test_users_token_for_no_account_prints_a_json_error(database_url: str) -> None:
    result = sagwa("users", "token", "--username", "nobody", "--json")
    # not found (exit 1), as users deactivate/tokens/set-password say it (it was exit 2)
    body = json_error(result, 1)
    assert (body["code"], body["details"]["reason"]) == ("not_found", "unknown_id")
    assert "nobody" in result.stderr  # the line on stderr is kept


def test_a_second_live_token_is_a_json_conflict(database_url: str) -> None:
    made = sagwa("users", "create", "--username", "op", "--role", "admin",
                 "--password", "correct horse battery")
    assert made.exit_code == 0, made.output
    assert sagwa("users", "token", "--username", "op", "--json").exit_code == 0
    body = json_error(sagwa("users", "token", "--username", "op", "--json"), 1)
    assert body["code"] == "conflict"

    revoked = sagwa("users", "revoke-token", "--username", "op", "--json")
    assert revoked.exit_code == 0, revoked.output
    assert json.loads(revoked.stdout) == {"username": "op", "name": None, "revoked": 1}
    again = sagwa("users", "revoke-token", "--username", "op", "--name", "api", "--json")
    assert json.loads(again.stdout) == {"username": "op", "name": "api", "revoked": 0}
    body = json_error(sagwa("users", "revoke-token", "--username", "nobody", "--json"), 1)
    assert body["code"] == "not_found"


def test_db_status_prints_json(database_url: str) -> None:
    result = sagwa("db", "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert list(status) == ["database", "current", "latest", "up_to_date", "state"]
    assert (status["current"], status["latest"], status["up_to_date"], status["state"]) == (
        head_revision(), head_revision(), True, "current")


def test_seeding_twice_with_json_prints_a_json_conflict(database_url: str) -> None:
    first = sagwa("seed", "demo", "--products", "40", "--customers", "1", "--orders", "0", "--weeks", "1", "--json")
    assert first.exit_code == 0, first.output
    body = json_error(sagwa("seed", "demo", "--products", "40", "--customers", "1", "--orders", "0", "--json"), 1)
    assert (body["code"], body["details"]["reason"]) == ("conflict", "demo_data_present")
    # an external database: a new data directory would not help (a deploy walk)
    assert "an empty database in SAGWA_DATABASE_URL" in body["message"], body["message"]


# --- the rest --------------------------------------------------------------------------------

def test_version_prints_json() -> None:
    result = sagwa("version", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"version": __version__}
    assert sagwa("version").stdout.strip() == __version__


def test_help_states_the_exit_statuses() -> None:
    text = " ".join(sagwa("--help").stdout.split())
    assert "0 done" in text and "1 could not be done" in text and "2 bad input" in text
    assert "--format json" in text and "--json" in text


def test_a_broken_audit_log_in_json_is_also_an_error_object() -> None:
    from sagwa.cli.audit import format_verdict_json

    broken = json.loads(format_verdict_json(ChainVerdict(ok=False, checked=3, first_bad_seq=4,
                                                         reason="hash mismatch")))
    assert list(broken)[:4] == ["ok", "checked", "first_bad_seq", "reason"]  # as before
    assert broken["code"] == "audit_chain_broken"
    assert broken["details"] == {"reason": "chain_broken", "first_bad_seq": 4}
    intact = json.loads(format_verdict_json(ChainVerdict(ok=True, checked=3)))
    # keys appended since (the keyed chain, the head, the anchors) come after these four
    assert dict(list(intact.items())[:4]) == {"ok": True, "checked": 3, "first_bad_seq": None,
                                              "reason": None}
    assert "code" not in intact


def test_retry_failed_always_prints_json_so_its_refusals_are_json_too() -> None:
    """``messages retry-failed`` prints JSON with no flag: a script reads its stdout as JSON."""
    body = json_error(sagwa("messages", "retry-failed", "--since", "yesterday"), 2)
    assert (body["code"], body["details"]["reason"]) == ("invalid_input", "time_malformed")
    body = json_error(sagwa("messages", "retry-failed", "--incident", "abc"), 2)
    assert (body["code"], body["details"]["reason"]) == ("invalid_request", "option_invalid")
    # --json, as a script passes to the other commands, is taken (it was "No such option")
    body = json_error(sagwa("messages", "retry-failed", "--json", "--since", "yesterday"), 2)
    assert body["details"]["reason"] == "time_malformed"
    # an incident that does not exist is said, as every --incident says it (a tester got
    # "requeued: 0", exit 0)
    body = json_error(sagwa("messages", "retry-failed", "--incident", "999999", "--dry-run"), 1)
    assert (body["code"], body["details"]["reason"]) == ("not_found", "unknown_id")


def test_a_file_given_as_an_argument_names_no_option(tmp_path: Path) -> None:
    """A tester read ``"option": "--file"`` for ``messages lint`` on a missing path: the path
    is an argument; there is no --file."""
    body = json_error(sagwa("messages", "lint", str(tmp_path / "nope.txt"), "--kind",
                            "resolution", "--lang", "ko", "--format", "json"), 2)
    assert body["details"]["reason"] == "file_unreadable"
    assert body["problems"][0]["field"] == "file" and body["problems"][0]["option"] is None
