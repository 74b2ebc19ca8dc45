"""Telegram's MarkdownV2 and legacy Markdown parse modes, for the tests' fake.

The bot writes HTML only; these let the fake refuse badly escaped Markdown as Telegram does.
"""

from __future__ import annotations

import re

from bot.sandbox.bot_api_types import JSONDict
from bot.sandbox.entities import OpenEntity, Output, ParseError, byte_offset

_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "blockquote": "BlockQuote",
}


def _reserved_error(ch: str) -> ParseError:
    return ParseError(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")


def _unclosed_error(opened: OpenEntity) -> ParseError:
    name = _MDV2_NAMES.get(opened.kind, opened.kind)
    return ParseError(f"Can't find end of {name} entity at byte offset {opened.byte_offset}")


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Telegram's MarkdownV2 parse mode (reserved characters must be escaped)."""
    out = Output()
    stack: list[OpenEntity] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        top = stack[-1] if stack else None
        if ch == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        if top is not None and top.kind in ("code", "pre"):
            if top.kind == "pre" and text.startswith("```", i):
                stack.pop()
                entity = out.entity("pre", top.offset)
                if entity is not None and top.argument:
                    entity["language"] = top.argument
                i += 3
            elif top.kind == "code" and ch == "`":
                stack.pop()
                out.entity("code", top.offset)
                i += 1
            else:
                out.add(ch)
                i += 1
            continue
        if ch == "\n" and any(o.kind == "blockquote" for o in stack):
            if not text.startswith(">", i + 1):
                if top is None or top.kind != "blockquote":
                    raise _unclosed_error(stack[-1])
                stack.pop()
                out.entity("blockquote", top.offset)
            out.add(ch)
            i += 1
            continue
        if ch == ">" and (i == 0 or text[i - 1] == "\n"):
            if top is None or top.kind != "blockquote":
                stack.append(OpenEntity("blockquote", out.pos, byte_offset(text, i)))
            i += 1
            continue
        if ch not in "_*~|[]`":
            if ch in _MDV2_RESERVED:
                raise _reserved_error(ch)
            out.add(ch)
            i += 1
            continue
        if top is not None and _mdv2_closes(top, text, i):
            stack.pop()
            i += len(top.marker)
            if top.kind == "text_link":
                i = _mdv2_link_end(text, i, out, top)
            else:
                out.entity(top.kind, top.offset)
            continue
        where = byte_offset(text, i)
        if ch == "_":
            if text.startswith("__", i):
                stack.append(OpenEntity("underline", out.pos, where, marker="__"))
                i += 2
            else:
                stack.append(OpenEntity("italic", out.pos, where, marker="_"))
                i += 1
        elif ch == "*":
            stack.append(OpenEntity("bold", out.pos, where, marker="*"))
            i += 1
        elif ch == "~":
            stack.append(OpenEntity("strikethrough", out.pos, where, marker="~"))
            i += 1
        elif ch == "|":
            if not text.startswith("||", i):
                raise _reserved_error(ch)
            stack.append(OpenEntity("spoiler", out.pos, where, marker="||"))
            i += 2
        elif ch == "[":
            stack.append(OpenEntity("text_link", out.pos, where, marker="]"))
            i += 1
        elif ch == "`":
            if text.startswith("```", i):
                i += 3
                language = ""
                newline = text.find("\n", i)
                if newline >= 0 and re.fullmatch(r"[\w+#.-]+", text[i:newline]):
                    language = text[i:newline]
                    i = newline + 1
                stack.append(OpenEntity("pre", out.pos, where, language, marker="```"))
            else:
                stack.append(OpenEntity("code", out.pos, where, marker="`"))
                i += 1
        else:
            raise _reserved_error(ch)
    while stack and stack[-1].kind == "blockquote":
        opened = stack.pop()
        out.entity("blockquote", opened.offset)
    if stack:
        raise _unclosed_error(stack[-1])
    return out.result()


def _mdv2_closes(top: OpenEntity, text: str, i: int) -> bool:
    if top.kind == "italic":
        return text[i] == "_" and not text.startswith("__", i)
    if top.kind == "blockquote":
        return False
    return text.startswith(top.marker, i)


def _mdv2_link_end(text: str, i: int, out: Output, opened: OpenEntity) -> int:
    """After ``[text]``: read ``(url)`` and add the text_link entity; returns the new index."""
    if not text.startswith("(", i):
        return i
    url: list[str] = []
    j = i + 1
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in ")\\":
            url.append(text[j + 1])
            j += 2
            continue
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise ParseError(f"Can't find end of a URL at byte offset {byte_offset(text, i)}")
    if url:
        out.entity("text_link", opened.offset, url="".join(url))
    return j + 1


def parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Telegram's legacy Markdown parse mode (no nesting)."""
    out = Output()
    n = len(text)
    i = 0
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if ch not in "_*`[":
            out.add(ch)
            i += 1
            continue
        error = ParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(text, i)}"
        )
        start = out.pos
        if ch == "[":
            close = text.find("]", i + 1)
            if close < 0:
                raise error
            out.add(text[i + 1 : close])
            i = close + 1
            if text.startswith("(", i):
                end = text.find(")", i + 1)
                if end < 0:
                    raise error
                url = text[i + 1 : end]
                if url:
                    out.entity("text_link", start, url=url)
                i = end + 1
        elif text.startswith("```", i):
            close = text.find("```", i + 3)
            if close < 0:
                raise error
            inner = text[i + 3 : close]
            language = ""
            first, newline, rest = inner.partition("\n")
            if newline and re.fullmatch(r"[\w+#.-]+", first):
                language, inner = first, rest
            out.add(inner)
            entity = out.entity("pre", start)
            if entity is not None and language:
                entity["language"] = language
            i = close + 3
        else:
            close = text.find(ch, i + 1)
            if close < 0:
                raise error
            out.add(text[i + 1 : close])
            out.entity(kinds[ch], start)
            i = close + 1
    return out.result()
