"""Korean text of the case store's command line, in one place for review."""

from __future__ import annotations

KIND_LABELS = {
    "handoff": "상담 연결 요청",
    "fallback": "대화 이해 실패",
    "emergency": "긴급 상황",
    "checkin_concern": "안부 확인 우려",
}
PRIORITY_LABELS = {"critical": "긴급", "high": "높음", "normal": "보통"}
STATUS_LABELS = {"open": "접수", "in_progress": "처리 중", "closed": "종결"}
NO_AREA = "지역 모름"
NOTHING_OPEN = "처리할 요청이 없습니다."
NOTHING_AT_ALL = "저장된 요청이 없습니다."


def heading(count: int, include_closed: bool) -> str:
    return f"전체 요청 {count}건" if include_closed else f"처리할 요청 {count}건"


def escalation_line(
    number: int, priority: str, kind: str, status: str, opened: str, area: str | None, channel: str
) -> str:
    return (
        f"#{number} [{PRIORITY_LABELS[priority]}] {KIND_LABELS[kind]} · "
        f"{STATUS_LABELS[status]} · {opened} · {area or NO_AREA} · {channel}"
    )


def summary_line(summary: str) -> str:
    return f"    {summary}"
