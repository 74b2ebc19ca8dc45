"""The reporter's commands as one table, for every channel.

Telegram registers them (and its command menu) from this table; WhatsApp, which has no menu,
reads them from typed text, with or without the slash; `/bantuan` lists them. A new command
is a new row here and a handler in `ReportingService`, checked at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from conversations import texts
from conversations.i18n import Lang, Text


class ReporterCommand(StrEnum):
    START = "start"
    LAPOR = "lapor"
    STATUS = "status"
    BUKTI = "bukti"
    BALAS = "balas"
    BATAL = "batal"
    BAHASA = "bahasa"
    PRIVASI = "privasi"
    BANTUAN = "bantuan"


@dataclass(frozen=True)
class CommandRow:
    name: ReporterCommand
    help: Text  # one line of /bantuan, and the command's description in Telegram's menu
    args: Text | None = None  # what follows the command, as /bantuan shows it
    aliases: tuple[str, ...] = ()  # other words for it (WhatsApp users type words)
    names_a_case: bool = False  # typed without the slash, it needs a case number after it
    in_menu: bool = True  # listed in /bantuan and the menu (/start is what the app sends)


COMMANDS: tuple[CommandRow, ...] = (
    CommandRow(ReporterCommand.START, texts.CMD_START, aliases=("menu", "mulai"), in_menu=False),
    CommandRow(ReporterCommand.LAPOR, texts.CMD_LAPOR),
    CommandRow(ReporterCommand.STATUS, texts.CMD_STATUS),
    CommandRow(ReporterCommand.BUKTI, texts.CMD_BUKTI, texts.ARGS_CASE, names_a_case=True),
    CommandRow(ReporterCommand.BALAS, texts.CMD_BALAS, texts.ARGS_CASE_TEXT, names_a_case=True),
    CommandRow(ReporterCommand.BATAL, texts.CMD_BATAL, aliases=("batalkan",)),
    CommandRow(ReporterCommand.BAHASA, texts.CMD_BAHASA),
    CommandRow(ReporterCommand.PRIVASI, texts.CMD_PRIVASI),
    CommandRow(ReporterCommand.BANTUAN, texts.CMD_BANTUAN, aliases=("help",)),
)
TELEGRAM_NAME = re.compile(r"^[a-z0-9_]{1,32}$")  # what Telegram accepts as a command
CASE_ARGUMENT = re.compile(r"^(?:WBS-\d{4}-\d{4,}|\d{1,6})\b", re.IGNORECASE)


class CommandTableError(ValueError):
    """The table is inconsistent (found at start-up, before any reporter writes)."""


def check_commands(rows: Iterable[CommandRow] = COMMANDS) -> dict[str, CommandRow]:
    """Every word (name or alias) → its row; raises CommandTableError on a clash."""
    words: dict[str, CommandRow] = {}
    for row in rows:
        for word in (row.name.value, *row.aliases):
            if not TELEGRAM_NAME.match(word):
                raise CommandTableError(f"command word {word!r} is not a Telegram command name")
            if word in words:
                raise CommandTableError(f"command word {word!r} is used twice")
            words[word] = row
    missing = set(ReporterCommand) - {row.name for row in words.values()}
    if missing:
        raise CommandTableError(f"commands without a row: {sorted(missing)}")
    for row in words.values():
        for text in (row.help, row.args):
            if text is not None and not (text.id.strip() and text.en.strip()):
                raise CommandTableError(f"/{row.name} needs its help in id and en")
    return words


WORDS = check_commands()


def command_named(word: str) -> ReporterCommand | None:
    """The command a word names (its name or an alias, any case), or None."""
    row = WORDS.get(word.casefold())
    return row.name if row is not None else None


def read_slash_command(text: str) -> tuple[ReporterCommand, str] | None:
    """`/lapor`, `/balas WBS-2026-0007 teks`, `/lapor@WbsBot`: the command and the text after
    it. An unknown command is the help (as on Telegram); no slash, or a bare slash: None."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return None
    words = stripped[1:].split(maxsplit=1)
    if not words:
        return None
    word = words[0].partition("@")[0]  # Telegram's /command@botname
    args = words[1] if len(words) > 1 else ""
    return command_named(word) or ReporterCommand.BANTUAN, args


def read_typed_command(text: str) -> tuple[ReporterCommand, str] | None:
    """A command typed as text (WhatsApp): `/lapor`, `lapor`, `balas 7 …`, or None.

    With the slash anything is a command (unknown ones get the help); without it only a
    message that is just the command's word (or `balas`/`bukti` and a case), so a form answer
    that starts with "Lapor …" stays an answer.
    """
    slashed = read_slash_command(text)
    if slashed is not None or text.strip().startswith("/"):
        return slashed
    words = text.strip().split(maxsplit=1)
    if not words:
        return None
    name = command_named(words[0].rstrip(".!?,;:"))
    if name is None:
        return None
    args = words[1].strip() if len(words) > 1 else ""
    if WORDS[name].names_a_case:
        return (name, args) if not args or CASE_ARGUMENT.match(args) else None
    return (name, "") if not args else None


def menu_rows() -> list[CommandRow]:
    return [row for row in COMMANDS if row.in_menu]


def help_text(lang: Lang, *, typed: bool = False) -> str:
    """`/bantuan`: one line per command of the table; `typed` adds how to type them."""
    lines = [texts.HELP_TITLE.render(lang)]
    for row in menu_rows():
        args = f" {row.args.render(lang)}" if row.args is not None else ""
        lines.append(f"/{row.name}{args} – {row.help.render(lang)}")
    footer = [texts.HELP_FOOTER.render(lang)]
    if typed:
        footer.append(texts.HELP_TYPED.render(lang))
    return "\n".join(lines) + "\n\n" + " ".join(footer)


def menu_commands(lang: Lang) -> list[tuple[str, str]]:
    """Telegram's command menu: (command, description) in the table's order."""
    return [(row.name.value, row.help.render(lang)) for row in menu_rows()]
