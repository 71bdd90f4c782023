"""Customers' subject lines and text messages are signed with the name the customer centre sends
mail under — the display name of ``SAGWA_MAIL_FROM`` — not a hard-coded "[사과 고객센터]" (which,
for an Apple product, reads as "Apple customer centre", and ignored the configured sender). The
default sender keeps today's signature; English keeps "[sagwa]" unless the name is in Latin
letters. The tag is fixed when the code loads (subjects are written at import), so a process
started with the setting is what signs with it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sagwa import config
from sagwa.services import desk_messages as dm


@pytest.mark.parametrize(("mail_from", "ko", "en"), [
    ("사과 고객센터 <help@sagwa.example>", "[사과 고객센터]", "[sagwa]"),
    ("하늘마켓 고객센터 <help@haneul.example>", "[하늘마켓 고객센터]", "[sagwa]"),
    ("Haneul Market <help@haneul.example>", "[Haneul Market]", "[Haneul Market]"),
    ('"Haneul,  Market" <help@haneul.example>', "[Haneul, Market]", "[Haneul, Market]"),
    ("help@haneul.example", "[사과 고객센터]", "[sagwa]"),  # no name: the centre's own
])
def test_the_tag_is_the_senders_display_name(mail_from: str, ko: str, en: str) -> None:
    assert dm.tags(mail_from) == {"ko": ko, "en": en}


def test_the_default_sender_signs_as_before() -> None:
    assert dm.tags(config.Settings.model_fields["mail_from"].default) == {
        "ko": "[사과 고객센터]", "en": "[sagwa]"}


def test_the_sender_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGWA_MAIL_FROM", "하늘마켓 고객센터 <help@haneul.example>")
    config.mail_from_at_start.cache_clear()
    try:
        assert config.mail_from_at_start() == "하늘마켓 고객센터 <help@haneul.example>"
    finally:
        config.mail_from_at_start.cache_clear()


def test_a_process_started_with_a_sender_signs_subjects_and_texts_with_its_name() -> None:
    code = ("from sagwa.services import desk_messages as dm, desk_wordings as dw\n"
            "print(dm.subject('x', 'ko')); print(dw.DEFAULTED_SUBJECT['ko'])\n"
            "print(dm.render('resolution_sms', 'ko', product_short='p', options_phrase='o', "
            "deadline='d', link='l', default_short='s', phone='1', reminder=False))")
    env = {**os.environ, "SAGWA_MAIL_FROM": "하늘마켓 고객센터 <help@haneul.example>"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout.splitlines()
    assert out[0] == "[하늘마켓 고객센터] x"
    assert out[1].startswith("[하늘마켓 고객센터] ") and out[2].startswith("[하늘마켓 고객센터] ")
    assert "사과 고객센터" not in "\n".join(out)
