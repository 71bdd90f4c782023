"""Settings: derived defaults follow the data directory and the server's address."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagwa.config import Settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SAGWA_DATA_DIR", "SAGWA_PORT", "SAGWA_HOST", "SAGWA_PUBLIC_BASE_URL",
                 "SAGWA_MAIL_LOG_PATH", "SAGWA_SMS_LOG_PATH", "SAGWA_ENVIRONMENT",
                 "SAGWA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-test-key-of-enough-length")  # no key file written
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout


def test_the_demo_mail_and_sms_logs_live_in_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_DATA_DIR", "/tmp/qa-sagwa")
    settings = Settings()
    assert settings.mail_log_path == Path("/tmp/qa-sagwa/mail.log")
    assert settings.sms_log_path == Path("/tmp/qa-sagwa/sms.log")


def test_configured_log_paths_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_MAIL_LOG_PATH", "/var/log/sagwa-mail.log")
    assert Settings().mail_log_path == Path("/var/log/sagwa-mail.log")


def test_customer_links_follow_the_servers_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_PORT", "8765")
    assert Settings().public_base_url == "http://127.0.0.1:8765"
    assert Settings().for_address("127.0.0.1", 9000).public_base_url == "http://127.0.0.1:9000"


def test_a_configured_public_address_is_kept_whatever_port_serve_uses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_PUBLIC_BASE_URL", "https://shop.example")
    moved = Settings().for_address("0.0.0.0", 8765)
    assert (moved.public_base_url, moved.port) == ("https://shop.example", 8765)


def test_bad_settings_are_named_as_the_user_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from sagwa.config import describe_invalid_settings

    monkeypatch.setenv("SAGWA_PORT", "99999")
    monkeypatch.setenv("SAGWA_DATABASE_URL", "mysql://x")
    with pytest.raises(ValidationError) as bad:
        Settings()
    text = describe_invalid_settings(bad.value)
    assert "SAGWA_PORT: Input should be less than or equal to 65535 (got '99999')" in text
    assert "SAGWA_DATABASE_URL: must be a postgresql:// URL (got 'mysql://x')" in text
    assert "errors.pydantic.dev" not in text and "port\\n" not in text


def test_an_unencoded_at_in_the_database_password_is_refused_never_printed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``postgresql://sagwa:p@ss@db/sagwa`` was read as password ``p`` at host ``ss@db``,
    then printed with ``ss`` in it (an ops walk): refused, saying how to write it, the
    password masked whole; an encoded one is taken."""
    from pydantic import ValidationError

    from sagwa.config import describe_invalid_settings

    monkeypatch.setenv("SAGWA_DATABASE_URL", "postgresql://sagwa:p@ss@db.example:5432/sagwa")
    with pytest.raises(ValidationError) as bad:
        Settings()
    text = describe_invalid_settings(bad.value)
    assert "more than one '@' before its host" in text and "%40" in text
    assert "ss@db" not in text and "sagwa:***@db.example:5432/sagwa" in text
    monkeypatch.setenv("SAGWA_DATABASE_URL", "postgresql://sagwa:p%40ss@db.example/sagwa?x=a@b")
    assert Settings().database_url == "postgresql+psycopg://sagwa:p%40ss@db.example/sagwa?x=a@b"


def test_without_a_configured_key_each_data_dir_generates_and_keeps_its_own(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No published default signs anything: an unset key is generated once per data directory
    (random, readable by the owner only) and every process on that directory reads the same."""
    monkeypatch.delenv("SAGWA_SECRET_KEY")
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "a"))
    first, again = Settings().secret_key, Settings().secret_key
    assert first == again and len(first) >= 32
    assert first != "dev-only-not-secret-sagwa-0000000000"
    assert ((tmp_path / "a" / "secret_key").stat().st_mode & 0o777) == 0o600
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "b"))
    assert Settings().secret_key != first
    monkeypatch.setenv("SAGWA_SECRET_KEY", "dev-only-not-secret-sagwa-0000000000")
    assert Settings().secret_key != "dev-only-not-secret-sagwa-0000000000"  # the old default


def test_production_needs_a_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from sagwa.config import describe_invalid_settings

    monkeypatch.delenv("SAGWA_SECRET_KEY")
    monkeypatch.setenv("SAGWA_ENVIRONMENT", "production")
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert "SAGWA_SECRET_KEY must be set" in describe_invalid_settings(refused.value)
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-real-production-key-0123456789")
    for name, value in PRODUCTION_READY.items():  # what else production needs
        monkeypatch.setenv(name, value)
    assert Settings().secret_key == "a-real-production-key-0123456789"


#: Production's other requirements (tests/unit/test_production_settings.py).
PRODUCTION_READY = {"SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "smtp.sagwa.example",
                    "SAGWA_MAIL_FROM": "사과 고객센터 <help@shop.example>",
                    "SAGWA_SMS_LOG_ONLY": "true", "SAGWA_PUBLIC_BASE_URL": "https://sagwa.example"}


def test_a_generated_key_with_an_external_database_warns_that_it_is_not_shared(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Processes on one external database may run in different directories (hosts,
    containers): each would generate its own key and refuse the others' links, so say so."""
    from sagwa.config import UnsharedSecretWarning

    monkeypatch.delenv("SAGWA_SECRET_KEY")
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SAGWA_DATABASE_URL", "postgresql://sagwa@db.example:5432/sagwa")
    with pytest.warns(UnsharedSecretWarning, match="must use the same key"):
        Settings()
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-shared-key-for-every-host-0001")
    Settings()  # no warning with a configured key (warnings are errors in this suite)
