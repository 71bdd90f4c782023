"""The sentences pages say for refusals: :data:`RULES` (by code, field and reason),
:data:`PLAN_RULES` (a refused plan's problems) and :data:`FIELDS` (form fields by name), in
Korean and English. Matching and rendering live in :mod:`sagwa.web.pages.error_texts`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """``code`` (and ``field``, and the sub-code ``details["reason"]``) -> a Korean and an
    English sentence; ``{name}`` in them is ``details[name]``, labelled when ``labels`` names its
    vocabulary (``{"status": "case"}``). A ``None`` field or reason matches any."""

    code: str
    field: str | None
    reason: str | None
    ko: str
    en: str
    labels: Mapping[str, str] | None = None
    # details the rule needs, all of them: a refusal that carries more says more
    needs: tuple[str, ...] = ()


def _r(code: str, field: str | None, reason: str | None, ko: str, en: str,
       labels: Mapping[str, str] | None = None, needs: tuple[str, ...] = ()) -> Rule:
    return Rule(code, field, reason, ko, en, labels, needs)


#: What every refusal of a plan below a book's fixed price says first (``domain.book_price``).
_BOOK_FLOOR_KO = ("도서정가제(출판문화산업 진흥법 제22조)에 따라 이 책은 정가 {list_price_ko}의 {floor_pct}%인 "
                  "{floor_ko}보다 낮은 가격에 팔 수 없습니다.")
_BOOK_FLOOR_EN = ("Under the fixed book price law (Publishing Industry Promotion Act, Article 22) "
                  "this book may not sell below {floor_en}, {floor_pct}% of its list price "
                  "{list_price_en}.")

#: Most specific first: the first rule that matches speaks.
RULES: tuple[Rule, ...] = (
    # prices and promotions (seller)
    _r("invalid_input", "price", "price_not_positive",
       "가격은 0원보다 커야 합니다.", "The price must be more than zero."),
    _r("invalid_input", "price", "price_above_ceiling",
       "가격이 허용되는 최고 금액({ceiling_ko})을 넘습니다. 금액을 다시 확인해 주세요.",
       "That price is above the highest price allowed ({ceiling_en}); please check the "
       "amount."),
    _r("invalid_input", "new_price", "price_unchanged",
       "상품 가격이 이미 그 가격입니다. 다른 가격을 입력해 주세요.",
       "The listing already has that price; enter a different one."),
    _r("invalid_input", "currency", "unknown_currency",
       "알 수 없는 통화입니다: {currency}. 다음 중 하나를 써 주세요: {known}.",
       "Unknown currency: {currency}. Use one of {known}."),
    _r("invalid_input", "currency", None,
       "이 상품의 가격은 {currency} 통화로만 정할 수 있습니다. 다른 통화의 가격은 받지 않습니다.",
       "This listing's price can only be given in {currency}; a price in another currency is "
       "refused."),
    _r("invalid_input", "promotion.percent", "promotion_percent_missing",
       "할인율을 입력해 주세요. 할인율 없이 기간만 넣으면 행사가 끝나도 가격이 돌아가지 않습니다.",
       "Enter the promotion percent: with dates but no percent, the price would not go back "
       "when the promotion ends."),
    _r("invalid_input", "promotion.percent", "promotion_percent_range",
       "할인율은 1에서 99.9 사이의 숫자로, 소수점 한 자리까지 입력해 주세요(예: 10 또는 12.5).",
       "Enter the promotion percent as a number from 1 to 99.9 with at most one decimal place, "
       "like 10 or 12.5."),
    _r("invalid_input", "promotion.percent", None,
       "할인율은 1에서 99.9 사이의 숫자로, 소수점 한 자리까지 입력해 주세요(예: 10 또는 12.5).",
       "Enter the promotion percent as a number from 1 to 99.9 with at most one decimal place, "
       "like 10 or 12.5."),
    _r("invalid_input", "promotion.ends_at", "promotion_ended",
       "이미 끝난 할인 행사입니다. 진행 중인 행사로 다시 제안하거나 행사 없이 제안해 주세요.",
       "That promotion has already ended; propose with a running promotion or without one."),
    _r("invalid_input", "promotion.starts_at", "promotion_not_started",
       "아직 시작하지 않은 할인 행사입니다. 행사가 시작되면 그때 가격을 제안해 주세요.",
       "That promotion has not started yet; propose the price when it starts."),
    _r("invalid_input", "promotion.ends_at", "promotion_ends_before_start",
       "할인 행사는 시작한 뒤에 끝나야 합니다. 종료 시각을 시작 시각보다 뒤로 정해 주세요.",
       "The promotion must end after it starts; set the end later than the start."),
    _r("invalid_input", "promotion", None,
       "할인 행사 기간을 다시 확인해 주세요.", "Please check the promotion's dates."),
    _r("conflict", None, "listing_ended",
       "판매가 종료된 상품은 가격을 바꿀 수 없습니다.", "This listing has ended; its price cannot change."),
    # review queue
    _r("invalid_input", None, "approval_needs_reason",
       "가격을 절반 이하로 내리거나 두 배 이상 올리는 변경은 승인 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
       "Approving a change that halves the price or more, or doubles it, needs a reason; say "
       "what you checked with the seller."),
    _r("invalid_input", None, "first_price_approval_needs_reason",
       "판매된 적 없는 상품의 첫 가격이 정가나 다른 판매자 가격의 절반 이하이거나 두 배 이상이면 (비교할 가격이 없을 때도) 승인 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
       "Approving the first price of a listing never on sale that is half or less, or twice or "
       "more, of the list price or the other sellers' price (or that has nothing to compare it "
       "with) needs a reason; say what you checked with the seller."),
    _r("invalid_input", None, "release_needs_reason",
       "첫 가격이 정가나 다른 판매자 가격의 절반 이하이거나 두 배 이상이면 (비교할 가격이 없을 때도) 보류를 풀 때 의견이 있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
       "Releasing a first price that is half or less, or twice or more, of the list price or "
       "the other sellers' price (or that has nothing to compare it with) needs a reason; say "
       "what you checked with the seller."),
    _r("invalid_input", "reason", "send_back_needs_reason",
       "돌려보낼 때는 판매자가 가격을 고칠 수 있도록 무엇이 잘못인지 사유를 적어 주세요.",
       "Sending a listing back needs a reason: say what is wrong with the price, so the seller "
       "can correct it."),
    _r("invalid_input", "reason", "reason_too_short",
       "사유를 조금 더 구체적으로 적어 주세요. 한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다(띄어쓰기와 문장부호는 세지 않습니다).",
       "Write a more specific reason: at least 4 letters or digits, or 2 Hangul syllables "
       "(spaces and punctuation do not count)."),
    _r("invalid_input", "reason", "reason_required",
       "거절할 때는 판매자가 읽을 수 있는 사유를 적어 주세요.",
       "A rejection needs a reason the seller can read."),
    _r("invalid_input", "reason", "policy_hold_needs_reason",
       "가격 정책(도서정가제 최저가, 분류별 할인 한도, 판매자 가격 한도 등)으로 보류된 변경은 승인 의견이 "
       "있어야 합니다. 판매자와 무엇을 확인했는지 적어 주세요.",
       "Approving a change a pricing policy held (the fixed-book-price floor, a category's "
       "promotion limit, the seller's price limits…) needs a reason; say what you checked with "
       "the seller."),
    _r("invalid_input", "reason", None,
       "거절할 때는 판매자가 읽을 수 있는 사유를 적어 주세요.",
       "A rejection needs a reason the seller can read."),
    _r("conflict", None, "listing_ended_since_proposal",
       "판매가 종료된 상품이라 승인할 수 없습니다. 거절해 주세요.",
       "The listing has ended, so this change cannot be approved; please reject it."),
    _r("conflict", None, "promotion_ended_since_proposal",
       "이 가격이 기대는 할인 행사가 끝나 승인할 수 없습니다. 거절해 주세요.",
       "The promotion this price leans on has ended, so it cannot be approved; please reject it."),
    _r("conflict", None, "live_price_moved",
       "제안 이후 판매가가 바뀌어 승인할 수 없습니다. 거절하고 판매자에게 다시 제안해 달라고 해 주세요.",
       "The live price moved since the proposal, so it cannot be approved; reject it and ask "
       "the seller to propose again."),
    _r("illegal_transition", None, "change_not_held",
       "이미 처리된 가격 변경입니다(지금: {status}). 아래 목록은 지금 상태입니다.",
       "This price change was already decided (now: {status}); the queue below is current.",
       {"status": "price_change"}),
    _r("forbidden", None, "own_change",
       "직접 제안한 가격 변경은 승인할 수 없습니다. 다른 검토자에게 맡기거나, 거두려면 거절해 주세요.",
       "You proposed this price change, so you cannot approve it; leave it to another "
       "reviewer, or reject it to withdraw it."),
    _r("forbidden", None, "own_held_listing",
       "직접 게시했거나 보류된 가격을 직접 입력한 상품은 판매 보류를 풀거나 돌려보낼 수 없습니다. 다른 검토자에게 맡겨 주세요.",
       "You published this listing or entered the price it is held at, so you cannot release "
       "it or send it back; leave it to another reviewer."),
    _r("conflict", None, "listing_price_moved",
       ("보고 계신 동안 가격이 바뀌어(판매자의 변경이나 승인된 변경) 보류를 풀지도 돌려보내지도 않았습니다. 지금 "
        "가격을 확인한 뒤 다시 판단해 주세요."),
       "The price changed while you were looking (the seller's change, or an approved one), "
       "so the listing was neither released nor sent back; check the new price, then decide "
       "again."),
    _r("conflict", None, "price_moved_since_seen",
       ("이 화면을 여신 뒤 가격이 바뀌어(다른 창이나 API에서의 변경, 승인된 변경, 할인 행사의 종료) 저장하지 "
        "않았습니다. 아래에서 지금 가격을 확인한 뒤 다시 저장해 주세요."),
       "The price changed after you opened this page (a change from another window or the "
       "API, an approved change, a promotion's end), so nothing was saved; check the price "
       "now, below, then save again."),
    _r("conflict", None, "pending_moved_since_seen",
       ("이 화면을 여신 뒤 검토를 기다리는 가격 변경이 새로 제안되었거나 처리되어 저장하지 않았습니다. 새 가격을 "
        "저장하면 검토를 기다리는 변경을 대체하므로, 아래에서 지금 상태를 확인한 뒤 다시 저장해 주세요."),
       "A price change waiting for review was proposed or decided after you opened this page, "
       "so nothing was saved: saving replaces the change waiting for review, so check it below, "
       "then save again."),
    _r("conflict", None, "newer_price_waiting",
       ("판매자가 그 뒤 새 가격을 제안해 검토를 기다리고 있습니다(가격 변경 #{change_id}). 지금 보류를 풀면 "
        "판매자가 바꾼 이전 가격으로 판매되므로 풀지 않았습니다. 그 변경을 먼저 승인하거나 거절해 주세요."),
       ("The seller has since proposed a new price, waiting for review (price change "
        "#{change_id}): releasing now would sell at the price they replaced, so the listing "
        "was not released. Approve or reject that change first."), needs=("change_id",)),
    _r("conflict", None, "listing_in_draft_incident",
       "주문 급증으로 멈춘 상품입니다. 운영자가 사고 초안(#{incident_id})을 선언하거나 오탐으로 종료한 뒤 다시 판매할 수 있습니다.",
       "This listing was paused by an order surge; it can go back on sale once an operator "
       "declares or dismisses draft incident #{incident_id}."),
    _r("conflict", None, "listing_at_wrong_price",
       "지금 가격이 {said_ko}입니다. 가격을 바로잡은 뒤 판매를 재개해 주세요.",
       "The listing's price is {said_en}; correct the price before putting it back on sale."),
    _r("conflict", None, "price_is_incident_wrong_price",
       "{said_ko}입니다. 이 상품은 이 가격으로 다시 정할 수 없습니다.",
       "This is {said_en}; the listing cannot be set to it again."),
    # a customer's contact details (agent's case page)
    _r("invalid_input", None, "customer_contact_required",
       "고객에게 연락할 방법이 하나는 남아 있어야 합니다. 이메일과 전화번호를 모두 지울 수는 없습니다.",
       "A customer keeps at least one way to reach them: the email and the phone number cannot "
       "both be removed."),
    _r("conflict", None, "phone_already_on_file",
       "이미 고객님의 전화번호가 있습니다. 번호를 바꾸시려면 아래 고객센터로 연락 주세요.",
       "We already have a phone number for you; to change it, please contact us below."),
    _r("conflict", None, "contact_changed_meanwhile",
       "이 화면을 연 뒤 다른 분이 이 고객의 연락처를 바꿨습니다. 지금 저장된 전화번호: {phone_now}, 이메일: "
       "{email_now}. 아무것도 저장하지 않았고 입력하신 값은 그대로 두었습니다. 고객에게 확인한 뒤 그래도 "
       "바꾸려면 다시 저장해 주세요.",
       "Someone else changed this customer's contact details after this page was opened. "
       "Stored now: phone {phone_now}, email {email_now}. Nothing was saved, and what you "
       "typed is kept below; check with the customer, and save again to change it anyway."),
    _r("conflict", None, "customer_email_taken",
       "다른 고객이 이미 이 이메일을 쓰고 있습니다. 고객에게 주소를 다시 확인해 주세요.",
       "Another customer already has this email; check the address with the customer."),
    _r("invalid_input", None, "phone_not_a_number",
       "전화드릴 수 있는 번호가 아닙니다. 국내 번호는 0으로 시작하는 9~11자리(예: 010-1234-5678, "
       "02-123-4567, 안심번호 0504-1234-5678은 12자리), 해외 번호는 +와 국가 번호로 시작하는 8~15자리(예: +1 415 555 0100)로 입력해 주세요.",
       "That is not a phone number we can call. Type a Korean number from its 0, 9 to 11 digits "
       "(like 010-1234-5678 or 02-123-4567; 12 for a 050x safe number like 0504-1234-5678), or an overseas one from + and its country code, 8 "
       "to 15 digits (like +1 415 555 0100)."),
    _r("invalid_input", None, "email_not_an_address",
       "이메일 주소 형식이 아닙니다(예: minji@example.com). 다시 확인해 주세요.",
       "That is not an email address (like minji@example.com); please check it."),
    # the agents' case lookup (/cs/cases)
    _r("invalid_input", "q", "lookup_phone_tail_digits",
       "전화번호 끝자리로 찾으려면 마지막 네 자리를 입력해 주세요(예: *6980 또는 6980). 입력한 숫자는 "
       "{digits}자리입니다.",
       "To find a phone number by its end, type its last four digits (like *6980, or just "
       "6980); {digits} digits were typed."),
    _r("invalid_input", "q", "lookup_email_domain_only",
       "이메일은 @ 앞부분부터 입력해 주세요(예: minsu.kim 또는 minsu.kim@). @ 뒤의 도메인만으로는 "
       "고객을 가려낼 수 없습니다.",
       "Type the email from its start, before the @ (like minsu.kim or minsu.kim@): many "
       "customers share a domain, so it alone finds no one."),
    # customers' choices (case page and call queue)
    _r("invalid_input", "choice", "only_cancel_replaces_discount",
       "할인된 가격으로 구매하는 대신 고를 수 있는 것은 보상을 받고 주문을 취소하는 것뿐입니다.",
       "Only cancelling with compensation can replace buying at the discounted correct price."),
    _r("invalid_input", "choice", None,
       "고를 수 있는 선택지가 아닙니다. 화면에 보이는 선택지 중에서 골라 주세요.",
       "That is not one of the options offered; please pick one of the options shown."),
    _r("invalid_input", "evidence", "consent_words_too_short",
       "고객이 한 말을 그대로 적어 주세요(글자나 숫자 2개 이상).",
       "Write down what the customer said, in their words (at least 2 letters or digits)."),
    _r("invalid_input", "evidence", "evidence_too_short",
       ("고객이 한 말을 그대로 적어 주세요. 한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다(띄어쓰기와 문장부호는 "
        "세지 않습니다)."),
       "Write down what the customer said, in their words: at least 4 letters or digits, or "
       "2 Hangul syllables (spaces and punctuation do not count)."),
    _r("invalid_input", "channel", "web_channel_is_the_customers",
       ("웹 선택은 고객이 자기 화면에서 직접 누른 것만 해당합니다. 상담원은 전화, 이메일, 문자로 받은 "
        "선택을 그 방법으로 기록해 주세요."),
       "A web choice is the customer's own click on their page; record a choice the customer "
       "made by phone, email or text under that channel."),
    _r("invalid_input", "channel", "web_consent_by_agent",
       "웹 요청은 고객이 자기 화면에서 직접 누른 것만 해당합니다. 상담원은 전화, 이메일, 문자로 받은 요청을 기록해 주세요.",
       "A web request is the customer's own click on their page; record one the customer made "
       "by phone, email or text."),
    _r("invalid_input", "channel", None,
       "알 수 없는 연락 방법입니다. 목록에 있는 방법 중에서 골라 주세요.",
       "That is not a contact channel we know; please pick one from the list."),
    _r("invalid_input", "evidence", None,
       "고객이 한 말을 그대로 적어 주세요.", "Write down what the customer said, in their words."),
    _r("illegal_transition", None, "choice_already_recorded",
       "이 건은 이미 고객님의 선택이 기록되어 있어 다른 방법을 새로 고르실 수 없습니다. 기록된 선택과 "
       "앞으로의 처리는 고객님 화면에서 보실 수 있습니다. 처리에 문제가 있으면 고객센터로 연락 주세요. "
       "말씀하신 내용은 기록해 두고, 필요하면 저희가 다시 연락드리겠습니다.",
       "Your choice is already recorded, so another one cannot be made; your page shows what was "
       "recorded and what happens next. If something is wrong, please contact us: we will note "
       "what you tell us and contact you again if anything needs following up."),
    _r("late_choice_refused", None, None,
       "답변 기한이 지나 선택을 받을 수 없습니다. 고객센터로 연락해 주세요.",
       "The deadline has passed, so this choice cannot be taken; please contact us."),
    # before the call outcome's rule: a follow-up's resolution is also an "outcome" field
    _r("invalid_input", "outcome", "follow_up_outcome_required",
       "후속 조치로 무엇을 했는지 적어 주세요. 다음에 이 건을 여는 사람이 그 내용을 봅니다.",
       "Write what was done about the follow-up: whoever opens the case next reads it."),
    _r("invalid_input", "outcome", "follow_up_outcome_too_long",
       "처리 결과는 {max_chars}자까지 적을 수 있습니다. 줄여서 다시 보내 주세요.",
       "The outcome is at most {max_chars} characters: shorten it and send it again."),
    _r("invalid_input", "outcome", None,
       "통화 결과를 목록에서 골라 주세요.", "Pick the call outcome from the list."),
    _r("invalid_input", "callback_at", "callback_time_without_request",
       "다시 전화할 시간은 통화 결과가 ‘다시 전화 요청’일 때만 적습니다. 결과를 ‘다시 전화 요청’으로 "
       "고르거나 시간을 지워 주세요.",
       "A call-back time goes with the outcome “asked us to call back”: pick that outcome, or "
       "clear the time."),
    _r("invalid_input", "callback_at", "callback_time_not_phone",
       "다시 전화할 시간은 전화 통화 기록에만 적습니다.",
       "A call-back time is logged with a phone call."),
    _r("invalid_input", "callback_at", "callback_time_no_phone",
       "이 고객은 전화번호가 없어 다시 전화할 수 없습니다. 고객이 알려 준 번호를 먼저 연락처에 저장한 뒤 시간을 "
       "적어 주세요.",
       "This customer has no phone number to call back: save the number they give in the "
       "contact details first, then the time."),
    _r("invalid_input", "callback_at", "callback_time_past",
       "다시 전화할 시간이 이미 지났습니다. 고객이 말한 날짜와 시각을 다시 확인해 주세요.",
       "That call-back time has already passed: check the date and time the customer gave."),
    _r("invalid_input", "callback_at", "callback_time_too_far",
       "다시 전화할 시간은 {max_days}일 안이어야 합니다. 날짜를 다시 확인해 주세요.",
       "A call-back time must be within {max_days} days: check the date."),
    _r("invalid_input", "callback_at", "callback_time_without_zone",
       "다시 전화할 시간에 시간대가 없습니다.",
       "The call-back time needs a time zone offset."),
    # a call note marked "follow-up needed", and its resolution (domain.note_follow_ups)
    _r("invalid_input", "note", "follow_up_needs_note",
       "후속 조치가 필요하면 메모에 무엇을 해야 하는지 적어 주세요. 다음 상담원은 그 메모만 보고 이어서 처리합니다.",
       "A follow-up needs a note saying what is to be done: the next agent has only the note "
       "to go on."),
    _r("invalid_input", "follow_up_at", "follow_up_time_past",
       "후속 조치 시간이 이미 지났습니다. 지금 처리할 일이면 시간을 비워 두세요.",
       "That follow-up time has already passed: leave it empty if it is to be done now."),
    _r("invalid_input", "follow_up_at", "follow_up_time_too_far",
       "후속 조치 시간은 {max_days}일 안이어야 합니다. 날짜를 다시 확인해 주세요.",
       "A follow-up time must be within {max_days} days: check the date."),
    _r("invalid_input", "follow_up_at", "follow_up_time_without_zone",
       "후속 조치 시간에 시간대가 없습니다.",
       "The follow-up time needs a time zone offset."),
    _r("not_found", None, "follow_up_not_found",
       "이 고객 건에는 그런 후속 조치가 없습니다. 고객 건 화면을 새로 고쳐 주세요.",
       "This case has no such follow-up: reload the case page."),
    # the time a customer picks for their call on their page (domain.call_times)
    _r("invalid_input", "call_at", "call_time_past",
       "고르신 시간이 이미 지났습니다. 목록에서 다른 시간을 골라 주세요.",
       "That time has already passed; please pick another from the list."),
    _r("invalid_input", "call_at", "call_time_too_far",
       "전화 받으실 시간은 {max_days}일 안에서 골라 주세요.",
       "Please pick a time within {max_days} days."),
    _r("invalid_input", "call_at", "call_time_closed",
       "그 시간에는 고객센터가 문을 닫아 전화드릴 수 없습니다. 목록의 운영 시간 중에서 골라 주세요.",
       "Our contact centre is closed then, so nobody could call you; please pick a time from "
       "the list."),
    _r("invalid_input", "call_at", "call_time_without_zone",
       "고르신 시간을 알아볼 수 없습니다. 목록에서 다시 골라 주세요.",
       "We could not read that time; please pick one from the list again."),
    _r("conflict", None, "call_time_not_on_call_list",
       "지금은 전화드릴 일이 없어 시간을 고르실 수 없습니다. 도움이 필요하시면 아래 고객센터로 연락 주세요.",
       "There is no call waiting for you now, so there is no time to pick; if you need "
       "anything, please contact us below."),
    _r("conflict", None, "call_time_no_phone",
       "저희에게 고객님의 전화번호가 없어 전화드릴 수 없습니다. 먼저 아래에 번호를 남겨 주세요.",
       "We have no phone number for you, so we cannot call you; please leave your number "
       "below first."),
    _r("invalid_input", None, "no_correct_price_yet",
       "아직 정상 가격이 정해지지 않았습니다. 먼저 정상 가격을 입력해 주세요.",
       "There is no correct price yet; enter the correct price first."),
    _r("invalid_input", None, "no_plan_yet",
       "아직 해결 방안이 없습니다. 먼저 방안을 저장해 주세요.", "There is no plan yet; save a plan first."),
    _r("not_found", None, "case_not_ready",
       "이 건은 아직 준비 중입니다. 잠시 후 다시 열어 주세요.",
       "This case is not ready yet; please open it again a little later."),
    # declaring an incident
    _r("invalid_input", "listing_ids", None,
       "사고에는 상품 번호가 하나 이상 있어야 합니다.", "An incident needs at least one listing id."),
    _r("invalid_input", "cause", "cause_too_long",
       "원인 설명이 {chars}자로 너무 깁니다. {max_chars}자까지 쓸 수 있습니다.",
       "The cause is {chars} characters long; it takes at most {max_chars}."),
    _r("invalid_input", "cause", None,
       "무슨 일이 있었는지 원인을 적어 주세요.", "Say what happened (the cause), in words."),
    _r("invalid_input", "window_start", "window_start_future",
       "잘못된 가격이 나가기 시작한 시각은 미래일 수 없습니다.",
       "The time the wrong price went live cannot be in the future."),
    _r("invalid_input", "window_end", None,
       "잘못된 가격이 나가기 시작한 시각은 지금보다 앞서야 합니다.",
       "The time the wrong price went live must be before now."),
    _r("invalid_input", "wrong_price", "currency_mismatch",
       "상품 {listing_id}번은 잘못 표시된 가격과 다른 통화로 팔리고 있습니다. 한 사고에는 같은 통화의 상품만 "
       "묶을 수 있습니다.",
       "Listing {listing_id} is priced in another currency than the wrong price; one incident "
       "takes listings in one currency."),
    _r("invalid_input", "wrong_price", "wrong_price_never_listed",
       "상품 {listings}번은 {window_from}부터 {window_to}까지 가격이 {wrong_ko}인 적이 없습니다(그동안의 가격: "
       "{seen_ko}). 잘못된 가격이었던 상품만 사고에 넣을 수 있습니다. 상품 번호, 잘못 표시된 가격, 시작 시각을 확인해 "
       "주세요.",
       "Listing {listings} never had the price {wrong_en} from {window_from} to {window_to} "
       "(its prices then: {seen_en}); only listings that were at the wrong price go into an "
       "incident. Check the listing ids, the wrong price and the start time."),
    _r("invalid_input", "wrong_price", None,
       "잘못 표시된 가격은 0원보다 크고 정상 가격보다 낮아야 합니다. 이 화면은 너무 낮게 표시된 가격을 다룹니다.",
       "The wrong price must be above zero and below the correct price; this desk handles "
       "prices shown too low."),
    _r("invalid_input", "correct_price", "correct_price_implausible",
       "입력한 정상 가격({correct_ko})이 잘못된 가격 전에 상품이 팔리던 가격 가운데 가장 낮은 {lowest_ko}의 "
       "{factor}분의 1보다 낮습니다(참고한 가격: {seen_ko}). 0을 빠뜨리지 않았는지 정상 가격을 확인해 주세요. 아무 상품도 "
       "판매 중지하지 않았습니다. 확인해 보니 맞다면 정상 가격 칸 아래에 확인했다고 표시하고 다시 선언해 주세요.",
       "The correct price entered ({correct_en}) is less than 1/{factor} of {lowest_en}, the "
       "lowest price the listings sold at before the wrong price (checked: {seen_en}). Check the correct price (a zero left out?); no listing was "
       "paused. If it is right, tick that you checked it under the correct price and declare "
       "again.", needs=("lowest_ko",)),
    _r("invalid_input", "correct_price", "correct_price_implausible",
       "입력한 정상 가격({correct_ko})이 잘못된 가격 전에 상품이 팔리던 가격과 정가 가운데 가장 높은 {highest_ko}의 "
       "{factor}배를 넘습니다(참고한 가격: {seen_ko}). 0을 더 넣지 않았는지 정상 가격을 확인해 주세요. 아무 상품도 "
       "판매 중지하지 않았습니다. 확인해 보니 맞다면(묶음 상품의 가격 등) 정상 가격 칸 아래에 확인했다고 표시하고 다시 선언해 주세요.",
       "The correct price entered ({correct_en}) is more than {factor} times {highest_en}, the "
       "highest of the listings' prices before the wrong price and their list prices "
       "(checked: {seen_en}). Check the correct price (a zero too many?); no listing was "
       "paused. If it is right (a pack's price, say), tick that you checked it under the "
       "correct price and declare again."),
    _r("invalid_input", "correct_price", None,
       "정상 가격을 확인해 주세요.", "Please check the correct price."),
    _r("invalid_input", "responsible", None,
       "책임을 목록에서 골라 주세요.", "Pick who is responsible from the list."),
    _r("silent_cancellation_refused", None, None,
       "답하지 않은 고객의 주문을 취소하는 기본값은 쓸 수 없습니다. '주문 유지'나 '상담원 전화'를 골라 주세요.",
       "A default that cancels the orders of customers who do not answer is refused; choose "
       "'keep the order' or 'follow-up call'."),
    _r("invalid_input", "default", None,
       "미응답 시 처리를 목록에서 골라 주세요.", "Pick what happens if there is no answer."),
    # a plan selling a book below its fixed price (domain/book_price.py)
    _r("book_price_law_refused", "default", "book_keep_default_below_floor",
       _BOOK_FLOOR_KO + " '주문 유지'는 결제된 {price_ko}에 파는 것이라, 답하지 않은 고객의 주문이 이 "
       "가격에 팔리게 됩니다. 미응답 시 처리를 '상담원 전화'로 정하고, '주문 유지' 대신 보상과 함께 "
       "주문 취소를 선택지로 드려 주세요.",
       _BOOK_FLOOR_EN + " Keeping the order sells it at the {price_en} paid, so customers who do "
       "not answer would buy it at that price: make the default a follow-up call, and offer "
       "cancellation with compensation instead of keeping the order."),
    _r("book_price_law_refused", "options", "book_keep_below_floor",
       _BOOK_FLOOR_KO + " '주문 유지'는 결제된 {price_ko}에 파는 것입니다. '주문 유지'를 빼고 보상과 "
       "함께 주문 취소를 선택지로 드려 주세요.",
       _BOOK_FLOOR_EN + " Keeping the order sells it at the {price_en} paid: do not offer it; "
       "offer cancellation with compensation instead."),
    _r("book_price_law_refused", "discount_pct", "book_discount_below_floor",
       _BOOK_FLOOR_KO + " 이 할인율로는 1개당 {price_ko}에 팔게 됩니다. 할인율을 {max_discount_pct}% "
       "이하로 낮추거나, 할인 구매 대신 보상과 함께 주문 취소를 선택지로 드려 주세요.",
       _BOOK_FLOOR_EN + " This discount sells it at {price_en} each: offer at most "
       "{max_discount_pct}% off, or offer cancellation with compensation instead.",
       needs=("max_discount_pct",)),
    _r("book_price_law_refused", "discount_pct", "book_discount_below_floor",
       _BOOK_FLOOR_KO + " 이 할인율로는 1개당 {price_ko}에 팔게 되고, 올바른 가격이 이미 최저가에 가까워 "
       "1% 할인도 할 수 없습니다. 할인 구매를 빼고 보상과 함께 주문 취소를 선택지로 드려 주세요.",
       _BOOK_FLOOR_EN + " This discount sells it at {price_en} each, and even 1% off the "
       "correct price would go below the floor: do not offer the discount; offer cancellation "
       "with compensation instead."),
    # notices
    _r("message_refused", None, None,
       "메시지 검사에서 고쳐야 할 점이 있어 게시하지 않았습니다. 검사 결과를 확인해 주세요.",
       "The message check found problems, so the notice was not published; see the findings."),
    _r("invalid_input", "title", "notice_title_too_long",
       "공지 제목이 {chars}자로 너무 깁니다. 제목은 {max_chars}자까지 쓸 수 있으니 나머지는 본문에 적어 주세요.",
       "The notice title is {chars} characters long; a title takes at most {max_chars}, so put "
       "the rest in the body."),
    _r("invalid_input", "body", None,
       "제목과 본문을 모두 입력해 주세요.", "Enter both a title and a body."),
    _r("invalid_input", None, "public_links_unreachable",
       "고객에게 보낼 링크 주소({links_to})에서 sagwa가 응답하지 않아 아무 메시지도 보내지 않았습니다. 앱을 그 주소에서 "
       "실행하거나 SAGWA_PUBLIC_BASE_URL에 고객이 여는 주소를 설정한 뒤 다시 보내 주세요.",
       "Customers' links would point to {links_to}, where no sagwa server answers, so nothing "
       "was queued; serve the app there, or set SAGWA_PUBLIC_BASE_URL to the address customers "
       "open, and notify again."),
    _r("invalid_input", None, "incident_draft",
       "아직 초안인 사고입니다. 먼저 사고를 선언해 주세요.",
       "This incident is still a draft; declare it first."),
    _r("invalid_input", None, "incident_dismissed",
       "오탐으로 종료된 사고입니다. 선언되지 않고 종료되었으므로 공지를 게시하지 않습니다.",
       "This incident was dismissed as a false alarm: it was closed without being declared, "
       "so it has no public notice."),
    _r("invalid_input", None, "incident_not_declared",
       "아직 선언되지 않은 사고입니다. 먼저 사고를 선언해 주세요.",
       "This incident is not declared yet; declare it first."),
    _r("invalid_input", None, "deadline_not_passed",
       "답변 기한({deadline_korea}, 한국 시간)이 아직 지나지 않았습니다. 기본 처리는 기한이 지난 뒤에 적용합니다.",
       "The answer deadline ({deadline_korea} Korea time) has not passed yet; the default is "
       "applied only after it."),
    # steps out of order
    _r("illegal_transition", None, "incident_status",
       ("이 사고의 사과 안내는 이미 예약되어 있습니다. 고객 {apologies_queued}명에게 {apologies_due_at}"
        "(한국 시간)에 보냅니다. 지금까지 안내가 전해진 고객은 {apologies_told}명입니다."),
       ("This incident's apologies are queued already: to {apologies_queued} customer(s), going "
        "out {apologies_due_at} ({apologies_told} told so far)."),
       {"apologies_due_at": "moment"}, needs=("apologies_queued", "apologies_due_at")),
    _r("illegal_transition", None, "incident_status",
       "사고가 지금 '{status}' 상태라서 이 단계를 할 수 없습니다. {hint}",
       "The incident is now '{status}', so this step cannot be done. {hint}",
       {"status": "incident", "hint": "incident_hint"}),
    _r("illegal_transition", None, "case_status",
       "이 건은 지금 '{status}' 상태라서 할 수 없습니다.",
       "This case is now '{status}', so this cannot be done.", {"status": "case"}),
    _r("illegal_transition", None, "order_status",
       "주문이 지금 '{status}' 상태라서 할 수 없습니다.",
       "The order is now '{status}', so this cannot be done.", {"status": "order"}),
    _r("illegal_transition", None, "case_not_defaulted",
       "기한까지 답이 없던 건에만 기본 처리를 적용할 수 있습니다. 이 건의 상태를 다시 확인해 주세요.",
       "The default applies only to a case nobody answered by the deadline; please check this "
       "case's status."),
    _r("illegal_transition", None, "choice_needs_consent",
       "고객의 선택은 동의 기록(고객이 말한 내용)과 함께 저장해야 합니다.",
       "A customer's choice is saved only with their consent (what they said)."),
    _r("illegal_transition", None, "sale_action_outdated",
       "이 페이지를 연 뒤 상품 상태가 바뀌어 아무것도 바꾸지 않았습니다. 지금 상태는 '{status}'입니다. "
       "아래에서 지금 상태에 맞게 다시 해 주세요.",
       "The listing's status changed after this page was opened, so nothing was changed. It is "
       "'{status}' now; please act on its status below.", {"status": "listing"}),
    _r("illegal_transition", None, "listing_status",
       "상품이 지금 '{status}' 상태라서 할 수 없습니다.",
       "The listing is now '{status}', so this cannot be done.", {"status": "listing"}),
    _r("conflict", None, "stored_data_conflict",
       "이미 저장된 내용과 충돌해 저장하지 못했습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
       "This conflicts with data already saved, so nothing was saved; reload the page and try "
       "again."),
    _r("conflict", None, "incident_not_closed",
       "사고가 아직 끝나지 않아(지금: '{status}') 가격 차단을 좁힐 수 없습니다. 고객 처리가 모두 끝나고 사고를 "
       "닫은 뒤에 하실 수 있습니다.",
       "The incident is not closed yet (now '{status}'), so its price block cannot be narrowed; "
       "close it once its customers are settled.", {"status": "incident"}),
    _r("conflict", None, "block_is_band_only",
       "이 사고의 가격 차단은 이미 잘못된 가격 근처의 범위뿐이라 더 좁힐 것이 없습니다. 이 범위는 계속 "
       "막힙니다.",
       "This incident's price block is only the band around its wrong price already; there is "
       "nothing past it to lift, and the band stays."),
    _r("conflict", None, "unanswered_cases",
       "아직 답하지 않은 고객이 있어 끝낼 수 없습니다.",
       "Some customers have not answered yet, so this cannot be closed."),
    _r("conflict", None, "deadline_too_close",
       "답변 기한({deadline}, 한국 시간)이 이미 지났습니다. 방안에서 기한을 늦춘 뒤 다시 안내해 주세요.",
       "The deadline ({deadline}) has passed already; set a later deadline in the plan, then "
       "notify.", {"deadline": "moment"}, needs=("deadline", "deadline_passed")),
    _r("conflict", None, "deadline_too_close",
       ("답변 기한({deadline}, 한국 시간)이 너무 가깝습니다. 사과 안내는 빨라야 {earliest_send_at}에 고객에게 "
        "닿고, 그때부터 기한까지 고객센터 운영 시간이 {contact_hours_left}시간뿐입니다. 고객이 답하려면 "
        "{min_answer_hours}시간 이상이 필요합니다. 방안에서 기한을 늦춘 뒤 다시 안내해 주세요."),
       ("The deadline ({deadline}) is too close: the apology would reach customers on "
        "{earliest_send_at} at the earliest, leaving {contact_hours_left} h of contact-centre "
        "hours before it, and customers need at least {min_answer_hours} h. Set a later "
        "deadline in the plan, then notify."),
       {"deadline": "moment", "earliest_send_at": "moment"},
       needs=("deadline", "earliest_send_at", "contact_hours_left", "min_answer_hours")),
    _r("conflict", None, "deadline_too_close",
       "답변 기한이 너무 가까워 고객이 답할 시간이 부족합니다. 방안에서 기한을 늦춘 뒤 다시 안내해 주세요.",
       "The deadline is too close for customers to answer; set a later deadline in the plan, "
       "then notify."),
    _r("conflict", None, "incident_closed",
       "이 건의 처리는 이미 끝났습니다. 더 도움이 필요하시면 고객센터로 연락해 주세요.",
       "This matter has already been closed; please contact our customer centre if you need "
       "more help."),
    _r("conflict", None, "calls_owed",
       "상담원 전화를 기다리는 고객이 있어 끝낼 수 없습니다. 고객과 통화하거나 정해진 통화 시도를 마친 뒤 끝내 주세요.",
       "Some customers are still owed a call, so this cannot be closed; reach them, or make "
       "the call attempts the policy asks for, first."),
    _r("conflict", None, "plan_has_choices",
       "이미 이 방안에 답한 고객(선택 또는 상담 요청)이 있어 조건을 바꿀 수 없습니다. 그 고객에게 안내한 조건이 그대로 지켜져야 합니다. 답변 기한만 늦출 수 있습니다.",
       "A customer has already answered under this plan (chosen, or asked for a person), so "
       "its terms can no longer change: the terms they were given must stand. Only its "
       "deadline can move later."),
    _r("conflict", "deadline", "deadline_only_later",
       "이미 이 방안에 답한 고객이 있어 답변 기한은 지금보다 늦출 수만 있습니다. 지금 기한보다 늦은 때를 입력해 주세요.",
       "A customer has already answered under this plan, so its deadline can only move later: "
       "enter a time after the current deadline."),
    _r("conflict", None, "plan_changed",
       "이 화면을 연 뒤 다른 해결 방안이 저장되어, 입력하신 방안은 저장하지 않았습니다. 지금 저장된 방안을 확인하고, 바꿔야 하면 다시 저장해 주세요.",
       "Another plan was saved after you opened this page, so yours was not saved. Check the "
       "plan saved now, and save again if it should change."),
    _r("conflict", None, "notice_changed",
       "이 편집기를 연 뒤 다른 담당자가 공지 제{version}판을 게시해, 입력하신 내용은 게시하지 않았습니다. 게시된 판을 읽고 다시 게시해 주세요.",
       "Another operator published version {version} of the notice after this editor was "
       "opened, so yours was not published: read that version, then publish again.",
       needs=("version",)),
    _r("invalid_input", None, "notice_version_unknown",
       "이 편집기가 연 공지 판은 게시된 적이 없습니다(지금 최신은 제{version}판). 화면을 새로 고쳐 게시된 판을 읽고 다시 게시해 주세요.",
       "The notice version this editor was opened against was never published (the latest is "
       "version {version}): reload the page, read the published version, then publish again.",
       needs=("version",)),
    _r("conflict", None, "no_difference_owed",
       "이 고객은 결제할 차액이 없습니다. 정상가에서 할인된 가격으로 구매를 골라 주문 금액이 올라간 고객만 차액 결제를 기록할 수 있습니다.",
       "This customer owes no difference: only a customer who chose to buy at the discounted "
       "correct price, and whose order total went up, has a difference to record as paid."),
    _r("illegal_transition", None, "not_a_discount_choice",
       "이 건은 정상가에서 할인된 가격으로 구매를 골라 마무리된 건이 아니어서, 차액 대신 취소할 것이 없습니다.",
       "This case was not settled by buying at the discounted correct price, so there is no "
       "difference to cancel instead of paying."),
    _r("conflict", None, "cancelled_instead",
       "고객이 차액을 내는 대신 주문 취소를 택해 주문이 취소·환불되었습니다. 그 뒤에 받은 차액은 돌려드려야 합니다.",
       "The customer chose to cancel instead of paying the difference: the order is cancelled "
       "and refunded, so a payment taken since must be given back."),
    _r("conflict", None, "difference_already_paid",
       "차액이 이미 결제되어 상품을 보내 드립니다. 지금 취소하시려면 반품이므로 고객센터로 연락해 주세요.",
       "The difference has already been paid and the items are being sent; cancelling now is "
       "a return: please contact the customer centre."),
    _r("invalid_input", "note", "payment_note_required",
       "차액을 어떻게 받았는지 적어 주세요(영수증 번호, 이체 내역, 결제를 받은 사람).",
       "Say how the difference was paid: a receipt number, a transfer's reference, or who "
       "took the payment."),
    _r("invalid_input", "note", "payment_note_too_short",
       "결제 메모가 너무 짧습니다. 나중에 확인할 수 있게 결제 방법이나 영수증·이체 번호를 적어 주세요(예: 현금, 이체, "
       "ATM, 영수증 1234). 영문·숫자는 3자, 한글은 2자 이상이어야 합니다(띄어쓰기와 문장부호는 세지 않습니다).",
       "The payment note says too little: say how it was paid or give a receipt or transfer "
       "number, so it can be checked later (like cash, transfer, ATM, receipt 1234): at least "
       "3 letters or digits, or 2 Hangul syllables (spaces and punctuation do not count)."),
    _r("invalid_input", "note", "payment_note_too_long",
       "결제 메모는 500자까지 적을 수 있습니다.",
       "The payment note is at most 500 characters."),
    _r("invalid_input", None, "window_before_listing",
       "시작 시각이 상품 {listing_id}번이 등록되기({created_at}) 전입니다. 잘못된 가격으로 판매가 시작된 시각을 넣어 주세요.",
       "The window starts before listing {listing_id} existed (created {created_at}); enter "
       "when the wrong price went on sale."),
    _r("invalid_input", None, "number_too_large",
       "숫자가 너무 커서 저장할 수 없습니다. 번호나 금액을 확인해 주세요.",
       "A number is too large to be stored; check the number or amount."),
    _r("invalid_input", None, "moment_out_of_range",
       "시각은 1970년부터 2199년 사이로 입력해 주세요.",
       "Enter a time from 1970 to 2199."),
    _r("invalid_input", None, "time_out_of_range",
       "시각이 허용 범위(1년~9999년)를 벗어났습니다.",
       "A time is out of range (years 1 to 9999)."),
    _r("invalid_input", None, "text_not_storable",
       "글에 저장할 수 없는 문자(NUL)가 들어 있습니다. 그 문자를 지우고 다시 보내 주세요.",
       "The text contains a character that cannot be stored (NUL); remove it and send again."),
    _r("invalid_input", None, "text_control_character",
       "이 칸에는 {character} 문자를 쓸 수 없습니다. 줄바꿈이나 탭 같은 제어 문자와 글자 방향을 바꾸는 "
       "보이지 않는 문자를 빼고, 보이는 그대로 입력해 주세요.",
       "This field cannot contain the character {character}: leave out line breaks, tabs and "
       "other control characters, and invisible characters that change the direction of text; "
       "type it as it should read."),
    _r("invalid_input", None, "value_not_storable",
       "입력한 값을 저장할 수 없습니다. 값을 확인해 주세요.",
       "A value cannot be stored; please check what you entered."),
    _r("conflict", None, "notice_not_published",
       "아직 공지를 올리지 않아 끝낼 수 없습니다. 고객에게 알린 내용을 공지로도 올린 뒤 끝내 주세요.",
       "No public notice has been published yet, so this cannot be closed; publish the notice "
       "first."),
    _r("conflict", None, "notice_language_missing",
       "공지를 한국어와 고객들이 읽는 모든 언어로 올려야 끝낼 수 있습니다. 아직 없는 언어: {languages}.",
       "The notice must be published in Korean and in every language its customers read before "
       "closing; still missing: {languages}.", {"languages": "language"}),
    _r("conflict", None, "window_overlaps_incident",
       "상품 {listing_id}번은 이미 사고 #{incident_id}에 들어 있고 그 기간이 이 기간과 겹칩니다. 한 주문에 두 "
       "가지 답이 가지 않도록 기간을 그 사고 뒤로 잡거나, 그 사고가 초안이면 그 상품은 그 초안으로 따로 선언하고 "
       "여기서는 빼 주세요. 초안을 오탐으로 닫으면 그 가격을 정상으로 인정하게 되니, 실제 실수였다면 닫지 마세요.",
       "Listing {listing_id} is already in incident #{incident_id}, whose window overlaps this "
       "one; so that no order gets two answers, start this window after that one's, or, if it "
       "is a draft, declare that draft for the listing and leave the listing out of this one. "
       "Dismissing a draft as a false alarm vouches for its price: don't, if it was a real "
       "mistake."),
    # access
    _r("forbidden", None, "form_expired",
       "양식이 만료되었거나 이 사이트에서 보낸 것이 아닙니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
       "This form has expired or did not come from our site; reload the page and try again."),
    _r("forbidden", None, "only_seller_withdraws",
       "보류된 가격 변경은 그 상품의 판매자만 철회할 수 있습니다. 심사자는 판매자가 읽을 사유와 함께 반려해 주세요.",
       "Only the listing's seller can withdraw a held price change; a reviewer rejects it, "
       "with a reason the seller can read."),
    _r("forbidden", None, "role_not_allowed",
       "이 계정으로는 열 수 없는 페이지입니다.", "Your account cannot open this page."),
    _r("forbidden", None, "link_expired",
       "링크의 유효 기간이 지났습니다. 고객센터로 연락해 원하시는 방법을 알려 주세요.",
       "This link has expired; please contact us to make your choice."),
    _r("forbidden", None, "link_invalid",
       "올바른 링크가 아닙니다. 받으신 메시지의 링크를 다시 눌러 주세요.",
       "This link is not valid; please open the link in your message again."),
    _r("login_required", None, None, "로그인해 주세요.", "Please log in."),
    _r("not_found", "listing", None,
       "찾을 수 없는 상품입니다 (#{id}).", "Listing #{id} was not found."),
    _r("not_found", None, None,
       "찾을 수 없습니다. 주소를 다시 확인해 주세요.", "Not found; please check the address."),
    # idempotency keys and orders (API)
    _r("invalid_input", None, "idempotency_key_missing",
       "무언가를 새로 만드는 요청에는 'Idempotency-Key' 헤더가 있어야 합니다 (예: UUID 같은 고유한 문자열, "
       "다시 보낼 때는 같은 값).",
       "A request that creates something needs an 'Idempotency-Key' header (any unique string, "
       "such as a UUID; a retry sends the same one)."),
    _r("invalid_input", None, "idempotency_key_too_long",
       "'Idempotency-Key'는 200자 이하여야 합니다.",
       "The 'Idempotency-Key' must be at most 200 characters."),
    _r("invalid_input", None, "idempotency_key_blank",
       "'Idempotency-Key'가 빈 값으로 왔습니다. 이 요청에는 선택 사항이니 키(1~200자)를 보내거나 헤더를 빼 주세요.",
       "The 'Idempotency-Key' header was blank; it is optional here: send a key (1 to 200 "
       "characters) or leave the header out."),
    _r("invalid_input", None, "idempotency_key_not_ascii",
       "'Idempotency-Key'에는 영문자, 숫자, 문장 부호만 쓸 수 있습니다(예: UUID).",
       "The 'Idempotency-Key' takes printable ASCII only (letters, digits and punctuation, "
       "e.g. a UUID)."),
    _r("idempotency_key_reused", None, "idempotency_request_differs",
       "이 'Idempotency-Key'는 이미 다른 내용의 요청에 쓰였습니다. 새 요청에는 새 키를 쓰고, 다시 보낼 때는 처음 "
       "요청을 그대로 보내 주세요.",
       "This 'Idempotency-Key' was already used for a different request; use a new key for a "
       "new request, and repeat the first request exactly when retrying."),
    _r("invalid_input", "quantity", "quantity_out_of_range",
       "수량은 1개부터 {max}개까지 주문할 수 있습니다.",
       "The quantity must be from 1 to {max}."),
    _r("invalid_input", "from", "ledger_dates_reversed",
       "시작일({since})이 종료일({until})보다 늦습니다. 날짜를 바꿔 넣어 주세요.",
       "The first day ({since}) is after the last day ({until}): swap the dates."),
    _r("database_unavailable", None, "database_unreachable",
       "지금은 데이터베이스에 연결할 수 없어 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.",
       "The database cannot be reached just now, so nothing was done; try again in a moment."),
)

#: The incident plan's problems: field (a key of ``details["problems"]``) and its sub-code
#: (``details["problem_reasons"][field]``) -> a sentence.
PLAN_RULES: tuple[Rule, ...] = (
    _r("plan", "options", "unknown_option", "선택지를 목록에서 골라 주세요.",
       "Pick the options from the list."),
    _r("plan", "options", None, "고객에게 드릴 선택지를 두 개 이상 골라 주세요.",
       "Offer at least two different options."),
    _r("plan", "default", "default_not_offered",
       "'주문 유지'를 선택지로 드리지 않으면 미응답 시 처리도 '주문 유지'로 정할 수 없습니다. 답하지 않은 고객이 "
       "잘못된 가격 그대로 주문을 유지해, 답한 고객보다 나은 조건을 받게 됩니다. '주문 유지'를 선택지에 넣거나 "
       "미응답 시 처리를 '상담원 전화'로 골라 주세요.",
       "'Keep the order' cannot be the default when it is not offered: customers who do not "
       "answer would keep their order at the wrong price, a better deal than those who answer "
       "get. Offer 'keep the order' too, or make the default 'follow-up call'."),
    _r("plan", "cancel_compensation", "terms_missing",
       "주문 취소를 선택지로 드리면 보상 포인트를 입력해야 합니다.",
       "Offering a cancellation needs the compensation points."),
    _r("plan", "cancel_compensation", "above_ledger_limit",
       "취소 보상 포인트가 한 번에 지급할 수 있는 한도를 넘습니다. 포인트를 줄여 주세요.",
       "The compensation is more points than can be paid at once; offer fewer points."),
    _r("plan", "cancel_compensation", None, "취소 보상 포인트를 확인해 주세요 (0 이상, 주문 취소를 선택지로 드릴 때만).",
       "Check the compensation points (0 or more, only when a cancellation is offered)."),
    _r("plan", "discount_pct", "terms_missing",
       "할인 구매를 선택지로 드리면 할인율을 입력해야 합니다.",
       "Offering a discounted purchase needs the discount percent."),
    _r("plan", "discount_pct", "zero_discount",
       "0% 할인은 할인이 아닙니다. 할인율을 1% 이상으로 정하거나, 할인 구매를 선택지에서 빼 주세요.",
       "A 0% discount is no discount: offer at least 1% off, or do not offer the discounted "
       "purchase."),
    _r("plan", "discount_pct", None, "할인율은 1에서 99 사이의 정수로, 할인 구매를 드릴 때만 입력해 주세요.",
       "The discount is a whole percent from 1 to 99, given only with the discount option."),
    _r("plan", "keep_max_units", None, "최대 수량은 1 이상이며, '주문 유지'를 드릴 때만 입력해 주세요.",
       "The maximum units is at least 1, and only with the 'keep the order' option."),
    _r("plan", "seller_share_pct", "share_against_responsibility",
       "이 사고는 플랫폼 책임으로 선언되어 판매자 부담은 0%여야 합니다. 판매자도 책임을 나눈다면 책임을 "
       "'판매자와 플랫폼'으로 선언해 주세요.",
       "The incident names the platform responsible, so the seller's share must be 0%. If the "
       "seller shares the responsibility, declare it as 'seller and platform'."),
    _r("plan", "seller_share_pct", None, "판매자 부담은 0에서 100 사이의 정수로 입력해 주세요.",
       "The seller's share is a whole percent from 0 to 100."),
    _r("plan", "platform_share_pct", "shares_not_100", "판매자와 플랫폼 부담의 합이 100이 되어야 합니다.",
       "The seller's and the platform's shares must add up to 100."),
    _r("plan", "platform_share_pct", None, "플랫폼 부담은 0에서 100 사이의 정수로 입력해 주세요.",
       "The platform's share is a whole percent from 0 to 100."),
    _r("plan", "deadline", "deadline_not_after_now", "답변 기한은 지금 이후여야 합니다.",
       "The deadline must be after now."),
    _r("plan", "deadline", "deadline_too_far",
       "답변 기한은 지금부터 {max_deadline_days}일 안으로 정해 주세요. 고객이 답할 때까지 결제된 주문은 "
       "발송도 환불도 되지 않아, 데스크 정책([sla] max_deadline_days)이 기한을 이만큼으로 제한합니다.",
       "The deadline must be at most {max_deadline_days} days from now: until customers answer, "
       "their paid orders are neither shipped nor refunded, so the desk policy "
       "([sla] max_deadline_days) limits it.", needs=("max_deadline_days",)),
    _r("plan", "deadline", "deadline_too_far",
       "답변 기한이 너무 멉니다. 데스크 정책([sla] max_deadline_days)이 정한 날수 안으로 정해 주세요.",
       "The deadline is too far ahead: set it within the days the desk policy "
       "([sla] max_deadline_days) allows."),
    _r("plan", "deadline", "deadline_outside_contact_hours",
       "답변 기한이 고객센터가 문을 닫은 시간(밤, 주말, 공휴일)입니다. 기한 직전까지 고객이 상담원과 통화할 수 "
       "있도록 운영 시간 안으로 정해 주세요(예: 운영일의 마감 시각).",
       "The deadline falls when the contact centre is closed (night, weekend or public "
       "holiday); set it within its hours, e.g. at closing time on an open day, so customers "
       "can reach a person until the end."),
    _r("plan", "deadline", None,
       "답변 기한까지 상담 가능 시간이 너무 짧습니다. 고객이 상담원과 통화할 수 있도록 기한을 늦춰 주세요.",
       "The deadline leaves too few contact-centre hours for customers to reach a person; "
       "set it later."),
)

#: Form fields, as a sentence about a missing or too long value names them.
FIELDS: dict[str, tuple[str, str]] = {
    "new_price": ("새 가격", "the new price"), "reason": ("사유", "the reason"),
    "outcome": ("통화 결과", "the call outcome"), "note": ("메모", "the note"),
    "callback_at": ("다시 전화할 시간", "the call-back time"),
    "choice": ("고객의 선택", "the customer's choice"),
    "words": ("고객이 한 말", "what the customer said"), "title": ("제목", "the title"),
    "body": ("본문", "the body"), "listing_ids": ("상품 번호", "the listing ids"),
    "wrong_price": ("잘못 표시된 가격", "the wrong price"),
    "correct_price": ("정상 가격", "the correct price"),
    "window_start": ("시작 시각", "the start time"), "cause": ("원인", "the cause"),
    "responsible": ("책임", "who is responsible"), "deadline": ("답변 기한", "the deadline"),
    "options": ("선택지", "the options"), "username": ("아이디", "the username"),
    "cancel_compensation": ("취소 보상 포인트", "the compensation points"),
    "discount_pct": ("할인율", "the discount percent"),
    "keep_max_units": ("최대 수량", "the maximum units"),
    "seller_share_pct": ("판매자 부담", "the seller's share"),
    "platform_share_pct": ("플랫폼 부담", "the platform's share"),
    "password": ("비밀번호", "the password"),
    "phone": ("전화번호", "the phone number"), "email": ("이메일", "the email"),
    # the seller's page: a mistyped address or an overlong promotion field named as people say
    # them ("Please check listing_id." and "Promotion_pct is too long." before)
    "listing_id": ("상품 번호", "the listing number"),
    "promotion_pct": ("할인율", "the promotion percent"),
    "promotion_starts": ("할인 시작 시각", "the promotion start"),
    "promotion_ends": ("할인 종료 시각", "the promotion end"),
    "action": ("판매 동작", "the sale action"),
    "case_id": ("건 번호", "the case number"), "incident_id": ("사고 번호", "the incident number"),
    "change_id": ("가격 변경 번호", "the price change number"),
}
