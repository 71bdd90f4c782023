"""``sagwa customers export|erase`` and ``sagwa retention plan|run`` from the terminal, on the
embedded database with demo data: a customer's copy (a reason required, an access record
written), erasure refused while the law keeps the data (naming it and until when), and the
customers no law keeps erased by the daily run — each on the audit log and the access
records, the audit log still verifying."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner, Result

from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.moments import SEOUL
from sagwa.testing.embedded import fresh_data_dir, query, start_embedded

pytestmark = pytest.mark.e2e


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), env={
        "COLUMNS": "200", "SAGWA_SECRET_KEY": os.environ["SAGWA_SECRET_KEY"]})


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgp") as path:
        seeded = sagwa("seed", "demo", "--products", "40", "--customers", "8", "--orders", "4",
                       "--json")
        assert seeded.exit_code == 0, seeded.output
        yield path


def _ordered(data_dir: Path) -> int:
    [(customer,)] = query(data_dir, "SELECT min(customer_id) FROM orders")
    return int(customer)


def test_a_customers_copy_needs_a_reason_and_is_recorded(data_dir: Path, tmp_path: Path) -> None:
    customer = _ordered(data_dir)
    refused = sagwa("customers", "export", "--customer", str(customer))
    assert refused.exit_code == 2 and "reason" in refused.output
    assert "까닭을 적어 주십시오" in refused.output  # Korean first (was English only)
    out = tmp_path / "copy.json"
    made = sagwa("customers", "export", "--customer", str(customer), "--reason",
                 "고객 전화 요청 12-06", "--out", str(out))
    assert made.exit_code == 0, made.output
    copy = json.loads(out.read_text(encoding="utf-8"))
    [(name, email)] = query(data_dir, f"SELECT name, email FROM customers WHERE id = {customer}")
    assert (copy["customer"]["name"], copy["customer"]["email"]) == (name, email)
    assert copy["orders"] and copy["about"]["ko"].startswith("sagwa가 보관 중인")
    [(action, customers, reason)] = query(
        data_dir, "SELECT action, customer_ids, reason FROM access_records "
                  "WHERE what LIKE 'sagwa customers export%'")
    assert (action, list(customers), reason) == ("export", [customer], "고객 전화 요청 12-06")
    missing = sagwa("customers", "export", "--customer", "99999", "--reason", "x", "--out",
                    str(tmp_path / "none.json"))
    assert missing.exit_code == 1 and not (tmp_path / "none.json").exists()
    assert "고객 99999번이 없습니다" in missing.output


def test_erasing_a_customer_the_law_keeps_is_refused_with_the_law_and_the_date(
        data_dir: Path) -> None:
    customer = _ordered(data_dir)
    refused = sagwa("customers", "erase", "--customer", str(customer), "--format", "json")
    assert refused.exit_code == 1
    said = json.loads(refused.stdout.strip().splitlines()[-1])
    assert said["details"]["reason"] == "retention_hold"
    assert "계약에 관한 기록(주문)" in said["message"]
    assert "전자상거래법 시행령 제6조" in said["message"]
    [(name,)] = query(data_dir, f"SELECT name FROM customers WHERE id = {customer}")
    assert name  # nothing erased


def test_a_refused_request_is_recorded_once_answered_and_listed_by_the_plan(
        data_dir: Path) -> None:
    [(customer,)] = query(data_dir, "SELECT max(customer_id) FROM orders")
    refused = sagwa("customers", "erase", "--customer", str(customer), "--actor", "admin")
    assert refused.exit_code == 1  # still refused, as before
    assert "삭제 요청을 기록했습니다" in refused.output and "recorded" in refused.output
    # the answer staff send the customer, printed in full: reasons, the date, how to object
    assert "고객님께서" in refused.output and "전자상거래법 시행령 제6조" in refused.output
    assert "1833-6972" in refused.output and "privacy officer" in refused.output
    # the packaged desk policy names no privacy officer: the letter names nobody made up
    assert "보호책임자에게" in refused.output and "privacy officer, or" in refused.output
    again = sagwa("customers", "erase", "--customer", str(customer), "--actor", "admin",
                  "--format", "json")
    said = json.loads(again.stdout.strip().splitlines()[-1])
    assert said["details"]["reason"] == "retention_hold"
    assert said["details"]["recorded_again"] is True
    assert "118" in said["details"]["answer"]["ko"] and said["details"]["answer_by"]
    [(count, by, erase_from)] = query(data_dir, (
        "SELECT count(*), min(requested_by), min(erase_from) FROM erasure_requests "
        f"WHERE customer_id = {customer} AND done_at IS NULL"))
    assert count == 1 and "admin" in by and erase_from is not None
    plan = json.loads(sagwa("retention", "plan", "--format", "json").stdout)
    [listed] = [r for r in plan["requests"] if r["customer_id"] == customer]
    assert listed["erase_from"] == said["details"]["erase_from"] and listed["due"] is False
    assert plan["requests_pending"] >= 1 and customer not in plan["requests_due_ids"]
    shown = sagwa("retention", "plan")
    assert f"{customer}" in shown.output and said["details"]["erase_from"] in shown.output
    # and the day its answer was due by, for the officer to check it was sent
    assert listed["answer_by"] == said["details"]["answer_by"]
    assert f"답변 기한 {listed['answer_by']}" in shown.output


def test_a_request_received_earlier_is_answered_as_overdue_once_its_ten_days_passed(
        data_dir: Path) -> None:
    [(customer,)] = query(data_dir, "SELECT customer_id FROM orders GROUP BY 1 ORDER BY 1 "
                                    "OFFSET 1 LIMIT 1")
    asked = datetime.now(SEOUL).date() - timedelta(days=12)
    malformed = sagwa("customers", "erase", "--customer", str(customer), "--asked-on", "어제")
    assert malformed.exit_code == 2 and "is not a day like" in malformed.output
    not_asked = sagwa("customers", "erase", "--customer", str(customer), "--reason",
                      "retention", "--asked-on", asked.isoformat())
    assert not_asked.exit_code == 2 and "--reason request" in not_asked.output
    refused = sagwa("customers", "erase", "--customer", str(customer), "--asked-on",
                    asked.isoformat())
    assert refused.exit_code == 1
    due = (asked + timedelta(days=10)).isoformat()
    assert f"고객에게 오늘 보낼 답변 (기한 {due} 지남" in refused.output
    assert f"{asked.isoformat()}에 요청하신" in refused.output
    [(requested_at, what)] = query(data_dir, (
        "SELECT r.requested_at, a.what FROM erasure_requests r JOIN access_records a ON "
        f"a.customer_ids = ARRAY[r.customer_id] WHERE r.customer_id = {customer} AND "
        "a.what LIKE 'sagwa customers erase%'"))
    assert requested_at.astimezone(SEOUL).date() == asked
    assert what.endswith(f"--asked-on {asked.isoformat()}")


def test_an_erasure_whose_access_record_cannot_be_written_erases_nothing(
        data_dir: Path) -> None:
    """The erasure and its access record commit together: when the record cannot be written
    the customer is not erased (and can be, once it can); before, the data was gone and the
    command failed after, unrecorded."""
    [(customer,)] = query(data_dir, (
        "SELECT min(id) FROM customers c WHERE erased_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM orders o WHERE o.customer_id = c.id)"))
    engine = create_engine(start_embedded(data_dir / "pg"))
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE FUNCTION no_access_record() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'access records are down'; END $$; "
            "CREATE TRIGGER no_access_record BEFORE INSERT ON access_records "
            "FOR EACH ROW EXECUTE FUNCTION no_access_record()"))
    try:
        failed = sagwa("customers", "erase", "--customer", str(customer))
        assert failed.exit_code != 0
        [(erased_at,)] = query(data_dir, f"SELECT erased_at FROM customers WHERE id = {customer}")
        assert erased_at is None
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER no_access_record ON access_records; "
                              "DROP FUNCTION no_access_record()"))
        engine.dispose()
    done = sagwa("customers", "erase", "--customer", str(customer))
    assert done.exit_code == 0, done.output
    # when, in Korea time as every time the privacy commands print (was UTC: +00:00)
    assert "+09:00" in done.output and "+00:00" not in done.output
    # and the letter telling the customer it was done, below the table (시행령 제43조)
    assert "고객에게" in done.output and "시행령 제43조" in done.output
    assert "요청하신 개인정보 삭제를" in done.output and "We deleted your personal data" in done.output
    assert "보낼 곳" in done.output and "@" in done.output  # where, as before the erasure
    assert query(data_dir, "SELECT action, customer_ids FROM access_records WHERE what = "
                           f"'sagwa customers erase --customer {customer} --reason request'"
                 ) == [("change", [customer])]


def test_the_run_erases_only_customers_no_law_keeps(data_dir: Path) -> None:
    never = {int(c) for (c,) in query(data_dir, (
        "SELECT id FROM customers c WHERE erased_at IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM orders o WHERE o.customer_id = c.id)"))}
    assert never  # the demo registers customers who have not ordered yet
    erased_before = {int(c) for (c,) in query(data_dir, "SELECT id FROM customers WHERE "
                                                         "erased_at IS NOT NULL")}
    plan = sagwa("retention", "plan", "--format", "json")
    assert plan.exit_code == 0, plan.output
    assert set(json.loads(plan.stdout)["due_ids"]) == never
    run = sagwa("retention", "run", "--format", "json")
    assert run.exit_code == 0, run.output
    assert set(json.loads(run.stdout)["customer_ids"]) == never
    # a letter for each customer whose request it carried out (none asked here: the law
    # still keeps those who did)
    assert json.loads(run.stdout)["answers"] == []
    erased = {int(c) for (c,) in query(data_dir, "SELECT id FROM customers WHERE erased_at "
                                                 "IS NOT NULL AND name = '' AND email IS NULL")}
    assert erased - erased_before == never
    assert json.loads(sagwa("retention", "plan", "--format", "json").stdout)["due"] == 0
    again = sagwa("customers", "erase", "--customer", str(min(never)), "--format", "json")
    assert again.exit_code == 1 and "customer_erased" in again.stdout
    # one record a customer, each written by the commit that erased them
    recorded = [list(c) for (c,) in query(data_dir, "SELECT customer_ids FROM access_records "
                                                   "WHERE what = 'sagwa retention run'")]
    assert sorted(recorded) == [[c] for c in sorted(never)]
    verified = sagwa("audit", "verify", "--json")
    assert verified.exit_code == 0, verified.output
