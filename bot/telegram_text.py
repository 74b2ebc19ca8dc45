"""Telegram's text limits, kept by splitting at line breaks instead of failing.

Every message this bot writes is built line by line with each line's tags closed on that line,
so a split between lines never breaks the HTML. A single line over the limit is split too,
as plain text (its markup dropped): nothing written is ever cut off.
"""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """The text without its markup, as the reader would see it."""
    return html.unescape(_TAG.sub("", text))


def _pieces(line: str, limit: int) -> list[str]:
    """A line longer than the limit, as escaped plain-text pieces that each fit."""
    text, pieces, size = plain(line), [], limit
    while text:
        piece = html.escape(text[:size], quote=False)
        if len(piece) > limit:  # escaping lengthened it: take less
            size = max(1, size // 2)
            continue
        pieces.append(piece)
        text, size = text[size:], limit
    return pieces


def split_html(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """The text in parts of at most `limit` characters, split between lines."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_pieces(line, limit) if len(line) > limit else [line])
    parts: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            parts.append(current)
            candidate = line
        current = candidate
    if current.strip():
        parts.append(current)
    return parts or [text[:limit]]
