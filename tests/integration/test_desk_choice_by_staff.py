"""A choice recorded by staff on real PostgreSQL: "web" is the customer's own click on their
page, never a channel staff may file a choice under."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

import pytest
from test_desk import POLICY, shop  # noqa: F401
from test_desk_call_attempts import _notified

from sagwa.errors import InvalidInput
from sagwa.services import desk_cases


def test_staff_cannot_record_a_choice_as_the_customers_web_click(shop) -> None:
    """Before the mend an agent's {"channel": "web", "evidence": "clicked"} was recorded (200,
    "choice_channel": "web"), and the case page showed it as the customer's own click."""
    uow, _clock, iid, _case_ids = _notified(shop)
    with uow() as u:
        case_id = int(u.cases.case_for_customer(iid, shop[3][1]))
    with pytest.raises(InvalidInput) as refused:
        desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                                 evidence="clicked", taken_by="agent:park", policy=POLICY)
    assert refused.value.details == {"field": "channel",
                                     "reason": "web_channel_is_the_customers"}
    with uow() as u:
        assert u.cases.get(case_id).case.consent is None  # nothing recorded
    # by phone the same agent records it; the customer's own click stays "web"
    done = desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="phone",
                                    evidence="그냥 받을게요", taken_by="agent:park",
                                    policy=POLICY)
    assert done.changed and done.case.consent.channel == "phone"
