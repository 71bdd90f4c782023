"""The public notice board: a notice typed in a browser (CRLF line ends) keeps its paragraphs;
each incident's notice is shown in the page's language, the other language folded under it."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.services import notices
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _publish(session_factory: sessionmaker[Session], incident_id: int, lang: str) -> str:
    uow = SqlAlchemyUnitOfWork(session_factory)
    title, body = notices.draft_notice(uow, incident_id=incident_id, lang=lang, policy=POLICY)
    crlf = body.replace("\n", "\r\n")  # what a browser's textarea sends
    notices.publish_notice(SqlAlchemyUnitOfWork(session_factory), incident_id=incident_id,
                           lang=lang, title=title, body=crlf, actor="admin:test")
    return html.escape(title).replace("&#x27;", "&#39;")  # as the page writes it


def test_a_notice_only_in_korean_says_so_on_the_english_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A walkthrough's finding: before the English notice was published, /notices?lang=en showed
    the Korean one under English navigation without a word."""
    _publish(session_factory, world.incident, "ko")
    english_page = client.get("/notices?lang=en").text
    assert 'data-only-in="ko">This notice is published in Korean only so far.' in english_page
    assert "data-only-in" not in client.get("/notices?lang=ko").text
    _publish(session_factory, world.incident, "en")
    assert "data-only-in" not in client.get("/notices?lang=en").text


def test_paragraphs_survive_a_browsers_line_ends_and_the_page_language_comes_first(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    korean = _publish(session_factory, world.incident, "ko")
    english = _publish(session_factory, world.incident, "en")
    page = client.get("/notices").text
    assert page.index(korean) < page.index(english)  # Korean page: the Korean notice first
    assert f'id="other-{world.incident}-en"' in page and f'id="other-{world.incident}-ko"' not in page
    article = page[page.index(f'id="notice-{world.incident}-ko"'):]
    article = article[:article.index("</article>")]
    assert article.count("<p>") >= 4  # paragraphs, not one block
    assert "\r" not in article
    english_page = client.get("/notices?lang=en").text
    assert english_page.index(english) < english_page.index(korean)
    assert f'id="other-{world.incident}-ko"' in english_page


def test_a_notices_version_is_said_in_the_pages_language(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A Korean copy edit: the board said "v1" on a Korean page. Each notice says it in its
    own language (``<article lang="…">``), whatever the page's (a customer walk)."""
    _publish(session_factory, world.incident, "ko")
    _publish(session_factory, world.incident, "en")
    korean = client.get("/notices?lang=ko").text
    assert 'data-version="1">제1판</span>' in korean and "· v1" not in korean
    english = client.get("/notices?lang=en").text
    assert 'data-version="1">version 1</span>' in english
    assert 'data-version="1">제1판</span>' in english  # the Korean notice, in Korean
