"""The reporter side's named things: addresses, outbox kinds, the commands' table, the texts."""

from __future__ import annotations

import string

import pytest

from conversations import texts
from conversations.addresses import Address, AddressError, Channel
from conversations.followups import TO_REPORTER, Due
from conversations.i18n import Lang, Text
from conversations.outbox_kinds import OutboxKind
from conversations.reporter_commands import (
    COMMANDS,
    CommandRow,
    CommandTableError,
    ReporterCommand,
    check_commands,
    help_text,
    menu_commands,
    read_slash_command,
)


def test_an_address_knows_its_channel_and_stays_the_stored_text() -> None:
    group = Address.of(Channel.TELEGRAM, -1001234567890)
    assert group == "telegram:-1001234567890"
    assert group.channel is Channel.TELEGRAM and group.chat_id == "-1001234567890"
    reporter = Address("whatsapp:6281234567890")
    assert reporter.channel is Channel.WHATSAPP and reporter.chat_id == "6281234567890"
    assert {reporter: 1}["whatsapp:6281234567890"] == 1  # hashes as the plain text


@pytest.mark.parametrize("text", ["", "telegram", "telegram:", "sms:0812", ":12", "tg:1"])
def test_anything_else_is_not_an_address(text: str) -> None:
    with pytest.raises(AddressError):
        Address(text)


def test_outbox_kinds_keep_the_strings_existing_databases_hold() -> None:
    assert {k.value for k in OutboxKind} == {
        "reply",
        "submitted",
        "to_reporter",
        "reminder",
        "draft_expiry",
        "alert",
        "evidence",
        "case",
        "no_response",
        "not_acknowledged",
        "sla_warning",
        "sla_overdue",
        "digest",
        "identity",
    }
    # A follow-up for the group is queued under its own name; the reporter's go as reminders.
    group_kinds = set(Due) - TO_REPORTER - {Due.ERASE_IDENTITY}
    assert {OutboxKind(kind) for kind in group_kinds} <= set(OutboxKind)


def test_every_command_has_one_row_and_a_help_line_in_both_languages() -> None:
    assert [row.name for row in COMMANDS] == list(ReporterCommand)
    for lang in Lang:
        help_lines = help_text(lang)
        for command, description in menu_commands(lang):
            assert f"/{command}" in help_lines and description in help_lines
    assert "/start" not in help_text(Lang.ID)  # what the app sends, not a menu entry
    assert "garis miring" in help_text(Lang.ID, typed=True)


def test_the_table_is_checked_at_start_up() -> None:
    clash = (*COMMANDS, CommandRow(ReporterCommand.STATUS, texts.CMD_STATUS, aliases=("menu",)))
    with pytest.raises(CommandTableError, match="'status' is used twice"):
        check_commands(clash)
    with pytest.raises(CommandTableError, match="without a row"):
        check_commands(COMMANDS[1:])
    bad = CommandRow(ReporterCommand.START, texts.CMD_START, aliases=("Mulai!",))
    with pytest.raises(CommandTableError, match="not a Telegram command name"):
        check_commands((bad, *COMMANDS[1:]))
    empty = CommandRow(ReporterCommand.START, Text("Menu", ""))
    with pytest.raises(CommandTableError, match="in id and en"):
        check_commands((empty, *COMMANDS[1:]))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/lapor", ("lapor", "")),
        ("/lapor@WbsNttBot", ("lapor", "")),
        ("/balas WBS-2026-0007 sudah", ("balas", "WBS-2026-0007 sudah")),
        ("/MENU", ("start", "")),
        ("/entahlah", ("bantuan", "")),
        ("lapor", None),
    ],
)
def test_slash_commands(typed: str, expected: tuple[str, str] | None) -> None:
    assert read_slash_command(typed) == expected


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_reporter_text_has_both_languages_with_the_same_placeholders() -> None:
    catalogue = {name: v for name, v in vars(texts).items() if isinstance(v, Text)}
    assert len(catalogue) > 60
    for name, text in catalogue.items():
        assert text.id.strip() and text.en.strip(), name
        assert placeholders(text.id) == placeholders(text.en), name
