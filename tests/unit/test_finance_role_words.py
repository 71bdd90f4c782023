"""The finance role as pages and logins name it: 재무 first, then finance."""

from __future__ import annotations

import pytest

from sagwa.services.accounts import Role
from sagwa.web.pages.labels import actor_text


@pytest.mark.parametrize(("lang", "said"), [("ko", "재무 lee"), ("en", "finance lee")])
def test_a_finance_account_on_the_audit_log_reads_as_finance(lang: str, said: str) -> None:
    assert actor_text("finance:lee", lang) == said


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SELLER])
def test_every_staff_role_has_a_korean_name_on_the_pages(role: Role) -> None:
    korean = actor_text(f"{role.value}:lee", "ko")
    assert korean.endswith(" lee") and not korean.startswith(role.value), korean
