"""Access records from the terminal: the commands that print customers' personal data record
who ran them (``--actor``, or ``cli``) from which OS login; a CSV of refunds (customers' names)
and a ledger export of one customer need ``--reason``; and ``sagwa access list``, ``review`` and
``purge`` (admin's) read, review and purge the records."""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from test_cli_incident_money import _chooses, _planned
from test_cli_refunds import sagwa
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.access_records import year_before
from sagwa.domain.moments import SEOUL
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
LOGIN = f"cli:{getpass.getuser()}"


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sga") as path:
        yield path


@pytest.fixture(scope="module")
def refunded(data_dir: Path) -> tuple[int, int]:
    """A customer who cancelled with compensation (refunds owed): (case id, customer id); and
    an admin and a finance account."""
    assert sagwa("seed", "demo", "--products", "40", "--customers", "4", "--orders", "8",
                 "--json").exit_code == 0
    [(listing_id,)] = query(data_dir, "SELECT listing_id FROM orders GROUP BY listing_id "
                                      "ORDER BY count(*) DESC, listing_id LIMIT 1")
    incident_id = _planned(data_dir, int(listing_id))
    [(case_id, customer_id)] = query(data_dir, "SELECT id, customer_id FROM cases WHERE "
                                               f"incident_id = {incident_id} ORDER BY id LIMIT 1")
    _chooses(data_dir, int(case_id))
    for name, role in (("kim", "admin"), ("lee", "finance")):
        made = sagwa("users", "create", "--username", name, "--role", role,
                     "--password", "long-enough-42")
        assert made.exit_code == 0, made.output
    return int(case_id), int(customer_id)


def _records(data_dir: Path) -> list[tuple[object, ...]]:
    return query(data_dir, "SELECT account, role, client, action, what, customer_ids, case_ids, "
                           "reason FROM access_records ORDER BY id")


def test_a_csv_of_refunds_needs_a_reason_and_records_who_made_it(
        refunded: tuple[int, int], data_dir: Path) -> None:
    case_id, customer_id = refunded
    before = len(_records(data_dir))
    refused = sagwa("refunds", "list", "--format", "csv")
    assert refused.exit_code == 2 and "사유가필요합니다" in "".join(refused.stderr.split())
    assert refused.stdout == "" and len(_records(data_dir)) == before
    made = sagwa("refunds", "list", "--format", "csv", "--reason", "12월 환불 이체",
                 "--actor", "lee")
    assert made.exit_code == 0, made.output
    assert next(csv.DictReader(io.StringIO(made.stdout)))["case_id"] == str(case_id)
    account, role, client, action, what, customers, cases, reason = _records(data_dir)[-1]
    assert (account, role, client, action, reason) == ("lee", "finance", LOGIN, "export",
                                                       "12월 환불 이체")
    assert what == "sagwa refunds list --status owed --format csv"
    assert customer_id in customers and case_id in cases
    shown = sagwa("refunds", "list")  # a table on the terminal: a view, no reason needed
    assert shown.exit_code == 0
    assert _records(data_dir)[-1][:4] == ("cli", None, LOGIN, "view")


def test_a_ledger_export_of_one_customer_needs_a_reason(
        refunded: tuple[int, int], data_dir: Path) -> None:
    _, customer_id = refunded
    refused = sagwa("ledger", "export", "--customer", str(customer_id), "--format", "json")
    assert refused.exit_code == 2
    assert json.loads(refused.stdout)["details"]["reason"] == "access_reason_required"
    made = sagwa("ledger", "export", "--customer", str(customer_id), "--reason", "고객 문의 #88")
    assert made.exit_code == 0, made.output
    assert _records(data_dir)[-1][3:] == (
        "export", f"sagwa ledger export --by entry --customer {customer_id} --format csv",
        [customer_id], [], "고객 문의 #88")
    summed = sagwa("ledger", "export", "--by", "day")  # no customer's data: nothing recorded
    assert summed.exit_code == 0 and _records(data_dir)[-1][7] == "고객 문의 #88"



def test_a_ledger_export_that_cannot_be_written_is_refused_before_it_is_recorded(
        refunded: tuple[int, int], data_dir: Path, tmp_path: Path) -> None:
    """A tester's --out in a directory that does not exist: a traceback, exit 1, and an
    access record of an export that went nowhere."""
    _, customer_id = refunded
    before = len(_records(data_dir))
    refused = sagwa("ledger", "export", "--customer", str(customer_id), "--reason", "문의",
                    "--out", str(tmp_path / "no-such-dir" / "x.csv"), "--format", "json")
    assert refused.exit_code == 2, refused.output
    said = json.loads(refused.stdout)
    assert said["details"]["reason"] == "file_unwritable"
    assert said["problems"][0]["option"] == "--out"
    assert "Traceback" not in refused.output
    assert len(_records(data_dir)) == before
    written = tmp_path / "ledger.csv"
    made = sagwa("ledger", "export", "--by", "day", "--out", str(written))
    assert made.exit_code == 0 and written.read_text(encoding="utf-8").startswith("key,entries,")
    # a refused export leaves an earlier one as it was (a review: opening --out emptied it)
    before_text = written.read_text(encoding="utf-8")
    unknown = sagwa("ledger", "export", "--seller", "99999999", "--out", str(written))
    assert unknown.exit_code == 1, unknown.output
    assert written.read_text(encoding="utf-8") == before_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.csv"]  # nothing left beside


def test_an_admin_lists_reviews_and_purges_the_records(
        refunded: tuple[int, int], data_dir: Path) -> None:
    _, customer_id = refunded
    sagwa("refunds", "list", "--format", "csv", "--reason", "batch")
    sagwa("refunds", "list", "--format", "csv", "--reason", "이체", "--actor", "lee")
    listed = sagwa("access", "list", "--customer", str(customer_id), "--format", "json")
    assert listed.exit_code == 0, listed.output
    body = json.loads(listed.stdout)
    assert list(body) == ["records", "more"]
    assert list(body["records"][0]) == ["id", "at", "account", "role", "client", "request_id",
                                        "action", "what", "customer_ids", "case_ids",
                                        "results", "reason"]
    assert all(customer_id in r["customer_ids"] for r in body["records"])
    rows = list(csv.DictReader(io.StringIO(sagwa("access", "list", "--action", "export",
                                                 "--format", "csv").stdout)))
    assert rows and {r["action"] for r in rows} == {"export"}
    assert "export" in sagwa("access", "list", "--account", "cli").stdout
    # none found: said Korean first, and that an account is matched by its exact name
    none = sagwa("access", "list", "--account", "nobody").stdout
    assert "조건에 맞는 접속기록이 없습니다" in none and "matched exactly" in none
    [(month,)] = query(data_dir, "SELECT to_char(now() AT TIME ZONE 'Asia/Seoul', 'YYYY-MM')")
    review = sagwa("access", "review", "--month", str(month), "--format", "json")
    assert review.exit_code == 0, review.output
    by_account = {a["account"]: a for a in json.loads(review.stdout)["accounts"]}
    assert by_account["lee"]["actions"]["export"] >= 1 and by_account["lee"]["customers"] >= 1
    assert "batch" in [e["reason"] for e in by_account["cli"]["exports"]]
    table = sagwa("access", "review", "--month", str(month))
    assert table.exit_code == 0 and "lee" in table.stdout
    recent = sagwa("access", "purge", "--before", "2099-01-01", "--format", "json")
    assert recent.exit_code == 2
    assert json.loads(recent.stdout)["details"]["reason"] == "purge_too_recent"
    purged = sagwa("access", "purge", "--before", "2001-01-01", "--actor", "kim")
    assert purged.exit_code == 0, purged.output
    assert _records(data_dir)[-1][:4] == ("kim", "admin", LOGIN, "purge")


def test_only_an_admin_may_read_the_records(refunded: tuple[int, int]) -> None:
    refused = sagwa("access", "list", "--actor", "lee", "--format", "json")
    assert refused.exit_code == 2
    assert json.loads(refused.stdout)["details"]["reason"] == "actor_role_not_allowed"
    assert sagwa("access", "review", "--month", "2026-13").exit_code == 2


def _purge(before: date, **env: str) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(app, ["access", "purge", "--before", before.isoformat(),
                                    "--format", "json"], env={
        "COLUMNS": "200", "SAGWA_SECRET_KEY": os.environ["SAGWA_SECRET_KEY"], **env})


def test_a_purge_keeps_the_years_the_setting_says_two_by_default(data_dir: Path) -> None:
    """A day 18 months back: refused under the default two years, naming the setting and the
    latest day it takes; taken once ``SAGWA_ACCESS_RECORDS_KEEP_YEARS=1``."""
    today = datetime.now(SEOUL).date()
    before = year_before(today, 1) - timedelta(days=180)
    refused = _purge(before)
    # the command reads its own clock: its day in Korea is the one read before the call or the
    # one read after it (two days only for a run across 0시 KST)
    days = {today, datetime.now(SEOUL).date()}
    assert refused.exit_code == 2, refused.output
    said = json.loads(refused.stdout)["details"]
    assert (said["reason"], said["setting"], said["keep_years"]) == (
        "purge_too_recent", "SAGWA_ACCESS_RECORDS_KEEP_YEARS", 2)
    assert said["latest_before"] in {year_before(day, 2).isoformat() for day in days}
    taken = _purge(before, SAGWA_ACCESS_RECORDS_KEEP_YEARS="1")
    assert taken.exit_code == 0, taken.output
    assert json.loads(taken.stdout)["before"] == before.isoformat()
