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
