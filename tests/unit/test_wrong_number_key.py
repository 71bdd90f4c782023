"""The digest a wrong-number mark keeps of the number (``domain.wrong_numbers.number_key``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.domain.audit import chain_key, chain_keys
from sagwa.domain.wrong_numbers import number_key, number_key_secret, withheld
from sagwa.services.wrong_numbers import number_secret, number_secrets


def test_the_number_key_cannot_be_recomputed_without_the_secret() -> None:
    """Before the mend the key was an unkeyed SHA-256 of the number's digits: with the masked
    number the audit log shows elsewhere (010-****-6373) the 10^4 candidates were tried in
    milliseconds and the number recovered."""
    key = number_key_secret(b"app secret one")
    digest = number_key("010-2690-6373", key)
    assert digest != hashlib.sha256(b"01026906373").hexdigest()[:16]
    # stable for one secret, however the number is written; another secret, another key
    assert digest == number_key("+82 10 2690 6373", number_key_secret(b"app secret one"))
    assert digest != number_key("010-2690-6373", number_key_secret(b"app secret two"))
    assert number_key_secret(b"app secret one") != b"app secret one"


def test_a_number_marked_under_a_retired_secret_is_still_withheld() -> None:
    """Before the mend a number was compared under the current secret only: once
    SAGWA_SECRET_KEY was rotated, a number marked wrong earlier got the case link again."""
    old, new = number_key_secret(b"app secret one"), number_key_secret(b"app secret two")
    marked = {number_key("010-2690-6373", old)}
    assert withheld("sms", "+82 10 2690 6373", marked, (new, old))
    assert not withheld("sms", "010-2690-6373", marked, (new,))  # the old secret not kept
    assert not withheld("email", "010-2690-6373", marked, (new, old))
    assert not withheld("sms", "010-2690-0000", marked, (new, old))


@dataclass
class _Readers:
    reads: Any
    audit: AuditRepository


def test_marks_are_made_under_the_current_secret_and_read_under_every_kept_one() -> None:
    old, new = "wrong-number-old-secret-01", "wrong-number-new-secret-02"
    readers = _Readers(None, AuditRepository(None, chain_keys(new, [old])))  # type: ignore[arg-type]
    assert number_secret(readers) == number_key_secret(chain_key(new).key)
    assert number_secrets(readers) == (number_key_secret(chain_key(new).key),
                                       number_key_secret(chain_key(old).key))
