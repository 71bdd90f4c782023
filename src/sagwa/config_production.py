"""What ``SAGWA_ENVIRONMENT=production`` refuses to start with (``Settings`` asks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagwa.config import Settings

#: NHN Cloud SMS's API address (``nhn_sms_base_url``'s default).
NHN_SMS_BASE_URL = "https://api-sms.cloud.toast.com"

#: The fewest characters, and distinct characters, a production secret key may have.
PRODUCTION_KEY_LENGTH, PRODUCTION_KEY_VARIETY = 32, 8


def production_problems(settings: Settings) -> list[str]:
    """What production refuses: demo providers that write customers' messages to a file and
    mark them sent (texts: unless said not sent, or sent through NHN Cloud SMS at its https
    address), links pointing at this host's own address or over plain http, a key easy to
    guess, a database URL set empty (a secret not mounted: it would run an empty embedded one)."""
    problems = []
    key = settings.secret_key
    if len(key) < PRODUCTION_KEY_LENGTH or len(set(key)) < PRODUCTION_KEY_VARIETY:
        problems.append(f"SAGWA_SECRET_KEY is weak (use at least {PRODUCTION_KEY_LENGTH} "
                        f"characters, {PRODUCTION_KEY_VARIETY} or more different ones, e.g. "
                        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")
    if settings.email_provider == "log":
        problems.append("SAGWA_EMAIL_PROVIDER is log (customer emails would be written to a "
                        "file, not sent): set it to smtp")
    if settings.sms_provider == "log" and not settings.sms_log_only:
        problems.append("texts to customers would only be written to SAGWA_SMS_LOG_PATH (the "
                        "demo SMS provider): set SAGWA_SMS_PROVIDER=nhn (and its settings) to "
                        "send them, or set SAGWA_SMS_LOG_ONLY=true to run with texts not sent")
    if settings.sms_provider == "nhn" and not settings.nhn_sms_base_url.startswith("https://"):
        problems.append(f"SAGWA_NHN_SMS_BASE_URL is {settings.nhn_sms_base_url} (a test "
                        "server: texts would be marked sent without reaching anyone): set it to "
                        f"NHN Cloud SMS's https address, or leave it unset ({NHN_SMS_BASE_URL})")
    smtp_set = {"smtp_host", "smtp_port"} & settings.model_fields_set
    if settings.email_provider == "smtp" and not smtp_set:
        problems.append(f"SAGWA_SMTP_HOST and SAGWA_SMTP_PORT are not set (customer email would "
                        f"go to {settings.smtp_host}:{settings.smtp_port}, a development mail "
                        "catcher): set the SMTP relay's address")
    if "public_base_url" not in settings.model_fields_set:
        problems.append(f"SAGWA_PUBLIC_BASE_URL is not set (customers' links would point at "
                        f"{settings.public_base_url}): set the address customers reach")
    elif not settings.public_base_url.startswith("https://"):
        problems.append(f"SAGWA_PUBLIC_BASE_URL is {settings.public_base_url} (customers' "
                        "links, which open their case, would travel unencrypted): give the "
                        "https:// address your TLS proxy answers on")
    if "database_url" in settings.model_fields_set and settings.database_url is None:
        problems.append("SAGWA_DATABASE_URL is set but empty (sagwa would start a new, empty "
                        "embedded database in SAGWA_DATA_DIR/pg — a secret not mounted?): give "
                        "the URL")
    if settings.email_provider == "smtp" and "mail_from" not in settings.model_fields_set:
        problems.append(f"SAGWA_MAIL_FROM is not set (customer email would come from "
                        f"{settings.mail_from}, an address nobody reads, and a relay refuses a "
                        "sender it does not know): set your desk's own address")
    return problems
