"""Makes nlu/ importable (components, channels, train_model) wherever pytest starts."""

from __future__ import annotations

import sys
from pathlib import Path

NLU_DIR = Path(__file__).resolve().parent.parent
if str(NLU_DIR) not in sys.path:
    sys.path.insert(0, str(NLU_DIR))
