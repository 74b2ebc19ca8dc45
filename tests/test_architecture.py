"""The dependency arrows: storage imports nothing of ours, the domain nothing of storage or bot.

Checked on the import statements themselves (any depth, TYPE_CHECKING blocks included), so
an indented import cannot slip past the way it would past a grep for `^from`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conversations import ports
from storage import audit

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "storage": {"conversations", "bot", "officer_cli"},
    "conversations": {"storage", "bot", "officer_cli"},
}


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_it_must_not(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_the_ports_name_the_actors_the_store_records() -> None:
    assert (ports.REPORTER_ACTOR, ports.SYSTEM_ACTOR) == (audit.REPORTER_ACTOR, audit.SYSTEM_ACTOR)
