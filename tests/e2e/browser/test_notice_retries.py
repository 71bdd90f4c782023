"""A notice is published once per request: the operator's form sent twice adds one version and
says so; the API's optional Idempotency-Key answers the first version even after a revision
(a late resend does not bring the old text back). A review's finding: the same notice posted
twice made v1, v2 (and a third post v3), all alike; a duplicate said "Notice published"."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

from sagwa.services import notices
from sagwa.services.desk_policy import load_desk_policy

pytestmark = pytest.mark.e2e


def _versions(client: TestClient, incident_id: int, lang: str = "ko") -> list[int]:
    with client.app.state.uow_factory() as u:  # type: ignore[attr-defined]
        return [n.version for n in u.cases.notices(incident_id) if n.lang == lang]


def _editor(client: TestClient, incident_id: int) -> tuple[str, str, str, str]:
    page = client.get(f"/ops/incidents/{incident_id}/notice/editor").text
    key = re.search(r'name="form_key" value="([0-9a-f]{32})"', page)
    assert key, "the notice form carries no key"
    title = re.search(r'name="title"[^>]*value="([^"]*)"', page)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert title and body
    return csrf_of(page), key.group(1), unescape(title.group(1)), unescape(body.group(1))


def test_the_notice_form_sent_twice_publishes_once_and_says_so(client: TestClient,
                                                                world: World) -> None:
    log_in(client, "admin")
    before = _versions(client, world.incident)
    token, key, title, body = _editor(client, world.incident)
    form = {"title": title, "body": body, "lang": "ko", "csrf_token": token, "form_key": key}
    first = client.post(f"/ops/incidents/{world.incident}/notice", data=form)
    assert first.status_code == 303, first.text[:300]
    assert len(_versions(client, world.incident)) == len(before) + 1
    page = client.get(f"/ops/incidents/{world.incident}").text
    assert "공지를 게시했습니다" in page
    again = client.post(f"/ops/incidents/{world.incident}/notice", data=form)
    assert again.status_code == 303
    assert len(_versions(client, world.incident)) == len(before) + 1
    assert "이미 게시된 공지입니다" in client.get(f"/ops/incidents/{world.incident}").text
    # the same form from an earlier page with other text: refused in the editor, said plainly
    other = client.post(f"/ops/incidents/{world.incident}/notice",
                        data={**form, "body": body + "\n\n환불은 3영업일 안에 끝납니다."})
    assert other.status_code == 409, other.text[:300]
    assert "이 양식으로는 이미 다른 내용의 공지를 게시했습니다" in other.text
    assert len(_versions(client, world.incident)) == len(before) + 1


def test_a_late_retry_with_its_key_does_not_bring_old_text_back(client_for,  # type: ignore[no-untyped-def]
                                                                 world: World) -> None:
    admin = client_for("admin", auto_keys=False)
    title, body = notices.draft_notice(admin.app.state.uow_factory(),  # type: ignore[attr-defined]
                                       incident_id=world.incident, lang="ko",
                                       policy=load_desk_policy())
    url = f"/api/incidents/{world.incident}/notices"
    first = admin.post(url, json={"lang": "ko", "title": title, "body": body},
                       headers={"Idempotency-Key": "notice-a"})
    assert first.status_code == 201, first.text
    revised = admin.post(url, json={"lang": "ko", "title": title,
                                    "body": body + "\n\n환불은 3영업일 안에 끝납니다."},
                         headers={"Idempotency-Key": "notice-b"})
    assert revised.json()["version"] == first.json()["version"] + 1
    late = admin.post(url, json={"lang": "ko", "title": title, "body": body},
                      headers={"Idempotency-Key": "notice-a"})
    assert late.status_code == 201 and late.json() == first.json()
    assert max(_versions(admin, world.incident)) == revised.json()["version"]
    # no key: the very text of the latest version is that version
    same = admin.post(url, json={"lang": "ko", "title": title,
                                 "body": body + "\n\n환불은 3영업일 안에 끝납니다."})
    assert same.json()["version"] == revised.json()["version"]
