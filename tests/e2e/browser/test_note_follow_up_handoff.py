"""In real Chromium, two agents: the first logs a call on the queue with a note marked
"follow-up needed"; the second, signing in later, finds it on the call queue's follow-up list and
on the case's card above the call script (who wrote it, when), opens the case, records what was
done, and the list empties. Before, a note reached no one: it sat at the foot of the card's
contact history and nothing asked anyone to act on it."""

from __future__ import annotations

import re

import pytest
from browsing import login, shot, wait_until
from world import PASSWORD

from sagwa.services.accounts import create_user
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]

NOTE = "주문한 색상이 아니라고 하심. 판매자에게 교환 가능 여부 확인 후 다시 연락드리기로 함"


def test_a_follow_up_note_reaches_the_next_agent_on_the_queue(browser, page, site) -> None:  # type: ignore[no-untyped-def]
    case_id = site.world.cases["이서연"]  # on the call list: she asked for a person
    create_user(SqlAlchemyUnitOfWork(site.database.session_factory), username="agent2",
                role="agent", password=PASSWORD, actor="test")
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    card = page.locator(f"#case-{case_id}")
    card.locator(f"#outcome-{case_id}").select_option("reached")
    card.locator(f"#note-{case_id}").fill(NOTE)
    card.locator(f"#follow-up-{case_id}").check()
    card.locator(f"#note-{case_id}").locator("xpath=ancestor::form") \
        .locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".finding.error").count() == 0

    second = browser.new_context(base_url=site.base_url, locale="ko-KR")
    other = second.new_page()
    login(other, "agent2", PASSWORD)
    other.wait_for_url("**/cs/queue")
    row = other.locator(f'#note-follow-up-list tr[data-case="{case_id}"]')
    assert row.locator("[data-note-text]").inner_text() == NOTE
    assert row.locator("[data-asked-by]").inner_text() == "상담원 agent"
    assert row.locator("[data-due-now]").count() == 1
    # on the card, the note comes before the script the agent reads aloud
    notes = other.locator(f"#notes-{case_id}")
    assert notes.locator("li").first.locator("[data-note-text]").inner_text() == NOTE
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d",
                        notes.locator("li").first.locator("[data-note-at]").inner_text())
    assert other.evaluate(
        f"""() => {{ const n = document.querySelector('#notes-{case_id}'),
                         s = document.querySelector('#case-{case_id} .script');
                    return !!(n.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING); }}""")
    shot(other, "note-follow-up-queue")
    row.locator("a").first.click()
    other.wait_for_url(f"**/cs/cases/{case_id}*")
    resolve = other.locator("form[data-resolve-follow-up]")
    resolve.locator('input[name="outcome"]').fill("판매자 확인: 교환 가능, 고객께 전화로 안내하고 교환 접수함")
    resolve.locator("button[type=submit]").click()
    wait_until(other, "!!document.querySelector('[data-follow-up-resolved]')")
    assert "상담원 agent2" in other.locator("[data-follow-up-resolved]").inner_text()
    other.goto("/cs/queue")
    assert other.locator("#note-follow-ups-none").count() == 1
    second.close()
