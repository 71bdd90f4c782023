"""``sagwa refunds list`` and ``sagwa refunds mark-paid``: a customer's cancellation leaves its
refunds owed (a table, CSV with a header, JSON with stable keys) until someone marks one paid
from the terminal; marking it again, an unknown refund and a payment time that cannot be right
are refused with their reasons, and the audit log still verifies."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from sqlalchemy import create_engine, text
from test_cli_incident import flat
from test_cli_incident_money import _chooses, _planned
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.cli.refunds import CSV_COLUMNS, PROGRESS_FROM, progress_bar
from sagwa.config import get_settings
from sagwa.testing.embedded import fresh_data_dir, query, start_embedded

pytestmark = pytest.mark.e2e
SEOUL = ZoneInfo("Asia/Seoul")
KEYS = ["id", "case_id", "order_id", "customer_id", "amount_minor", "currency", "cancelled_at",
        "due_by", "status", "overdue", "paid_at", "paid_reference", "paid_by"]


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    # the key the suite's own processes sign the audit log with (tests/conftest.py)
    return CliRunner().invoke(app, list(args), env={
        "COLUMNS": "200", "SAGWA_SECRET_KEY": os.environ["SAGWA_SECRET_KEY"]})


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgr") as path:
        yield path


@pytest.fixture(scope="module")
def cancelled(data_dir: Path) -> tuple[int, int]:
    """The demo data's busiest listing in a planned incident; its first and last cases'
    customers cancelled with compensation. (the first case's id, how many orders both had)."""
    seeded = sagwa("seed", "demo", "--customers", "6", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    [(listing_id,)] = query(data_dir, "SELECT listing_id FROM orders GROUP BY listing_id "
                                      "ORDER BY count(*) DESC, listing_id LIMIT 1")
    incident_id = _planned(data_dir, int(listing_id))
    [(case_id, last)] = query(data_dir, "SELECT min(id), max(id) FROM cases "
                                        f"WHERE incident_id = {incident_id}")
    assert sagwa("refunds", "list").stdout.strip() == "no refund is owed"
    _chooses(data_dir, int(case_id))
    _chooses(data_dir, int(last))
    [(orders,)] = query(data_dir, "SELECT count(*) FROM case_orders "
                                  f"WHERE case_id IN ({case_id}, {last})")
    return int(case_id), int(orders)


def test_the_refunds_owed_are_listed_as_a_table_csv_and_json(cancelled: tuple[int, int]) -> None:
    case_id, orders = cancelled
    listed = sagwa("refunds", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert list(data) == ["status", "now", "total", "next_after", "refunds", "amount_totals",
                          "paid_from", "paid_to"]
    assert (data["status"], data["total"]) == ("owed", orders)
    # what they all come to, for finance: not a count
    assert data["amount_totals"] == [{"currency": "KRW", "amount_minor": sum(
        r["amount_minor"] for r in data["refunds"])}]
    assert all(list(r) == ["refund_id", *KEYS[1:], "incident_id", "customer_name", "seller_id"]
               for r in data["refunds"])
    assert {(r["status"], r["overdue"]) for r in data["refunds"]} == {("owed", False)}
    assert data["refunds"][0]["case_id"] == case_id
    table = flat(sagwa("refunds", "list").stdout)
    assert f"#{case_id}" in table and "owed" in table and "KRW" in table
    assert f"total ({orders})" in table
    rows = list(csv.DictReader(io.StringIO(sagwa("refunds", "list", "--format", "csv",
                                                 "--reason", "환불 이체").stdout)))
    assert len(rows) == orders and list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["status"] == "owed" and rows[0]["paid_at"] == ""
    assert sagwa("refunds", "list", "--status", "overdue").stdout.strip() == (
        "no refund is overdue")


def test_a_refund_is_marked_paid_once_from_the_terminal(cancelled: tuple[int, int]) -> None:
    owed = json.loads(sagwa("refunds", "list", "--format", "json").stdout)["refunds"][0]
    refund_id, cancelled_at = owed["refund_id"], owed["cancelled_at"]
    # paid the day it was cancelled, as a bank statement says it (a day, no time): it was
    # read as that day's midnight and refused as paid before the cancellation
    paid = sagwa("refunds", "mark-paid", str(refund_id), "--reference", "KB 0219-77",
                 "--paid-at", cancelled_at[:10], "--format", "json")
    assert paid.exit_code == 0, paid.output
    done = json.loads(paid.stdout)
    assert (done["refund_id"], done["status"], done["paid_reference"]) == (refund_id, "paid",
                                                                    "KB 0219-77")
    assert done["paid_at"] == cancelled_at  # that day, no earlier than the cancellation
    assert done["paid_by"].startswith("cli (os user ")
    again = sagwa("refunds", "mark-paid", str(refund_id), "--reference", "KB 0219-78",
                  "--format", "json")
    assert again.exit_code == 1
    refused = json.loads(again.stdout)
    assert refused["details"]["reason"] == "refund_already_paid"
    assert "already marked paid" in refused["message"] and "cli (os user" in refused["message"]
    paid_list = json.loads(sagwa("refunds", "list", "--status", "paid", "--format",
                                 "json").stdout)
    assert refund_id in [r["refund_id"] for r in paid_list["refunds"]]  # (another test may pay one)
    assert sagwa("audit", "verify").exit_code == 0


@pytest.mark.parametrize(("args", "status", "reason"), [
    (("999999", "--reference", "KB-1"), 1, "refund_not_found"),
    (("{id}", "--reference", "KB-1", "--paid-at", "2199-01-01T00:00"), 2,
     "refund_paid_at_future"),
    (("{id}", "--reference", "KB-1", "--paid-at", "2001-01-01T09:00+09:00"), 2,
     "refund_paid_before_cancellation"),
    (("{id}", "--reference", "  "), 2, "refund_reference_required"),
])  # fmt: skip
def test_marking_paid_is_refused_with_its_reason(cancelled: tuple[int, int],
                                                 args: tuple[str, ...], status: int,
                                                 reason: str) -> None:
    owed = json.loads(sagwa("refunds", "list", "--format", "json").stdout)["refunds"]
    given = [a.format(id=owed[-1]["refund_id"]) for a in args]
    result = sagwa("refunds", "mark-paid", *given, "--format", "json")
    assert result.exit_code == status, result.output
    assert json.loads(result.stdout)["details"]["reason"] == reason
    after = json.loads(sagwa("refunds", "list", "--format", "json").stdout)["refunds"]
    assert [r["refund_id"] for r in after] == [r["refund_id"] for r in owed]


# finance's bank batches: a payments file (as Excel saves it) and, after an upgrade, every
# refund recorded before a day


@pytest.fixture(scope="module")
def more_owed(cancelled: tuple[int, int], data_dir: Path) -> None:
    """The customers of the next busiest listings cancel too: refunds enough for batches."""
    for (listing_id,) in query(data_dir, "SELECT listing_id FROM orders WHERE listing_id NOT IN "
                                         "(SELECT listing_id FROM incident_listings) GROUP BY listing_id "
                                         "ORDER BY count(*) DESC, listing_id LIMIT 2"):
        incident_id = _planned(data_dir, int(listing_id))
        for (case_id,) in query(data_dir, "SELECT id FROM cases WHERE incident_id = "
                                          f"{incident_id} ORDER BY id"):
            _chooses(data_dir, int(case_id))
    assert len(_owed()) >= 4


def _owed() -> list[dict]:  # type: ignore[type-arg]
    return json.loads(sagwa("refunds", "list", "--format", "json").stdout)["refunds"]


def _excel_csv(path: Path, *rows: str) -> Path:
    """A CSV as Excel writes it: UTF-8 with a BOM, CRLF line ends."""
    path.write_bytes("\r\n".join(["refund_id,reference,paid_at", *rows, ""]).encode("utf-8-sig"))
    return path


def test_a_bank_batch_is_marked_paid_from_a_file_all_at_once(
        more_owed: None, data_dir: Path, tmp_path: Path) -> None:
    first, second = _owed()[:2]
    batch = _excel_csv(tmp_path / "batch.csv", f"{first['refund_id']},KB 이체 0001,",
                       f"{second['refund_id']},KB 이체 0002,{second['cancelled_at']}")
    paid = sagwa("refunds", "mark-paid", "--from-file", str(batch), "--format", "json")
    assert paid.exit_code == 0, paid.output
    done = json.loads(paid.stdout)
    assert (done["dry_run"], done["count"]) == (False, 2)
    assert done["totals"] == [{"currency": "KRW",
                               "amount_minor": first["amount_minor"] + second["amount_minor"]}]
    assert [(r["refund_id"], r["status"], r["paid_reference"]) for r in done["refunds"]] == [
        (first["refund_id"], "paid", "KB 이체 0001"),
        (second["refund_id"], "paid", "KB 이체 0002")]
    assert done["refunds"][1]["paid_at"] == second["cancelled_at"]
    assert done["customers_told"] == 2  # each customer is sent a note that it was paid
    [(notes,)] = query(data_dir, "SELECT count(*) FROM outbox WHERE purpose = 'refund_paid' "
                       "AND idempotency_key LIKE ANY (ARRAY["
                       f"'%:refund_paid:{first['refund_id']}', "
                       f"'%:refund_paid:{second['refund_id']}'])")
    assert notes == 2
    assert {first["refund_id"], second["refund_id"]}.isdisjoint(r["refund_id"] for r in _owed())
    [(records,)] = query(data_dir, "SELECT count(*) FROM audit_log WHERE action = "
                         f"'case.refund_paid' AND (after->>'refund_id')::int IN "
                         f"({first['refund_id']}, {second['refund_id']})")
    assert records == 2
    third = _owed()[0]
    table = sagwa("refunds", "mark-paid", "--from-file",
                  str(_excel_csv(tmp_path / "one.csv", f"{third['refund_id']},KB 0003,")))
    assert table.exit_code == 0, table.output
    assert "1 refund marked paid" in flat(table.stdout) and "KRW" in table.stdout
    assert "customers told their refund was paid: 1 of 1" in flat(table.stdout)
    assert sagwa("audit", "verify").exit_code == 0


def test_a_batch_with_bad_rows_is_refused_line_by_line_and_marks_nothing(
        more_owed: None, tmp_path: Path) -> None:
    paid_list = json.loads(sagwa("refunds", "list", "--status", "paid", "--format",
                                 "json").stdout)["refunds"]
    if not paid_list:  # run before the tests that pay one (the order is random): pay one
        last = _owed()[-1]["refund_id"]
        assert sagwa("refunds", "mark-paid", str(last), "--reference", "KB-0").exit_code == 0
        paid_list = json.loads(sagwa("refunds", "list", "--status", "paid", "--format",
                                     "json").stdout)["refunds"]
    paid = paid_list[0]
    owed = _owed()
    ok, other = owed[0]["refund_id"], owed[1]["refund_id"]
    batch = _excel_csv(tmp_path / "bad.csv", f"{ok},KB-1,", "999999,KB-2,", f"{ok},KB-3,",
                       f"{paid['refund_id']},KB-4,", f"{other},KB-5,2199-01-01T00:00", "",
                       f"{other},  ,")
    refused = sagwa("refunds", "mark-paid", "--from-file", str(batch), "--format", "json")
    assert refused.exit_code == 2, refused.output
    details = json.loads(refused.stdout)["details"]
    assert details["reason"] == "refund_file_refused"
    assert [(r["line"], r["reason"]) for r in details["rows"]] == [
        (3, "refund_not_found"), (4, "refund_listed_twice"), (5, "refund_already_paid"),
        (6, "refund_paid_at_future"), (8, "refund_listed_twice")]
    assert [r["refund_id"] for r in _owed()] == [r["refund_id"] for r in owed]
    told = sagwa("refunds", "mark-paid", "--from-file", str(batch))
    assert told.exit_code == 2 and "line 6" in flat(told.stderr)


def test_the_lists_csv_with_a_reference_column_added_is_taken_as_a_payments_file(
        more_owed: None, tmp_path: Path) -> None:
    """Checked with --dry-run, so that the refunds stay owed for the last test."""
    listed = list(csv.DictReader(io.StringIO(sagwa("refunds", "list", "--format",
                                                   "csv", "--reason", "환불 이체").stdout)))
    assert listed and next(iter(listed[0])) == "refund_id"
    out = io.StringIO()
    writer = csv.DictWriter(out, [*listed[0], "reference"])
    writer.writeheader()
    writer.writerows({**row, "reference": f"KB 이체 {n}"} for n, row in enumerate(listed))
    batch = tmp_path / "from_list.csv"
    batch.write_text(out.getvalue(), encoding="utf-8")
    checked = sagwa("refunds", "mark-paid", "--from-file", str(batch), "--dry-run",
                    "--format", "json")
    assert checked.exit_code == 0, checked.output
    would = json.loads(checked.stdout)
    assert [str(r["refund_id"]) for r in would["refunds"]] == [row["refund_id"] for row in listed]
    # a file headed `id` (as the list's CSV was before it said refund_id) is read the same way
    old = tmp_path / "old.csv"
    old.write_text(f"id,reference\n{listed[0]['refund_id']},KB 이체 old\n", encoding="utf-8")
    again = sagwa("refunds", "mark-paid", "--from-file", str(old), "--dry-run", "--format",
                  "json")
    assert again.exit_code == 0, again.output
    assert [r["refund_id"] for r in json.loads(again.stdout)["refunds"]] == [
        int(listed[0]["refund_id"])]
    # for Excel (a finance walk: Hangul names garbled without a byte-order mark): the same CSV
    # after the mark, and a file Excel saves with it is read back the same way
    excel = sagwa("refunds", "list", "--format", "csv", "--excel", "--reason",
                  "환불 이체").stdout
    assert excel.startswith("\ufeffrefund_id,") and excel[1:] == sagwa(
        "refunds", "list", "--format", "csv", "--reason", "환불 이체").stdout
    saved = tmp_path / "saved_by_excel.csv"
    rows = list(csv.DictReader(io.StringIO(excel[1:])))
    out = io.StringIO()
    writer = csv.DictWriter(out, [*rows[0], "reference"])
    writer.writeheader()
    writer.writerows({**row, "reference": f"KB {n}"} for n, row in enumerate(rows))
    saved.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    read = sagwa("refunds", "mark-paid", "--from-file", str(saved), "--dry-run", "--format",
                 "json")
    assert read.exit_code == 0, read.output
    assert len(json.loads(read.stdout)["refunds"]) == len(rows)
    refused = sagwa("refunds", "list", "--format", "json", "--excel")
    assert refused.exit_code == 2 and "--excel is for --format csv" in flat(refused.output)


def test_a_batch_saying_another_amount_or_currency_than_sagwa_recorded_marks_nothing(
        more_owed: None, tmp_path: Path) -> None:
    """The list's own columns fed back: each row's amount_minor and currency must be its
    refund's; a row saying another, or leaving one empty, refuses the batch with its line."""
    owed = _owed()
    first, second = owed[:2]
    assert second["currency"] == "KRW"
    batch = tmp_path / "amounts.csv"
    batch.write_text(
        "refund_id,amount_minor,currency,reference,paid_at\n"
        f"{first['refund_id']},{first['amount_minor']},,B-1,\n"
        f"{second['refund_id']},{second['amount_minor'] * 10},USD,B-2,\n", encoding="utf-8")
    for dry_run in (("--dry-run",), ()):
        refused = sagwa("refunds", "mark-paid", "--from-file", str(batch), *dry_run,
                        "--format", "json")
        assert refused.exit_code == 2, refused.output
        details = json.loads(refused.stdout)["details"]
        assert [(r["line"], r["reason"]) for r in details["rows"]] == [
            (2, "refund_amount_blank"), (3, "refund_amount_differs")]
        assert _owed() == owed
    told = flat(sagwa("refunds", "mark-paid", "--from-file", str(batch)).stderr)
    assert f"line 2: refund {first['refund_id']}'s currency is empty in the file" in told
    recorded = f"{second['amount_minor']:,} KRW"
    assert (f"line 3: refund {second['refund_id']} is {recorded} (amount_minor "
            f"{second['amount_minor']}, currency KRW), the file says ") in told
    assert f"(amount_minor {second['amount_minor'] * 10}, currency USD)" in told


@pytest.mark.parametrize(("args", "reason"), [
    (("--reference", "KB-1"), "refund_target_missing"),
    (("1", "--from-file", "{file}"), "refund_targets_conflict"),
    (("--from-file", "{file}", "--recorded-before", "2001-01-01", "--reference", "x"),
     "refund_targets_conflict"),
    (("--from-file", "{file}", "--reference", "KB-1"), "refund_option_unused"),
    (("1", "--reference", "KB-1", "--dry-run"), "refund_option_unused"),
    (("--recorded-before", "2001-01-01"), "refund_reference_required"),
    (("--recorded-before", "2199-01-01", "--reference", "x"), "refund_recorded_before_future"),
    (("--recorded-before", "yesterday", "--reference", "x"), "date_malformed"),
    (("--from-file", "{empty}"), "refund_file_empty"),
    (("--from-file", "{columns}"), "refund_file_columns"),
])  # fmt: skip
def test_a_batch_asked_for_wrongly_is_refused_with_its_reason(
        cancelled: tuple[int, int], tmp_path: Path, args: tuple[str, ...], reason: str) -> None:
    files = {"file": _excel_csv(tmp_path / "f.csv", "1,KB-1,"),
             "empty": _excel_csv(tmp_path / "e.csv")}
    files["columns"] = tmp_path / "c.csv"
    files["columns"].write_text("id,ref\n1,KB-1\n", encoding="utf-8")
    owed = _owed()
    result = sagwa("refunds", "mark-paid", *(a.format(**files) for a in args), "--format", "json")
    assert result.exit_code == 2, result.output
    assert json.loads(result.stdout)["details"]["reason"] == reason
    assert _owed() == owed


def test_refunds_recorded_before_a_day_are_marked_paid_now_after_a_dry_run(
        cancelled: tuple[int, int], data_dir: Path) -> None:
    """Last in this module: only the refunds the upgrade backfilled are marked; one the desk
    recorded since stays owed, cancelled before the day or not."""
    helped = flat(sagwa("refunds", "mark-paid", "--help").stdout)
    assert "the moment the command runs" in helped
    assert "recorded before sagwa tracked refunds" in helped
    everyone = _owed()
    assert len(everyone) >= 2
    live = everyone[-1]["refund_id"]
    engine = create_engine(start_embedded(data_dir / "pg"))
    with engine.begin() as conn:  # as if cancelled ten days ago, all but the last backfilled
        conn.execute(text("UPDATE refunds SET cancelled_at = cancelled_at - interval '10 days'"))
        conn.execute(text("UPDATE refunds SET backfilled = true WHERE paid_at IS NULL "
                          "AND id <> :live"), {"live": live})
    engine.dispose()
    listed = _owed()
    owed = [r for r in listed if r["refund_id"] != live]
    today = datetime.now(SEOUL).date().isoformat()
    dry = sagwa("refunds", "mark-paid", "--recorded-before", today, "--reference",
                "paid outside sagwa before 0.23", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    would = json.loads(dry.stdout)
    assert (would["dry_run"], would["count"]) == (True, len(owed))
    assert {r["status"] for r in would["refunds"]} == {"owed"}
    assert _owed() == listed
    done = sagwa("refunds", "mark-paid", "--recorded-before", today, "--reference",
                 "paid outside sagwa before 0.23")
    assert done.exit_code == 0, done.output
    told = flat(done.stdout)
    noun = "refund" if len(owed) == 1 else "refunds"
    assert f"{len(owed)} {noun} recorded before sagwa tracked refunds marked paid" in told
    assert [r["refund_id"] for r in _owed()] == [live]
    assert sagwa("audit", "verify").exit_code == 0


@pytest.mark.parametrize(("total", "shown"), [(PROGRESS_FROM - 1, False), (PROGRESS_FROM, True)])
def test_a_long_batch_shows_a_progress_bar_on_a_terminal(total: int, shown: bool) -> None:
    out = io.StringIO()
    with progress_bar(total, Console(file=out, force_terminal=True, width=100)) as told:
        for done in range(1, total + 1):
            told(done, total)
    assert ("marking refunds paid" in out.getvalue()) is shown
