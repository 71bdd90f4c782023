"""The demo SMS provider: one JSON line per text message in ``settings.sms_log_path``."""

from __future__ import annotations

from sagwa.adapters.senders.jsonl_log import JsonLinesSender


class SmsLogSender(JsonLinesSender):
    channel = "sms"
