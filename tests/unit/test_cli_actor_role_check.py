"""``cli/actors.check_role``: a named account runs a command only if its role may do the same on
the web (``ACTOR_ROLES``); an admin runs every one; the refusal names the account's role, the
roles the command needs and what to do, with a stable reason."""

from __future__ import annotations

import pytest

from sagwa.cli.actors import ACTOR_ROLES, check_role
from sagwa.errors import InvalidInput
from sagwa.services.accounts import Account, Role

BOSS = Account(1, "boss", Role.ADMIN)
RAE = Account(2, "rae", Role.REVIEWER)


@pytest.mark.parametrize("command", sorted(ACTOR_ROLES))
def test_an_admin_may_run_every_command(command: str) -> None:
    check_role("boss", BOSS, command)  # no refusal


@pytest.mark.parametrize("command", sorted(ACTOR_ROLES))
def test_a_reviewer_runs_none_of_them(command: str) -> None:
    """The review queue has no command that takes --actor."""
    with pytest.raises(InvalidInput) as refused:
        check_role("reviewer:rae", RAE, command)
    assert refused.value.details == {"field": "actor", "reason": "actor_role_not_allowed"}
    assert f"--actor 'reviewer:rae' is a reviewer account; `sagwa {command}` needs" \
        in refused.value.message


@pytest.mark.parametrize(("role", "command", "allowed"), [
    (Role.AGENT, "incident difference-paid", True), (Role.AGENT, "incident declare", False),
    (Role.FINANCE, "refunds mark-paid", True), (Role.FINANCE, "incident cancel-instead", False),
    (Role.AGENT, "refunds mark-paid", False), (Role.FINANCE, "users create", False),
])  # fmt: skip
def test_each_role_runs_what_the_web_lets_it(role: Role, command: str, allowed: bool) -> None:
    account = Account(3, "lee", role)
    if allowed:
        check_role("lee", account, command)
        return
    with pytest.raises(InvalidInput, match="leave --actor out"):
        check_role("lee", account, command)


def test_the_refusal_says_which_roles_would_do_and_how_to_make_one() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_role("lee", Account(3, "lee", Role.AGENT), "refunds mark-paid")
    assert refused.value.message == (
        "--actor 'lee' is an agent account; `sagwa refunds mark-paid` needs finance or admin: "
        "name a finance or admin account with --actor (`sagwa users create --role finance` "
        "makes one), or leave --actor out to act as 'cli'")
