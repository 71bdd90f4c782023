"""What the audit log keeps of a text staff typed about a customer (``domain.audit_text``): a
keyed digest, the key's fingerprint and the text's length, never the text.

Before: the audit log kept the text itself (a customer's name, account number, phone number,
"지병으로 입원중"), and the log can never be changed, so it could never be erased either."""

from __future__ import annotations

import hashlib
import hmac
import json

from sagwa.domain.audit import chain_key, chain_keys
from sagwa.domain.audit_text import (
    TextVerdict,
    check_text,
    recorded_text,
    text_digest,
    text_key,
    text_keys,
)

OLD_SECRET, NEW_SECRET = "the-old-app-secret-0123456789", "the-new-app-secret-9876543210"
OLD, NEW = text_key(chain_key(OLD_SECRET)), text_key(chain_key(NEW_SECRET))
NOTE = "김민준 고객 010-2690-6373, 지병으로 입원중: 국민은행 123-45-6789로 환불 요청"


def test_the_record_keeps_a_keyed_digest_the_key_and_the_length_never_the_text() -> None:
    kept = recorded_text("note", NOTE, OLD)
    assert set(kept) == {"note_hmac", "note_key", "note_chars"}
    assert kept["note_chars"] == len(NOTE) == 55  # characters, not UTF-8 bytes
    assert kept["note_key"] == OLD.fingerprint
    dumped = json.dumps(kept, ensure_ascii=False)
    for part in (NOTE, "김민준", "6373", "입원중", "123-45"):
        assert part not in dumped


def test_the_same_text_under_the_same_key_has_the_same_digest_and_another_key_another() -> None:
    assert text_digest(NOTE, OLD) == text_digest(NOTE, text_key(chain_key(OLD_SECRET)))
    assert text_digest(NOTE, OLD) != text_digest(NOTE, NEW)
    assert text_digest(NOTE, OLD) != text_digest(NOTE + " ", OLD)


def test_a_short_text_cannot_be_found_by_hashing_guesses_without_the_secret() -> None:
    """A plain SHA-256 of a phone number is undone by trying the numbers; the digest is keyed,
    and not with the chain's own key either (a key of its own purpose)."""
    digest = text_digest("010-2690-6373", OLD)
    assert digest != hashlib.sha256(b"010-2690-6373").hexdigest()
    chain = chain_key(OLD_SECRET)
    assert digest != hmac.new(chain.key, b"010-2690-6373", hashlib.sha256).hexdigest()
    assert OLD.key not in (chain.key, OLD_SECRET.encode())


def test_the_fingerprint_names_the_key_and_is_not_the_chain_keys() -> None:
    assert OLD.fingerprint != NEW.fingerprint
    assert OLD.fingerprint != chain_key(OLD_SECRET).fingerprint
    assert len(OLD.fingerprint) == 12 and "key=" not in repr(OLD)  # the key is never shown
    assert [k.fingerprint for k in text_keys(chain_keys(NEW_SECRET, [OLD_SECRET]))] == [
        NEW.fingerprint, OLD.fingerprint]


def test_a_text_recorded_before_a_rotation_still_checks_with_the_retired_key() -> None:
    kept = recorded_text("reference", "KB 0214-01", OLD)
    rotated = text_keys(chain_keys(NEW_SECRET, [OLD_SECRET]))
    assert check_text("KB 0214-01", kept, "reference", rotated) is TextVerdict.MATCHES
    assert check_text("KB 0214-02", kept, "reference", rotated) is TextVerdict.DIFFERS
    assert check_text(None, kept, "reference", rotated) is TextVerdict.DIFFERS
    # the old secret not kept: nothing can be said of it either way
    assert check_text("KB 0214-01", kept, "reference",
                      text_keys(chain_keys(NEW_SECRET))) is TextVerdict.KEY_UNKNOWN


def test_a_digest_or_length_changed_in_the_record_no_longer_checks() -> None:
    kept = recorded_text("note", NOTE, NEW)
    keys = text_keys(chain_keys(NEW_SECRET))
    assert check_text(NOTE, {**kept, "note_chars": 47}, "note", keys) is TextVerdict.DIFFERS
    assert check_text(NOTE, {**kept, "note_hmac": "0" * 64}, "note", keys) is TextVerdict.DIFFERS


def test_no_text_stays_none_and_records_written_before_keep_their_text() -> None:
    keys = text_keys(chain_keys(NEW_SECRET))
    assert recorded_text("note", None, NEW) == {"note": None} == recorded_text("note", "", NEW)
    assert check_text(None, {"note": None}, "note", keys) is TextVerdict.MATCHES
    assert check_text("", {"note": None}, "note", keys) is TextVerdict.MATCHES
    assert check_text("x", {"note": None}, "note", keys) is TextVerdict.DIFFERS
    # an old record: the text as it was written
    assert check_text("voicemail", {"note": "voicemail"}, "note", keys) is TextVerdict.MATCHES
    assert check_text("other", {"note": "voicemail"}, "note", keys) is TextVerdict.DIFFERS
    assert check_text("x", {"outcome": "reached"}, "note", keys) is TextVerdict.NOT_RECORDED
    assert check_text("x", None, "note", keys) is TextVerdict.NOT_RECORDED
