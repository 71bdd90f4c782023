"""What the agent is told after correcting a customer's contact details (``contact_flash``):
how many waiting messages went the other way after a removal, and why the rest did not."""

from __future__ import annotations

from sagwa.domain.catalog import Customer
from sagwa.services.customer_contact import ContactChanged
from sagwa.web.pages.contact_details import contact_flash

PERSON = Customer(1, "김민지", None, "010-1234-5678", "ko")


def test_messages_sent_the_other_way_are_counted_and_the_rest_explained() -> None:
    ko, en = contact_flash(7, ContactChanged(PERSON, {"email": "removed"},
                                             messages_withdrawn=3, messages_resent=2))
    assert "email removed" in en
    assert "3 message(s) will not go to the removed one" in en
    assert "2 of them go instead by the customer's other channel" in en
    assert "The other 1 are not sent another way" in en
    assert "그중 2통은 남은 연락처(문자 또는 메일)로 다시 보냅니다" in ko
    assert "나머지 1통은" in ko


def test_all_sent_the_other_way_says_nothing_of_the_rest() -> None:
    ko, en = contact_flash(7, ContactChanged(PERSON, {"email": "removed"},
                                             messages_withdrawn=1, messages_resent=1))
    assert "1 of them go instead" in en and "The other" not in en and "나머지" not in ko


def test_none_waiting_says_nothing_of_messages() -> None:
    _, en = contact_flash(7, ContactChanged(PERSON, {"email": "removed"}))
    assert "message" not in en


def test_none_sent_the_other_way_is_not_called_the_rest() -> None:
    """A CS walk removed an email with one message waiting: "1통은 그리로 보내지 않습니다. 나머지
    1통은 다른 방법으로 보내지 않습니다" read as two messages."""
    ko, en = contact_flash(7, ContactChanged(PERSON, {"email": "removed"},
                                             messages_withdrawn=1, messages_resent=0))
    assert "나머지" not in ko and "The other" not in en
    assert "메시지 1통은 그리로 보내지 않습니다. 그 메시지는 다른 방법으로도 보내지 않습니다" in ko
    assert "It is not sent another way either" in en
    ko, en = contact_flash(7, ContactChanged(PERSON, {"email": "removed"},
                                             messages_withdrawn=2, messages_resent=0))
    assert "그 메시지들은 다른 방법으로도" in ko and "They are not sent another way" in en
