"""Refusals that share a ``code`` are told apart by ``details["reason"]`` (and a refused plan's
problems by ``details["problem_reasons"]``): stable sub-codes set where the refusal is raised.
The pages' sentences follow those sub-codes, never the words of the English message, so
rewording a message changes no page."""

from __future__ import annotations

import ast
import asyncio
import atexit
import errno
import functools
import gzip
import inspect
import os
import shutil
import socket
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Self
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request

import sagwa
from sagwa import errors
from sagwa.adapters import guard_input, guard_input_blocks, guard_output
from sagwa.adapters.db.ledger_repo import StoredEntry
from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.adapters.db.users_repo import TokenHolder, UserRecord
from sagwa.cli import access as access_cli
from sagwa.cli import context as cli_context
from sagwa.cli import dates as cli_dates
from sagwa.cli import guard as guard_cli
from sagwa.cli import incident as incident_cli
from sagwa.cli import messages as messages_cli
from sagwa.cli import refunds as refunds_cli
from sagwa.cli.actors import check_claim, check_role, recorded_actor
from sagwa.cli.ledger import check_excel
from sagwa.cli.public_links import check_public_links
from sagwa.config import get_settings
from sagwa.domain import book_price, consent, incidents, price_moves, reasons
from sagwa.domain.access_records import access_not_recorded, access_reason, check_purge_before
from sagwa.domain.book_price import BookFloor, check_book_price_law
from sagwa.domain.call_attempts import check_callback_at
from sagwa.domain.call_times import check_call_time
from sagwa.domain.cancel_instead import cancel_instead
from sagwa.domain.catalog import (
    KEEP,
    Customer,
    CustomerDraft,
    SellerDraft,
    change_contact,
    check_text_characters,
    check_unchanged_since,
    require_text,
)
from sagwa.domain.compensation import compensation_due, split_compensation
from sagwa.domain.contact_hours import ContactSchedule, next_contact_time, next_opening
from sagwa.domain.correct_price import PriceReference, check_correct_price_plausible
from sagwa.domain.difference import DifferencePaid, payment_note
from sagwa.domain.erasure_requests import asked_at_of
from sagwa.domain.identifiers import normalise_gtin, normalise_isbn
from sagwa.domain.incident_plan import make_plan
from sagwa.domain.incident_scope import CaseDraft, open_case
from sagwa.domain.ledger import Account as LedgerAccount
from sagwa.domain.ledger import (
    AccountKind,
    JournalEntry,
    Posting,
    check_reversal_balances,
    credit_compensation,
    credit_points,
    debit_points,
    reversal_of,
)
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger
from sagwa.domain.listings import advance as advance_listing
from sagwa.domain.money import Money, allocate_by_weight, check_currency, check_price
from sagwa.domain.note_follow_ups import check_follow_up, check_follow_up_outcome
from sagwa.domain.orders import OrderStatus, OrderTrigger, price_order
from sagwa.domain.orders import advance as advance_order
from sagwa.domain.plan_version import check_plan_unchanged
from sagwa.domain.pricing import (
    PriceChangeProposal,
    PriceChangeStatus,
    Promotion,
    check_promotion_running,
)
from sagwa.domain.refunds import (
    PaymentLine,
    Refund,
    RefundFilter,
    check_paid_at,
    check_reference,
    paid_days,
    read_paid_at,
    read_refund_id,
)
from sagwa.domain.retention import Hold, Kept
from sagwa.errors import Conflict, IllegalTransition, InvalidInput, NotFound, SagwaError
from sagwa.jobs.queues import check_queues
from sagwa.messagecheck.engine import check_message
from sagwa.priceguard import load_rules
from sagwa.priceguard.rules import rules_from_mapping
from sagwa.seed.demo import check_demo_allowed
from sagwa.services import access_records as access_records_service
from sagwa.services import (
    accounts,
    customer_call_time,
    customer_contact,
    customer_copy,
    customer_erasure,
    desk,
    desk_cases,
    desk_difference,
    desk_follow_ups,
    desk_messages,
    guard_batch,
    idempotency,
    incident_prices,
    ledger_reports,
    listing_holds,
    listings,
    notices,
    outbox,
    points,
    price_review,
    refunds,
)
from sagwa.services import listings as listing_service
from sagwa.services.accounts import Account, Role
from sagwa.services.case_links import case_token, open_case_token
from sagwa.services.case_lookup import read_query
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import _conflict
from sagwa.web import deps
from sagwa.web import errors as web_errors
from sagwa.web.api import incidents as incidents_api
from sagwa.web.pages import case_facts, error_texts, session
from sagwa.web.pages import seller as seller_pages
from sagwa.web.pages.error_texts import PLAN_RULES, RULES, Rule, error_text

KST = ZoneInfo("Asia/Seoul")
NOW = datetime(2008, 6, 13, 9, 0, tzinfo=KST)  # a Friday
#: A refund owed since the day before (sagwa.domain.refunds).
A_REFUND = Refund(1, 10, 2, 3, 4, Money(19_900, "KRW"), NOW - timedelta(days=1), date(2008, 6, 17))


def refusal(make: Callable[[], object]) -> SagwaError:
    with pytest.raises(SagwaError) as caught:
        make()
    return caught.value


def exit_refusal(make: Callable[[], object]) -> SagwaError:
    """The refusal a command printed in its own words before it exited."""
    with pytest.raises(cli_context.ExitRefused) as caught:
        make()
    return caught.value.error


def _with_a_bad_setting() -> None:
    """``cli.context.settings()`` with SAGWA_PORT set to something that is not a port."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAGWA_PORT", "not-a-port")
        get_settings.cache_clear()
        try:
            cli_context.settings()
        finally:
            get_settings.cache_clear()


#: A change held at 19,900 KRW, proposed while listing 3 cost 199,000 KRW.
HELD = PriceChangeRecord(
    id=1, listing_id=3, old_price=Money(199_000, "KRW"), new_price=Money(19_900, "KRW"),
    proposed_by="seller:a", proposed_at=NOW, promotion_pct=None,
    status=PriceChangeStatus.HELD, decided_by=None, decision_reason=None,
)  # fmt: skip


def _listing(price: int, status: ListingStatus) -> Listing:
    return Listing(id=3, seller_id=1, product_id=1, price=Money(price, "KRW"), status=status)


def _expired_link() -> object:
    token = case_token("secret", case_id=1, customer_id=2, expires_at=NOW)
    return open_case_token("secret", token, now=NOW + timedelta(days=1))


def _future_window() -> object:
    return incidents.open_draft(
        incident_id=1, listing_ids={3}, wrong_price=Money(19_900, "KRW"),
        window_start=NOW + timedelta(hours=1), now=NOW, cause="typo",
    )  # fmt: skip


SELLER = Account(7, "seller_a", Role.SELLER, seller_id=1)
A_CUSTOMER = Customer(4, "김민지", None, "010-1234-5678", "ko")  # a phone, no email


def _request(
    method: str,
    *,
    account: Account | None = None,
    session_data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Request:
    """A request as the pages' dependencies get it. ``session.current_account`` takes the account
    from ``request.state`` (where a request keeps it once looked up) before it would look up the
    session in the database, so no database is needed."""
    scope = {
        "type": "http",
        "method": method,
        "path": "/",
        "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()],
        "session": session_data or {},
        "state": {"account": account} if account else {},
    }
    return Request(scope)


def _forged_form() -> None:
    request = _request(
        "POST", session_data={"csrf": "the-session-token"}, headers={"x-csrf-token": "forged"}
    )
    # in a thread of its own: earlier tests in the same session (Playwright's sync API) may
    # leave an event loop running in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, session.csrf_protect(request)).result()


def _seller_opens_a_staff_page() -> object:
    return session.requires(Role.REVIEWER)(_request("GET", account=SELLER))


def _staff_withdraws() -> object:
    """A reviewer calls the seller's withdraw route (refused before any database work)."""
    from sagwa.web.api import review as review_api

    reviewer = Account(8, "reviewer_a", Role.REVIEWER)
    return review_api.withdraw(1, uow=None, caller=reviewer)  # type: ignore[arg-type]


#: reason -> the refusal as its raise site makes it (the real code where that is cheap) and the
#: Korean sentence a page says for it.
REFUSALS: dict[str, tuple[Callable[[], SagwaError], str]] = {
    "database_unreachable": (  # answered at the edge: tests/e2e/test_api_database_unreachable.py
        web_errors.unreachable_error,
        "지금은 데이터베이스에 연결할 수 없어 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.",
    ),
    "callback_time_without_request": (
        lambda: refusal(lambda: check_callback_at("no_answer", NOW + timedelta(days=1), NOW)),
        ("다시 전화할 시간은 통화 결과가 ‘다시 전화 요청’일 때만 적습니다. 결과를 ‘다시 전화 요청’으로 "
         "고르거나 시간을 지워 주세요."),
    ),
    "callback_time_not_phone": (
        lambda: refusal(lambda: check_callback_at("callback_requested", NOW + timedelta(days=1),
                                                  NOW, channel="email")),
        "다시 전화할 시간은 전화 통화 기록에만 적습니다.",
    ),
    "callback_time_no_phone": (  # the raise itself: tests/integration/test_desk_callback_time.py
        lambda: InvalidInput("case 3: the customer has no phone number on file to call back",
                             field="callback_at", reason="callback_time_no_phone"),
        ("이 고객은 전화번호가 없어 다시 전화할 수 없습니다. 고객이 알려 준 번호를 먼저 연락처에 저장한 뒤 "
         "시간을 적어 주세요."),
    ),
    "callback_time_past": (
        lambda: refusal(lambda: check_callback_at("callback_requested", NOW, NOW)),
        "다시 전화할 시간이 이미 지났습니다. 고객이 말한 날짜와 시각을 다시 확인해 주세요.",
    ),
    "callback_time_too_far": (
        lambda: refusal(lambda: check_callback_at("callback_requested",
                                                  NOW + timedelta(days=15), NOW)),
        "다시 전화할 시간은 14일 안이어야 합니다. 날짜를 다시 확인해 주세요.",
    ),
    "callback_time_without_zone": (
        lambda: refusal(lambda: check_callback_at("callback_requested",
                                                  datetime(2008, 6, 16, 10, 0), NOW)),
        "다시 전화할 시간에 시간대가 없습니다.",
    ),
    # a call note marked "follow-up needed" (tests/unit/domain/test_note_follow_ups.py)
    "follow_up_needs_note": (
        lambda: refusal(lambda: check_follow_up(note=" ", due_at=None, now=NOW)),
        ("후속 조치가 필요하면 메모에 무엇을 해야 하는지 적어 주세요. 다음 상담원은 그 메모만 보고 이어서 "
         "처리합니다."),
    ),
    "follow_up_time_past": (
        lambda: refusal(lambda: check_follow_up(note="n", due_at=NOW, now=NOW)),
        "후속 조치 시간이 이미 지났습니다. 지금 처리할 일이면 시간을 비워 두세요.",
    ),
    "follow_up_time_too_far": (
        lambda: refusal(lambda: check_follow_up(note="n", due_at=NOW + timedelta(days=15),
                                                now=NOW)),
        "후속 조치 시간은 14일 안이어야 합니다. 날짜를 다시 확인해 주세요.",
    ),
    "follow_up_time_without_zone": (
        lambda: refusal(lambda: check_follow_up(note="n", due_at=datetime(2008, 6, 16, 10, 0),
                                                now=NOW)),
        "후속 조치 시간에 시간대가 없습니다.",
    ),
    "follow_up_outcome_required": (
        lambda: refusal(lambda: check_follow_up_outcome("")),
        "후속 조치로 무엇을 했는지 적어 주세요. 다음에 이 건을 여는 사람이 그 내용을 봅니다.",
    ),
    "follow_up_outcome_too_long": (
        lambda: refusal(lambda: check_follow_up_outcome("x" * 4001)),
        "처리 결과는 4000자까지 적을 수 있습니다. 줄여서 다시 보내 주세요.",
    ),
    "follow_up_not_found": (
        lambda: NotFound("case 1 has no follow-up 2", reason="follow_up_not_found"),
        "이 고객 건에는 그런 후속 조치가 없습니다. 고객 건 화면을 새로 고쳐 주세요.",
    ),
    # the time a customer picks on their page for their call (tests/unit/domain/test_call_times.py)
    "call_time_past": (
        lambda: refusal(lambda: check_call_time(SCHEDULE, NOW, NOW)),
        "고르신 시간이 이미 지났습니다. 목록에서 다른 시간을 골라 주세요.",
    ),
    "call_time_too_far": (
        lambda: refusal(lambda: check_call_time(SCHEDULE, NOW + timedelta(days=17), NOW)),
        "전화 받으실 시간은 14일 안에서 골라 주세요.",
    ),
    "call_time_closed": (  # Saturday morning: closed in this schedule
        lambda: refusal(lambda: check_call_time(SCHEDULE, NOW + timedelta(days=1, hours=1),
                                                NOW)),
        "그 시간에는 고객센터가 문을 닫아 전화드릴 수 없습니다. 목록의 운영 시간 중에서 골라 주세요.",
    ),
    "call_time_without_zone": (
        lambda: refusal(lambda: check_call_time(SCHEDULE, datetime(2008, 6, 16, 10, 0), NOW)),
        "고르신 시간을 알아볼 수 없습니다. 목록에서 다시 골라 주세요.",
    ),
    "call_time_not_on_call_list": (  # the raise itself: tests/integration/test_customer_call_time.py
        lambda: errors.Conflict("case 3 is not waiting for a call", case_id="3",
                                reason="call_time_not_on_call_list"),
        "지금은 전화드릴 일이 없어 시간을 고르실 수 없습니다. 도움이 필요하시면 아래 고객센터로 연락 주세요.",
    ),
    "call_time_no_phone": (
        lambda: errors.Conflict("case 3: no phone number on file", case_id="3",
                                reason="call_time_no_phone"),
        "저희에게 고객님의 전화번호가 없어 전화드릴 수 없습니다. 먼저 아래에 번호를 남겨 주세요.",
    ),
    "unknown_currency": (
        lambda: refusal(lambda: check_currency("XYZ")),
        ("알 수 없는 통화입니다: XYZ. 다음 중 하나를 써 주세요: AUD, CAD, CNY, EUR, GBP, HKD, JPY, KRW, SGD, "
         "TWD, USD."),
    ),
    "price_not_positive": (
        lambda: refusal(lambda: check_price(Money(0, "KRW"))),
        "가격은 0원보다 커야 합니다.",
    ),
    "price_above_ceiling": (
        lambda: refusal(lambda: check_price(Money(10**15, "KRW"))),
        "가격이 허용되는 최고 금액(10,000,000,000원)을 넘습니다. 금액을 다시 확인해 주세요.",
    ),
    "promotion_ended": (
        lambda: refusal(lambda: check_promotion_running(
            Promotion(50, NOW - timedelta(days=30), NOW - timedelta(days=29)), NOW)),
        "이미 끝난 할인 행사입니다. 진행 중인 행사로 다시 제안하거나 행사 없이 제안해 주세요.",
    ),
    "promotion_not_started": (
        lambda: refusal(lambda: check_promotion_running(
            Promotion(50, NOW + timedelta(days=300), NOW + timedelta(days=301)), NOW)),
        "아직 시작하지 않은 할인 행사입니다. 행사가 시작되면 그때 가격을 제안해 주세요.",
    ),
    "promotion_ends_before_start": (
        lambda: refusal(lambda: Promotion(50, NOW, NOW - timedelta(hours=1))),
        "할인 행사는 시작한 뒤에 끝나야 합니다. 종료 시각을 시작 시각보다 뒤로 정해 주세요.",
    ),
    "price_unchanged": (
        lambda: InvalidInput(
            "the listing already costs 199,000 KRW", field="new_price", reason="price_unchanged"
        ),
        "상품 가격이 이미 그 가격입니다. 다른 가격을 입력해 주세요.",
    ),
    "listing_ended": (
        lambda: Conflict("listing 3 has ended; its price cannot change", reason="listing_ended"),
        "판매가 종료된 상품은 가격을 바꿀 수 없습니다.",
    ),
    "listing_ended_since_proposal": (
        lambda: Conflict(
            "listing 3: the listing has ended; reject the change",
            stale=True,
            reason="listing_ended_since_proposal",
        ),
        "판매가 종료된 상품이라 승인할 수 없습니다. 거절해 주세요.",
    ),
    "promotion_ended_since_proposal": (
        lambda: Conflict(
            "listing 3: the promotion this price leans on ended at 2026-05-01 14:05 KST; "
            "reject the change",
            stale=True,
            reason="promotion_ended_since_proposal",
        ),
        "이 가격이 기대는 할인 행사가 끝나 승인할 수 없습니다. 거절해 주세요.",
    ),
    "live_price_moved": (
        lambda: Conflict(
            "listing 3: the live price moved from 199,000 KRW to 189,000 KRW since the proposal",
            stale=True,
            reason="live_price_moved",
        ),
        "제안 이후 판매가가 바뀌어 승인할 수 없습니다. 거절하고 판매자에게 다시 제안해 달라고 해 주세요.",
    ),
    "change_not_held": (
        lambda: IllegalTransition(
            "price change 1 is approved, not held; only held changes can be approved or rejected",
            status="approved",
            reason="change_not_held",
        ),
        "이미 처리된 가격 변경입니다(지금: 승인됨). 아래 목록은 지금 상태입니다.",
    ),
    "own_change": (
        lambda: refusal(lambda: price_review.check_not_own_change(HELD, reviewer="api:a")),
        "직접 제안한 가격 변경은 승인할 수 없습니다. 다른 검토자에게 맡기거나, 거두려면 거절해 주세요.",
    ),
    "own_held_listing": (  # published through the API, released on the pages: the same account
        lambda: refusal(lambda: listings.check_not_own_hold(
            listings.PublicationHold("api:a", NOW, None, None, None), listing_id=3,
            reviewer="admin:a")),
        "직접 게시했거나 보류된 가격을 직접 입력한 상품은 판매 보류를 풀거나 돌려보낼 수 없습니다. 다른 검토자에게 맡겨 주세요.",
    ),
    "listing_price_moved": (  # the reviewer saw 19,900 KRW; the seller changed it since
        lambda: refusal(lambda: listings.check_price_seen(
            _listing(29_900, ListingStatus.HELD), Money(19_900, "KRW"))),
        ("보고 계신 동안 가격이 바뀌어(판매자의 변경이나 승인된 변경) 보류를 풀지도 돌려보내지도 않았습니다. 지금 "
         "가격을 확인한 뒤 다시 판단해 주세요."),
    ),
    "price_moved_since_seen": (  # the seller's form showed 19,900 KRW; it moved since
        lambda: refusal(lambda: listing_service.check_seen_price(
            _listing(29_900, ListingStatus.LIVE), Money(19_900, "KRW"))),
        ("이 화면을 여신 뒤 가격이 바뀌어(다른 창이나 API에서의 변경, 승인된 변경, 할인 행사의 종료) 저장하지 "
         "않았습니다. 아래에서 지금 가격을 확인한 뒤 다시 저장해 주세요."),
    ),
    "pending_moved_since_seen": (  # the form showed no change waiting; #57 is now
        lambda: refusal(lambda: listing_service.check_seen_pending(4, 57, None)),
        ("이 화면을 여신 뒤 검토를 기다리는 가격 변경이 새로 제안되었거나 처리되어 저장하지 않았습니다. 새 가격을 "
         "저장하면 검토를 기다리는 변경을 대체하므로, 아래에서 지금 상태를 확인한 뒤 다시 저장해 주세요."),
    ),
    "newer_price_waiting": (  # the raise itself is checked in
        # tests/e2e/browser/test_review_newer_price_pointers.py
        lambda: Conflict("listing 4's seller has since proposed 45,900 KRW",
                         reason="newer_price_waiting", change_id=57),
        ("판매자가 그 뒤 새 가격을 제안해 검토를 기다리고 있습니다(가격 변경 #57). 지금 보류를 풀면 판매자가 바꾼 "
         "이전 가격으로 판매되므로 풀지 않았습니다. 그 변경을 먼저 승인하거나 거절해 주세요."),
    ),
    "listing_in_draft_incident": (  # the raise is checked in tests/integration/test_resume_rules.py
        lambda: Conflict("listing 4 was paused by draft incident 2",
                         reason="listing_in_draft_incident", incident_id=2),
        "주문 급증으로 멈춘 상품입니다. 운영자가 사고 초안(#2)을 선언하거나 오탐으로 종료한 뒤 다시 판매할 수 있습니다.",
    ),
    "listing_at_wrong_price": (  # the raise is checked in tests/integration/test_resume_rules.py
        lambda: Conflict("listing 4 still costs 19,900 KRW", reason="listing_at_wrong_price",
                         incident_id=2, said_ko="사고 #2의 잘못된 가격(19,900원)"),
        "지금 가격이 사고 #2의 잘못된 가격(19,900원)입니다. 가격을 바로잡은 뒤 판매를 재개해 주세요.",
    ),
    "choice_already_recorded": (
        lambda: refusal(lambda: incidents.advance(incidents.CaseStatus.CHOSEN, "choose")),
        ("이 건은 이미 고객님의 선택이 기록되어 있어 다른 방법을 새로 고르실 수 없습니다. 기록된 선택과 "
         "앞으로의 처리는 고객님 화면에서 보실 수 있습니다. 처리에 문제가 있으면 고객센터로 연락 주세요. "
         "말씀하신 내용은 기록해 두고, 필요하면 저희가 다시 연락드리겠습니다."),
    ),
    "no_plan_yet": (
        lambda: InvalidInput(
            "incident 1 has no plan yet: plan it before taking choices", reason="no_plan_yet"
        ),
        "아직 해결 방안이 없습니다. 먼저 방안을 저장해 주세요.",
    ),
    "case_not_ready": (
        lambda: NotFound("this case is not ready yet", reason="case_not_ready"),
        "이 건은 아직 준비 중입니다. 잠시 후 다시 열어 주세요.",
    ),
    "window_start_future": (
        lambda: refusal(_future_window),
        "잘못된 가격이 나가기 시작한 시각은 미래일 수 없습니다.",
    ),
    "incident_draft": (
        lambda: InvalidInput(
            "incident 1 is a draft; declare it before publishing", reason="incident_draft"
        ),
        "아직 초안인 사고입니다. 먼저 사고를 선언해 주세요.",
    ),
    "incident_dismissed": (
        lambda: InvalidInput("incident 2 was dismissed as a false alarm",
                             reason="incident_dismissed"),
        "오탐으로 종료된 사고입니다. 선언되지 않고 종료되었으므로 공지를 게시하지 않습니다.",
    ),
    "incident_not_declared": (
        lambda: InvalidInput("incident 1 is not declared yet", reason="incident_not_declared"),
        "아직 선언되지 않은 사고입니다. 먼저 사고를 선언해 주세요.",
    ),
    "notice_language_missing": (
        lambda: Conflict("incident 3's public notice is not published in Korean and English yet",
                         reason="notice_language_missing", incident_id=3,
                         languages=["en", "ko"]),
        "공지를 한국어와 고객들이 읽는 모든 언어로 올려야 끝낼 수 있습니다. 아직 없는 언어: 영어, 한국어.",
    ),
    "deadline_not_passed": (
        lambda: InvalidInput("the answer deadline 2008-06-17 18:00 KST has not passed yet",
                             deadline_korea="2008-06-17 18:00", reason="deadline_not_passed"),
        "답변 기한(2008-06-17 18:00, 한국 시간)이 아직 지나지 않았습니다. 기본 처리는 기한이 지난 뒤에 적용합니다.",
    ),
    "incident_status": (  # the step says why: customers were given the plan's terms
        lambda: refusal(
            lambda: incidents.advance_incident(incidents.IncidentStatus.NOTIFYING, "plan")
        ),
        ("사고가 지금 '고객 안내 중' 상태라서 이 단계를 할 수 없습니다. 고객 안내를 보냈거나 보내도록 예약했으므로 "
         "방안은 더 바꿀 수 없습니다. 고객은 이미 그 조건을 안내받았습니다."),
    ),
    "case_status": (
        lambda: refusal(lambda: incidents.advance(incidents.CaseStatus.RESOLVED, "resolve")),
        "이 건은 지금 '처리 완료' 상태라서 할 수 없습니다.",
    ),
    "price_is_incident_wrong_price": (  # raised in services (tests/integration/test_resume_rules.py)
        lambda: Conflict("19,910 KRW is close to 19,900 KRW, the wrong price of incident #3",
                         reason="price_is_incident_wrong_price", incident_id=3,
                         said_ko="사고 #3의 잘못된 가격 19,900원에 가까운 가격(18,091원~21,890원은 같은 "
                                 "실수로 봅니다)"),
        ("사고 #3의 잘못된 가격 19,900원에 가까운 가격(18,091원~21,890원은 같은 실수로 봅니다)입니다. 이 상품은 "
        "이 가격으로 다시 정할 수 없습니다."),
    ),
    "sale_action_outdated": (  # raised by the seller page (test_seller_sale_status.py)
        lambda: IllegalTransition("the listing became paused after this page was opened",
                                  status="paused", reason="sale_action_outdated"),
        ("이 페이지를 연 뒤 상품 상태가 바뀌어 아무것도 바꾸지 않았습니다. 지금 상태는 '판매 중지'입니다. "
         "아래에서 지금 상태에 맞게 다시 해 주세요."),
    ),
    "listing_status": (
        lambda: refusal(lambda: advance_listing(ListingStatus.ENDED, ListingTrigger.PAUSE)),
        "상품이 지금 '판매 종료' 상태라서 할 수 없습니다.",
    ),
    "no_correct_price_yet": (  # the raise itself is checked in tests/integration/test_desk.py
        lambda: InvalidInput("incident 1 has no correct price yet", reason="no_correct_price_yet"),
        "아직 정상 가격이 정해지지 않았습니다. 먼저 정상 가격을 입력해 주세요.",
    ),
    "plan_has_choices": (  # the raise itself is checked in tests/integration/test_desk_plan_fixed.py
        lambda: Conflict("1 customer has already chosen under incident 1's plan",
                         reason="plan_has_choices", incident_id=1, chosen=1),
        "이미 이 방안에 답한 고객(선택 또는 상담 요청)이 있어 조건을 바꿀 수 없습니다. 그 고객에게 안내한 조건이 그대로 지켜져야 합니다. 답변 기한만 늦출 수 있습니다.",
    ),
    "deadline_only_later": (  # the raise itself is checked in tests/integration/test_desk_plan_fixed.py
        lambda: Conflict("its deadline can only move later", reason="deadline_only_later",
                         field="deadline", incident_id=1),
        "이미 이 방안에 답한 고객이 있어 답변 기한은 지금보다 늦출 수만 있습니다. 지금 기한보다 늦은 때를 입력해 주세요.",
    ),
    "plan_changed": (  # a plan form opened before another plan was saved (desk.plan calls it)
        lambda: refusal(lambda: check_plan_unchanged(None, "0123456789abcdef", incident_id=1)),
        "이 화면을 연 뒤 다른 해결 방안이 저장되어, 입력하신 방안은 저장하지 않았습니다. 지금 저장된 방안을 확인하고, 바꿔야 하면 다시 저장해 주세요.",
    ),
    "notice_changed": (  # a notice editor opened before another operator published (the
        # service raises it: tests/integration/test_notice_opened_against.py)
        lambda: Conflict("version 2 of the notice in ko was published after this editor was "
                         "opened", reason="notice_changed", field="body", version=2,
                         published_at="2008-06-13T09:00:00+09:00"),
        "이 편집기를 연 뒤 다른 담당자가 공지 제2판을 게시해, 입력하신 내용은 게시하지 않았습니다. 게시된 판을 읽고 다시 게시해 주세요.",
    ),
    "notice_version_unknown": (  # a version above the latest (a tester's --opened-against 9)
        lambda: refusal(lambda: notices.check_notice_unchanged(
            SimpleNamespace(version=2), 9, incident_id=1, lang="ko")),
        "이 편집기가 연 공지 판은 게시된 적이 없습니다(지금 최신은 제2판). 화면을 새로 고쳐 게시된 판을 읽고 다시 게시해 주세요.",
    ),
    "no_difference_owed": (  # the raise itself is checked in tests/integration/test_desk_difference.py
        lambda: Conflict("case #3 owes no difference: the customer has not chosen yet",
                         reason="no_difference_owed", case_id=3),
        "이 고객은 결제할 차액이 없습니다. 정상가에서 할인된 가격으로 구매를 골라 주문 금액이 올라간 고객만 차액 결제를 기록할 수 있습니다.",
    ),
    "not_a_discount_choice": (  # a case still open: nothing was chosen yet
        lambda: refusal(lambda: cancel_instead(A_CASE, _consent(choice="cancel_with_compensation"),
                                               make_plan(**BOTH_PLAN), paid=None,
                                               owed=Money(1, "KRW"))),
        "이 건은 정상가에서 할인된 가격으로 구매를 골라 마무리된 건이 아니어서, 차액 대신 취소할 것이 없습니다.",
    ),
    "difference_already_paid": (
        lambda: refusal(lambda: cancel_instead(
            _DISCOUNTED_CASE, _consent(choice="cancel_with_compensation"), make_plan(**BOTH_PLAN),
            paid=DifferencePaid(NOW, "agent:park", "transfer 0613"), owed=Money(1, "KRW"))),
        "차액이 이미 결제되어 상품을 보내 드립니다. 지금 취소하시려면 반품이므로 고객센터로 연락해 주세요.",
    ),
    "consent_words_too_short": (
        lambda: refusal(lambda: cancel_instead(
            _DISCOUNTED_CASE, _consent(choice="cancel_with_compensation", evidence=" x. "),
            make_plan(**BOTH_PLAN), paid=None, owed=Money(1, "KRW"))),
        "고객이 한 말을 그대로 적어 주세요(글자나 숫자 2개 이상).",
    ),
    "evidence_too_short": (  # an agent's note of a phone call that says nothing
        lambda: refusal(lambda: consent.record_choice(
            A_CASE, _consent(channel="phone", taken_by="agent:park", evidence=" - "),
            make_plan(**A_PLAN))),
        ("고객이 한 말을 그대로 적어 주세요. 한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다(띄어쓰기와 문장부호는 "
         "세지 않습니다)."),
    ),
    "text_control_character": (  # a product title with a mail header in it (CR LF)
        lambda: refusal(lambda: require_text("줄바꿈\r\nBcc: x@evil\r\n상품", "title")),
        ("이 칸에는 U+000D 문자를 쓸 수 없습니다. 줄바꿈이나 탭 같은 제어 문자와 글자 방향을 바꾸는 "
         "보이지 않는 문자를 빼고, 보이는 그대로 입력해 주세요."),
    ),
    "web_channel_is_the_customers": (  # an agent's choice filed as the customer's own click
        lambda: refusal(lambda: consent.check_channel(_consent(taken_by="agent:park"))),
        ("웹 선택은 고객이 자기 화면에서 직접 누른 것만 해당합니다. 상담원은 전화, 이메일, 문자로 받은 "
         "선택을 그 방법으로 기록해 주세요."),
    ),
    "web_consent_by_agent": (
        lambda: refusal(lambda: cancel_instead(
            _DISCOUNTED_CASE, _consent(choice="cancel_with_compensation", taken_by="agent:park"),
            make_plan(**BOTH_PLAN), paid=None, owed=Money(1, "KRW"))),
        "웹 요청은 고객이 자기 화면에서 직접 누른 것만 해당합니다. 상담원은 전화, 이메일, 문자로 받은 요청을 기록해 주세요.",
    ),
    "only_cancel_replaces_discount": (
        lambda: refusal(lambda: cancel_instead(_DISCOUNTED_CASE, _consent(choice="keep"),
                                               make_plan(**BOTH_PLAN), paid=None,
                                               owed=Money(1, "KRW"))),
        "할인된 가격으로 구매하는 대신 고를 수 있는 것은 보상을 받고 주문을 취소하는 것뿐입니다.",
    ),
    "cancelled_instead": (  # the raise itself is checked in tests/integration/test_desk_cancel_instead.py
        lambda: Conflict("case #3: the customer cancelled instead of paying the difference on "
                         "2008-06-14 10:00 (Korea time)", reason="cancelled_instead", case_id=3),
        "고객이 차액을 내는 대신 주문 취소를 택해 주문이 취소·환불되었습니다. 그 뒤에 받은 차액은 돌려드려야 합니다.",
    ),
    "payment_note_required": (
        lambda: refusal(lambda: payment_note("  ")),
        "차액을 어떻게 받았는지 적어 주세요(영수증 번호, 이체 내역, 결제를 받은 사람).",
    ),
    "payment_note_too_short": (
        lambda: refusal(lambda: payment_note("ok")),  # for 453,600 KRW: says nothing to check
        ("결제 메모가 너무 짧습니다. 나중에 확인할 수 있게 결제 방법이나 영수증·이체 번호를 적어 주세요(예: 현금, 이체, "
         "ATM, 영수증 1234). 영문·숫자는 3자, 한글은 2자 이상이어야 합니다(띄어쓰기와 문장부호는 세지 않습니다)."),
    ),
    "payment_note_too_long": (
        lambda: refusal(lambda: payment_note("x" * 501)),
        "결제 메모는 500자까지 적을 수 있습니다.",
    ),
    "incident_not_closed": (
        lambda: Conflict("incident 4 is notifying: its price block can be narrowed once it is "
                         "closed", reason="incident_not_closed", incident_id=4,
                         status="notifying"),
        ("사고가 아직 끝나지 않아(지금: '고객 안내 중') 가격 차단을 좁힐 수 없습니다. 고객 처리가 모두 끝나고 "
         "사고를 닫은 뒤에 하실 수 있습니다."),
    ),
    "block_is_band_only": (
        lambda: Conflict("incident 4's block is only the band", reason="block_is_band_only",
                         incident_id=4),
        ("이 사고의 가격 차단은 이미 잘못된 가격 근처의 범위뿐이라 더 좁힐 것이 없습니다. 이 범위는 계속 "
         "막힙니다."),
    ),
    "unanswered_cases": (
        lambda: Conflict(
            "3 cases have not been answered or defaulted yet", reason="unanswered_cases"
        ),
        "아직 답하지 않은 고객이 있어 끝낼 수 없습니다.",
    ),
    "deadline_too_close": (  # the raise itself is checked in
        # tests/integration/test_desk_notify_deadline_and_sellers.py
        lambda: Conflict("the deadline is too close", field="deadline",
                         reason="deadline_too_close"),
        "답변 기한이 너무 가까워 고객이 답할 시간이 부족합니다. 방안에서 기한을 늦춘 뒤 다시 안내해 주세요.",
    ),
    "incident_closed": (  # the raise itself is checked in tests/integration/test_desk.py
        lambda: Conflict("incident 3 is closed", reason="incident_closed", incident_id=3),
        "이 건의 처리는 이미 끝났습니다. 더 도움이 필요하시면 고객센터로 연락해 주세요.",
    ),
    "calls_owed": (  # the raise itself is checked in tests/integration/test_desk.py
        lambda: Conflict("2 customers are still owed a call", reason="calls_owed"),
        "상담원 전화를 기다리는 고객이 있어 끝낼 수 없습니다. 고객과 통화하거나 정해진 통화 시도를 마친 뒤 끝내 주세요.",
    ),
    "approval_needs_reason": (  # the raise itself is checked in tests/integration/test_price_review.py
        lambda: InvalidInput("approving a move this large needs a reason", field="reason",
                             reason="approval_needs_reason"),
        "가격을 절반 이하로 내리거나 두 배 이상 올리는 변경은 승인 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
    ),
    "first_price_approval_needs_reason": (  # the raise: tests/e2e/test_api_price_guard_mends.py
        lambda: InvalidInput("approving a first price this far from its reference needs a "
                             "reason", field="reason",
                             reason="first_price_approval_needs_reason"),
        "판매된 적 없는 상품의 첫 가격이 정가나 다른 판매자 가격의 절반 이하이거나 두 배 이상이면 (비교할 가격이 없을 때도) 승인 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
    ),
    "policy_hold_needs_reason": (  # a book below the fixed book price floor approved blank
        lambda: InvalidInput("approving a change a pricing policy held needs a reason",
                             field="reason", reason="policy_hold_needs_reason",
                             rule="below_list_price_floor"),
        ("가격 정책(도서정가제 최저가, 분류별 할인 한도, 판매자 가격 한도 등)으로 보류된 변경은 "
         "승인 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요."),
    ),
    "release_needs_reason": (  # a first price of 19,900 KRW against a list price of 199,000 KRW
        lambda: refusal(lambda: price_moves.check_release_reason(
            3, Money(19_900, "KRW"), price_moves.PriceReference(199_000, "list_price"), " ")),
        "첫 가격이 정가나 다른 판매자 가격의 절반 이하이거나 두 배 이상이면 (비교할 가격이 없을 때도) 보류를 풀 때 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
    ),
    "reason_too_short": (  # "." says nothing: every required reason needs 4 letters or digits (2 syllables)
        lambda: refusal(lambda: reasons.check_meaningful_reason(" . ")),
        "사유를 조금 더 구체적으로 적어 주세요. 한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다(띄어쓰기와 문장부호는 세지 않습니다).",
    ),
    "reason_required": (  # a held change (its state is read first, as approving reads it)
        lambda: refusal(lambda: price_review.reject_price_change(
            _uow(market=SimpleNamespace(
                price_change=lambda _id: HELD, price_change_for_update=lambda _id: HELD,
                listing=lambda _id, **_: _listing(199_000, ListingStatus.LIVE))),
            change_id=1, reviewer="reviewer:a", reason="  ")),
        "거절할 때는 판매자가 읽을 수 있는 사유를 적어 주세요.",
    ),
    "send_back_needs_reason": (
        lambda: refusal(lambda: listing_holds.check_send_back_reason(3, " ")),
        "돌려보낼 때는 판매자가 가격을 고칠 수 있도록 무엇이 잘못인지 사유를 적어 주세요.",
    ),
    "promotion_percent_missing": (  # dates typed, percent left empty
        lambda: refusal(lambda: listings.declared_promotion(None, NOW, NOW + timedelta(days=1))),
        "할인율을 입력해 주세요. 할인율 없이 기간만 넣으면 행사가 끝나도 가격이 돌아가지 않습니다.",
    ),
    "window_before_listing": (  # the raise itself is checked in tests/integration/test_desk_declare.py
        lambda: InvalidInput("the window starts before listing 5 existed", field="window_start",
                             reason="window_before_listing", listing_id=5,
                             created_at="2026-11-20 10:00"),
        "시작 시각이 상품 5번이 등록되기(2026-11-20 10:00) 전입니다. 잘못된 가격으로 판매가 시작된 시각을 넣어 주세요.",
    ),
    "number_too_large": (  # the mapping is checked in tests/integration/test_data_errors.py
        lambda: InvalidInput("a number is too large to be stored", reason="number_too_large"),
        "숫자가 너무 커서 저장할 수 없습니다. 번호나 금액을 확인해 주세요.",
    ),
    "moment_out_of_range": (  # year 9999 in UTC is past what a date holds in Korea time
        lambda: refusal(lambda: Promotion(10, ends_at=datetime(9999, 12, 31, 23, 59,
                                                               tzinfo=ZoneInfo("UTC")))),
        "시각은 1970년부터 2199년 사이로 입력해 주세요.",
    ),
    "only_seller_withdraws": (
        lambda: refusal(_staff_withdraws),
        "보류된 가격 변경은 그 상품의 판매자만 철회할 수 있습니다. 심사자는 판매자가 읽을 사유와 함께 반려해 주세요.",
    ),
    "time_out_of_range": (
        lambda: InvalidInput("a time is out of range", reason="time_out_of_range"),
        "시각이 허용 범위(1년~9999년)를 벗어났습니다.",
    ),
    "text_not_storable": (
        lambda: InvalidInput("text contains NUL", reason="text_not_storable"),
        "글에 저장할 수 없는 문자(NUL)가 들어 있습니다. 그 문자를 지우고 다시 보내 주세요.",
    ),
    "value_not_storable": (
        lambda: InvalidInput("a value cannot be stored: x", reason="value_not_storable"),
        "입력한 값을 저장할 수 없습니다. 값을 확인해 주세요.",
    ),
    "notice_not_published": (  # the raise itself is checked in tests/integration/test_desk.py
        lambda: Conflict("incident 3 has no public notice yet", reason="notice_not_published",
                         incident_id=3),
        "아직 공지를 올리지 않아 끝낼 수 없습니다. 고객에게 알린 내용을 공지로도 올린 뒤 끝내 주세요.",
    ),
    "window_overlaps_incident": (  # checked in tests/integration/test_desk_declare.py
        lambda: Conflict("listing 5 is already in incident 3, whose window overlaps this one",
                         reason="window_overlaps_incident", listing_id=5, incident_id=3),
        ("상품 5번은 이미 사고 #3에 들어 있고 그 기간이 이 기간과 겹칩니다. 한 주문에 두 가지 답이 가지 않도록 "
        "기간을 그 사고 뒤로 잡거나, 그 사고가 초안이면 그 상품은 그 초안으로 따로 선언하고 여기서는 빼 주세요. "
        "초안을 오탐으로 닫으면 그 가격을 정상으로 인정하게 되니, 실제 실수였다면 닫지 마세요."),
    ),
    "currency_mismatch": (  # checked in tests/integration/test_desk_declare.py
        lambda: InvalidInput("listing 7 is priced in USD, but the wrong price is in KRW",
                             field="wrong_price", reason="currency_mismatch", listing_id=7),
        ("상품 7번은 잘못 표시된 가격과 다른 통화로 팔리고 있습니다. 한 사고에는 같은 통화의 상품만 묶을 수 "
        "있습니다."),
    ),
    "wrong_price_never_listed": (  # checked in tests/integration/test_desk_declare.py
        lambda: desk._never_listed([402], {402: [18_500, 18_000]}, Money(17_500, "KRW"),
                                   NOW - timedelta(hours=1), NOW),
        ("상품 402번은 2008-06-13 08:00부터 2008-06-13 09:00까지 가격이 17,500원인 적이 없습니다(그동안의 가격: "
         "402번 18,500원 → 18,000원). 잘못된 가격이었던 상품만 사고에 넣을 수 있습니다. 상품 번호, 잘못 표시된 가격, "
         "시작 시각을 확인해 주세요."),
    ),
    "correct_price_implausible": (  # the service's call: tests/integration/test_desk_declare.py
        lambda: refusal(lambda: check_correct_price_plausible(
            Money(1_850_000, "KRW"), Money(18_500, "KRW"),
            [PriceReference(403, (185_000,), 199_000)])),
        ("입력한 정상 가격(1,850,000원)이 잘못된 가격 전에 상품이 팔리던 가격과 정가 가운데 가장 높은 199,000원의 "
         "2배를 넘습니다(참고한 가격: 403번 185,000원, 정가 199,000원). 0을 더 넣지 않았는지 정상 가격을 확인해 "
         "주세요. 아무 상품도 판매 중지하지 않았습니다. 확인해 보니 맞다면(묶음 상품의 가격 등) 정상 가격 칸 아래에 확인했다고 표시하고 "
         "다시 선언해 주세요."),
    ),
    "cause_too_long": (  # the CLI and the page meet it in the domain; the API's schema too
        lambda: refusal(lambda: incidents._check_text("가" * 2001, "cause")),
        "원인 설명이 2001자로 너무 깁니다. 2000자까지 쓸 수 있습니다.",
    ),
    "notice_title_too_long": (  # the page, the CLI and the API all meet this one check
        lambda: refusal(lambda: notices.check_title("가" * 301)),
        "공지 제목이 301자로 너무 깁니다. 제목은 300자까지 쓸 수 있으니 나머지는 본문에 적어 주세요.",
    ),
    "public_links_unreachable": (  # the CLI's notify; tests/e2e/test_cli_incident_notify.py
        lambda: refusal(lambda: check_public_links("http://127.0.0.1:8000", configured=False,
                                                   probe=lambda url: False)),
        ("고객에게 보낼 링크 주소(http://127.0.0.1:8000)에서 sagwa가 응답하지 않아 아무 메시지도 보내지 않았습니다. "
         "앱을 그 주소에서 실행하거나 SAGWA_PUBLIC_BASE_URL에 고객이 여는 주소를 설정한 뒤 다시 보내 주세요."),
    ),
    "form_expired": (
        lambda: refusal(_forged_form),
        "양식이 만료되었거나 이 사이트에서 보낸 것이 아닙니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
    ),
    "role_not_allowed": (
        lambda: refusal(_seller_opens_a_staff_page),
        "이 계정으로는 열 수 없는 페이지입니다.",
    ),
    "link_expired": (
        lambda: refusal(_expired_link),
        "링크의 유효 기간이 지났습니다. 고객센터로 연락해 원하시는 방법을 알려 주세요.",
    ),
    "link_invalid": (
        lambda: refusal(lambda: open_case_token("secret", "not-a-token")),
        "올바른 링크가 아닙니다. 받으신 메시지의 링크를 다시 눌러 주세요.",
    ),
    "order_status": (
        lambda: refusal(lambda: advance_order(OrderStatus.CANCELLED, OrderTrigger.FULFIL)),
        "주문이 지금 '취소됨' 상태라서 할 수 없습니다.",
    ),
    "case_not_defaulted": (
        lambda: refusal(lambda: consent.effects_of_default(A_CASE, make_plan(**A_PLAN))),
        "기한까지 답이 없던 건에만 기본 처리를 적용할 수 있습니다. 이 건의 상태를 다시 확인해 주세요.",
    ),
    "choice_needs_consent": (
        lambda: refusal(lambda: A_CASE.with_trigger(incidents.CaseTrigger.CHOOSE)),
        "고객의 선택은 동의 기록(고객이 말한 내용)과 함께 저장해야 합니다.",
    ),
    "stored_data_conflict": (
        lambda: _conflict(DUPLICATE_SKU),
        "이미 저장된 내용과 충돌해 저장하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
    ),
    "idempotency_key_missing": (  # the API's header check is this one (web/deps.py)
        lambda: refusal(lambda: idempotency.check_key("  ")),
        ("무언가를 새로 만드는 요청에는 'Idempotency-Key' 헤더가 있어야 합니다 (예: UUID 같은 고유한 문자열, "
         "다시 보낼 때는 같은 값)."),
    ),
    "idempotency_key_too_long": (
        lambda: refusal(lambda: idempotency.check_key("k" * 201)),
        "'Idempotency-Key'는 200자 이하여야 합니다.",
    ),
    "idempotency_key_blank": (  # the API's optional key (tests/e2e/browser/test_contact_attempt_retries.py)
        lambda: errors.InvalidInput("the 'Idempotency-Key' header was sent blank",
                                    field="Idempotency-Key", reason="idempotency_key_blank"),
        "'Idempotency-Key'가 빈 값으로 왔습니다. 이 요청에는 선택 사항이니 키(1~200자)를 보내거나 헤더를 빼 주세요.",
    ),
    "idempotency_key_not_ascii": (  # a Hangul key arrives in a header as Latin-1 letters
        lambda: refusal(lambda: idempotency.check_key("키-1")),
        "'Idempotency-Key'에는 영문자, 숫자, 문장 부호만 쓸 수 있습니다(예: UUID).",
    ),
    "idempotency_request_differs": (  # raised with a database: tests/integration/test_idempotency.py
        lambda: errors.IdempotencyMismatch("key 'k' was already used for a different request",
                                           idempotency_key="k",
                                           reason="idempotency_request_differs"),
        ("이 'Idempotency-Key'는 이미 다른 내용의 요청에 쓰였습니다. 새 요청에는 새 키를 쓰고, 다시 보낼 때는 처음 "
         "요청을 그대로 보내 주세요."),
    ),
    "quantity_out_of_range": (
        lambda: refusal(lambda: price_order(_listing(19_900, ListingStatus.LIVE), 0)),
        "수량은 1개부터 100개까지 주문할 수 있습니다.",
    ),
    # a customer's contact details (the agent's case page: tests/integration/test_customer_contact.py)
    "customer_contact_required": (
        lambda: refusal(lambda: change_contact(A_CUSTOMER, phone=None)),
        "고객에게 연락할 방법이 하나는 남아 있어야 합니다. 이메일과 전화번호를 모두 지울 수는 없습니다.",
    ),
    "customer_email_taken": (  # raised with a database: test_services_catalog.py, test_customer_contact.py
        lambda: Conflict("another customer (#9) has the email minji@example.com", field="email",
                         reason="customer_email_taken"),
        "다른 고객이 이미 이 이메일을 쓰고 있습니다. 고객에게 주소를 다시 확인해 주세요.",
    ),
    "contact_changed_meanwhile": (  # the form showed 010-1111-2222; another tab saved this one
        lambda: refusal(lambda: check_unchanged_since(
            A_CUSTOMER, shown={"phone": "010-1111-2222", "email": None},
            typed={"phone": "010-3333-4444", "email": KEEP})),
        ("이 화면을 연 뒤 다른 분이 이 고객의 연락처를 바꿨습니다. 지금 저장된 전화번호: 010-1234-5678, 이메일: —. "
         "아무것도 저장하지 않았고 입력하신 값은 그대로 두었습니다. 고객에게 확인한 뒤 그래도 바꾸려면 다시 "
         "저장해 주세요."),
    ),
    "phone_already_on_file": (  # raised with a database: test_cs_contact_details.py
        lambda: Conflict("customer 4 already has a phone number; changing it takes a person",
                         field="phone", reason="phone_already_on_file"),
        "이미 고객님의 전화번호가 있습니다. 번호를 바꾸시려면 아래 고객센터로 연락 주세요.",
    ),
    "phone_not_a_number": (
        lambda: refusal(lambda: change_contact(A_CUSTOMER, phone="010-1234")),  # too short
        ("전화드릴 수 있는 번호가 아닙니다. 국내 번호는 0으로 시작하는 9~11자리(예: 010-1234-5678, "
         "02-123-4567, 안심번호 0504-1234-5678은 12자리), 해외 번호는 +와 국가 번호로 시작하는 "
         "8~15자리(예: +1 415 555 0100)로 입력해 주세요."),
    ),
    "email_not_an_address": (
        lambda: refusal(lambda: change_contact(A_CUSTOMER, email="minji at example")),
        "이메일 주소 형식이 아닙니다(예: minji@example.com). 다시 확인해 주세요.",
    ),
    # the agents' case lookup (tests/e2e/browser/test_cs_case_lookup_tails.py)
    "lookup_phone_tail_digits": (
        lambda: refusal(lambda: read_query("*698")),
        "전화번호 끝자리로 찾으려면 마지막 네 자리를 입력해 주세요(예: *6980 또는 6980). 입력한 숫자는 3자리입니다.",
    ),
    "lookup_email_domain_only": (
        lambda: refusal(lambda: read_query("@example.com")),
        ("이메일은 @ 앞부분부터 입력해 주세요(예: minsu.kim 또는 minsu.kim@). @ 뒤의 도메인만으로는 고객을 "
         "가려낼 수 없습니다."),
    ),
    "promotion_percent_range": (  # 1e-9 % off, or 12.345 %
        lambda: refusal(lambda: listings.declared_promotion(1e-9)),
        "할인율은 1에서 99.9 사이의 숫자로, 소수점 한 자리까지 입력해 주세요(예: 10 또는 12.5).",
    ),
    "ledger_dates_reversed": (
        lambda: refusal(lambda: ledger_reports.korea_days(date(2008, 6, 13), date(2008, 6, 12))),
        "시작일(2008-06-13)이 종료일(2008-06-12)보다 늦습니다. 날짜를 바꿔 넣어 주세요.",
    ),    # a plan selling a book below its fixed price (domain/book_price.py): 정가 210,000원
    "book_keep_default_below_floor": (
        lambda: refusal(lambda: check_book_price_law(make_plan(**A_PLAN), Money(19_900, "KRW"),
                                                     A_BOOK)),
        ("도서정가제(출판문화산업 진흥법 제22조)에 따라 이 책은 정가 210,000원의 90%인 189,000원보다 낮은 "
         "가격에 팔 수 없습니다. '주문 유지'는 결제된 19,900원에 파는 것이라, 답하지 않은 고객의 주문이 이 "
         "가격에 팔리게 됩니다. 미응답 시 처리를 '상담원 전화'로 정하고, '주문 유지' 대신 보상과 함께 주문 "
         "취소를 선택지로 드려 주세요."),
    ),
    "book_keep_below_floor": (
        lambda: refusal(lambda: check_book_price_law(
            make_plan(**(A_PLAN | {"default": "follow_up_call"})), Money(19_900, "KRW"), A_BOOK)),
        ("도서정가제(출판문화산업 진흥법 제22조)에 따라 이 책은 정가 210,000원의 90%인 189,000원보다 낮은 "
         "가격에 팔 수 없습니다. '주문 유지'는 결제된 19,900원에 파는 것입니다. '주문 유지'를 빼고 보상과 "
         "함께 주문 취소를 선택지로 드려 주세요."),
    ),
    "book_discount_below_floor": (
        lambda: refusal(lambda: check_book_price_law(make_plan(**(A_PLAN | {
            "options": ["talk_to_person", "buy_at_correct_price_discount"], "discount_pct": 10,
            "default": "follow_up_call"})), Money(19_900, "KRW"), A_BOOK)),
        ("도서정가제(출판문화산업 진흥법 제22조)에 따라 이 책은 정가 210,000원의 90%인 189,000원보다 낮은 "
         "가격에 팔 수 없습니다. 이 할인율로는 1개당 179,100원에 팔게 됩니다. 할인율을 5% 이하로 낮추거나, "
         "할인 구매 대신 보상과 함께 주문 취소를 선택지로 드려 주세요."),
    ),
}
#: A book whose list price (정가) is 210,000 KRW, at the packaged floor of 90% (189,000 KRW).
A_BOOK = BookFloor(Money(210_000, "KRW"), 90.0)

#: Raise sites too costly to run here (they need a database): the reason is in their source,
#: and the integration tests that trigger the real refusal check its reason
#: (tests/integration/test_services_market.py, test_price_review.py, test_desk.py).
RAISED_IN: list[tuple[Callable[..., Any], str]] = [
    (listings._check_price_may_change, "price_unchanged"),
    (seller_pages.change_sale, "sale_action_outdated"),
    (listings.check_not_an_incidents_wrong_price, "price_is_incident_wrong_price"),
    (listings._check_price_may_change, "listing_ended"),
    (price_review._held, "change_not_held"),
    (check_callback_at, "callback_time_without_request"),
    (check_callback_at, "callback_time_past"),
    (check_follow_up, "follow_up_needs_note"),
    (check_follow_up, "follow_up_time_past"),
    (check_follow_up, "follow_up_time_too_far"),
    (check_follow_up, "follow_up_time_without_zone"),
    (check_follow_up_outcome, "follow_up_outcome_required"),
    (check_follow_up_outcome, "follow_up_outcome_too_long"),
    (desk_follow_ups.resolve_follow_up, "follow_up_not_found"),
    (desk_cases._check_callable, "callback_time_no_phone"),
    (check_callback_at, "callback_time_not_phone"),
    (check_callback_at, "callback_time_too_far"),
    (check_callback_at, "callback_time_without_zone"),
    (check_call_time, "call_time_past"),
    (check_call_time, "call_time_too_far"),
    (check_call_time, "call_time_closed"),
    (check_call_time, "call_time_without_zone"),
    (customer_call_time.set_call_time, "call_time_not_on_call_list"),
    (customer_call_time.set_call_time, "call_time_no_phone"),
    (price_review.check_not_own_change, "own_change"),
    (price_review._check_approval_reason, "approval_needs_reason"),
    (price_review._check_approval_reason, "policy_hold_needs_reason"),
    (price_review._refuse_first_price_without_reason, "first_price_approval_needs_reason"),
    (price_moves.check_release_reason, "release_needs_reason"),
    (desk_cases.current_plan, "no_plan_yet"),
    (incident_prices.narrow_price_block, "incident_not_closed"),
    (incident_prices.narrow_price_block, "block_is_band_only"),
    (consent.check_channel, "web_channel_is_the_customers"),
    (customer_contact._check_email_free, "customer_email_taken"),
    (customer_contact.change_customer_contact, "phone_already_on_file"),
    (check_unchanged_since, "contact_changed_meanwhile"),  # with a database: test_cs_contact_details.py
    (case_facts.incident_terms, "case_not_ready"),
    (notices.publish_notice_once, "incident_draft"),
    (notices.check_not_dismissed, "incident_dismissed"),
    (notices.check_notice_unchanged, "notice_changed"),
    (notices.check_notice_unchanged, "notice_version_unknown"),
    (listing_holds.check_no_newer_price_waiting, "newer_price_waiting"),
    (notices.check_title, "notice_title_too_long"),
    (incidents._check_text, "cause_too_long"),
    (check_public_links, "public_links_unreachable"),
    (notices.draft_notice, "incident_not_declared"),
    (desk._refuse_open_cases, "unanswered_cases"),
    (desk._check_terms_kept, "plan_has_choices"),
    (desk._check_terms_kept, "deadline_only_later"),
    (check_plan_unchanged, "plan_changed"),
    (desk.close, "calls_owed"),
    (desk_difference.record_difference_paid, "no_difference_owed"),
    (desk_difference._refuse_after_cancelling_instead, "cancelled_instead"),
    (desk.close, "notice_not_published"),
    (desk._check_window_after_listings, "window_before_listing"),
    (desk_cases._require_not_closed, "incident_closed"),
    (desk._check_listings_free, "window_overlaps_incident"),
    (desk._check_listings_free, "currency_mismatch"),
    (listings.check_listing_currency, "currency_mismatch"),  # a USD price on a KRW listing
    (check_currency, "unknown_currency"),
    (reasons.check_meaningful_reason, "reason_too_short"),
    (consent.check_written_words, "evidence_too_short"),
    (check_text_characters, "text_control_character"),
    (reasons.require_reason, "reason_required"),
    (listing_holds.check_send_back_reason, "send_back_needs_reason"),
    (listings.declared_promotion, "promotion_percent_missing"),
    (desk._never_listed, "wrong_price_never_listed"),
    (check_correct_price_plausible, "correct_price_implausible"),
    (idempotency.prior_result, "idempotency_request_differs"),
    (idempotency.check_key, "idempotency_key_missing"),
    (idempotency.check_key, "idempotency_key_too_long"),
    (idempotency.check_key, "idempotency_key_not_ascii"),
    (deps._optional_idempotency_key, "idempotency_key_blank"),
    (price_order, "quantity_out_of_range"),
    (listings.check_percent_value, "promotion_percent_range"),
    (Promotion.__post_init__, "promotion_ends_before_start"),
    (desk_cases.apply_deadline, "deadline_not_passed"),
    (desk._check_notice_in_every_language, "notice_language_missing"),
    (ledger_reports.korea_days, "ledger_dates_reversed"),
    (check_book_price_law, "book_keep_default_below_floor"),
    (check_book_price_law, "book_keep_below_floor"),
    (book_price._check_discount, "book_discount_below_floor"),
    (web_errors.unreachable_error, "database_unreachable"),
]


def test_every_reason_a_rule_knows_has_a_refusal_here() -> None:
    assert {r.reason for r in RULES if r.reason} == set(REFUSALS)


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_the_refusal_carries_its_reason_and_the_page_says_the_same_sentence(reason: str) -> None:
    make, korean = REFUSALS[reason]
    exc = make()
    assert exc.details["reason"] == reason
    assert exc.as_dict()["details"]["reason"] == reason  # what the JSON API answers
    assert error_text(exc, "ko") == korean
    assert error_text(exc, "en") == error_texts._say(_rule_for(reason, exc.details), exc.details,
                                                     "en")


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_a_reworded_message_with_the_same_reason_gets_the_same_sentence(reason: str) -> None:
    exc = REFUSALS[reason][0]()
    reworded = type(exc)("entirely different words, none of the old ones", **exc.details)
    assert reworded.code == exc.code
    for lang in ("ko", "en"):
        assert error_text(reworded, lang) == error_text(exc, lang)


@pytest.mark.parametrize(("raise_site", "reason"), RAISED_IN,
                         ids=[f"{f.__name__}-{r}" for f, r in RAISED_IN])  # fmt: skip
def test_the_raise_site_passes_the_reason(raise_site: Callable[..., Any], reason: str) -> None:
    assert f'reason="{reason}"' in inspect.getsource(raise_site)


@pytest.mark.parametrize(("price", "status", "reason"), [
    (199_000, ListingStatus.ENDED, "listing_ended_since_proposal"),
    (189_000, ListingStatus.ENDED, "listing_ended_since_proposal"),
    (189_000, ListingStatus.LIVE, "live_price_moved"),
    (199_000, ListingStatus.LIVE, None),
])  # fmt: skip
def test_a_stale_change_is_named_by_what_changed_since_the_proposal(
    price: int, status: ListingStatus, reason: str | None
) -> None:
    # approve_price_change refuses with this as details["reason"]; the integration test
    # test_approving_a_stale_change_is_refused runs it for both reasons on a database.
    assert price_review.stale_code(HELD, _listing(price, status)) == reason


def test_the_same_words_without_a_reason_are_not_recognised() -> None:
    exc = Conflict("listing 3: the live price moved from 199,000 KRW to 189,000 KRW")
    assert error_text(exc, "ko") == exc.message


def test_no_rule_matches_on_the_words_of_a_message() -> None:
    assert [f.name for f in fields(Rule)] == ["code", "field", "reason", "ko", "en", "labels",
                                              "needs"]  # needs: detail keys, not words
    for rule in RULES + PLAN_RULES:
        assert rule.reason is None or rule.reason.isidentifier() and rule.reason.islower(), rule
    for rule in RULES:  # a message in none of the old words still reaches its rule
        if rule.reason is None:
            continue
        needed = {"apologies_queued": 3, "apologies_due_at": "2027-03-08T00:00:00+00:00",
                  "max_discount_pct": 5, "version": 2, "lowest_ko": "26,300원",
                  "deadline": "2027-03-09T09:00:00+09:00",
                  "earliest_send_at": "2027-03-08T09:00:00+09:00", "contact_hours_left": "9",
                  "min_answer_hours": "24", "deadline_passed": True, "change_id": 57}
        exc = SagwaError("zzz", field=rule.field, reason=rule.reason, status="open",
                         **{n: needed[n] for n in rule.needs})
        exc.code = rule.code
        assert error_text(exc, "en") == error_texts._say(rule, exc.details, "en"), rule


def _rule_for(reason: str, details: dict | None = None) -> Rule:
    """The first rule for ``reason`` whose needed details ``details`` has (none: a rule that
    needs none)."""
    return next(r for r in RULES if r.reason == reason
                and all((details or {}).get(n) is not None for n in r.needs))


# The incident plan: every problem carries a sub-code beside its sentence.

SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)
INCIDENT = incidents.declare(
    incident_id="inc-1", listing_ids={101}, wrong_price=Money(19_900, "KRW"),
    correct_price=Money(199_000, "KRW"), window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),
    now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
    declared_by="operator:kim",
).incident  # fmt: skip
RIGHT_PRICE = Money(199_000, "KRW")


def _declared(correct: Money | None = RIGHT_PRICE, responsible: str = "both",
              window_end: datetime | None = None) -> object:
    return incidents.declare(
        incident_id="inc-2", listing_ids={101}, wrong_price=Money(19_900, "KRW"),
        correct_price=correct, window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),  # type: ignore[arg-type]
        now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible=responsible,
        declared_by="operator:kim", window_end=window_end)


A_PLAN: dict[str, Any] = {
    "incident": INCIDENT, "options": ["keep", "talk_to_person"], "default": "keep",
    "deadline": datetime(2008, 6, 17, 18, 0, tzinfo=KST), "seller_share_pct": 70,
    "platform_share_pct": 30, "now": NOW, "schedule": SCHEDULE,
}  # fmt: skip
CANCEL = ["keep", "cancel_with_compensation"]
DISCOUNT = ["keep", "buy_at_correct_price_discount"]

PLAN_PROBLEMS = [  # what the operator got wrong, the field, its sub-code, the page's sentence
    ({"options": ["keep", "refund"]}, "options", "unknown_option",
     "선택지를 목록에서 골라 주세요."),
    ({"options": ["keep"]}, "options", "too_few_options",
     "고객에게 드릴 선택지를 두 개 이상 골라 주세요."),
    ({"options": CANCEL}, "cancel_compensation", "terms_missing",
     "주문 취소를 선택지로 드리면 보상 포인트를 입력해야 합니다."),
    ({"cancel_compensation": Money(1, "KRW")}, "cancel_compensation", "terms_not_offered",
     "취소 보상 포인트를 확인해 주세요 (0 이상, 주문 취소를 선택지로 드릴 때만)."),
    ({"options": CANCEL, "cancel_compensation": Money(1, "USD")}, "cancel_compensation",
     "wrong_currency", "취소 보상 포인트를 확인해 주세요 (0 이상, 주문 취소를 선택지로 드릴 때만)."),
    ({"options": CANCEL, "cancel_compensation": Money(-1, "KRW")}, "cancel_compensation",
     "negative_amount", "취소 보상 포인트를 확인해 주세요 (0 이상, 주문 취소를 선택지로 드릴 때만)."),
    ({"options": DISCOUNT}, "discount_pct", "terms_missing",
     "할인 구매를 선택지로 드리면 할인율을 입력해야 합니다."),
    ({"discount_pct": 5}, "discount_pct", "terms_not_offered",
     "할인율은 1에서 99 사이의 정수로, 할인 구매를 드릴 때만 입력해 주세요."),
    ({"options": DISCOUNT, "discount_pct": 100}, "discount_pct", "out_of_range",
     "할인율은 1에서 99 사이의 정수로, 할인 구매를 드릴 때만 입력해 주세요."),
    ({"options": DISCOUNT, "discount_pct": 0}, "discount_pct", "zero_discount",  # "0% off"
     "0% 할인은 할인이 아닙니다. 할인율을 1% 이상으로 정하거나, 할인 구매를 선택지에서 빼 주세요."),
    # keep as the default without keep offered: the silent would keep the wrong price
    ({"options": ["cancel_with_compensation", "buy_at_correct_price_discount"],
      "cancel_compensation": Money(10_000, "KRW"), "discount_pct": 10}, "default",
     "default_not_offered",
     ("'주문 유지'를 선택지로 드리지 않으면 미응답 시 처리도 '주문 유지'로 정할 수 없습니다. 답하지 않은 고객이 "
      "잘못된 가격 그대로 주문을 유지해, 답한 고객보다 나은 조건을 받게 됩니다. '주문 유지'를 선택지에 넣거나 "
      "미응답 시 처리를 '상담원 전화'로 골라 주세요.")),
    ({"options": CANCEL[1:] + ["talk_to_person"], "cancel_compensation": Money(1, "KRW"),
      "keep_max_units": 2, "default": "follow_up_call"}, "keep_max_units", "terms_not_offered",
     "최대 수량은 1 이상이며, '주문 유지'를 드릴 때만 입력해 주세요."),
    ({"keep_max_units": 0}, "keep_max_units", "out_of_range",
     "최대 수량은 1 이상이며, '주문 유지'를 드릴 때만 입력해 주세요."),
    ({"seller_share_pct": 101}, "seller_share_pct", "out_of_range",
     "판매자 부담은 0에서 100 사이의 정수로 입력해 주세요."),
    ({"platform_share_pct": -1}, "platform_share_pct", "out_of_range",
     "플랫폼 부담은 0에서 100 사이의 정수로 입력해 주세요."),
    ({"seller_share_pct": 60, "platform_share_pct": 50}, "platform_share_pct", "shares_not_100",
     "판매자와 플랫폼 부담의 합이 100이 되어야 합니다."),
    ({"incident": replace(A_PLAN["incident"], responsible=incidents.Responsibility.PLATFORM),
      "seller_share_pct": 100, "platform_share_pct": 0}, "seller_share_pct",
     "share_against_responsibility",
     ("이 사고는 플랫폼 책임으로 선언되어 판매자 부담은 0%여야 합니다. 판매자도 책임을 나눈다면 책임을 "
     "'판매자와 플랫폼'으로 선언해 주세요.")),
    ({"deadline": NOW}, "deadline", "deadline_not_after_now", "답변 기한은 지금 이후여야 합니다."),
    ({"deadline": NOW + timedelta(hours=2)}, "deadline", "too_little_contact_time",
     "답변 기한까지 상담 가능 시간이 너무 짧습니다. 고객이 상담원과 통화할 수 있도록 기한을 늦춰 주세요."),
    ({"deadline": datetime(2008, 6, 17, 3, 0, tzinfo=KST)}, "deadline",
     "deadline_outside_contact_hours",
     ("답변 기한이 고객센터가 문을 닫은 시간(밤, 주말, 공휴일)입니다. 기한 직전까지 고객이 상담원과 통화할 수 "
     "있도록 운영 시간 안으로 정해 주세요(예: 운영일의 마감 시각).")),
    ({"deadline": NOW + timedelta(days=15)}, "deadline", "deadline_too_far",
     ("답변 기한은 지금부터 14일 안으로 정해 주세요. 고객이 답할 때까지 결제된 주문은 발송도 환불도 되지 "
      "않아, 데스크 정책([sla] max_deadline_days)이 기한을 이만큼으로 제한합니다.")),
    ({"options": CANCEL, "cancel_compensation": Money(200_000_000, "KRW")}, "cancel_compensation",
     "above_ledger_limit", "취소 보상 포인트가 한 번에 지급할 수 있는 한도를 넘습니다. 포인트를 줄여 주세요."),
]  # fmt: skip


@pytest.mark.parametrize(("wrong", "field", "reason", "korean"), PLAN_PROBLEMS,
                         ids=[f"{f}-{r}" for _, f, r, _ in PLAN_PROBLEMS])  # fmt: skip
def test_a_plan_problem_carries_its_sub_code_and_the_page_says_the_same_sentence(
    wrong: dict[str, Any], field: str, reason: str, korean: str
) -> None:
    exc = refusal(lambda: make_plan(**(A_PLAN | wrong)))
    assert exc.details["problem_reasons"] == {field: reason}
    assert set(exc.details["problems"]) == {field}  # the sentences stay where they were
    assert error_text(exc, "ko") == korean
    # the same details (the problems' figures: max_deadline_days) in other words
    reworded = InvalidInput("plan refused", **(exc.details | {"problems": {field: "new words"}}))
    assert error_text(reworded, "ko") == korean
    assert error_text(reworded, "en") == error_text(exc, "en")


def test_every_plan_sub_code_a_rule_knows_is_produced_by_plan_validation() -> None:
    produced = {(field, reason) for _, field, reason, _ in PLAN_PROBLEMS}
    assert {(r.field, r.reason) for r in PLAN_RULES if r.reason} <= produced


def test_all_plan_problems_come_with_their_sub_codes_at_once() -> None:
    exc = refusal(lambda: make_plan(**(A_PLAN | {"options": ["keep"], "seller_share_pct": 60})))
    assert exc.details["problems"].keys() == exc.details["problem_reasons"].keys()
    assert exc.details["problem_reasons"] == {
        "options": "too_few_options",
        "platform_share_pct": "shares_not_100",
    }
    assert exc.message.startswith("plan refused — options: offer at least two")


# More raise sites: refusals only the JSON API or the CLI meets (no page sentence), and other
# places that raise a reason a page already has a sentence for (a listing that cannot be
# published, the API's role check). Those raised only with a database are checked where tests
# trigger them: tests/integration/test_services_market.py (product already listed),
# test_services_catalog.py (seller code, GTIN, customer email taken; stored data conflict),
# test_desk.py (no correct price yet), tests/e2e/test_api_access.py (role not allowed, not own
# listing, customer choice needs admin), tests/e2e/browser/test_pages_accounts.py (username and
# token name taken).

#: API/CLI-only refusals raised only with a database, checked in the tests named above.
RAISED_WITH_A_DATABASE_ONLY = {
    "product_already_listed",
    "seller_code_taken",
    "gtin_taken",
    "customer_choice_needs_admin",
    "username_taken",
    "token_name_taken",
    "case_compensation_entry",  # tests/integration/test_ledger_reversal_guards.py
    "entry_is_a_reversal",  # tests/integration/test_services_points.py (API only)
    "memo_missing",  # services.points.credit_customer_points (a database read comes first)
    "demo_data_present",  # sagwa seed demo on data: tests/e2e/test_cli_json_errors.py
    # a process's start refused (adapters/db/database.py, migrate.py):
    # tests/integration/test_startup_checks_db.py, test_migration_lock_timeout_db.py
    "audit_key_unknown", "schema_behind", "schema_ahead", "migration_lock_timeout",
    # sagwa serve in production (cli/serve_checks.py), and users create / set-password
    # (cli/users.py): tests/e2e/test_cli_production_demo.py
    "demo_password_in_production", "password_published",
    # sagwa users deactivate (services.accounts.set_active): tests/integration/test_account_upkeep.py
    "last_active_admin",
    # sagwa customers erase: tests/integration/test_customer_erasure_db.py
    "customer_erased",
    # the sellers' emails of orders to send (services.seller_ready_notices): numbered under a
    # lock, so never met unless the lock is gone; a guard, not a refusal anyone should see
    "seller_email_key_taken",
    # a reply's time before the wrong price went live (services.desk_cases.record_choice; the
    # case page says it at its form first): tests/integration/test_reply_received_in_time.py
    "said_at_before_incident",
}

A_CASE = incidents.Case(
    case_id=1, incident_id="inc-1", customer_id=2, orders=(), exposure=Money(0, "KRW")
)
DUPLICATE_SKU = IntegrityError(
    "INSERT INTO products ...",
    {},
    Exception('duplicate key value violates unique constraint "products_sku_key"'),
)

#: code, reason, the refusal as the real code makes it.
OTHER_REFUSALS: list[tuple[str, str, Callable[[], SagwaError]]] = [
    (
        "insufficient_points",
        "reversal_would_overdraw",
        lambda: refusal(lambda: check_reversal_balances(
            reversal_of(1, credit_points(customer_id=2, points=10, memo="m"), memo="undo"), {})),
    ),
    (
        "illegal_transition",
        "listing_status",
        lambda: refusal(lambda: advance_listing(ListingStatus.ENDED, ListingTrigger.PUBLISH)),
    ),
    # declaring and booking points: a sub-code beside the field (a review found them bare)
    ("invalid_input", "correct_price_missing", lambda: refusal(lambda: _declared(correct=None))),
    ("invalid_input", "price_currencies_differ",
     lambda: refusal(lambda: _declared(correct=Money(199, "USD")))),
    ("invalid_input", "wrong_price_not_below_correct",
     lambda: refusal(lambda: _declared(correct=Money(19_900, "KRW")))),
    ("invalid_input", "window_out_of_order",
     lambda: refusal(lambda: _declared(window_end=datetime(2008, 6, 12, 10, 0, tzinfo=KST)))),
    ("invalid_input", "responsible_unknown",
     lambda: refusal(lambda: _declared(responsible="martians"))),
    ("invalid_input", "no_listings", lambda: refusal(lambda: incidents.declare(
        incident_id="inc-3", listing_ids=set(), wrong_price=Money(19_900, "KRW"),
        correct_price=RIGHT_PRICE, window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),
        now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="typo", responsible="both",
        declared_by="operator:kim"))),
    ("invalid_input", "text_missing", lambda: refusal(lambda: incidents.declare(
        incident_id="inc-4", listing_ids={101}, wrong_price=Money(19_900, "KRW"),
        correct_price=RIGHT_PRICE, window_start=datetime(2008, 6, 12, 11, 0, tzinfo=KST),
        now=datetime(2008, 6, 12, 17, 30, tzinfo=KST), cause="  ", responsible="both",
        declared_by="operator:kim"))),
    ("invalid_input", "share_out_of_range", lambda: refusal(lambda: credit_points(
        customer_id=2, points=10, memo="m", seller_id=3, seller_share_pct=101))),
    ("invalid_input", "seller_missing", lambda: refusal(lambda: credit_points(
        customer_id=2, points=10, memo="m", seller_share_pct=50))),
    ("invalid_input", "points_not_positive",
     lambda: refusal(lambda: credit_points(customer_id=2, points=0, memo="m"))),
    ("invalid_input", "points_above_entry_limit",
     lambda: refusal(lambda: credit_points(customer_id=2, points=10**23, memo="m"))),
    (
        "forbidden",
        "role_not_allowed",
        lambda: refusal(lambda: deps.api_caller(Role.REVIEWER)(SELLER)),
    ),
    (
        "forbidden",
        "not_own_listing",
        lambda: refusal(lambda: deps.act_for_seller(SELLER, seller_id=2)),
    ),
]


class _FakeUow:
    """Just enough of a unit of work for a refusal raised before any real query: each
    repository answers one question from what it was given (None: no such row)."""

    def __init__(self, **repositories: object) -> None:
        self.__dict__.update(repositories)

    def __call__(self) -> _FakeUow:
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _uow(**repositories: object) -> Any:
    return _FakeUow(**repositories)


def _rows(**answers: object) -> object:
    """A repository whose methods answer ``answers[name]`` whatever they are asked."""
    return SimpleNamespace(**{name: (lambda *_, _a=a: _a) for name, a in answers.items()})


def _with_token(token: str | None, *, header: str = "Bearer x") -> object:
    app = SimpleNamespace(state=SimpleNamespace(uow_factory=lambda: None))
    request = Request({"type": "http", "method": "GET", "path": "/", "app": app,
                       "headers": [(b"authorization", header.encode())] if header else []})
    credentials = (HTTPAuthorizationCredentials(scheme="Bearer", credentials=token) if token
                   else None)
    return deps._authenticated(request, credentials)


def _consent(**changed: Any) -> consent.ConsentRecord:
    given = {"case_id": 1, "customer_id": 2, "choice": "keep", "channel": "web",
             "recorded_at": NOW, "evidence": "clicked 'keep'"} | changed
    return consent.ConsentRecord(**given)


_OTHER_INCIDENTS_CASE = replace(A_CASE, incident_id="inc-9")
#: A plan offering both the cancellation and the discount, and a case settled by the discount.
BOTH_PLAN = A_PLAN | {"options": ["keep", "cancel_with_compensation",
                                  "buy_at_correct_price_discount"],
                      "cancel_compensation": Money(10_000, "KRW"), "discount_pct": 20}
_DISCOUNTED_CASE = replace(A_CASE, status=incidents.CaseStatus.RESOLVED,
                           consent=_consent(choice="buy_at_correct_price_discount"))

_GUARD_HISTORY = pl.DataFrame({"listing_id": [1], "product_id": [1], "price_minor": [100],
                               "observed_at": [datetime(2026, 3, 1, 9)], "currency": ["KRW"]})
_GUARD_CHANGES = pl.DataFrame({"change_id": ["c1"], "listing_id": [2], "product_id": [1],
                               "seller_id": [1], "new_price_minor": [90],
                               "proposed_at": [datetime(2026, 3, 1, 9)], "currency": ["KRW"]})


def _guard_stream(keys_from: pl.DataFrame) -> guard_batch.GuardStream:
    return guard_batch.GuardStream(history=_GUARD_HISTORY, rules=load_rules(), products=None,
                                   keys=guard_batch.ids_of(keys_from))


def _hours(**changed: object) -> ContactSchedule:
    return ContactSchedule.from_mapping(
        {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}
        | {"sat": None, "sun": None} | changed)


def _message(**changed: Any) -> outbox.OutgoingMessage:
    given = {"idempotency_key": "k", "purpose": "apology", "channel": "email",
             "recipient": "minji@example.com", "locale": "ko", "subject": "s", "body": "b",
             "not_before": NOW} | changed
    return outbox.OutgoingMessage(**given)


def _posting(points: int, currency: str = "KRW", owner: int = 2) -> Posting:
    return Posting(LedgerAccount(AccountKind.CUSTOMER_POINTS, owner), Money(points, currency))


# --- files for the refusals of the price guard's files, its rules and the CLI (no database) ---


def _mode(**given: Any) -> object:
    return refunds_cli.mark_paid_mode(**{"refund_id": None, "from_file": None,
                                         "recorded_before": None, "reference": None,
                                         "paid_at": None, "dry_run": False} | given)


@functools.cache
def _scratch() -> Path:
    """A directory of this test process for the files the refusals below are given."""
    path = Path(tempfile.mkdtemp(prefix="sagwa-reasons-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def _file(name: str, data: bytes) -> Path:
    path = _scratch() / name
    path.write_bytes(data)
    return path


def _at_a_socket(call: Callable[[Path], object]) -> object:
    """``call`` given a path that exists, is no directory and cannot be opened (a socket)."""
    path = _scratch() / f"socket-{os.urandom(4).hex()}"
    with socket.socket(socket.AF_UNIX) as bound:
        bound.bind(str(path))
        try:
            return call(path)
        finally:
            path.unlink()


class _FailingStream:
    """A stream whose reading fails as a bad disk's does."""

    def read(self, size: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")


def _read_only_descriptor() -> object:
    """``--out /dev/fd/N`` where N was opened for reading only."""
    fd = os.open(os.devnull, os.O_RDONLY)
    try:
        return guard_output.write_file(Path(f"/dev/fd/{fd}"), b"x")
    finally:
        os.close(fd)


def _full_disk(call: Callable[[guard_output.VerdictWriter], object]) -> object:
    """``call`` given verdicts being written to a device that is always full (/dev/full)."""
    writer = guard_output.VerdictWriter(Path("/dev/full"), "csv")
    try:
        return call(writer)
    finally:
        writer.discard()


def _scratch_directory_unusable() -> object:
    """``sagwa guard check`` with $TMPDIR naming no directory (refused before reading a file)."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(_scratch() / "no-such-directory")
    try:
        return guard_cli.check.__wrapped__(  # type: ignore[attr-defined]
            history=Path("history.csv"), changes=Path("changes.csv"),
            out=_scratch() / "verdicts.csv")
    finally:
        tempfile.tempdir = saved


def _labels_matched(changes: list[str], labels: list[str]) -> None:
    ids = [pl.Series("change_id", changes, pl.Utf8)]  # the changes' ids, in pieces
    label_frame = pl.DataFrame({"change_id": labels}, schema={"change_id": pl.Utf8})
    guard_cli._check_labels_match(ids, label_frame, Path("labels.csv"), Path("changes.csv"))


_LABELS_HEADER = b"change_id,is_error,error_type\n"
_TRUNCATED_GZIP = gzip.compress(_LABELS_HEADER * 100)[:-10]


ADMIN = Account(9, "admin_a", Role.ADMIN)
#: What a use case that refuses before it opens its unit of work (or reads the policy) is given.
NO_UOW: Any = None
NO_POLICY: Any = None
ENDED_LISTING = _listing(19_900, ListingStatus.ENDED)

#: code, reason, the refusal as the real code makes it — the use cases' refusals given a
#: sub-code by the sweep that closed the gap (test_every_raise_in_the_use_cases_names_its_reason),
#: then the price guard's files and rules and the CLI's refusals, by the sweep after it.
def _desk_policy(name: str, edit: Callable[[str], str]) -> object:
    """The desk policy loaded from the shipped file as ``edit`` changes it."""
    from sagwa.services.desk_policy import load_desk_policy

    shipped = (Path(sagwa.__file__).parent / "desk.toml").read_text(encoding="utf-8")
    return load_desk_policy(_file(name, edit(shipped).encode()))


USE_CASE_REFUSALS: list[tuple[str, str, Callable[[], SagwaError]]] = [
    # the desk policy file (read when sagwa starts)
    ("invalid_input", "policy_table_missing", lambda: refusal(lambda: _desk_policy(
        "p1.toml", lambda s: s[:s.index("[sla]")] + s[s.index("[contact]"):]))),
    ("invalid_input", "policy_table_not_a_table", lambda: refusal(lambda: _desk_policy(
        "p2.toml", lambda s: "calls = 3\n" + s.split("[calls]")[0]))),
    ("invalid_input", "policy_key_unknown", lambda: refusal(lambda: _desk_policy(
        "p3.toml", lambda s: s.replace("max_attempts = 3", "max_attempt = 3")))),
    ("invalid_input", "policy_key_missing", lambda: refusal(lambda: _desk_policy(
        "p4.toml", lambda s: s.replace('phone = "1544-0000"', "")))),
    ("invalid_input", "policy_value_invalid", lambda: refusal(lambda: _desk_policy(
        "p5.toml", lambda s: s.replace("max_attempts = 3", "max_attempts = 0")))),
    ("invalid_input", "policy_not_toml", lambda: refusal(lambda: _desk_policy(
        "p6.toml", lambda s: s + "\n[[["))),
    ("invalid_input", "policy_table_unknown", lambda: refusal(lambda: _desk_policy(
        "p7.toml", lambda s: s + "\n[callz]\n"))),
    # catalog drafts (API and CLI)
    ("invalid_input", "text_missing", lambda: refusal(lambda: require_text(" ", "title"))),
    ("invalid_input", "text_too_long", lambda: refusal(lambda: require_text("x" * 201, "name"))),
    ("invalid_input", "seller_code_malformed", lambda: refusal(lambda: SellerDraft("A B", "a"))),
    ("invalid_input", "locale_unknown",
     lambda: refusal(lambda: CustomerDraft("김민지", phone="010-1234-5678", locale="ja"))),
    ("invalid_input", "identifier_not_digits", lambda: refusal(lambda: normalise_gtin("12a4"))),
    ("invalid_input", "gtin_length", lambda: refusal(lambda: normalise_gtin("1234"))),
    ("invalid_input", "check_digit_wrong",
     lambda: refusal(lambda: normalise_gtin("4006381333932"))),
    ("invalid_input", "check_digit_wrong", lambda: refusal(lambda: normalise_isbn("0306406153"))),
    ("invalid_input", "check_digit_wrong",
     lambda: refusal(lambda: normalise_isbn("9780306406158"))),
    ("invalid_input", "isbn10_malformed", lambda: refusal(lambda: normalise_isbn("03064061Y2"))),
    ("invalid_input", "isbn13_malformed", lambda: refusal(lambda: normalise_isbn("1234567890123"))),
    # money, points and the ledger
    ("invalid_input", "amount_not_whole",
     lambda: refusal(lambda: Money(1.5, "KRW"))),  # type: ignore[arg-type]
    ("invalid_input", "amount_not_text",
     lambda: refusal(lambda: Money.of(1.5, "KRW"))),  # type: ignore[arg-type]
    ("invalid_input", "amount_not_a_number", lambda: refusal(lambda: Money.of("12원", "KRW"))),
    ("invalid_input", "amount_not_a_number", lambda: refusal(lambda: Money.of("inf", "KRW"))),
    ("invalid_input", "amount_too_many_decimals",
     lambda: refusal(lambda: Money.of("19.999", "USD"))),
    ("invalid_input", "currency_mismatch",
     lambda: refusal(lambda: Money(1, "KRW") + Money(1, "USD"))),
    ("invalid_input", "allocation_total_invalid",
     lambda: refusal(lambda: allocate_by_weight(-1, {1: 1}))),
    ("invalid_input", "allocation_without_weights",
     lambda: refusal(lambda: allocate_by_weight(1, {}))),
    ("invalid_input", "allocation_weight_negative",
     lambda: refusal(lambda: allocate_by_weight(1, {1: -1}))),
    ("invalid_input", "share_not_whole_percent",
     lambda: refusal(lambda: split_compensation(
         Money(100, "KRW"), 50.5))),  # type: ignore[arg-type]
    ("invalid_input", "share_out_of_range",
     lambda: refusal(lambda: split_compensation(Money(100, "KRW"), 101))),
    ("invalid_input", "amount_negative",
     lambda: refusal(lambda: split_compensation(Money(-1, "KRW"), 50))),
    ("invalid_input", "account_owner_mismatch",
     lambda: refusal(lambda: LedgerAccount(AccountKind.CUSTOMER_POINTS))),
    ("invalid_input", "entry_too_few_postings",
     lambda: refusal(lambda: JournalEntry("k", "m", (_posting(1),)))),
    ("invalid_input", "entry_mixed_currencies",
     lambda: refusal(lambda: JournalEntry("k", "m", (_posting(1), _posting(-1, "USD"))))),
    ("invalid_input", "posting_zero",
     lambda: refusal(lambda: JournalEntry("k", "m", (_posting(0), _posting(0, owner=3))))),
    ("invalid_input", "entry_unbalanced",
     lambda: refusal(lambda: JournalEntry("k", "m", (_posting(2), _posting(-1, owner=3))))),
    ("invalid_input", "seller_missing", lambda: refusal(lambda: credit_compensation(
        customer_id=2, points=10, memo="m", seller_share_pct=50, seller_weights={}))),
    ("insufficient_points", "balance_too_low",
     lambda: refusal(lambda: debit_points(customer_id=2, points=10, balance=9, memo="m"))),
    ("already_reversed", "entry_already_reversed", lambda: refusal(
        lambda: points._check_reversible(NO_UOW, StoredEntry(
            1, NOW, credit_points(customer_id=2, points=10, memo="m"), reversed_by=2)))),
    # listings, orders and price changes
    ("listing_not_orderable", "listing_not_live",
     lambda: refusal(lambda: price_order(ENDED_LISTING, 1))),
    ("invalid_input", "promotion_percent_range", lambda: refusal(lambda: Promotion(100))),
    ("invalid_input", "time_without_zone",
     lambda: refusal(lambda: Promotion(10, starts_at=datetime(2008, 6, 13)))),
    ("invalid_input", "currency_mismatch", lambda: refusal(lambda: PriceChangeProposal(
        3, Money(19_900, "KRW"), Money(19, "USD"), "seller:a"))),
    ("invalid_input", "proposer_missing", lambda: refusal(lambda: PriceChangeProposal(
        3, Money(19_900, "KRW"), Money(29_900, "KRW"), " "))),
    ("invalid_input", "currency_mismatch", lambda: refusal(lambda: listings.check_price_seen(
        _listing(19_900, ListingStatus.HELD), Money(19, "USD")))),
    ("not_found", "unknown_id", lambda: refusal(lambda: require(None, "listing", 3))),
    ("invalid_input", "copy_reason_missing", lambda: refusal(
        lambda: customer_copy.customer_copy(_uow(), customer_id=1, actor="admin", reason=" "))),
    ("invalid_input", "erasure_reason_unknown", lambda: refusal(
        lambda: customer_erasure.erase_customer(_uow(), customer_id=1, reason="asked",
                                                actor="admin"))),
    ("invalid_input", "asked_on_needs_request", lambda: refusal(
        lambda: customer_erasure.erase_customer(_uow(), customer_id=1, reason="retention",
                                                actor="admin", asked_on=date(2026, 12, 1)))),
    ("invalid_input", "asked_on_in_future", lambda: refusal(lambda: asked_at_of(
        date(2026, 12, 8), datetime(2026, 12, 7, 23, 59, tzinfo=ZoneInfo("Asia/Seoul"))))),
    ("conflict", "retention_hold", lambda: refusal(lambda: customer_erasure.refuse_while_kept(
        7, [Hold(Kept.DISPUTES, datetime(2029, 12, 7, tzinfo=ZoneInfo("Asia/Seoul")))]))),
    ("not_found", "unknown_id", lambda: refusal(lambda: seller_pages.own_listing(
        _uow(market=_rows(listing=None)), SELLER, 3))),
    ("not_found", "change_of_other_listing", lambda: refusal(lambda: seller_pages.withdraw(
        4, 1, NO_UOW, SELLER, _uow(market=_rows(
            listing=_listing(19_900, ListingStatus.HELD), price_change=HELD))))),
    # customers' choices and consent
    ("invalid_input", "option_unknown",
     lambda: refusal(lambda: _consent(choice="refund"))),
    ("invalid_input", "channel_unknown", lambda: refusal(lambda: _consent(channel="fax"))),
    ("invalid_input", "evidence_required", lambda: refusal(lambda: _consent(evidence=" "))),
    ("invalid_input", "taken_by_required", lambda: refusal(lambda: _consent(taken_by=" "))),
    ("invalid_input", "phone_choice_needs_agent",
     lambda: refusal(lambda: _consent(channel="phone"))),
    ("invalid_input", "web_channel_is_the_customers",
     lambda: refusal(lambda: consent.record_choice(A_CASE, _consent(taken_by="agent:park"),
                                                   make_plan(**A_PLAN)))),
    ("consent_required", "consent_of_other_case", lambda: refusal(lambda: consent.record_choice(
        A_CASE, _consent(case_id=5), make_plan(**A_PLAN)))),
    ("invalid_input", "plan_of_other_incident", lambda: refusal(lambda: consent.record_choice(
        _OTHER_INCIDENTS_CASE, _consent(), make_plan(**A_PLAN)))),
    ("invalid_input", "plan_of_other_incident", lambda: refusal(lambda: compensation_due(
        _OTHER_INCIDENTS_CASE, make_plan(**A_PLAN), "keep"))),
    ("invalid_input", "option_not_offered", lambda: refusal(lambda: consent.record_choice(
        A_CASE, _consent(choice="cancel_with_compensation"), make_plan(**A_PLAN)))),
    ("invalid_input", "option_not_offered", lambda: refusal(lambda: compensation_due(
        A_CASE, make_plan(**A_PLAN), "cancel_with_compensation"))),
    ("invalid_input", "option_unknown",
     lambda: refusal(lambda: compensation_due(A_CASE, make_plan(**A_PLAN), "refund"))),
    ("late_choice_refused", "choice_after_deadline", lambda: refusal(lambda: consent.record_choice(
        replace(A_CASE, status=incidents.CaseStatus.NOTIFIED),
        _consent(recorded_at=A_PLAN["deadline"] + timedelta(hours=1)), make_plan(**A_PLAN)))),
    ("invalid_input", "said_at_not_a_reply", lambda: refusal(lambda: consent.record_choice(
        A_CASE, _consent(said_at=A_PLAN["deadline"] - timedelta(hours=1)),
        make_plan(**A_PLAN)))),
    ("invalid_input", "said_at_future", lambda: refusal(lambda: consent.record_choice(
        A_CASE, _consent(channel="email", said_at=A_PLAN["deadline"] + timedelta(days=30)),
        make_plan(**A_PLAN)))),
    ("late_choice_refused", "reply_recorded_too_late", lambda: refusal(
        lambda: consent.record_choice(
            replace(A_CASE, status=incidents.CaseStatus.DEFAULTED),
            _consent(channel="email", said_at=A_PLAN["deadline"] - timedelta(hours=1),
                     recorded_at=A_PLAN["deadline"] + timedelta(days=3)),
            make_plan(**A_PLAN), replies_until=A_PLAN["deadline"] + timedelta(days=1)))),
    ("consent_required", "no_recorded_choice", lambda: refusal(
        lambda: consent.effects_of_choice(A_CASE, _consent(), make_plan(**A_PLAN)))),
    # incidents and their plans
    ("silent_cancellation_refused", "default_cancels",
     lambda: refusal(lambda: make_plan(**(A_PLAN | {"default": "cancel_silently"})))),
    ("invalid_input", "default_unknown",
     lambda: refusal(lambda: make_plan(**(A_PLAN | {"default": "wait"})))),
    ("invalid_input", "plan_problems",
     lambda: refusal(lambda: make_plan(**(A_PLAN | {"options": ["keep"]})))),
    ("invalid_input", "case_without_orders", lambda: refusal(lambda: open_case(
        CaseDraft("inc-1", 2, (), Money(0, "KRW")), case_id=1))),
    # contact hours (the desk policy file)
    ("invalid_input", "time_without_zone",
     lambda: refusal(lambda: next_opening(SCHEDULE, datetime(2008, 6, 13, 9)))),
    ("invalid_input", "hours_malformed", lambda: refusal(lambda: _hours(mon="9 to 6"))),
    ("invalid_input", "hours_malformed", lambda: refusal(lambda: _hours(mon="9h-18h"))),
    ("invalid_input", "closed_dates_malformed",
     lambda: refusal(lambda: _hours(closed_dates="2008-06-13"))),
    ("invalid_input", "closed_dates_malformed",
     lambda: refusal(lambda: _hours(closed_dates=["13 June"]))),
    ("invalid_input", "hours_not_seven_days",
     lambda: refusal(lambda: ContactSchedule(hours=(None,)))),
    ("invalid_input", "hours_close_before_open",
     lambda: refusal(lambda: _hours(mon="18:00-09:00"))),
    ("invalid_input", "min_time_left_negative", lambda: refusal(
        lambda: replace(SCHEDULE, min_time_left=timedelta(minutes=-1)))),
    ("invalid_input", "timezone_unknown",
     lambda: refusal(lambda: _hours(timezone="Mars/Olympus_Mons"))),
    ("invalid_input", "hours_never_long_enough",
     lambda: refusal(lambda: _hours(min_time_left_minutes=24 * 60))),
    ("invalid_input", "hours_unknown_keys", lambda: refusal(lambda: _hours(monday="09:00-18:00"))),
    ("invalid_input", "hours_weekday_missing", lambda: refusal(lambda: ContactSchedule.from_mapping(
        {"mon": "09:00-18:00"}))),
    ("invalid_input", "min_time_left_not_whole",
     lambda: refusal(lambda: _hours(min_time_left_minutes=1.5))),
    ("invalid_input", "holidays_closed_not_bool",
     lambda: refusal(lambda: _hours(holidays_closed="no"))),
    ("invalid_input", "centre_never_opens", lambda: refusal(lambda: next_opening(
        _hours(closed_dates=[str(date(2008, 6, 13) + timedelta(days=d)) for d in range(400)]),
        NOW))),
    ("invalid_input", "centre_never_opens", lambda: refusal(lambda: next_contact_time(
        _hours(closed_dates=[str(date(2008, 6, 13) + timedelta(days=d)) for d in range(400)]),
        NOW))),
    # the desk's services (JSON API)
    ("invalid_input", "outcome_unknown", lambda: refusal(lambda: desk_cases.log_call_attempt(
        NO_UOW, case_id=1, channel="phone", outcome="maybe", agent="a", policy=NO_POLICY))),
    ("invalid_input", "channel_unknown", lambda: refusal(lambda: desk_cases.log_call_attempt(
        NO_UOW, case_id=1, channel="fax", outcome=desk_cases.OUTCOMES[0], agent="a",
        policy=NO_POLICY))),
    ("invalid_input", "lookup_empty", lambda: refusal(lambda: read_query("  "))),
    ("invalid_input", "lookup_too_long", lambda: refusal(lambda: read_query("1" * 101))),
    ("invalid_input", "lang_unknown", lambda: refusal(lambda: notices.draft_notice(
        NO_UOW, incident_id=1, lang="ja", policy=NO_POLICY))),
    ("invalid_input", "lang_unknown", lambda: refusal(lambda: notices.publish_notice_once(
        NO_UOW, incident_id=1, lang="ja", title="t", body="b", actor="a"))),
    ("invalid_input", "notice_text_missing", lambda: refusal(lambda: notices.publish_notice_once(
        NO_UOW, incident_id=1, lang="ko", title="t", body=" ", actor="a"))),
    ("message_refused", "message_check_failed",
     lambda: refusal(lambda: desk_messages.checked("", kind="resolution", lang="ko"))),
    ("invalid_input", "channel_unknown",
     lambda: refusal(lambda: outbox._row(_message(channel="fax"), NOW))),
    ("invalid_input", "time_without_zone",
     lambda: refusal(lambda: outbox._row(_message(not_before=datetime(2008, 6, 13)), NOW))),
    ("invalid_input", "message_incomplete",
     lambda: refusal(lambda: outbox._row(_message(recipient=""), NOW))),
    ("invalid_input", "close_needs_reason", lambda: refusal(lambda: incidents_api.close(
        1, NO_UOW, NO_UOW, "admin_a", NO_UOW, body=None, reason=None))),
    ("not_found", "unknown_id", lambda: refusal(
        lambda: case_facts.load_case(_uow(cases=_rows(get=None)), 1))),
    # the price guard's batch runs (CLI)
    ("invalid_input", "lang_unknown", lambda: refusal(lambda: guard_batch._check_options("ja", 1))),
    ("invalid_input", "chunk_rows_not_positive",
     lambda: refusal(lambda: guard_batch._check_options("ko", 0))),
    ("invalid_input", "part_rows_not_positive",
     lambda: refusal(lambda: guard_batch.part_starts(np.array([1]), 0))),
    ("invalid_input", "change_names_unknown_ids", lambda: refusal(
        lambda: _guard_stream(_GUARD_HISTORY).judge(_GUARD_CHANGES, next_start=None))),
    ("invalid_input", "part_overlaps_next", lambda: refusal(
        lambda: _guard_stream(_GUARD_CHANGES).judge(_GUARD_CHANGES, next_start=0))),
    ("invalid_input", "column_missing", lambda: refusal(lambda: guard_batch._require_values(
        _GUARD_CHANGES.drop("currency"), "changes", ("currency",)))),
    ("invalid_input", "column_values_missing", lambda: refusal(lambda: guard_batch._require_values(
        _GUARD_CHANGES.with_columns(pl.lit(None).alias("currency")), "changes", ("currency",)))),
    # accounts and API tokens (CLI, and the API's authentication)
    ("invalid_input", "username_malformed",
     lambda: refusal(lambda: accounts._check("민지!", "admin", None, "x" * 20))),
    ("invalid_input", "role_unknown",
     lambda: refusal(lambda: accounts._check("minji", "boss", None, "x" * 20))),
    ("invalid_input", "seller_id_role_mismatch",
     lambda: refusal(lambda: accounts._check("minji", "admin", 3, "x" * 20))),
    ("invalid_input", "password_too_short",
     lambda: refusal(lambda: accounts._check("minji", "admin", None, "x"))),
    ("invalid_input", "token_name_length", lambda: refusal(lambda: accounts.issue_api_token(
        NO_UOW, username="minji", name=" ", actor="a"))),
    ("invalid_input", "account_not_active", lambda: refusal(lambda: accounts.issue_api_token(
        _uow(users=_rows(by_username=SimpleNamespace(active=False)), now=lambda: NOW),
        username="minji", name="ci", actor="a"))),
    ("invalid_input", "token_expiry_past",
     lambda: refusal(lambda: accounts.token_expires_at(date(2008, 6, 12), NOW))),
    ("unauthenticated", "token_expired", lambda: refusal(lambda: accounts.account_for_token(
        _uow(users=_rows(by_token=TokenHolder(UserRecord(1, "minji", "admin", None, "h", True), 1,
                                               NOW, None)), now=lambda: NOW), "sgw_expired"))),
    ("unauthenticated", "authorization_malformed", lambda: refusal(lambda: _with_token(None))),
    ("unauthenticated", "token_unknown", lambda: refusal(lambda: _with_token("not-ours"))),
    ("unauthenticated", "token_required", lambda: refusal(lambda: _with_token(None, header=""))),
    ("invalid_input", "name_not_the_caller",
     lambda: refusal(lambda: deps.recorded_name(ADMIN, "someone_else", "actor"))),
    # the message check and the price guard's thresholds (pure; the API's message check)
    ("invalid_input", "text_not_a_string", lambda: refusal(
        lambda: check_message(3, kind="resolution", lang="ko"))),  # type: ignore[arg-type]
    ("invalid_input", "message_kind_unknown",
     lambda: refusal(lambda: check_message("안녕하세요", kind="poem", lang="ko"))),
    ("invalid_input", "lang_unknown",
     lambda: refusal(lambda: check_message("hello", kind="resolution", lang="ja"))),
    ("invalid_input", "ratios_out_of_order",
     lambda: refusal(lambda: replace(load_rules(), down_ratio=1.5))),
    ("invalid_input", "promo_logs_out_of_order", lambda: refusal(
        lambda: replace(load_rules(), promo_mismatch_log=load_rules().promo_match_log))),
    ("invalid_input", "hold_score_out_of_range",
     lambda: refusal(lambda: replace(load_rules(), hold_score=1.0))),
    # the price guard's input files (sagwa guard check / evaluate; adapters/guard_input*.py)
    ("invalid_input", "file_missing",
     lambda: refusal(lambda: guard_input.check_readable(_scratch() / "absent.csv"))),
    ("invalid_input", "file_is_directory",
     lambda: refusal(lambda: guard_input.check_readable(_scratch()))),
    ("invalid_input", "file_unreadable", lambda: refusal(lambda: _at_a_socket(
        lambda path: guard_input.read_table(path, guard_input.LABEL_COLUMNS)))),
    ("invalid_input", "file_unreadable", lambda: refusal(lambda: _at_a_socket(
        lambda path: list(guard_input_blocks.iter_text_blocks(path, guard_input.LABEL_COLUMNS))))),
    ("invalid_input", "file_unreadable", lambda: refusal(lambda: list(  # open, then read fails
        guard_input_blocks.iter_text_blocks(Path("/proc/self/mem"), guard_input.LABEL_COLUMNS)))),
    ("invalid_input", "file_unreadable", lambda: refusal(lambda: guard_input_blocks._Pieces(
        _FailingStream(), Path("changes.csv"), 1).first())),  # type: ignore[arg-type]
    ("invalid_input", "gzip_unreadable", lambda: refusal(lambda: guard_input.read_table(
        _file("truncated.csv.gz", _TRUNCATED_GZIP), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "gzip_unreadable", lambda: refusal(lambda: list(
        guard_input_blocks.iter_text_blocks(_file("truncated.csv.gz", _TRUNCATED_GZIP),
                                            guard_input.LABEL_COLUMNS)))),
    ("invalid_input", "file_empty", lambda: refusal(lambda: guard_input.read_table(
        _file("empty.csv", b""), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "file_empty",
     lambda: refusal(lambda: guard_input._read_ragged(Path("empty.csv"), b""))),
    ("invalid_input", "column_missing", lambda: refusal(lambda: guard_input.read_table(
        _file("other-header.csv", b"a,b\n"), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "column_named_twice", lambda: refusal(lambda: guard_input.read_table(
        _file("twice.csv", b"change_id,change_id\n"), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "file_not_utf8", lambda: refusal(lambda: guard_input.read_table(
        _file("utf16.csv", "change_id\n".encode("utf-16")), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "file_not_utf8", lambda: refusal(lambda: guard_input.read_table(
        _file("latin1.csv", _LABELS_HEADER + b"c1,\xff,x\n"), guard_input.LABEL_COLUMNS))),
    ("invalid_input", "quote_not_closed", lambda: refusal(lambda: guard_input.read_table(
        _file("open-quote.csv", _LABELS_HEADER + b'"c1,1,x\nc2,0,\n'),
        guard_input.LABEL_COLUMNS))),
    # its output files (adapters/guard_output.py)
    ("invalid_input", "dash_not_stdout",
     lambda: refusal(lambda: guard_output.check_writable(Path("-")))),
    ("invalid_input", "descriptor_not_open",
     lambda: refusal(lambda: guard_output.check_writable(Path("/dev/fd/9999")))),
    ("invalid_input", "file_is_directory",
     lambda: refusal(lambda: guard_output.check_writable(_scratch()))),
    ("invalid_input", "parent_not_a_directory", lambda: refusal(lambda: guard_output.check_writable(
        _file("a-file.csv", b"") / "verdicts.csv"))),
    ("invalid_input", "directory_missing", lambda: refusal(
        lambda: guard_output.check_writable(_scratch() / "absent" / "verdicts.csv"))),
    ("invalid_input", "path_unresolvable",
     lambda: refusal(lambda: guard_output.check_writable(Path("verdicts\x00.csv")))),
    ("invalid_input", "file_unwritable",  # no file can be made in /proc
     lambda: refusal(lambda: guard_output.check_writable(Path("/proc/verdicts.csv")))),
    ("invalid_input", "file_unwritable",
     lambda: refusal(lambda: _at_a_socket(lambda path: guard_output.write_file(path, b"x")))),
    ("invalid_input", "file_unwritable", lambda: refusal(_read_only_descriptor)),
    ("invalid_input", "file_unwritable", lambda: refusal(
        lambda: _at_a_socket(lambda path: guard_output.VerdictWriter(path, "csv")))),
    ("invalid_input", "file_unwritable",
     lambda: refusal(lambda: _full_disk(lambda writer: writer.close()))),
    ("invalid_input", "file_unwritable",
     lambda: refusal(lambda: _full_disk(lambda writer: writer._put(b"x" * (1 << 20))))),
    # its rules file (--rules, SAGWA_PRICE_RULES; priceguard/rules.py)
    ("invalid_input", "file_missing",
     lambda: refusal(lambda: load_rules(_scratch() / "absent.toml"))),
    ("invalid_input", "file_is_directory", lambda: refusal(lambda: load_rules(_scratch()))),
    ("invalid_input", "file_unreadable", lambda: refusal(lambda: _at_a_socket(load_rules))),
    ("invalid_input", "file_not_utf8",
     lambda: refusal(lambda: load_rules(_file("latin1.toml", b"# caf\xe9\n")))),
    ("invalid_input", "rules_file_not_toml",
     lambda: refusal(lambda: load_rules(_file("broken.toml", b"hold_score = \n")))),
    ("invalid_input", "rules_file_unknown_table",
     lambda: refusal(lambda: rules_from_mapping({"threshold": {}}))),
    ("invalid_input", "rules_file_key_outside_table",
     lambda: refusal(lambda: rules_from_mapping({"hold_score": 0.5}))),
    ("invalid_input", "rules_file_not_a_table",
     lambda: refusal(lambda: rules_from_mapping({"thresholds": 0.5}))),
    ("invalid_input", "rules_file_not_a_table",
     lambda: refusal(lambda: rules_from_mapping({"sellers": 3}))),
    ("invalid_input", "rules_file_unknown_key",
     lambda: refusal(lambda: rules_from_mapping({"thresholds": {"hold_scroe": 0.5}}))),
    ("invalid_input", "rules_file_unknown_key",
     lambda: refusal(lambda: rules_from_mapping({"penny": {"max_major": {"XYZ": 1.0}}}))),
    ("invalid_input", "rules_file_value_invalid",
     lambda: refusal(lambda: rules_from_mapping({"thresholds": {"hold_score": "high"}}))),
    ("invalid_input", "rules_file_floor_above_ceiling", lambda: refusal(
        lambda: rules_from_mapping({"sellers": {"s1": {"floor": 10, "ceiling": 5}}}))),
    ("invalid_input", "promo_logs_out_of_order", lambda: refusal(lambda: rules_from_mapping(
        {"thresholds": {"promo_match_log": 0.5, "promo_mismatch_log": 0.1}}))),
    # sagwa guard check / evaluate (cli/guard.py): a file's refusal keeps its reason
    ("invalid_input", "file_missing", lambda: refusal(lambda: guard_cli._as_option(
        "changes", guard_input.check_readable, _scratch() / "absent.csv"))),
    ("invalid_input", "output_path_taken", lambda: refusal(lambda: guard_cli._check_outputs(
        {"out": _scratch() / "same.csv"}, {"history": _scratch() / "same.csv"}))),
    ("sagwa_error", "scratch_directory_unusable", lambda: refusal(_scratch_directory_unusable)),
    ("invalid_input", "no_changes", lambda: refusal(lambda: _labels_matched([], ["c1"]))),
    ("invalid_input", "no_labels", lambda: refusal(lambda: _labels_matched(["c1"], []))),
    ("invalid_input", "labels_name_no_change",
     lambda: refusal(lambda: _labels_matched(["c1"], ["c2"]))),
    # sagwa incident (cli/incident.py; its postmortem's file_unwritable needs a database:
    # tests/e2e/test_cli_incident_limits.py)
    ("invalid_input", "time_malformed",
     lambda: refusal(lambda: cli_dates.parse_time("next tuesday", "deadline"))),
    ("invalid_input", "close_needs_reason", lambda: refusal(
        lambda: incident_cli.close.__wrapped__(1, reason=" "))),  # type: ignore[attr-defined]
    ("invalid_input", "file_unreadable",
     lambda: refusal(lambda: incident_cli.read_notice_file(_scratch()))),
    ("invalid_input", "file_not_utf8", lambda: refusal(
        lambda: incident_cli.read_notice_file(_file("notice.txt", b"caf\xe9\n")))),
    # --actor (cli/actors.py)
    ("invalid_input", "account_not_active", lambda: refusal(lambda: check_claim("kim", None))),
    ("invalid_input", "actor_not_staff", lambda: refusal(lambda: check_claim("seller_a", SELLER))),
    ("invalid_input", "actor_not_the_account",
     lambda: refusal(lambda: check_claim("reviewer:admin_a", ADMIN))),
    ("invalid_input", "actor_missing", lambda: refusal(
        lambda: recorded_actor(None, "  ", command="incident scope"))),  # type: ignore[arg-type]
    ("invalid_input", "actor_role_not_allowed", lambda: refusal(
        lambda: check_role("agent_a", Account(10, "agent_a", Role.AGENT), "incident declare"))),
    # refusals a command prints in its own words before exiting (cli/context.ExitRefused);
    # asked for JSON, it prints them as these errors (tests/e2e/test_cli_json_errors.py)
    ("invalid_input", "settings_invalid", lambda: exit_refusal(_with_a_bad_setting)),
    # production keeps the demo out, and a worker takes known queues only
    # (tests/e2e/test_cli_production_demo.py, test_cli_worker_queues.py)
    ("conflict", "demo_in_production", lambda: refusal(lambda: check_demo_allowed("production"))),
    ("invalid_input", "queue_unknown", lambda: refusal(lambda: check_queues(("nosuch",)))),
    # --excel (a byte-order mark) is for CSV only: tests/e2e/test_cli_refunds.py
    ("invalid_input", "excel_needs_csv", lambda: refusal(lambda: check_excel(True, "json"))),
    ("invalid_input", "format_unknown", lambda: exit_refusal(
        lambda: messages_cli.lint.__wrapped__(  # type: ignore[attr-defined]
            "-", kind="notice", lang="ko", fmt="xml", incident=None))),
    ("invalid_input", "incident_needs_notice_kind", lambda: exit_refusal(
        lambda: messages_cli.lint.__wrapped__(  # type: ignore[attr-defined]
            "-", kind="resolution", lang="ko", fmt="text", incident=1))),
    # marking a refund paid (sagwa refunds mark-paid, POST /api/refunds/{id}/paid;
    # tests/integration/test_refunds.py)
    ("invalid_input", "refund_reference_required",
     lambda: refusal(lambda: check_reference("  "))),
    ("invalid_input", "refund_reference_too_long",
     lambda: refusal(lambda: check_reference("x" * 201))),
    ("invalid_input", "refund_paid_at_without_zone",
     lambda: refusal(lambda: check_paid_at(A_REFUND, datetime(2008, 6, 13, 8, 0), NOW))),
    ("invalid_input", "refund_paid_at_future",
     lambda: refusal(lambda: check_paid_at(A_REFUND, NOW + timedelta(minutes=1), NOW))),
    ("invalid_input", "refund_paid_before_cancellation",
     lambda: refusal(lambda: check_paid_at(A_REFUND, NOW - timedelta(days=2), NOW))),
    ("not_found", "refund_not_found", lambda: refusal(lambda: refunds._require(
        SimpleNamespace(refunds=SimpleNamespace(get=lambda *_, **__: None)),  # type: ignore[arg-type]
        7))),
    ("invalid_input", "refund_paid_days_need_paid", lambda: refusal(lambda: paid_days(
        date(2026, 12, 1), None, RefundFilter.OWED))),
    ("invalid_input", "refund_paid_days_reversed", lambda: refusal(lambda: paid_days(
        date(2026, 12, 31), date(2026, 12, 1), RefundFilter.PAID))),
    ("conflict", "refund_already_paid", lambda: refusal(lambda: refunds._refuse_if_paid(
        replace(A_REFUND, paid_at=NOW, paid_reference="KB-1", paid_by="admin:kim")))),
    # finance's bank batches (sagwa refunds mark-paid --from-file / --recorded-before;
    # tests/e2e/test_cli_refunds.py): a bad row's reason is in details["rows"]
    ("invalid_input", "refund_file_refused", lambda: refusal(lambda: refunds.check_payments(
        [PaymentLine(2, "1", "KB-1", ""), PaymentLine(3, "1", "KB-2", "")], {1: A_REFUND},
        NOW))),
    ("invalid_input", "refund_listed_twice", lambda: refusal(lambda: refunds._check_line(
        PaymentLine(3, "1", "KB-2", ""), {1: A_REFUND}, {1: 2}, NOW))),
    # a file with the list's amount_minor / currency columns: each row's must be its refund's
    ("invalid_input", "refund_amount_differs", lambda: refusal(
        lambda: refunds.check_stated_amount(refunds.StatedPaymentLine(
            2, "1", "KB-1", "", amount_minor="199000", currency="USD"), A_REFUND))),
    ("invalid_input", "refund_amount_blank", lambda: refusal(
        lambda: refunds.check_stated_amount(refunds.StatedPaymentLine(
            2, "1", "KB-1", "", amount_minor="19900", currency=""), A_REFUND))),
    ("invalid_input", "refund_amount_malformed", lambda: refusal(
        lambda: refunds.check_stated_amount(refunds.StatedPaymentLine(
            2, "1", "KB-1", "", amount_minor="199.00"), A_REFUND))),
    ("invalid_input", "refund_id_malformed", lambda: refusal(lambda: read_refund_id("1,2"))),
    ("invalid_input", "refund_paid_at_malformed",
     lambda: refusal(lambda: read_paid_at("yesterday", NOW))),
    ("invalid_input", "refund_recorded_before_future", lambda: refusal(
        lambda: refunds.check_recorded_before(date(2008, 6, 14), NOW))),
    ("invalid_input", "refund_target_missing", lambda: refusal(lambda: _mode())),
    ("invalid_input", "refund_targets_conflict",
     lambda: refusal(lambda: _mode(refund_id=1, from_file=Path("f.csv")))),
    ("invalid_input", "refund_option_unused",
     lambda: refusal(lambda: _mode(from_file=Path("f.csv"), reference="KB-1"))),
    ("invalid_input", "refund_file_columns",
     lambda: refusal(lambda: refunds_cli.read_payment_file(_file("p.csv", b"id,ref\n1,x\n")))),
    ("invalid_input", "refund_file_empty", lambda: refusal(lambda: refunds_cli.read_payment_file(
        _file("p.csv", b"\xef\xbb\xbfrefund_id,reference,paid_at\r\n\r\n")))),
    ("invalid_input", "date_malformed", lambda: refusal(lambda: refunds_cli.read_day("monday"))),
    # access records (the CLI's exports and ``sagwa access``; the API's reason)
    ("invalid_input", "access_reason_required", lambda: refusal(
        lambda: access_reason(" ", required=True, what="sagwa refunds list --format csv"))),
    ("invalid_input", "access_reason_too_long", lambda: refusal(
        lambda: access_reason("x" * 501, required=False, what="GET /api/refunds"))),
    ("invalid_input", "purge_too_recent", lambda: refusal(
        lambda: check_purge_before(date(2008, 6, 1), NOW))),
    ("invalid_input", "month_malformed",
     lambda: refusal(lambda: access_records_service.month_bounds("2008-13"))),
    ("invalid_input", "access_action_unknown",
     lambda: refusal(lambda: access_records_service.check_action("read"))),
    ("invalid_input", "date_malformed", lambda: refusal(lambda: access_cli.read_day("monday"))),
    # a change whose access record could not be written in its transaction (web.access):
    # tests/e2e/browser/test_access_records_pages.py
    ("database_unavailable", "access_record_unwritten", access_not_recorded),
]


@pytest.mark.parametrize(("code", "reason", "make"), OTHER_REFUSALS + USE_CASE_REFUSALS,
                         ids=[r for _, r, _ in OTHER_REFUSALS + USE_CASE_REFUSALS])  # fmt: skip
def test_a_domain_or_api_refusal_carries_its_code_and_reason(
    code: str, reason: str, make: Callable[[], SagwaError]
) -> None:
    exc = make()
    assert (exc.code, exc.details["reason"]) == (code, reason)
    assert exc.as_dict()["details"]["reason"] == reason  # what the JSON API answers


ERROR_NAMES = {
    name
    for name, obj in vars(errors).items()
    if isinstance(obj, type) and issubclass(obj, SagwaError)
}


def _reasons_in_source() -> set[str]:
    """Every string the ``reason=`` of an error (a SagwaError subclass called by name, or a
    function declared to return one, such as the rules file's ``_invalid``) can take in the
    source: constants, and both arms of a conditional (``reason="a" if … else "b"``). A reason
    passed in a variable (price_review's ``reason=stale``) is not seen here; REFUSALS covers
    its values."""
    trees = [ast.parse(path.read_text(encoding="utf-8"))
             for path in Path(sagwa.__file__).parent.rglob("*.py")]
    makers = ERROR_NAMES | {
        node.name for tree in trees for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and getattr(node.returns, "id", None) in ERROR_NAMES
    }
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            func = node.func if isinstance(node, ast.Call) else None
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name not in makers:
                continue
            for keyword in node.keywords:  # type: ignore[union-attr]
                if keyword.arg == "reason":
                    found |= _strings(keyword.value)
    return found


def _strings(expr: ast.expr) -> set[str]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body) | _strings(expr.orelse)
    return set()


def test_every_reason_raised_anywhere_has_a_page_sentence_or_is_listed_as_api_only() -> None:
    """A new reason in the source must get a page sentence (RULES) or be listed as met only by
    the JSON API or the CLI (OTHER_REFUSALS, RAISED_WITH_A_DATABASE_ONLY), so none is forgotten;
    and a listed reason nobody raises any more must leave the lists."""
    raised = _reasons_in_source()
    api_only = ({reason for _, reason, _ in OTHER_REFUSALS + USE_CASE_REFUSALS}
                | RAISED_WITH_A_DATABASE_ONLY)
    assert raised - {r.reason for r in RULES} - api_only == set()
    assert api_only - raised == set()
    assert {"case_status", "choice_already_recorded", "order_status"} <= raised


#: Errors that refuse nothing a caller asked: a provider's failure (workers only, caught where
#: raised; ``temporary`` tells them apart) and a database that does not answer.
NOT_REFUSALS = {"DeliveryFailed", "DatabaseUnavailable"}


def _raises_without_a_reason(folder: str) -> list[str]:
    """``path:line Error`` for each ``raise Error(...)`` in ``folder`` (an error of
    ``sagwa.errors`` raised by name) that passes no ``reason=`` and no ``**details``."""
    root = Path(sagwa.__file__).parent
    bare = []
    for path in sorted((root / folder).rglob("*.py")):
        where = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            call = node.exc if isinstance(node, ast.Raise) else None
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in ERROR_NAMES - NOT_REFUSALS:
                continue
            if any(k.arg in ("reason", None) for k in call.keywords):
                continue
            bare.append(f"{where}:{node.lineno} {name}")
    return bare


@pytest.mark.parametrize("folder", ["domain", "services", "web", "adapters", "cli", "priceguard",
                                    "messagecheck", "jobs", "replay", "seed"])
def test_every_raise_in_the_use_cases_names_its_reason(folder: str) -> None:
    """Every refusal the API's use cases, the CLI, the price guard (its files and rules), the
    message check, the jobs, the replay and the seed raise carries ``details["reason"]``: a new
    raise without ``reason="snake_case_sub_code"`` fails here (give it one, then a page sentence
    in ``error_sentences.RULES`` or an entry in OTHER_REFUSALS / USE_CASE_REFUSALS). A helper
    that makes the error (``priceguard/rules.py``'s ``_invalid``, ``cli/actors.py``'s
    ``_refuse``) takes the reason as a required keyword, so a call without one fails at once."""
    assert _raises_without_a_reason(folder) == []
