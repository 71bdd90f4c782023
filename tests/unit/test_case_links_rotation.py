"""Customers' case links across a rotation of the app's secret (``services.case_links``): a
link signed with a secret now in ``SAGWA_PREVIOUS_SECRET_KEYS`` still opens, new links are
signed with ``SAGWA_SECRET_KEY`` alone.

Before: links were checked with ``SAGWA_SECRET_KEY`` only, so rotating it refused every link
already texted or emailed to customers, who lost their case page before their deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sagwa.config import Settings
from sagwa.errors import Forbidden
from sagwa.services.case_links import case_token, open_case_token
from sagwa.services.desk_notify import LinkMaker

KEY_A, KEY_B = "case-link-rotation-key-A-0001", "case-link-rotation-key-B-0002"
NOW = datetime(2008, 6, 13, 1, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(days=14)


def _settings(tmp_path: Path, secret: str, previous: tuple[str, ...] = ()) -> Settings:
    return Settings(database_url=None, data_dir=tmp_path, environment="test",
                    secret_key=secret, previous_secret_keys=previous)


def _reason(secrets: tuple[str, ...], token: str, now: datetime = NOW) -> str | None:
    try:
        open_case_token(secrets, token, now=now)
    except Forbidden as refused:
        return str(refused.details.get("reason", refused.code))
    return None


def test_a_link_signed_before_a_rotation_opens_after_it(tmp_path: Path) -> None:
    token = case_token(KEY_A, case_id=7, customer_id=3, expires_at=EXPIRES)
    rotated = _settings(tmp_path, KEY_B, (KEY_A,))
    assert rotated.accepted_secrets[-1] == KEY_B  # itsdangerous' order: the signing key last
    assert open_case_token(rotated.accepted_secrets, token, now=NOW) == (7, 3)
    # the old secret not kept: refused, as before
    assert _reason(_settings(tmp_path, KEY_B).accepted_secrets, token) == "link_invalid"
    # still its own expiry
    assert _reason(rotated.accepted_secrets, token, EXPIRES + timedelta(seconds=1)) == (
        "link_expired")


def test_new_links_are_signed_with_the_current_secret_only(tmp_path: Path) -> None:
    rotated = _settings(tmp_path, KEY_B, (KEY_A,))
    link = LinkMaker(rotated.secret_key, "http://127.0.0.1").for_case(7, 3, EXPIRES)
    token = link.rsplit("/c/", 1)[1]
    assert open_case_token(_settings(tmp_path, KEY_B).accepted_secrets, token, now=NOW) == (7, 3)
    assert _reason(_settings(tmp_path, KEY_A).accepted_secrets, token) == "link_invalid"


def test_without_retired_secrets_only_the_current_one_is_accepted(tmp_path: Path) -> None:
    assert _settings(tmp_path, KEY_B).accepted_secrets == (KEY_B,)


@pytest.mark.parametrize("secret", [KEY_A, (KEY_A,)])
def test_one_secret_or_a_list_of_them_opens_a_link(secret: str | tuple[str, ...]) -> None:
    token = case_token(KEY_A, case_id=1, customer_id=2, expires_at=EXPIRES)
    assert open_case_token(secret, token, now=NOW) == (1, 2)


def test_a_leaked_key_kept_for_the_audit_log_opens_no_link(tmp_path: Path) -> None:
    """A key rotated out because it leaked stays listed (the audit log needs it for good), but
    with ``previous_secret_keys_open_links`` off nobody holding it can sign a customer's link."""
    token = case_token(KEY_A, case_id=7, customer_id=3, expires_at=EXPIRES)
    leaked = Settings(database_url=None, data_dir=tmp_path, environment="test", secret_key=KEY_B,
                      previous_secret_keys=(KEY_A,), previous_secret_keys_open_links=False)
    assert leaked.accepted_secrets == (KEY_B,)
    assert _reason(leaked.accepted_secrets, token) == "link_invalid"
    assert leaked.previous_secret_keys == (KEY_A,)  # still there for the audit log
