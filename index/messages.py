"""Korean text of the index component's command line, in one place for review."""

from __future__ import annotations

INDEX_BUILT = "색인을 만들었습니다: 문서 {passages}개, 지원 {programs}개 ({seconds:.1f}초)"
INDEX_CURRENT = "색인이 이미 최신입니다 (카탈로그 {digest})."
EMPTY_QUERY = "질문이 비어 있습니다. 궁금한 내용을 입력해 주세요."
NO_RESULTS = "찾은 지원이 없습니다."
