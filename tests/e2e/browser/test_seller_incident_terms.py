"""The seller's incident page says what the incident holds against them: who was held
responsible (in words), the cause as declared, their share of each compensation, the most they
can be charged and what has been charged so far, and the apology their customers got — the text
the desk sends, naming no customer. It counts only the apologies still queued and says how many
customers answered already; the English page speaks to the seller throughout ("your listings",
"you pay"). Before the mend the page showed only the share and the points charged, said "사과
안내는 … 나갈 예정입니다" however many customers had answered, and mixed "my listings" with
"you pay"."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

pytestmark = pytest.mark.e2e


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def _part(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"')[1].split("</section>")[0].split("</p>")[0]


def test_the_seller_sees_responsibility_cause_charges_and_the_apology(
        client: TestClient, world: World) -> None:
    log_in(client, "seller_b")
    page = _flat(client.get(f"/seller/incidents/{world.incident}").text)
    assert "책임: 판매자와 플랫폼 공동" in _part(page, "incident-responsible")
    assert "맥북 가격 1,590,000원을 159,000원으로 잘못 입력" in _part(page, "incident-cause")
    most = _part(page, "most-charge")
    # three of seller B's customers, 10,000 points each if they cancel, 60% theirs
    assert "내게 부과될 수 있는 보상은 최대 18,000포인트" in most
    assert "지금까지 내게 부과된 보상 0포인트" in page
    apology = page.split('id="customer-apology"')[1].split("</section>")[0]
    assert "고객님, 진심으로 사과드립니다" in apology and "애플 맥북 13인치" in apology
    assert "(고객 이름)" in apology
    for name in ("김민준", "이서연", "Alex Kim", "@example.com", "010-1234", "/c/"):
        assert name not in page
    english = _flat(client.get(f"/seller/incidents/{world.incident}?lang=en").text)
    assert "Responsible: the seller and the platform together" in english
    assert "the most you can be charged: 18,000 points" in english
    assert "we are sorry" in english.split('id="customer-apology"')[1]
    assert "my listings" not in english and "your listings" in english


def test_only_queued_apologies_are_counted_and_answers_are_said(
        client: TestClient, world: World) -> None:
    """The world's incident is notifying with one customer (이서연) who already answered: her
    apology was withdrawn, two remain queued."""
    log_in(client, "seller_b")
    page = _flat(client.get(f"/seller/incidents/{world.incident}").text)
    due = _part(page, "apologies-due")
    assert "내 고객 2명에게 아직 나가지 않은 사과 안내는" in due
    assert "고객 3명 가운데 1명은 이미 답했습니다" in due
    english = _flat(client.get(f"/seller/incidents/{world.incident}?lang=en").text)
    assert ("The apologies to 2 of your customers have not gone out yet"
            in _part(english, "apologies-due"))
    assert "1 of your 3 customers has answered already" in _part(english, "apologies-due")


def test_the_most_shrinks_as_customers_settle_on_both_pages(
        client: TestClient, world: World) -> None:
    """A tester found "at most 12,500 points (if all 5 of my customers cancel)" on the seller's
    page, and "If every customer cancels, at most 25,000" on the operator's, after customers had
    kept their orders. Now: what is booked, and the plan's points for those who may still
    cancel (one who asked for a person may)."""
    from page_forms import csrf_of

    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    kept = client.post(f"/c/{token}/choose", data={"choice": "keep", "confirmed": "yes",
                                                   "csrf_token": csrf_of(page)})
    assert kept.status_code == 303
    log_in(client, "seller_b")
    most = _part(_flat(client.get(f"/seller/incidents/{world.incident}").text), "most-charge")
    assert "내게 부과될 수 있는 보상은 최대 12,000포인트입니다(지금까지 부과된 보상에, 아직 취소할 수 있는 내 고객 2명이" in most
    english = _flat(client.get(f"/seller/incidents/{world.incident}?lang=en").text)
    assert ("the most you can be charged: 12,000 points (what is charged so far, and the 2 of "
            "your customers who can still cancel") in _part(english, "most-charge")
    client.cookies.clear()
    log_in(client, "admin")
    ops = _flat(re.sub(r"<[^>]+>", " ", client.get(f"/ops/incidents/{world.incident}").text))
    assert ("최대 20,000포인트: 기록된 0포인트에, 아직 취소할 수 있는 고객 2명이 모두 취소하면 더해질 "
            "20,000포인트를 더한 값 — 판매자 12,000, 플랫폼 8,000") in _flat(ops)
