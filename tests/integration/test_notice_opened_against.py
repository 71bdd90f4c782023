"""A notice written against the version its writer saw (``opened_against``), on real
PostgreSQL: publishing over a version in that language published since — another writer's — is
refused (409 ``notice_changed``) by the notice service itself, under the incident's lock, and
nothing is stored. Before: only the operator's page compared versions, outside the service's
lock, and the JSON API and the CLI could not say which version they had seen."""

from __future__ import annotations

import pytest
from test_desk import POLICY, _declared, shop  # noqa: F401  (shop is the fixture)

from sagwa.errors import Conflict, InvalidInput
from sagwa.services import notices

A_LINE = "환불은 취소하신 날부터 3영업일 안에 해 드립니다."
B_LINE = "궁금하신 점은 고객센터로 문의해 주세요."


def _first_version(shop) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]  # noqa: F811
    """A declared incident whose Korean notice, as drafted, is up (version 1)."""
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=POLICY)
    notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title, body=body,
                           actor="operator:lee")
    return incident_id, title, body


def _versions(uow, incident_id: int, lang: str = "ko") -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [(n.version, n.body) for n in u.cases.notices(incident_id) if n.lang == lang]


def test_a_writer_who_saw_version_1_cannot_replace_version_2_unseen(shop) -> None:  # noqa: F811
    uow = shop[0]
    incident_id, title, body = _first_version(shop)
    a = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                               body=f"{body}\n\n{A_LINE}", actor="operator:kim",
                               opened_against=1)
    assert a.version == 2
    with pytest.raises(Conflict) as refused:
        notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                               body=f"{body}\n\n{B_LINE}", actor="operator:park",
                               opened_against=1)
    details = refused.value.details
    assert details["reason"] == "notice_changed"
    assert (details["version"], details["opened_against"], details["lang"],
            details["incident_id"], details["field"]) == (2, 1, "ko", incident_id, "body")
    assert details["published_at"] == a.published_at.isoformat()
    assert [v for v, _ in _versions(uow, incident_id)] == [2, 1]  # nothing stored
    assert A_LINE in _versions(uow, incident_id)[0][1]
    seen = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                                  body=f"{body}\n\n{B_LINE}", actor="operator:park",
                                  opened_against=2)
    assert seen.version == 3 and B_LINE in seen.body


def test_a_writer_who_saw_no_notice_is_refused_once_one_is_published(shop) -> None:  # noqa: F811
    uow = shop[0]
    incident_id, title, body = _first_version(shop)
    with pytest.raises(Conflict) as refused:
        notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                               body=f"{body}\n\n{B_LINE}", actor="operator:park",
                               opened_against=0)
    assert (refused.value.details["reason"], refused.value.details["version"]) == (
        "notice_changed", 1)
    assert [v for v, _ in _versions(uow, incident_id)] == [1]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_version_never_published_is_refused_not_taken_as_the_latest(
        shop, lang: str) -> None:  # noqa: F811
    """A tester's --opened-against 9 with version 2 the latest published version 3 unchecked."""
    uow = shop[0]
    incident_id, title, body = _first_version(shop)
    with pytest.raises(InvalidInput) as refused:
        notices.publish_notice(uow(), incident_id=incident_id, lang=lang, title=title,
                               body=f"{body}\n\n{B_LINE}", actor="operator:park",
                               opened_against=9 if lang == "ko" else 1)
    details = refused.value.details
    assert (details["reason"], details["field"], details["version"]) == (
        "notice_version_unknown", "opened_against", 1 if lang == "ko" else 0)
    assert [v for v, _ in _versions(uow, incident_id)] == [1]
    assert _versions(uow, incident_id, "en") == []


def test_without_opened_against_the_version_is_not_checked(shop) -> None:  # noqa: F811
    uow = shop[0]
    incident_id, title, body = _first_version(shop)
    notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                           body=f"{body}\n\n{A_LINE}", actor="operator:kim")
    later = notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title,
                                   body=f"{body}\n\n{B_LINE}", actor="operator:park",
                                   opened_against=None)
    assert later.version == 3


def test_versions_in_the_other_language_do_not_make_a_notice_stale(shop) -> None:  # noqa: F811
    uow = shop[0]
    incident_id, _, _ = _first_version(shop)  # Korean version 1
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="en", policy=POLICY)
    first_en = notices.publish_notice(uow(), incident_id=incident_id, lang="en", title=title,
                                      body=body, actor="operator:lee", opened_against=0)
    assert first_en.version == 1


def test_the_latest_text_sent_again_answers_that_version_not_a_refusal(shop) -> None:  # noqa: F811
    """The same form sent twice: its second sending, opened against the version before its
    first, is answered with the version the first made (as the page always did)."""
    uow = shop[0]
    incident_id, title, body = _first_version(shop)
    sent = {"incident_id": incident_id, "lang": "ko", "title": title,
            "body": f"{body}\n\n{A_LINE}", "actor": "operator:kim", "opened_against": 1}
    first = notices.publish_notice_once(uow(), **sent)  # type: ignore[arg-type]
    again = notices.publish_notice_once(uow(), **sent)  # type: ignore[arg-type]
    assert (first.new, again.new) == (True, False)
    assert again.notice.version == first.notice.version == 2
