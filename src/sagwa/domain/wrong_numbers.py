"""A phone number an agent found to be wrong: no text message of that customer goes to it any more.

An agent who calls (or texts) a customer and reaches someone else logs the attempt as
:data:`WRONG_NUMBER`. The case link in our texts (``/c/<token>``) opens the customer's page,
with their name, and lets whoever holds it cancel the order: it must not keep going to a
stranger. So the attempt keeps which number it was made to — not the number itself, which the
audit log would then repeat for good, but :func:`number_key`, a keyed digest of its domestic
digits (``catalog.domestic_digits``: one number however it is written; keyed, since a number
is one of ~10^8 and the audit log shows it masked elsewhere, ``010-****-6373``, so a plain
hash of it is undone by trying the 10^4 numbers left) — and a text message of the
case to a number so marked is withheld: those waiting are withdrawn when the attempt is
logged, and ``services.wrong_numbers`` tells which later ones to drop (at queueing, or at
sending). A number changed since
(``services.customer_contact``) differs from the marked one, so texts go to it again. The digest
is keyed from the app's secret, so after the secret is rotated a number is compared under the
current key and under those of the retired secrets (``SAGWA_PREVIOUS_SECRET_KEYS``): a mark
made before the rotation still counts. Pure.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from sagwa.domain.catalog import domestic_digits

#: The outcome of a contact attempt that reached someone else, or nobody at that number.
WRONG_NUMBER = "wrong_number"
#: The key of the attempt's audit details holding :func:`number_key` of the number tried.
NUMBER_KEY = "number_key"
#: The text-message channel: the only one withheld (an email address is not the number).
TEXT_CHANNEL = "sms"


def number_key_secret(root: bytes) -> bytes:
    """The key of :func:`number_key`, derived from a key held from the app's secret
    (``root``) for this one purpose: stable while the secret is."""
    return hmac.new(root, b"sagwa wrong-number v1", hashlib.sha256).digest()


def number_key(phone: str, secret: bytes) -> str:
    """A digest naming ``phone`` however it is written (``010-1234-5678``, ``+82 10 1234
    5678``), without keeping it: 16 hex digits of the HMAC-SHA256 of its domestic digits
    under ``secret`` (:func:`number_key_secret`), which only the secret's holder can
    recompute."""
    return hmac.new(secret, domestic_digits(phone).encode(), hashlib.sha256).hexdigest()[:16]


def withheld(channel: str, recipient: str, marked: set[str], secrets: Iterable[bytes]) -> bool:
    """Whether a message on ``channel`` to ``recipient`` goes to a number marked wrong
    (``marked``: the :func:`number_key` of each, under one of ``secrets``: the current key's,
    and those of the secrets rotated out, which keyed the marks made before)."""
    return channel == TEXT_CHANNEL and bool(marked) and any(
        number_key(recipient, secret) in marked for secret in secrets)
