"""Who saw which customers' personal data through the web (``services.access_records``).

Each page and API route that shows customers' data takes an :class:`AccessRecorder` — a page
``PageAccess``, the API ``web.deps.ApiAccess`` — and, once it has what it will show and before
it answers, says what that was: ``access.viewed(cases=…)``, ``access.searched(results=…)``,
``access.changed(…)``. That writes one record: the account and its role, the client's address
(``request.client``: uvicorn's, after ``FORWARDED_ALLOW_IPS``), the request's id, the method
and path (a search's words masked, as in the access log: ``/cs/cases?q=[masked]``), and the
customers and cases shown — those named in the path (``{customer_id}``, ``{case_id}``) too,
and the customers of the cases given (found by the INSERT itself). A record that cannot be
written raises: the request fails rather than show anything unrecorded.

A page that changes customers' data gives its record to the unit of work that makes the
change, ``service(access.changing(uow(), cases=…), …)``, rather than write it after the
service: the record is then written in the change's own transaction, when the service
commits (``SqlAlchemyUnitOfWork.record_with_commit``). Written afterwards, a record that failed
left the change made and the user a 500 — inviting them to make it again; written before the
service, it would record changes that were refused. In the same transaction a failed record
refuses the change with it (503 ``access_record_unwritten``, which says nothing was changed;
``refused_form`` lets it through rather than show the case unrecorded), and a form sent again
that changes nothing commits nothing and records no change (the page it leads to records its
view).

The API's changes do the same, and then say what their answer was: ``access.answered(
changed=…)``. A call that committed nothing — a retry with the same ``Idempotency-Key``
(``web.deps`` marks it :func:`mark_replayed`) or a request its data already answered
(``changed`` false: the same choice, the same details again) — wrote no change record, yet its
answer shows the customers' data: that is recorded as a ``view`` of the call (``sagwa access
list``: ``view  POST /api/…``), written before the answer as any view is. (A repeated choice
whose words are noted commits that note with its change record, then also records the view.)
An incident's steps (scope, notify, escalate, the deadline, close) give ``incidents=[id]``:
the record names every case of the incident, and their customers, as the commit leaves them —
the step goes through them all, and commits (its audit record) even when it moved none.
``POST /api/customers`` names the customer it registers in its record before the commit
(``SqlAlchemyUnitOfWork.naming_in_record``: the id is known once the row is inserted).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Request

from sagwa.domain.access_records import AccessAction, AccessRecord
from sagwa.services.access_records import AccessLog, record_access
from sagwa.services.accounts import Account
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.access_log import mask_links
from sagwa.web.request_ids import request_id_of

#: The header an API call gives an export's reason in (UTF-8, percent-encoded beyond ASCII).
REASON_HEADER = "X-Access-Reason"


def what_of(request: Request) -> str:
    """``GET /cs/cases?q=[masked]``: the method and the path, search words masked."""
    query = request.url.query
    return f"{request.method} {mask_links(request.url.path + (f'?{query}' if query else ''))}"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


def header_reason(value: str | None) -> str | None:
    """:data:`REASON_HEADER`'s value as text: percent-encoded UTF-8 decoded, raw UTF-8 bytes
    (read by the server as Latin-1) too."""
    if value is None:
        return None
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(value)


def _path_ids(request: Request, name: str) -> tuple[int, ...]:
    raw = request.path_params.get(name)
    return (int(raw),) if isinstance(raw, (str, int)) and str(raw).isdigit() else ()


class AccessRecorder:
    """One request's access record (see the module)."""

    def __init__(self, request: Request, account: Account, reason: str | None = None) -> None:
        self._log: AccessLog = request.app.state.access_log
        self._request, self._account, self._reason = request, account, reason

    def viewed(self, *, cases: Iterable[int] = (), customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.VIEW, cases, customers)

    def searched(self, *, results: int, cases: Iterable[int] = (),
                 customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.SEARCH, cases, customers, results)

    def changed(self, *, cases: Iterable[int] = (), customers: Iterable[int] = ()) -> None:
        self._add(AccessAction.CHANGE, cases, customers)

    def changing(self, uow: SqlAlchemyUnitOfWork, *, cases: Iterable[int] = (),
                 customers: Iterable[int] = (),
                 incidents: Iterable[int] = ()) -> SqlAlchemyUnitOfWork:
        """``uow``, to write this request's change record in the transaction that commits the
        change (see the module). A step of an incident (``incidents``) names every case of
        theirs as the commit leaves them (``AccessRecord.incident_ids``)."""
        uow.record_with_commit(self._record(AccessAction.CHANGE, cases, customers,
                                            incidents=incidents))
        return uow

    @property
    def replayed(self) -> bool:
        """Whether this request's ``Idempotency-Key`` answered an earlier call's result."""
        return bool(getattr(self._request.state, _REPLAYED, False))

    def answered(self, *, changed: bool = True, cases: Iterable[int] = (),
                 customers: Iterable[int] = ()) -> None:
        """After a change given to :meth:`changing`: a call that committed nothing (a replay,
        or ``changed`` false) still shows the customers' data — recorded as a view."""
        if self.replayed or not changed:
            self.viewed(cases=cases, customers=customers)

    def _add(self, action: AccessAction, cases: Iterable[int], customers: Iterable[int],
             results: int | None = None) -> None:
        record_access(self._log, self._record(action, cases, customers, results))

    def _record(self, action: AccessAction, cases: Iterable[int], customers: Iterable[int],
                results: int | None = None, *, incidents: Iterable[int] = ()) -> AccessRecord:
        request = self._request
        return AccessRecord(
            account=self._account.username, role=self._account.role.value,
            client=client_of(request), action=action, what=what_of(request),
            customer_ids=(*_path_ids(request, "customer_id"), *customers),
            case_ids=(*_path_ids(request, "case_id"), *cases),
            request_id=request_id_of(request), results=results, reason=self._reason,
            incident_ids=tuple(incidents))


_REPLAYED = "idempotent_replay"


def mark_replayed(request: Request) -> None:
    """Note that ``request`` answered an earlier call's result (an ``Idempotency-Key``'s retry):
    nothing it asked was committed (:meth:`AccessRecorder.answered`)."""
    setattr(request.state, _REPLAYED, True)


def recorder_for(request: Request, account: Account, reason: str | None = None) -> AccessRecorder:
    """The request's recorder, kept on it for the helpers that render a page again."""
    recorder = AccessRecorder(request, account, reason)
    request.state.access_recorder = recorder
    return recorder


def page_access(request: Request) -> AccessRecorder:
    """A page's recorder, for the signed-in account (the page's own role check comes first)."""
    from sagwa.web.pages.session import LoginRequired, current_account  # pages import us

    found = getattr(request.state, "access_recorder", None)
    if isinstance(found, AccessRecorder):
        return found
    account = current_account(request)
    if account is None:
        raise LoginRequired("please log in")
    return recorder_for(request, account)


PageAccess = Annotated[AccessRecorder, Depends(page_access)]


def record_sign_in(request: Request, action: AccessAction, account: str,
                   role: str | None) -> None:
    """A sign-in, a failed one or a sign-out, with the client's address."""
    record_access(request.app.state.access_log, AccessRecord(
        account=account, role=role, client=client_of(request), action=action,
        what=what_of(request), request_id=request_id_of(request)))
