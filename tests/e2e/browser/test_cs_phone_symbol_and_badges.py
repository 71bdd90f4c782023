"""What a screen reader says on the agents' pages, as testers heard it. The "☎" before a phone
number was read aloud ("black telephone"), and "☎ —" (no number) said nothing of the missing
number: the symbol is now hidden from it and a missing number is said in words. The call-back
badges on a call card were joined with no full stop between them ("after the answer deadline:
the customer can no longer choose then Do not call before then."); each now ends its own
sentence. TestClient."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import customers
from sagwa.config import Settings
from sagwa.domain.moments import SEOUL
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
PHONE = '<span aria-hidden="true">☎</span>'
NO_PHONE = {"ko": '<span class="visually-hidden">전화번호 없음</span>',
            "en": '<span class="visually-hidden">no phone number</span>'}


def _no_phone(session_factory: sessionmaker[Session], customer_id: int) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        u.conn.execute(customers.update().values(phone=None)
                       .where(customers.c.id == customer_id))
        u.commit()


def _card(page: str, case_id: int) -> str:
    card = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', page,
                     re.DOTALL)
    assert card, f"no card for case {case_id}"
    return card.group(1)


def _heading(page: str, case_id: int) -> str:
    found = re.search(r"<h2>(.*?)</h2>", _card(page, case_id), re.DOTALL)
    assert found
    return found.group(1)


def _follow_up(page: str, case_id: int) -> str:
    found = re.search(rf'<tr data-case="{case_id}"[^>]*>(.*?)</tr>', page, re.DOTALL)
    assert found, "no follow-up row"
    return found.group(1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_phone_symbol_is_hidden_and_a_missing_number_is_said(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]  # on the call list: she asked for a person
    heading = _heading(client.get(f"/cs/queue?lang={lang}").text, case_id)
    assert f"{PHONE} 010-1234-0001</a>" in heading and "☎ " not in heading
    _no_phone(session_factory, world.customers["이서연"])
    heading = _heading(client.get(f"/cs/queue?lang={lang}").text, case_id)
    assert f'<span aria-hidden="true">☎ —</span>{NO_PHONE[lang]}' in heading


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_follow_up_list_hides_the_symbol_and_says_a_missing_number(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(days=8))
    log_in(client, "agent")
    row = _follow_up(client.get(f"/cs/queue?lang={lang}").text, case.case_id)
    assert f"{PHONE} 010-" in row and "☎ " not in row
    _no_phone(session_factory, world.customers["김민준"])
    row = _follow_up(client.get(f"/cs/queue?lang={lang}").text, case.case_id)
    assert f'<span aria-hidden="true">☎ —</span>{NO_PHONE[lang]}' in row


def _badges(card: str) -> list[str]:
    """The sentences of the call-back line: each badge's words, tags removed."""
    line = re.search(r"<p><span class=\"badge escalated wraps\" data-callback-requested>.*?</p>",
                     card, re.DOTALL)
    assert line, "no call-back line"
    parts = re.split(r"</span> <span", line.group(0))
    return [re.sub(r"<[^>]+>|^[^>]*>", "", p).strip() for p in parts]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_each_call_back_badge_ends_its_sentence(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    case_id = world.cases["김민준"]  # still choosing: a time after the deadline is marked
    night = (world.deadline + timedelta(days=1)).astimezone(SEOUL).replace(hour=22, minute=0)
    desk_cases.log_call_attempt(SqlAlchemyUnitOfWork(session_factory, ManualClock(
        datetime.now(UTC))), case_id=case_id, channel="phone", outcome="callback_requested",
        agent="agent:test", policy=POLICY, callback_at=night)
    log_in(client, "agent")
    card = _card(unescape(client.get(f"/cs/cases/{case_id}?lang={lang}").text), case_id)
    assert "data-callback-outside-hours" in card and "data-callback-after-deadline" in card
    said = _badges(card)
    assert len(said) == 4, said
    assert all(s.endswith(".") for s in said), said
    if lang == "ko":
        assert said[1] == "운영 시간 밖: 그 시간에 전화할 사람을 정해 두세요."
        assert said[2] == "답변 기한 뒤: 그때는 고객이 더 이상 고를 수 없습니다."
        assert said[0].endswith("다시 전화해 달라고 요청함.")
    else:
        assert said[1] == "outside contact hours: make sure someone calls then."
        assert said[2] == "after the answer deadline: the customer can no longer choose then."
        assert said[0].startswith("customer asked us to call back on ")
