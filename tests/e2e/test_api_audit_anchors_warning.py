"""``GET /api/audit/verify`` says when no anchor was checked.

Before: the API read anchors from the web server's own data directory, while the worker writes
them into its own; on separate hosts it found none and answered ``ok`` as if the log had been
checked against them. A log rewritten whole passes without an anchor, so the answer now says so.
"""

from fastapi.testclient import TestClient

from sagwa.domain.audit_anchors import NO_ANCHORS_WARNING


def test_verify_without_anchors_warns_that_a_rewrite_would_pass(client: TestClient) -> None:
    verdict = client.get("/api/audit/verify").json()
    assert verdict["ok"] is True and verdict["anchors_checked"] == 0
    assert verdict["anchors_warning"] == NO_ANCHORS_WARNING
    assert list(verdict)[-1] == "anchors_warning"  # appended: earlier keys keep their order
