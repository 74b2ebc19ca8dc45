"""The one table of case actions: the group's commands, the alert's buttons, the CLI's commands
and both helps are generated from it, so none can drift from another."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.telegram_officers import Roles, TelegramOfficerGroup
from conversations.alerts import CASE_BUTTONS
from conversations.case_actions import (
    ACTIONS,
    BY_KEY,
    ActionTableError,
    Kind,
    cli_only,
    help_lines,
    validate_actions,
)
from conversations.cases import CaseService
from conversations.i18n import Lang
from conversations.tickets import NotATicket, Ticket, resolve
from conversations.workflow import CaseState, Outcome
from officer_cli.main import app as officer_app

pytestmark = pytest.mark.unit


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_table_is_consistent() -> None:
    validate_actions()
    with pytest.raises(ActionTableError, match="duplicate command 'tanya'"):
        validate_actions(
            [*ACTIONS, replace(BY_KEY["note"], key="again", cli=None, command="tanya")]
        )
    with pytest.raises(ActionTableError, match="neither"):
        validate_actions([replace(BY_KEY["note"], command=None, cli=None)])
    with pytest.raises(ActionTableError, match="audits nothing"):
        validate_actions([replace(BY_KEY["note"], audit=None)])


def test_every_acting_row_is_a_case_service_method() -> None:
    for row in ACTIONS:
        if row.kind is Kind.ACT:
            assert callable(getattr(CaseService, row.key, None)), row.key


def test_the_alert_buttons_are_the_tables_rows_with_labels_unchanged() -> None:
    labels = [label.render(Lang.ID) for label, _ in CASE_BUTTONS]
    assert labels == ["Ambil", "Minta Kelengkapan", "Telaah", "Tolak"]
    assert [key for _, key in CASE_BUTTONS] == ["take", "ask", "review", "reject"]
    assert [label.render(Lang.EN) for label, _ in CASE_BUTTONS] == labels


@pytest.mark.parametrize("lang", list(Lang))
def test_bantuan_lists_every_row(lang: Lang) -> None:
    text = "\n".join(help_lines(lang))
    for row in ACTIONS:
        if row.command:
            assert f"/{row.command} " in text + " ", row.key
            assert row.help.render(lang) in text
    assert {row.key for row in cli_only()} == {"assign", "move"}


def test_wbs_officer_help_lists_every_row() -> None:
    result = CliRunner().invoke(officer_app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    for row in ACTIONS:
        if row.cli:
            assert row.cli_name in text, row.key
        if row.command:
            assert f"/{row.command}" in text, row.key
        assert flat(row.help.en) in text, row.key


class Collecting:
    """Just enough of a PTB Application to see which handlers are added."""

    def __init__(self) -> None:
        self.handlers: list[Any] = []

    def add_handler(self, handler: Any) -> None:
        self.handlers.append(handler)


def test_each_group_command_routes_to_its_row() -> None:
    group = TelegramOfficerGroup(Roles(-1, frozenset(), frozenset()), Lang.ID)
    app = Collecting()
    group.register(app)  # type: ignore[arg-type]
    routes = {
        next(iter(h.commands)): h.callback.case_action
        for h in app.handlers
        if hasattr(h, "commands")
    }
    assert routes == {row.command: row.key for row in ACTIONS if row.command}


def test_each_cli_command_routes_to_its_row() -> None:
    routes: dict[str, str] = {}

    def walk(app: typer.Typer, path: tuple[str, ...]) -> None:
        for command in app.registered_commands:
            action = getattr(command.callback, "case_action", None)
            if action is not None:
                routes[" ".join((*path, command.name or ""))] = action
        for group in app.registered_groups:
            assert group.typer_instance is not None
            walk(group.typer_instance, (*path, group.name or ""))

    walk(officer_app, ())
    assert routes == {row.cli_name: row.key for row in ACTIONS if row.cli and row.kind is Kind.ACT}


@pytest.mark.parametrize(
    ("key", "line", "values"),
    [
        ("ask", "7  Kapan\n tepatnya?", {"name": "7", "question": "Kapan\n tepatnya?"}),
        ("call", "7 SAKSI", {"name": "7", "who": "saksi", "info": ""}),
        ("call", "7 pelapor Senin 09.00", {"name": "7", "who": "pelapor", "info": "Senin 09.00"}),
        (
            "close",
            "WBS-2026-0007 terbukti Dijatuhi hukuman.",
            {"name": "WBS-2026-0007", "outcome": Outcome.PROVEN, "summary": "Dijatuhi hukuman."},
        ),
        ("list", "", {"state": None}),
        ("list", "telaah", {"state": CaseState.REVIEW}),
        ("stats", "11/2026", {"month": "2026-11"}),
    ],
)
def test_a_typed_line_is_parsed_by_the_rows_parsers(
    key: str, line: str, values: dict[str, Any]
) -> None:
    assert BY_KEY[key].parse_words(line) == values


@pytest.mark.parametrize(
    ("key", "line"),
    [("ask", "7"), ("ask", ""), ("call", "7 polisi"), ("close", "7 mungkin x"), ("list", "entah")],
)
def test_a_wrong_line_is_refused(key: str, line: str) -> None:
    with pytest.raises(ValueError):
        BY_KEY[key].parse_words(line)


def test_a_bare_number_is_this_years_case() -> None:
    assert str(resolve("7", year=2026).ticket) == "WBS-2026-0007"
    assert resolve("0007", year=2026).explained == "0007 → WBS-2026-0007"
    named = resolve("wbs-2025-0007", year=2026)
    assert named.ticket == Ticket(2025, 7) and not named.bare
    assert named.explained == "WBS-2025-0007"
    assert Ticket.parse("WBS-2026-0012") == Ticket(2026, 12)
    for wrong in ("abc", "WBS-26-1", "", "7a"):
        with pytest.raises(NotATicket):
            resolve(wrong, year=2026)
