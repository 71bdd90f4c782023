"""The notice editor as a tester found it. Its title and body did not say their language, so a
screen reader on an English page read a Korean draft with English sounds (WCAG 3.1.2); they now
carry the draft's ``lang``. Its preview, and the findings shown after a refused publish,
checked the notice without the incident's plan: a notice saying the orders of customers who do
not answer are cancelled, while the plan keeps them, was refused without saying why (no
``contradicts-plan-default`` finding). TestClient."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.tables import notices as notice_rows
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
CODE = "contradicts-plan-default"
CANCEL_ON_SILENCE = {"ko": "기한이 지나면 주문은 취소 처리되고 환불해 드립니다.",
                     "en": "If you do not reply by the deadline, your order will be cancelled."}


def _field(page: str, tag: str, field_id: str) -> str:
    found = re.search(rf'<{tag} id="{field_id}"[^>]*>', page)
    assert found, f"no {tag}#{field_id}"
    return found.group(0)


@pytest.mark.parametrize("notice_lang", ["ko", "en"])
def test_the_title_and_body_say_the_drafts_language(
        client: TestClient, world: World, notice_lang: str) -> None:
    log_in(client, "admin")
    page_lang = "en" if notice_lang == "ko" else "ko"
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor"
                        f"?notice_lang={notice_lang}&lang={page_lang}").text
    assert f'lang="{notice_lang}"' in _field(editor, "input", "notice-title")
    assert f'lang="{notice_lang}"' in _field(editor, "textarea", "notice-body")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_refused_notice_shows_that_it_contradicts_the_plan(
        client: TestClient, world: World, lang: str) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={"title": "가격 오류 안내" if lang == "ko" else "A pricing error",
                               "body": CANCEL_ON_SILENCE[lang], "lang": lang,
                               "csrf_token": token})
    assert answer.status_code == 422
    assert f'data-code="{CODE}"' in answer.text


def test_the_editor_shows_that_a_published_notice_contradicts_the_plan(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A notice published before the plan kept unanswered orders is what the editor opens."""
    with SqlAlchemyUnitOfWork(session_factory) as u:
        u.conn.execute(notice_rows.insert().values(
            incident_id=world.incident, version=1, lang="ko", title="가격 오류 안내",
            body=CANCEL_ON_SILENCE["ko"], published_by="admin:test",
            published_at=datetime.now(UTC)))
        u.commit()
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor?notice_lang=ko").text
    assert CANCEL_ON_SILENCE["ko"] in editor
    assert f'data-code="{CODE}"' in editor


def test_a_notice_refused_for_naming_a_customer_comes_back_with_that_finding(
        client: TestClient, world: World) -> None:
    """Refused for naming one of the incident's customers, the editor came back with the
    findings of a check that did not look for customers' data: none shown, Publish enabled."""
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor?notice_lang=ko").text
    body = unescape_body(editor) + "\n\n김민준 고객님께는 따로 연락드렸습니다."
    answer = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={"title": "가격 오류 안내", "body": body, "lang": "ko",
                               "csrf_token": csrf_of(editor)})
    assert answer.status_code == 422
    assert 'data-code="customer-data"' in answer.text
    publish = re.search(r'<button id="publish"[^>]*>', answer.text)
    assert publish and "disabled" in publish.group(0)


def unescape_body(editor: str) -> str:
    found = re.search(r'<textarea id="notice-body"[^>]*>(.*?)</textarea>', editor, re.DOTALL)
    assert found, "no notice body"
    return html.unescape(found.group(1))
