"""Korean text of the ``ieum`` command line, in one place for review."""

from __future__ import annotations

PROFILE_NOT_JSON = "프로필을 읽을 수 없습니다. 올바른 JSON인지 확인해 주세요."
NOTHING_LEFT_TO_ASK = "더 여쭤볼 것이 없습니다."
HEADING_ELIGIBLE = "[받을 수 있는 지원]"
HEADING_MAYBE = "[확인이 더 필요한 지원]"
APPLY_AT = "신청:"
NEEDS = "필요한 정보:"
SEARCH_PROMPT = "궁금한 지원을 물어보세요 (끝내려면 빈 줄): "
NO_RESULTS = "찾은 지원이 없습니다."
INDEX_BUILT = "색인을 만들었습니다: 문서 {passages}개, 지원 {programs}개 ({seconds:.1f}초)"
INDEX_CURRENT = "색인이 이미 최신입니다 (카탈로그 {digest})."
EMPTY_QUERY = "질문이 비어 있습니다. 궁금한 내용을 입력해 주세요."
RUN_BANNER = """\
이음(ieum)이 준비되었습니다.
  · 지원 찾기:  .venv/bin/ieum match --profile 프로필.json
  · 지원 검색:  .venv/bin/ieum search "질문"
아래에 궁금한 지원을 입력하면 바로 찾아 드립니다."""


def ineligible_count(count: int) -> str:
    return f"(해당하지 않는 지원 {count}개)"


def catalog_summary(programs: int, cases: int, failures: int, digest: str) -> str:
    verdict = "모두 통과" if failures == 0 else f"{failures}건 불일치"
    return f"지원 {programs}개, 검증 사례 {cases}개: {verdict} (카탈로그 {digest[:12]})"
