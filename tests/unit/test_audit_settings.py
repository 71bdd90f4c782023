"""The audit settings: retired secrets kept to verify (``SAGWA_PREVIOUS_SECRET_KEYS``, never
printed) and where the anchors file is (``SAGWA_AUDIT_ANCHORS_PATH``).

Before: neither existed; a rotated secret could not be kept to verify what it keyed, and the
anchors file was always ``<data dir>/audit-anchors.jsonl`` of each process, so a worker on
another host wrote anchors the web server never read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.adapters.db.audit_repo import settings_chain_keys
from sagwa.config import Settings, describe_invalid_settings
from sagwa.domain.audit import chain_key

NEW, OLD, OLDER = ("the-new-secret-0123456789", "the-old-secret-0123456789",
                   "the-older-secret-012345678")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SAGWA_DATA_DIR", "SAGWA_AUDIT_ANCHORS_PATH", "SAGWA_PREVIOUS_SECRET_KEYS",
                 "SAGWA_ENVIRONMENT", "SAGWA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAGWA_SECRET_KEY", NEW)
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout


@pytest.mark.parametrize("listed", [f"{OLD},{OLDER}", f" {OLD}\n{OLDER} ", f"{OLD}, {OLDER},"])
def test_previous_keys_are_read_comma_or_whitespace_separated(
        monkeypatch: pytest.MonkeyPatch, listed: str) -> None:
    monkeypatch.setenv("SAGWA_PREVIOUS_SECRET_KEYS", listed)
    settings = Settings()
    assert settings.previous_secret_keys == (OLD, OLDER)
    keys = settings_chain_keys(settings)
    assert keys.current == chain_key(NEW) and keys.retired == (chain_key(OLD), chain_key(OLDER))


def test_no_previous_keys_by_default() -> None:
    assert Settings().previous_secret_keys == ()
    assert settings_chain_keys(Settings()).retired == ()


@pytest.mark.parametrize("weak", ["changeme", "short-key", "dev-only-not-secret-sagwa-0000000000"])
def test_a_weak_previous_key_is_refused_and_not_echoed(monkeypatch: pytest.MonkeyPatch,
                                                       weak: str) -> None:
    monkeypatch.setenv("SAGWA_PREVIOUS_SECRET_KEYS", f"{OLD},{weak}")
    with pytest.raises(ValidationError) as refused:
        Settings()
    text = describe_invalid_settings(refused.value)
    assert text.startswith("SAGWA_PREVIOUS_SECRET_KEYS: every key must be at least 16")
    assert OLD not in text and weak not in text and "not shown" in text


def test_previous_keys_are_not_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_PREVIOUS_SECRET_KEYS", OLD)
    assert OLD not in repr(Settings())


def test_the_anchors_file_defaults_into_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_DATA_DIR", "/srv/sagwa-data")
    assert Settings().audit_anchors_path == Path("/srv/sagwa-data/audit-anchors.jsonl")


def test_a_configured_anchors_path_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_DATA_DIR", "/srv/sagwa-data")
    monkeypatch.setenv("SAGWA_AUDIT_ANCHORS_PATH", "/mnt/shared/sagwa/anchors.jsonl")
    assert Settings().audit_anchors_path == Path("/mnt/shared/sagwa/anchors.jsonl")
