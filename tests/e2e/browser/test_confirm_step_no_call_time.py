"""A confirm step shows the confirm box and no other form under it: a customer who asked for a
person (their case page offers a call time) and then presses "cancel" is not shown the call-time
form below "yes, cancel my order"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from world import World

pytestmark = pytest.mark.e2e


def test_the_confirm_step_of_a_customer_owed_a_call_has_no_call_time_form(
        client: TestClient, world: World) -> None:
    token = world.tokens["이서연"]  # asked for a person: owed a call, may pick a time
    assert 'id="call-time"' in client.get(f"/c/{token}").text
    step = client.get(f"/c/{token}/confirm?choice=cancel_with_compensation")
    assert step.status_code == 200 and 'id="confirm-step"' in step.text
    assert 'id="call-time"' not in step.text and 'id="leave-phone"' not in step.text
