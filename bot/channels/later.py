"""Documents that follow a reply: the tagged PDFs made off the request path.

A reply carries its .docx at once; the PDFs LibreOffice is still making are its `pending`
futures (handreiking.pdf.later). A channel sends the reply, then hands it to `follow_up`, which
waits for those PDFs on a thread of their own and sends them as one more reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.engine.texts import load_texts
from bot.engine.types import Reply

log = logging.getLogger(__name__)


def has_pending(replies: list[Reply]) -> bool:
    return any(r.pending for r in replies)


async def made(replies: list[Reply]) -> list[Path]:
    """The PDFs of these replies, once all are made; one that failed is logged and left out."""
    paths: list[Path] = []
    for reply in replies:
        for future in reply.pending:
            try:
                paths += await asyncio.wrap_future(future)
            except Exception:
                log.exception("a PDF could not be made")
    return paths


def ready_reply(paths: list[Path], lang: str = "nl") -> Reply:
    """The reply that brings the PDFs."""
    text = load_texts("pdf", lang=lang)["ready"].format(namen=", ".join(p.name for p in paths))
    return Reply(text, kind="document", documents=paths)


async def follow_up(
    replies: list[Reply], send: Callable[[list[Reply]], Awaitable[None]], lang: str = "nl"
) -> None:
    """Send the PDFs of these replies with `send` once they are made (nothing when none)."""
    paths = await made(replies)
    if paths:
        try:
            await send([ready_reply(paths, lang)])
        except Exception:
            log.exception("the PDFs could not be sent")
