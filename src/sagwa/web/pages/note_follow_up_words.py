"""What an agent is told after marking a call note "follow-up needed" and after resolving one
(``services.desk_follow_ups``), in Korean and English; moments in Korea time."""

from __future__ import annotations

from sagwa.domain.particles import josa
from sagwa.services.desk_cases import AttemptLogged
from sagwa.services.desk_follow_ups import FollowUpResolved
from sagwa.web.pages.labels import actor_text
from sagwa.web.pages.rendering import seoul


def note_follow_up_flash(logged: AttemptLogged, lang: str) -> str:
    """Appended to the call's flash: the note is on the team's follow-up list, from when."""
    at = logged.follow_up_at
    if lang == "ko":
        when = (f"{seoul(at)}(한국 시간)부터 " if at is not None else "")
        return (f" 메모를 ‘후속 조치 필요’로 남겼습니다. {when}상담 대기열의 ‘후속 조치가 필요한 메모’ 목록에 "
                "있고, 누군가 처리 결과를 기록할 때까지 그 목록에 남습니다.")
    when = f" from {seoul(at, lang='en')}" if at is not None else ""
    return (f" The note is marked follow-up needed: it is on the call queue's list of notes "
            f"needing follow-up{when}, and stays there until someone records what was done.")


def resolved_flash(resolved: FollowUpResolved, lang: str) -> str:
    """After recording a follow-up's outcome: done, or done already (by whom, when)."""
    f = resolved.follow_up
    case = f"#{f.case_id}"
    if resolved.changed:
        return (f"{case} 후속 조치 결과를 기록했습니다. 후속 조치 목록에서 빠집니다." if lang == "ko"
                else f"{case}: the follow-up's outcome is recorded; it leaves the follow-up list.")
    by = actor_text(f.resolved_by or "", lang)
    if lang == "ko":
        return (f"{case} 이 후속 조치는 이미 {seoul(f.resolved_at)}(한국 시간)에 {josa(by, '이(가)')} 처리 결과를 "
                "기록했습니다. 먼저 기록된 내용이 그대로 남고, 바뀐 것은 없습니다.")
    return (f"{case}: this follow-up was already resolved by {by} on "
            f"{seoul(f.resolved_at, lang='en')}; the first outcome stands and nothing changed.")
