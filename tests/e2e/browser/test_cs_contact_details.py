"""The agent's case page corrects a customer's contact details: a customer the desk gave up on
for having no phone number rings in with one; saved on the case page, it puts them back on the
call list and says so; a refused correction comes back next to the form, stores nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from customer_cases import change_customer, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _contact_form(page: str, **typed: str) -> dict[str, str]:
    """The agent's contact form as the browser sends it: the hidden values the page showed."""
    shown = {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
             for name in ("phone_was", "email_was")}
    return {"csrf_token": csrf_of(page), **shown, **typed}


def _card_on_queue(client: TestClient, case_id: int) -> bool:
    return f'<article class="card" id="case-{case_id}">' in client.get("/cs/queue?lang=en").text


def test_a_number_saved_on_the_case_page_puts_the_customer_back_on_the_call_list(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=False)
    _no_phone(session_factory, world)  # nobody can call them
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    log_in(client, "agent")
    assert not _card_on_queue(client, case.case_id)
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    form = re.search(r'<details class="card" id="contact" open>(.*?)</details>', page, re.DOTALL)
    assert form, "the contact form is open for a customer with no number"
    assert "data-no-phone-on-file" in form.group(1)
    assert f'href="/cs/cases/{case.case_id}#contact"' in page  # the call state points to it
    # both left empty: refused next to the form, in the page's language; nothing stored
    refused = client.post(f"/cs/cases/{case.case_id}/contact?lang=en",
                          data=_contact_form(page, phone="", email=""), follow_redirects=False)
    assert refused.status_code == 422
    said = unescape(refused.text)
    assert 'id="contact-problem"' in said
    assert "the email and the phone number cannot both be removed" in said
    assert "@example.com" in client.get(f"/cs/cases/{case.case_id}?lang=en").text
    # the number the customer gave
    saved = client.post(f"/cs/cases/{case.case_id}/contact?lang=en", data=_contact_form(
        page, phone="010-4321-8765",
        email=re.search(r'id="contact-email"[^>]*value="([^"]*)"', page).group(1)))
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/cs/cases/{case.case_id}#contact"
    told = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "phone number added" in told and "back on the call list" in told
    assert '<span aria-hidden="true">☎</span> 010-4321-8765' in told
    assert '<details class="card" id="contact">' in told  # closed: there is a number now
    assert _card_on_queue(client, case.case_id)


def _no_phone(session_factory: sessionmaker[Session], world: World) -> None:
    change_customer(session_factory, world.customers["김민준"], phone=None)


def test_a_customer_with_no_number_who_asked_for_a_person_leaves_one_on_their_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"])
    _no_phone(session_factory, world)
    page = client.get(f"/c/{case.token}?lang=en").text
    assert 'id="leave-phone"' in page  # they may still ask for a person
    asked = client.post(f"/c/{case.token}/choose?lang=en", data={
        "csrf_token": csrf_of(page), "choice": "talk_to_person"})
    assert asked.status_code == 303
    page = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "We have no phone number for you, so we cannot call you" in page
    bad = client.post(f"/c/{case.token}/phone?lang=en", data={
        "csrf_token": csrf_of(page), "phone": "my phone"}, follow_redirects=False)
    assert bad.status_code == 422
    said = unescape(bad.text)
    assert 'id="phone-problem"' in said and "That is not a phone number" in said
    assert 'value="my phone"' in said and 'id="problem"' not in said
    for uncallable in ("010-1234", "00000000", "0-0-0-0-0", "010--------1234"):  # found by QA
        bad = client.post(f"/c/{case.token}/phone?lang=en", data={
            "csrf_token": csrf_of(page), "phone": uncallable}, follow_redirects=False)
        assert bad.status_code == 422, uncallable
        assert ("That is not a phone number we can call. Type a Korean number from its 0, 9 to "
                "11 digits (like 010-1234-5678 or 02-123-4567; 12 for a 050x safe number like "
                "0504-1234-5678), or an overseas one from + and its country code"
                ) in unescape(bad.text)
    saved = client.post(f"/c/{case.token}/phone?lang=en", data={
        "csrf_token": csrf_of(page), "phone": "010-3333-4444"}, follow_redirects=False)
    assert saved.status_code == 303
    after = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "Your number is saved; one of our staff will call you" in after
    # the form is gone: the number is said once, so a typo can be seen and reported
    assert ("The number we saved: 010-3333-4444. If it is wrong, please tell our contact "
            "centre (1544-0000).") in after
    assert 'id="leave-phone"' not in after  # there is a number now
    again = client.post(f"/c/{case.token}/phone?lang=en", data={
        "csrf_token": csrf_of(after), "phone": "010-5555-6666"}, follow_redirects=False)
    assert again.status_code == 409  # changing a number on file takes a person
    assert "We already have a phone number for you" in unescape(again.text)
    log_in(client, "agent")
    assert '<span aria-hidden="true">☎</span> 010-3333-4444' in client.get("/cs/queue?lang=en").text


def test_an_escalated_customer_who_leaves_a_number_is_told_we_will_call(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by a review: a customer put on the call list near the deadline without answering
    was told "if you ask to talk to a person, we will call you" — agents were calling anyway."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"])
    _no_phone(session_factory, world)
    desk_cases.escalate_unanswered(SqlAlchemyUnitOfWork(session_factory, case.clock),
                                   incident_id=case.incident_id, actor="system")
    page = client.get(f"/c/{case.token}?lang=en").text
    client.post(f"/c/{case.token}/phone?lang=en", data={
        "csrf_token": csrf_of(page), "phone": "010-3333-4444"})
    after = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "Your number is saved; one of our staff will call you" in after
    assert "If you ask to talk to a person" not in after
    page = client.get(f"/c/{case.token}?lang=ko").text
    change_customer(session_factory, world.customers["김민준"], phone=None)
    client.post(f"/c/{case.token}/phone?lang=ko", data={
        "csrf_token": csrf_of(page), "phone": "+82 10-3333-4444"})
    korean = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert "저장한 번호: +82 10-3333-4444. 번호가 틀렸다면 고객센터(1544-0000)로 알려 주세요." in korean


def test_a_customer_given_up_for_no_number_is_owed_the_call_again_once_they_leave_one(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=False)
    _no_phone(session_factory, world)
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    page = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert 'id="leave-phone"' in page and "전화번호가 없어 전화드릴 수 없습니다" in page
    saved = client.post(f"/c/{case.token}/phone?lang=ko", data={
        "csrf_token": csrf_of(page), "phone": "010-3333-4444"}, follow_redirects=False)
    assert saved.status_code == 303
    after = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    # when: "곧" in the contact centre's hours, else from its next opening (wall-clock time)
    assert "전화번호를 저장했습니다. " in after
    assert "상담원이 곧 전화드리겠습니다" in after or "부터 상담원이 전화드리겠습니다" in after
    assert "전화번호가 없어 전화드릴 수 없습니다" not in after
    log_in(client, "agent")
    assert _card_on_queue(client, case.case_id)


def _case_page_of_agent(client: TestClient, world: World,
                        session_factory: sessionmaker[Session],
                        page_settings: Settings) -> tuple[Any, str, str]:
    """A case page opened by an agent: the case, its HTML and the email it shows."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"])
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    return case, page, re.search(r'id="contact-email"[^>]*value="([^"]*)"', page).group(1)


def _page_then_another_agents_email(client: TestClient, world: World,
                                    session_factory: sessionmaker[Session],
                                    page_settings: Settings) -> tuple[Any, str, str]:
    """A case page opened by an agent (the case, its HTML, the email it shows); then another
    agent corrects the customer's email to minjun.new@example.com."""
    from world import POLICY

    from sagwa.services.customer_contact import change_customer_contact

    case, page, shown = _case_page_of_agent(client, world, session_factory, page_settings)
    change_customer_contact(SqlAlchemyUnitOfWork(session_factory, case.clock),
                            customer_id=world.customers["김민준"], actor="agent:other",
                            policy=POLICY, email="minjun.new@example.com")
    return case, page, shown


def _number_saved_and_the_other_agents_email_kept(client: TestClient, case_id: int, page: str,
                                                  shown: str) -> None:
    """The form of ``page`` sent with a number and the email it showed: the number is saved,
    and the email another agent saved meanwhile stays."""
    sent = client.post(f"/cs/cases/{case_id}/contact?lang=en",
                       data=_contact_form(page, phone="010-8888-9999", email=shown),
                       follow_redirects=False)
    assert sent.status_code == 303
    after = client.get(f"/cs/cases/{case_id}?lang=en").text
    assert "minjun.new@example.com" in after and "010-8888-9999" in after


def test_a_form_sent_after_another_agents_correction_changes_only_what_it_changed(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by a review: the form sent both fields, so a page opened before another agent
    corrected the email put the old email back."""
    case, page, shown = _page_then_another_agents_email(client, world, session_factory,
                                                        page_settings)
    _number_saved_and_the_other_agents_email_kept(client, case.case_id, page, shown)


def test_a_refused_form_keeps_what_its_page_showed_and_names_the_change_made_meanwhile(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The refused form came back with what is stored now as "was": sent again, it put this
    agent's stale email over the one another agent had saved meanwhile."""
    case, page, shown = _page_then_another_agents_email(client, world, session_factory,
                                                        page_settings)
    refused = client.post(f"/cs/cases/{case.case_id}/contact?lang=en",
                          data=_contact_form(page, phone="call me", email=shown),
                          follow_redirects=False)
    assert refused.status_code == 422
    again = unescape(refused.text)
    assert _contact_form(again)["email_was"] == shown  # what the first page showed
    assert "data-contact-changed-meanwhile" in again
    assert "Someone else changed this customer's details meanwhile" in again
    assert "minjun.new@example.com" in again
    _number_saved_and_the_other_agents_email_kept(client, case.case_id, again, shown)


def test_an_address_removed_on_the_case_page_sends_the_waiting_apology_by_text(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The customer's apology waited for an address they say is not theirs (its text copy had
    gone with a number removed before): the agent gives the number they have now and removes
    the address in one save, and is told the apology goes by text instead."""
    from sqlalchemy import select
    from world import POLICY

    from sagwa.adapters.db.tables import outbox
    from sagwa.services.customer_contact import change_customer_contact

    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"], sent=False)
    change_customer_contact(SqlAlchemyUnitOfWork(session_factory, case.clock),
                            customer_id=world.customers["김민준"], actor="agent:other",
                            policy=POLICY, phone=None)
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    sent = client.post(f"/cs/cases/{case.case_id}/contact?lang=en",
                       data=_contact_form(page, phone="010-2222-3333", email=""))
    assert sent.status_code == 303
    said = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    # (the customer's apologies of their other incidents count too: every one goes by text)
    assert re.search(r"(\d+) message\(s\) will not go to the removed one\. \1 of them go "
                     r"instead by the customer's other channel \(text or email\)\.", said)
    with session_factory() as s:
        waiting = s.execute(select(outbox.c.channel, outbox.c.recipient).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "resolution",
            outbox.c.status == "pending")).all()
    assert [tuple(w) for w in waiting] == [("sms", "010-2222-3333")]


def test_a_stale_form_does_not_overwrite_a_number_changed_meanwhile(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by QA with two tabs: tab B saved 010-1111-2222; tab A, still showing the old
    number, saved 010-3333-4444 over it and was told the same "corrected". Now tab A is refused,
    told what is stored now, with what it typed kept; sent again, it is a decision and saves."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=1),
                                  options=["keep", "talk_to_person"])
    log_in(client, "agent")
    tab_a = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    email = re.search(r'id="contact-email"[^>]*value="([^"]*)"', tab_a).group(1)
    url = f"/cs/cases/{case.case_id}/contact?lang=en"
    tab_b = client.post(url, data=_contact_form(tab_a, phone="010-1111-2222", email=email))
    assert tab_b.status_code == 303
    same = client.post(url, data=_contact_form(tab_a, phone="010 1111 2222", email=email))
    assert same.status_code == 303  # the number tab B saved, written another way: no conflict
    refused = client.post(url, data=_contact_form(tab_a, phone="010-3333-4444", email=email),
                          follow_redirects=False)
    assert refused.status_code == 409
    said = unescape(refused.text)
    assert ("Someone else changed this customer's contact details after this page was opened. "
            f"Stored now: phone 010-1111-2222, email {email}. Nothing was saved") in said
    assert 'id="contact-problem"' in said
    assert re.search(r'id="contact-phone"[^>]*value="010-3333-4444"', said)  # as typed
    assert ('<span aria-hidden="true">☎</span> 010-1111-2222'
            in client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    again = client.post(url, data=_contact_form(said, phone="010-3333-4444", email=email))
    assert again.status_code == 303  # told what is stored, the agent saves theirs anyway
    assert ('<span aria-hidden="true">☎</span> 010-3333-4444'
            in client.get(f"/cs/cases/{case.case_id}?lang=en").text)


@pytest.mark.parametrize("typed", ["０１０-5555-6666", "010–5555–6666", "010—5555—6666"])
def test_a_number_typed_with_full_width_digits_or_long_dashes_is_saved_in_plain_characters(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, typed: str) -> None:
    """Found by QA: the form refused "０１０-5555-6666" and "010–5555–6666" as no phone number,
    while the lookup box on the same desk reads them. Saved as the digits and hyphens they
    are, and the lookup finds the customer by the same typing."""
    case, page, email = _case_page_of_agent(client, world, session_factory, page_settings)
    sent = client.post(f"/cs/cases/{case.case_id}/contact?lang=en",
                       data=_contact_form(page, phone=typed, email=email),
                       follow_redirects=False)
    assert sent.status_code == 303, unescape(sent.text)[:2000]
    assert ('<span aria-hidden="true">☎</span> 010-5555-6666'
            in client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    found = client.get("/cs/cases", params={"q": typed})
    assert f'<tr data-case="{case.case_id}">' in found.text
