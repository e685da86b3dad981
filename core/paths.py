"""Where the checkout's own files are; what ieum writes goes under ``Settings.data_dir``.

Standard library only: the Rasa venv's scripts import this module too.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT / "var"
"""Where ieum keeps what it writes unless ``IEUM_DATA_DIR`` says otherwise."""
NLU_DIR = REPO_ROOT / "nlu"
RASA_VENV = REPO_ROOT / ".venv-rasa"
RASA_PYTHON = RASA_VENV / "bin" / "python"


def rasa_models_dir(data_dir: Path) -> Path:
    """Trained Rasa models under a data directory; ``current.tar.gz`` links today's."""
    return data_dir / "rasa" / "models"
