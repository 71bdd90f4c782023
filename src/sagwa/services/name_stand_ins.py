"""What the message check reads in place of the names a customer message or a notice carries.

The check judges sagwa's wording and an operator's, not the catalogue's or a customer's: a book
called "소송의 기술" or "The Lawyer", a seller called "법무법인 서점" or a customer called "Sue
Kim" reads as a threat to it (소송, lawyer, sue), and must not stop those customers from being
told, reminded, confirmed or written to, nor the incident's notice from being published. The
text sent keeps the names; only the copy the check reads differs:

- a message worded from a template (the apology and its reminder, the note after the deadline,
  the confirmations, the receipt and reminder of a difference, the message to a customer nobody
  could reach) is checked as the same template filled with stand-ins for the names
  (:func:`render_checked`, :func:`stand_in_facts`): 상품 / "the item" for the products, X, X2 …
  for the sellers, 홍길동 / Alex Kim for the customer. A particle after a name is the
  template's (``josa``), so it fits the stand-in; every other word is checked as it is sent.
- a text a person wrote (an operator's notice) is checked with the names it quotes masked
  (:func:`checked_quoting`), each by a stand-in that ends as the name does when read aloud, so
  that the particle the writer put after it still fits. The writer's own words are checked: a
  threat they add is refused.

Seller emails mask their listings likewise (``seller_notices.check_wording``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from sagwa.domain.particles import Ending, ending
from sagwa.messagecheck.engine import CheckResult, Finding
from sagwa.services import desk_messages as dm

PRODUCT = {"ko": "상품", "en": "the item"}
CUSTOMER = {"ko": "홍길동", "en": "Alex Kim"}
#: The first seller's stand-in, then X2, X3 …: a letter reads the same in Korean and English
#: (``IncidentFacts`` carries one name per seller for both) and takes the particle of a vowel.
SELLER = "X"
#: A name masked in a written text, by how it ends read aloud: 엑스, 엠, 엘.
_BY_ENDING = {Ending.VOWEL: "X", Ending.CONSONANT: "M", Ending.RIEUL: "L", None: "X"}

#: A message's template values from the facts it names and the customer's name.
Values = Callable[[dm.IncidentFacts, str], Mapping[str, object]]


def stand_in_facts(facts: dm.IncidentFacts) -> dm.IncidentFacts:
    """``facts`` with stand-ins for the products and sellers (as many sellers: a message to the
    customers of several reads "sellers"); who entered the price and the prices are kept."""
    sellers = [SELLER, *(f"{SELLER}{n}" for n in range(2, len(facts.other_sellers) + 2))]
    return replace(facts, product_ko=PRODUCT["ko"], product_en=PRODUCT["en"],
                   seller_name=sellers[0], other_sellers=tuple(sellers[1:]))


def render_checked(template: str, lang: str, *, kind: str, facts: dm.IncidentFacts,
                   customer_name: str, values: Values) -> str:
    """``template`` in ``lang`` filled with ``values(facts, customer_name)``: the text to send,
    once the template filled with ``values`` of the stand-ins passes the message check as
    ``kind`` (else :class:`~sagwa.errors.MessageRefused`). ``values`` must take every name it
    fills in from its two arguments: a name it reads elsewhere is checked as it is."""
    dm.checked(dm.render(template, lang, **values(stand_in_facts(facts), CUSTOMER[lang])),
               kind=kind, lang=lang)
    return dm.render(template, lang, **values(facts, customer_name))


def quoted_stand_ins(names: Iterable[str]) -> dict[str, str]:
    """Name -> what the check reads in its place in a written text, the longest name first (a
    title that holds another is masked whole): a letter that ends as the name does, so that
    "카메라마당이" reads "M이", "하늘디지털이" "L이" and "사과나라가" "X가"."""
    distinct = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    return {name: _BY_ENDING[ending(name)] for name in distinct}


def check_quoting(text: str, *, kind: str, lang: str, names: Iterable[str]) -> CheckResult:
    """The message check's result on ``text``, written by a person and quoting ``names`` (an
    operator's notice, naming the incident's products and sellers), as publishing judges it:
    the findings of the text as written, less the errors gone once the names are masked
    (:func:`quoted_stand_ins`). A name is not judged: what it alone causes is gone once masked.
    Nor is the masking: a name that is also a word of the text (a product called 사과, in
    사과드립니다) is masked with it, and what that alone causes is not in the text as written.
    What the writer wrote is in both. The editor's preview shows this result, so it agrees
    with publishing."""
    written = dm.check(text, kind=kind, lang=lang)
    if written.ok:
        return written
    read = text
    for name, stand_in in quoted_stand_ins(names).items():
        read = read.replace(name, stand_in)
    masked = _errors(dm.check(read, kind=kind, lang=lang).findings)
    return CheckResult(tuple(f for f in written.findings
                             if f.severity != "error" or f.code in masked))


def checked_quoting(text: str, *, kind: str, lang: str, names: Iterable[str]) -> str:
    """``text`` if it passes :func:`check_quoting`; else :class:`~sagwa.errors.MessageRefused`
    with its findings (the errors found both with the names masked and as written)."""
    result = check_quoting(text, kind=kind, lang=lang, names=names)
    if not result.ok:
        raise dm.refusal(result.as_dict()["findings"], kind=kind, lang=lang)
    return text


def _errors(findings: Iterable[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity == "error"}
