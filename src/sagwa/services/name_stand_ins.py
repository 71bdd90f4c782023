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
- a text a person wrote (an operator's notice) is checked as written, and an error found
  inside a name where the text writes it is not held against it (:func:`check_quoting`,
  :func:`checked_quoting`). The writer's own words are checked: a threat they add is refused,
  even in the words of a name written elsewhere in the text.

Seller emails mask their listings likewise (``seller_notices.check_wording``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from sagwa.messagecheck.engine import CheckResult, Finding
from sagwa.services import desk_messages as dm

PRODUCT = {"ko": "상품", "en": "the item"}
CUSTOMER = {"ko": "홍길동", "en": "Alex Kim"}
#: The first seller's stand-in, then X2, X3 …: a letter reads the same in Korean and English
#: (``IncidentFacts`` carries one name per seller for both) and takes the particle of a vowel.
SELLER = "X"

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


#: Marks that open and close a quoted name: 'Title', "Title", 『Title』, 「Title」, (Title) …
QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "『": "』", "「": "」", "《": "》", "〈": "〉",
          "<": ">", "(": ")", "[": "]", "（": "）"}


def check_quoting(text: str, *, kind: str, lang: str, names: Iterable[str]) -> CheckResult:
    """The message check's result on ``text``, written by a person and quoting ``names`` (an
    operator's notice, naming the incident's products and sellers), as publishing judges it:
    the findings of the text as written, less the errors found inside a name — "소송" inside
    '소송의 기술', "Lawyer" inside 'The Lawyer', "법무법인" inside 법무법인 서점.

    Only where the text writes the name: the same word elsewhere is the writer's, so a threat
    added to a notice about 『소송』 ("소송을 제기하겠습니다") is refused. A name that is no
    more than the word found is read as the name only where it is quoted ('소송', 『소송』);
    unquoted, it could be either, and the writer's reading wins. The editor's preview shows
    this result, so it agrees with publishing."""
    written = dm.check(text, kind=kind, lang=lang)
    if written.ok:
        return written
    quoted = list(_names_in(text, names))
    return CheckResult(tuple(f for f in written.findings
                             if f.severity != "error" or not _inside_a_name(f, quoted)))


def checked_quoting(text: str, *, kind: str, lang: str, names: Iterable[str]) -> str:
    """``text`` if it passes :func:`check_quoting`; else :class:`~sagwa.errors.MessageRefused`
    with its findings."""
    result = check_quoting(text, kind=kind, lang=lang, names=names)
    if not result.ok:
        raise dm.refusal(result.as_dict()["findings"], kind=kind, lang=lang)
    return text


def _names_in(text: str, names: Iterable[str]) -> Iterator[tuple[int, int, bool]]:
    """Where ``text`` writes each of ``names``: (start, end, quoted) of every occurrence."""
    for name in {n.strip() for n in names if n.strip()}:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            before, after = text[start - 1:start], text[end:end + 1]
            yield start, end, bool(before) and QUOTES.get(before) == after
            start = text.find(name, start + 1)


def _inside_a_name(finding: Finding, names: list[tuple[int, int, bool]]) -> bool:
    """Whether ``finding`` lies inside a name as written: a part of a longer name, or a whole
    name that is quoted."""
    if finding.span is None:
        return False
    start, end = finding.span
    return any(a <= start and end <= b and (quoted or end - start < b - a)
               for a, b, quoted in names)
