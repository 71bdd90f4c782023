"""The longest an SMTP send can take, as ``senders_for`` builds the sender for each
``SAGWA_SMTP_SECURITY`` and with a sign-in, fits in the longest send the outbox allows for
(``outbox_repo.LONGEST_SEND``): STARTTLS, the TLS handshake and AUTH add steps, so each step is
allowed less, and another worker does not claim an email again while its attempt may still be
going."""

from __future__ import annotations

from pathlib import Path

import pytest

from sagwa.adapters.db.outbox_repo import LONGEST_SEND
from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.smtp import LONGEST_SEND_SECONDS, SmtpSender
from sagwa.config import Settings


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
@pytest.mark.parametrize("signs_in", [False, True])
def test_the_longest_smtp_send_fits_in_the_outboxs_longest_send(
        tmp_path: Path, security: str, signs_in: bool) -> None:
    login = {"smtp_username": "sagwa", "smtp_password": "relay-pw"} if signs_in else {}
    email = senders_for(Settings(database_url=None, data_dir=tmp_path, environment="test",
                                 email_provider="smtp", smtp_security=security, **login))["email"]
    assert isinstance(email, SmtpSender)
    assert email.steps >= 12 + (2 if security != "none" else 0) + (1 if signs_in else 0)
    assert email.longest_send_seconds <= LONGEST_SEND.total_seconds() == LONGEST_SEND_SECONDS
    assert email.timeout >= 10  # still time for a slow relay's each reply


def test_a_plain_sender_keeps_its_30_second_steps() -> None:
    assert SmtpSender("127.0.0.1", 25, "help@sagwa.example").timeout == 30.0
