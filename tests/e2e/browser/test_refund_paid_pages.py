"""Once finance marks a case's refund paid (``services.refunds.mark_refund_paid``, as
``sagwa refunds mark-paid`` and ``POST /api/refunds/{id}/paid`` do), both pages of the case say
so: the customer's page (``/c/<token>``) the day it was paid, without finance's bank reference;
the agent's case page (``/cs/cases/{id}``) when, by whom and with which reference, and its
script reads the payment out instead of the policy's "when it will reach you". Before, the
customer's page still said "환불 요청 접수" and the agent's page nothing at all."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import POLICY, World

from sagwa.domain.moments import SEOUL
from sagwa.services import desk_cases
from sagwa.services.desk_messages import day_words
from sagwa.services.refunds import mark_refund_paid

pytestmark = pytest.mark.e2e

REFERENCE = "KB-1207-0777"


def _refund_line(html: str) -> str:
    found = re.search(r"<dt>(?:환불 금액|Refund)</dt> <dd><strong>([^<]*)</strong>", html)
    assert found, "no refund line"
    return unescape(found.group(1))


def _block(html: str, case_id: int) -> str:
    found = re.search(rf'<section class="no-choice" id="no-choice-{case_id}".*?</section>',
                      html, re.DOTALL)
    assert found, "no settled-case block"
    return unescape(found.group(0))


def test_a_refund_marked_paid_reads_as_paid_on_the_customers_and_the_agents_page(
        client: TestClient, world: World) -> None:
    case_id, token = world.cases["김민준"], world.tokens["김민준"]
    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                             channel="web", evidence="pressed cancel", taken_by="customer",
                             policy=POLICY)
    with uow() as u:
        [refund] = u.refunds.for_case(case_id)
    log_in(client, "agent")
    owed = _block(client.get(f"/cs/cases/{case_id}").text, case_id)
    assert f'data-refund-id="{refund.refund_id}" data-state="owed"' in owed
    assert f"지급 기한 {refund.due_by.isoformat()}" in owed
    assert POLICY.refund_timing_in("ko") in owed  # the script: when it will reach them
    before = client.get(f"/c/{token}?lang=ko").text
    assert "환불 요청 접수" in _refund_line(before)
    assert POLICY.refund_timing_in("ko") in before  # when it comes back: said while owed

    paid = mark_refund_paid(uow(), refund_id=refund.refund_id, reference=REFERENCE,
                            actor="finance:lee")
    assert paid.paid_at is not None
    day = paid.paid_at.astimezone(SEOUL)
    page = client.get(f"/c/{token}?lang=ko").text
    assert _refund_line(page) == f"159,000원 (1개) · 환불 지급 완료 · {day_words(day, 'ko')}"
    english = client.get(f"/c/{token}?lang=en").text
    assert _refund_line(english) == f"159,000 KRW (1 unit) · refund paid · {day_words(day, 'en')}"
    assert REFERENCE not in page + english
    assert POLICY.refund_timing_in("ko") not in page  # paid: no "it will reach you in …"

    block = _block(client.get(f"/cs/cases/{case_id}?lang=ko").text, case_id)
    line = block.split(f'data-refund-id="{refund.refund_id}"')[1].split("</p>")[0]
    assert 'data-state="paid"' in line and "환불 159,000원 지급 완료" in line
    assert f"{day:%Y-%m-%d %H:%M}" in line and "재무 lee" in line and REFERENCE in line
    script = block.split("data-no-choice-script")[1]
    assert f"환불 금액 159,000원은 {day_words(day, 'ko')}에 지급되었습니다." in script
    assert POLICY.refund_timing_in("ko") not in script
    en_block = _block(client.get(f"/cs/cases/{case_id}?lang=en").text, case_id)
    assert "Refund of 159,000 KRW paid" in en_block and "finance lee" in en_block


def test_a_case_that_refunded_nothing_shows_no_refund_line_to_the_agent(
        client: TestClient, world: World) -> None:
    case_id = world.cases["Alex Kim"]
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                             choice="keep", channel="web", evidence="pressed keep",
                             taken_by="customer", policy=POLICY)
    log_in(client, "agent")
    block = _block(client.get(f"/cs/cases/{case_id}?lang=ko").text, case_id)
    assert 'data-state="chosen"' in block
    assert "data-refund-id" not in block and f'id="refunds-{case_id}"' not in block
