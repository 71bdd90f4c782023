"""The seller's price history as their listing page words it: who proposed each change — the
seller themself, a marketplace operator (never a staff member's name: the seller's pages speak
of "an operator"), or sagwa on its own (a promotion's end) — and, for a change a newer proposal
replaced while it waited for review, which proposal and whose."""

from __future__ import annotations

from collections.abc import Sequence

from sagwa.adapters.db.market_repo import PriceChangeRecord, superseded_by
from sagwa.domain.money import format_money
from sagwa.domain.price_entry import PriceEntry
from sagwa.messagecheck.engine import hangul_share
from sagwa.services.price_entry import actor_entry
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.labels import SYSTEM_ACTORS

#: Who proposed a change, by the side of the account that did (``domain.price_entry``).
PROPOSERS: dict[str, tuple[str, str]] = {
    PriceEntry.SELLER.value: ("판매자(본인)", "You (the seller)"),
    PriceEntry.PLATFORM.value: ("운영자", "A marketplace operator"),
    PriceEntry.UNKNOWN.value: ("알 수 없음", "Unknown"),
}

#: "Taken out of review" for a superseded change, by whose newer proposal replaced it:
#: (Korean, English), ``{}`` the newer proposal's number and price, or nothing.
_REPLACED = {
    PriceEntry.SELLER.value: ("나중에 제안한 가격{}으로 대체되어 검토 대기에서 빠졌습니다.",
                              "Taken out of review: your later proposal{} replaced it."),
    PriceEntry.PLATFORM.value: ("운영자가 나중에 제안한 가격{}으로 대체되어 검토 대기에서 빠졌습니다.",
                                ("Taken out of review: a marketplace operator's later "
                                 "proposal{} replaced it.")),
}
_REPLACED_BY_ANOTHER = ("나중에 제안된 가격{}으로 대체되어 검토 대기에서 빠졌습니다.",
                        "Taken out of review: a later proposal{} replaced it.")


def history_words(uow: SqlAlchemyUnitOfWork,
                  changes: Sequence[PriceChangeRecord]) -> dict[str, dict[int, tuple[str, str]]]:
    """For the listing page's history, by change id, in Korean and English: ``proposers``, who
    proposed each change, and ``replaced``, what replaced each superseded one; and
    ``note_langs``, the language a reviewer's note is written in (:func:`note_language`), where
    it can be told. Read inside ``uow`` (already entered): one account lookup per distinct API
    name."""
    superseded = [c for c in changes if superseded_by(c) is not None]
    actors = {c.proposed_by for c in changes} | {c.decided_by or "" for c in superseded}
    sides = {actor: _side(uow, actor) for actor in actors}
    by_id = {c.id: c for c in changes}
    proposers = {c.id: _proposer(c.proposed_by, sides[c.proposed_by]) for c in changes}
    replaced = {c.id: _replaced(c, by_id, sides) for c in superseded}
    notes = {c.id: note_language(c.decision_reason) for c in changes if c.decision_reason}
    return {"proposers": proposers, "replaced": replaced,
            "note_langs": {k: v for k, v in notes.items() if v is not None}}


def note_language(note: str) -> str | None:
    """``ko`` or ``en`` for a note a reviewer typed, mostly in Hangul or not at all; None when
    it cannot be told (too short, or mixed). The page marks it, so a Korean note on the English
    page breaks between words, not inside them ("판 / 매자와")."""
    share = hangul_share(note)
    if share is None:
        return None
    return "ko" if share >= 0.6 else "en" if share <= 0.1 else None


def _side(uow: SqlAlchemyUnitOfWork, actor: str) -> str:
    return actor if actor in SYSTEM_ACTORS else actor_entry(uow, actor).value


def _proposer(actor: str, side: str) -> tuple[str, str]:
    return SYSTEM_ACTORS.get(actor) or PROPOSERS[side]


def _replaced(change: PriceChangeRecord, by_id: dict[int, PriceChangeRecord],
              sides: dict[str, str]) -> tuple[str, str]:
    newer_id = superseded_by(change)
    newer = by_id.get(newer_id) if newer_id is not None else None
    ko, en = _REPLACED.get(sides.get(change.decided_by or "", ""), _REPLACED_BY_ANOTHER)
    if newer is None:  # older than the history shows: no price to give
        said = f"#{newer_id}" if newer_id is not None else ""
        return ko.format(f"({said})" if said else ""), en.format(f" ({said})" if said else "")
    return (ko.format(f"(#{newer.id}, {format_money(newer.new_price, lang='ko')})"),
            en.format(f" (#{newer.id}, {format_money(newer.new_price, lang='en')})"))
