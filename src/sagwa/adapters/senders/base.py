"""The port every message provider implements: ``MessageSender.send(envelope, idempotency_key)``.

A sender returns the provider's id for the message, or raises
:class:`~sagwa.errors.DeliveryFailed` with ``temporary`` set when trying again may help.
The idempotency key is handed to the provider with every attempt, so a provider that honours it
(or our log senders, which dedupe on it) never delivers one message twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sagwa.errors import DeliveryFailed

Channel = Literal["email", "sms"]

__all__ = ["Channel", "DeliveryFailed", "Envelope", "MessageSender"]


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """What a provider needs to deliver one message; ``subject`` is ignored for SMS."""

    channel: Channel
    recipient: str
    locale: str
    subject: str
    body: str


class MessageSender(Protocol):
    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        """Deliver ``message``; return the provider's message id."""
        ...
