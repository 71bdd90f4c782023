"""A notice drafted at declaration (its SLA runs from then, and `sagwa incident notice ID`
without --file publishes the draft as it is): a review found it said "0 customers" (no case
exists before scoping) and promised cancelling with compensation points, which the plan made
later did not offer. It now names neither, and the status flags a published notice written
before the customers were counted or before the plan, until an updated one is published."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from test_desk import POLICY, _declared, shop  # noqa: F401  (shop is the fixture)

from sagwa.cli.incident_format import format_status
from sagwa.services import desk, notices
from sagwa.services.desk_status import incident_status

SEOUL = ZoneInfo("Asia/Seoul")


def _publish_draft(uow, incident_id: int, lang: str) -> str:
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang=lang, policy=POLICY)
    notices.publish_notice(uow(), incident_id=incident_id, lang=lang, title=title, body=body,
                           actor="operator:lee")
    return body


def _outdated(uow, incident_id: int) -> list[dict]:
    return incident_status(uow(), incident_id=incident_id, policy=POLICY).notices_outdated


def test_a_notice_before_scoping_names_no_count_and_no_options(shop) -> None:  # noqa: F811
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)  # six customers ordered at the wrong price
    en, ko = (_publish_draft(uow, incident_id, lang) for lang in ("en", "ko"))
    assert "0 customers" not in en and "compensation points" not in en
    assert "keep the order" not in en and "cancel it" not in en
    assert "each customer who ordered at the wrong price individually" in en
    assert "without the customer's consent" in en
    assert "0명의 고객님" not in ko and "보상 포인트" not in ko and "주문 유지" not in ko
    assert "개별적으로 연락드려 선택하실 수 있는 방법을 안내해 드리겠습니다" in ko
    assert _outdated(uow, incident_id) == []  # nothing was known yet that it could have said


def test_a_notice_published_before_the_plan_is_flagged_until_updated(shop) -> None:  # noqa: F811
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    for lang in ("en", "ko"):
        _publish_draft(uow, incident_id, lang)
    clock.now = datetime(2008, 6, 12, 18, 0, tzinfo=SEOUL)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    assert _outdated(uow, incident_id) == [
        {"lang": "en", "version": 1, "reason": "before_scope"},
        {"lang": "ko", "version": 1, "reason": "before_scope"}]
    clock.now = datetime(2008, 6, 12, 18, 30, tzinfo=SEOUL)
    desk.plan(uow(), incident_id=incident_id, options=["keep", "talk_to_person"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=50, platform_share_pct=50, actor="operator:lee", policy=POLICY)
    view = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    assert [(n["lang"], n["reason"]) for n in view.notices_outdated] == [
        ("en", "before_plan"), ("ko", "before_plan")]
    assert "en v1: published before the plan: publish an updated notice" in dict(
        format_status(view))["notices outdated"]
    clock.now = datetime(2008, 6, 12, 18, 45, tzinfo=SEOUL)
    en = _publish_draft(uow, incident_id, "en")
    assert "6 customers ordered" in en
    assert "keep the order or talk to a person" in en and "compensation" not in en
    assert _outdated(uow, incident_id) == [{"lang": "ko", "version": 1, "reason": "before_plan"}]
    assert "6명의 고객님께서" in _publish_draft(uow, incident_id, "ko")
    assert _outdated(uow, incident_id) == []


def test_the_same_notice_published_again_after_the_plan_clears_its_flag(shop) -> None:  # noqa: F811
    """The operator checks the early notice against the plan and it still holds (it names no
    options): publishing it again unchanged keeps the version and clears the flag (a review
    found it stuck for good unless the wording changed); a later plan revision flags it again."""
    uow, clock, listing_id, _, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    clock.now = datetime(2008, 6, 12, 18, 0, tzinfo=SEOUL)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    early = notices.draft_notice(uow(), incident_id=incident_id, lang="en", policy=POLICY)
    first = notices.publish_notice_once(uow(), incident_id=incident_id, lang="en", title=early[0],
                                        body=early[1], actor="operator:lee")
    clock.now = datetime(2008, 6, 12, 18, 30, tzinfo=SEOUL)
    terms = {"options": ["keep", "talk_to_person"], "default": "keep", "seller_share_pct": 50,
             "platform_share_pct": 50, "actor": "operator:lee", "policy": POLICY}
    desk.plan(uow(), incident_id=incident_id,
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), **terms)
    assert [n["reason"] for n in _outdated(uow, incident_id)] == ["before_plan"]
    clock.now = datetime(2008, 6, 12, 18, 40, tzinfo=SEOUL)
    again = notices.publish_notice_once(uow(), incident_id=incident_id, lang="en",
                                        title=early[0], body=early[1], actor="operator:kim")
    assert not again.new and again.notice.version == first.notice.version == 1
    assert again.reconfirmed
    assert _outdated(uow, incident_id) == []
    with uow() as u:
        actions = [r.event.action for r in u.audit.for_entity("incident", str(incident_id))]
    assert actions.count(notices.RECONFIRMED_ACTION) == 1
    third = notices.publish_notice_once(uow(), incident_id=incident_id, lang="en",
                                        title=early[0], body=early[1], actor="operator:kim")
    assert not third.reconfirmed  # not flagged any more: no entry
    with uow() as u:
        actions = [r.event.action for r in u.audit.for_entity("incident", str(incident_id))]
    assert actions.count(notices.RECONFIRMED_ACTION) == 1
    clock.now = datetime(2008, 6, 12, 19, 0, tzinfo=SEOUL)
    desk.plan(uow(), incident_id=incident_id,
              deadline=datetime(2008, 6, 18, 18, 0, tzinfo=SEOUL), **terms)
    assert [n["reason"] for n in _outdated(uow, incident_id)] == ["before_plan"]
