"""``POST /api/incidents/{id}/notices`` with ``opened_against`` (the latest version in that
language its writer saw): a version published since is not replaced unseen — 409, reason
``notice_changed``, nothing published — as on the operator's page. Before: the API had no way
to say which version it had seen, and a second integration's text silently became the notice."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from test_api_notice_title import incident_id  # noqa: F401  (the fixture, by name)

pytestmark = pytest.mark.e2e
A_LINE = "환불은 취소하신 날부터 3영업일 안에 해 드립니다."
B_LINE = "궁금하신 점은 고객센터로 문의해 주세요."


def _publish(client: TestClient, incident: int, line: str = "",
             **extra: object) -> dict:  # type: ignore[type-arg]
    """The drafted Korean notice, with ``line`` added: its answer, with ``status``."""
    draft = client.get(f"/api/incidents/{incident}/notices/draft?lang=ko").json()
    answer = client.post(f"/api/incidents/{incident}/notices",
                         json={"lang": "ko", "title": draft["title"],
                               "body": f"{draft['body']}\n\n{line}".strip(), **extra})
    return {"status": answer.status_code, **answer.json()}


def test_a_notice_opened_against_an_older_version_is_refused_409(
        client: TestClient, incident_id: int) -> None:  # noqa: F811
    assert _publish(client, incident_id)["version"] == 1
    assert _publish(client, incident_id, A_LINE, opened_against=1)["version"] == 2
    refused = _publish(client, incident_id, B_LINE, opened_against=1)
    assert (refused["status"], refused["code"]) == (409, "conflict"), refused
    assert refused["details"]["reason"] == "notice_changed"
    assert (refused["details"]["version"], refused["details"]["opened_against"]) == (2, 1)
    board = client.get(f"/api/notices?incident_id={incident_id}").json()
    assert [n["version"] for n in board] == [2, 1]
    seen = _publish(client, incident_id, B_LINE, opened_against=2)
    assert (seen["status"], seen["version"]) == (201, 3)


def test_without_opened_against_the_api_publishes_as_before(
        client: TestClient, incident_id: int) -> None:  # noqa: F811
    assert _publish(client, incident_id)["version"] == 1
    assert _publish(client, incident_id, B_LINE)["version"] == 2


@pytest.mark.parametrize("bad", [-1, "1", 1.5, True])
def test_opened_against_is_a_whole_number_of_at_least_0(
        client: TestClient, incident_id: int, bad: object) -> None:  # noqa: F811
    refused = _publish(client, incident_id, opened_against=bad)
    assert refused["status"] == 422, refused
    assert client.get(f"/api/notices?incident_id={incident_id}").json() == []


def test_the_openapi_document_describes_opened_against(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    field = spec["components"]["schemas"]["NoticeCreate"]["properties"]["opened_against"]
    assert "notice_changed" in field["description"]
    operation = spec["paths"]["/api/incidents/{incident_id}/notices"]["post"]
    assert "opened_against" in operation["description"]


def test_the_public_list_names_no_staff_account_to_anyone_but_staff(
        client: TestClient, client_for, session_factory, incident_id: int) -> None:  # noqa: F811
    """A customer walk read ``"published_by": "admin:admin via cli (os user root)"`` on the
    public ``/api/notices``: an operator's account and OS login. Anyone (and a seller) now
    reads null there; staff tokens still read who published."""
    assert _publish(client, incident_id)["version"] == 1
    url = f"/api/notices?incident_id={incident_id}"
    with session_factory() as session:
        seller_id = session.execute(text("SELECT min(id) FROM sellers")).scalar_one()
    for outsider in (client_for(None), client_for("seller", seller_id=seller_id)):
        [notice] = outsider.get(url).json()
        assert notice["published_by"] is None and notice["version"] == 1
    stranger = client_for(None).get(url, headers={"Authorization": "Bearer sgw_unknown"})
    assert stranger.status_code == 200 and stranger.json()[0]["published_by"] is None
    for staff in (client, client_for("agent"), client_for("finance")):
        assert staff.get(url).json()[0]["published_by"] == "api:admin"
