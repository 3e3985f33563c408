"""What a channel hands in, made safe: text that can be stored and shown, files read in limits."""

from __future__ import annotations

import logging
import re

from bot.engine.types import Upload

log = logging.getLogger(__name__)

# A file is read into memory and kept as the answer's text, so it has the limit of a typed
# answer (the engine's MAX_ANSWER characters): a CSV export of several hundred reactions.
MAX_FILE_BYTES = 200_000
# Lone surrogates (from invalid UTF-8 or a broken JSON escape) cannot be written to a log, a
# document or a chat message; NUL cannot be stored in every database.
_UNWRITABLE = re.compile("[\ud800-\udfff]")


def clean(text: object) -> str:
    """The message as text that can be stored and sent on: lone surrogates become '�', NUL goes."""
    text = text if isinstance(text, str) else str(text or "")
    return _UNWRITABLE.sub("\ufffd", text).replace("\x00", "")


async def fetch(upload: Upload) -> bytes | str:
    """The file's bytes, or the message key that says why not (too big, not received, not
    text)."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return "file_too_big"
    try:
        data = await upload.read()
    except Exception:  # the platform did not give the file: the person can send it again
        log.warning("could not read the file %r", upload.name, exc_info=True)
        return "file_failed"
    if len(data) > MAX_FILE_BYTES:
        return "file_too_big"
    return "file_not_text" if b"\x00" in data else data


def as_text(data: bytes) -> str:
    """A text file's contents: UTF-8 (with or without BOM), else Windows' own code page."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return clean(text)
