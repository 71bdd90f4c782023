"""The agents' pages hand a call note on: every earlier note shows on the card, newest first with
who and when (Korea time); a note marked "follow-up needed" is listed on the call queue for the
team until someone records what was done on the case page; a follow-up with no note, or a
resolution with no words, is refused beside its field with nothing written."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e

NOTE = "배송 조회가 안 된다고 하심. 판매자 확인 후 다시 연락드리기로 함"


def _section(html: str, id_: str) -> str:
    found = re.search(rf'<section[^>]* id="{id_}"[^>]*>(.*?)</section>', html, re.DOTALL)
    assert found, f"no section #{id_}"
    return unescape(found.group(1))


def _log(client: TestClient, case_id: int, **form: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/cs/cases/{case_id}").text
    return client.post(f"/cs/cases/{case_id}/attempt",
                       data={"outcome": "reached", "back": "case", "csrf_token": csrf_of(page),
                             **form})


def test_a_follow_up_note_is_listed_for_the_team_and_resolved_on_the_case_page(
        client: TestClient, world: World) -> None:
    case_id = world.cases["이서연"]
    log_in(client, "agent")
    assert _log(client, case_id, note="첫 통화, 바쁘다고 하심", outcome="busy").status_code == 303
    answer = _log(client, case_id, note=NOTE, follow_up="yes")
    assert answer.status_code == 303, answer.text[:400]
    case_page = unescape(client.get(f"/cs/cases/{case_id}").text)
    assert "‘후속 조치 필요’로 남겼습니다" in case_page  # the flash says where it went
    notes = _section(case_page, f"notes-{case_id}")
    assert notes.index(NOTE) < notes.index("첫 통화, 바쁘다고 하심")  # the latest first
    assert "상담원 agent" in notes and "후속 조치 필요 1건" in notes
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", notes)
    listed = _section(client.get("/cs/queue").text, "note-follow-ups")
    assert NOTE in listed and f"#{case_id}" in listed and 'data-due-now' in listed
    follow_up = re.search(rf'/cs/cases/{case_id}/follow-ups/(\d+)/resolve', case_page)
    assert follow_up
    refused = client.post(follow_up.group(0), data={"outcome": " ", "back": "case",
                                                    "csrf_token": csrf_of(case_page)})
    assert refused.status_code == 422
    assert "후속 조치로 무엇을 했는지 적어 주세요" in unescape(refused.text)
    done = client.post(follow_up.group(0), data={"outcome": "판매자 확인: 내일 출고, 고객께 안내함",
                                                 "back": "case",
                                                 "csrf_token": csrf_of(case_page)})
    assert done.status_code == 303
    after = unescape(client.get(f"/cs/cases/{case_id}").text)
    assert "판매자 확인: 내일 출고, 고객께 안내함" in _section(after, f"notes-{case_id}")
    assert "data-follow-up-resolved" in after and "/resolve" not in after
    assert "후속 조치가 필요한 메모가 없습니다" in unescape(client.get("/cs/queue").text)
    english = _section(unescape(client.get(f"/cs/cases/{case_id}?lang=en").text),
                       f"notes-{case_id}")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d KST", english)  # said to be Korea time


def test_a_follow_up_without_a_note_is_refused_beside_the_note(client: TestClient,
                                                                world: World) -> None:
    case_id = world.cases["이서연"]
    log_in(client, "agent")
    refused = _log(client, case_id, note="", follow_up="yes")
    assert refused.status_code == 422
    text = unescape(refused.text)
    assert "후속 조치가 필요하면 메모에 무엇을 해야 하는지 적어 주세요" in text
    assert re.search(r'id="note-\d+" name="note"[^>]*aria-invalid="true"', text)
    assert 'name="follow_up" value="yes" checked' in text  # what was ticked stays ticked
    assert f'id="notes-{case_id}"' not in text  # nothing was logged


def test_the_api_asks_lists_and_resolves_a_follow_up_and_appends_its_keys(
        client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    agent, case_id = client_for("agent"), world.cases["이서연"]
    logged = agent.post(f"/api/cases/{case_id}/contact-attempts",
                        json={"outcome": "reached", "note": NOTE, "follow_up": True})
    assert logged.status_code == 201, logged.text
    body = logged.json()
    assert list(body)[-3:] == ["before_call_time", "follow_up_id", "follow_up_at"]  # appended
    assert body["follow_up_at"] is None and isinstance(body["follow_up_id"], int)
    listed = agent.get("/api/follow-ups").json()
    assert listed["open"] == 1
    assert [(i["id"], i["case_id"], i["note"], i["due"]) for i in listed["items"]] == [
        (body["follow_up_id"], case_id, NOTE, True)]
    url = f"/api/cases/{case_id}/follow-ups/{body['follow_up_id']}/resolve"
    done = agent.post(url, json={"outcome": "판매자 확인 후 안내함"})
    assert done.status_code == 200 and done.json()["changed"] is True
    assert agent.post(url, json={"outcome": "again"}).json()["changed"] is False
    assert agent.get("/api/follow-ups").json() == {"open": 0, "items": []}
    plain = agent.post(f"/api/cases/{case_id}/contact-attempts",
                       json={"outcome": "no_answer"}).json()
    assert (plain["follow_up_id"], plain["follow_up_at"]) == (None, None)
    refused = agent.post(f"/api/cases/{case_id}/contact-attempts",
                         json={"outcome": "reached", "follow_up": True})
    assert refused.status_code == 422
    assert refused.json()["details"]["reason"] == "follow_up_needs_note"
