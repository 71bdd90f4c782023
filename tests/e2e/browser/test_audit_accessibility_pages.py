"""An accessibility audit's findings (WCAG 2.2 AA / KWCAG 2.2), read in the pages' HTML over
HTTP (TestClient): errors tied to their fields and focused, a refused login said in the title,
a skip link, words in the other language marked, progress bars named, Korean times with their
zone, a flash that can take focus, symbols a screen reader need not read, review buttons that
say which change they decide, and one alert per refusal. Focus and reflow in a real browser
are in ``test_audit_accessibility_browser.py``."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import desk, listings, notices
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _tag(page: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    assert found, f"no #{element_id} on the page"
    return found.group(0)


def _draft(session_factory: sessionmaker[Session], listing_id: int) -> int:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    uow = SqlAlchemyUnitOfWork(session_factory)
    with uow:
        listing = uow.market.listing(listing_id, for_update=True)
        draft_id = desk.open_draft_incident(uow, listing=listing, window_start=start,
                                            cause="주문 급증 (자동 감시)", evidence={"orders": 3},
                                            actor="sagwa:tripwire")
        desk.pause_for_incident(uow, listing, draft_id, "sagwa:tripwire", uow.now())
        uow.commit()
    return draft_id


def test_a_refused_declaration_ties_its_message_to_the_field_it_names(
        client: TestClient, world: World) -> None:
    """Before: the wrong price "19,9OO" came back with aria-invalid but nothing tied it to the
    message in p#problem, so a screen reader on the field heard no reason."""
    log_in(client, "admin")
    form = client.get("/ops/incidents").text
    answer = client.post("/ops/incidents", data={
        "listing_ids": str(world.speaker_a), "wrong_price": "19,9OO", "correct_price": "89000",
        "window_start": "2026-12-05T10:00", "cause": "입력 실수", "responsible": "both",
        "csrf_token": csrf_of(form)})
    assert answer.status_code >= 400
    field = _tag(answer.text, "wrong_price")
    assert 'aria-invalid="true"' in field and 'aria-describedby="problem"' in field
    assert 'aria-describedby' not in _tag(answer.text, "listing_ids")


def test_a_refused_draft_declaration_ties_its_message_to_the_field(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    path = f"/ops/incidents/{draft_id}"
    answer = client.post(f"{path}/declare", data={
        "wrong_price": "8,9OO", "correct_price": "89000", "window_start": "2026-12-05T10:00",
        "cause": "입력 실수", "responsible": "both", "csrf_token": csrf_of(client.get(path).text)})
    assert answer.status_code >= 400
    field = _tag(answer.text, "draft-wrong_price")
    assert 'aria-invalid="true"' in field and 'aria-describedby="declare-problem"' in field
    empty = client.post(f"{path}/dismiss", data={"reason": " ",
                                                 "csrf_token": csrf_of(answer.text)})
    reason = _tag(empty.text, "dismiss-reason")
    assert 'aria-invalid="true"' in reason and 'aria-describedby="dismiss-problem"' in reason
    assert "autofocus" in _tag(empty.text, "dismiss-problem")


def test_a_refused_close_marks_the_reason_only_when_the_reason_is_what_was_wrong(
        client: TestClient, world: World) -> None:
    """Before: "아직 답하지 않은 고객이 있어 끝낼 수 없습니다" marked the (fine) reason field
    invalid, and focus stayed on the page's body."""
    log_in(client, "admin")
    path = f"/ops/incidents/{world.incident}"
    refused = client.post(f"{path}/close", data={"reason": "끝",
                                                 "csrf_token": csrf_of(client.get(path).text)})
    assert refused.status_code == 409
    reason = _tag(refused.text, "close-reason")
    assert "aria-invalid" not in reason and 'aria-describedby="close-problem"' in reason
    problem = _tag(refused.text, "close-problem")
    assert 'tabindex="-1"' in problem and "autofocus" in problem
    empty = client.post(f"{path}/close", data={"reason": "", "csrf_token": csrf_of(refused.text)})
    assert empty.status_code == 422
    reason = _tag(empty.text, "close-reason")
    assert 'aria-invalid="true"' in reason and 'aria-describedby="close-problem"' in reason


@pytest.mark.parametrize(("lang", "marker"), [("ko", "오류: "), ("en", "Error: ")])
def test_a_refused_login_says_so_in_the_title_and_at_its_fields(
        client: TestClient, world: World, lang: str, marker: str) -> None:
    """Before: focus on the body, the fields not marked nor tied to the error, the title as
    before the attempt."""
    token = csrf_of(client.get(f"/login?lang={lang}").text)
    answer = client.post(f"/login?lang={lang}", data={"username": "admin", "password": "wrong",
                                                      "csrf_token": token})
    assert answer.status_code == 401
    title = re.search(r"<title>(.*?)</title>", answer.text, re.DOTALL)
    assert title and title.group(1).startswith(marker)
    username, password = _tag(answer.text, "username"), _tag(answer.text, "password")
    for field in (username, password):
        assert 'aria-invalid="true"' in field and 'aria-describedby="login-problem"' in field
    assert "autofocus" in username
    assert 'id="login-problem"' in answer.text
    fresh = client.get(f"/login?lang={lang}").text
    assert not re.search(r"<title>" + marker, fresh) and "aria-invalid" not in fresh


def test_every_page_starts_with_a_skip_link_to_its_main_content(
        client: TestClient, world: World) -> None:
    page = client.get("/login").text
    body = page[page.index("<body"):]
    first_link = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body[body.index(">"):])
    assert first_link and 'href="#content"' in first_link.group(0)
    assert "본문 바로가기" in body
    assert 'id="content" tabindex="-1"' in _tag(page, "content")
    assert "Skip to content" in client.get("/login?lang=en").text


def test_words_in_the_other_language_say_which_it_is(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: "English" on a Korean page (and "한국어" on an English one) and the folded
    "한국어 공지" had no lang; the 404 page said "Not Found" in English on a Korean page."""
    assert 'lang="en"' in _tag(client.get("/login").text, "switch-lang")
    assert 'lang="ko"' in _tag(client.get("/login?lang=en").text, "switch-lang")
    for lang in ("ko", "en"):
        uow = SqlAlchemyUnitOfWork(session_factory)
        title, body = notices.draft_notice(uow, incident_id=world.incident, lang=lang,
                                           policy=POLICY)
        notices.publish_notice(SqlAlchemyUnitOfWork(session_factory), incident_id=world.incident,
                               lang=lang, title=title, body=body, actor="admin:test")
    board = client.get("/notices?lang=en").text
    assert '<summary lang="ko">한국어 공지</summary>' in board
    log_in(client, "admin")  # the incident's published notices, each title in its language
    published = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    assert re.search(r'<span lang="ko">[^<]+</span></li>', published)
    client.cookies.clear()
    missing = client.get("/nope?lang=ko")
    assert missing.status_code == 404
    assert "Not Found" not in missing.text and "찾을 수 없" in missing.text


def test_each_progress_bar_is_named_by_its_rows_label(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}").text
    bars = re.findall(r'<div class="bar" role="progressbar"[^>]*>', page)
    assert bars
    for bar in bars:
        label = re.search(r'aria-labelledby="([^"]+)"', bar)
        assert label, bar
        assert f'id="{label.group(1)}"' in page


def test_korean_deadlines_say_they_are_in_korea_time(client: TestClient, world: World) -> None:
    """Before: the customer's "답변 기한: 12월 9일(수) 오후 6시" and the seller's "고객 답변 기한
    2026-12-09 18:00" named no zone, while the English pages said Korea time (KST)."""
    case_page = client.get(f"/c/{world.tokens['김민준']}").text
    found = re.search(r"답변 기한: <strong>([^<]+)</strong>", case_page)
    assert found and found.group(1).endswith("(한국 시간)")
    log_in(client, "seller_b")
    seller = client.get(f"/seller/incidents/{world.incident}").text
    found = re.search(r"고객 답변 기한 <strong>([^<]+)</strong>", seller)
    assert found and found.group(1).endswith("(한국 시간)")
    # as the customers' messages and the seller's emails write a moment (a copy edit found
    # "2026-12-08 18:00(한국 시간)" on this page beside "12월 8일(화) 오후 6시" elsewhere)
    assert re.fullmatch(r"\d+월 \d+일\([월화수목금토일]\) (오전|오후|낮) \d+시( \d+분)?\(한국 시간\)"
                        r"|\d+월 \d+일\([월화수목금토일]\) 0시( \d+분)?\(한국 시간\)", found.group(1))
    english = client.get(f"/seller/incidents/{world.incident}?lang=en").text
    assert re.search(r"Customers answer by <strong>[^<]+ at [^<]+ Korea time</strong>", english)


def test_a_flash_after_an_action_can_take_focus_and_symbols_are_not_read_aloud(
        client: TestClient, world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    for symbol in ("☎", "✉"):
        assert f'<span aria-hidden="true">{symbol}</span>' in page
    asked = client.post(f"/c/{token}/choose", data={"choice": "talk_to_person",
                                                    "csrf_token": csrf_of(page)})
    assert asked.status_code == 303
    after = client.get(asked.headers["location"]).text
    flash = re.search(r'<p class="flash[^"]*"[^>]*>', after)
    assert flash and 'tabindex="-1"' in flash.group(0) and "data-focus" in flash.group(0)


def test_review_buttons_name_their_change_and_a_refusal_alerts_once(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Before: every card's buttons were read as the same "승인"/"거절"; a refused decision
    fired two alerts (#problem-summary and #problem-N)."""
    changes = [listings.propose_price_change(
        SqlAlchemyUnitOfWork(session_factory), listing_id=listing, new_price=Money(19_900, "KRW"),
        proposed_by="seller:seller_a", gate=guard_gate(load_rules())) for listing in
        (world.ipod_a, world.ipod_b)]
    assert all(c.status is PriceChangeStatus.HELD for c in changes)
    log_in(client, "reviewer")
    page = client.get("/ops/review").text
    for change in changes:
        card = page[page.index(f'id="change-{change.id}"'):]
        card = card[:card.index("</article>")]
        for word in ("승인", "거절"):
            button = re.search(rf"<button[^>]*>\s*{word}(.*?)</button>", card, re.DOTALL)
            assert button and f"#{change.id}" in html.unescape(button.group(1)), card
    refused = client.post(f"/ops/review/{changes[0].id}/reject",
                          data={"reason": "", "csrf_token": csrf_of(page)})
    assert refused.status_code >= 400
    assert refused.text.count('role="alert"') == 1
    assert f'id="problem-{changes[0].id}"' in refused.text
