"""The notice editor judges a notice as publishing does (``notices.check_notice`` on
``notices.notice_text``): for an incident on a book called "소송의 기술" (소송: a lawsuit), the
draft that names it shows no threat — in the editor, in the live check as it is typed, and when a
notice is refused on publishing — while the threat an operator adds is shown, quoting the added
sentence only."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.adapters.db.tables import listings, products
from sagwa.services import notices
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
BOOK = "소송의 기술"
THREAT = "이 가격으로 주문을 계속 요구하시면 법적 조치를 취하겠습니다."


@pytest.fixture
def draft(world: World, session_factory: sessionmaker[Session]) -> tuple[str, str]:
    """The world's incident on a product renamed BOOK; its Korean draft (title, body)."""
    listed = (select(listings.c.product_id).where(listings.c.id == world.macbook_b)
              .scalar_subquery())
    with SqlAlchemyUnitOfWork(session_factory) as u:
        u.conn.execute(products.update().values(title=BOOK).where(products.c.id == listed))
        u.commit()
    title, body = notices.draft_notice(SqlAlchemyUnitOfWork(session_factory),
                                       incident_id=world.incident, lang="ko", policy=POLICY)
    assert BOOK in title
    return title, body


def _threats(html: str) -> list[str]:
    """The words each threat finding marks."""
    return [m for li in re.findall(r'<li class="finding error" data-code="threat">(.*?)</li>',
                                   unescape(html), re.DOTALL)
            for m in re.findall(r"<mark>(.*?)</mark>", li)]


def _live_check(client: TestClient, world: World, title: str, body: str, token: str) -> str:
    answer = client.post(f"/ops/incidents/{world.incident}/notice/check",
                         data={"title": title, "body": body, "lang": "ko"},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_the_editor_and_the_live_check_do_not_read_the_books_name_as_a_threat(
        client: TestClient, world: World, draft: tuple[str, str]) -> None:
    title, body = draft
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor").text
    assert BOOK in editor and _threats(editor) == []
    token = csrf_of(editor)
    assert _threats(_live_check(client, world, title, body, token)) == []
    assert _threats(_live_check(client, world, title, f"{body}\n\n{THREAT}", token)) == ["법적 조치"]


def test_a_notice_refused_on_publishing_shows_the_added_threat_not_the_name(
        client: TestClient, world: World, draft: tuple[str, str]) -> None:
    title, body = draft
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={"title": title, "body": f"{body}\n\n{THREAT}", "lang": "ko",
                               "csrf_token": token})
    assert answer.status_code == 422
    assert _threats(answer.text) == ["법적 조치"]
