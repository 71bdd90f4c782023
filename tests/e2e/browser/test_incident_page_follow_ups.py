"""The operator's incident page shows the two figures `sagwa incident status` prints beside the
differences still owed: of those customers, how many are due an agent's follow-up now (linked
to that list under the call list, /cs/queue#follow-ups, when any are), and how many took the
discount, then cancelled instead of paying — in Korean and in English."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _told(client: TestClient, incident_id: int) -> tuple[str, str]:
    """The incident page's "customers told" line as the operator sees it, in English and in
    Korean (unescaped)."""
    log_in(client, "admin")
    lines = []
    for lang in ("en", "ko"):
        page = client.get(f"/ops/incidents/{incident_id}?lang={lang}")
        found = re.search(r'<p class="small" id="told-count".*?</p>', page.text, re.DOTALL)
        assert page.status_code == 200 and found, "no told-count line"
        lines.append(unescape(found.group(0)))
    return lines[0], lines[1]


@pytest.fixture
def chosen(world: World, session_factory: sessionmaker[Session],
           page_settings: Settings):  # type: ignore[no-untyped-def]
    """김민준's discount chosen ``ago`` (256,200 KRW still to pay): a function of ``ago``."""
    return lambda ago: discount_chosen(session_factory, page_settings.secret_key, world,
                                       chosen_ago=ago)


def test_a_difference_due_a_follow_up_is_counted_and_linked_to_the_agents_list(
        client: TestClient, chosen) -> None:  # type: ignore[no-untyped-def]
    english, korean = _told(client, chosen(timedelta(days=8)).incident_id)
    link = '<a href="/cs/queue#follow-ups">'
    assert 'data-differences-to-follow-up="1"' in english
    assert f"{link}of them due an agent's follow-up now: 1</a>" in english
    assert f"{link}그중 지금 상담원이 다시 연락할 고객 1명</a>" in korean
    assert "difference not yet paid: 1" in english and "cancelled-instead" not in english


def test_a_difference_not_yet_due_shows_none_due_and_no_link(
        client: TestClient, chosen) -> None:  # type: ignore[no-untyped-def]
    english, korean = _told(client, chosen(timedelta(hours=1)).incident_id)
    assert 'data-differences-to-follow-up="0"' in english
    assert "of them due an agent's follow-up now: 0" in english
    assert "그중 지금 상담원이 다시 연락할 고객 0명" in korean
    assert "/cs/queue#follow-ups" not in english + korean


def test_a_discount_cancelled_instead_is_counted(  # type: ignore[no-untyped-def]
        client: TestClient, chosen, session_factory: sessionmaker[Session]) -> None:
    case = chosen(timedelta(days=8))
    case.clock.now += timedelta(days=8)
    cancel_instead_of_paying(SqlAlchemyUnitOfWork(session_factory, case.clock),
                             case_id=case.case_id, channel="phone",
                             evidence="차액은 부담돼서 취소할게요", taken_by="agent:agent",
                             policy=POLICY)
    english, korean = _told(client, case.incident_id)
    assert ('<span id="cancelled-instead" data-cancelled-instead="1">took the discount, then '
            "cancelled instead of paying: 1</span>") in english
    assert "할인을 골랐다가 차액 대신 주문을 취소한 고객 1명" in korean
    # nobody owes a difference any more, so there is nobody to follow up
    assert "differences-unpaid" not in english and "differences-to-follow-up" not in english
