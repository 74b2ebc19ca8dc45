"""Telegram's text entities: the HTML parse mode, and what Telegram finds in typed text.

Offsets count UTF-16 code units, as in the Bot API. The parser follows Telegram's rules and
error descriptions, so badly escaped text fails here as it would there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.bot_api_types import JSONDict, bad_request, opt_str

# A parse mode: text with markup -> plain text and its entities (raises ParseError).
ParseMode = Callable[[str], tuple[str, list[JSONDict]]]


@dataclass
class OpenEntity:
    """An entity being parsed whose end has not been seen yet."""

    kind: str
    offset: int  # UTF-16 code units in the output
    byte_offset: int  # UTF-8 bytes in the input (for error messages)
    argument: str = ""
    marker: str = ""


def u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of MessageEntity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class ParseError(Exception):
    pass


class Output:
    """Accumulates parsed text and its entities (offsets in UTF-16 units)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSONDict] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += u16(text)

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


def _html_entity_error(text: str, pos: int) -> ParseError:
    match = re.match(r"&#?[A-Za-z0-9]*;?", text[pos:])
    shown = match.group(0) if match else "&"
    where = byte_offset(text, pos)
    if shown == "&":
        return ParseError(f'Unescaped "&" at byte offset {where}; it must be written as "&amp;"')
    return ParseError(f'Unsupported HTML entity "{shown}" at byte offset {where}')


def parse_html(text: str, *, strict: bool) -> tuple[str, list[JSONDict]]:
    """Telegram's HTML parse mode. With ``strict``, a lone ``&`` or ``&nbsp;`` is an error."""
    out = Output()
    stack: list[OpenEntity] = []
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
        where = byte_offset(text, begin)
        if i + 1 < n and text[i + 1] == "/":
            if not stack:
                raise ParseError(f"Unexpected end tag at byte offset {where}")
            i += 2
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[begin + 2 : i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise ParseError(f"Unclosed end tag at byte offset {where}")
            i += 1
            top = stack.pop()
            if end_name and end_name != top.kind:
                raise ParseError(
                    f'Unmatched end tag at byte offset {where}, expected "</{top.kind}>", '
                    f'found "</{end_name}>"'
                )
            _close_html_entity(out, top)
            continue
        i += 1
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise ParseError(f"Unclosed start tag at byte offset {where}")
        tag = text[begin + 1 : i].lower()
        if tag not in _HTML_TAGS:
            raise ParseError(f'Unsupported start tag "{tag}" at byte offset {where}')
        argument, i = _parse_html_attributes(text, i, tag, where, strict=strict)
        if tag == "span" and argument != "spoiler":
            raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
        stack.append(OpenEntity(tag, out.pos, where, argument))
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].kind}"')
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
            raise ParseError(f'Unclosed start tag "{tag}" at byte offset {where}')
        if text[i] == ">":
            return argument, i + 1
        name_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {where}')
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            raise ParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {where}"
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise ParseError(f'Unclosed start tag "{tag}" at byte offset {where}')
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
                raise ParseError(f"Unclosed start tag at byte offset {where}")
            i += 1
            value = "".join(chars)
        else:
            token_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[token_start:i].lower()
            if i < n and not text[i].isspace() and text[i] != ">":
                raise ParseError(
                    f"Unexpected end of name token at byte offset {byte_offset(text, token_start)}"
                )
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _close_html_entity(out: Output, opened: OpenEntity) -> None:
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


_TRIM = " \t\r\n"


def trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram, clipping the entities to match."""
    stripped = text.strip(_TRIM)
    if stripped == text:
        return text, entities
    lead = u16(text[: len(text) - len(text.lstrip(_TRIM))])
    total = u16(stripped)
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


def user_entities(text: str) -> list[JSONDict]:
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
                {"type": kind, "offset": u16(text[:start]), "length": u16(match.group(0))}
            )
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    params: JSONDict,
    text_name: str,
    entities_name: str,
    *,
    limit: int,
    required: bool,
    parse_modes: Mapping[str, ParseMode],
) -> tuple[str, list[JSONDict], str | None, str | None]:
    """Parse text or caption per parse_mode; returns (text, entities, raw, parse_mode)."""
    raw = opt_str(params, text_name)
    parse_mode = opt_str(params, "parse_mode") or None
    given = params.get(entities_name)
    if raw is None:
        raw = ""
    if given is not None:
        if not isinstance(given, list) or not all(isinstance(e, dict) for e in given):
            raise bad_request(f"can't parse {entities_name} JSON object")
        text, entities = raw, [dict(e) for e in given]
    elif parse_mode is None:
        text, entities = raw, []
    else:
        parse = parse_modes.get(parse_mode.lower())
        if parse is None:
            raise bad_request("unsupported parse_mode")
        try:
            text, entities = parse(raw)
        except ParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    for entity in entities:
        entity.pop("_language", None)
    text, entities = trim(text, entities)
    if required and not text:
        raise bad_request("message text is empty")
    if len(text) > limit:
        raise bad_request("message is too long" if required else "message caption is too long")
    return text, entities, (raw if raw else None), parse_mode
