"""``ieum nlu train``: the Rasa model of today's nlu/, into the settings' models folder.

Training runs in the Rasa venv (``nlu/train_model.py``); this side only says where the
models live, so that ``IEUM_DATA_DIR`` moves them together with everything else, and
where the machine-wide cache is (``IEUM_SHARED_CACHE_DIR``): a model trained once on this
machine serves every checkout with the same nlu/ inputs, a fresh clone included.
"""

from __future__ import annotations

import subprocess
import sys

from core.paths import NLU_DIR, RASA_PYTHON
from core.settings import Settings
from ieum import messages

TRAIN_SCRIPT = NLU_DIR / "train_model.py"


def train_command(settings: Settings) -> int:
    if not RASA_PYTHON.exists():
        print(messages.NO_RASA_VENV.format(python=RASA_PYTHON), file=sys.stderr)
        return 1
    argv = [
        str(RASA_PYTHON),
        str(TRAIN_SCRIPT),
        "--out",
        str(settings.rasa_models_dir),
        "--shared",
        str(settings.shared_cache_dir / "rasa-models"),
    ]
    return subprocess.run(argv, check=False).returncode
