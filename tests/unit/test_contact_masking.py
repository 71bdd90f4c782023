"""Contact details as the audit log keeps them: masked, but old and new still told apart."""

from __future__ import annotations

from sagwa.domain.masking import mask_email, mask_phone


def test_a_phone_number_keeps_its_ends_and_separators() -> None:
    assert mask_phone("010-2690-6373") == "010-****-6373"
    assert mask_phone("01026906373") == "010****6373"
    assert mask_phone("+82 10-1234-0000") == "+82 1*-****-0000"
    assert mask_phone("1234") == "**34"
    assert mask_phone(None) is None


def test_an_email_keeps_its_domain_and_first_letters() -> None:
    assert mask_email("minjun@example.com") == "mi****@example.com"
    assert mask_email("ab@x.kr") == "a****@x.kr"
    assert mask_email(None) is None


def test_an_error_text_keeps_no_whole_address_or_number() -> None:
    """Before the mend a ``message.failed`` audit record masked its recipient but copied the
    error verbatim — "recipient refused: {'minjun.kim@example.com': (550, ...)}" — so the
    append-only log kept the whole address after all."""
    from sagwa.domain.masking import mask_contacts_in

    refused = ("recipient refused: {'minjun.kim@example.com': (550, b'5.1.1 "
               "<minjun.kim@example.com>: Recipient address rejected')}")
    masked = mask_contacts_in(refused)
    assert "minjun.kim@example.com" not in masked
    assert masked.count("mi****@example.com") == 2
    assert "550" in masked and "5.1.1" in masked
    assert mask_contacts_in("SMS to 010-2690-6373 refused") == "SMS to 010-****-6373 refused"
    assert mask_contacts_in("to +82 10 2690 6373.") == "to +82 1* **** 6373."
    assert mask_contacts_in("gave up after 12 attempts at 2026-12-05") \
        == "gave up after 12 attempts at 2026-12-05"
    assert mask_contacts_in(None) is None


def test_a_failed_message_audit_record_masks_its_error() -> None:
    from datetime import UTC, datetime

    from sagwa.adapters.db.outbox_repo import RecordedOutcome
    from sagwa.services.message_audit import delivery_event

    error = ("recipient refused: {'minjun.kim@example.com': (550, b'5.1.1 "
             "<minjun.kim@example.com>: Recipient address rejected')}")
    message = RecordedOutcome(1, 2, 3, 4, "resolution", "email", "minjun.kim@example.com",
                              "s", "b", "failed", 1, datetime.now(UTC), None, error)
    event = delivery_event(message)
    assert event is not None and event.after is not None
    assert "minjun.kim@example.com" not in str(event.after)
    assert "Recipient address rejected" in str(event.after["error"])
