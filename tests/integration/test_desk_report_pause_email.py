"""The incident report of a tripwire-started incident, on real PostgreSQL: the seller's pause
email, sent at once with the draft's incident id, is not a customer message "sent before the
incident was declared"."""

# ruff: noqa: F401, F811  (the tests take the tripwire tests' ``shop`` fixture by name)
from __future__ import annotations

from datetime import timedelta

from test_tripwire_seller_email_db import KRW, SATURDAY_NIGHT, _cut_to_a_tenth, _emails, _with_email
from test_tripwire_wrong_price_db import _order, shop

from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.money import Money
from sagwa.services import desk
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_report import build_report


def test_the_sellers_pause_email_is_not_a_message_sent_before_the_declaration(
        shop, session_factory) -> None:
    """Before the mend every incident a tripwire opened was reported with "(impossible)":
    the seller's pause email counted as a message of the incident sent before its
    declaration."""
    uow, clock, listing, customers = shop
    _with_email(uow, listing, "ops@seller0.example")
    clock.now = SATURDAY_NIGHT - timedelta(minutes=10)
    _cut_to_a_tenth(uow, clock, listing)
    before = len(_emails(uow))
    clock.now = SATURDAY_NIGHT - timedelta(seconds=3)
    _order(uow, clock, listing, customers[0], 100)
    with uow() as u:
        draft = u.incidents.open_for_listing(listing)
    [email] = _emails(uow)[before:]
    senders = {"email": FakeSender(), "sms": FakeSender()}
    assert deliver_message(session_factory, senders, email.id, clock.now) is Outcome.SENT
    clock.now += timedelta(hours=1)
    desk.declare(uow(), listing_ids=[listing], wrong_price=Money(19_900, KRW),
                 correct_price=Money(199_000, KRW),
                 window_start=SATURDAY_NIGHT - timedelta(minutes=10), cause="typo",
                 responsible="seller", actor="operator:lee", incident_id=draft,
                 correct_price_confirmed=True)
    report = build_report(uow(), incident_id=draft, policy=load_desk_policy())
    assert report.figures["messages_sent_before_declared"] == 0
