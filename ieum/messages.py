"""Korean text of ``ieum run`` (the supervisor), in one place for review.

Each component keeps the wording of its own subcommands in its own ``messages`` module.
"""

from __future__ import annotations

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
NO_RASA_VENV = "Rasa 가상환경이 없습니다 ({python}). make setup 을 실행해 주세요."
RUN_STOPPING = "이음을 끄는 중입니다…"
RUN_STOPPED = "이음을 껐습니다."
BAD_DATE = "날짜는 YYYY-MM-DD 형식으로 적어 주세요 (받은 값: {text})."
