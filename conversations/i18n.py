"""Bilingual texts: Bahasa Indonesia first, English through /bahasa.

Sentences live in two catalogues, by reader: `conversations.texts` (the reporter) and
`conversations.officer_texts` (the case officers); the rows of a table (a form field's
label, a case action's help) carry their own. `render` picks the reader's language.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class Lang(StrEnum):
    ID = "id"
    EN = "en"


class Text(NamedTuple):
    """One message in both languages; `{name}` placeholders are filled by `render`."""

    id: str
    en: str

    def render(self, lang: Lang = Lang.ID, /, **params: Any) -> str:
        template = self.en if lang is Lang.EN else self.id
        return template.format(**params) if params else template
