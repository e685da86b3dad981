"""Korean text of the ``ieum`` command line, in one place for review."""

from __future__ import annotations

PROFILE_NOT_JSON = "프로필을 읽을 수 없습니다. 올바른 JSON인지 확인해 주세요."
NOTHING_LEFT_TO_ASK = "더 여쭤볼 것이 없습니다."
HEADING_ELIGIBLE = "[받을 수 있는 지원]"
HEADING_MAYBE = "[확인이 더 필요한 지원]"
APPLY_AT = "신청:"
NEEDS = "필요한 정보:"
NO_RESULTS = "찾은 지원이 없습니다."
INDEX_BUILT = "색인을 만들었습니다: 문서 {passages}개, 지원 {programs}개 ({seconds:.1f}초)"
INDEX_CURRENT = "색인이 이미 최신입니다 (카탈로그 {digest})."
EMPTY_QUERY = "질문이 비어 있습니다. 궁금한 내용을 입력해 주세요."
RUN_STARTING = "이음을 시작합니다. 처음에는 대화 모델을 불러오느라 1~2분 걸릴 수 있습니다…"
RUN_FAILED = "이음을 시작하지 못했습니다.\n{detail}"
ADDRESS_TAKEN = (
    "{name}: {url} 에서 이미 다른 프로그램이 응답하고 있습니다. "
    "이음이 이미 실행 중이면 그 창에서 Ctrl+C로 끈 뒤 다시 시작해 주세요."
)
RUN_READY = "이음(ieum)이 준비되었습니다."
RUN_TELEGRAM = "  · 텔레그램: 설정한 봇에게 말을 걸어 보세요."
RUN_WEBCHAT = "  · 웹 채팅: http://127.0.0.1:{port}/"
RUN_TERMINAL = "  · 터미널: 아래에 바로 입력하세요 (끝내려면 Ctrl+C)."
RUN_LOGS = "  · 기록: {path}"


def ineligible_count(count: int) -> str:
    return f"(해당하지 않는 지원 {count}개)"


def catalog_summary(programs: int, cases: int, failures: int, digest: str) -> str:
    verdict = "모두 통과" if failures == 0 else f"{failures}건 불일치"
    return f"지원 {programs}개, 검증 사례 {cases}개: {verdict} (카탈로그 {digest[:12]})"
