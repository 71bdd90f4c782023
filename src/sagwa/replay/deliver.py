"""Delivering the replay's due messages through the real delivery service (to log files)."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from sagwa.adapters.db.outbox_repo import OutboxRepository
from sagwa.adapters.senders import MessageSender
from sagwa.adapters.senders.mail_log import MailLogSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.config import Settings
from sagwa.replay.market_2008 import Market
from sagwa.services.delivery import deliver_message


@lru_cache(maxsize=1)
def _replay_senders() -> dict[str, MessageSender]:
    """The replay never emails anyone: messages go to log files in a temp directory."""
    folder = Path(tempfile.mkdtemp(prefix="sagwa-replay-mail-"))
    return {"email": MailLogSender(folder / "mail.log"), "sms": SmsLogSender(folder / "sms.log")}


def deliver_due(market: Market, settings: Settings) -> int:
    """Send every pending message whose time has come, at the replay clock's 'now'."""
    now = market.clock.now
    with market.session_factory() as session:
        due = OutboxRepository(session.connection()).pending_due(now)
    senders = _replay_senders()
    for message_id in due:
        deliver_message(market.session_factory, senders, message_id, now)
    return len(due)
