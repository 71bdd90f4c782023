"""Who may do what: one rule for the pages and the JSON API (``Account.may``)."""

from __future__ import annotations

import pytest

from sagwa.services.accounts import Account, Role

STAFF = (Role.REVIEWER, Role.AGENT)


def account(role: Role, seller_id: int | None = None) -> Account:
    return Account(1, "kim", role, seller_id)


@pytest.mark.parametrize("role", list(Role))
def test_no_roles_named_means_any_account(role: Role) -> None:
    assert account(role).may(())


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.REVIEWER, True), (Role.AGENT, True), (Role.ADMIN, True), (Role.SELLER, False)])
def test_staff_work_is_for_staff_and_admins(role: Role, allowed: bool) -> None:
    assert account(role, 7 if role is Role.SELLER else None).may(STAFF) is allowed


def test_an_admin_may_do_seller_work_through_the_api_but_not_act_as_a_seller_on_its_pages() -> None:
    admin = account(Role.ADMIN)
    assert admin.may((Role.SELLER,))
    assert not admin.may((Role.SELLER,), as_seller=True)
    assert account(Role.SELLER, 7).may((Role.SELLER,), as_seller=True)
    assert not account(Role.REVIEWER).may((Role.SELLER,), as_seller=True)


def test_one_role_does_not_stand_in_for_another() -> None:
    assert not account(Role.AGENT).may((Role.REVIEWER,))
    assert not account(Role.REVIEWER).may((Role.ADMIN,))
    assert not account(Role.SELLER, 7).may((Role.AGENT,))


def test_finance_reads_and_pays_refunds_and_admins_may_too() -> None:
    assert account(Role.FINANCE).may((Role.FINANCE,))
    assert account(Role.ADMIN).may((Role.FINANCE,))
    for other in (Role.REVIEWER, Role.AGENT):
        assert not account(other).may((Role.FINANCE,))
    assert not account(Role.SELLER, 7).may((Role.FINANCE,))


@pytest.mark.parametrize("work", [(Role.ADMIN,), (Role.REVIEWER,), (Role.AGENT,), STAFF,
                                  (Role.SELLER,)])
def test_finance_does_no_one_elses_work(work: tuple[Role, ...]) -> None:
    assert not account(Role.FINANCE).may(work)
