"""A choice an agent takes by phone while the customer's apology still waits for contact hours,
on real PostgreSQL: the choice withdraws the apology, so the confirmation is the first word the
customer gets. It must apologise itself — not "once more" — and give the link to their page
rather than send them to "the link in our message" they never got (found by a walkthrough: an
apology queued for 09:00, the choice recorded by phone the evening before). A customer whose
apology went out is still told "once more" and pointed to it."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_desk_difference import OPTIONS

from sagwa.adapters.db.tables import customers, outbox
from sagwa.messagecheck.engine import check_message
from sagwa.services import desk_cases
from sagwa.services.desk_notify import notify

SEOUL = ZoneInfo("Asia/Seoul")
DISCOUNT = OPTIONS[2]
EARLIER_LINK = {"ko": "안내 메시지의 링크", "en": "the link in our earlier message"}
MAY_CANCEL = {"ko": "차액을 결제하시기 전까지는 주문 취소로 바꾸실 수 있습니다.",
              "en": "Until the difference is paid, you can still cancel your order instead"}


def _notified_in_the_evening(shop):  # type: ignore[no-untyped-def]
    """Planned with the cancellation and 20% off, notified on Thursday evening: the apologies
    wait for Friday 09:00. Customer 3 reads English; customers 2 and 3 have no email (they are
    confirmed by text). The unit of work, the clock, case ids by customer, the customers."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, options=OPTIONS, discount_pct=20)
    with uow() as u:
        u.conn.execute(customers.update().where(customers.c.id == people[3]).values(locale="en"))
        u.conn.execute(customers.update().where(customers.c.id.in_(people[2:4]))
                       .values(email=None))
        u.commit()
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    clock.now = datetime(2008, 6, 12, 20, 0, tzinfo=SEOUL)
    return uow, clock, cases, people


def _by_phone(uow, case_id: int, choice: str) -> None:  # type: ignore[no-untyped-def]
    assert desk_cases.record_choice(uow(), case_id=case_id, choice=choice, channel="phone",
                                    evidence=f"on the phone: {choice}", taken_by="agent:park",
                                    policy=POLICY, links=LINKS).changed


def _outbox(uow, case_id: int,  # type: ignore[no-untyped-def]
            purpose: str) -> dict[str, tuple[str, str]]:
    """(status, body) of the case's ``purpose`` messages, by channel."""
    with uow() as u:
        return {str(r.channel): (str(r.status), str(r.body)) for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.status, outbox.c.body).where(
                outbox.c.case_id == case_id, outbox.c.purpose == purpose))}


def test_a_choice_taken_before_the_apology_went_out_is_confirmed_with_the_apology_and_link(
        shop) -> None:
    uow, _clock, cases, people = _notified_in_the_evening(shop)
    for person in people[:2]:
        _by_phone(uow, cases[person], DISCOUNT)
    for person in people[2:4]:
        _by_phone(uow, cases[person], "keep")
    for person in people[:4]:  # withdrawn unsent, by both channels
        assert {s for s, _ in _outbox(uow, cases[person], "resolution").values()} == {
            "withdrawn"}
    english = _outbox(uow, cases[people[0]], "confirmation")["email"][1]
    korean = _outbox(uow, cases[people[1]], "confirmation")["email"][1]
    assert english.startswith("Dear Alex Kim, we are sorry for the pricing error.")
    assert "once more" not in english
    assert korean.startswith("고객1 고객님, 가격 오류로 불편을 드려 죄송합니다.")
    assert "다시 한 번" not in korean
    for lang, body, person in (("en", english, people[0]), ("ko", korean, people[1])):
        assert EARLIER_LINK[lang] not in body
        # their page, where they may still cancel instead, linked in the confirmation itself
        [line] = [ln for ln in body.splitlines() if f"{LINKS.base_url}/c/" in ln]
        assert MAY_CANCEL[lang] in line
        assert check_message(body, kind="resolution", lang=lang).ok, body
    text_en = _outbox(uow, cases[people[3]], "confirmation")["sms"][1]
    text_ko = _outbox(uow, cases[people[2]], "confirmation")["sms"][1]
    assert text_en.startswith("[sagwa] We're sorry that ") and "again" not in text_en
    assert text_ko.startswith("[사과 고객센터] ") and "다시 한 번" not in text_ko
    assert "죄송합니다" in text_ko
    for lang, body in (("en", text_en), ("ko", text_ko)):
        assert check_message(body, kind="resolution", lang=lang).ok, body


def test_a_customer_whose_apology_went_out_is_sorry_once_more_and_pointed_to_its_link(
        shop) -> None:
    uow, clock, cases, people = _notified_in_the_evening(shop)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    for person in people[:2]:
        _by_phone(uow, cases[person], DISCOUNT)
    _by_phone(uow, cases[people[2]], "keep")
    english = _outbox(uow, cases[people[0]], "confirmation")["email"][1]
    korean = _outbox(uow, cases[people[1]], "confirmation")["email"][1]
    assert english.startswith("Dear Alex Kim, once more we are sorry for the pricing error.")
    assert korean.startswith("고객1 고객님, 다시 한 번 가격 오류로 불편을 드려 죄송합니다.")
    for lang, body in (("en", english), ("ko", korean)):
        assert EARLIER_LINK[lang] in body and f"{LINKS.base_url}/c/" not in body
        assert check_message(body, kind="resolution", lang=lang).ok, body
    text_ko = _outbox(uow, cases[people[2]], "confirmation")["sms"][1]
    assert "불편을 드려 다시 한 번 죄송합니다" in text_ko


def test_any_choice_taken_before_the_apology_is_confirmed_with_the_link_and_the_cause(
        shop) -> None:
    """Before the mend only the discount's confirmation gave the link: a customer who chose to
    keep their order by phone before their apology went out got an email with no link to their
    page and no word of how the wrong price came about — the first and only message they got."""
    uow, _clock, cases, people = _notified_in_the_evening(shop)
    for person in (people[4], people[5], people[2]):
        _by_phone(uow, cases[person], "keep")
    for person, lang in ((people[4], "ko"), (people[5], "ko")):
        body = _outbox(uow, cases[person], "confirmation")["email"][1]
        [line] = [ln for ln in body.splitlines() if f"{LINKS.base_url}/c/" in ln]
        assert MAY_CANCEL[lang] not in line  # not the discount's sentence: a line of its own
        assert "잘못 " in body.splitlines()[1], body  # the cause, right after the apology
        assert check_message(body, kind="resolution", lang=lang).ok, body
    text_ko = _outbox(uow, cases[people[2]], "confirmation")["sms"][1]
    assert f"{LINKS.base_url}/c/" in text_ko
    assert check_message(text_ko, kind="resolution", lang="ko").ok, text_ko
