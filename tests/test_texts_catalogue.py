"""Every text a reporter or officer reads exists in Bahasa Indonesia and English, with the same
placeholders, so a language switch can never drop a ticket number or fail to format."""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from types import ModuleType
from typing import Any

import pytest

from conversations import (
    alerts,
    case_actions,
    case_views,
    cases,
    engine,
    followups,
    form,
    officer_texts,
    sanitizing,
    statistics,
    texts,
    workflow,
)
from conversations.i18n import Text

pytestmark = pytest.mark.unit

CATALOGUES: tuple[ModuleType, ...] = (
    officer_texts,
    texts,
    workflow,
    case_actions,
    alerts,
    case_views,
    cases,
    statistics,
    engine,
    followups,
    sanitizing,
)


def texts_in(value: Any, where: str, seen: set[int]) -> Iterator[tuple[str, Text]]:
    """Every `Text` inside a value: dicts, tuples, lists and dataclasses, recursively."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Text):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{where}[{key!r}]", seen)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for n, item in enumerate(value):
            yield from texts_in(item, f"{where}[{n}]", seen)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from texts_in(getattr(value, field.name), f"{where}.{field.name}", seen)


def every_text() -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = []
    seen: set[int] = set()
    for module in CATALOGUES:
        for name, value in vars(module).items():
            if not name.startswith("__"):
                found += texts_in(value, f"{module.__name__}.{name}", seen)
    built = form.build_form(services=["SIMPEG", "SIPORA"], allow_anonymous=True)
    for spec in built.fields:
        found += texts_in(spec, f"form.{spec.id}", seen)
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_catalogues_hold_texts() -> None:
    names = {where for where, _ in every_text()}
    assert len(names) > 200
    assert "conversations.officer_texts.T_FINAL" in names
    assert any(where.startswith("form.") for where in names)


@pytest.mark.parametrize("where,text", every_text(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_text_has_both_languages_with_the_same_placeholders(where: str, text: Text) -> None:
    assert text.id.strip() and text.en.strip(), f"{where} is missing a language"
    assert placeholders(text.id) == placeholders(text.en), where
