"""``sagwa incident`` on its own embedded database, as an operator types it: a refused plan lists
every problem at once (a line each, and a ``problems`` list with ``--format json``); numbers are
read as the pages read them (full-width digits, ``1,000``) and other digits are refused, naming
the option; ``--actor`` must name a staff account, and the audit log records the OS login."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_desk import busiest_listing, seller_types_the_wrong_price
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.deadlines import closing_time_after
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery"


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def flat(text_: str) -> str:
    return " ".join(text_.split())


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgn") as path:
        yield path


@pytest.fixture(scope="module")
def incident_id(data_dir: Path) -> int:
    """A declared incident (full-width listing id and prices), not yet scoped; a staff and a
    seller account."""
    seeded = sagwa("seed", "demo", "--products", "40", "--customers", "5", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    listing_id, opened = busiest_listing(data_dir)
    seller_types_the_wrong_price(data_dir, listing_id)  # 19,900 KRW, live from now
    wide_id = str(listing_id).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    declared = sagwa("incident", "declare", "--listing", wide_id, "--wrong-price", "１９,９００",
                     "--correct-price", "199,000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    assert json.loads(declared.stdout)["paused_listings"] == [listing_id]
    for username, role, extra in (("kim", "admin", ()), ("lee", "seller", ("--seller-id", "１"))):
        made = sagwa("users", "create", "--username", username, "--role", role,
                     "--password", PASSWORD, *extra)
        assert made.exit_code == 0, made.output
    return int(json.loads(declared.stdout)["incident_id"])


def _status(data_dir: Path, incident_id: int) -> str:
    [(status,)] = query(data_dir, f"SELECT status FROM incidents WHERE id = {incident_id}")
    return str(status)


def _audit_count(data_dir: Path) -> int:
    return int(query(data_dir, "SELECT count(*) FROM audit_log")[0][0])


def _later() -> str:
    return closing_time_after(datetime.now(UTC) + timedelta(days=7)).isoformat()


# a plan with three problems: no compensation for the cancellation offered, shares summing to
# 90, a deadline in the past
THREE_PROBLEMS = ("--option", "keep", "--option", "cancel_with_compensation", "--seller-share",
                  "70", "--platform-share", "20", "--deadline", "2020-01-01T10:00")


def _scoped(incident_id: int) -> None:
    scoped = sagwa("incident", "scope", str(incident_id), "--format", "json")
    assert scoped.exit_code == 0, scoped.output


def test_a_refused_plan_lists_every_problem_with_its_option(
        incident_id: int, data_dir: Path) -> None:
    _scoped(incident_id)
    refused = sagwa("incident", "plan", str(incident_id), *THREE_PROBLEMS)
    assert refused.exit_code == 2, refused.output
    lines = [line.strip() for line in refused.stderr.splitlines()]
    assert lines[0] == "error (invalid_input): plan refused — 3 problems:"
    assert lines[1].startswith("--compensation (cancel_compensation): cancel_with_compensation")
    assert lines[2] == "--platform-share (platform_share_pct): shares must sum to 100, got 70 + 20"
    assert lines[3] == "--deadline: the deadline must be after now"
    assert _status(data_dir, incident_id) == "scoped"


def test_a_refused_plan_in_json_keeps_the_error_keys_and_adds_a_problem_list(
        incident_id: int, data_dir: Path) -> None:
    _scoped(incident_id)
    refused = sagwa("incident", "plan", str(incident_id), *THREE_PROBLEMS, "--format", "json")
    assert refused.exit_code == 2, refused.output
    body = json.loads(refused.stdout)
    assert list(body) == ["code", "message", "details", "problems"]
    assert body["code"] == "invalid_input" and body["message"].startswith("plan refused — ")
    assert body["details"]["problem_reasons"] == {
        "cancel_compensation": "terms_missing", "platform_share_pct": "shares_not_100",
        "deadline": "deadline_not_after_now"}
    assert body["details"]["problems"].keys() == body["details"]["problem_reasons"].keys()
    assert [(p["field"], p["option"], p["reason"]) for p in body["problems"]] == [
        ("cancel_compensation", "--compensation", "terms_missing"),
        ("platform_share_pct", "--platform-share", "shares_not_100"),
        ("deadline", "--deadline", "deadline_not_after_now")]
    assert all(p["message"] for p in body["problems"])
    assert _status(data_dir, incident_id) == "scoped"


def test_a_field_error_in_json_has_one_problem(incident_id: int) -> None:
    refused = sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                    "talk_to_person", "--seller-share", "50", "--platform-share", "50",
                    "--deadline", "next tuesday", "--format", "json")
    assert refused.exit_code == 2, refused.output
    body = json.loads(refused.stdout)
    assert body["details"] == {"field": "deadline", "reason": "time_malformed"}
    assert [p["option"] for p in body["problems"]] == ["--deadline"]


def test_keep_as_the_default_without_keep_and_a_zero_discount_are_refused(
        incident_id: int, data_dir: Path) -> None:
    """--default is keep unless given: offering neither keep nor a 1% discount or more is
    refused as the page and the API refuse it, naming the options to fix."""
    _scoped(incident_id)
    refused = sagwa("incident", "plan", str(incident_id), "--option", "cancel_with_compensation",
                    "--option", "buy_at_correct_price_discount", "--compensation", "5000",
                    "--discount", "0", "--seller-share", "70", "--platform-share", "30",
                    "--deadline", _later(), "--format", "json")
    assert refused.exit_code == 2, refused.output
    assert [(p["field"], p["option"], p["reason"]) for p in json.loads(refused.stdout)["problems"]
            ] == [("discount_pct", "--discount", "zero_discount"),
                  ("default", "--default", "default_not_offered")]
    assert _status(data_dir, incident_id) == "scoped"


@pytest.mark.parametrize(("option", "typed"), [
    ("--seller-share", "١٠"), ("--seller-share", "②"), ("--compensation", "1_000"),
    ("--compensation", "5，000"), ("--platform-share", "30.5"),
])  # fmt: skip
def test_other_digits_are_refused_naming_the_option(
        incident_id: int, option: str, typed: str) -> None:
    terms = {"--seller-share": "70", "--platform-share": "30", "--compensation": "5000"}
    terms[option] = typed
    refused = sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                    "cancel_with_compensation", "--deadline", _later(),
                    *(part for pair in terms.items() for part in pair))
    assert refused.exit_code == 2, refused.output
    said = flat(refused.output)
    assert f"Invalid value for '{option}'" in said and "digits 0-9" in said
    assert "Traceback" not in refused.output


def test_an_incident_id_in_other_digits_is_refused() -> None:
    refused = sagwa("incident", "status", "١")
    assert refused.exit_code == 2
    assert "is not a whole number" in flat(refused.output)


def test_an_unknown_actor_is_refused_and_nothing_changes(
        incident_id: int, data_dir: Path) -> None:
    before = (_status(data_dir, incident_id), _audit_count(data_dir))
    for name in ("mallory", "lee", "reviewer:kim"):  # unknown, a seller, the wrong role
        refused = sagwa("incident", "scope", str(incident_id), "--actor", name)
        assert refused.exit_code == 2, refused.output
        said = flat(refused.output)
        assert "--actor" in said and "sagwa users create" in said, said
    assert (_status(data_dir, incident_id), _audit_count(data_dir)) == before


def test_a_staff_actor_and_the_os_login_land_on_the_audit_log(
        incident_id: int, data_dir: Path) -> None:
    _scoped(incident_id)
    planned = sagwa("incident", "plan", "  " + str(incident_id), "--option", "keep", "--option",
                    "cancel_with_compensation", "--compensation", "５,０００",
                    "--seller-share", "７０", "--platform-share", "３０％",
                    "--deadline", _later(), "--actor", "kim", "--format", "json")
    assert planned.exit_code == 0, planned.output
    shown = sagwa("incident", "status", str(incident_id), "--format", "json")
    plan = json.loads(shown.stdout)["plan"]
    assert (plan["cancel_compensation"], plan["seller_share_pct"],
            plan["platform_share_pct"]) == (5000, 70, 30)
    login = getpass.getuser()
    actors = [actor for (actor,) in query(
        data_dir, f"SELECT actor FROM audit_log WHERE entity_type = 'incident' AND entity_id = "
                  f"'{incident_id}' ORDER BY seq")]
    assert actors[0] == f"cli (os user {login})"  # declared with no --actor
    assert actors[-1] == f"admin:kim via cli (os user {login})"
    verified = sagwa("audit", "verify", "--json")
    assert verified.exit_code == 0 and json.loads(verified.stdout)["ok"] is True
