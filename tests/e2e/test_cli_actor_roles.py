"""``--actor`` names an account whose role may do the same on the web: an agent cannot declare an
incident from a terminal, nor finance record a customer's payment, nor an agent mark a refund
paid. A refused account changes nothing (no audit record, no state); an allowed one lands on
the audit log as before. ``sagwa users create`` names the role in Korean first, as the pages do.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from cli_desk import busiest_listing, seller_types_the_wrong_price
from test_cli_incident import flat
from test_cli_incident_money import _chooses, _planned
from typer.testing import CliRunner, Result

from sagwa.cli.actors import ACTOR_ROLES
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.testing.embedded import fresh_data_dir, query

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-battery"
#: One account of each staff role: username -> role.
STAFF = {"boss": "admin", "rae": "reviewer", "ann": "agent", "fin": "finance"}


def sagwa(*args: str) -> Result:
    get_settings.cache_clear()  # settings are cached per process; the env is per test
    return CliRunner().invoke(app, list(args), env={
        "COLUMNS": "200", "SAGWA_SECRET_KEY": os.environ["SAGWA_SECRET_KEY"]})


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with fresh_data_dir("sgw") as path:
        yield path


@pytest.fixture(scope="module")
def desk(data_dir: Path) -> dict[str, int]:
    """A planned incident on the busiest demo listing; its first case's customer cancelled
    (refunds owed), its last one bought at the discounted correct price (a difference owed);
    one account of each staff role. The ids: incident, buyer's case, a refund."""
    seeded = sagwa("seed", "demo", "--products", "40", "--customers", "6", "--orders", "12", "--json")
    assert seeded.exit_code == 0, seeded.output
    listing_id, _opened = busiest_listing(data_dir)
    incident_id = _planned(data_dir, listing_id)
    [(first, last)] = query(data_dir, "SELECT min(id), max(id) FROM cases "
                                      f"WHERE incident_id = {incident_id}")
    _chooses(data_dir, int(first))
    _chooses(data_dir, int(last), "buy_at_correct_price_discount")
    [(refund_id,)] = query(data_dir, f"SELECT min(id) FROM refunds WHERE case_id = {first}")
    for username, role in STAFF.items():
        made = sagwa("users", "create", "--username", username, "--role", role,
                     "--password", PASSWORD)
        assert made.exit_code == 0, made.output
    return {"incident": incident_id, "buyer": int(last), "refund": int(refund_id)}


def _audit(data_dir: Path) -> list[str]:
    return [str(actor) for (actor,) in query(data_dir, "SELECT actor FROM audit_log ORDER BY seq")]


def _refused(args: tuple[str, ...], username: str, command: str, needs: str) -> None:
    """``args`` with ``--actor username`` is refused as a role that may not run ``command``,
    on stderr and, asked for JSON, on stdout (exit status 2, as other ``--actor`` refusals)."""
    role = STAFF[username]
    article = "an" if role[0] in "aeiou" else "a"
    for actor in (username, f"{role}:{username}"):
        refused = sagwa(*args, "--actor", actor)
        assert refused.exit_code == 2, refused.output
        said = flat(refused.output)
        assert f"--actor '{actor}' is {article} {role} account; `sagwa {command}` needs {needs}" \
            in said, said
        assert "leave --actor out" in said, said
    as_json = sagwa(*args, "--actor", username, "--format", "json")
    assert as_json.exit_code == 2, as_json.output
    body = json.loads(as_json.stdout.splitlines()[0])
    assert (body["code"], body["details"]) == ("invalid_input", {
        "field": "actor", "reason": "actor_role_not_allowed"})


def _only_allowed_roles_act(data_dir: Path, args: tuple[str, ...], *, needs: str,
                            refused: tuple[str, ...], allowed: str | None,
                            state: str) -> list[tuple[object, ...]]:
    """``args`` (``sagwa`` + the command, then its own arguments) is refused with every account
    in ``refused`` and changes nothing (``state``, a query, and the audit log stay as they were);
    with ``allowed`` (an account, as ``--actor`` names it) it is done and its audit records name
    that account and the OS login. The rows of ``state`` afterwards."""
    command = " ".join(args[:2])
    before = (_audit(data_dir), query(data_dir, state))
    for username in refused:
        _refused(args, username, command, needs)
    assert (_audit(data_dir), query(data_dir, state)) == before
    if allowed is not None:
        done = sagwa(*args, "--actor", allowed, "--format", "json")
        assert done.exit_code == 0, done.output
        username = allowed.rpartition(":")[2]
        recorded = f"{STAFF[username]}:{username} via cli (os user {getpass.getuser()})"
        assert set(_audit(data_dir)[len(before[0]):]) == {recorded}
    return query(data_dir, state)


def test_an_agent_cannot_declare_an_incident_and_nothing_changes(data_dir: Path,
                                                                  desk: dict[str, int]) -> None:
    [(listing_id, opened)] = query(
        data_dir, "SELECT id, created_at FROM listings WHERE id NOT IN (SELECT listing_id FROM "
                  "incident_listings) AND status = 'live' ORDER BY id LIMIT 1")
    seller_types_the_wrong_price(data_dir, int(listing_id))  # a declaration that would hold
    declare = ("incident", "declare", "--listing", str(listing_id), "--wrong-price", "19900",
               "--correct-price", "199000", "--window-start", opened.isoformat(),
               "--cause", "a zero dropped", "--responsible", "seller")
    _only_allowed_roles_act(data_dir, declare, needs="admin", refused=("ann", "fin"),
                            allowed=None, state="SELECT (SELECT count(*) FROM incidents), status "
                                                f"FROM listings WHERE id = {listing_id}")


def test_only_an_admin_publishes_a_notice(desk: dict[str, int], data_dir: Path) -> None:
    published = _only_allowed_roles_act(
        data_dir, ("incident", "notice", str(desk["incident"])), needs="admin",
        refused=("rae", "ann", "fin"), allowed="boss",
        state=f"SELECT count(*) FROM notices WHERE incident_id = {desk['incident']}")
    assert published == [(1,)]


def test_finance_cannot_record_a_difference_paid_an_agent_can(
        desk: dict[str, int], data_dir: Path) -> None:
    [(paid_at, paid_by)] = _only_allowed_roles_act(
        data_dir, ("incident", "difference-paid", str(desk["buyer"]), "--note", "receipt 77"),
        needs="agent or admin", refused=("fin", "rae"), allowed="agent:ann",
        state="SELECT difference_paid_at, difference_paid_by FROM cases "
              f"WHERE id = {desk['buyer']}")
    assert paid_at is not None
    assert paid_by == f"agent:ann via cli (os user {getpass.getuser()})"


def test_an_agent_cannot_mark_a_refund_paid_finance_can(
        desk: dict[str, int], data_dir: Path) -> None:
    [(paid_at, paid_by)] = _only_allowed_roles_act(
        data_dir, ("refunds", "mark-paid", str(desk["refund"]), "--reference", "KB 0219-77"),
        needs="finance or admin", refused=("ann", "rae"), allowed="fin",
        state=f"SELECT paid_at, paid_by FROM refunds WHERE id = {desk['refund']}")
    assert paid_at is not None
    assert paid_by == f"finance:fin via cli (os user {getpass.getuser()})"


def test_an_agent_cannot_make_accounts_and_the_role_reads_in_korean_first(
        desk: dict[str, int], data_dir: Path) -> None:
    before = (_audit(data_dir), query(data_dir, "SELECT username FROM users ORDER BY id"))
    refused = sagwa("users", "create", "--username", "eve", "--role", "admin",
                    "--password", PASSWORD, "--actor", "ann")
    assert refused.exit_code == 2, refused.output
    assert "`sagwa users create` needs admin" in flat(refused.output)
    assert (_audit(data_dir),
            query(data_dir, "SELECT username FROM users ORDER BY id")) == before
    made = sagwa("users", "create", "--username", "joy", "--role", "agent",
                 "--password", PASSWORD, "--actor", "boss")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip() == "created joy (상담원 · agent)"
    assert _audit(data_dir)[-1] == f"admin:boss via cli (os user {getpass.getuser()})"


def _commands_with_an_actor() -> set[str]:
    """Every ``sagwa`` command (``incident declare``) that takes ``--actor``."""
    found = set()
    for name, group in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        for sub in getattr(group, "commands", {}).values():
            if any(p.name == "actor" for p in sub.params):
                found.add(f"{name} {sub.name}")
        if any(p.name == "actor" for p in group.params):
            found.add(name)
    return found


def test_every_command_that_takes_an_actor_says_which_roles_may_run_it() -> None:
    assert _commands_with_an_actor() == set(ACTOR_ROLES)


def test_an_admin_changes_a_password_deactivates_and_lists_accounts(
        desk: dict[str, int], data_dir: Path) -> None:
    """Accounts kept from a terminal (a deploy walk found no way): a password changed, an
    account deactivated and activated again (JSON for tools), the list; an agent may not."""
    changed = sagwa("users", "set-password", "--username", "rae", "--password",
                    "another-good-one", "--actor", "boss")
    assert changed.exit_code == 0, changed.output
    assert "password of rae changed" in flat(changed.output)
    agent = sagwa("users", "deactivate", "--username", "rae", "--actor", "ann")
    assert agent.exit_code == 2 and "`sagwa users deactivate` needs admin" in flat(agent.output)
    off = sagwa("users", "deactivate", "--username", "rae", "--json", "--actor", "boss")
    assert off.exit_code == 0, off.output
    assert json.loads(off.stdout) == {"username": "rae", "active": False, "changed": True,
                                      "sessions_ended": 0}
    listed = sagwa("users", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rae = [a for a in json.loads(listed.stdout) if a["username"] == "rae"]
    assert rae == [{"username": "rae", "role": "reviewer", "seller_id": None, "active": False}]
    table = flat(sagwa("users", "list").output)
    assert "no (deactivated)" in table and "검토자 · reviewer" in table
    on = sagwa("users", "activate", "--username", "rae", "--json", "--actor", "boss")
    assert json.loads(on.stdout)["active"] is True
    unknown = sagwa("users", "deactivate", "--username", "nobody", "--actor", "boss")
    assert unknown.exit_code == 1 and "user nobody does not exist" in flat(unknown.output)
    assert all(a.startswith("admin:boss") for a in _audit(data_dir)[-3:]), _audit(data_dir)
