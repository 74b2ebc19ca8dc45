"""A queued, channel-neutral message as WhatsApp messages: text, reply buttons or lists.

Pure functions, no I/O. The engine's prompts use a tiny HTML subset (<b>, <i>, escaped user
text); WhatsApp uses *bold* and _italic_. Choices become reply buttons (at most 3, titles up to
20 characters) or list messages (at most 10 rows, titles up to 24 characters); a label over the
limit keeps its start and ends with "…", and the full label goes into the row's description.
The ids are the engine's `Button.data`, so a press comes back exactly as on Telegram.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from conversations import texts
from conversations.i18n import Lang, Text

MAX_TEXT = 4096  # a text message's body
MAX_BODY = 1024  # an interactive message's body
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20

OWN_NUMBER_DATA = "wa:own_number"

_TAGS = re.compile(r"</?([bi])>")


@dataclass(frozen=True)
class Choice:
    title: str  # as shown, within WhatsApp's limit
    id: str
    description: str | None = None  # the full label, when the title had to be shortened


@dataclass(frozen=True)
class WaMessage:
    """One Graph API message: plain text, text with reply buttons, or a list."""

    kind: Literal["text", "buttons", "list"]
    text: str
    choices: tuple[Choice, ...] = ()
    list_button: str = ""
    section: str = ""


def to_whatsapp_text(text: str) -> str:
    """<b>x</b> → *x*, <i>x</i> → _x_, entities unescaped (the text was escaped for HTML)."""
    return html.unescape(_TAGS.sub(lambda m: "*" if m.group(1) == "b" else "_", text))


def shorten(label: str, limit: int) -> str:
    """Keep the start of a label that is over `limit` characters, ending it with "…"."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + "…"


def _unique_titles(labels: Sequence[str], limit: int) -> list[str]:
    titles: list[str] = []
    for label in labels:
        title = shorten(label, limit)
        n = 2
        while title.casefold() in {t.casefold() for t in titles}:
            suffix = f" {n}"
            title = shorten(label, limit - len(suffix)) + suffix
            n += 1
        titles.append(title)
    return titles


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long text into parts of at most `limit`, at line breaks where possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not parts:
        parts.append(rest)
    return parts


def _body_and_lead(text: str, lang: str) -> tuple[list[str], str]:
    """An interactive body holds 1024 characters: longer text goes first, as plain messages."""
    if text and len(text) <= MAX_BODY:
        return [], text
    paragraphs = text.split("\n\n")
    tail: list[str] = []
    while paragraphs and len("\n\n".join([paragraphs[-1], *tail])) <= MAX_BODY:
        tail.insert(0, paragraphs.pop())
    if not tail or not paragraphs:
        return split_text(text), _render(texts.CHOOSE, lang)
    return split_text("\n\n".join(paragraphs)), "\n\n".join(tail)


def _render(text: Text, lang: str) -> str:
    return text.render(Lang.EN if lang == Lang.EN else Lang.ID)


def render(payload: Mapping[str, Any], *, lang: str = "id") -> list[WaMessage]:
    """The WhatsApp messages for one queued payload (`Prompt.to_dict()` shape)."""
    text = to_whatsapp_text(str(payload.get("text") or "")).strip()
    options: list[tuple[str, str]] = [
        (str(label), str(data)) for row in payload.get("buttons") or [] for label, data in row
    ]
    if payload.get("ask_contact"):
        options.insert(0, (_render(texts.SHARE_NUMBER_WHATSAPP, lang), OWN_NUMBER_DATA))
    if not options:
        return [WaMessage("text", part) for part in split_text(text or "-")]
    lead, body = _body_and_lead(text, lang)
    messages = [WaMessage("text", part) for part in lead]
    labels = [label for label, _ in options]
    if len(options) <= MAX_BUTTONS:
        titles = _unique_titles(labels, MAX_BUTTON_TITLE)
        choices = tuple(
            Choice(title, data[:MAX_BUTTON_ID])
            for title, (_, data) in zip(titles, options, strict=True)
        )
        return [*messages, WaMessage("buttons", body, choices)]
    titles = _unique_titles(labels, MAX_ROW_TITLE)
    rows = [
        Choice(
            title,
            data[:MAX_ROW_ID],
            shorten(label, MAX_ROW_DESCRIPTION) if title != " ".join(label.split()) else None,
        )
        for title, (label, data) in zip(titles, options, strict=True)
    ]
    for start in range(0, len(rows), MAX_ROWS):
        messages.append(
            WaMessage(
                "list",
                body if start == 0 else _render(texts.MORE_OPTIONS, lang),
                tuple(rows[start : start + MAX_ROWS]),
                list_button=shorten(_render(texts.LIST_BUTTON, lang), MAX_LIST_BUTTON),
                section=shorten(_render(texts.LIST_SECTION, lang), MAX_ROW_TITLE),
            )
        )
    return messages
