"""Evidence files cleaned of what could unmask the reporter, before any officer sees them.

Lives in `bot/` because it is adapter work on hostile bytes with heavy C libraries (Pillow,
pikepdf, lxml, mutagen) and an external program (ffmpeg): `conversations/` stays pure and light
(it holds only the vocabulary and texts, `conversations.sanitizing`), `storage/` only seals
bytes. The bot, as the composition root, calls `sanitize` between download and storage.
"""

from bot.evidence.sanitizer import sanitize
from conversations.sanitizing import TELEGRAM_DOWNLOAD_LIMIT, Sanitized

__all__ = ["TELEGRAM_DOWNLOAD_LIMIT", "Sanitized", "sanitize"]
