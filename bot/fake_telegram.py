"""A loopback fake of the Telegram Bot API, served over real HTTP by aiohttp.

The real python-telegram-bot ``Application`` talks to it exactly as it talks to Telegram:
``ApplicationBuilder().base_url(fake.base_url).base_file_url(fake.base_file_url)``.
Tests (and the local sandbox) play the people: ``send_text``, ``press``, ``send_photo``...
and read back what the bot did: ``messages``, ``next_message``, ``calls``.

It keeps Telegram's JSON shapes, error codes and descriptions, and its limits (text 4096,
caption 1024, callback_data 64 bytes, downloads 20 MB, uploads 50 MB), and parses HTML,
MarkdownV2 and Markdown like Telegram so badly escaped text fails here as it would there.
State lives in one ``FakeTelegram`` instance; nothing runs at import time.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import hashlib
import json
import logging
import mimetypes
import re
import struct
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = [
    "BotMessage",
    "Call",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "StoredFile",
    "UploadedFile",
]

_LOG = logging.getLogger(__name__)

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_MEDIA_GROUP = 10

_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_INT_RE = re.compile(r"^-?\d+$")
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Update types a bot receives when allowed_updates is empty or was never set.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# How form fields (always strings) are turned back into typed values.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "media",
        "commands",
        "scope",
        "allowed_updates",
        "menu_button",
        "message_ids",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "duration",
        "width",
        "height",
        "max_connections",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "supports_streaming",
        "disable_content_type_detection",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code", "description", "parameters"}``."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        """The response body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def _bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


# --------------------------------------------------------------------------- data objects


@dataclass
class FakeUser:
    """A person on the fake Telegram."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str = "id"
    last_name: str | None = None

    def to_dict(self) -> JSONDict:
        """Telegram ``User`` JSON."""
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_dict(self) -> JSONDict:
        """Telegram ``Chat`` JSON of the private chat with this user."""
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class FakeChat:
    """A group chat (a supergroup) the bot is in; ``members`` holds user ids."""

    id: int
    title: str
    type: str = "supergroup"
    members: set[int] = field(default_factory=set)

    def to_dict(self) -> JSONDict:
        """Telegram ``Chat`` JSON."""
        return {"id": self.id, "title": self.title, "type": self.type}


@dataclass
class UploadedFile:
    """A file part of a multipart request, as found in ``Call.params``."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class StoredFile:
    """A file the fake server holds, addressed by ``file_id``."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document" | "video"
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    file_path: str | None = None
    # For photos: the whole PhotoSize list this size belongs to (smallest first).
    photo_sizes: list[JSONDict] = field(default_factory=list, repr=False)

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class BotMessage:
    """A message the bot sent, kept up to date with its edits.

    ``text`` is what the reader sees: the text, or the caption of a media message, after
    parse_mode markup was applied ("" when there is none). ``raw_text`` is exactly what the
    bot sent, and ``reply_markup`` exactly the markup it gave (any keyboard type).
    """

    chat_id: int
    message_id: int
    kind: str  # "text" | "photo" | "document" | "video" | "contact" | ...
    text: str
    raw_text: str | None
    parse_mode: str | None
    entities: list[JSONDict]
    reply_markup: JSONDict | None
    reply_to_message_id: int | None
    method: str
    date: int
    payload: JSONDict = field(repr=False)
    file: bytes | None = field(default=None, repr=False)
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False


@dataclass
class Call:
    """One Bot API request: method name, decoded parameters, arrival time, and the answer."""

    method: str
    params: JSONDict
    at: float
    response: JSONDict | None = None

    @property
    def ok(self) -> bool:
        """Whether Telegram answered ``"ok": true``."""
        return bool(self.response and self.response.get("ok"))


@dataclass
class _Open:
    """An entity being parsed whose end has not been seen yet."""

    kind: str
    offset: int  # UTF-16 code units in the output
    byte_offset: int  # UTF-8 bytes in the input (for error messages)
    argument: str = ""
    marker: str = ""


# --------------------------------------------------------------------------- text helpers


def _u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _ParseError(Exception):
    pass


class _Output:
    """Accumulates parsed text and its entities (offsets in UTF-16 units)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSONDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += _u16(text)

    def entity(self, kind: str, offset: int, **extra: Any) -> JSONDict | None:
        length = self.pos - offset
        if length <= 0:
            return None
        entity: JSONDict = {"type": kind, "offset": offset, "length": length, **extra}
        self.entities.append(entity)
        return entity

    def result(self) -> tuple[str, list[JSONDict]]:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), entities


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "code",
        "pre",
        "tg-spoiler",
        "span",
        "blockquote",
        "tg-emoji",
    }
)
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the entity starting at ``text[pos] == '&'`` as Telegram does (``;`` optional)."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        hexadecimal = end < n and text[end] in "xX"
        if hexadecimal:
            end += 1
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < n and text[end] in allowed:
            end += 1
        digits = text[digits_start:end]
        if not digits:
            return None
        code = int(digits, 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        if name not in _NAMED_HTML_ENTITIES:
            return None
        char = _NAMED_HTML_ENTITIES[name]
    if end < n and text[end] == ";":
        end += 1
    return char, end


def _html_entity_error(text: str, pos: int) -> _ParseError:
    match = re.match(r"&#?[A-Za-z0-9]*;?", text[pos:])
    shown = match.group(0) if match else "&"
    where = _byte_offset(text, pos)
    if shown == "&":
        return _ParseError(f'Unescaped "&" at byte offset {where}; it must be written as "&amp;"')
    return _ParseError(f'Unsupported HTML entity "{shown}" at byte offset {where}')


def _parse_html(text: str, *, strict: bool) -> tuple[str, list[JSONDict]]:
    """Telegram's HTML parse mode. With ``strict``, a lone ``&`` or ``&nbsp;`` is an error."""
    out = _Output()
    stack: list[_Open] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.add(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise _html_entity_error(text, i)
        if ch != "<":
            out.add(ch)
            i += 1
            continue
        begin = i
        where = _byte_offset(text, begin)
        if i + 1 < n and text[i + 1] == "/":
            if not stack:
                raise _ParseError(f"Unexpected end tag at byte offset {where}")
            i += 2
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[begin + 2 : i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise _ParseError(f"Unclosed end tag at byte offset {where}")
            i += 1
            top = stack.pop()
            if end_name and end_name != top.kind:
                raise _ParseError(
                    f'Unmatched end tag at byte offset {where}, expected "</{top.kind}>", '
                    f'found "</{end_name}>"'
                )
            _close_html_entity(out, top)
            continue
        i += 1
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise _ParseError(f"Unclosed start tag at byte offset {where}")
        tag = text[begin + 1 : i].lower()
        if tag not in _HTML_TAGS:
            raise _ParseError(f'Unsupported start tag "{tag}" at byte offset {where}')
        argument, i = _parse_html_attributes(text, i, tag, where, strict=strict)
        if tag == "span" and argument != "spoiler":
            raise _ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
        stack.append(_Open(tag, out.pos, where, argument))
    if stack:
        raise _ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].kind}"')
    return out.result()


def _parse_html_attributes(
    text: str, i: int, tag: str, where: int, *, strict: bool
) -> tuple[str, int]:
    """Parse attributes up to and including ``>``; returns the tag's argument and new index."""
    n = len(text)
    argument = ""
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {where}')
        if text[i] == ">":
            return argument, i + 1
        name_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise _ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {where}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            raise _ParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {where}"
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {where}')
        if text[i] in "'\"":
            quote = text[i]
            i += 1
            chars: list[str] = []
            while i < n and text[i] != quote:
                if text[i] == "&":
                    decoded = _decode_html_entity(text, i)
                    if decoded is not None:
                        chars.append(decoded[0])
                        i = decoded[1]
                        continue
                    if strict:
                        raise _html_entity_error(text, i)
                chars.append(text[i])
                i += 1
            if i >= n:
                raise _ParseError(f"Unclosed start tag at byte offset {where}")
            i += 1
            value = "".join(chars)
        else:
            token_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[token_start:i].lower()
            if i < n and not text[i].isspace() and text[i] != ">":
                raise _ParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, token_start)}"
                )
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _close_html_entity(out: _Output, opened: _Open) -> None:
    if opened.kind == "a":
        if opened.argument:
            out.entity("text_link", opened.offset, url=opened.argument)
        return
    if opened.kind == "tg-emoji":
        if opened.argument:
            out.entity("custom_emoji", opened.offset, custom_emoji_id=opened.argument)
        return
    if opened.kind == "pre":
        last = out.entities[-1] if out.entities else None
        language = ""
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == opened.offset
            and last["length"] == out.pos - opened.offset
        ):
            out.entities.pop()
            language = last.pop("_language", "")
        entity = out.entity("pre", opened.offset)
        if entity is not None and language:
            entity["language"] = language
        return
    if opened.kind == "blockquote":
        kind = "expandable_blockquote" if opened.argument == "expandable" else "blockquote"
        out.entity(kind, opened.offset)
        return
    entity = out.entity(_HTML_ENTITY_TYPES[opened.kind], opened.offset)
    if entity is not None and opened.kind == "code" and opened.argument:
        entity["_language"] = opened.argument


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


def _reserved_error(ch: str) -> _ParseError:
    return _ParseError(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")


def _unclosed_error(opened: _Open) -> _ParseError:
    name = _MDV2_NAMES.get(opened.kind, opened.kind)
    return _ParseError(f"Can't find end of {name} entity at byte offset {opened.byte_offset}")


def _parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """Telegram's MarkdownV2 parse mode (reserved characters must be escaped)."""
    out = _Output()
    stack: list[_Open] = []
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
                stack.append(_Open("blockquote", out.pos, _byte_offset(text, i)))
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
        where = _byte_offset(text, i)
        if ch == "_":
            if text.startswith("__", i):
                stack.append(_Open("underline", out.pos, where, marker="__"))
                i += 2
            else:
                stack.append(_Open("italic", out.pos, where, marker="_"))
                i += 1
        elif ch == "*":
            stack.append(_Open("bold", out.pos, where, marker="*"))
            i += 1
        elif ch == "~":
            stack.append(_Open("strikethrough", out.pos, where, marker="~"))
            i += 1
        elif ch == "|":
            if not text.startswith("||", i):
                raise _reserved_error(ch)
            stack.append(_Open("spoiler", out.pos, where, marker="||"))
            i += 2
        elif ch == "[":
            stack.append(_Open("text_link", out.pos, where, marker="]"))
            i += 1
        elif ch == "`":
            if text.startswith("```", i):
                i += 3
                language = ""
                newline = text.find("\n", i)
                if newline >= 0 and re.fullmatch(r"[\w+#.-]+", text[i:newline]):
                    language = text[i:newline]
                    i = newline + 1
                stack.append(_Open("pre", out.pos, where, language, marker="```"))
            else:
                stack.append(_Open("code", out.pos, where, marker="`"))
                i += 1
        else:
            raise _reserved_error(ch)
    while stack and stack[-1].kind == "blockquote":
        opened = stack.pop()
        out.entity("blockquote", opened.offset)
    if stack:
        raise _unclosed_error(stack[-1])
    return out.result()


def _mdv2_closes(top: _Open, text: str, i: int) -> bool:
    if top.kind == "italic":
        return text[i] == "_" and not text.startswith("__", i)
    if top.kind == "blockquote":
        return False
    return text.startswith(top.marker, i)


def _mdv2_link_end(text: str, i: int, out: _Output, opened: _Open) -> int:
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
        raise _ParseError(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
    if url:
        out.entity("text_link", opened.offset, url="".join(url))
    return j + 1


def _parse_markdown(text: str) -> tuple[str, list[JSONDict]]:
    """Telegram's legacy Markdown parse mode (no nesting)."""
    out = _Output()
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
        error = _ParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
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


_TRIM = " \t\r\n"


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram, clipping the entities to match."""
    stripped = text.strip(_TRIM)
    if stripped == text:
        return text, entities
    lead = _u16(text[: len(text) - len(text.lstrip(_TRIM))])
    total = _u16(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


_USER_ENTITY_PATTERNS = (
    (
        "bot_command",
        re.compile(
            r"(?<![A-Za-z0-9_/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?"
            r"(?![A-Za-z0-9_/<>@])"
        ),
    ),
    (
        "email",
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
            r"\.[A-Za-z]{2,}"
        ),
    ),
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]']")),
    ("mention", re.compile(r"(?<![A-Za-z0-9_@/])@[A-Za-z0-9_]{4,32}(?![A-Za-z0-9_@])")),
)


def _user_entities(text: str) -> list[JSONDict]:
    """The entities Telegram detects in what a person typed (commands, mentions, links)."""
    taken: list[tuple[int, int]] = []
    entities: list[JSONDict] = []
    for kind, pattern in _USER_ENTITY_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            entities.append(
                {"type": kind, "offset": _u16(text[:start]), "length": _u16(match.group(0))}
            )
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, if recognisable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
                i += 1 if marker == 0xFF else 2
                continue
            (segment,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + int(segment)
    return None


def _fit(width: int, height: int, box: int) -> tuple[int, int]:
    scale = min(1.0, box / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


# --------------------------------------------------------------------------- parameters


def _decode_params(raw: JSONDict) -> JSONDict:
    """Turn form strings back into the typed values Telegram would read."""
    params: JSONDict = {}
    for name, value in raw.items():
        if isinstance(value, str):
            if name in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    what = "reply keyboard markup" if name == "reply_markup" else name
                    raise _bad_request(f"can't parse {what} JSON object") from None
            elif name in _INT_FIELDS and _INT_RE.match(value):
                value = int(value)
            elif name in _BOOL_FIELDS:
                value = value.strip().lower() in ("true", "1")
        params[name] = value
    return params


def _opt_str(params: JSONDict, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, (dict, list, UploadedFile)):
        raise _bad_request(f'field "{name}" must be of type String')
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _opt_int(params: JSONDict, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad_request(f'field "{name}" must be of type Integer')
    if isinstance(value, str):
        if not _INT_RE.match(value.strip()):
            raise _bad_request(f'field "{name}" must be of type Integer')
        return int(value.strip())
    return int(value)


def _req_int(params: JSONDict, name: str, missing: str | None = None) -> int:
    value = _opt_int(params, name)
    if value is None:
        raise _bad_request(missing or f"{name} is empty")
    return value


def _opt_bool(params: JSONDict, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def _opt_float(params: JSONDict, name: str) -> float:
    value = params.get(name)
    if value is None or value == "":
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _bad_request(f'field "{name}" must be of type Integer') from None


def _update_type(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")


_Handler = Callable[[JSONDict], Awaitable[Any]]


# --------------------------------------------------------------------------- the server


class FakeTelegram:
    """The fake Bot API server plus the people and chats that talk to the bot."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        privacy_mode: bool = False,
    ) -> None:
        if not _TOKEN_RE.match(token):
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        self.latency = latency
        self.host = host
        self.port = port
        self.strict_html = strict_html
        self.privacy_mode = privacy_mode
        self._bot_id = int(token.split(":", 1)[0])
        self.bot: JSONDict = {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": "WBS BKD NTT",
            "username": "wbs_bkd_test_bot",
        }
        self.calls: list[Call] = []
        self.answered_callbacks: dict[str, JSONDict] = {}
        self.web_app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        self.web_app.router.add_route("*", "/bot{token}/{method:.*}", self._handle_api)
        self.web_app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        self._stopping = False

        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeChat] = {}
        self._private_chats: set[int] = set()
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._next_message_id: dict[int, int] = {}
        self._bot_messages: dict[int, list[BotMessage]] = {}
        self._cursors: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_paths: dict[str, StoredFile] = {}
        self._file_counter = 0
        self._media_group_counter = 0
        self._callback_counter = 0
        self._callback_queries: dict[str, JSONDict] = {}
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook: JSONDict | None = None
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._changed = asyncio.Event()
        self._methods: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageCaption": self._edit_message_caption,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "deleteMessages": self._delete_messages,
                "answerCallbackQuery": self._answer_callback_query,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "sendVideo": self._send_video,
                "sendMediaGroup": self._send_media_group,
                "copyMessage": self._copy_message,
                "forwardMessage": self._forward_message,
                "sendChatAction": self._send_chat_action,
                "getFile": self._get_file,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "setChatMenuButton": self._set_chat_menu_button,
                "getChatMenuButton": self._get_chat_menu_button,
            }.items()
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        if self._runner is not None:
            return
        self._stopping = False
        runner = web.AppRunner(
            self.web_app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        # A restarted server keeps its port, so a bot still running finds it again.
        port = self.port or self._bound_port or 0
        try:
            await web.TCPSite(runner, self.host, port).start()
        except OSError:
            if port == self.port:
                await runner.cleanup()
                raise
            await web.TCPSite(runner, self.host, 0).start()
        self._runner = runner
        address = runner.addresses[0]
        self._bound_port = int(address[1])

    async def stop(self) -> None:
        """Answer pending long polls with ``[]`` at once, then close the server."""
        self._stopping = True
        self._notify()
        runner, self._runner = self._runner, None
        if runner is not None:
            await asyncio.sleep(0)  # let woken long polls write their answers
            await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:40123``."""
        if self._bound_port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self.host}:{self._bound_port}"

    @property
    def base_url(self) -> str:
        """Bot API base URL for PTB (the token is appended by PTB)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base URL for PTB (the token is appended by PTB)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ people and chats

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str = "id",
        last_name: str | None = None,
    ) -> FakeUser:
        """Create (or update and return) the person with this id."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        existing = self._users.get(user_id)
        if existing is not None:
            existing.first_name = first_name
            existing.username = username
            existing.language_code = language_code
            existing.last_name = last_name
            return existing
        person = FakeUser(user_id, first_name, username, language_code, last_name)
        self._users[user_id] = person
        return person

    def group(
        self, chat_id: int, title: str, *, members: Iterable[FakeUser | int] = ()
    ) -> FakeChat:
        """Create (or return) a supergroup the bot is in; ``members`` join it."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self._groups.get(chat_id)
        if chat is None:
            chat = FakeChat(chat_id, title)
            self._groups[chat_id] = chat
        chat.title = title
        for member in members:
            chat.members.add(self._person(member).id)
        return chat

    def block(self, user: FakeUser | int) -> None:
        """The person blocks the bot: sends to their private chat get 403."""
        self._blocked.add(self._person(user).id)

    def unblock(self, user: FakeUser | int) -> None:
        """The person unblocks the bot (writing to the bot again does this too)."""
        self._blocked.discard(self._person(user).id)

    # ------------------------------------------------------------------ what people do

    def send_text(
        self,
        user: FakeUser | int,
        text: str,
        *,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """The person sends text; commands get their ``bot_command`` entity."""
        content: JSONDict = {"text": text}
        entities = _user_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(user, content, chat=chat, reply_to=reply_to)

    def press(
        self,
        user: FakeUser | int,
        message_id: int,
        button_text: str,
        *,
        chat: FakeChat | None = None,
    ) -> str:
        """The person presses an inline button on a bot message; returns the query id."""
        person = self._person(user)
        chat_id = chat.id if chat is not None else person.id
        message = self._live_bot_message(chat_id, message_id)
        markup = message.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        buttons = [button for row in rows for button in row if isinstance(button, dict)]
        button = next((b for b in buttons if b.get("text") == button_text), None)
        if button is None:
            available = [b.get("text") for b in buttons]
            raise LookupError(
                f"no button {button_text!r} on message {message_id} in chat {chat_id}; "
                f"available: {available}"
            )
        if "callback_data" not in button:
            raise LookupError(f"button {button_text!r} has no callback_data to press")
        self._callback_counter += 1
        query_id = str(self._bot_id * 10**9 + self._callback_counter)
        query: JSONDict = {
            "id": query_id,
            "from": person.to_dict(),
            "message": copy.deepcopy(message.payload),
            "chat_instance": str(-((abs(chat_id) * 2654435761) % 10**18)),
            "data": button["callback_data"],
        }
        self._callback_queries[query_id] = query
        self._enqueue({"callback_query": query})
        return query_id

    def send_contact(
        self,
        user: FakeUser | int,
        phone_number: str,
        *,
        first_name: str | None = None,
        own: bool = True,
    ) -> JSONDict:
        """The person shares a contact (``own``: their own, as a request_contact button does)."""
        person = self._person(user)
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": first_name or person.first_name,
        }
        if own:
            if person.last_name:
                contact["last_name"] = person.last_name
            contact["user_id"] = person.id
        return self._user_message(person, {"contact": contact})

    def send_photo(
        self,
        user: FakeUser | int,
        data: bytes,
        *,
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> JSONDict:
        """The person sends a photo; Telegram stores it in several sizes."""
        sizes = self._store_photo(data)
        content: JSONDict = {"photo": sizes}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    def send_document(
        self,
        user: FakeUser | int,
        data: bytes,
        *,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> JSONDict:
        """The person sends a file as a document."""
        stored = self._store_file("document", data, file_name=file_name, mime_type=mime_type)
        content: JSONDict = {"document": self._document_json(stored)}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    def send_video(
        self,
        user: FakeUser | int,
        data: bytes,
        *,
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> JSONDict:
        """The person sends a video."""
        stored = self._store_file(
            "video", data, mime_type="video/mp4", width=1280, height=720, duration=1
        )
        content: JSONDict = {"video": self._video_json(stored)}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    def add_update(self, update: JSONDict) -> None:
        """Enqueue a raw Update; ``update_id`` is assigned when missing."""
        update = copy.deepcopy(update)
        if "update_id" in update:
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._updates.append(update)
            self._notify()
        else:
            self._enqueue(update)

    # ------------------------------------------------------------------ what the bot did

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in a chat, oldest first, edits applied."""
        return [
            message
            for message in self._bot_messages.get(chat_id, [])
            if include_deleted or not message.deleted
        ]

    async def next_message(
        self,
        chat_id: int,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-facing API
        contains: str | None = None,
    ) -> BotMessage:
        """The next bot message in the chat not yet returned here, waiting for it.

        With ``contains``, messages whose text (or caption) lacks it are skipped.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            sent = self._bot_messages.get(chat_id, [])
            cursor = self._cursors.get(chat_id, 0)
            while cursor < len(sent):
                message = sent[cursor]
                cursor += 1
                self._cursors[chat_id] = cursor
                if contains is None or contains in message.text:
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                arrived = [m.text[:80] for m in sent]
                wanted = f" containing {contains!r}" if contains is not None else ""
                raise TimeoutError(
                    f"no new bot message{wanted} in chat {chat_id} within {timeout}s; "
                    f"the bot sent there: {arrived}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - same shape as next_message
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` holds, re-checking whenever the fake's state changes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            if predicate():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"{what} did not hold within {timeout}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def buttons(self, message: BotMessage) -> list[str]:
        """Texts of the message's inline buttons, row by row."""
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        return [button.get("text", "") for row in rows for button in row]

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method (case-insensitive)."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def file(self, file_id: str) -> StoredFile:
        """A stored file by id (raises KeyError)."""
        return self._files[file_id]

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list set for a scope and language (``[]`` when unset)."""
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    def menu_button(self, chat_id: int | None = None) -> JSONDict:
        """The menu button set for a private chat, or the default one."""
        return copy.deepcopy(self._menu_buttons.get(chat_id, {"type": "default"}))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by getUpdates."""
        return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        count: int = 1,
        *,
        error_code: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        ``retry_after`` gives a 429 flood-wait answer (the code becomes 429 unless another
        non-500 code was given); ``error_code=429`` alone waits 1 second.
        """
        if error_code == 429 or (retry_after is not None and error_code == 500):
            error_code = 429
            retry_after = 1 if retry_after is None else retry_after
            if description == "Internal Server Error":
                description = f"Too Many Requests: retry after {retry_after}"
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend(ApiError(error_code, description, parameters) for _ in range(count))

    # ------------------------------------------------------------------ HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        token = request.match_info["token"]
        method = request.match_info["method"]
        if not _TOKEN_RE.match(token) or not method or "/" in method:
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        if token != self.token:
            return self._json(ApiError(401, "Unauthorized").to_json(), 401)
        known = self._methods.get(method.lower())
        call = Call(known[0] if known else method, dict(request.query), time.time())
        self.calls.append(call)
        status = 200
        try:
            call.params = raw = await self._read_params(request)
            call.params = params = _decode_params(raw)
            if known is None:
                raise ApiError(404, "Not Found")
            failures = self._failures.get(known[0].lower())
            if failures:
                raise failures.pop(0)
            result = await known[1](params)
            body: JSONDict = {"ok": True, "result": result}
        except ApiError as error:
            body, status = error.to_json(), error.code
        except Exception:
            _LOG.exception("fake Telegram failed on %s", call.method)
            body, status = ApiError(500, "Internal Server Error").to_json(), 500
        call.response = body
        _LOG.debug("%s -> %s", call.method, status)
        return self._json(body, status)

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if not request.body_exists:
            return params
        try:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise _bad_request("request body must be a JSON object")
                params.update(body)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                for name, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        params[name] = UploadedFile(value.filename, value.content_type, data)
                    elif isinstance(value, (bytes, bytearray)):
                        params[name] = UploadedFile(None, None, bytes(value))
                    else:
                        params[name] = value
        except web.HTTPRequestEntityTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise _bad_request("can't parse request body") from None
        return params

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        token = request.match_info["token"]
        if not _TOKEN_RE.match(token):
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        if token != self.token:
            return self._json(ApiError(401, "Unauthorized").to_json(), 401)
        stored = self._file_paths.get(request.match_info["path"])
        if stored is None:
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    @staticmethod
    def _json(body: JSONDict, status: int) -> web.Response:
        return web.Response(
            text=json.dumps(body, ensure_ascii=False),
            status=status,
            content_type="application/json",
        )

    # ------------------------------------------------------------------ internals

    def _notify(self) -> None:
        """Wake everyone waiting for a change (long polls, next_message, wait_until)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _person(self, user: FakeUser | int) -> FakeUser:
        if isinstance(user, FakeUser):
            return self._users.setdefault(user.id, user)
        person = self._users.get(user)
        if person is None:
            raise LookupError(f"unknown user {user}; create it with user() first")
        return person

    def _enqueue(self, update: JSONDict) -> None:
        self._updates.append({"update_id": self._next_update_id, **update})
        self._next_update_id += 1
        self._notify()

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        return message_id

    def _user_message(
        self,
        user: FakeUser | int,
        content: JSONDict,
        *,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        person = self._person(user)
        if chat is None:
            chat_json = person.chat_dict()
            self._private_chats.add(person.id)
            self._blocked.discard(person.id)
        else:
            if chat.id not in self._groups:
                self._groups[chat.id] = chat
            chat.members.add(person.id)
            chat_json = chat.to_dict()
        chat_id = chat_json["id"]
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "from": person.to_dict(),
            "chat": chat_json,
            "date": int(time.time()),
            **content,
        }
        replied: JSONDict | None = None
        if reply_to is not None:
            replied = self._messages.get(chat_id, {}).get(reply_to)
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {chat_id} to reply to")
            message["reply_to_message"] = self._reply_copy(replied)
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        if chat is None or not self.privacy_mode or self._bot_sees(message, replied):
            self._enqueue({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def _bot_sees(self, message: JSONDict, replied: JSONDict | None) -> bool:
        """Privacy mode: in groups the bot gets commands, replies to it and mentions only."""
        if replied is not None and replied.get("from", {}).get("id") == self._bot_id:
            return True
        text = message.get("text") or message.get("caption") or ""
        return text.startswith("/") or f"@{self.bot['username']}" in text

    def _add_user_caption(self, content: JSONDict, caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            entities = _user_entities(caption)
            if entities:
                content["caption_entities"] = entities

    @staticmethod
    def _reply_copy(message: JSONDict) -> JSONDict:
        replied = copy.deepcopy(message)
        replied.pop("reply_to_message", None)
        return replied

    def _live_bot_message(self, chat_id: int, message_id: int) -> BotMessage:
        for message in self._bot_messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise LookupError(f"no bot message {message_id} in chat {chat_id}")

    # files

    def _new_file_ids(self, kind: str) -> tuple[str, str]:
        self._file_counter += 1
        seed = f"{self.token}:{kind}:{self._file_counter}".encode()
        body = base64.urlsafe_b64encode(hashlib.sha256(seed).digest()).decode().rstrip("=")
        unique = base64.urlsafe_b64encode(hashlib.sha1(b"u" + seed).digest()).decode()
        prefix = {"photo": "AgACAgUAAxkBAAI", "document": "BQACAgUAAxkBAAI"}.get(
            kind, "BAACAgUAAxkBAAI"
        )
        return prefix + body[:44], "AQAD" + unique[:12].replace("=", "A")

    def _store_file(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int = 0,
        height: int = 0,
        duration: int = 0,
    ) -> StoredFile:
        file_id, unique_id = self._new_file_ids(kind)
        stored = StoredFile(
            file_id, unique_id, kind, data, file_name, mime_type, width, height, duration
        )
        self._files[file_id] = stored
        return stored

    def _store_photo(self, data: bytes) -> list[JSONDict]:
        width, height = _image_size(data) or (800, 600)
        longest = max(width, height)
        dims = [_fit(width, height, box) for box in (90, 320, 800, 1280) if box < longest]
        dims.append(_fit(width, height, 2560))
        if len(dims) < 2:
            dims.insert(0, dims[0])
        sizes: list[JSONDict] = []
        stored_sizes: list[StoredFile] = []
        for w, h in dims:
            stored = self._store_file("photo", data, mime_type="image/jpeg", width=w, height=h)
            stored_sizes.append(stored)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.size,
                    "width": w,
                    "height": h,
                }
            )
        for stored in stored_sizes:
            stored.photo_sizes = sizes
        return copy.deepcopy(sizes)

    @staticmethod
    def _document_json(stored: StoredFile) -> JSONDict:
        document: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    @classmethod
    def _video_json(cls, stored: StoredFile) -> JSONDict:
        """A video is a document with dimensions and a duration."""
        return {
            **cls._document_json(stored),
            "width": stored.width,
            "height": stored.height,
            "duration": stored.duration,
        }

    def _input_file(self, params: JSONDict, name: str) -> UploadedFile | StoredFile:
        """The file a send method was given: an upload, an ``attach://`` part or a file_id."""
        value = params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
            if value is None:
                raise _bad_request(f"can't find attached file for {name}")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad_request("file must be non-empty")
            if len(value.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return value
        if value is None or value == "":
            raise _bad_request(f"there is no {name} in the request")
        if not isinstance(value, str):
            raise _bad_request(f'field "{name}" must be of type String')
        if value.startswith(("http://", "https://")):
            raise _bad_request("failed to get HTTP URL content")
        stored = self._files.get(value)
        if stored is None:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def _media_content(
        self, kind: str, source: UploadedFile | StoredFile, params: JSONDict
    ) -> tuple[JSONDict, StoredFile]:
        """Message fields for a photo/document/video and the stored file behind them."""
        if isinstance(source, StoredFile):
            compatible = source.kind == kind or (kind == "document" and source.kind == "video")
            if not compatible:
                raise _bad_request("type of file mismatch")
            stored = source
        elif kind == "photo":
            sizes = self._store_photo(source.data)
            stored = self._files[sizes[-1]["file_id"]]
        elif kind == "video":
            stored = self._store_file(
                "video",
                source.data,
                file_name=source.filename,
                mime_type=source.content_type or "video/mp4",
                width=_opt_int(params, "width") or 1280,
                height=_opt_int(params, "height") or 720,
                duration=_opt_int(params, "duration") or 0,
            )
        else:
            mime = source.content_type or mimetypes.guess_type(source.filename or "")[0]
            stored = self._store_file(
                "document",
                source.data,
                file_name=source.filename,
                mime_type=mime or "application/octet-stream",
            )
        if kind == "photo":
            sizes = stored.photo_sizes
            largest = self._files[sizes[-1]["file_id"]] if sizes else stored
            return {"photo": copy.deepcopy(sizes)}, largest
        if kind == "video" and stored.kind == "video":
            return {"video": self._video_json(stored)}, stored
        return {"document": self._document_json(stored)}, stored

    # chats, text, markup, replies

    def _chat_json(self, chat_id: int) -> JSONDict:
        group = self._groups.get(chat_id)
        if group is not None:
            return group.to_dict()
        if chat_id in self._private_chats and chat_id in self._users:
            return self._users[chat_id].chat_dict()
        raise _bad_request("chat not found")

    def _chat(self, params: JSONDict, name: str = "chat_id", *, sending: bool = True) -> JSONDict:
        value = params.get(name)
        if value is None or value == "":
            raise _bad_request(f"{name} is empty")
        if isinstance(value, str) and not _INT_RE.match(value.strip()):
            raise _bad_request("chat not found")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise _bad_request("chat not found")
        chat = self._chat_json(int(value))
        if sending and chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _format(
        self,
        params: JSONDict,
        text_name: str,
        entities_name: str,
        *,
        limit: int,
        required: bool,
    ) -> tuple[str, list[JSONDict], str | None, str | None]:
        """Parse text or caption per parse_mode; returns (text, entities, raw, parse_mode)."""
        raw = _opt_str(params, text_name)
        parse_mode = _opt_str(params, "parse_mode") or None
        given = params.get(entities_name)
        if raw is None:
            raw = ""
        if given is not None:
            if not isinstance(given, list) or not all(isinstance(e, dict) for e in given):
                raise _bad_request(f"can't parse {entities_name} JSON object")
            text, entities = raw, [dict(e) for e in given]
        elif parse_mode is None:
            text, entities = raw, []
        else:
            mode = parse_mode.lower()
            try:
                if mode == "html":
                    text, entities = _parse_html(raw, strict=self.strict_html)
                elif mode == "markdownv2":
                    text, entities = _parse_markdown_v2(raw)
                elif mode == "markdown":
                    text, entities = _parse_markdown(raw)
                else:
                    raise _bad_request("unsupported parse_mode")
            except _ParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
        for entity in entities:
            entity.pop("_language", None)
        text, entities = _trim(text, entities)
        if required and not text:
            raise _bad_request("message text is empty")
        if len(text) > limit:
            raise _bad_request("message is too long" if required else "message caption is too long")
        return text, entities, (raw if raw else None), parse_mode

    def _markup(self, params: JSONDict) -> JSONDict | None:
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            self._check_inline_keyboard(markup["inline_keyboard"])
        elif "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise _bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
            for row in rows:
                for button in row:
                    label = button if isinstance(button, str) else None
                    if isinstance(button, dict):
                        label = button.get("text")
                    if not isinstance(label, str) or not label:
                        raise _bad_request("keyboard button text is empty")
        elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
            raise _bad_request("can't parse reply keyboard markup JSON object")
        return copy.deepcopy(markup)

    @staticmethod
    def _check_inline_keyboard(rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
            )
        count = 0
        for row in rows:
            for button in row:
                count += 1
                if not isinstance(button, dict):
                    raise _bad_request("can't parse inline keyboard button: Object expected")
                if "text" not in button:
                    raise _bad_request(
                        "can't parse inline keyboard button: Can't find field \"text\""
                    )
                if not isinstance(button["text"], str) or not button["text"].strip():
                    raise _bad_request("BUTTON_TEXT_INVALID")
                if all(button.get(key) in (None, "") for key in _INLINE_BUTTON_ACTIONS):
                    raise _bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None:
                    if not isinstance(data, str):
                        raise _bad_request(
                            'can\'t parse inline keyboard button: Field "callback_data" '
                            "must be of type String"
                        )
                    if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                        raise _bad_request("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and (
                    not isinstance(url, str) or not url.strip() or any(c.isspace() for c in url)
                ):
                    raise _bad_request("BUTTON_URL_INVALID")
        if count > 100:
            raise _bad_request("reply markup is too long")

    def _reply(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        """The message replied to, from reply_parameters or reply_to_message_id."""
        reply_parameters = params.get("reply_parameters")
        allow_missing = _opt_bool(params, "allow_sending_without_reply")
        target_chat = chat_id
        if isinstance(reply_parameters, dict):
            message_id = _opt_int(reply_parameters, "message_id")
            allow_missing = allow_missing or _opt_bool(
                reply_parameters, "allow_sending_without_reply"
            )
            other = reply_parameters.get("chat_id")
            if other not in (None, ""):
                target_chat = self._chat_json(_req_int(reply_parameters, "chat_id"))["id"]
        elif reply_parameters not in (None, ""):
            raise _bad_request("can't parse reply parameters JSON object")
        else:
            message_id = _opt_int(params, "reply_to_message_id")
        if message_id is None:
            return None
        replied = self._messages.get(target_chat, {}).get(message_id)
        if replied is None:
            if allow_missing:
                return None
            raise _bad_request("message to be replied not found")
        return self._reply_copy(replied)

    def _record(
        self,
        chat: JSONDict,
        content: JSONDict,
        *,
        method: str,
        markup: JSONDict | None,
        reply: JSONDict | None,
        raw_text: str | None,
        parse_mode: str | None,
        stored: StoredFile | None = None,
        media_group_id: str | None = None,
    ) -> JSONDict:
        """Create a bot message in ``chat``; returns its Message JSON."""
        chat_id = chat["id"]
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "from": dict(self.bot),
            "chat": chat,
            "date": int(time.time()),
        }
        if media_group_id:
            message["media_group_id"] = media_group_id
        message.update(content)
        if reply is not None:
            message["reply_to_message"] = reply
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        text: str = message.get("text") or message.get("caption") or ""
        entities: list[JSONDict] = message.get("entities") or message.get("caption_entities") or []
        sent = BotMessage(
            chat_id=chat_id,
            message_id=message["message_id"],
            kind=self._kind(message),
            text=text,
            raw_text=raw_text,
            parse_mode=parse_mode,
            entities=copy.deepcopy(entities),
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
            method=method,
            date=message["date"],
            payload=message,
            file=stored.data if stored else None,
            file_id=stored.file_id if stored else None,
            file_name=stored.file_name if stored else None,
            mime_type=stored.mime_type if stored else None,
            media_group_id=media_group_id,
        )
        self._bot_messages.setdefault(chat_id, []).append(sent)
        self._notify()
        return copy.deepcopy(message)

    @staticmethod
    def _kind(message: JSONDict) -> str:
        for kind in ("text", "photo", "document", "video", "contact", "location", "sticker"):
            if kind in message:
                return kind
        return "other"

    def _caption_content(self, params: JSONDict) -> tuple[JSONDict, str | None, str | None]:
        caption, entities, raw, parse_mode = self._format(
            params, "caption", "caption_entities", limit=MAX_CAPTION_LENGTH, required=False
        )
        content: JSONDict = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return content, raw, parse_mode

    # ------------------------------------------------------------------ Bot API methods

    async def _true(self, params: JSONDict) -> bool:
        return True

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(params, "offset") or 0
        limit = min(max(_opt_int(params, "limit") or 100, 1), 100)
        timeout = max(_opt_float(params, "timeout"), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # a newer getUpdates ends an older pending one
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            if self._stopping:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            self._drop_disallowed_updates()
            if self._updates:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _drop_disallowed_updates(self) -> None:
        allowed = self._allowed_updates
        if allowed:
            self._updates = [u for u in self._updates if _update_type(u) in allowed]
        else:
            self._updates = [
                u for u in self._updates if _update_type(u) not in _DEFAULT_EXCLUDED_UPDATES
            ]

    async def _set_webhook(self, params: JSONDict) -> bool:
        url = _opt_str(params, "url") or ""
        if _opt_bool(params, "drop_pending_updates"):
            self._updates.clear()
        if not url:
            self._webhook = None
            return True
        if not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        connections = _opt_int(params, "max_connections") or 40
        webhook: JSONDict = {"url": url, "max_connections": connections}
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            webhook["allowed_updates"] = allowed
        self._webhook = webhook
        self._notify()
        return True

    async def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook = None
        if _opt_bool(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info.update(self._webhook)
        return info

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        text, entities, raw, parse_mode = self._format(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        markup = self._markup(params)
        reply = self._reply(chat["id"], params)
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._record(
            chat,
            content,
            method="sendMessage",
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
        )

    async def _send_media(self, params: JSONDict, kind: str, method: str) -> JSONDict:
        chat = self._chat(params)
        source = self._input_file(params, kind)
        caption, raw, parse_mode = self._caption_content(params)
        markup = self._markup(params)
        reply = self._reply(chat["id"], params)
        content, stored = self._media_content(kind, source, params)
        content.update(caption)
        return self._record(
            chat,
            content,
            method=method,
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
            stored=stored,
        )

    async def _send_photo(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "photo", "sendPhoto")

    async def _send_document(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "document", "sendDocument")

    async def _send_video(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "video", "sendVideo")

    async def _send_media_group(self, params: JSONDict) -> list[JSONDict]:
        chat = self._chat(params)
        media = params.get("media")
        if media is None or media == []:
            raise _bad_request("media to send are not specified")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise _bad_request("can't parse media JSON object")
        if len(media) > MAX_MEDIA_GROUP:
            raise _bad_request("too many messages to send as an album")
        if len(media) < 2:
            raise _bad_request("media group must contain from 2 to 10 items")
        reply = self._reply(chat["id"], params)
        prepared: list[tuple[JSONDict, StoredFile, str | None, str | None]] = []
        for item in media:
            kind = item.get("type")
            if kind not in ("photo", "video", "document"):
                raise _bad_request(f"unsupported media type {kind!r} in the media group")
            item_params = {**params, **item, kind: item.get("media")}
            for key in ("caption", "parse_mode", "caption_entities"):
                if key not in item:
                    item_params.pop(key, None)
            source = self._input_file(item_params, kind)
            caption, raw, parse_mode = self._caption_content(item_params)
            content, stored = self._media_content(kind, source, item_params)
            content.update(caption)
            prepared.append((content, stored, raw, parse_mode))
        self._media_group_counter += 1
        group_id = str(13_000_000_000_000_000 + self._media_group_counter)
        return [
            self._record(
                chat,
                content,
                method="sendMediaGroup",
                markup=None,
                reply=reply,
                raw_text=raw,
                parse_mode=parse_mode,
                stored=stored,
                media_group_id=group_id,
            )
            for content, stored, raw, parse_mode in prepared
        ]

    def _source_message(self, params: JSONDict, what: str) -> JSONDict:
        source_chat = self._chat(params, "from_chat_id", sending=False)
        message_id = _req_int(params, "message_id", f"message to {what} not found")
        message = self._messages.get(source_chat["id"], {}).get(message_id)
        if message is None:
            raise _bad_request(f"message to {what} not found")
        return message

    def _stored_of(self, content: JSONDict) -> StoredFile | None:
        if "photo" in content:
            return self._files.get(content["photo"][-1]["file_id"])
        for kind in ("document", "video"):
            if kind in content:
                return self._files.get(content[kind]["file_id"])
        return None

    async def _copy_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        source = self._source_message(params, "copy")
        content = _content_of(source)
        raw: str | None = content.get("text") or content.get("caption")
        parse_mode: str | None = None
        if "text" not in content and params.get("caption") is not None:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            caption, raw, parse_mode = self._caption_content(params)
            content.update(caption)
        markup = self._markup(params)
        reply = self._reply(chat["id"], params)
        message = self._record(
            chat,
            content,
            method="copyMessage",
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
            stored=self._stored_of(content),
        )
        return {"message_id": message["message_id"]}

    async def _forward_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        source = self._source_message(params, "forward")
        content = _content_of(source)
        content["forward_origin"] = {
            "type": "user",
            "sender_user": copy.deepcopy(source["from"]),
            "date": source["date"],
        }
        return self._record(
            chat,
            content,
            method="forwardMessage",
            markup=None,
            reply=None,
            raw_text=content.get("text") or content.get("caption"),
            parse_mode=None,
            stored=self._stored_of(content),
        )

    def _editable(self, params: JSONDict) -> tuple[BotMessage, JSONDict]:
        if params.get("inline_message_id"):
            raise _bad_request("message to edit not found")
        chat = self._chat(params, sending=False)
        message_id = _req_int(params, "message_id", "message to edit not found")
        stored = self._messages.get(chat["id"], {}).get(message_id)
        if stored is None:
            raise _bad_request("message to edit not found")
        if stored.get("from", {}).get("id") != self._bot_id:
            raise _bad_request("message can't be edited")
        return self._live_bot_message(chat["id"], message_id), stored

    def _apply_edit(
        self,
        message: BotMessage,
        stored: JSONDict,
        content: JSONDict,
        markup: JSONDict | None,
        *,
        raw_text: str | None,
        parse_mode: str | None,
        text_key: str,
    ) -> JSONDict:
        entities_key = "entities" if text_key == "text" else "caption_entities"
        old = (stored.get(text_key), stored.get(entities_key), message.reply_markup)
        new = (content.get(text_key), content.get(entities_key), markup)
        if old == new:
            raise _bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        for key in (text_key, entities_key):
            stored.pop(key, None)
        stored.update(content)
        stored.pop("reply_markup", None)
        if markup is not None:
            stored["reply_markup"] = markup
        stored["edit_date"] = int(time.time())
        message.text = content.get(text_key, "")
        message.entities = copy.deepcopy(content.get(entities_key, []))
        message.raw_text = raw_text
        message.parse_mode = parse_mode
        message.reply_markup = markup
        message.edit_date = stored["edit_date"]
        self._notify()
        return copy.deepcopy(stored)

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        if "text" not in stored:
            raise _bad_request("there is no text in the message to edit")
        text, entities, raw, parse_mode = self._format(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        markup = self._markup(params)
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._apply_edit(
            message, stored, content, markup, raw_text=raw, parse_mode=parse_mode, text_key="text"
        )

    async def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        if "text" in stored:
            raise _bad_request("there is no caption in the message to edit")
        content, raw, parse_mode = self._caption_content(params)
        markup = self._markup(params)
        return self._apply_edit(
            message,
            stored,
            content,
            markup,
            raw_text=raw,
            parse_mode=parse_mode,
            text_key="caption",
        )

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        markup = self._markup(params)
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad_request("inline keyboard expected")
        text_key = "text" if "text" in stored else "caption"
        entities_key = "entities" if text_key == "text" else "caption_entities"
        content = {key: stored[key] for key in (text_key, entities_key) if key in stored}
        return self._apply_edit(
            message,
            stored,
            copy.deepcopy(content),
            markup,
            raw_text=message.raw_text,
            parse_mode=message.parse_mode,
            text_key=text_key,
        )

    def _delete(self, chat_id: int, message_id: int) -> bool:
        stored = self._messages.get(chat_id, {}).pop(message_id, None)
        if stored is None:
            return False
        for message in self._bot_messages.get(chat_id, []):
            if message.message_id == message_id:
                message.deleted = True
        self._notify()
        return True

    async def _delete_message(self, params: JSONDict) -> bool:
        chat = self._chat(params, sending=False)
        message_id = _req_int(params, "message_id", "message to delete not found")
        if not self._delete(chat["id"], message_id):
            raise _bad_request("message to delete not found")
        return True

    async def _delete_messages(self, params: JSONDict) -> bool:
        chat = self._chat(params, sending=False)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad_request("message_ids must contain 1-100 message identifiers")
        for message_id in ids:
            self._delete(chat["id"], int(message_id))
        return True

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = _opt_str(params, "callback_query_id") or ""
        if query_id not in self._callback_queries:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = _opt_str(params, "text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        del self._callback_queries[query_id]
        self.answered_callbacks[query_id] = dict(params)
        self._notify()
        return True

    async def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat(params)
        action = _opt_str(params, "action")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    async def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = _opt_str(params, "file_id") or ""
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        if stored.file_path is None:
            folder = {"photo": "photos", "video": "videos"}.get(stored.kind, "documents")
            suffix = {"photo": ".jpg", "video": ".mp4"}.get(stored.kind, "")
            if stored.kind == "document":
                name = stored.file_name or ""
                suffix = name[name.rfind(".") :] if "." in name else ""
                if not suffix and stored.mime_type:
                    suffix = mimetypes.guess_extension(stored.mime_type) or ""
            stored.file_path = f"{folder}/file_{len(self._file_paths)}{suffix}"
            self._file_paths[stored.file_path] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: str | None) -> tuple[str, str]:
        if scope in (None, ""):
            scope = {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise _bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), language_code or ""

    async def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands")
        for command in commands:
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.match(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        key = self._commands_key(params.get("scope"), _opt_str(params, "language_code"))
        self._commands.pop(key, None)
        return True

    async def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params, sending=False)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params, sending=False)
        user_id = _req_int(params, "user_id")
        if user_id == self._bot_id:
            return {"status": "member", "user": dict(self.bot)}
        person = self._users.get(user_id)
        if person is None:
            raise _bad_request("user not found")
        group = self._groups.get(chat["id"])
        is_member = person.id in group.members if group is not None else person.id == chat["id"]
        return {"status": "member" if is_member else "left", "user": person.to_dict()}

    async def _set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id: int | None = None
        if params.get("chat_id") not in (None, ""):
            chat = self._chat(params, sending=False)
            if chat["type"] != "private":
                raise _bad_request("chat not found")
            chat_id = chat["id"]
        button = params.get("menu_button")
        if button in (None, ""):
            button = {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise _bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = copy.deepcopy(button)
        return True

    async def _get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        chat_id: int | None = None
        if params.get("chat_id") not in (None, ""):
            chat_id = self._chat(params, sending=False)["id"]
        return self.menu_button(chat_id)


CONTENT_KEYS = (
    "text", "entities", "photo", "document", "video", "contact", "caption", "caption_entities",
)  # fmt: skip


def _content_of(source: JSONDict) -> JSONDict:
    """What a copied or forwarded message carries over from its source."""
    return {key: copy.deepcopy(source[key]) for key in CONTENT_KEYS if key in source}
