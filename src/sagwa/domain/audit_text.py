"""What the audit log keeps of a text someone typed about a customer: a keyed digest and its
length, never the text.

Staff's notes, a customer's words taken down on the phone, a payment's reference often hold
personal data: a name, a bank account, a phone number, an address, even health ("지병으로
입원중"). The audit log can never be changed without breaking its hash chain, so what it holds
can never be destroyed once its retention ends (개인정보 보호법 제21조). So a record keeps, of
such a text under ``<name>``: ``<name>_hmac``, the HMAC-SHA256 of its UTF-8 under a key of
this purpose only (:func:`text_key`, derived from the chain's key, itself derived from the
app's secret: a short text — a phone number — cannot be found by hashing guesses without the
secret, as a plain SHA-256 would be); ``<name>_key``, that key's fingerprint; and
``<name>_chars``, its length in characters. No text (None or empty) stays ``<name>: None``.
The text itself stays in its working table, where it can be erased.

:func:`check_text` says whether a text is the one a record names, with the key the record
names: after a rotation of the secret (``SAGWA_PREVIOUS_SECRET_KEYS``) a retired key's too.
Records written before this kept the text itself under ``<name>``, and are compared as they
are. Pure.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sagwa.domain.audit import ChainKey, ChainKeys

#: What the text key is derived for (the chain key itself signs records, never texts).
TEXT_KEY_PURPOSE = b"sagwa audit text v1"


@dataclass(frozen=True)
class TextKey:
    """The key of the texts' digests, and its public fingerprint (``<name>_key``)."""

    key: bytes = field(repr=False)

    @property
    def fingerprint(self) -> str:
        return hmac.new(self.key, b"sagwa audit text key id", hashlib.sha256).hexdigest()[:12]


def text_key(chain: ChainKey) -> TextKey:
    """The text key of the chain key ``chain``: stable while the app's secret is."""
    return TextKey(hmac.new(chain.key, TEXT_KEY_PURPOSE, hashlib.sha256).digest())


def text_keys(keys: ChainKeys) -> tuple[TextKey, ...]:
    """The text keys of the current chain key, then of the retired ones."""
    return tuple(text_key(k) for k in keys.every)


def text_digest(text: str, key: TextKey) -> str:
    return hmac.new(key.key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def recorded_text(name: str, text: str | None, key: TextKey) -> dict[str, Any]:
    """What a record keeps of ``text`` under ``name`` (the module docstring)."""
    if not text:
        return {name: None}
    return {f"{name}_hmac": text_digest(text, key), f"{name}_key": key.fingerprint,
            f"{name}_chars": len(text)}


class TextVerdict(StrEnum):
    """Whether a text is the one a record names."""

    MATCHES = "matches"
    DIFFERS = "differs"
    #: the record's digest was made with a key not held (a secret rotated out and not kept)
    KEY_UNKNOWN = "key_unknown"
    #: the record keeps nothing under that name
    NOT_RECORDED = "not_recorded"
    #: no working table keeps the text any more (replaced since, or never kept elsewhere)
    NOT_KEPT = "not_kept"


def check_text(text: str | None, recorded: Mapping[str, Any] | None, name: str,
               keys: Iterable[TextKey]) -> TextVerdict:
    """Whether ``text`` (None: no text) is the one ``recorded`` (a record's ``after``) keeps
    under ``name``, checked with the key it names among ``keys``."""
    after = recorded or {}
    if f"{name}_hmac" not in after:
        if name not in after:
            return TextVerdict.NOT_RECORDED
        same = (after[name] or None) == (text or None)  # a text as written before, or None
        return TextVerdict.MATCHES if same else TextVerdict.DIFFERS
    key = next((k for k in keys if k.fingerprint == after.get(f"{name}_key")), None)
    if key is None:
        return TextVerdict.KEY_UNKNOWN
    same = bool(text) and after.get(f"{name}_chars") == len(str(text)) and hmac.compare_digest(
        text_digest(str(text), key), str(after[f"{name}_hmac"]))
    return TextVerdict.MATCHES if same else TextVerdict.DIFFERS
