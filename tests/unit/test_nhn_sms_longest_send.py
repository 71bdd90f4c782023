"""The longest an NHN Cloud SMS send can take, as ``senders_for`` builds the sender, fits in the
longest send the outbox allows for (``outbox_repo.LONGEST_SEND``): another worker must not claim
a text again while its first attempt may still be going — a look-up of an earlier attempt and
the send included."""

from __future__ import annotations

from pathlib import Path

from sagwa.adapters.db.outbox_repo import LONGEST_SEND
from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.nhn_sms import NhnSmsSender
from sagwa.config import Settings


def test_the_longest_nhn_send_fits_in_the_outboxs_longest_send(tmp_path: Path) -> None:
    sms = senders_for(Settings(database_url=None, data_dir=tmp_path, environment="test",
                               sms_provider="nhn", nhn_sms_app_key="AppKey0123456789",
                               nhn_sms_secret_key="Sx9-secret", sms_sender="1588-1234"))["sms"]
    assert isinstance(sms, NhnSmsSender)
    timeout = sms.timeout
    assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
    # a pooled connection, connect and TLS, the request, and each read of the reply; twice
    # for a text sent again (the look-up of an earlier attempt, then the send)
    one_request = (timeout.pool or 0) + (timeout.connect or 0) + (timeout.write or 0) + 2 * (
        timeout.read or 0)
    assert sms.longest_send_seconds >= 2 * one_request
    assert sms.longest_send_seconds <= LONGEST_SEND.total_seconds()
    sms.close()
