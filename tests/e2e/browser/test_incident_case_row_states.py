"""Each row of the incident page's case table says where its apology stands in one state, the
same state its progress bar counts it in — read from the case (``told``: its apology was sent,
or an agent reached the customer) and the outbox (an apology waiting, and since when it is due):

- told: "안내 발송" (the bar "notified");
- waiting for its time (held for contact hours): "발송 전 · <when> 발송 예정";
- its time has come and it has not gone yet (a worker sends it, or retries): "발송 중", never
  "발송 전 · <a time already past> 발송 예정" (a reviewer saw that at 11:19 under "notified 1");
- nothing on its way and never told (its copies failed or were withdrawn): "not told", never
  "notified" beside "not told yet" (a reviewer saw that right after notifying)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from speaker_plan import planned_speaker
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.config import Settings
from sagwa.domain.moments import SEOUL
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

#: Notified on a Saturday afternoon after closing (10:00–14:00 on Saturdays): the apologies
#: wait for Monday 09:00; the page read that evening, and on Monday at 09:30.
SATURDAY_4PM = datetime(2027, 3, 6, 16, 0, tzinfo=SEOUL)
SATURDAY_7PM = datetime(2027, 3, 6, 19, 0, tzinfo=SEOUL)
MONDAY_9AM = datetime(2027, 3, 8, 9, 0, tzinfo=SEOUL)
MONDAY_930 = datetime(2027, 3, 8, 9, 30, tzinfo=SEOUL)


@dataclass
class PagesAt:
    """The admin's client of an app whose clock is ``clock`` (the pages as they are then)."""

    clock: ManualClock
    client: TestClient


@pytest.fixture
def page_at(database: Database, session_factory: sessionmaker[Session], page_settings: Settings,
            world: World) -> Iterator[PagesAt]:
    clock = ManualClock(SATURDAY_7PM)
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(page_settings, database=db, clock=clock),
                    follow_redirects=False) as client:
        log_in(client, "admin")
        yield PagesAt(clock, client)


def _notified(session_factory: sessionmaker[Session], world: World,
              secret: str) -> tuple[int, dict[str, int]]:
    """The speaker incident notified on Saturday at 16:30: its id, and customer -> case id."""
    clock = ManualClock(SATURDAY_4PM)
    incident = planned_speaker(session_factory, world, clock=clock)
    clock.advance(timedelta(minutes=30))
    notify(SqlAlchemyUnitOfWork(session_factory, clock), incident_id=incident,
           actor="admin:test", policy=POLICY, links=LinkMaker(secret, "http://127.0.0.1"))
    with SqlAlchemyUnitOfWork(session_factory) as u:
        cases = {name: int(r.case.case_id) for r in u.cases.for_incident(incident)
                 for name, cid in world.customers.items() if cid == int(r.case.customer_id)}
    return incident, cases


def _apologies_become(session_factory: sessionmaker[Session], case_id: int, status: str,
                      at: datetime) -> None:
    """The case's apology copies recorded ``sent`` (the customer is told) or ``withdrawn``."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        ids = u.conn.execute(select(outbox.c.id).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "resolution")).scalars().all()
        for message_id in ids:
            u.outbox.record_outcome(message_id, status=status, sent_at=at if status == "sent"
                                    else None, last_error=None if status == "sent"
                                    else "withdrawn: the address was removed")
        u.commit()


def _rows(page: str) -> dict[int, str]:
    """Case id -> the words of its status cell."""
    table = page.split('id="cases"', 1)[1].split("</table>", 1)[0]
    return {int(case): " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for case, cell in re.findall(r'<tr[^>]*>\s*<td[^>]*>#(\d+)</td>.*?'
                                         r'<td data-label="(?:상태|Status)">(.*?)</td>',
                                         table, re.DOTALL)}


def _row_states(page: str) -> Counter[str]:
    """How many rows are in each state (their ``data-state``)."""
    table = page.split('id="cases"', 1)[1].split("</table>", 1)[0]
    return Counter(re.findall(r'data-row-state="(\w+)"', table))


def _bars(page: str) -> dict[str, tuple[str, int]]:
    """Progress bar -> (its words, its count)."""
    return {state: (" ".join(unescape(re.sub(r"<[^>]+>", " ", words)).split()), int(n))
            for state, words, n in re.findall(
                r'<tr data-state="(\w+)"><td[^>]*>(.*?)</td>.*?<td class="n">(\d+)</td>', page,
                re.DOTALL)}


def test_each_row_says_one_state_and_the_bars_count_the_same(
        page_at: PagesAt, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    client = page_at.client
    incident, cases = _notified(session_factory, world, page_settings.secret_key)
    evening = client.get(f"/ops/incidents/{incident}").text
    rows = _rows(evening)
    assert set(rows.values()) == {"사과 안내 발송 전 · 3월 8일(월) 오전 9시 발송 예정"}
    assert _bars(evening)["apology_queued"] == ("사과 안내 발송 대기 3월 8일(월) 오전 9시 발송 예정", 3)
    assert _bars(evening)["notified"][1] == 0

    page_at.clock.now = MONDAY_930
    log_in(client, "admin")  # the evening's session has lapsed
    _apologies_become(session_factory, cases["김민준"], "sent", MONDAY_9AM + timedelta(minutes=1))
    _apologies_become(session_factory, cases["이서연"], "withdrawn", MONDAY_9AM)
    monday = client.get(f"/ops/incidents/{incident}").text
    rows = _rows(monday)
    assert rows[cases["김민준"]] == "안내 발송"
    assert rows[cases["이서연"]] == "사과 안내가 전해지지 않음"
    assert rows[cases["Alex Kim"]] == "사과 안내 발송 중 (3월 8일(월) 오전 9시부터)"
    assert "발송 예정" not in monday.split('id="cases"', 1)[1]
    bars = _bars(monday)
    assert bars["notified"] == ("안내 발송", 1)
    assert bars["apology_sending"] == ("사과 안내 발송 중", 1)
    assert bars["not_told"] == ("사과 안내가 전해지지 않음", 1)
    assert "apology_queued" not in bars
    states = _row_states(monday)
    assert states == Counter({"notified": 1, "apology_sending": 1, "not_told": 1})
    assert all(bars[state][1] == n for state, n in states.items())
    told = re.search(r'id="told-count"[^>]*>(.*?)</p>', monday, re.DOTALL)
    said = " ".join(unescape(re.sub(r"<[^>]+>", " ", told.group(1) if told else "")).split())
    assert said == "사과 안내가 전해진 고객 1명 / 3명 · 사과 안내 발송 대기 1명(3월 8일(월) 오전 9시부터 발송 중)"


def test_the_english_page_says_the_same_states(
        page_at: PagesAt, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    client = page_at.client
    incident, cases = _notified(session_factory, world, page_settings.secret_key)
    page_at.clock.now = MONDAY_930
    log_in(client, "admin")
    _apologies_become(session_factory, cases["이서연"], "withdrawn", MONDAY_9AM)
    english = client.get(f"/ops/incidents/{incident}?lang=en").text
    rows = _rows(english)
    assert rows[cases["이서연"]] == "apology not delivered"
    assert rows[cases["Alex Kim"]] == ("apology being sent (due since Monday, March 8 at 9 am "
                                       "Korea time)")
    bars = _bars(english)
    assert bars["apology_sending"] == ("apology being sent", 2)
    assert bars["not_told"] == ("apology not delivered", 1)
