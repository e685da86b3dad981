"""Photos a reporter sends with a blind-spot report: checked and kept outside the database.

Only JPEG and PNG are taken, recognised by their first bytes (never by the name or the
type the sender claims), up to ``MAX_BYTES``. Each is saved under a random name in the
settings' private photo folder (``Settings.report_photos_dir``: folders 0700, files 0600),
one folder a month; the chat passes on only the path relative to that folder, which the
report stores and the staff console serves to staff of the report's area.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
"""Larger photos are refused: a phone photo is 2–4 MB, and the disk is the 동's to keep."""
_KINDS: dict[bytes, tuple[str, str]] = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


@dataclass(frozen=True)
class SavedPhoto:
    """A photo on disk: ``path`` relative to the photo folder, and its content type."""

    path: str
    content_type: str


def photo_kind(data: bytes) -> tuple[str, str] | None:
    """(content type, file extension) of a JPEG or PNG; None for anything else."""
    return next((kind for magic, kind in _KINDS.items() if data.startswith(magic)), None)


def save_photo(folder: Path, data: bytes, today: dt.date) -> SavedPhoto | None:
    """Save ``data`` in ``folder`` if it is a JPEG or PNG within ``MAX_BYTES``; None if not."""
    kind = photo_kind(data)
    if kind is None or len(data) > MAX_BYTES:
        return None
    content_type, extension = kind
    month = f"{today:%Y-%m}"
    (folder / month).mkdir(mode=0o700, parents=True, exist_ok=True)
    relative = f"{month}/{secrets.token_hex(16)}.{extension}"
    descriptor = os.open(folder / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return SavedPhoto(relative, content_type)
