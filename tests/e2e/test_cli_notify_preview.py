"""``sagwa incident notify --preview`` prints the apology as customers will get it — one
customer per language, their address, number and link masked — and how many customers and
messages notifying would queue; it queues and records nothing. Notifying then queues exactly
those texts for that customer. A refusal notifying would meet is the preview's too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

# the demo's data and two planned incidents on it, as the notify command's own tests plan them
from test_cli_incident_notify import data_dir, planned, sagwa  # noqa: F401

from sagwa.domain.masking import mask_case_link as mask_links
from sagwa.testing.embedded import query

pytestmark = pytest.mark.e2e
SHOP = "https://shop.example"
_LINK = re.compile(r"/c/[A-Za-z0-9_.-]+")


def _written(folder: Path) -> tuple[int, int]:
    """How many messages the outbox holds and how many records the audit log."""
    [(messages,)] = query(folder, "SELECT count(*) FROM outbox")
    [(records,)] = query(folder, "SELECT count(*) FROM audit_log")
    return int(messages), int(records)


def test_the_preview_is_what_notify_then_queues_and_sends_nothing(
        data_dir: Path, planned: list[int]) -> None:  # noqa: F811  (the fixtures)
    incident = planned[0]
    before = _written(data_dir)
    previewed = sagwa("incident", "notify", str(incident), "--preview", "--format", "json",
                      SAGWA_PUBLIC_BASE_URL=SHOP)
    assert previewed.exit_code == 0, previewed.output
    shown = json.loads(previewed.stdout)
    assert list(shown) == ["incident_id", "customers", "messages", "send_at", "shown"]
    [(cases,)] = query(data_dir, f"SELECT count(*) FROM cases WHERE incident_id = {incident}")
    assert shown["customers"] == cases and shown["messages"] >= cases
    assert shown["shown"] and shown["shown"][0]["lang"] == "ko"
    as_text = sagwa("incident", "notify", str(incident), "--preview", SAGWA_PUBLIC_BASE_URL=SHOP)
    assert as_text.exit_code == 0, as_text.output
    assert (f"would send {shown['messages']} apology message(s) to {shown['customers']} "
            "customer(s)") in as_text.stdout and "Nothing was sent (--preview)." in as_text.stdout
    assert _written(data_dir) == before  # nothing queued, nothing on the audit log
    [(status,)] = query(data_dir, f"SELECT status FROM incidents WHERE id = {incident}")
    assert status == "planned"

    sent = sagwa("incident", "notify", str(incident), "--format", "json",
                 SAGWA_PUBLIC_BASE_URL=SHOP)
    assert sent.exit_code == 0, sent.output
    summary = json.loads(sent.stdout)
    assert (summary["cases"], summary["messages"]) == (shown["customers"], shown["messages"])
    emails = {str(e) for (e,) in query(data_dir, "SELECT email FROM customers")}
    for customer in shown["shown"]:
        for message in customer["messages"]:
            assert message["recipient"] not in emails and "****" in message["recipient"]
            [(subject, body)] = query(data_dir, (
                f"SELECT subject, body FROM outbox WHERE case_id = {customer['case_id']} "
                f"AND channel = '{message['channel']}' AND purpose = 'resolution'"))
            assert message["subject"] == subject
            assert message["body"] == _LINK.sub(lambda m: mask_links(m.group()), str(body))
    refused = sagwa("incident", "notify", str(incident), "--preview", SAGWA_PUBLIC_BASE_URL=SHOP)
    assert refused.exit_code != 0 and "cannot notify" in refused.output
