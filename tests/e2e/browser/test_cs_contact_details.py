"""The agent's case page corrects a customer's contact details: a customer the desk gave up on
for having no phone number rings in with one; saved on the case page, it puts them back on the
call list and says so; a refused correction comes back next to the form, stores nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.tables import customers
from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _card_on_queue(client: TestClient, case_id: int) -> bool:
    return f'<article class="card" id="case-{case_id}">' in client.get("/cs/queue?lang=en").text


def test_a_number_saved_on_the_case_page_puts_the_customer_back_on_the_call_list(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=False)
    with session_factory() as s:  # no number on file: nobody can call them
        s.execute(update(customers).where(customers.c.id == world.customers["김민준"])
                  .values(phone=None))
        s.commit()
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
    refused = client.post(f"/cs/cases/{case.case_id}/contact?lang=en", data={
        "csrf_token": csrf_of(page), "phone": "", "email": ""}, follow_redirects=False)
    assert refused.status_code == 422
    said = unescape(refused.text)
    assert 'id="contact-problem"' in said
    assert "the email and the phone number cannot both be removed" in said
    assert "@example.com" in client.get(f"/cs/cases/{case.case_id}?lang=en").text
    # the number the customer gave
    saved = client.post(f"/cs/cases/{case.case_id}/contact?lang=en", data={
        "csrf_token": csrf_of(page), "phone": "010-4321-8765",
        "email": re.search(r'id="contact-email"[^>]*value="([^"]*)"', page).group(1)})
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/cs/cases/{case.case_id}#contact"
    told = unescape(client.get(f"/cs/cases/{case.case_id}?lang=en").text)
    assert "phone number added" in told and "back on the call list" in told
    assert "☎ 010-4321-8765" in told
    assert '<details class="card" id="contact">' in told  # closed: there is a number now
    assert _card_on_queue(client, case.case_id)
