"""The sellers' emails queued by ``sagwa incident`` commands link to their page at the public
address, as the customers' links do: ``SAGWA_PUBLIC_BASE_URL``, or unset
``http://SAGWA_HOST:SAGWA_PORT`` — never the bare path ``/seller/incidents/1``, which a walkthrough
found after ``declare`` and ``difference-paid`` while ``notify``'s email had
``http://127.0.0.1:8263/…``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_desk import seller_types_the_wrong_price
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner, Result

from sagwa.adapters.embedded_pg import start_embedded
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.services.desk_cases import record_choice
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after
from sagwa.testing.embedded import fresh_data_dir, query
from sagwa.testing.ports import free_port

pytestmark = pytest.mark.e2e
PORT = free_port()  # nothing need answer there: only ``notify`` asks a derived address


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), env={
        "COLUMNS": "200", "SAGWA_PUBLIC_BASE_URL": None, "SAGWA_HOST": "127.0.0.1",
        "SAGWA_PORT": str(PORT)})


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgl") as path:
        yield path


def _discount_taken(data_dir: Path, case_id: int) -> None:
    engine = create_engine(start_embedded(data_dir / "pg"))
    try:
        record_choice(SqlAlchemyUnitOfWork(sessionmaker(bind=engine)), case_id=case_id,
                      choice="buy_at_correct_price_discount", channel="phone",
                      evidence="the discount, please", taken_by="agent-kim",
                      policy=load_desk_policy(get_settings().desk_policy))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def paid(data_dir: Path) -> int:
    """Declared, scoped and planned by the CLI (20% off among the options); a customer took
    the discount and ``difference-paid`` recorded their payment. The incident's id."""
    assert sagwa("seed", "demo", "--products", "40", "--customers", "6", "--orders", "12", "--json").exit_code == 0
    [(listing_id, opened)] = query(
        data_dir, "SELECT l.id, l.created_at FROM listings l WHERE l.id = (SELECT listing_id "
                  "FROM orders GROUP BY listing_id ORDER BY count(*) DESC, listing_id LIMIT 1)")
    seller_types_the_wrong_price(data_dir, listing_id)
    declared = sagwa("incident", "declare", "--listing", str(listing_id), "--wrong-price",
                     "19900", "--correct-price", "199000", "--window-start", opened.isoformat(),
                     "--cause", "a zero dropped", "--responsible", "seller", "--format", "json")
    assert declared.exit_code == 0, declared.output
    incident_id = int(json.loads(declared.stdout)["incident_id"])
    assert sagwa("incident", "scope", str(incident_id)).exit_code == 0
    planned = sagwa("incident", "plan", str(incident_id), "--option", "keep", "--option",
                    "buy_at_correct_price_discount", "--discount", "20", "--seller-share", "70",
                    "--platform-share", "30", "--deadline",
                    closing_time_after(datetime.now(UTC) + timedelta(days=7)).isoformat())
    assert planned.exit_code == 0, planned.output
    [(case_id,)] = query(data_dir, f"SELECT min(id) FROM cases WHERE incident_id = {incident_id}")
    _discount_taken(data_dir, case_id)
    done = sagwa("incident", "difference-paid", str(case_id), "--note", "receipt 0613-42",
                 "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["sellers_told"] == 1
    return incident_id


def test_the_sellers_emails_from_commands_link_to_their_page_at_the_public_address(
        data_dir: Path, paid: int) -> None:
    # keyed incident:<id>:seller:<id>:<step>[:case:<id>]
    emails = {str(key).split(":")[4]: str(body) for key, body in query(
        data_dir, "SELECT idempotency_key, body FROM outbox "
                  f"WHERE incident_id = {paid} AND purpose = 'seller_incident'")}
    assert set(emails) == {"declared", "difference_paid"}
    page = f"http://127.0.0.1:{PORT}/seller/incidents/{paid}"
    for body in emails.values():
        korean, english = body.split("— English —")
        assert page in korean and page in english
        # every mention of the page is the whole link, none a path on its own
        assert "/seller/incidents/" not in body.replace(page, ""), body
