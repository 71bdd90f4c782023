"""Email through a real relay: AUTH, STARTTLS and implicit TLS (``SAGWA_SMTP_SECURITY``,
``SAGWA_SMTP_USERNAME``/``SAGWA_SMTP_PASSWORD``) against aiosmtpd on 127.0.0.1. The server's
certificate is a throwaway self-signed one made by ``openssl`` for each run (the ``cryptography``
package is not installed here); the client trusts it through the sender's ``tls_context``, and
a client that does not is refused by it. A wrong password fails for good, saying so, never
showing the password, and is not retried."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.smtp import SmtpSender
from sagwa.config import Settings
from sagwa.errors import DeliveryFailed
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.ports import free_port

pytestmark = pytest.mark.integration

FROM = "사과 고객센터 <help@sagwa.example>"
USER, PASSWORD = "sagwa-relay", "Relay-pw-not-for-eyes-4417"
EMAIL = Envelope(channel="email", recipient="minji@example.com", locale="ko",
                 subject="[사과 고객센터] 가격 오류 안내", body="진심으로 사과드립니다.\n")


@dataclass
class Relay:
    """What the relay saw: each sign-in tried, and for each email accepted whether the session
    was signed in and encrypted."""

    logins: list[str] = field(default_factory=list)
    accepted: list[tuple[bool, bool]] = field(default_factory=list)

    def authenticator(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(auth_data.login.decode())
        ok = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        self.accepted.append((bool(session.authenticated), encrypted))
        return "250 OK"


@contextmanager
def relay(*, signs_in: bool = False, **smtp: Any) -> Iterator[tuple[Relay, int]]:
    """An aiosmtpd relay on a free port; ``signs_in``: it offers AUTH (``USER``, ``PASSWORD``)."""
    seen, port = Relay(), free_port()
    if signs_in:
        smtp["authenticator"] = seen.authenticator
    controller = Controller(seen, hostname="127.0.0.1", port=port, **smtp)
    controller.start()
    try:
        yield seen, port
    finally:
        controller.stop()


@dataclass(frozen=True)
class Certificate:
    server: ssl.SSLContext  # the relay's
    client: ssl.SSLContext  # trusts the relay's certificate


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return Certificate(server=server, client=ssl.create_default_context(cafile=str(cert)))


def _send(sender: SmtpSender, key: str = "k-1") -> str:
    try:
        return sender.send(EMAIL, idempotency_key=key)
    finally:
        sender.close()


def test_the_sender_signs_in_once_per_connection() -> None:
    with relay(signs_in=True, auth_require_tls=False) as (seen, port):
        sender = SmtpSender("127.0.0.1", port, FROM, username=USER, password=PASSWORD)
        sender.send(EMAIL, idempotency_key="k-1")
        _send(sender, "k-2")  # the same connection: no second sign-in
    assert seen.logins == [USER]
    assert seen.accepted == [(True, False), (True, False)]


def test_a_wrong_password_fails_for_good_saying_why() -> None:
    with relay(signs_in=True, auth_require_tls=False) as (seen, port):
        sender = SmtpSender("127.0.0.1", port, FROM, username=USER, password="wrong-" + PASSWORD)
        with pytest.raises(DeliveryFailed) as failed:
            _send(sender)
    assert failed.value.temporary is False
    said = failed.value.message
    assert "SMTP 535" in said
    assert "refused the sign-in (SAGWA_SMTP_USERNAME, SAGWA_SMTP_PASSWORD)" in said
    assert PASSWORD not in said and seen.accepted == []


def test_a_relay_that_offers_no_sign_in_fails_for_good() -> None:
    with relay() as (seen, port):
        sender = SmtpSender("127.0.0.1", port, FROM, username=USER, password=PASSWORD)
        with pytest.raises(DeliveryFailed) as failed:
            _send(sender)
    assert failed.value.temporary is False
    assert "127.0.0.1" in failed.value.message and "does not offer AUTH" in failed.value.message
    assert seen.accepted == []


def test_starttls_encrypts_before_signing_in(certificate: Certificate) -> None:
    # auth_require_tls (aiosmtpd's default): AUTH is offered only once the session is encrypted
    with relay(tls_context=certificate.server, signs_in=True) as (seen, port):
        sender = SmtpSender("127.0.0.1", port, FROM, security="starttls", username=USER,
                            password=PASSWORD, tls_context=certificate.client)
        assert _send(sender).endswith("@sagwa.example>")
    assert seen.logins == [USER] and seen.accepted == [(True, True)]


def test_implicit_tls_connects_encrypted(certificate: Certificate) -> None:
    with relay(ssl_context=certificate.server, signs_in=True,
               auth_require_tls=False) as (seen, port):
        _send(SmtpSender("127.0.0.1", port, FROM, security="tls", username=USER,
                         password=PASSWORD, tls_context=certificate.client))
    assert seen.accepted == [(True, True)]


def test_a_certificate_the_client_does_not_trust_fails_for_good(
        certificate: Certificate) -> None:
    with relay(tls_context=certificate.server) as (seen, port):
        sender = SmtpSender("127.0.0.1", port, FROM, security="starttls")  # system CAs only
        with pytest.raises(DeliveryFailed) as failed:
            _send(sender)
    assert failed.value.temporary is False
    assert "certificate" in failed.value.message and seen.accepted == []


def test_starttls_asked_of_a_relay_without_it_fails_for_good() -> None:
    with relay() as (seen, port), pytest.raises(DeliveryFailed) as failed:
        _send(SmtpSender("127.0.0.1", port, FROM, security="starttls"))
    assert failed.value.temporary is False
    assert "does not offer STARTTLS" in failed.value.message
    assert "SAGWA_SMTP_SECURITY" in failed.value.message and seen.accepted == []


def _settings(port: int, tmp_path: Path, password: str) -> Settings:
    return Settings(database_url=None, data_dir=tmp_path / "data", environment="test",
                    email_provider="smtp", smtp_port=port, mail_from=FROM,
                    smtp_username=USER, smtp_password=password)


def test_the_settings_sign_the_sender_in(tmp_path: Path) -> None:
    with relay(signs_in=True, auth_require_tls=False) as (seen, port):
        sender = senders_for(_settings(port, tmp_path, PASSWORD))["email"]
        assert isinstance(sender, SmtpSender)
        _send(sender)
    assert seen.logins == [USER] and seen.accepted == [(True, False)]


def test_a_message_refused_for_a_wrong_password_is_not_retried(
        committed_database: Database, tmp_path: Path) -> None:
    assert committed_database.session_factory is not None
    with SqlAlchemyUnitOfWork(committed_database.session_factory) as uow:
        message_id = enqueue_message(
            uow, idempotency_key=f"relay-auth:{tmp_path.name}", purpose="confirmation",
            channel="email", recipient=EMAIL.recipient, locale="ko", subject=EMAIL.subject,
            body=EMAIL.body, not_before=uow.now() - timedelta(seconds=1), incident_id=None)
        uow.commit()
    assert message_id is not None
    with relay(signs_in=True, auth_require_tls=False) as (seen, port):
        senders = senders_for(_settings(port, tmp_path, "wrong-password"))
        outcome = deliver_message(committed_database.session_factory, senders, message_id,
                                  utc_now())
        senders["email"].close()  # type: ignore[attr-defined]
    assert outcome is Outcome.FAILED and seen.logins and seen.accepted == []
    with committed_database.engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == message_id)).one()
    assert (row.status, row.attempts) == ("failed", 1)  # not queued again
    assert "refused the sign-in" in row.last_error and "wrong-password" not in row.last_error


def test_tls_asked_of_a_relay_that_answers_in_plain_fails_for_good() -> None:
    """SAGWA_SMTP_SECURITY=tls on a port that takes STARTTLS (587) or none: the handshake meets
    a plain greeting. It was a temporary failure, retried for a day; a setting is wrong."""
    with relay() as (seen, port), pytest.raises(DeliveryFailed) as failed:
        _send(SmtpSender("127.0.0.1", port, FROM, security="tls"))
    assert failed.value.temporary is False
    assert "did not answer TLS" in failed.value.message
    assert "SAGWA_SMTP_SECURITY=starttls" in failed.value.message and seen.accepted == []
