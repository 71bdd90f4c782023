"""Settings a deployer gets wrong are refused with a sentence, not taken as given: a misspelled
``SAGWA_*`` name (in the environment or ``.env``), a word setting in the wrong case or not one of
its words, a public address or sender that would break customers' messages, half an SMTP
sign-in, a time zone or currency nobody knows. A deployer's walkthrough: all of these started."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sagwa.config import SECRET_FIELDS, Settings, describe_invalid_settings, mail_from_at_start

PASSWORD = "Pw-not-for-eyes-7731"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAGWA_SECRET_KEY", "a-test-key-of-enough-length")  # no key file written
    monkeypatch.setenv("SAGWA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout


def _refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    said = describe_invalid_settings(refused.value)
    assert "\n" not in said and "errors.pydantic.dev" not in said
    return said


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


# -- misspelled names ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "meant"), [
    ("SAGWA_SMTP_PROT", "SAGWA_SMTP_PORT"),
    ("SAGWA_DESK_POLCY", "SAGWA_DESK_POLICY"),
    ("sagwa_public_base_ulr", "SAGWA_PUBLIC_BASE_URL"),  # read whatever the case
])
def test_a_misspelled_variable_is_refused_naming_the_setting_meant(
        monkeypatch: pytest.MonkeyPatch, name: str, meant: str) -> None:
    said = _refusal(monkeypatch, **{name: "587"})
    assert f"{name.upper()}: not a sagwa setting; did you mean {meant}?" in said
    assert "587" not in said


def test_a_misspelled_variable_in_the_env_file_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SAGWA_DESK_POLCY=/x.toml\nOTHER_TOOL_SETTING=kept\n",
                                   encoding="utf-8")
    said = _refusal(monkeypatch)
    assert "SAGWA_DESK_POLCY: not a sagwa setting; did you mean SAGWA_DESK_POLICY?" in said
    assert "OTHER_TOOL" not in said  # another program's line in a shared .env is not ours


def test_every_unknown_name_is_named_with_the_other_problems(
        monkeypatch: pytest.MonkeyPatch) -> None:
    said = _refusal(monkeypatch, SAGWA_SMTP_PROT="587", SAGWA_FROBNICATE="1",
                    SAGWA_PORT="99999")
    assert "SAGWA_SMTP_PROT: not a sagwa setting; did you mean SAGWA_SMTP_PORT?" in said
    assert "SAGWA_PORT:" in said
    # close to no setting: someone else's variable, not a typo of ours (a review: Kubernetes
    # service links would have stopped every pod in a namespace with a "sagwa-web" Service)
    assert "FROBNICATE" not in said


def test_kubernetes_service_links_and_other_far_names_pass(
        monkeypatch: pytest.MonkeyPatch) -> None:
    links = {"SAGWA_WEB_SERVICE_HOST": "10.0.0.5", "SAGWA_WEB_SERVICE_PORT": "8000",
             "SAGWA_WEB_PORT_8000_TCP_ADDR": "10.0.0.5", "SAGWA_DB_SERVICE_HOST": "10.0.0.6",
             "SAGWA_WORKER_SERVICE_PORT_HTTP": "8000"}
    assert _settings(monkeypatch, **links).port == 8000  # started, its own settings as given


def test_a_misspelled_secret_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    said = _refusal(monkeypatch, SAGWA_SMTP_PASSWROD=PASSWORD)
    assert "did you mean SAGWA_SMTP_PASSWORD?" in said
    assert PASSWORD not in said


def test_variables_read_outside_the_settings_are_not_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # bench/delivery.py's --database-url default
    monkeypatch.setenv("SAGWA_BENCH_DATABASE_URL", "postgresql://bench@127.0.0.1/bench")
    Settings()
    assert mail_from_at_start.__wrapped__() == "사과 고객센터 <help@sagwa.example>"


def test_the_sender_read_at_start_ignores_the_other_settings(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SAGWA_PORT=8123\nSAGWA_MAIL_FROM=하늘 <help@haneul.example>\n"
                                   "OTHER_TOOL_SETTING=kept\n", encoding="utf-8")
    assert mail_from_at_start.__wrapped__() == "하늘 <help@haneul.example>"
    assert Settings().port == 8123


# -- word settings ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "given", "field", "kept"), [
    ("SAGWA_LOG_FORMAT", "JSON", "log_format", "json"),
    ("SAGWA_SMS_PROVIDER", "NHN", "sms_provider", None),  # accepted before: still accepted
    ("SAGWA_EMAIL_PROVIDER", " Log ", "email_provider", "log"),
    ("SAGWA_ENVIRONMENT", "Test", "environment", "test"),
    ("SAGWA_SMTP_SECURITY", "STARTTLS", "smtp_security", "starttls"),
])
def test_word_settings_take_any_case(monkeypatch: pytest.MonkeyPatch, name: str, given: str,
                                     field: str, kept: str | None) -> None:
    if kept is None:  # nhn needs its other settings
        monkeypatch.setenv("SAGWA_NHN_SMS_APP_KEY", "AbCd1234")
        monkeypatch.setenv("SAGWA_NHN_SMS_SECRET_KEY", "s3cret")
        monkeypatch.setenv("SAGWA_SMS_SENDER", "1588-1234")
        kept = "nhn"
    assert getattr(_settings(monkeypatch, **{name: given}), field) == kept


@pytest.mark.parametrize(("name", "given", "said"), [
    ("SAGWA_LOG_FORMAT", "yaml", "SAGWA_LOG_FORMAT: must be text or json (got 'yaml')"),
    ("SAGWA_EMAIL_PROVIDER", "ses", "SAGWA_EMAIL_PROVIDER: must be smtp or log (got 'ses')"),
    ("SAGWA_ENVIRONMENT", "prod",
     "SAGWA_ENVIRONMENT: must be development, test or production (got 'prod')"),
    ("SAGWA_SMTP_SECURITY", "ssl",
     "SAGWA_SMTP_SECURITY: must be none, starttls or tls (got 'ssl')"),
])
def test_a_word_setting_names_its_words(monkeypatch: pytest.MonkeyPatch, name: str, given: str,
                                        said: str) -> None:
    refused = _refusal(monkeypatch, **{name: given})
    assert said in refused and "pattern" not in refused


# -- SMTP ------------------------------------------------------------------------------------

def test_smtp_security_defaults_to_none_and_no_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.smtp_security, settings.smtp_username, settings.smtp_password) == (
        "none", None, None)


def test_smtp_credentials_are_kept_and_the_password_never_printed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch, SAGWA_SMTP_HOST="smtp.example.com",
                         SAGWA_SMTP_SECURITY="starttls", SAGWA_SMTP_USERNAME="apikey",
                         SAGWA_SMTP_PASSWORD=PASSWORD)
    assert (settings.smtp_username, settings.smtp_password) == ("apikey", PASSWORD)
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)
    assert "smtp_password" in SECRET_FIELDS


@pytest.mark.parametrize(("env", "said"), [
    ({"SAGWA_SMTP_USERNAME": "apikey"},
     "SAGWA_SMTP_USERNAME is set but SAGWA_SMTP_PASSWORD is not"),
    ({"SAGWA_SMTP_PASSWORD": PASSWORD},
     "SAGWA_SMTP_PASSWORD is set but SAGWA_SMTP_USERNAME is not"),
])
def test_half_a_sign_in_is_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                   said: str) -> None:
    refused = _refusal(monkeypatch, SAGWA_SMTP_SECURITY="tls", **env)
    assert said in refused and PASSWORD not in refused


def test_a_password_is_not_sent_in_clear_to_another_host(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, SAGWA_SMTP_HOST="smtp.example.com",
                       SAGWA_SMTP_USERNAME="apikey", SAGWA_SMTP_PASSWORD=PASSWORD)
    assert "SAGWA_SMTP_SECURITY is none" in refused and "starttls or tls" in refused
    assert PASSWORD not in refused
    local = _settings(monkeypatch, SAGWA_SMTP_HOST="127.0.0.1")  # a relay on this host
    assert local.smtp_password == PASSWORD


def test_a_refused_smtp_password_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, SAGWA_SMTP_USERNAME="apikey",
                       SAGWA_SMTP_PASSWORD=f"{PASSWORD}\r\nQUIT", SAGWA_SMTP_SECURITY="tls")
    assert "SAGWA_SMTP_PASSWORD: must be on one line" in refused
    assert "(the value given is not shown)" in refused and PASSWORD not in refused


PRODUCTION = {"SAGWA_ENVIRONMENT": "production",
              "SAGWA_SECRET_KEY": "Zq3-vN8pLw2_Xk7rTb5yHc1uMd9sGe4j",
              "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMS_LOG_ONLY": "true",
              "SAGWA_MAIL_FROM": "사과 고객센터 <help@shop.example>",
              "SAGWA_PUBLIC_BASE_URL": "https://sagwa.example"}


def test_production_refuses_the_development_mail_catcher(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, **PRODUCTION)
    assert ("SAGWA_SMTP_HOST and SAGWA_SMTP_PORT are not set (customer email would go to "
            "127.0.0.1:1025") in refused
    assert _settings(monkeypatch, SAGWA_SMTP_HOST="smtp.example.com",
                     SAGWA_SMTP_PORT="587").smtp_port == 587
    monkeypatch.delenv("SAGWA_SMTP_HOST")
    assert _settings(monkeypatch).smtp_host == "127.0.0.1"  # a relay on this host's port 587


# -- public address and sender ---------------------------------------------------------------

@pytest.mark.parametrize("given", ["shop.example.com", "javascript:alert(1)", "ftp://x",
                                   "https://", "https://shop.example.com/?a=1",
                                   "https://user:pw@shop.example.com", "http://shop example.com",
                                   "https://shop.example.com:99999"])
def test_a_public_address_that_would_break_links_is_refused(
        monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    refused = _refusal(monkeypatch, SAGWA_PUBLIC_BASE_URL=given)
    assert "SAGWA_PUBLIC_BASE_URL: must be the http:// or https:// address customers open" \
        in refused


@pytest.mark.parametrize(("given", "kept"), [
    ("https://shop.example.com/", "https://shop.example.com"),
    (" http://127.0.0.1:8001 ", "http://127.0.0.1:8001"),
    ("https://example.com/sagwa/", "https://example.com/sagwa"),  # behind a proxy's path
    ("HTTPS://Shop.Example.com", "HTTPS://Shop.Example.com"),
])
def test_a_public_address_is_kept_without_its_trailing_slash(
        monkeypatch: pytest.MonkeyPatch, given: str, kept: str) -> None:
    assert _settings(monkeypatch, SAGWA_PUBLIC_BASE_URL=given).public_base_url == kept


@pytest.mark.parametrize("given", ["not-an-address", "Sagwa Help help@sagwa.example",
                                   "Sagwa <help@sagwa.example", "help@localhost",
                                   "a@sagwa.example, b@sagwa.example", "Help <he lp@x.example>",
                                   "Sagwa <help@sagwa.example>\nBcc: all@x.example", ""])
def test_a_sender_that_is_no_address_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                given: str) -> None:
    refused = _refusal(monkeypatch, SAGWA_MAIL_FROM=given)
    assert "SAGWA_MAIL_FROM: must be an email address" in refused


@pytest.mark.parametrize("given", ["사과 고객센터 <help@sagwa.example>", "help@sagwa.example",
                                   '"Sagwa, Help" <help@sagwa.example>', "<help@sagwa.example>",
                                   "Sagwa Help <help+kr@mail.sagwa.example>"])
def test_a_sender_with_or_without_a_display_name_is_kept(monkeypatch: pytest.MonkeyPatch,
                                                         given: str) -> None:
    assert _settings(monkeypatch, SAGWA_MAIL_FROM=given).mail_from == given


# -- settings read by nobody yet -------------------------------------------------------------

def test_the_time_zone_must_be_a_real_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, SAGWA_TIMEZONE="Mars/Olympus")
    assert "SAGWA_TIMEZONE: must be an IANA time zone name such as Asia/Seoul " \
           "(got 'Mars/Olympus')" in refused
    assert "SAGWA_TIMEZONE" in _refusal(monkeypatch, SAGWA_TIMEZONE="../../etc/passwd")
    assert _settings(monkeypatch, SAGWA_TIMEZONE="Asia/Tokyo").timezone == "Asia/Tokyo"


def test_the_default_currency_must_be_one_sagwa_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refusal(monkeypatch, SAGWA_DEFAULT_CURRENCY="XYZ")
    assert "SAGWA_DEFAULT_CURRENCY: must be one of AUD, CAD" in refused
    assert _settings(monkeypatch, SAGWA_DEFAULT_CURRENCY="usd").default_currency == "USD"


def test_a_password_smtp_cannot_carry_is_refused_without_showing_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """smtplib signs in with ASCII only: a Hangul password failed every email with an encoding
    error, retried ten times with a traceback and nothing naming the setting (a review)."""
    hangul = "사과비밀번호-2026"
    said = _refusal(monkeypatch, SAGWA_SMTP_USERNAME="apikey", SAGWA_SMTP_PASSWORD=hangul,
                    SAGWA_SMTP_SECURITY="tls", SAGWA_SMTP_HOST="smtp.example.com")
    assert "SAGWA_SMTP_PASSWORD: must be ASCII" in said and hangul not in said
    said = _refusal(monkeypatch, SAGWA_SMTP_USERNAME="사과", SAGWA_SMTP_PASSWORD=PASSWORD,
                    SAGWA_SMTP_SECURITY="tls", SAGWA_SMTP_HOST="smtp.example.com")
    assert "SAGWA_SMTP_USERNAME: must be ASCII" in said
