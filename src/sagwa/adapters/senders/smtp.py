"""Email over SMTP (``smtplib``), UTF-8 throughout, with the idempotency key in the headers.

``Message-ID`` is derived from the key, so every retry of one message carries the same id and
a provider (or a mail client) that dedupes on it shows the customer one email; the key itself
travels in ``X-Sagwa-Idempotency-Key``. Each thread keeps one connection open and reuses it.
SMTP errors are translated here, once: 4xx replies and lost connections are temporary, 5xx
replies permanent.
"""

from __future__ import annotations

import smtplib
import socket
import threading
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.jsonl_log import provider_id_for
from sagwa.errors import DeliveryFailed

IDEMPOTENCY_HEADER = "X-Sagwa-Idempotency-Key"


class SmtpSender:
    def __init__(self, host: str, port: int, mail_from: str, *, timeout: float = 30.0) -> None:
        self.host, self.port, self.mail_from, self.timeout = host, port, mail_from, timeout
        self._domain = parseaddr(mail_from)[1].rpartition("@")[2] or "sagwa.invalid"
        self._local = threading.local()

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        if message.channel != "email":
            raise DeliveryFailed(f"SmtpSender sends email, not {message.channel}",
                                 temporary=False)
        email = build_email(message, idempotency_key, self.mail_from, self._domain)
        try:
            self._connection().send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code = min(c for c, _ in exc.recipients.values())
            raise DeliveryFailed(f"recipient refused: {exc.recipients}",
                                 temporary=code < 500) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 temporary=exc.smtp_code < 500) from exc
        except (smtplib.SMTPException, OSError, socket.timeout) as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP connection to {self.host}:{self.port} failed: {exc}",
                                 temporary=True) from exc
        return str(email["Message-ID"])

    def close(self) -> None:
        self._drop()

    def _connection(self) -> smtplib.SMTP:
        conn: smtplib.SMTP | None = getattr(self._local, "conn", None)
        if conn is not None:
            try:
                if conn.noop()[0] == 250:
                    return conn
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass


def build_email(message: Envelope, idempotency_key: str, mail_from: str,
                domain: str) -> EmailMessage:
    """A UTF-8 email whose ``Message-ID`` is stable across retries of the same key."""
    email = EmailMessage()
    name, addr = parseaddr(mail_from)
    email["From"] = Address(display_name=name, addr_spec=addr) if name else addr
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = f"<{provider_id_for(idempotency_key)}@{domain}>"
    email[IDEMPOTENCY_HEADER] = idempotency_key
    email["Content-Language"] = message.locale
    email.set_content(message.body, charset="utf-8")
    return email
