"""The messages after the deadline to a customer owed a call — the never-told message and the
'we could not reach you' one, told or not, asked for a person or not — pass the message check
with no finding at all, email and text, Korean and English (they passed with warnings: no
amount in the texts, sentences over the length limit, a Korean text sentence running on past
its case link)."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_desk import POLICY, shop  # noqa: F401
from test_desk_never_told import _calls_fail, _incident, _past_deadline

from sagwa.adapters.db.tables import outbox
from sagwa.messagecheck import check_message
from sagwa.services import desk_cases

PURPOSES = ("never_told", "unreachable")


def _findings(uow) -> dict[tuple[str, str, str], list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.purpose, outbox.c.channel, outbox.c.locale,
                                     outbox.c.body).where(outbox.c.purpose.in_(PURPOSES))).all()
    out: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for r in rows:
        found = check_message(r.body, kind="resolution", lang=r.locale).findings
        out.setdefault((r.purpose, r.channel, r.locale), []).extend(
            (f.code, r.body[f.span[0]:f.span[1]] if f.span else "") for f in found)
    return out


def test_every_message_to_a_customer_owed_a_call_is_clean(shop) -> None:
    uow, clock, iid, cases, people, untold = _incident(shop, worker_down=True)
    # a told customer who asked for a person, and one whose default was a call: not reached
    asked = cases[people[2]]
    desk_cases.record_choice(uow(), case_id=asked, choice="talk_to_person", channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    _past_deadline(uow, clock, iid)
    _calls_fail(uow, clock, [*untold, asked])
    found = _findings(uow)
    assert {(p, c, lang) for p, c, lang in found} == {
        (p, c, lang) for p in PURPOSES for c in ("email", "sms") for lang in ("ko", "en")}
    assert all(not f for f in found.values()), {k: v for k, v in found.items() if v}
