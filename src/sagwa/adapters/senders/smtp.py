"""Email over SMTP (``smtplib``), UTF-8 throughout, with the idempotency key in the headers.

``Message-ID`` is derived from the key, so every retry of one message carries the same id and
a provider (or a mail client) that dedupes on it shows the customer one email; the key itself
travels in ``X-Sagwa-Idempotency-Key``. Each thread keeps one connection open and reuses it.

A connection is secured as ``security`` says (``SAGWA_SMTP_SECURITY``): ``none`` (plain, as a
local relay or a test server takes it), ``starttls`` (upgraded before anything else is said,
port 587) or ``tls`` (encrypted from the start, port 465); the server's certificate is checked
against the system's CAs (or ``tls_context``'s) and the host name. With a username it then signs
in (AUTH), once per connection.

SMTP errors are translated here, once: 4xx replies and lost connections are temporary, 5xx
replies permanent. So is a wrong username or password (535: every attempt would be refused
alike, and a relay may lock the account after repeated failed sign-ins), a relay that does not
offer the STARTTLS or AUTH this sender is set up for, and a certificate that does not verify:
these need the settings fixed, after which ``sagwa messages retry-failed`` sends the messages.
"""

from __future__ import annotations

import smtplib
import ssl
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


#: How a connection is secured: ``SAGWA_SMTP_SECURITY``'s words.
SECURITY_MODES = ("none", "starttls", "tls")
#: The longest one send may take: what the outbox allows for (``outbox_repo.LONGEST_SEND``;
#: tests/unit/test_smtp_longest_send.py checks they agree).
LONGEST_SEND_SECONDS = 12 * 30.0
#: The blocking steps of one send, each up to the socket timeout: on a connection the server
#: dropped while idle up to 5 (MAIL, RCPT, DATA, end of data, QUIT as it is closed), then on a
#: fresh one 7 (connect, greeting, EHLO, MAIL, RCPT, DATA, end of data); by ``security`` also
#: the TLS handshake (2) and, for STARTTLS, the command and a second EHLO.
STEPS = {"none": 12, "tls": 14, "starttls": 16}
#: And for the sign-in: smtplib tries each mechanism both sides know until one is accepted
#: (CRAM-MD5: 2 replies, PLAIN: 1, LOGIN: 3).
SIGN_IN_STEPS = 6


class SmtpSender:
    def __init__(self, host: str, port: int, mail_from: str, *, timeout: float = 30.0,
                 security: str = "none", username: str | None = None,
                 password: str | None = None, tls_context: ssl.SSLContext | None = None) -> None:
        if security not in SECURITY_MODES or (username is None) != (password is None):
            raise ValueError("security must be none, starttls or tls, and a username comes "
                             "with a password")
        self.steps = STEPS[security] + (SIGN_IN_STEPS if username is not None else 0)
        # more steps, each allowed less: the whole send still fits in what the outbox allows
        timeout = min(timeout, LONGEST_SEND_SECONDS / self.steps)
        self.host, self.port, self.mail_from, self.timeout = host, port, mail_from, timeout
        self.security, self.username, self._password = security, username, password
        self._tls = tls_context
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
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {self.host}:{self.port} refused the "
                                 "sign-in (SAGWA_SMTP_USERNAME, SAGWA_SMTP_PASSWORD): "
                                 f"{exc.smtp_error!r}", temporary=exc.smtp_code < 500) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}",
                                 temporary=exc.smtp_code < 500) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise DeliveryFailed(f"SMTP connection to {self.host}:{self.port} failed: {exc}",
                                 temporary=True) from exc
        return str(email["Message-ID"])

    @property
    def longest_send_seconds(self) -> float:
        """The longest one send takes against a server that answers slowly or falls silent:
        each of its steps at the socket timeout (name lookup is the system resolver's)."""
        return self.steps * self.timeout

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
        conn = self._connect()
        self._local.conn = conn
        with self._open_lock:
            self._open.add(conn)
        return conn, False

    def _connect(self) -> smtplib.SMTP:
        """A new connection, secured and signed in as configured. A relay that cannot be used
        as configured fails for good here; any other error is translated by ``send``."""
        context = self._tls or ssl.create_default_context()
        conn: smtplib.SMTP | None = None
        step = "STARTTLS"
        try:
            conn = (smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
                    if self.security == "tls" else
                    smtplib.SMTP(self.host, self.port, timeout=self.timeout))
            if self.security == "starttls":
                conn.starttls(context=context)  # smtplib refuses if the server does not offer it
            step = "AUTH"
            if self.username is not None and self._password is not None:
                conn.login(self.username, self._password)
            return conn
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, (smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError)):
                raise DeliveryFailed(self._unusable(exc, step), temporary=False) from exc
            if self.security == "tls" and _plain_answer(exc):
                raise DeliveryFailed(
                    f"the mail server at {self.host}:{self.port} did not answer TLS "
                    "(SAGWA_SMTP_SECURITY=tls): it speaks plain SMTP there, as on a STARTTLS "
                    "port (usually 587): set SAGWA_SMTP_SECURITY=starttls, or SAGWA_SMTP_PORT "
                    "to its TLS port (usually 465)", temporary=False) from exc
            raise

    def _unusable(self, exc: Exception, step: str) -> str:
        """Why the relay cannot be used as the settings say."""
        where = f"{self.host}:{self.port}"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return (f"the certificate of {where} does not verify ({exc.verify_message}): "
                    "check SAGWA_SMTP_HOST (the name on the certificate)")
        fix = ("set SAGWA_SMTP_SECURITY to what it offers" if step == "STARTTLS" else
               "check SAGWA_SMTP_SECURITY (many relays offer AUTH only once encrypted)")
        return f"the mail server at {where} does not offer {step}: {fix}"

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._open_lock:
                self._open.discard(conn)
            _quietly_close(conn)


#: What an implicit-TLS handshake says when the server answers in plain text (its greeting
#: read as a TLS record): a setting is wrong, not the server down.
_PLAIN_ANSWERS = frozenset({"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE",
                            "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST"})


def _plain_answer(exc: BaseException) -> bool:
    return isinstance(exc, ssl.SSLError) and getattr(exc, "reason", None) in _PLAIN_ANSWERS


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
