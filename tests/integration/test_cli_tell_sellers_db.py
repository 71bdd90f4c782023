"""``sagwa incident tell-sellers`` on a committed database (the CLI in-process): the sellers are
emailed the orders they can send now, as a table or as JSON with stable keys; a second run
finds nothing new; an unknown incident is refused, a closed one says why nothing was sent; an
agent may not run it."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
from apologies_sent import apologies_sent
from sqlalchemy.orm import Session, sessionmaker
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401
from typer.testing import CliRunner, Result

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import sellers
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.domain.moments import SEOUL
from sagwa.services import accounts, desk, desk_cases
from sagwa.services.desk_notify import notify

pytestmark = pytest.mark.integration


@pytest.fixture
def session_factory(committed_database: Database,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    """test_desk's shop, committed where the CLI (``SAGWA_DATABASE_URL``) reads it."""
    url = committed_database.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SAGWA_DATABASE_URL", url)
    get_settings.cache_clear()
    yield sessionmaker(bind=committed_database.engine, expire_on_commit=False)
    get_settings.cache_clear()


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_the_sellers_are_told_from_a_terminal(shop) -> None:
    uow, clock, listing_id, people, seller_id = shop
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email="ops@haneul.example"))
        u.commit()
    iid = _planned(uow, clock, listing_id)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        cases = {int(r.case.customer_id): r.case for r in u.cases.for_incident(iid)}
    keeper = cases[people[1]]
    desk_cases.record_choice(uow(), case_id=int(keeper.case_id), choice="keep", channel="web",
                             evidence="clicked keep", taken_by="customer", policy=POLICY)
    accounts.create_user(uow(), username="ann", password="correct horse battery",
                         role="agent", actor="t")

    refused = sagwa("incident", "tell-sellers", "--actor", "ann")
    assert refused.exit_code == 2 and "needs admin" in refused.output

    # the CLI's clock is today's: past the 2008 deadline, every unanswered order was kept by
    # the keep default too — only the one incident is asked for, and it is still notifying
    done = sagwa("incident", "tell-sellers", "--incident", str(iid), "--format", "json")
    assert done.exit_code == 0, done.output
    [email] = json.loads(done.stdout)["emails"]
    assert list(email) == ["incident_id", "seller_id", "seller_name", "orders", "units",
                           "message_key"]
    assert (email["incident_id"], email["seller_id"], email["seller_name"]) == (
        iid, seller_id, "하늘디지털")
    assert {o.order_id for o in keeper.orders} <= set(email["orders"])
    assert email["message_key"] == f"incident:{iid}:seller:{seller_id}:ready:1"

    again = sagwa("incident", "tell-sellers")
    assert again.exit_code == 0, again.output
    assert "no seller had new orders to send" in again.stdout
    unknown = sagwa("incident", "tell-sellers", "--incident", "999999", "--format", "json")
    assert unknown.exit_code != 0 and "incident 999999 not found" in unknown.output
    assert sagwa("incident", "tell-sellers", "--incident", str(iid)).stdout.strip() == (
        "no seller had new orders to send")
    bad = sagwa("incident", "tell-sellers", "--incident", "0")
    assert bad.exit_code == 2

    clock.now = datetime(2008, 6, 17, 18, 1, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="system")
    publish_notice(uow, iid)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done", policy=POLICY,
               links=LINKS)
    closed = sagwa("incident", "tell-sellers", "--incident", str(iid))
    assert closed.exit_code == 0, closed.output
    assert f"incident {iid} is closed" in closed.stdout and "the closing email" in closed.stdout
