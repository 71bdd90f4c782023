"""The demo email provider (``email_provider=log``): one JSON line per email in a file."""

from __future__ import annotations

from sagwa.adapters.senders.jsonl_log import JsonLinesSender


class MailLogSender(JsonLinesSender):
    channel = "email"
