"""After a confirmed choice the customer's page promised "상담원이 말씀하신 내용을 기록해
담당자에게 전달해 드립니다" / "one of our staff will note what you tell them and pass it on",
but a logged note reaches no one: it now says what happens, as the agent's script does, and a
choice refused as already recorded says the same. TestClient."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
NOTED = {"ko": "말씀하신 내용은 기록해 두고, 필요하면 저희가 다시 연락드리겠습니다.",
         "en": "we will note what you tell us and contact you again if anything needs "
               "following up."}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_confirmed_choice_promises_only_what_happens(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory),
                             case_id=world.cases["김민준"], choice="keep", channel="web",
                             evidence="web case page: keep", taken_by="customer", policy=POLICY)
    page = unescape(client.get(f"/c/{world.tokens['김민준']}?lang={lang}").text)
    final = re.search(r'<p id="choice-final">(.*?)</p>', page, re.DOTALL)
    assert final, "no final-choice line"
    assert "담당자에게 전달" not in final.group(1) and "pass it on" not in final.group(1)
    assert NOTED[lang] in final.group(1)
