"""A draft dismissed as a false alarm (closed, never declared) has no public notice: publishing
one is refused saying so (the API said "incident 2 is a draft; declare it before publishing" of
a closed incident that can no longer be declared), and its page shows no notice form (it showed
one with its button disabled). TestClient."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_incident_page_actions import _draft
from world import World

from sagwa.services import desk
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
NOTICE = {"lang": "ko", "title": "가격 오류 안내", "body": "블루투스 스피커 미니의 가격이 잘못 표시되었습니다."}


def _dismissed(session_factory: sessionmaker[Session], world: World) -> int:
    draft_id = _draft(session_factory, world.speaker_a)
    desk.close(SqlAlchemyUnitOfWork(session_factory), incident_id=draft_id, actor="admin:test",
               reason="정상 주문")
    return draft_id


def test_publishing_a_notice_on_a_dismissed_incident_says_it_was_dismissed(
        client_for, world: World, session_factory: sessionmaker[Session]) -> None:  # type: ignore[no-untyped-def]
    incident_id = _dismissed(session_factory, world)
    admin = client_for("admin")
    for answer in (admin.post(f"/api/incidents/{incident_id}/notices", json=NOTICE),
                   admin.get(f"/api/incidents/{incident_id}/notices/draft")):
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert (body["code"], body["details"]["reason"]) == ("invalid_input", "incident_dismissed")
        assert "dismissed as a false alarm" in body["message"]
        assert "draft" not in body["message"] and "declare it" not in body["message"]


def test_a_draft_still_asks_to_be_declared_first(
        client_for, world: World, session_factory: sessionmaker[Session]) -> None:  # type: ignore[no-untyped-def]
    incident_id = _draft(session_factory, world.speaker_a)
    answer = client_for("admin").post(f"/api/incidents/{incident_id}/notices", json=NOTICE)
    assert answer.status_code == 422 and answer.json()["details"]["reason"] == "incident_draft"


def test_a_dismissed_incidents_page_shows_no_notice_form(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident_id = _dismissed(session_factory, world)
    log_in(client, "admin")
    for lang, said in (("ko", "오탐으로 종료된 사고입니다. 선언되지 않고 종료되었으므로 공지를 게시하지 않습니다."),
                       ("en", ("This incident was dismissed as a false alarm: it was closed "
                               "without being declared, so it has no public notice."))):
        page = client.get(f"/ops/incidents/{incident_id}?lang={lang}").text
        assert 'id="notice-none" data-dismissed' in page and said in html.unescape(page)
        assert 'id="notice-editor"' not in page and "/notice/editor" not in page
        assert 'id="publish"' not in page
        fragment = client.get(f"/ops/incidents/{incident_id}/notice/editor").text
        assert 'id="notice-none"' in fragment and 'id="notice-editor"' not in fragment


def test_a_notice_posted_to_a_dismissed_incident_is_refused_in_the_pages_words(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    incident_id = _dismissed(session_factory, world)
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{incident_id}?lang=ko").text)
    answer = client.post(f"/ops/incidents/{incident_id}/notice",
                         data={**NOTICE, "csrf_token": token})
    assert answer.status_code == 422
    problem = html.unescape(answer.text.split('id="notice-problem">', 1)[1].split("</p>", 1)[0])
    assert problem == "오탐으로 종료된 사고입니다. 선언되지 않고 종료되었으므로 공지를 게시하지 않습니다."
