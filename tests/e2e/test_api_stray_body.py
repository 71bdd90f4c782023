"""A call that takes no body refuses one, as a body refuses a field it does not take (a
tester's ``POST /api/incidents/2/escalate`` with ``{"foo": 1}`` escalated the cases, and
``garbage{`` sent to ``scope`` was answered by the use case): before anything is done. An
empty body and ``{}`` pass (many clients send one by default)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/api/incidents/999999/scope",
                                  "/api/incidents/999999/escalate"])
def test_a_body_on_a_call_that_takes_none_is_refused_before_it_runs(
        client: TestClient, path: str) -> None:
    stray = client.post(path, json={"foo": 1})
    assert stray.status_code == 422, stray.text
    said = stray.json()
    assert (said["code"], said["details"]["reason"]) == ("invalid_request", "request_invalid")
    assert said["details"]["errors"] == [{"field": "body",
                                          "problem": "this call takes no body: send none (or {})"}]
    for garbage in (b"garbage{", b"[" * 100_000):  # nested too deep: no 500 (a review's)
        broken = client.post(path, content=garbage,
                             headers={"Content-Type": "application/json"})
        assert broken.status_code == 400, broken.text
        assert broken.json()["details"]["reason"] == "json_malformed"
    # none, or {}: the call runs (here: no such incident)
    for sent in ({"json": {}}, {}, {"content": b"  \n"}):
        ran = client.post(path, **sent)  # type: ignore[arg-type]
        assert ran.status_code == 404, (sent, ran.text)
        assert ran.json()["details"]["reason"] == "unknown_id"


def test_a_call_that_takes_a_body_still_names_the_field_it_does_not_take(
        client: TestClient) -> None:
    answer = client.post("/api/listings/999999/pause", json={"foo": 1})
    assert answer.status_code == 422
    assert answer.json()["details"]["errors"][0]["field"] == "body.foo"
