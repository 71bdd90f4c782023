"""The incident page flags a published notice written before the plan: an early notice (its SLA
runs from the declaration) cannot name the plan's options, and one that did may promise what
the plan does not offer. A review found nothing told the operator to publish an update."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

from sagwa.services import notices
from sagwa.services.desk_policy import load_desk_policy

pytestmark = pytest.mark.e2e


def test_a_notice_published_before_the_plan_is_flagged_on_the_incident_page(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    uow_factory = client.app.state.uow_factory  # type: ignore[attr-defined]
    with uow_factory() as u:
        inc = u.incidents.get(world.incident).incident
        plan = u.incidents.plan(world.incident, inc.correct_price)
        u.cases.add_notice(incident_id=world.incident, lang="en", title="Our apology",
                           body="written before the plan", published_by="admin:test",
                           now=plan.decided_at - timedelta(minutes=5))
        u.commit()
    page = client.get(f"/ops/incidents/{world.incident}").text
    assert 'id="notice-outdated-en" data-reason="before_plan"' in page
    assert "게시된 공지는 사과 계획을 세우기 전에(또는 계획을 바꾸기 전에) 쓴 것입니다" in page
    assert "고친 공지를 게시하세요" in page and "같은 내용을 다시 게시해 확인하면 경고가 사라집니다" in page
    # the operator checks it, finds it holds, and publishes it again unchanged from the page
    again = client.post(f"/ops/incidents/{world.incident}/notice",
                        data={"csrf_token": csrf_of(page), "lang": "en", "title": "Our apology",
                              "body": "written before the plan"})
    assert again.status_code == 303
    confirmed = client.get(f"/ops/incidents/{world.incident}").text
    assert "그대로 유지하기로 확인했습니다" in confirmed and "경고를 지웠습니다" in confirmed
    assert 'id="notice-outdated-en"' not in confirmed
    with uow_factory() as u:  # a revision of the plan flags it again
        u.incidents.save_plan(replace(plan, decided_at=datetime.now(UTC)),
                              decided_by="admin:test")
        u.commit()
    assert 'id="notice-outdated-en"' in client.get(f"/ops/incidents/{world.incident}").text
    title, body = notices.draft_notice(uow_factory(), incident_id=world.incident, lang="en",
                                       policy=load_desk_policy())
    notices.publish_notice(uow_factory(), incident_id=world.incident, lang="en", title=title,
                           body=body, actor="admin:test")
    assert 'id="notice-outdated-en"' not in client.get(f"/ops/incidents/{world.incident}").text
