"""A tripwire draft's cause is kept in both languages, and the staff pages show it in theirs:
the incident list, the incident page and, beside the declare form's cause, its evidence. A cause the
operator wrote stays as written on every page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from test_pages_access import log_in
from world import World

from sagwa.services import desk
from sagwa.services.tripwire import cause_in
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e

KO = "가격 변경 후 2분 동안 주문 5건; 평소 시간당 0.1건 미만 — 판매를 일시 중지합니다"
EN = "5 orders in 2 min since the price change; normally under 0.1 an hour — pausing the listing"


def _tripwire_draft(session_factory, listing_id: int, cause: str) -> int:  # type: ignore[no-untyped-def]
    uow = SqlAlchemyUnitOfWork(session_factory)
    with uow:
        listing = uow.market.listing(listing_id, for_update=True)
        draft_id = desk.open_draft_incident(
            uow, listing=listing, window_start=datetime.now(UTC) - timedelta(hours=1),
            cause=cause, actor="system:tripwire",
            evidence={"observed": 5, "reason_ko": KO, "reason_en": EN})
        uow.commit()
    return draft_id


def test_the_tripwires_cause_is_shown_in_the_pages_language_only(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _tripwire_draft(session_factory, world.speaker_a, f"{KO} · {EN}")
    log_in(client, "admin")
    for lang, shown, other in (("ko", KO, EN), ("en", EN, KO)):
        listed = client.get(f"/ops/incidents?lang={lang}").text
        page = client.get(f"/ops/incidents/{draft_id}?lang={lang}").text
        assert shown in listed and other not in listed, lang
        assert f"<p>{shown}</p>" in page and other not in page, lang
        # the declare form's cause starts empty; the tripwire's words are shown beside it
        assert re.search(r'<input id="draft-cause"[^>]* value=""', page), lang
        assert re.search(rf'id="draft-evidence".*?{re.escape(shown)}', page, re.DOTALL), lang


def test_a_cause_the_operator_wrote_is_shown_as_written() -> None:
    evidence = {"reason_ko": KO, "reason_en": EN}
    assert cause_in("en", "판매자가 0을 빠뜨림", evidence) == "판매자가 0을 빠뜨림"
    assert cause_in("ko", f"{KO} · {EN}", evidence) == KO
    assert cause_in("en", f"{KO} · {EN}", None) == f"{KO} · {EN}"  # no evidence: as recorded
    assert cause_in("en", f"{KO} · {EN}", {"reason_ko": KO}) == f"{KO} · {EN}"


def test_the_sla_clocks_write_minutes_as_korean_and_english_do(
        client: TestClient, world: World) -> None:
    """"12분" in Korean, "12 min" in English; a clock not yet run shows a dash alone."""
    log_in(client, "admin")
    ko = client.get(f"/ops/incidents/{world.incident}").text
    en = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    clocks_ko = re.findall(r'class="clock"[^>]*>\s*([^<]*)', ko)
    clocks_en = re.findall(r'class="clock"[^>]*>\s*([^<]*)', en)
    assert clocks_ko and clocks_en
    assert any(re.fullmatch(r"[\d,]+분\s*", c) for c in clocks_ko), clocks_ko
    assert all(re.fullmatch(r"(?:[\d,]+분|—)\s*", c) for c in clocks_ko), clocks_ko
    assert all(re.fullmatch(r"(?:[\d,]+ min|—)\s*", c) for c in clocks_en), clocks_en
    assert "분 이내" in ko and not re.search(r"\d 분", ko)
