"""The mark beside a customer whose erasure request waits for the law (개인정보 보호법 제21조
제3항: kept apart, used only for what the law keeps it for): ``{{ kept_apart(customer=id) }}``
or ``{{ kept_apart(case=id) }}`` on the staff pages, in the page's language. The marks are
read once per page, and only by a page that asks (``services.customer_erasure.erasure_marks``)."""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from sagwa.services.customer_erasure import ErasureMarks

#: What the mark's title tells the agent.
USE_KO = ("고객이 삭제를 요청했습니다. 보존하는 목적(법정 거래·결제·분쟁 기록, 처리 중인 일의 "
          "마무리)으로만 이용하세요.")
USE_EN = ("The customer asked to be erased: use this data only for what keeps it (the records "
          "the law keeps of orders, payments and disputes; settling a matter still open).")


class PageMarks:
    """The pending requests' marks, read at most once, when a page first asks."""

    def __init__(self, load: Callable[[], ErasureMarks]) -> None:
        self._load = load
        self._marks: ErasureMarks | None = None

    def words(self, *, customer: int | None, case: int | None) -> tuple[str, str] | None:
        if self._marks is None:
            self._marks = self._load()
        return self._marks.words(customer=customer, case=case)


@pass_context
def kept_apart_in_page(page: Context, *, customer: int | None = None,
                       case: int | None = None) -> Markup:
    """A badge for a customer (or a case's customer) whose request waits; nothing otherwise."""
    marks = page.get("erasure_marks")
    found = marks.words(customer=customer, case=case) if isinstance(marks, PageMarks) else None
    if found is None:
        return Markup("")
    en = page.get("lang") == "en"
    return Markup(' <span class="badge held wraps" data-kept-apart title="{}">{}</span>').format(
        USE_EN if en else USE_KO, found[1] if en else found[0])
