"""Settings: the one place that reads the environment (``SAGWA_*`` variables or a ``.env`` file)."""

from __future__ import annotations

import logging
import re
import sys
import warnings
from email.utils import getaddresses
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from sagwa.config_names import SECRET_FIELDS, NamesChecked, closest_setting, shown_value
from sagwa.config_production import NHN_SMS_BASE_URL, production_problems
from sagwa.config_secret import (
    DEFAULT_SECRET,
    PLACEHOLDER_SECRETS,
    SECRET_FILE,
    UnsharedSecretWarning,
    data_dir_secret,
)
from sagwa.domain.access_records import DEFAULT_KEEP_YEARS, KEPT_YEARS, MAX_KEEP_YEARS
from sagwa.domain.money import CURRENCY_EXPONENTS
from sagwa.log_format import json_line

#: The audit anchors file's name in the data directory (``audit_anchors_path``'s default).
ANCHORS_FILE = "audit-anchors.jsonl"
#: What ``SAGWA_SMS_PROVIDER=nhn`` needs set, by field.
NHN_SMS_REQUIRED = ("nhn_sms_app_key", "nhn_sms_secret_key", "sms_sender")
#: The settings that take one of a few words (in any case), and their words.
CHOICES: dict[str, tuple[str, ...]] = {
    "environment": ("development", "test", "production"),
    "email_provider": ("smtp", "log"),
    "sms_provider": ("log", "nhn"),
    "log_format": ("text", "json"),
    "smtp_security": ("none", "starttls", "tls"),
}
#: Where the settings are read from (``Settings`` adds ``extra="forbid"``: no unknown name).
SOURCES = SettingsConfigDict(env_prefix="SAGWA_", env_file=".env", env_file_encoding="utf-8")
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


class Settings(BaseSettings):
    """Typed settings. Every field can be set as ``SAGWA_<FIELD>`` (e.g. ``SAGWA_DATABASE_URL``)."""

    model_config = SettingsConfigDict(**SOURCES, extra="forbid")

    database_url: str | None = Field(
        default=None,
        description="External PostgreSQL URL; when unset sagwa runs an embedded server.",
    )
    data_dir: Path = Field(default=Path(".sagwa"), description="Where the embedded server lives.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: str = Field(
        default=DEFAULT_SECRET,  # never used as is: replaced in _derive_defaults
        description="Signs links and cookies. Unset: a random key generated once and kept in "
                    "<data_dir>/secret_key (refused in production: set one).",
    )
    previous_secret_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), repr=False,
        description="Secret keys rotated out of SAGWA_SECRET_KEY, comma or whitespace "
                    "separated: kept only to verify (never to sign) the audit records and "
                    "anchors they keyed, and the customer links and sign-in cookies they "
                    "signed; marks of wrong numbers made under them still count. Never printed.",
    )
    previous_secret_keys_open_links: bool = Field(
        default=True,
        description="Whether customer links and sign-in cookies signed with a key in "
                    "SAGWA_PREVIOUS_SECRET_KEYS are still accepted (true: links already sent "
                    "keep working after a routine rotation). Set false when a key is rotated "
                    "because it leaked: it then only verifies the audit log and wrong-number "
                    "marks, and nobody holding it can sign a customer's link.",
    )
    audit_anchors_path: Path | None = Field(
        default=None,  # always set after validation
        description="The audit anchors file: written by the worker's job and `sagwa audit "
                    "anchor`, read by `sagwa audit verify` and GET /api/audit/verify "
                    "(default: <data_dir>/audit-anchors.jsonl). On several hosts, point every "
                    "process at one shared file.",
    )
    guard_rules: Path | None = Field(
        default=None, description="Price guard rules (TOML); default: the packaged rules.toml.")
    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for customer email.")
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_security: str = Field(
        default="none",
        description="How the connection to SAGWA_SMTP_HOST is secured: none (plain: a relay on "
                    "this host, a test server), starttls (upgraded at once, usually port 587) "
                    "or tls (encrypted from the start, usually port 465). The certificate is "
                    "checked against the system's CAs and the host name.")
    smtp_username: str | None = Field(
        default=None,
        description="Sign in to the SMTP relay (AUTH) as this user; needs SAGWA_SMTP_PASSWORD.")
    smtp_password: str | None = Field(
        default=None, repr=False,
        description="The SMTP relay's password for SAGWA_SMTP_USERNAME. Never printed; refused "
                    "with SAGWA_SMTP_SECURITY=none unless the relay is on this host.")
    mail_from: str = Field(
        default="사과 고객센터 <help@sagwa.example>",
        description="The sender of customer email; its display name also signs customers' "
                    "subject lines and text messages ([사과 고객센터]; read when the process "
                    "starts: mail_from_at_start).")
    sms_log_path: Path | None = Field(default=None,  # always set after validation
                               description="The demo SMS provider appends messages here "
                                           "(default: <data_dir>/sms.log).")
    email_provider: str = Field(default="log",
                                description="smtp, or log (write emails to mail_log_path).")
    retention_erase_daily: bool = Field(
        default=False,
        description="Let the worker erase, every day at 03:00 Korea time, the personal data of "
                    "every customer no law keeps any more (sagwa retention run; 개인정보 보호법 "
                    "제21조). Off by default: run `sagwa retention plan` first. Customers whose "
                    "erasure request was recorded (refused while a law kept the data) are erased "
                    "by that daily job once nothing keeps them, whatever this says.")
    access_records_keep_years: int = Field(
        default=DEFAULT_KEEP_YEARS, ge=KEPT_YEARS, le=MAX_KEEP_YEARS,
        description="How many years access records are kept: `sagwa access purge` refuses a "
                    "--before less than this many years back (개인정보의 안전성 확보조치 기준 "
                    "제8조: at least 1; 2 with 50,000 or more customers, or sensitive or "
                    "unique-identifying data). The database refuses to delete a record less "
                    "than a year old whatever this says.")
    sms_log_only: bool = Field(
        default=False,
        description="Say that texts to customers are not sent (no SMS provider, only the demo "
                    "log, sms_log_path). True: every text fails for good (its case goes to the "
                    "agents' call list) instead of being written to the log and marked sent. "
                    "Production refuses the demo log unless this is true or sms_provider is "
                    "nhn; true with nhn is refused.")
    sms_provider: str = Field(
        default="log",
        description="log (the demo: texts written to sms_log_path, or with sms_log_only not "
                    "sent at all), or nhn (NHN Cloud SMS; needs nhn_sms_app_key, "
                    "nhn_sms_secret_key and sms_sender).")
    nhn_sms_app_key: str | None = Field(
        default=None, repr=False,
        description="The NHN Cloud SMS app key (the console's URL & Appkey). Not printed.")
    nhn_sms_secret_key: str | None = Field(
        default=None, repr=False,
        description="The NHN Cloud SMS secret key (sent as X-Secret-Key). Never printed.")
    sms_sender: str | None = Field(
        default=None,
        description="The sending number registered with the SMS provider (발신번호), digits "
                    "and hyphens: 1588-1234, 02-123-4567; kept as its digits.")
    nhn_sms_base_url: str = Field(
        default=NHN_SMS_BASE_URL,
        description="NHN Cloud SMS's API address: https://, or http:// to 127.0.0.1 or "
                    "localhost only (a test server; the secret key travels in the headers).")
    mail_log_path: Path | None = Field(default=None,  # always set after validation
                                description="The demo email provider appends messages here "
                                            "(default: <data_dir>/mail.log).")
    public_base_url: str | None = Field(default=None,  # always set after validation
                                 description="Used in links sent to customers "
                                             "(default: http://<host>:<port>).")
    delivery_retry_hours: float = Field(
        default=24.0, gt=0, le=24 * 14,
        description="How long a message is retried after temporary failures (the mail server "
                    "down, a timeout, SMTP 4xx) before it is marked failed.")
    metrics_token: str | None = Field(
        default=None, repr=False, min_length=32,
        description="A bearer token that may read /api/metrics and nothing else, checked "
                    "without the database (so a scrape still answers sagwa_database_up 0 when "
                    "it is down); at least 32 characters. Unset: only an admin's API token "
                    "reads the metrics. Never printed.")
    max_body_bytes: int = Field(
        default=1_048_576, ge=16_384, le=256 * 1_048_576,
        description="The largest request body the web app reads (bytes); larger ones get 413.")
    desk_policy: Path | None = Field(
        default=None, description="Incident desk policy (TOML); default: the packaged desk.toml.")
    timezone: str = Field(default="Asia/Seoul",
                          description="Read by no sagwa code yet (pages and messages use "
                                      "Asia/Seoul); an IANA zone name.")
    default_currency: str = Field(default="KRW",
                                  description="Read by no sagwa code yet; a currency sagwa knows.")
    environment: str = "development"
    log_format: str = Field(
        default="text",
        description="How `sagwa serve` writes its log: text (uvicorn's lines), or json (one "
                    "object a line: time in UTC, level, logger, message, request_id while a "
                    "request is handled, exception).")
    auto_migrate: bool = Field(
        default=True,
        description="Whether serve, worker and the CLI bring the database's schema up to date "
                    "when they start; false: they refuse to start on an older schema (run "
                    "`sagwa db upgrade` when you choose).")
    migration_lock_timeout: float = Field(
        default=10.0, gt=0, le=3600,
        description="How long (seconds) a schema upgrade waits for a table lock held by an "
                    "open transaction before it gives up, changing nothing (retry later).")

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                value = "postgresql+psycopg://" + value[len(prefix):]
        if not value.startswith("postgresql+psycopg://"):
            raise ValueError("SAGWA_DATABASE_URL must be a postgresql:// URL")
        authority = value.split("://", 1)[1].split("/", 1)[0]
        if authority.count("@") > 1:
            # read as a password cut at its first '@' and a host made of the rest, which was
            # then printed (db status, errors) with the rest of the password in it
            raise ValueError("has more than one '@' before its host: write an '@' in the user "
                             "name or password as %40 (p@ss → p%40ss)")
        return value

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholder(cls, value: str) -> str:
        if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < 16:
            raise ValueError("SAGWA_SECRET_KEY must be at least 16 characters and not a placeholder")
        return value

    @field_validator("previous_secret_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        return tuple(re.split(r"[\s,]+", value.strip())) if isinstance(value, str) else value

    @field_validator("previous_secret_keys")
    @classmethod
    def _refuse_weak_previous(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        keys = tuple(k for k in value if k)
        # a published or short key would let anyone forge what it is trusted to verify
        if any(k.lower() in PLACEHOLDER_SECRETS or k == DEFAULT_SECRET or len(k) < 16
               for k in keys):
            raise ValueError("SAGWA_PREVIOUS_SECRET_KEYS: every key must be at least 16 "
                             "characters and not a placeholder")
        return keys

    @field_validator(*CHOICES)
    @classmethod
    def _one_of_its_words(cls, value: str, info: ValidationInfo) -> str:
        words = CHOICES[str(info.field_name)]
        if value.strip().lower() not in words:
            raise ValueError(f"must be {', '.join(words[:-1])} or {words[-1]}")
        return value.strip().lower()

    @field_validator("public_base_url")
    @classmethod
    def _absolute_http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        try:
            url = urlsplit(value)
            url.port  # noqa: B018 - raises for a port out of range or not a number
        except ValueError:
            url = urlsplit("")
        # a wildcard is an address a server listens on, not one a browser opens
        if (url.scheme.lower() not in ("http", "https") or not url.hostname
                or url.hostname in ("0.0.0.0", "::") or "@" in url.netloc or url.query
                or url.fragment or re.search(r"\s", value)):
            raise ValueError("must be the http:// or https:// address customers open, with a "
                             "host and no query (e.g. https://shop.example.com)")
        return value.rstrip("/")

    @field_validator("mail_from")
    @classmethod
    def _an_address(cls, value: str) -> str:
        value = value.strip()
        found = getaddresses([value])
        addr = found[0][1] if len(found) == 1 else ""
        if (not _ADDRESS.fullmatch(addr) or not (value == addr or value.endswith(f"<{addr}>"))
                or re.search(r"[\x00-\x1f\x7f]", value)):
            raise ValueError("must be an email address, alone or after a display name: "
                             "help@sagwa.example, or 사과 고객센터 <help@sagwa.example>")
        return value

    @field_validator("timezone")
    @classmethod
    def _a_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError("must be an IANA time zone name such as Asia/Seoul") from None
        return value.strip()

    @field_validator("default_currency")
    @classmethod
    def _a_currency(cls, value: str) -> str:
        if value.strip().upper() not in CURRENCY_EXPONENTS:
            raise ValueError(f"must be one of {', '.join(sorted(CURRENCY_EXPONENTS))}")
        return value.strip().upper()

    @field_validator("smtp_password", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # blank is unset
        if isinstance(value, str) and re.search(r"[\x00-\x1f\x7f]", value):
            raise ValueError("must be on one line (no line breaks or control characters)")
        if isinstance(value, str) and not value.isascii():
            # SMTP AUTH sends it as ASCII (Python's smtplib): a Hangul or accented letter
            # failed every email with an encoding error instead of a delivery failure
            raise ValueError("must be ASCII letters, digits and symbols: SMTP sign-in cannot "
                             "carry other characters; give the relay an ASCII password")
        return value  # as given, spaces and all

    @field_validator("smtp_username")
    @classmethod
    def _ascii_name(cls, value: str | None) -> str | None:
        if value is not None and not value.isascii():
            raise ValueError("must be ASCII (SMTP sign-in cannot carry other characters)")
        return value

    @field_validator("nhn_sms_app_key", "nhn_sms_secret_key", "sms_sender", "smtp_username",
                     mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value

    @field_validator("nhn_sms_app_key")
    @classmethod
    def _check_app_key(cls, value: str | None) -> str | None:
        # it goes into the request's path: nothing that could leave its segment
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,100}", value):
            raise ValueError("must be the app key NHN Cloud shows (letters, digits, - and _)")
        return value

    @field_validator("nhn_sms_secret_key")
    @classmethod
    def _check_nhn_secret(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[!-~]{1,200}", value):
            raise ValueError("must be the secret key NHN Cloud shows (printable ASCII, no "
                             "spaces)")
        return value

    @field_validator("sms_sender")
    @classmethod
    def _sender_digits(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = value.replace("-", "")
        if not re.fullmatch(r"[0-9]+(-[0-9]+)*", value) or not 8 <= len(digits) <= 13:
            raise ValueError("must be the sending number registered with the SMS provider "
                             "(발신번호): digits and hyphens only, 8 to 13 digits (e.g. "
                             "1588-1234 or 02-123-4567)")
        return digits

    @field_validator("nhn_sms_base_url")
    @classmethod
    def _check_nhn_url(cls, value: str) -> str:
        url = urlsplit(value.strip())
        local = url.hostname in ("127.0.0.1", "localhost", "::1")
        if (url.scheme != "https" and not (url.scheme == "http" and local)) or not url.hostname \
                or url.username or url.query or url.fragment:
            raise ValueError("must be an https:// URL (http:// only to 127.0.0.1 or localhost, "
                             "for a test server: the secret key travels in the headers)")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _check_sms_provider(self) -> Settings:
        """``nhn`` needs its key pair and sending number, and contradicts ``sms_log_only``."""
        if self.sms_provider != "nhn":
            return self
        missing = [f"SAGWA_{name.upper()}" for name in NHN_SMS_REQUIRED
                   if getattr(self, name) is None]
        if missing:
            raise ValueError(f"SAGWA_SMS_PROVIDER is nhn, but {', '.join(missing)} "
                             f"{'is' if len(missing) == 1 else 'are'} not set")
        if self.sms_log_only:
            raise ValueError("SAGWA_SMS_LOG_ONLY=true says texts are not sent, but "
                             "SAGWA_SMS_PROVIDER is nhn: set only one of them")
        return self

    @model_validator(mode="after")
    def _check_smtp_sign_in(self) -> Settings:
        """A username and a password together; the password not sent in clear to another
        host."""
        names = ("SAGWA_SMTP_USERNAME", "SAGWA_SMTP_PASSWORD")
        if (self.smtp_username is None) != (self.smtp_password is None):
            have, lack = names if self.smtp_password is None else names[::-1]
            raise ValueError(f"{have} is set but {lack} is not: the relay needs both to sign "
                             "in (or neither)")
        if (self.smtp_password is not None and self.smtp_security == "none"
                and self.smtp_host not in _LOCAL_HOSTS):
            raise ValueError(f"SAGWA_SMTP_SECURITY is none, so SAGWA_SMTP_PASSWORD would travel "
                             f"unencrypted to {self.smtp_host}: set SAGWA_SMTP_SECURITY to "
                             "starttls or tls (as the relay offers)")
        return self

    @classmethod
    def settings_customise_sources(
            cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, NamesChecked(settings_cls, dotenv_settings),
                file_secret_settings)

    @model_validator(mode="after")
    def _derive_defaults(self) -> Settings:
        """Paths default into ``data_dir`` and links to this server's own address, so that
        ``SAGWA_DATA_DIR`` or ``SAGWA_PORT`` alone moves them too. Assigned without marking
        them as set, so ``for_address`` can tell a derived value from a configured one."""
        derived = {"sms_log_path": self.data_dir / "sms.log",
                   "mail_log_path": self.data_dir / "mail.log",
                   "public_base_url": f"http://{self.host}:{self.port}",
                   "audit_anchors_path": self.data_dir / ANCHORS_FILE}
        for name, value in derived.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        if "secret_key" not in self.model_fields_set or self.secret_key == DEFAULT_SECRET:
            if self.environment == "production":
                raise ValueError("SAGWA_SECRET_KEY must be set when SAGWA_ENVIRONMENT is "
                                 "production (customer links and sign-in cookies are signed "
                                 "with it)")
            object.__setattr__(self, "secret_key", data_dir_secret(self.data_dir))
            if self.database_url is not None:
                # processes sharing an external database may sit in different directories
                # (another host, a container): each would sign with its own key, and links
                # one signs the others refuse
                warnings.warn(
                    "SAGWA_SECRET_KEY is not set: signing with the key kept in "
                    f"{(self.data_dir / SECRET_FILE).resolve()}; every sagwa process on this "
                    "database must use the same key (set SAGWA_SECRET_KEY on each)",
                    UnsharedSecretWarning, stacklevel=2)
        if self.environment == "production":
            refused = production_problems(self)
            if refused:
                raise ValueError("SAGWA_ENVIRONMENT is production, but " + "; ".join(refused))
        return self

    def for_address(self, host: str, port: int) -> Settings:
        """These settings for a server on ``host:port`` (``sagwa serve --host/--port``): links
        follow the address unless ``SAGWA_PUBLIC_BASE_URL`` was set."""
        update: dict[str, object] = {"host": host, "port": port}
        if "public_base_url" not in self.model_fields_set:
            update["public_base_url"] = f"http://{host}:{port}"
        return self.model_copy(update=update)

    @property
    def public_base_url_configured(self) -> bool:
        """Whether ``SAGWA_PUBLIC_BASE_URL`` was set (not derived from host and port)."""
        return "public_base_url" in self.model_fields_set

    @property
    def accepted_secrets(self) -> tuple[str, ...]:
        """The secrets a customer link or a sign-in cookie is accepted under, as itsdangerous
        takes them (newest last): the retired ones, then ``secret_key``, the only one that
        signs; only ``secret_key`` when ``previous_secret_keys_open_links`` is off (a leaked
        key kept to verify the audit log must not open customers' pages)."""
        if not self.previous_secret_keys_open_links:
            return (self.secret_key,)
        return (*self.previous_secret_keys, self.secret_key)

    @property
    def pg_data_dir(self) -> Path:
        return (self.data_dir / "pg").resolve()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings. The notice that a generated key is not shared is printed once,
    as one plain line on stderr (not as a Python warning with its source line; a JSON log line
    with ``SAGWA_LOG_FORMAT=json``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnsharedSecretWarning)
        settings = Settings()
    for found in caught:
        if issubclass(found.category, UnsharedSecretWarning) and settings.log_format == "json":
            print(json_line(str(found.message), logger="sagwa.config", level=logging.WARNING),
                  file=sys.stderr)
        elif issubclass(found.category, UnsharedSecretWarning):
            print(f"sagwa: notice: {found.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(found.message, found.category, found.filename, found.lineno)
    return settings


class _MailFrom(BaseSettings):
    """``SAGWA_MAIL_FROM`` alone, read from where :class:`Settings` reads it."""

    model_config = SettingsConfigDict(**SOURCES, extra="ignore")
    mail_from: str = Settings.model_fields["mail_from"].default


@lru_cache(maxsize=1)
def mail_from_at_start() -> str:
    """``SAGWA_MAIL_FROM`` as the process found it, for what is fixed when the code loads: the
    name that signs customers' subject lines and texts (``desk_messages.TAG``), which modules
    write into their subjects at import. Read alone, so that no other bad setting breaks an
    import (``Settings`` reports those when the process builds its settings)."""
    return _MailFrom().mail_from


def describe_invalid_settings(exc: ValidationError) -> str:
    """One line per bad setting, named as the user sets it: ``SAGWA_PORT: must be at most 65535
    (got '99999')`` — not pydantic's text with its field names and documentation links."""
    lines = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err.get("loc") else ""
        name = f"SAGWA_{field.upper()}" if field else "settings"
        if err["type"] == "extra_forbidden":
            lines.append(f"{name}: not a sagwa setting{closest_setting(field, Settings.model_fields)}")
            continue
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        message = message.removeprefix(name).lstrip(" :")  # our own messages name it already
        given = err.get("input")
        shown = (f" (got {shown_value(field, given)!r})"
                 if given is not None and not isinstance(given, dict) else "")
        lines.append(f"{name}: {message}{shown}" if field not in SECRET_FIELDS
                     else f"{name}: {message} (the value given is not shown)")
    return "; ".join(lines)


