"""A customer's erasure request that a law or an open matter refused for now: remembered, and
carried out as soon as every hold lifts; what staff tell the customer meanwhile.

개인정보 보호법 제36조 lets a customer ask for their data to be deleted, except where another
law keeps it (then 제21조 제3항: kept apart, used for that law's purpose only). 시행령 제43조
wants the refusal told to the customer within 10 days, with the reasons and how to object.
sagwa records the request (``services/customer_erasure.py``), marks the customer on the staff
pages while it waits (:func:`mark_words`), and :func:`answer_words` is the letter staff send;
a request carried out is told too (:func:`done_words`). Pure: the clock and the holds are
passed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sagwa.domain.moments import SEOUL
from sagwa.domain.retention import Hold, Kept
from sagwa.errors import InvalidInput

#: 개인정보 보호법 시행령 제43조 제3항: the refusal is told within 10 days of the request.
ANSWER_DAYS = 10
#: Where a customer may object or complain beside the privacy officer.
OBJECT_TO_KO = ("개인정보침해 신고센터(국번 없이 118, privacy.kisa.or.kr) 또는 "
                "개인정보분쟁조정위원회(1833-6972, www.kopico.go.kr)")
OBJECT_TO_EN = ("the Personal Information Infringement Report Center (118, "
                "privacy.kisa.or.kr) or the Personal Information Dispute Mediation Committee "
                "(1833-6972, www.kopico.go.kr)")


@dataclass(frozen=True)
class ErasureRequest:
    """A customer's request waiting for its holds to lift (``done_at`` None), or carried out.
    ``erase_from``: when every hold known at the last check ends; None while an open matter
    keeps the data (its end unknown)."""

    request_id: int
    customer_id: int
    requested_at: datetime
    requested_by: str
    holds: tuple[Hold, ...]
    erase_from: datetime | None
    done_at: datetime | None = None


def erase_from(kept: Sequence[Hold]) -> datetime | None:
    """When the data may go, as far as ``kept`` says: the end of the latest hold; None while
    an open matter (a hold with no end) is among them."""
    if any(h.until is None for h in kept):
        return None
    return max((h.until for h in kept if h.until is not None), default=None)


def day_of(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


def kept_until_day(start: datetime) -> date:
    """The last day the data is kept (Korea time): the day before it may be erased."""
    return day_of(start) - timedelta(days=1)


def answer_by(asked_at: datetime) -> date:
    """The last day to tell the customer (시행령 제43조: within 10 days)."""
    return day_of(asked_at) + timedelta(days=ANSWER_DAYS)


def answer_overdue(asked_at: datetime, now: datetime) -> bool:
    """Whether the day to tell the customer has passed (a request entered late)."""
    return answer_by(asked_at) < day_of(now)


def asked_at_of(day: date | None, now: datetime) -> datetime:
    """When the customer asked: ``day`` (Korea time), for a request received by letter, phone
    or email before staff enter it — the ten days to answer count from it — its first moment;
    ``now`` when none is given or it is today. InvalidInput ``asked_on_in_future`` for a day
    after today."""
    today = day_of(now)
    if day is None or day == today:
        return now
    if day > today:
        raise InvalidInput(f"--asked-on {day}은(는) 오늘({today}) 이후입니다: 고객이 요청한 날을 "
                           f"넣어 주세요. --asked-on {day} is after today ({today}, Korea time): "
                           "give the day the customer asked", field="asked_on",
                           reason="asked_on_in_future", today=today.isoformat())
    return datetime.combine(day, time.min, SEOUL)


def when_words(start: datetime | None) -> tuple[str, str]:
    """When the request will be carried out, (Korean, English)."""
    if start is None:
        return ("처리 중인 일이 끝나고 법정 보존 기간이 지나면",
                ("once the open matter is settled and any period the law then keeps it for "
                 "has ended"))
    day = day_of(start).isoformat()
    return f"보관 기간이 끝나면 {day}에", f"on {day}, when the periods above end"


def mark_words(start: datetime | None) -> tuple[str, str]:
    """The mark beside a customer on the staff pages while their request waits."""
    if start is None:
        return ("삭제 요청 · 처리 중인 일로 보존 중",
                "Erasure requested · kept until the open matter is settled")
    day = kept_until_day(start).isoformat()
    return (f"삭제 요청 · 법정 보존 중 ({day}까지)",
            f"Erasure requested · kept by law until {day}")


#: The law behind each kind of record kept, as an English letter names it.
BASIS_EN = {
    Kept.ORDERS: ("Enforcement Decree of the Act on the Consumer Protection in Electronic "
                  "Commerce, Article 6(1)(ii): 5 years"),
    Kept.PAYMENTS: ("Enforcement Decree of the Act on the Consumer Protection in Electronic "
                    "Commerce, Article 6(1)(iii): 5 years"),
    Kept.DISPUTES: ("Enforcement Decree of the Act on the Consumer Protection in Electronic "
                    "Commerce, Article 6(1)(iv): 3 years"),
}
#: Until when an open matter keeps the data, as the customer is told (Korean, English): what
#: ends it, where that is the customer's to do — points stay until they are used (they do not
#: expire), not "until it is settled".
OPEN_UNTIL = {Kept.POINTS_HELD: ("모두 사용하시거나 포기하겠다고 알려 주실 때까지",
                                 "until they are used, or you tell us you give them up")}
OPEN_UNTIL_ANY = ("처리가 끝날 때까지", "until settled")
#: Why an open matter keeps the data: its purpose is not yet fulfilled.
OPEN_BASIS = ("개인정보 보호법 제21조 제1항",
              "Personal Information Protection Act, Article 21(1): its purpose not yet fulfilled")


def _reason_lines(kept: Sequence[Hold]) -> tuple[list[str], list[str]]:
    ko, en = [], []
    for hold in kept:
        k, e, basis = hold.words
        if hold.until is None:
            until_ko, until_en = OPEN_UNTIL.get(hold.kept, OPEN_UNTIL_ANY)
            ko.append(f"- {k}: {until_ko}")
            en.append(f"- {e}: {until_en}")
        else:
            day = kept_until_day(hold.until).isoformat()
            ko.append(f"- {k}: {day}까지 ({basis})")
            en.append(f"- {e}: until {day} ({BASIS_EN.get(hold.kept, basis)})")
    return ko, en


def answer_words(kept: Sequence[Hold], *, asked_at: datetime,
                 officer: tuple[str, str] | None = None) -> dict[str, str]:
    """The answer staff must send the customer (``ko``, ``en``): why the data cannot be
    deleted yet — the records a law keeps (개인정보 보호법 제36조 제1항 단서), each until when,
    apart from the matters still being settled, which need it until they are (제21조 제1항) —
    that it will be deleted then without another request, and how to object: to the privacy
    officer ``officer`` (name, how to reach them: the desk policy's ``[privacy_officer]``)
    when given. ``asked_at``: when the customer asked (the request's first recording)."""
    by_law = [h for h in kept if h.until is not None]
    open_matters = [h for h in kept if h.until is None]
    law_ko, law_en = _reason_lines(by_law)
    open_ko, open_en = _reason_lines(open_matters)
    when_ko, when_en = when_words(erase_from(kept))
    asked = day_of(asked_at).isoformat()
    named = f"({officer[0]}, {officer[1]})" if officer else ""
    ko = [f"고객님께서 {asked}에 요청하신 개인정보 삭제에 관하여 알려 드립니다."]
    en = [f"About your request of {asked} to delete your personal data:"]
    if by_law:
        ko += [("다음 기록은 법령에서 보존하도록 정하고 있어 지금 삭제할 수 없습니다"
               "(개인정보 보호법 제36조 제1항 단서):"), *law_ko]
        en += [("the records below must be kept by law, so they cannot be deleted yet (the "
               "proviso to Article 36(1) of the Personal Information Protection Act):"), *law_en]
    if open_matters:
        ko += [("다음 일은 아직 처리 중이어서, 마무리하는 데 필요한 정보를 처리가 끝날 때까지 "
               f"보관합니다({OPEN_BASIS[0]}). 처리를 마치면 삭제 절차를 이어 갑니다:"), *open_ko]
        en += [("the matters below are still being settled; the data needed to settle them is "
                f"kept until they are ({OPEN_BASIS[1]}), and erasure then goes on:"), *open_en]
    ko += ["그동안 이 정보는 위 목적 외에는 이용하지 않습니다.",
           f"{when_ko} 다시 요청하지 않으셔도 삭제합니다.",
           (f"이 결정에 이의가 있으시면 당사 개인정보 보호책임자{named}에게 이의를 제기하실 수 "
            f"있으며, {OBJECT_TO_KO}에 신고하거나 분쟁조정을 신청하실 수 있습니다.")]
    en += ["Meanwhile it is used for nothing but the purposes above.",
           f"It will be deleted {when_en}, without your asking again.",
           (f"If you disagree, you may object to our privacy officer"
            f"{' ' + named if named else ''}, or report it or ask for mediation at "
            f"{OBJECT_TO_EN}.")]
    return {"ko": "\n".join(ko), "en": "\n".join(en)}


def done_words(*, asked_at: datetime, erased_at: datetime,
               officer: tuple[str, str] | None = None, masked_contacts: bool = False,
               old_notes: bool = False) -> dict[str, str]:
    """The letter staff send a customer whose request was carried out (``ko``, ``en``): 시행령
    제43조 wants the result told within 10 days of the request, as a refusal is — what was
    deleted, what stays without their name (the numbers, amounts and dates of orders and
    payments), what the change log that cannot be altered still holds (``masked_contacts``:
    their email or number partly masked; ``old_notes``: notes written into it before it kept
    digests), and whom to ask: the privacy officer ``officer`` (name, contact) when given."""
    asked, done = day_of(asked_at).isoformat(), day_of(erased_at).isoformat()
    named = f"({officer[0]}, {officer[1]})" if officer else ""
    ko = [f"고객님께서 {asked}에 요청하신 개인정보 삭제를 {done}에 마쳤습니다.",
          "삭제한 정보: 성함, 이메일 주소, 전화번호, 상담하며 적어 둔 내용, 보내 드린 메시지.",
          "주문과 결제의 번호·금액·일시는 성함과 연락처 없이 회계 기록으로만 남습니다."]
    en = [f"We deleted your personal data on {done}, as you asked on {asked}.",
          ("Deleted: your name, email address and phone number, the notes we made when we "
           "spoke with you, and the messages we sent you."),
          ("The numbers, amounts and dates of your orders and payments stay in our accounts "
           "only, without your name or contact details.")]
    if masked_contacts:
        ko.append("다만 고칠 수 없게 보관하는 변경 이력에는 연락처가 일부를 가린 형태(예: "
                  "010-****-1234)로 남아 있습니다.")
        en.append("Our change log, which cannot be altered, still holds your contact details "
                  "partly masked (such as 010-****-1234).")
    if old_notes:
        ko.append(f"{'또한' if masked_contacts else '다만'} 2026년 12월 6일 전에 적은 상담 내용 "
                  "일부가 고칠 수 없게 보관하는 변경 이력에 남아 있습니다.")
        en.append("Some notes written before 6 December 2026 stay in that change log too."
                  if masked_contacts else "Some notes written before 6 December 2026 stay in "
                  "our change log, which cannot be altered.")
    ko.append(f"궁금하신 점은 당사 개인정보 보호책임자{named}에게 문의해 주십시오.")
    en.append(f"For any question, please contact our privacy officer"
              f"{' ' + named if named else ''}.")
    return {"ko": "\n".join(ko), "en": "\n".join(en)}
