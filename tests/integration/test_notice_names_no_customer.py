"""A public notice names no customer (``services.notice_privacy``), on real PostgreSQL: a name,
an email address or a phone number of one of the incident's customers — however the number is
written — or any mobile number, typed into a notice, is refused by the editor's check and by
publishing, and nothing is published; the drafted notice (the contact centre's phone and email
in it) still publishes. Before: the check passed them and the board, which keeps every version, showed them for good."""

from __future__ import annotations

import pytest
from test_desk import POLICY, _declared, shop  # noqa: F401  (shop is the fixture)

from sagwa.errors import MessageRefused
from sagwa.services import desk, notices
from sagwa.services.notice_privacy import CUSTOMER_DATA


def _scoped(shop) -> int:  # type: ignore[no-untyped-def]  # noqa: F811
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    return incident_id


@pytest.mark.parametrize(("lang", "line"), [
    ("ko", "고객1 고객님께는 따로 연락드렸습니다."),
    ("ko", "고객 1 고객님께는 따로 연락드렸습니다."),  # the name with a space in it
    ("en", "We have already called Alex Kim about this."),
    ("en", "Questions from c2@EXAMPLE.com were answered."),
    ("ko", "010 1234 0003 번호의 고객님께 사과드렸습니다."),
    ("en", "The customer at +82 10-1234-0004 was refunded."),
    ("ko", "판매자 담당자 010-9999-8888로 연락 주세요."),  # anyone's mobile number
])
def test_a_notice_naming_a_customer_is_refused_and_nothing_is_published(
        shop, lang: str, line: str) -> None:  # noqa: F811
    uow = shop[0]
    incident_id = _scoped(shop)
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang=lang, policy=POLICY)
    body = f"{body}\n\n{line}"
    checked = notices.check_notice(uow(), incident_id=incident_id, lang=lang,
                                   text=notices.notice_text(title, body),
                                   contact=POLICY.contact)
    assert not checked.ok and CUSTOMER_DATA in checked.codes
    [found] = [f for f in checked.findings if f.code == CUSTOMER_DATA]
    text = notices.notice_text(title, body)
    assert found.span is not None and text[found.span[0]:found.span[1]].strip() in line
    with pytest.raises(MessageRefused):
        notices.publish_notice(uow(), incident_id=incident_id, lang=lang, title=title,
                               body=body, actor="operator:lee", contact=POLICY.contact)
    with uow() as u:
        assert u.cases.notices(incident_id) == []


def test_the_drafted_notice_with_the_contact_centres_phone_and_email_publishes(
        shop) -> None:  # noqa: F811
    uow = shop[0]
    incident_id = _scoped(shop)
    for lang in ("ko", "en"):
        title, body = notices.draft_notice(uow(), incident_id=incident_id, lang=lang,
                                           policy=POLICY)
        assert POLICY.contact.phone in body and POLICY.contact.email in body
        checked = notices.check_notice(uow(), incident_id=incident_id, lang=lang,
                                       text=notices.notice_text(title, body))
        assert CUSTOMER_DATA not in checked.codes, checked.findings
        notices.publish_notice(uow(), incident_id=incident_id, lang=lang, title=title,
                               body=body, actor="operator:lee")


def test_the_check_reads_the_incidents_customers_and_no_one_elses(shop) -> None:  # noqa: F811
    """The check reads the customers of the incident's cases in one query: exactly them."""
    uow = shop[0]
    incident_id = _scoped(shop)
    with uow() as u:
        expected = sorted({int(r.case.customer_id) for r in u.cases.for_incident(incident_id)})
        found = [int(c.id) for c in u.catalog.customers_of_incident(incident_id)]
        assert expected and found == expected
        assert u.catalog.customers_of_incident(incident_id + 1000) == []
