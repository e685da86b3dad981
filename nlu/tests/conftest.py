"""Makes nlu/ importable (components, channels, train_model) wherever pytest starts, and
says where the trained models are: ``<IEUM_DATA_DIR>/rasa/models``, as the app's settings
say (``core/paths.py``, standard library only, is shared with the app)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NLU_DIR = Path(__file__).resolve().parent.parent
for path in (NLU_DIR, NLU_DIR.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from core.paths import DEFAULT_DATA_DIR, rasa_models_dir  # noqa: E402

MODELS_DIR = rasa_models_dir(Path(os.environ.get("IEUM_DATA_DIR") or DEFAULT_DATA_DIR))
