"""Check customer messages and public notices about a pricing incident before they are queued.

Public API::

    from sagwa.messagecheck import check_message, Finding, CheckResult

    result = check_message(text, kind="resolution", lang="ko")
    # kind: resolution | notice | follow_up | seller_notice
    result.ok            # False when any finding is an error
    result.findings      # tuple[Finding(code, severity, span, message, suggestion), ...]
    result.as_dict()     # {"ok": bool, "findings": [{"code", "severity", "span", "message",
                         #                            "suggestion"}]}

``follow_up`` (a receipt after the case is settled) gets every check but missing-options,
missing-deadline and missing-amount. ``seller_notice`` (an email to a seller about an incident
on their listings) gets missing-contact, threat and blame-shift — with seller-only cues: a
sanction on their store, blame of the seller written to, customers said to have known — and
the warnings; no apology, explanation, options or deadline is owed to a seller, and it reports
cancellations the customers chose, so fait-accompli is not checked.

With the incident's plan (``check_message(text, kind=..., lang=..., plan_default="keep")``,
as a notice is checked for publishing), a text that cancels the orders of customers who do
not answer while the plan keeps them (or calls them back) is ``contradicts-plan-default``;
``check_against_plan`` gives only those findings.

Unknown kinds or languages raise :class:`sagwa.errors.InvalidInput`.

Error codes (stable): missing-apology, missing-explanation, missing-options, missing-contact,
missing-deadline (resolution), missing-prevention (notice), threat, blame-shift, fait-accompli,
refund-timing (a refund promised later than the 3 business days of 전자상거래법 제18조: its
longest stated span over 3 days, "3~5일" included, or put off to a settlement), and
contradicts-plan-default (with a plan only).
Warning codes: long-sentence, missing-amount (resolution).

How it works: ``korean.py`` (Kiwi morphemes) and ``english.py`` (a tokeniser) turn the text into
sentences of tokens, with dates, times, phones, emails, URLs and money from ``patterns.py``
absorbed as ``<DATE>``-style tokens; ``cues.py`` finds the cues of ``rules/<lang>.toml`` (minus
negated ones); ``engine.py`` turns present or missing cues into findings. The rules are data:
extend the TOML files, not the code.
"""

from sagwa.messagecheck.engine import CheckResult, Finding, check_against_plan, check_message

__all__ = ["CheckResult", "Finding", "check_against_plan", "check_message"]
