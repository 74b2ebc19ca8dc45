"""Evidence files cleaned of what could unmask the reporter, before any officer sees them.

Lives in `bot/` because it is adapter work on hostile bytes with heavy C libraries (Pillow,
pikepdf, lxml, mutagen) and an external program (ffmpeg): `conversations/` stays pure and light
(it holds only the vocabulary and texts, `conversations.sanitizing`), `storage/` only seals
bytes. The bot, as the composition root, calls `sanitize` between download and storage.
"""

import asyncio

from bot.evidence.sanitizer import sanitize
from conversations.sanitizing import TELEGRAM_DOWNLOAD_LIMIT, Sanitized

__all__ = ["TELEGRAM_DOWNLOAD_LIMIT", "Sanitized", "clean_evidence", "sanitize"]


async def clean_evidence(
    data: bytes, claimed_mime: str | None, claimed_name: str | None, limit: int
) -> Sanitized:
    """The reporting service's cleaner: the CPU work off the event loop, in a thread."""
    return await asyncio.to_thread(
        sanitize, data, claimed_mime=claimed_mime, claimed_name=claimed_name, limit=limit
    )
