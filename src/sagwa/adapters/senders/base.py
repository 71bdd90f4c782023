"""The port every message provider implements: ``MessageSender.send(envelope, idempotency_key)``.

A sender returns the provider's id for the message, or raises
:class:`~sagwa.errors.DeliveryFailed` with ``temporary`` set when trying again may help.
The idempotency key is handed to the provider with every attempt, so a provider that honours it
(or our log senders, which dedupe on it) never delivers one message twice.

A provider that takes no such key (NHN Cloud SMS) may have taken an attempt whose reply never
came. Its sender also implements :class:`RetryAwareSender`: for a message tried before —
attempt 2 on, a stale claim taken over from a worker that died, a failed message queued again
(``ClaimedMessage.tried_before``) — delivery calls its ``send_again``, which asks the provider
whether an earlier attempt went before sending. This is an extra, optional method:
``MessageSender.send`` is unchanged, and a sender without ``send_again`` (SMTP, the log
senders, the fakes) is called with ``send`` on every attempt, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

from sagwa.errors import DeliveryFailed

Channel = Literal["email", "sms"]

__all__ = ["Channel", "DeliveryFailed", "Envelope", "MessageSender", "RetryAwareSender"]


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


@runtime_checkable
class RetryAwareSender(MessageSender, Protocol):
    def send_again(self, message: Envelope, *, idempotency_key: str,
                   since: datetime | None) -> str:
        """Deliver ``message``, tried before (since ``since``, when it was queued), unless the
        provider has an earlier attempt of it that reached the recipient: then return that
        attempt's id, sending nothing. When the provider cannot say, raise a temporary
        :class:`~sagwa.errors.DeliveryFailed` rather than send blind."""
        ...
