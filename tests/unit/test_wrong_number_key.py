"""The digest a wrong-number mark keeps of the number (``domain.wrong_numbers.number_key``)."""

from __future__ import annotations

import hashlib

from sagwa.domain.wrong_numbers import number_key, number_key_secret


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
