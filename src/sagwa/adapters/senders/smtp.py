"""Email over SMTP (``smtplib``), UTF-8 throughout, with the idempotency key in the headers.

``Message-ID`` is derived from the key, so every retry of one message carries the same id and
a provider (or a mail client) that dedupes on it shows the customer one email; the key itself
travels in ``X-Sagwa-Idempotency-Key``. Each thread keeps one connection open and reuses it.
SMTP errors are translated here, once: 4xx replies and lost connections are temporary, 5xx
replies permanent.
"""

from __future__ import annotations

import smtplib
import threading
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from typing import cast

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.jsonl_log import provider_id_for
from sagwa.domain.masking import mask_contacts_in
from sagwa.errors import DeliveryFailed

IDEMPOTENCY_HEADER = "X-Sagwa-Idempotency-Key"


class SmtpSender:
    def __init__(self, host: str, port: int, mail_from: str, *, timeout: float = 30.0) -> None:
        self.host, self.port, self.mail_from, self.timeout = host, port, mail_from, timeout
        self._domain = parseaddr(mail_from)[1].rpartition("@")[2] or "sagwa.invalid"
        self._local = threading.local()
        self._open: set[smtplib.SMTP] = set()  # every thread's connection, for close()
        self._open_lock = threading.Lock()

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        if message.channel != "email":
            raise DeliveryFailed(f"SmtpSender sends email, not {message.channel}",
                                 temporary=False)
        email = build_email(message, idempotency_key, self.mail_from, self._domain)
        try:
            conn, reused = self._connection()
            try:
                conn.send_message(email)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                if not reused:
                    raise
                # The server closed the idle connection (a timeout, a restart): once more on
                # a fresh one. It failed before DATA was accepted, so nothing is sent twice.
                self._drop()
                conn, _ = self._connection()
                conn.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code = min(c for c, _ in exc.recipients.values())
            # the refusal names the address: masked (the error is kept, and audited)
            refused = mask_contacts_in(f"recipient refused: {exc.recipients}")
            raise DeliveryFailed(refused or "recipient refused",
                                 temporary=code < 500) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 temporary=exc.smtp_code < 500) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP connection to {self.host}:{self.port} failed: {exc}",
                                 temporary=True) from exc
        return str(email["Message-ID"])

    def close(self) -> None:
        """Close every thread's connection (call once the sending threads are done)."""
        with self._open_lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            _quietly_close(conn)
        self._local = threading.local()

    def _connection(self) -> tuple[smtplib.SMTP, bool]:
        """This thread's connection, and whether it was open before (no NOOP probe: that
        would add a round trip to every email; ``send`` retries a stale one instead)."""
        conn: smtplib.SMTP | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        self._local.conn = conn
        with self._open_lock:
            self._open.add(conn)
        return conn, False

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._open_lock:
                self._open.discard(conn)
            _quietly_close(conn)


def _quietly_close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def build_email(message: Envelope, idempotency_key: str, mail_from: str,
                domain: str) -> MIMEText:
    """A UTF-8 email whose ``Message-ID`` is stable across retries of the same key.

    Headers are encoded by ``email.header.Header`` (base64 encoded-words cut between
    characters), not by the newer policy-based folding, which drops the space between two
    encoded words when it folds a long Korean subject.
    """
    email = MIMEText(message.body, "plain", "utf-8")
    name, addr = parseaddr(mail_from)
    email["From"] = formataddr((name, addr)) if name else addr  # encodes a Korean name
    email["To"] = message.recipient
    # a Header object, not its .encode(): the message folds it between encoded words itself
    email["Subject"] = cast(str, Header(message.subject, "utf-8"))
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = f"<{provider_id_for(idempotency_key)}@{domain}>"
    email[IDEMPOTENCY_HEADER] = idempotency_key
    email["Content-Language"] = message.locale
    return email
