"""The declare form of a draft the tripwire opened starts with an empty cause: what the
tripwire recorded there is its detection evidence (a surge of orders), not what went wrong —
declaring with the defaults stored it as the cause, in Korean only. The evidence is shown
beside the field instead, read-only, in the page's language; the field asks for the real
cause, with an example. A draft whose cause someone typed when opening it keeps it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.services import desk
from sagwa.services.tripwire import ACTOR as TRIPWIRE
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e

KO = "가격 변경 후 2분 동안 주문 5건; 평소 시간당 0.1건 미만 — 판매를 일시 중지합니다"
EN = "5 orders in 2 min since the price change; normally under 0.1 an hour — pausing the listing"
EVIDENCE = {"observed": 5, "reason_ko": KO, "reason_en": EN}


def _draft(session_factory: sessionmaker[Session], listing_id: int, *, cause: str,
           actor: str, evidence: dict[str, object]) -> int:
    uow = SqlAlchemyUnitOfWork(session_factory)
    with uow:
        listing = uow.market.listing(listing_id, for_update=True)
        draft_id = desk.open_draft_incident(
            uow, listing=listing, window_start=datetime.now(UTC) - timedelta(hours=1),
            cause=cause, actor=actor, evidence=evidence)
        uow.commit()
    return draft_id


def _cause_field(page: str) -> str:
    found = re.search(r'<input id="draft-cause"[^>]*>', page)
    assert found, "no cause field"
    return found.group(0)


def _evidence(page: str) -> str | None:
    found = re.search(r'<div[^>]*id="draft-evidence"[^>]*>(.*?)</div>', page, re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else None


@pytest.mark.parametrize("cause", [f"{KO} · {EN}", EN])  # EN: a draft of before both languages
def test_a_tripwire_drafts_cause_field_starts_empty_with_the_evidence_beside_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        cause: str) -> None:
    draft = _draft(session_factory, world.speaker_a, cause=cause, actor=TRIPWIRE,
                   evidence=EVIDENCE)
    log_in(client, "admin")
    korean = client.get(f"/ops/incidents/{draft}").text
    field = _cause_field(korean)
    assert 'value=""' in field and " required" in field
    assert 'aria-describedby="draft-cause-hint draft-evidence"' in field
    hint = re.search(r'id="draft-cause-hint"[^>]*>([^<]*)<', korean)
    assert hint and "판매자가 가격 입력 시 0을 하나 빠뜨렸습니다" in unescape(hint.group(1))
    assert _evidence(korean) == f"자동 감지 근거 {KO}"
    english = client.get(f"/ops/incidents/{draft}?lang=en").text
    assert 'value=""' in _cause_field(english)
    assert _evidence(english) == f"What the tripwire detected (not the cause) {EN}"


def test_a_cause_typed_when_the_draft_was_opened_stays_filled_in(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    draft = _draft(session_factory, world.speaker_a, cause="판매자가 0을 하나 빠뜨림",
                   actor="admin:kim", evidence={})
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft}").text
    assert 'value="판매자가 0을 하나 빠뜨림"' in _cause_field(page)
    assert _evidence(page) is None  # no detection to show


def test_declaring_a_tripwire_draft_without_a_cause_is_refused(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    draft = _draft(session_factory, world.speaker_a, cause=f"{KO} · {EN}", actor=TRIPWIRE,
                   evidence=EVIDENCE)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{draft}").text
    with SqlAlchemyUnitOfWork(session_factory) as u:
        opened = u.incidents.get(draft).incident
    refused = client.post(f"/ops/incidents/{draft}/declare", data={
        "csrf_token": csrf_of(page), "wrong_price": "8900", "correct_price": "89000",
        "window_start": local_input(opened.window_start), "cause": " ",
        "responsible": "seller"})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in _cause_field(refused.text)
    assert _evidence(refused.text) == f"자동 감지 근거 {KO}"
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.incidents.get(draft).incident.status.value == "draft"
    declared = client.post(f"/ops/incidents/{draft}/declare", data={
        "csrf_token": csrf_of(page), "wrong_price": "8900", "correct_price": "89000",
        "window_start": local_input(opened.window_start),
        "cause": "판매자가 가격 입력 시 0을 하나 빠뜨렸습니다", "responsible": "seller"})
    assert declared.status_code == 303, declared.text
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.incidents.get(draft).incident.cause == "판매자가 가격 입력 시 0을 하나 빠뜨렸습니다"
