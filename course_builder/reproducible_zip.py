"""Zip files that repeat byte for byte: the SCORM packages and the slide deck.

A zip entry carries a modification time, and the writing system's permissions; everything else
(entry order, compressed bytes) is already fixed by what is written. Packages we assemble
ourselves are written by `write_zip`; a package another library saves (python-pptx's .pptx) has
its entry times fixed afterwards by `with_fixed_entry_times`, which leaves its bytes otherwise untouched.
"""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

DEFAULT_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
"""Zip entry time when SOURCE_DATE_EPOCH is not set: fixed, so every build of the same course is identical."""
ZIP_EPOCH = 315532800
"""1980-01-01, the earliest time a zip entry can carry."""
DOS_EPOCH = (0, (0 << 9) | (1 << 5) | 1)
"""00:00:00 on 1980-01-01, as (time, date) in zip's DOS format."""


def write_zip(path: Path, entries: dict[str, bytes | Path], source_date_epoch: int | None) -> None:
    """A reproducible zip: entries sorted, one fixed time and fixed permissions on every entry."""
    stamp = DEFAULT_TIMESTAMP if source_date_epoch is None else time.gmtime(max(source_date_epoch, ZIP_EPOCH))[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever system builds it, so permissions read the same everywhere
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            content = entries[name]
            archive.writestr(info, content if isinstance(content, bytes) else content.read_bytes(), compresslevel=9)


def with_fixed_entry_times(data: bytes) -> bytes:
    """A saved zip with every entry's time set to 1980-01-01.

    The times are rewritten in place (local headers and central directory) rather than by
    compressing everything a second time, so the compressed bytes stay the saving library's.
    """
    fixed = bytearray(data)
    end = fixed.rindex(b"PK\x05\x06")
    entries, directory = struct.unpack_from("<HxxxxI", fixed, end + 10)
    position = directory
    for _ in range(entries):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", fixed, position + 28)
        (local,) = struct.unpack_from("<I", fixed, position + 42)
        struct.pack_into("<HH", fixed, position + 12, *DOS_EPOCH)
        struct.pack_into("<HH", fixed, local + 10, *DOS_EPOCH)
        position += 46 + name_length + extra_length + comment_length
    return bytes(fixed)
