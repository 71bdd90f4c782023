"""Production (``SAGWA_ENVIRONMENT=production``) refuses the demo's settings: the log email
provider, texts only written to a file (unless ``SAGWA_SMS_LOG_ONLY`` says so), links to this
host's own address, and a key easy to guess. An SRE finding: all of these started."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sagwa.config import Settings, describe_invalid_settings

STRONG_KEY = "Zq3-vN8pLw2_Xk7rTb5yHc1uMd9sGe4j"
READY = {"SAGWA_ENVIRONMENT": "production", "SAGWA_SECRET_KEY": STRONG_KEY,
         "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "smtp.sagwa.example",
         "SAGWA_MAIL_FROM": "사과 고객센터 <help@shop.example>",
         "SAGWA_SMS_LOG_ONLY": "true", "SAGWA_PUBLIC_BASE_URL": "https://sagwa.example"}


def _refusal(monkeypatch: pytest.MonkeyPatch, **changed: str | None) -> str | None:
    for name, value in {**READY, **changed}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        Settings()
    except ValidationError as exc:
        return describe_invalid_settings(exc)
    return None


def test_a_production_configuration_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _refusal(monkeypatch) is None


@pytest.mark.parametrize(("changed", "said"), [
    ({"SAGWA_EMAIL_PROVIDER": "log"}, "SAGWA_EMAIL_PROVIDER is log"),
    ({"SAGWA_EMAIL_PROVIDER": None}, "SAGWA_EMAIL_PROVIDER is log"),  # the default
    ({"SAGWA_MAIL_FROM": None}, ("SAGWA_MAIL_FROM is not set (customer email would come "
                                 "from 사과 고객센터 <help@sagwa.example>")),
    ({"SAGWA_SMTP_HOST": None}, ("SAGWA_SMTP_HOST and SAGWA_SMTP_PORT are not set (customer "
                                 "email would go to 127.0.0.1:1025, a development mail catcher)")),
    ({"SAGWA_SMS_LOG_ONLY": None}, "set SAGWA_SMS_LOG_ONLY=true to run with texts not sent"),
    ({"SAGWA_SMS_LOG_ONLY": "false"}, "texts to customers would only be written"),
    ({"SAGWA_PUBLIC_BASE_URL": None},
     "SAGWA_PUBLIC_BASE_URL is not set (customers' links would point at http://127.0.0.1:8000)"),
    # an ops walk: both started (an empty embedded database; customers' links over http)
    ({"SAGWA_PUBLIC_BASE_URL": "http://sagwa.example"},
     ("SAGWA_PUBLIC_BASE_URL is http://sagwa.example (customers' links, which open their "
      "case, would travel unencrypted)")),
    ({"SAGWA_DATABASE_URL": ""}, "SAGWA_DATABASE_URL is set but empty"),
    ({"SAGWA_DATABASE_URL": "  "}, "SAGWA_DATABASE_URL is set but empty"),
    ({"SAGWA_SECRET_KEY": "aaaaaaaaaaaaaaaaaaaa"}, "SAGWA_SECRET_KEY is weak"),
    ({"SAGWA_SECRET_KEY": "ab" * 20}, "SAGWA_SECRET_KEY is weak"),  # long, 2 characters
    ({"SAGWA_SECRET_KEY": "Zq3-vN8pLw2_Xk7r"}, "SAGWA_SECRET_KEY is weak"),  # varied, short
])
def test_production_refuses_the_demo_settings(monkeypatch: pytest.MonkeyPatch,
                                              changed: dict[str, str | None], said: str) -> None:
    refused = _refusal(monkeypatch, **changed)
    assert refused is not None and said in refused
    assert "\n" not in refused
    assert "aaaaaaaaaaaa" not in refused and "abababab" not in refused  # never the key


def test_every_problem_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, SAGWA_SECRET_KEY="a" * 20, SAGWA_EMAIL_PROVIDER="log",
                       SAGWA_SMS_LOG_ONLY=None, SAGWA_PUBLIC_BASE_URL=None)
    assert refused is not None
    for said in ("SECRET_KEY is weak", "EMAIL_PROVIDER is log", "SAGWA_SMS_LOG_ONLY",
                 "PUBLIC_BASE_URL is not set"):
        assert said in refused


def test_outside_production_the_demo_settings_are_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _refusal(monkeypatch, SAGWA_ENVIRONMENT="development", SAGWA_SECRET_KEY="a" * 20,
                    SAGWA_EMAIL_PROVIDER="log", SAGWA_SMS_LOG_ONLY=None,
                    SAGWA_PUBLIC_BASE_URL=None) is None
    assert _refusal(monkeypatch, SAGWA_ENVIRONMENT="development", SAGWA_DATABASE_URL="",
                    SAGWA_PUBLIC_BASE_URL="http://127.0.0.1:8000") is None
