"""An incident notified outside contact hours (a Saturday evening: the packaged desk policy
opens at 09:00 on Monday), its apologies waiting in the outbox, as the operator's and the
seller's incident pages say it: queued, and when they go — not "notified" beside "told: 0"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in, previewed_plan
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.domain.moments import SEOUL
from sagwa.services.unit_of_work import ManualClock
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

#: A Saturday evening after closing (10:00–14:00 on Saturdays), and when the desk opens next.
SATURDAY_7PM = datetime(2027, 3, 6, 19, 0, tzinfo=SEOUL)
MONDAY_9AM = datetime(2027, 3, 8, 9, 0, tzinfo=SEOUL)


@pytest.fixture
def saturday(database: Database, session_factory: sessionmaker[Session],
             page_settings: Settings, world: World) -> Iterator[TestClient]:
    """The pages as they are on Saturday at 19:00, Korea time."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    app = create_app(page_settings, database=db, clock=ManualClock(SATURDAY_7PM))
    with TestClient(app, follow_redirects=False) as c:
        yield c


def _planned(world: World, session_factory: sessionmaker[Session], settings: Settings) -> int:
    """김민준's case (an email and a phone number), planned on Saturday afternoon."""
    case = notified_two_unit_case(session_factory, settings.secret_key, world,
                                  started=SATURDAY_7PM - timedelta(hours=3),
                                  options=["keep", "talk_to_person"], notified=False)
    return case.incident_id


def _notified_from_the_page(client: TestClient, incident_id: int, lang: str = "en") -> str:
    """Send the apologies with the page's button (in ``lang``), the box saying they were read
    ticked; the page it goes back to."""
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident_id}").text
    sent = client.post(f"/ops/incidents/{incident_id}/notify?lang={lang}",
                       data={"csrf_token": csrf_of(page), "confirmed": "yes",
                             "plan_version": previewed_plan(page)})
    assert sent.status_code == 303, sent.text
    return unescape(client.get(f"{sent.headers['location']}?lang={lang}").text)


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ("Apologies to 1 customer (an email and a text each, where they have both) "
            "queued for Monday, March 8 at 9 am Korea time.")),
    ("ko", ("고객 1명에게 보낼 사과 안내(이메일과 문자가 모두 있는 고객에게는 둘 다)를 3월 8일(월) "
            "오전 9시(한국 시간)에 보내도록 예약했습니다."))])
def test_the_notify_flash_counts_customers_not_messages(
        saturday: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str, said: str) -> None:
    """Found by a tester: "10 apology messages queued for 2026-12-07 09:00 (Korea time)" for
    5 customers, each sent an email and a text."""
    incident_id = _planned(world, session_factory, page_settings)
    shown = _notified_from_the_page(saturday, incident_id, lang)
    flash = re.search(r'<p class="flash [^"]*" role="status"[^>]*>(.*?)</p>', shown)
    assert flash and flash.group(1) == said


def test_the_operators_page_says_the_apologies_are_queued_and_when_they_go(
        saturday: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by a tester: progress said "notified 5" and "not contacted yet 0" under "Customers
    told: 0 of 5", and each row "notified not told yet", with no word of when."""
    incident_id = _planned(world, session_factory, page_settings)
    english = _notified_from_the_page(saturday, incident_id)
    told = re.search(r'<p class="small" id="told-count"[^>]*>(.*?)</p>', english, re.DOTALL)
    words = " ".join(re.sub(r"<[^>]+>", " ", told.group(1)).split()) if told else ""
    assert words == ("Customers told (apology sent, or reached by phone): 0 of 1 · apology "
                     "queued, not sent yet: 1 (goes out Monday, March 8 at 9 am Korea time)")
    bars = dict(re.findall(r'<tr data-state="(\w+)"><td[^>]*>(.*?)</td>', english, re.DOTALL))
    assert bars["open"] == "apology not queued yet"
    assert bars["notified"] == "notified"
    assert "apology queued, not sent yet" in bars["apology_queued"]
    assert "goes out Monday, March 8 at 9 am Korea time" in bars["apology_queued"]
    counts = dict(re.findall(r'<tr data-state="(\w+)">.*?<td class="n">(\d+)</td>', english,
                             re.DOTALL))
    assert (counts["notified"], counts["apology_queued"]) == ("0", "1")
    rows = english.split('id="cases"', 1)[1]
    assert "not told yet" not in rows
    due = re.findall(r'data-apology-due="([^"]+)">(apology not sent yet[^<]*)</span>', rows)
    assert [(datetime.fromisoformat(at), words) for at, words in due] == [
        (MONDAY_9AM, "apology not sent yet · due Monday, March 8 at 9 am Korea time")]
    korean = unescape(saturday.get(f"/ops/incidents/{incident_id}?lang=ko").text)
    assert "사과 안내 발송 대기 1명(3월 8일(월) 오전 9시 발송 예정)" in korean
    assert "사과 안내 발송 전 · 3월 8일(월) 오전 9시 발송 예정" in korean
    assert "아직 사과가 전해지지 않음" not in korean


def test_the_sellers_page_says_when_the_apologies_go_out(
        saturday: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by a tester: the seller's page said only "notifying customers" while every
    apology waited for Monday."""
    incident_id = _planned(world, session_factory, page_settings)
    _notified_from_the_page(saturday, incident_id)
    saturday.cookies.clear()
    log_in(saturday, "seller_a")
    english = unescape(saturday.get(f"/seller/incidents/{incident_id}?lang=en").text)
    said = re.search(r'<p id="apologies-due"[^>]*>(.*?)</p>', english)
    assert said and said.group(1) == ("The apology to 1 of your customers has not gone out "
                                      "yet; it is due to go out Monday, March 8 at 9 am Korea "
                                      "time (we send them only in contact hours).")
    korean = unescape(saturday.get(f"/seller/incidents/{incident_id}?lang=ko").text)
    assert ("내 고객 1명에게 아직 나가지 않은 사과 안내는 3월 8일(월) 오전 9시(한국 시간)에 나갈 예정입니다"
            "(운영 시간에만 보냅니다).") in korean


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ("This incident's apologies are queued already: to 1 customer(s), going out Monday, "
            "March 8 at 9 am Korea time (0 told so far).")),
    ("ko", ("이 사고의 사과 안내는 이미 예약되어 있습니다. 고객 1명에게 3월 8일(월) 오전 9시(한국 시간)에 "
            "보냅니다. 지금까지 안내가 전해진 고객은 0명입니다."))])
def test_notify_again_from_a_stale_page_says_the_apologies_wait_not_told_already(
        saturday: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str, said: str) -> None:
    """Left open by a tester: the button on a page drawn before the apologies were queued
    answered "Its customers have been told already, or are being told" while nobody was."""
    incident_id = _planned(world, session_factory, page_settings)
    log_in(saturday, "admin")
    stale = saturday.get(f"/ops/incidents/{incident_id}").text
    first = saturday.post(f"/ops/incidents/{incident_id}/notify?lang={lang}",
                          data={"csrf_token": csrf_of(stale), "confirmed": "yes",
                                "plan_version": previewed_plan(stale)})
    assert first.status_code == 303, first.text
    again = saturday.post(f"/ops/incidents/{incident_id}/notify?lang={lang}",
                          data={"csrf_token": csrf_of(stale), "confirmed": "yes",
                                "plan_version": previewed_plan(stale)})
    assert again.status_code == 303, again.text
    shown = unescape(saturday.get(f"{again.headers['location']}?lang={lang}").text)
    flash = re.search(r'<p class="flash [^"]*" role="status"[^>]*>(.*?)</p>', shown)
    assert flash and flash.group(1) == said
