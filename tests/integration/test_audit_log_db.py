"""The audit log in PostgreSQL: verified after real use, tampering found by service and CLI."""

import json
from collections.abc import Callable, Iterator

import pytest
from ipod_listing_and_customer import ipod_listing_and_customer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from sagwa.adapters.db.database import Database
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.money import Money
from sagwa.errors import Conflict
from sagwa.services import audit, catalog, listings, orders, points
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]


def _trade(uow: Uow) -> None:
    """A little of everything that writes audit records."""
    seller_id, listing_id, customer_id = ipod_listing_and_customer(uow)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(19900, "KRW"),
                                  proposed_by="seller:haneul")
    orders.place_order(uow(), customer_id=customer_id, listing_id=listing_id, quantity=2, actor="t")
    receipt = points.credit_customer_points(uow(), customer_id=customer_id, points=3000,
                                            memo="사과", actor="t", seller_id=seller_id,
                                            seller_share_pct=50)
    points.reverse_entry(uow(), entry_id=receipt.entry_id, memo="m", actor="t")


def test_audit_log_verifies_after_several_services(uow: Uow) -> None:
    _trade(uow)
    verdict = audit.verify_audit_log(uow())
    assert verdict.ok, verdict.reason
    assert verdict.checked == 9


def test_audit_sequence_has_no_gaps_after_a_refused_command(uow: Uow) -> None:
    catalog.register_seller(uow(), code="one", name="하나", actor="t")
    with pytest.raises(Conflict):
        catalog.register_seller(uow(), code="one", name="둘", actor="t")
    catalog.register_seller(uow(), code="two", name="둘", actor="t")
    with uow() as u:
        assert [r.seq for r in u.audit.iter_all()] == [1, 2]
    assert audit.verify_audit_log(uow()).ok


@pytest.fixture
def tampered(committed_database: Database) -> Database:
    """A database whose audit record 4 was edited behind the trigger's back."""
    _trade(lambda: SqlAlchemyUnitOfWork(committed_database.session_factory))  # type: ignore[arg-type]
    assert audit.verify_audit_log(SqlAlchemyUnitOfWork(committed_database.session_factory)).ok
    with committed_database.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("""UPDATE audit_log SET after = jsonb_set(after, '{status}', '"ended"')
                             WHERE seq = 4"""))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    return committed_database


def test_tampered_row_is_reported_by_its_seq(tampered: Database) -> None:
    verdict = audit.verify_audit_log(SqlAlchemyUnitOfWork(tampered.session_factory))  # type: ignore[arg-type]
    assert not verdict.ok
    assert verdict.first_bad_seq == 4
    assert verdict.checked == 3
    assert verdict.reason == "record 4 was altered after it was written"


def test_trigger_is_back_on_after_the_tampering(tampered: Database) -> None:
    with tampered.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = 1"))


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Database], None]]:
    def point_at(db: Database) -> None:
        monkeypatch.setenv("SAGWA_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))

    get_settings.cache_clear()
    yield point_at
    get_settings.cache_clear()


def test_cli_audit_verify_exits_1_on_a_tampered_log(tampered: Database,
                                                    cli_env: Callable[[Database], None]) -> None:
    cli_env(tampered)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert "audit log broken at record 4" in " ".join(result.stderr.split())
    result = CliRunner().invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["first_bad_seq"] == 4


def test_cli_audit_verify_exits_0_on_an_intact_log(committed_database: Database,
                                                   cli_env: Callable[[Database], None]) -> None:
    _trade(lambda: SqlAlchemyUnitOfWork(committed_database.session_factory))  # type: ignore[arg-type]
    cli_env(committed_database)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "9 records verified" in result.stdout
