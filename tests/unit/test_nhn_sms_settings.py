"""Settings of the real SMS provider (``SAGWA_SMS_PROVIDER=nhn``, NHN Cloud SMS): what is missing
or malformed is refused at startup with a sentence naming the setting, the secret key is never
shown, and production accepts a configured provider instead of ``SAGWA_SMS_LOG_ONLY=true``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.nhn_sms import NhnSmsSender
from sagwa.adapters.senders.no_sms import NoSmsSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.config import Settings, describe_invalid_settings

SECRET = "Sx9-not-for-eyes"
NHN = {"SAGWA_SMS_PROVIDER": "nhn", "SAGWA_NHN_SMS_APP_KEY": "AbCd1234EfGh5678",
       "SAGWA_NHN_SMS_SECRET_KEY": SECRET, "SAGWA_SMS_SENDER": "1588-1234"}
PRODUCTION = {"SAGWA_ENVIRONMENT": "production",
              "SAGWA_SECRET_KEY": "Zq3-vN8pLw2_Xk7rTb5yHc1uMd9sGe4j",
              "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "smtp.sagwa.example",
              "SAGWA_MAIL_FROM": "사과 고객센터 <help@shop.example>",
              "SAGWA_PUBLIC_BASE_URL": "https://sagwa.example"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SAGWA_ENVIRONMENT", "SAGWA_SMS_LOG_ONLY", "SAGWA_DATABASE_URL",
                 "SAGWA_NHN_SMS_BASE_URL", *NHN):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> Settings:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return Settings()


def _refusal(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> str:
    with pytest.raises(ValidationError) as refused:
        _settings(monkeypatch, **env)
    said = describe_invalid_settings(refused.value)
    assert "\n" not in said and SECRET not in said
    return said


def test_a_configured_nhn_provider_sends_texts_through_nhn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, **NHN)
    assert settings.sms_sender == "15881234"  # the digits NHN's sendNo takes
    assert settings.nhn_sms_base_url == "https://api-sms.cloud.toast.com"
    assert SECRET not in repr(settings)
    assert settings.nhn_sms_app_key not in repr(settings)  # in the API's address: not shown
    sms = senders_for(settings)["sms"]
    assert isinstance(sms, NhnSmsSender)
    sms.close()


def test_without_a_provider_texts_stay_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(senders_for(_settings(monkeypatch))["sms"], SmsLogSender)
    said_not_sent = _settings(monkeypatch, SAGWA_SMS_LOG_ONLY="true")
    assert isinstance(senders_for(said_not_sent)["sms"], NoSmsSender)


@pytest.mark.parametrize("missing", ["SAGWA_NHN_SMS_APP_KEY", "SAGWA_NHN_SMS_SECRET_KEY",
                                     "SAGWA_SMS_SENDER"])
def test_nhn_without_one_of_its_settings_is_refused_naming_it(
        monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    said = _refusal(monkeypatch, **{**NHN, missing: None})
    assert f"SAGWA_SMS_PROVIDER is nhn, but {missing} is not set" in said


def test_every_missing_nhn_setting_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    said = _refusal(monkeypatch, SAGWA_SMS_PROVIDER="nhn")
    for name in ("SAGWA_NHN_SMS_APP_KEY", "SAGWA_NHN_SMS_SECRET_KEY", "SAGWA_SMS_SENDER"):
        assert name in said
    assert "are not set" in said


@pytest.mark.parametrize(("env", "said"), [
    ({"SAGWA_SMS_PROVIDER": "twilio"}, "SAGWA_SMS_PROVIDER: must be log or nhn (got 'twilio')"),
    ({"SAGWA_SMS_SENDER": "1588-12a4"}, "SAGWA_SMS_SENDER: must be the sending number"),
    ({"SAGWA_SMS_SENDER": "010 1234 5678"}, "digits and hyphens only"),
    ({"SAGWA_SMS_SENDER": "123"}, "8 to 13 digits"),
    ({"SAGWA_NHN_SMS_APP_KEY": "abc/../x"}, "SAGWA_NHN_SMS_APP_KEY: must be the app key"),
    ({"SAGWA_NHN_SMS_BASE_URL": "http://api-sms.cloud.toast.com"},
     "SAGWA_NHN_SMS_BASE_URL: must be an https:// URL"),
    ({"SAGWA_NHN_SMS_BASE_URL": "ftp://x"}, "SAGWA_NHN_SMS_BASE_URL: must be an https:// URL"),
    ({"SAGWA_SMS_LOG_ONLY": "true"},
     "SAGWA_SMS_LOG_ONLY=true says texts are not sent, but SAGWA_SMS_PROVIDER is nhn"),
])
def test_malformed_nhn_settings_are_refused_with_a_reason(
        monkeypatch: pytest.MonkeyPatch, env: dict[str, str], said: str) -> None:
    assert said in _refusal(monkeypatch, **{**NHN, **env})


def test_a_refused_secret_key_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    said = _refusal(monkeypatch, **{**NHN, "SAGWA_NHN_SMS_SECRET_KEY": "has space-" + SECRET})
    assert "SAGWA_NHN_SMS_SECRET_KEY: must be the secret key" in said
    assert "the value given is not shown" in said


def test_the_base_url_may_be_a_local_test_server(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, **NHN, SAGWA_NHN_SMS_BASE_URL="http://127.0.0.1:8123/")
    assert settings.nhn_sms_base_url == "http://127.0.0.1:8123"


def test_production_starts_with_nhn_instead_of_texts_said_not_sent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _settings(monkeypatch, **PRODUCTION, **NHN).sms_provider == "nhn"


def test_production_without_an_sms_provider_names_both_ways_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    said = _refusal(monkeypatch, **PRODUCTION)
    assert "texts to customers would only be written to SAGWA_SMS_LOG_PATH" in said
    assert "set SAGWA_SMS_PROVIDER=nhn" in said
    assert "set SAGWA_SMS_LOG_ONLY=true to run with texts not sent" in said


def test_production_refuses_a_local_test_server_for_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test sink answers "sent" for texts that reach nobody: what the demo log is refused for."""
    said = _refusal(monkeypatch, **PRODUCTION, **NHN,
                    SAGWA_NHN_SMS_BASE_URL="http://127.0.0.1:8123")
    assert "SAGWA_NHN_SMS_BASE_URL is http://127.0.0.1:8123 (a test server" in said
