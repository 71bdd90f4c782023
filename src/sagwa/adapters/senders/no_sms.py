"""No SMS provider at all (``SAGWA_SMS_LOG_ONLY=true``): every text fails for good.

Without a real SMS provider (``SAGWA_SMS_PROVIDER=nhn``) there is only the demo log. A
deployment that says so must not have its texts written to a file and marked sent — the desk
would count a customer with only a phone as told, apply the deadline's default to them and never
put them on the call list. A permanent failure does what an undeliverable text does: the case
goes to the agents.
"""

from __future__ import annotations

from sagwa.adapters.senders.base import Envelope
from sagwa.errors import DeliveryFailed

NOT_SENT = "no SMS provider is configured (SAGWA_SMS_LOG_ONLY): texts are not sent"


class NoSmsSender:
    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        raise DeliveryFailed(NOT_SENT, temporary=False)
