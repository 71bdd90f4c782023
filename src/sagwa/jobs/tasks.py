"""Message delivery as a procrastinate task, with the retry policy that goes with it.

The task asks the delivery service to try once and turns what happened into procrastinate's
terms: done (sent, failed for good, already done, withdrawn past its deadline), or "run me
again at …" — at ``not_before`` for a message not yet due (including one that asks the customer
to act and was held until the contact centre's next opening: delivery moved its ``not_before``
there), after the delivery service's backoff for a temporary failure
(:func:`~sagwa.services.delivery.retry_delay`: 10 s doubling to an hour, for about a day), in a
few seconds when another live worker holds the message, and once ``SEND_WINDOW`` has passed
since its claim for a message in doubt (its lease went with a database restart while its worker
may still be sending it: once, not every few seconds). Those are normal: procrastinate logs them
as one line (``DeliverLater`` carries no traceback); the delivery service has already logged why
the attempt failed or waits. A message another live worker holds is tried again after a pause
that grows with the job's attempts, up to ``BUSY_MAX_SECONDS``.

An unexpected error (a bug, a lost database) is retried ``UNEXPECTED_ERROR_RETRIES`` times. Every
retry raises procrastinate's ``attempts``, routine ones too (a temporary failure backs off for a
day), so those errors are counted in the job's priority instead: the outbox defers delivery jobs
at priority 0, a retry after an unexpected error lowers it by one, and a routine retry leaves it
as it is (procrastinate keeps the priority when the decision gives none). The count is written
with the retry itself, in the same row, and a job that keeps failing unexpectedly also yields to
messages that do not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from procrastinate import JobContext, RetryDecision
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

from sagwa.adapters.db.audit_repo import AUDIT_KEY_UNKNOWN
from sagwa.errors import Conflict
from sagwa.jobs.app import app
from sagwa.jobs.runtime import DeliveryRuntime, fallback_runtime
from sagwa.services.delivery import Outcome
from sagwa.services.outbox import DELIVER_TASK, MESSAGE_QUEUE

BACKOFF_BASE_SECONDS = 10
BACKOFF_MAX_SECONDS = 3600
BUSY_RETRY_SECONDS = 5
BUSY_MAX_SECONDS = 60
#: A message in doubt runs again this long after its window ends: the window is the database's
#: ``claimed_at < now() - SEND_WINDOW``, false at its very end.
IN_DOUBT_MARGIN = timedelta(seconds=1)
UNEXPECTED_ERROR_RETRIES = 10
#: A message a worker refused to send because it cannot record it (its key is not the audit
#: log's) is tried again this much later, by a worker that can.
KEY_REFUSED_RETRY = timedelta(seconds=30)


class DeliverLater(Exception):
    """Not a failure: the task asks to run again at ``at``."""

    def __init__(self, reason: str, at: datetime) -> None:
        super().__init__(f"{reason}; again at {at.isoformat()}")
        self.at = at


class DeliveryRetry(BaseRetryStrategy):
    """Retry when the task says so; retry unexpected errors (bugs, a lost database) a while,
    counted in the job's priority (0 minus the unexpected errors so far), not its attempts."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, DeliverLater):
            return RetryDecision(retry_at=exception.at)
        errors = max(-job.priority, 0)
        if errors >= UNEXPECTED_ERROR_RETRIES:
            return None
        return RetryDecision(retry_in={"seconds": backoff_seconds(errors)},
                             priority=-(errors + 1))


def backoff_seconds(attempts: int) -> int:
    return int(min(BACKOFF_BASE_SECONDS * 2 ** attempts, BACKOFF_MAX_SECONDS))


@app.task(name=DELIVER_TASK, queue=MESSAGE_QUEUE, pass_context=True, retry=DeliveryRetry())
async def deliver_message(context: JobContext, message_id: int) -> str:
    runtime: DeliveryRuntime = context.additional_context.get("delivery") or fallback_runtime()
    try:
        outcome = await runtime.deliver(message_id)
    except Conflict as exc:
        if exc.details.get("reason") != AUDIT_KEY_UNKNOWN:
            raise
        # nothing was sent: this worker stops (its key was rotated away), another runs it
        runtime.cannot_go_on(exc)
        raise DeliverLater("not sent: this worker's key is not the audit log's",
                           datetime.now(UTC) + KEY_REFUSED_RETRY) from None
    now = datetime.now(UTC)
    if outcome is Outcome.NOT_DUE:
        due = await runtime.due_at(message_id)
        raise DeliverLater("not due yet", due if isinstance(due, datetime) else now)
    if outcome is Outcome.RETRY:
        raise DeliverLater("temporary failure", await runtime.retry_at(message_id))
    if outcome is Outcome.IN_DOUBT:
        until = await runtime.due_at(message_id)
        raise DeliverLater("its worker may still be sending it", (
            until if isinstance(until, datetime) else now) + IN_DOUBT_MARGIN)
    if outcome is Outcome.BUSY:
        pause = min(BUSY_RETRY_SECONDS * 2 ** context.job.attempts, BUSY_MAX_SECONDS)
        raise DeliverLater("another worker holds it", now + timedelta(seconds=pause))
    return outcome.value
