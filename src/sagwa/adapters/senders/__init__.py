"""Message providers behind the :class:`~sagwa.adapters.senders.base.MessageSender` port.

``senders_for(settings)`` picks them from configuration: email over SMTP (secured and signed in
as ``SAGWA_SMTP_SECURITY`` and ``SAGWA_SMTP_USERNAME``/``PASSWORD`` say) or to a log file;
texts through NHN Cloud SMS (``SAGWA_SMS_PROVIDER=nhn``), to the demo log file — or, with
``SAGWA_SMS_LOG_ONLY=true`` (no SMS provider, as production must say unless it has one),
nowhere: every text then fails for good and its case goes to the agents.
"""

from __future__ import annotations

from sagwa.adapters.senders.base import Envelope, MessageSender
from sagwa.adapters.senders.mail_log import MailLogSender
from sagwa.adapters.senders.nhn_sms import NhnSmsSender
from sagwa.adapters.senders.no_sms import NoSmsSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.adapters.senders.smtp import SmtpSender
from sagwa.config import Settings

__all__ = ["Envelope", "MessageSender", "senders_for"]


def senders_for(settings: Settings) -> dict[str, MessageSender]:
    """One sender per channel (``"email"``, ``"sms"``), as configured."""
    email: MessageSender
    if settings.email_provider == "smtp":
        email = SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from,
                           security=settings.smtp_security, username=settings.smtp_username,
                           password=settings.smtp_password)
    else:
        email = MailLogSender(settings.mail_log_path)
    return {"email": email, "sms": _sms_sender(settings)}


def _sms_sender(settings: Settings) -> MessageSender:
    if settings.sms_provider == "nhn":
        # Settings refuse nhn without these (config.NHN_SMS_REQUIRED)
        assert settings.nhn_sms_app_key and settings.nhn_sms_secret_key and settings.sms_sender
        return NhnSmsSender(app_key=settings.nhn_sms_app_key,
                            secret_key=settings.nhn_sms_secret_key,
                            sender_no=settings.sms_sender, base_url=settings.nhn_sms_base_url)
    if settings.sms_log_only:
        return NoSmsSender()
    return SmsLogSender(settings.sms_log_path)
