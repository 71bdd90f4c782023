"""The operators' incident list says per incident what needs attention, in Korean and in
English: how many customers answered, the answer deadline (passed or not), the public notice
against its SLA, the calls owed (linked to the call list) and the differences unpaid and due a
follow-up (linked to that list); a closed incident says only that it is closed."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_actions import _draft
from world import World

from sagwa.config import Settings
from sagwa.services import desk
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _rows(client: TestClient, lang: str) -> dict[int, str]:
    """Incident id -> its row on the list (unescaped), as the operator sees it in ``lang``."""
    page = client.get(f"/ops/incidents?lang={lang}")
    assert page.status_code == 200
    return {int(m.group(1)): unescape(m.group(0)) for m in re.finditer(
        r'<tr data-incident="(\d+)">.*?</tr>', page.text, re.DOTALL)}


@pytest.fixture
def listed(client: TestClient, world: World, session_factory: sessionmaker[Session],
           page_settings: Settings):  # type: ignore[no-untyped-def]
    """The world's incident (declared half an hour ago, notified, one customer asked for a
    person), one whose customer took the discount 8 days ago and has not paid, and a dismissed
    draft; the list in Korean and in English, and their ids."""
    owing = discount_chosen(session_factory, page_settings.secret_key, world,
                            chosen_ago=timedelta(days=8)).incident_id
    dismissed = _draft(session_factory, world.speaker_a)
    desk.close(SqlAlchemyUnitOfWork(session_factory), incident_id=dismissed,
               reason="a real sale", actor="admin:test")
    log_in(client, "admin")
    return _rows(client, "ko"), _rows(client, "en"), (world.incident, owing, dismissed)


def test_an_incident_waiting_for_answers_shows_its_answers_notice_and_calls_owed(listed) -> None:  # type: ignore[no-untyped-def]
    korean, english, (incident, _owing, _dismissed) = listed
    ko, en = korean[incident], english[incident]
    assert 'data-cases="3" data-answered="0" data-deadline="set" data-notice="due"' in ko
    assert f'<a href="/ops/incidents/{incident}">고객 3명 중 0명 답변</a>' in ko
    assert f'<a href="/ops/incidents/{incident}">0 of 3 customers answered</a>' in en
    assert "답변 기한 20" in ko and "answers by 20" in en and "기한 지남" not in ko
    assert re.search(r'<span class="badge wraps">공지 기한 \d{4}-\d\d-\d\d \d\d:\d\d까지</span>',
                     ko)
    assert re.search(r'<span class="badge wraps">notice due by \d{4}-\d\d-\d\d \d\d:\d\d KST'
                     r"</span>", en)
    link = '<a class="badge escalated wraps" href="/cs/queue" data-calls-owed="1">'
    assert f"{link}전화드릴 고객 1명</a>" in ko and f"{link}owed a call: 1</a>" in en
    assert "data-differences-unpaid" not in ko


def test_an_incident_past_its_deadline_shows_the_difference_unpaid_and_due(listed) -> None:  # type: ignore[no-untyped-def]
    korean, english, (_incident, owing, _dismissed) = listed
    ko, en = korean[owing], english[owing]
    assert 'data-cases="1" data-answered="1" data-deadline="past" data-notice="overdue"' in ko
    assert "고객 1명 중 1명 답변" in ko and "1 of 1 customers answered" in en
    assert '<span class="badge held">기한 지남</span>' in ko
    assert '<span class="badge held">passed</span>' in en
    assert '<span class="badge wraps held">공지 기한 지남 ' in ko
    assert re.search(r'<span class="badge wraps held">notice overdue by \d{4}-\d\d-\d\d '
                     r"\d\d:\d\d KST</span>", en)
    assert 'data-differences-unpaid="1">차액 미결제 1명</span>' in ko
    assert 'data-differences-unpaid="1">difference unpaid: 1</span>' in en
    link = ('<a class="badge escalated wraps" href="/cs/queue#follow-ups" '
            'data-differences-to-follow-up="1">')
    assert f"{link}지금 다시 연락할 고객 1명</a>" in ko
    assert f"{link}follow-up due now: 1</a>" in en
    assert "data-calls-owed" not in ko


def test_a_dismissed_draft_says_only_that_it_was_dismissed(listed) -> None:  # type: ignore[no-untyped-def]
    """Before: a draft dismissed as a false alarm said "closed" twice, as if an incident had
    been resolved; it now says it was dismissed."""
    korean, english, (_incident, _owing, dismissed) = listed
    ko, en = korean[dismissed], english[dismissed]
    assert '<span class="badge closed" data-status="closed" data-dismissed>오탐으로 종료</span>' in ko
    assert ('<span class="badge closed" data-status="closed" data-dismissed>'
            "dismissed (false alarm)</span>") in en
    assert '<span class="muted" data-closed data-dismissed>오탐으로 종료</span>' in ko
    assert '<span class="muted" data-closed data-dismissed>dismissed (false alarm)</span>' in en
    assert "종료됨" not in ko and ">closed<" not in en
    for figure in ("data-cases", "data-notice", "data-deadline", "data-calls-owed",
                   "data-differences-unpaid"):
        assert figure not in ko


def test_a_closed_incident_still_owed_a_difference_says_so(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Money still owed outlives closing: the closed incident says it is closed and shows the
    difference unpaid and the follow-up due, and nothing else."""
    from sqlalchemy import update

    from sagwa.adapters.db.tables import incidents
    from sagwa.services.unit_of_work import utc_now

    owing = discount_chosen(session_factory, page_settings.secret_key, world,
                            chosen_ago=timedelta(days=8)).incident_id
    with session_factory() as session:  # closed as an operator left it, the difference unpaid
        session.execute(update(incidents).where(incidents.c.id == owing)
                        .values(status="closed", closed_at=utc_now()))
        session.commit()
    log_in(client, "admin")
    ko, en = _rows(client, "ko")[owing], _rows(client, "en")[owing]
    assert '<span class="muted" data-closed>종료됨</span>' in ko
    assert 'data-differences-unpaid="1">차액 미결제 1명</span>' in ko
    assert 'data-differences-unpaid="1">difference unpaid: 1</span>' in en
    assert 'data-differences-to-follow-up="1">follow-up due now: 1</a>' in en
    for figure in ("data-cases", "data-notice", "data-deadline", "data-calls-owed"):
        assert figure not in ko
