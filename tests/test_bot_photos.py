"""Report photos the bot takes: JPEG and PNG by their bytes, size-limited, saved privately."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

from bot.photos import MAX_BYTES, save_photo

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
DAY = dt.date(2026, 12, 3)


def test_a_jpeg_is_saved_privately_under_a_random_name(tmp_path: Path) -> None:
    saved = save_photo(tmp_path / "photos", JPEG, DAY)
    assert saved is not None and saved.content_type == "image/jpeg"
    assert re.fullmatch(r"2026-12/[0-9a-f]{32}\.jpg", saved.path)
    file = tmp_path / "photos" / saved.path
    assert file.read_bytes() == JPEG
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700


def test_a_png_is_known_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    saved = save_photo(tmp_path, PNG, DAY)
    assert saved is not None and (saved.content_type, saved.path[-4:]) == ("image/png", ".png")


def test_other_files_and_large_photos_are_refused(tmp_path: Path) -> None:
    assert save_photo(tmp_path, b"GIF89a" + b"\x00" * 10, DAY) is None
    assert save_photo(tmp_path, JPEG[:4] + b"\x00" * MAX_BYTES, DAY) is None
    assert list(tmp_path.iterdir()) == []
