"""Bilingual texts: Bahasa Indonesia first, English through /bahasa.

A `Text` is defined next to the rule or field that uses it, so the wording and the logic it
explains live together; `render` picks the reader's language.
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
