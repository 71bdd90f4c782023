"""The operator's incident page without JavaScript, as a tester found it: the public notice
and the timeline stayed on "Loading…" for ever (htmx fetches them), and Publish was drawn
disabled for the script to turn on — an operator working to the notice's deadline could not
publish. A link in their place (``<noscript>``) draws both in the page, with Publish on; a
refused notice comes back that way too. TestClient: it runs no script, as such a browser."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


def _publish_button(page: str) -> str:
    found = re.search(r'<button id="publish"[^>]*>', page)
    assert found, "no Publish button"
    return found.group(0)


def _without_script_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(
        r'<noscript><p><a href="([^"]+)" data-without-script="[^"]+"', page)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_page_links_to_itself_drawn_whole_where_htmx_would_fetch(
        client: TestClient, world: World, lang: str) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}?lang={lang}").text
    assert _without_script_links(page) == [
        f"/ops/incidents/{world.incident}?noscript=true&notice_lang=ko#notice-editor",
        f"/ops/incidents/{world.incident}?noscript=true&notice_lang=ko#timeline"]
    assert 'id="notice-editor"' not in page and 'id="timeline"' not in page
    said = ("자바스크립트 없이 보기" if lang == "ko" else "No JavaScript? Show the notice "
            "editor and the timeline")
    assert said in page


def test_drawn_whole_the_notice_can_be_written_and_published(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{world.incident}?noscript=true&notice_lang=en").text
    assert 'id="notice-editor"' in page and 'id="timeline"' in page
    assert 'data-action="incident.declared"' in page  # the timeline's rows, not a placeholder
    assert "disabled" not in _publish_button(page)
    assert '<input type="hidden" name="noscript" value="true">' in page
    assert f"/ops/incidents/{world.incident}?notice_lang=ko&amp;noscript=true#notice-editor" in page
    # a draft the check refuses: back in the page drawn whole, Publish still on
    refused = client.post(f"/ops/incidents/{world.incident}/notice", data={
        "title": "Price change", "body": "The price changed. All orders are cancelled.",
        "lang": "en", "noscript": "true", "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert 'data-code="missing-apology"' in refused.text
    assert "disabled" not in _publish_button(refused.text)
    assert 'id="timeline"' in refused.text
    body = html.unescape(re.search(r'<textarea id="notice-body"[^>]*>(.*?)</textarea>',
                                   page, re.DOTALL).group(1))  # type: ignore[union-attr]
    title = html.unescape(re.search(r'<input id="notice-title"[^>]*value="([^"]*)"',
                                    page).group(1))  # type: ignore[union-attr]
    published = client.post(f"/ops/incidents/{world.incident}/notice", data={
        "title": title, "body": body, "lang": "en", "noscript": "true",
        "csrf_token": csrf_of(refused.text)}, follow_redirects=False)
    assert published.status_code == 303, published.text[:2000]
    # back to the page drawn whole (a review: it went back to the "Loading…" one)
    assert published.headers["location"] == f"/ops/incidents/{world.incident}?noscript=true"
    after = client.get(published.headers["location"]).text
    assert 'id="timeline"' in after
    assert "공지를 게시했습니다(제1판)." in after


def test_with_script_a_refused_notice_still_holds_publish_back(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    editor = client.get(f"/ops/incidents/{world.incident}/notice/editor?notice_lang=en").text
    refused = client.post(f"/ops/incidents/{world.incident}/notice", data={
        "title": "Price change", "body": "The price changed. All orders are cancelled.",
        "lang": "en", "csrf_token": csrf_of(editor)})
    assert refused.status_code == 422
    assert "disabled" in _publish_button(refused.text)
    assert 'id="timeline"' not in refused.text
