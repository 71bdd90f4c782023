"""The plan editor's form on an operator's incident page: saving the plan (the options, the
deadline, the default, the compensation and the cost split), and a refused plan shown again as
typed with every field it names marked. The rest of the incident page's forms are
``incidents``'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.money import Money
from sagwa.errors import SagwaError
from sagwa.priceguard import PriceRules
from sagwa.services import desk
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import FormProblem, PageRoute, error_text
from sagwa.web.pages.forms import parse_int, parse_local_time
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.incidents import Short, page_again, policy_of
from sagwa.web.pages.plan_words import plan_terms
from sagwa.web.pages.rendering import flash_in_lang
from sagwa.web.pages.session import Operator, csrf_protect

router = APIRouter(prefix="/ops/incidents", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)


@router.post("/{incident_id}/plan")
def plan(incident_id: int, request: Request, account: Operator, uow: Uow, deadline: Short = "",
         options: Annotated[list[str] | None, Form()] = None, default: Short = "keep",
         seller_share_pct: Short = "", platform_share_pct: Short = "",
         cancel_compensation: Short = "", discount_pct: Short = "",
         keep_max_units: Short = "", accept_late_choices: Short = "",
         plan_version: Short = "") -> Response:
    typed: dict[str, Any] = {
        "options": options or [], "deadline": deadline, "default": default,
        "seller_share_pct": seller_share_pct, "platform_share_pct": platform_share_pct,
        "cancel_compensation": cancel_compensation, "discount_pct": discount_pct,
        "keep_max_units": keep_max_units,
        # sent only by the deadline-only form of a plan customers chose under (the terms as
        # they stand; a review found a plan taking late answers could not be moved from here)
        "accept_late_choices": accept_late_choices == "1",
        # the plan the form was opened against (``plan_version``): none from an older page
        "plan_version": plan_version}
    try:
        _save_plan(uow(), incident_id, typed, actor=account.actor, policy=policy_of(request),
                   price_rules=request.app.state.price_rules)
    except SagwaError as exc:
        return _plan_again(request, uow, incident_id, exc, typed)
    typed_discount = typed["discount_pct"].strip()
    if typed_discount and "buy_at_correct_price_discount" not in typed["options"]:
        # a discount typed (or kept from the saved plan) with its option not ticked: saved
        # without it, and said, not dropped without a word (a tester found it)
        flash_in_lang(request, f"해결 방안을 저장했습니다. 다만 할인 구매 선택지를 고르지 않아 입력한 할인율"
                      f"({typed_discount}%)은 저장하지 않았습니다. 할인을 제안하려면 그 선택지를 골라 "
                      "다시 저장하세요.",
                      f"Plan saved, without the discount of {typed_discount}% you typed: the "
                      "discount option was not ticked. To offer it, tick the option and save "
                      "again.", "warn")
    else:
        flash_in_lang(request, "해결 방안을 저장했습니다.", "Plan saved.")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


def _plan_again(request: Request, uow: Uow, incident_id: int, exc: SagwaError,
                typed: dict[str, Any]) -> Response:
    """A refused plan: the page again with the form as typed, the problem on top and the field
    it names marked. Refused because another plan was saved since the page was opened, the
    plan saved now is shown above the form, which is opened against it from now on; refused
    for anything else, the form stays opened against the plan it was (correcting a field must
    not make a stale form a fresh one)."""
    problems = exc.details.get("problems")
    # every field the refusal names is marked; the first takes focus
    named = list(problems) if isinstance(problems, dict) else [exc.details.get("field")]
    stale = exc.details.get("reason") == "plan_changed"
    opened = {"plan_terms": plan_terms} if stale else {"plan_version": typed["plan_version"]}
    return page_again(request, uow, incident_id, exc, plan_form=typed,
                      plan_problem=error_text(exc, lang_of(request)),
                      plan_bad=next(iter(named), None), plan_bad_all=named,
                      plan_stale=stale, **opened)


def _save_plan(uow: SqlAlchemyUnitOfWork, incident_id: int, typed: dict[str, Any], *,
               actor: str, policy: DeskPolicy, price_rules: PriceRules) -> None:
    options: list[str] = typed["options"]
    comp = parse_int(typed["cancel_compensation"], "cancel_compensation", optional=True)
    when = parse_local_time(typed["deadline"], "deadline")
    if when is None:
        raise FormProblem("고객이 언제까지 답해야 하는지 답변 기한을 입력해 주세요.",
                          "Enter the deadline: by when must customers answer?", field="deadline")
    desk.plan(uow, incident_id=incident_id, options=options, deadline=when,
              default=typed["default"],
              seller_share_pct=parse_int(typed["seller_share_pct"], "seller_share_pct") or 0,
              platform_share_pct=parse_int(typed["platform_share_pct"], "platform_share_pct") or 0,
              actor=actor, policy=policy,
              cancel_compensation=(Money(comp, "KRW") if comp is not None
                                   and "cancel_with_compensation" in options else None),
              discount_pct=(parse_int(typed["discount_pct"], "discount_pct", optional=True)
                            if "buy_at_correct_price_discount" in options else None),
              keep_max_units=parse_int(typed["keep_max_units"], "keep_max_units", optional=True),
              accept_late_choices=bool(typed.get("accept_late_choices")),
              opened_against=typed.get("plan_version") or None, price_rules=price_rules)
