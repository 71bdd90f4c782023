"""A customer who asked to be erased while the law (or an open matter) keeps their data is marked
on the staff pages that show them — the agent's case page, the lookup, the operator's incident —
in the page's language, so an agent uses the data only for what it is kept for; other customers
carry no mark."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

from sagwa.errors import Conflict
from sagwa.services.customer_erasure import erase_customer

pytestmark = pytest.mark.e2e


def _asked(client: TestClient, world: World, name: str) -> None:
    with pytest.raises(Conflict) as kept:
        erase_customer(client.app.state.uow_factory(),  # type: ignore[attr-defined]
                       customer_id=world.customers[name], reason="request", actor="admin")
    assert kept.value.details["request_id"]


@pytest.mark.parametrize(("lang", "words"), [
    ("ko", "삭제 요청 · 처리 중인 일로 보존 중"),
    ("en", "Erasure requested · kept until the open matter is settled")])
def test_a_pending_request_is_marked_on_the_case_page_and_no_one_else_is(
        client: TestClient, world: World, lang: str, words: str) -> None:
    _asked(client, world, "Alex Kim")
    log_in(client, "agent")
    page = unescape(client.get(f"/cs/cases/{world.cases['Alex Kim']}?lang={lang}").text)
    assert words in page and "data-kept-apart" in page
    other = next(n for n in world.cases if n != "Alex Kim")
    assert "data-kept-apart" not in client.get(f"/cs/cases/{world.cases[other]}").text


def test_the_lookup_and_the_incident_page_mark_the_customer_too(
        client: TestClient, world: World) -> None:
    _asked(client, world, "Alex Kim")
    log_in(client, "admin")
    found = unescape(client.get("/cs/cases", params={"q": f"#{world.cases['Alex Kim']}"}).text)
    assert found.count("data-kept-apart") == 1 and "삭제 요청" in found
    incident = unescape(client.get(f"/ops/incidents/{world.incident}").text)
    assert incident.count("data-kept-apart") == 1
