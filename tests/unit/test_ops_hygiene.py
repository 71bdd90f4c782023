"""What an operator sees and leaves on disk: no secret echoed in a configuration error, the
demo message logs private (0600), the unshared-key notice as one plain line, and ``sagwa
serve``'s logging that shows delivery's warnings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.mail_log import MailLogSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.cli.serve_checks import serve_log_config
from sagwa.config import Settings, describe_invalid_settings, get_settings
from sagwa.web.access_log import log_config


def _refusal(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> str:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as bad:
        Settings()
    return describe_invalid_settings(bad.value)


def test_a_refused_secret_key_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _refusal(monkeypatch, "SAGWA_SECRET_KEY", "MyRealProdKey15")

    assert "MyRealProdKey15" not in text
    assert text.startswith("SAGWA_SECRET_KEY: must be at least 16 characters")


def test_a_refused_database_url_hides_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _refusal(monkeypatch, "SAGWA_DATABASE_URL", "mysql://sagwa:hunter2@db/sagwa")

    assert "hunter2" not in text
    assert "(got 'mysql://sagwa:***@db/sagwa')" in text


@pytest.mark.parametrize("sender", [SmsLogSender, MailLogSender])
def test_the_demo_message_logs_are_readable_by_their_owner_only(
        sender: type[SmsLogSender], tmp_path: Path) -> None:
    path = tmp_path / "demo.log"
    old = tmp_path / "old.log"
    old.write_text("", encoding="utf-8")
    old.chmod(0o644)
    envelope = Envelope(channel=sender.channel, recipient="010-1234-5678", locale="ko",
                        subject="", body="https://sagwa.example/c/1")

    sender(path).send(envelope, idempotency_key="k")
    sender(old).send(envelope, idempotency_key="k")

    assert (os.stat(path).st_mode & 0o777, os.stat(old).st_mode & 0o777) == (0o600, 0o600)


def test_the_unshared_key_notice_is_one_plain_line(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SAGWA_SECRET_KEY", raising=False)
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SAGWA_DATABASE_URL", "postgresql://sagwa@db.example:5432/sagwa")
    get_settings.cache_clear()
    try:
        get_settings()  # no Python warning: warnings are errors in this suite
    finally:
        get_settings.cache_clear()

    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("sagwa: notice: SAGWA_SECRET_KEY is not set: signing with the key")


def test_serve_logs_sagwa_warnings_on_uvicorn_stderr_handler() -> None:
    config = serve_log_config(log_config())

    assert config["loggers"]["sagwa"]["handlers"] == ["default"]
    assert config["loggers"]["sagwa"]["level"] == "INFO"
    assert "default" in config["handlers"]
    assert "sagwa" not in log_config().get("loggers", {})  # uvicorn's own is left as it was


def test_serve_keeps_httpx_request_lines_out_of_the_log() -> None:
    """httpx logs every request's address at INFO; an SMS provider's address holds its app key."""
    assert serve_log_config(log_config())["loggers"]["httpx"]["level"] == "WARNING"
