"""Message providers behind the :class:`~sagwa.adapters.senders.base.MessageSender` port.

``senders_for(settings)`` picks them from configuration: email over SMTP or to a log file,
SMS to the demo log file — or, with ``SAGWA_SMS_LOG_ONLY=true`` (no SMS provider, as
production must say), nowhere: every text then fails for good and its case goes to the agents.
"""

from __future__ import annotations

from sagwa.adapters.senders.base import Envelope, MessageSender
from sagwa.adapters.senders.mail_log import MailLogSender
from sagwa.adapters.senders.no_sms import NoSmsSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.adapters.senders.smtp import SmtpSender
from sagwa.config import Settings

__all__ = ["Envelope", "MessageSender", "senders_for"]


def senders_for(settings: Settings) -> dict[str, MessageSender]:
    """One sender per channel (``"email"``, ``"sms"``), as configured."""
    email: MessageSender
    if settings.email_provider == "smtp":
        email = SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from)
    else:
        email = MailLogSender(settings.mail_log_path)
    sms: MessageSender = (NoSmsSender() if settings.sms_log_only
                          else SmsLogSender(settings.sms_log_path))
    return {"email": email, "sms": sms}
