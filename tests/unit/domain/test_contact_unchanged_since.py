"""An agent's contact form sent after someone changed the details it showed
(``catalog.check_unchanged_since``): a detail typed over one changed meanwhile is refused,
saying what is stored now; a detail left as shown, or typed as it is stored now, is not."""

from __future__ import annotations

import pytest

from sagwa.domain.catalog import KEEP, Customer, check_unchanged_since
from sagwa.errors import Conflict

#: As stored now: another tab saved this number and this address.
NOW = Customer(4, "김민지", "minji.new@example.com", "010-1111-2222", "ko")
#: What the stale form showed.
SHOWN = {"phone": "010-9999-0000", "email": "minji@example.com"}


@pytest.mark.parametrize("typed", [
    {"phone": KEEP, "email": KEEP},  # left as shown: the other tab's change stays
    {"phone": "+82 10-1111-2222", "email": KEEP},  # the number stored now, written another way
    {"phone": KEEP, "email": "MINJI.NEW@example.com"},
])
def test_nothing_typed_over_a_change_is_let_through(typed: dict) -> None:
    check_unchanged_since(NOW, shown=SHOWN, typed=typed)


def test_a_detail_unchanged_since_the_form_opened_may_be_changed() -> None:
    check_unchanged_since(NOW, shown={"phone": "010-1111-2222", "email": "minji.new@example.com"},
                          typed={"phone": "010-3333-4444", "email": None})


@pytest.mark.parametrize(("typed", "changed"), [
    ({"phone": "010-3333-4444", "email": KEEP}, ["phone"]),
    ({"phone": None, "email": KEEP}, ["phone"]),  # removing the number someone just saved
    ({"phone": "010-3333-4444", "email": "minji@other.example"}, ["phone", "email"]),
])
def test_a_detail_typed_over_a_change_is_refused_saying_what_is_stored(
        typed: dict, changed: list[str]) -> None:
    with pytest.raises(Conflict) as refused:
        check_unchanged_since(NOW, shown=SHOWN, typed=typed)
    assert refused.value.details == {
        "field": changed[0], "reason": "contact_changed_meanwhile", "changed": changed,
        "email_now": "minji.new@example.com", "phone_now": "010-1111-2222"}


def test_a_detail_that_was_none_and_is_now_set_counts_as_changed() -> None:
    with pytest.raises(Conflict):
        check_unchanged_since(NOW, shown={"phone": None}, typed={"phone": "010-3333-4444"})
