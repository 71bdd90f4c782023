"""What the pages call each stored code, in Korean and English: one table per vocabulary.

Services, the database and the JSON API keep the codes (``held``, ``cancel_with_compensation``,
``no_answer`` ...); people read these labels. Templates use the ``label`` filter —
``{{ c.status | label("price_change") }}`` — and Python code :func:`label`. A code missing from
its table shows as itself, so a new status is visible (if raw) rather than blank.

A customer's option is named for its incident's plan wherever that is known:
``{{ consent.choice | label("choice", plan) }}`` — a plan without points for cancelling names
the cancellation a full refund only (``desk_messages.choice_label``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from jinja2 import pass_context
from jinja2.runtime import Context

from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.services.accounts import ROLE_KO, Role
from sagwa.services.desk_messages import choice_label

Label = tuple[str, str]  # (Korean, English)

LISTING_STATUS: dict[str, Label] = {
    "draft": ("등록 중", "draft"),
    "live": ("판매 중", "live"),
    "held": ("판매 보류", "on hold"),
    "paused": ("판매 중지", "paused"),
    "ended": ("판매 종료", "ended"),
}

PRICE_CHANGE_STATUS: dict[str, Label] = {
    "applied": ("반영됨", "applied"),
    "held": ("보류", "held"),
    "approved": ("승인됨", "approved"),
    "rejected": ("거절됨", "rejected"),
    "superseded": ("새 제안으로 대체됨", "superseded by a newer proposal"),
    "withdrawn": ("판매자가 철회함", "withdrawn by the seller"),
}

INCIDENT_STATUS: dict[str, Label] = {
    "draft": ("초안", "draft"),
    "declared": ("선언됨", "declared"),
    "scoped": ("범위 확정", "scoped"),
    "planned": ("방안 확정", "planned"),
    "notifying": ("고객 안내 중", "notifying customers"),
    "closed": ("종료", "closed"),
}

#: Why an incident's step was refused, or what to do first (``incidents.INCIDENT_HINTS``).
INCIDENT_HINT: dict[str, Label] = {
    "declare_first": ("먼저 사고를 선언해 주세요(잘못 울린 경보라면 오탐으로 종료해 주세요).",
                      "Declare it first (or dismiss it, if it is a false alarm)."),
    "scope_first": ("먼저 범위를 확정해 잘못된 가격으로 들어온 주문을 찾아 주세요.",
                    "Scope it first: find the orders placed at the wrong price."),
    "plan_first": ("먼저 해결 방안(선택지, 답변 기한, 미응답 시 처리)을 저장해 주세요.",
                   ("Save a plan first: the options, the deadline and what happens if there "
                    "is no answer.")),
    "notify_first": ("먼저 고객에게 사과 안내를 보내 주세요.",
                     "Notify its customers first (the apology and the plan)."),
    "already_declared": ("이미 선언된 사고입니다.", "It is declared already."),
    "not_a_draft": ("오탐으로 종료할 수 있는 것은 초안뿐입니다. 선언된 사고는 고객 처리가 끝난 뒤 종료합니다.",
                    ("Only a draft can be dismissed as a false alarm; a declared incident is "
                     "closed once its customers have their answer.")),
    "scoped_before_plan": ("범위는 방안을 정하기 전에 확정합니다. 방안은 그때 찾은 고객을 위해 정해졌습니다.",
                           ("Orders are scoped before the plan is made, and the plan was made "
                            "for the customers found then.")),
    "plan_fixed": (("고객 안내를 보냈거나 보내도록 예약했으므로 방안은 더 바꿀 수 없습니다. 고객은 이미 그 조건을 "
                    "안내받았습니다."),
                   ("Customers have been sent the plan, or it is scheduled to go out to them, "
                    "so it can no longer change: they were given its terms.")),
    "already_notifying": ("고객 안내를 이미 보냈거나 보내는 중입니다.",
                          "Its customers have been told already, or are being told."),
    "already_closed": ("종료된 사고는 더 바꿀 수 없습니다.", "A closed incident does not change any more."),
}

ORDER_STATUS: dict[str, Label] = {
    "placed": ("주문 접수", "placed"),
    "fulfilled": ("출고 완료", "fulfilled"),
    "cancelled": ("취소됨", "cancelled"),
}

CASE_STATUS: dict[str, Label] = {
    "open": ("사과 안내 예약 전", "apology not queued yet"),
    "notified": ("안내 발송", "notified"),
    # not statuses: the progress bars' (and rows') shares of "notified" by where the apology
    # stands (incident_context.apology_state) — waiting for its time, its time come and not
    # gone yet, or nothing on its way and never told; "notified" itself then counts the told
    "apology_queued": ("사과 안내 발송 대기", "apology queued, not sent yet"),
    "apology_sending": ("사과 안내 발송 중", "apology being sent"),
    "not_told": ("사과 안내가 전해지지 않음", "apology not delivered"),
    "escalated": ("상담 대기", "on the call list"),
    "chosen": ("선택 완료", "chosen"),
    "defaulted": ("기한 경과(기본 처리)", "deadline passed (default applied)"),
    "resolved": ("처리 완료", "resolved"),
    # not a status: the progress bars' share of "resolved" still owing the discount's difference
    "difference_unpaid": ("처리 완료, 차액 결제 대기(상품 발송 보류)",
                          "resolved, difference not yet paid (items held)"),
}

#: The customers' options: the same short names the messages and confirmations use — the
#: generic ones, for a list of options with no plan (:func:`label` with a plan names them for it).
CHOICE: dict[str, Label] = {o.value: (choice_label(o, "ko"), choice_label(o, "en"))
                            for o in CustomerOption}

DEFAULT_ACTION: dict[str, Label] = {
    "keep": ("주문 유지", "keep the order"),
    "follow_up_call": ("상담원 전화", "follow-up call"),
}

CALL_OUTCOME: dict[str, Label] = {
    "reached": ("통화 연결", "reached"),
    "no_answer": ("받지 않음", "no answer"),
    "busy": ("통화 중", "line busy"),
    "wrong_number": ("잘못된 번호", "wrong number"),
    "voicemail": ("음성사서함", "voicemail"),
    "callback_requested": ("다시 전화 요청", "asked us to call back"),
}

#: Why the desk gave up calling a customer, or owes the call again (a timeline step's ``why``).
CALL_WHY: dict[str, Label] = {
    "no_phone": ("전화번호 없음", "no phone number"),
    "phone_added": ("전화번호를 새로 받음", "a phone number was recorded"),
    "phone_changed": ("전화번호를 고침", "the phone number was corrected"),
}

#: What a message to a customer was for (``outbox.purpose``), as the agent's case page lists
#: the messages the customer was sent.
MESSAGE_PURPOSE: dict[str, Label] = {
    "resolution": ("사과와 안내", "apology and options"),
    "reminder": ("답변 기한 알림", "deadline reminder"),
    "confirmation": ("선택 확인", "choice confirmed"),
    "defaulted": ("기한 뒤 처리 안내", "default applied"),
    "never_told": ("안내가 닿지 않았던 고객께", "to a customer never told"),
    "unreachable": ("전화 연결 안 됨 안내", "could not reach you by phone"),
    "call_time": ("통화 시간 확인", "call time confirmed"),
    "cancelled_instead": ("차액 대신 취소 확인", "cancelled instead of paying"),
    "difference_received": ("차액 영수증", "difference received"),
    "difference_reminder": ("차액 결제 알림", "difference reminder"),
    "refund_paid": ("환불 지급 안내", "refund paid"),
    "call_requested": ("통화 요청 확인", "call request received"),
}
#: Where a message stands (``outbox.status``).
MESSAGE_STATUS: dict[str, Label] = {
    "pending": ("보낼 예정", "waiting to go"),
    "sending": ("보내는 중", "being sent"),
    "sent": ("보냄", "sent"),
    "failed": ("보내지 못함", "failed"),
    "withdrawn": ("보내지 않기로 함", "withdrawn"),
}

#: How a correction changed the customer's email address (a contact correction's step; the
#: phone's change is its ``why``, :data:`CALL_WHY`).
EMAIL_CHANGE: dict[str, Label] = {
    "added": ("이메일 주소를 새로 받음", "an email address was recorded"),
    "changed": ("이메일 주소를 고침", "the email address was corrected"),
    "removed": ("이메일 주소를 지움", "the email address was removed"),
}

RESPONSIBLE: dict[str, Label] = {
    "seller": ("판매자", "seller"),
    "platform": ("플랫폼", "platform"),
    "both": ("판매자와 플랫폼", "seller and platform"),
}

VERDICT: dict[str, Label] = {
    "allow": ("통과", "allow"),
    "hold": ("보류", "hold"),
}

#: The price guard's error types (``sagwa.priceguard.vocabulary.ERROR_TYPES``).
ERROR_TYPE: dict[str, Label] = {
    "none": ("해당 없음", "no error pattern"),
    "decimal_slip": ("0 누락·소수점 밀림", "dropped zero or slipped decimal point"),
    "extra_zero": ("0이 하나 더 붙음", "extra zero"),
    "digit_typo": ("숫자 오타", "mistyped digit"),
    "currency": ("통화·환율 혼동", "currency mix-up"),
    "percent_inverted": ("할인율을 거꾸로 입력", "inverted percentage"),
    # said of a hold, often an honest seller's deep sale waiting for a reviewer: not an accusation
    "inflated_promotion": ("평소보다 깊게 선언된 할인", "a promotion deeper than usual"),
    "discount_as_price": ("할인율을 가격란에 입력", "discount typed as the price"),
    "unit_error": ("묶음·낱개 단위 혼동", "pack/unit mix-up"),
    "penny": ("자리표시·최저 단위 가격", "placeholder or penny price"),
    "repricer_runaway": ("자동 가격 조정 폭주", "repricer running away"),
}

#: The price guard's policy rules (``priceguard.vocabulary.POLICY_REASONS``): why approving a change
#: they held needs a reason, as the review card's reason field says it.
POLICY_RULE: dict[str, Label] = {
    "above_list_price_ceiling": ("이 분류의 최고 판매가(정가 기준, 도서는 도서정가제)보다 높은 가격입니다",
                                 ("the price is above the most this category may be sold at "
                                  "(from the list price; for books, the fixed book price law)")),
    "below_list_price_floor": ("이 분류의 최저 판매가(정가 기준, 도서는 도서정가제)보다 낮은 가격입니다",
                               ("the price is below the least this category may be sold at "
                               "(from the list price; for books, the fixed book price law)")),
    "promotion_too_deep": ("이 분류의 할인 한도에 이르거나 넘는 할인입니다",
                           "the promotion is at or past this category's limit"),
    "below_seller_floor": ("판매자가 정한 최저가보다 낮은 가격입니다",
                           "the price is below the seller's own floor"),
    "above_seller_ceiling": ("판매자가 정한 최고가보다 높은 가격입니다",
                             "the price is above the seller's own ceiling"),
    "penny_price": ("임시 가격이나 최저 단위 가격입니다", "it is a placeholder or penny price"),
    "promotion_mismatch": ("선언한 할인율과 가격이 맞지 않습니다",
                           "the price does not match its declared promotion"),
    "undeclared_cut_too_deep": ("할인 행사로 선언하지 않은 큰 인하입니다",
                                ("it is a cut as deep as a promotion that needs review, not "
                                "declared as one")),
    "cut_too_deep_in_steps": ("여러 번에 나누거나 진행 중인 할인 위에 더해 한도에 이른 인하입니다",
                              ("it takes the price as far below its regular price as a "
                               "promotion that needs review, in steps or on top of a running "
                               "one")),
}

#: The message check's finding severities.
SEVERITY: dict[str, Label] = {
    "error": ("고쳐야 함", "must fix"),
    "warning": ("확인 필요", "worth a look"),
}

LANGUAGE: dict[str, Label] = {
    "ko": ("한국어", "Korean"),
    "en": ("영어", "English"),
}

#: Audit-log actions, as the incident timeline shows them.
ACTION: dict[str, Label] = {
    "incident.drafted": ("사고 초안 작성", "incident drafted"),
    "incident.declared": ("사고 선언", "incident declared"),
    "incident.scoped": ("영향 범위 확정", "scope settled"),
    "incident.planned": ("해결 방안 확정", "plan decided"),
    "incident.notifying": ("사과 메시지 예약", "apologies queued"),
    "incident.reminded": ("다시 안내 예약", "reminders queued"),
    "incident.close": ("사고 종료", "incident closed"),
    "incident.sellers_told_to_send": ("판매자에게 이제 보낼 주문을 메일로 알림",
                                      "seller emailed the orders now to send"),
    "message.sent": ("고객 메시지 발송", "message sent to the customer"),
    "message.failed": ("고객 메시지 발송 실패(재시도 종료)", "message failed for good"),
    "incident.price_block_narrowed": ("가격 차단을 잘못된 가격 근처로 좁힘",
                                      "price block narrowed to the band"),
    "incident.dismiss": ("오탐으로 종료", "dismissed as a false alarm"),
    "notice.published": ("공지 게시", "notice published"),
    "notice.reconfirmed": ("공지 재확인(내용 그대로 유지)", "notice checked again and kept as it was"),
    "listing.created": ("상품 등록", "listing created"),
    "listing.publish": ("판매 시작", "listing published"),
    "listing.hold": ("판매 보류", "listing held"),
    "listing.release": ("보류 해제", "hold released"),
    "listing.send_back": ("판매자에게 돌려보냄", "sent back to the seller"),
    "listing.pause": ("판매 중지", "listing paused"),
    "listing.paused": ("판매 중지", "listing paused"),
    "listing.paused_by_tripwire": ("주문 급증으로 자동 판매 중지", "paused by the order tripwire"),
    "listing.vouched": ("오탐 판정: 이 가격으로는 주문 급증 자동 중지 안 함",
                        "false alarm: the tripwire will not pause it at this price"),
    "listing.resume": ("판매 재개", "listing resumed"),
    "listing.end": ("판매 종료", "listing ended"),
    "price_change.applied": ("가격 변경 반영", "price change applied"),
    "price_change.held": ("가격 변경 보류", "price change held"),
    "price_change.approved": ("가격 변경 승인", "price change approved"),
    "price_change.rejected": ("가격 변경 거절", "price change rejected"),
    "price_change.superseded": ("새 제안으로 대체", "price change superseded by a newer one"),
    "price_change.withdrawn": ("판매자가 가격 변경 철회", "price change withdrawn by the seller"),
    "case.notified": ("사과 메시지 발송 예약(연락 가능 시간에 발송)", "apology queued (sent within contact hours)"),
    "case.escalated": ("상담 대기열로 이동", "put on the call list"),
    "case.apology_undelivered": ("사과 안내를 보낼 수 없어 상담 대기열로 이동",
                                 "apology could not be delivered: put on the call list"),
    "case.defaulted": ("기한 경과(기본 처리)", "default applied after the deadline"),
    "case.difference_paid": ("차액 결제 확인", "difference recorded as paid"),
    "case.refund_paid": ("환불 지급 확인", "refund recorded as paid"),
    "case.cancelled_instead": ("차액 대신 주문 취소(고객 동의)",
                               "cancelled instead of paying the difference (customer's consent)"),
    "case.choice_recorded": ("고객 선택 기록", "customer's choice recorded"),
    "case.choice_repeated": ("같은 선택을 다시 전함", "the same choice given again"),
    "case.contact_attempted": ("고객에게 전화", "called the customer"),
    "case.follow_up_asked": ("상담 메모에 후속 조치 필요 표시", "call note marked: follow-up needed"),
    "case.follow_up_resolved": ("후속 조치 결과 기록(완료)", "follow-up outcome recorded (done)"),
    "case.call_time_chosen": ("고객이 통화 시간을 고름(또는 지움)", "customer picked (or cleared) a time for the call"),
    "case.never_told": ("기한까지 사과 안내가 전해지지 않아 상담원 전화로 처리",
                        "never told before the deadline: owed a call"),
    "case.unreachable": ("연락 안 됨(통화 시도 소진, 또는 전화번호 없음)",
                         "could not be reached (call attempts used up, or no phone number)"),
    "case.call_resumed": ("새 전화번호: 통화 시도를 새로 셈(연락 안 됨이었으면 다시 목록에)",
                          ("a new phone number: call attempts count afresh (back on the call "
                          "list if given up)")),
    "order.cancel_and_refund": ("주문 취소·환불", "order cancelled and refunded"),
    "order.reduce_and_refund": ("주문 수량 줄임·환불", "order quantity lowered and refunded"),
    "order.reprice": ("할인가로 주문 금액 변경", "order repriced at the discount"),
    "order.placed": ("주문 접수", "order placed"),
    "incident.defaulted": ("답변 기한 경과: 답하지 않은 고객에게 기본 처리",
                           "deadline passed: the default applied to customers who did not answer"),
    # the price before it comes back, or stays away (an incident's wrong price, a price never
    # on sale): the entry's outcome says which, so the label does not claim a restore
    "price_change.promotion_ended": ("할인 행사 종료", "promotion ended"),
    "points.credited": ("포인트 적립", "points credited"),
    "points.debited": ("포인트 사용", "points debited"),
    "ledger.reversed": ("원장 기록 취소(반대 기록)", "ledger entry reversed"),
    "customer.registered": ("고객 등록", "customer registered"),
    "customer.contact_changed": ("고객 연락처 수정", "customer's contact details corrected"),
    "customer.erased": ("고객 개인정보 파기", "customer's personal data erased"),
    "customer.erasure_requested": ("고객 삭제 요청 기록(법정 보존 후 파기)",
                                   "customer's erasure request recorded (waits for the law)"),
    "customer.erasure_request_dated": ("고객 삭제 요청일 정정(더 이른 날로)",
                                       "customer's erasure request dated earlier"),
    "customer.copy_made": ("고객 개인정보 사본 제공", "copy of the customer's personal data made"),
    "seller.registered": ("판매자 등록", "seller registered"),
    "product.registered": ("상품 등록", "product registered"),
    "user.created": ("계정 생성", "account created"),
    "user.password_changed": ("계정 비밀번호 변경", "account password changed"),
    "user.deactivated": ("계정 비활성화", "account deactivated"),
    "user.activated": ("계정 다시 활성화", "account activated again"),
    "api_token.issued": ("API 토큰 발급", "API token issued"),
    "api_token.revoked": ("API 토큰 폐기", "API token revoked"),
    "message.requeued": ("발송하지 못한 메시지 다시 보내기", "failed message queued again"),
}

#: The tripwire's pause when an order far larger than usual tripped it, not a surge
#: (``tripwire_words.by_size``): one order, or a few.
TRIPWIRE_PAUSE_BY_SIZE: dict[str, Label] = {
    "one": ("평소보다 훨씬 큰 주문 한 건으로 자동 판매 중지",
            "paused automatically: an order far larger than usual"),
    "few": ("평소보다 훨씬 큰 주문으로 자동 판매 중지",
            "paused automatically: orders far larger than usual"),
}

#: What needs a seller's attention on their listings page (``seller_listings.attention_of``).
ATTENTION: dict[str, Label] = {
    "paused_by_tripwire": ("주문 급증으로 자동 판매 중지", "paused automatically: orders surged"),
    "paused_for_incident": ("가격 오류 사고로 판매 중지", "paused for a pricing incident"),
    "sent_back": ("검토자가 돌려보냄: 가격을 고쳐 주세요", "sent back by a reviewer: correct the price"),
    "held_listing": ("판매 시작 검토", "first price review"),
    "stale_change": ("승인될 수 없는 가격 변경: 철회하거나 새 가격을 저장해 주세요",
                     "held change can no longer be approved: withdraw it or save a new price"),
    "held_change": ("가격 변경 검토 대기", "price change waiting for review"),
    # the latest change a reviewer rejected (pages/seller_listings.py recent_decision)
    "rejected_change": ("검토자가 가격 변경을 거절함: 사유를 확인해 주세요",
                        "a reviewer rejected the price change: see why"),
    # for information only, never counted as needing the seller
    "approved_change": ("보류된 가격 변경을 검토자가 승인함", "held price change approved by a reviewer"),
}

#: Why a held change can no longer be approved, by its ``price_review.stale_code``, for the
#: label of its reason field on the review card (``review_cards.ReviewCard.only_reject``): the start of
#: a Korean sentence ("… 이 변경은 승인할 수 없고") and the end of an English one ("it cannot be
#: approved …").
STALE_WHY: dict[str, tuple[str, str]] = {
    "promotion_ended_since_proposal": ("함께 신고한 할인 행사가 끝나",
                                       "because the promotion declared with it has ended"),
    "live_price_moved": ("제안한 뒤 판매가가 바뀌어",
                         "because the live price has changed since it was proposed"),
    "listing_ended_since_proposal": ("판매가 종료된 상품이라", "because the listing has ended"),
    "price_is_incident_wrong_price": ("가격 오류 사고의 잘못된 가격이라",
                                      "because it is a pricing incident's wrong price"),
}

VOCABULARIES: Mapping[str, Mapping[str, Label]] = {
    "listing": LISTING_STATUS, "price_change": PRICE_CHANGE_STATUS,
    "incident": INCIDENT_STATUS, "incident_hint": INCIDENT_HINT,
    "case": CASE_STATUS, "order": ORDER_STATUS, "choice": CHOICE,
    "default": DEFAULT_ACTION, "outcome": CALL_OUTCOME, "why": CALL_WHY,
    "email_change": EMAIL_CHANGE, "responsible": RESPONSIBLE,
    "message_purpose": MESSAGE_PURPOSE, "message_status": MESSAGE_STATUS,
    "verdict": VERDICT, "error_type": ERROR_TYPE, "severity": SEVERITY, "language": LANGUAGE,
    "action": ACTION, "policy_rule": POLICY_RULE, "attention": ATTENTION,
}


def code_of(value: object) -> str:
    """The stored code of an enum member or a plain string."""
    return str(value.value) if isinstance(value, Enum) else str(value)


def label(vocabulary: str, value: object, lang: str, plan: IncidentPlan | None = None, *,
          price_word: str | None = None) -> str:
    """The label of ``value`` (a code or an enum member) in ``vocabulary``, in ``lang``;
    the code itself when the table does not know it, ``—`` for None. A ``choice`` of an
    incident whose ``plan`` is known is named for it (``desk_messages.choice_label``), its
    discount with ``price_word`` where given (a book's 정가 or 판매가:
    ``desk_messages.correct_price_word``)."""
    if value is None or value == "":
        return "—"
    code = code_of(value)
    found = VOCABULARIES[vocabulary].get(code)
    if found is None:
        return code
    if vocabulary == "choice" and plan is not None:
        if price_word is not None:
            return choice_label(code, lang, plan, price_word=price_word)
        return choice_label(code, lang, plan)
    return found[0] if lang == "ko" else found[1]


@pass_context
def label_filter(context: Context, value: object, vocabulary: str,
                 plan: IncidentPlan | None = None) -> str:
    """Jinja: ``{{ value | label("case") }}`` in the page's language;
    ``{{ consent.choice | label("choice", plan) }}`` for an incident's option, its discount
    named with the page's ``price_word`` when it has one (an incident's page: a book's 정가 or
    판매가)."""
    word = context.get("price_word")
    return label(vocabulary, value, str(context.get("lang", "ko")), plan,
                 price_word=word if isinstance(word, str) else None)


#: How a recorded actor's role prefix reads on a page (``agent:choi`` -> 상담원 choi).
_ACTOR_ROLES = {role.value: (ROLE_KO[role], "operator" if role is Role.ADMIN else role.value)
                for role in Role} | {"operator": (ROLE_KO[Role.ADMIN], "operator"),
                                     "system": ("시스템", "system"), "sagwa": ("시스템", "system")}


#: Work sagwa does by itself, by the name its audit records carry.
SYSTEM_ACTORS = {"system:tripwire": ("주문 급증 감시", "order tripwire"),
                 "system:scheduler": ("예약 작업(자동)", "scheduled job"),
                 "system:deadline": ("답변 기한 처리(자동)", "deadline job"),
                 "system:promotion_end": ("할인 행사 종료 처리(자동)", "promotion end (automatic)"),
                 "system:delivery": ("메시지 발송(자동)", "message delivery (automatic)"),
                 "system": ("시스템", "system")}


def actor_text(actor: str, lang: str) -> str:
    """A recorded ``taken_by`` / ``agent`` as a person reads it: ``customer`` is the customer
    (고객), ``agent:choi`` is "상담원 choi", ``api:kim`` is kim; anything else as recorded (the
    CS pages showed "customer" on a Korean page and "agent:agent")."""
    ko = lang == "ko"
    if actor == "customer":
        return "고객" if ko else "the customer"
    if actor in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[actor][0 if ko else 1]
    role, _, name = actor.partition(":")
    if not name:
        return actor
    if role == "api":
        return name
    said = _ACTOR_ROLES.get(role)
    return f"{said[0] if ko else said[1]} {name}" if said else actor


@pass_context
def actor_filter(context: Context, value: object) -> str:
    """Jinja: ``{{ consent.taken_by | actor }}`` in the page's language."""
    return actor_text(str(value or ""), str(context.get("lang", "ko")))
