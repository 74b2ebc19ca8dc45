"""What every `wbs-officer` command shares: settings, the store, the acting officer, errors.

Errors are one line on stderr, in the officers' language (`bot.language`; English until the
config is read, like --help and the option parser). Exit codes: 2 for a usage or
configuration error (a bad argument, a missing option, an unreadable config), 1 for a missing
case and for anything refused (a move the transition table does not allow, a command for
admins only, a confirmation declined, or the database held by another program's write past
the busy timeout: try again).
"""

from __future__ import annotations

import asyncio
import getpass
import html
import os
import re
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn, TypeVar
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from bot.settings import ConfigError, Settings, load_settings
from conversations.addresses import Address, Channel
from conversations.cases import Actor, CaseError, CaseService
from conversations.i18n import Lang, Text
from conversations.officer_texts import (
    C_ADMIN_ONLY,
    C_AS_BAD_NAME,
    C_AS_RESERVED,
    C_AS_UNKNOWN,
    C_BAD_KEY,
    C_CONFIG_PROBLEM,
    C_CONFIG_PROBLEMS,
    C_HOLDERS,
    C_HOLDERS_UNKNOWN,
    C_LOCKED,
    C_NO_CASE,
    C_NO_CASE_BARE,
    C_NO_CONFIG,
    C_NO_DATABASE,
    C_NO_GROUP,
    C_NO_KEY,
    C_NOT_A_CASE,
)
from conversations.ports import ReportRecord
from conversations.tickets import CaseName, NotATicket, resolve
from storage.migrations import schema_problem
from storage.recovery_key import key_problem
from storage.store import Store
from storage.vault import KeyFileError, Vault

T = TypeVar("T")

RESERVED_NAMES = frozenset({"pelapor", "sistem", "unknown"})  # actors the bot itself writes
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")
TAG = re.compile(r"<[^>]+>")
USAGE_EXIT = 2
REFUSED_EXIT = 1


def utc_now() -> datetime:
    return datetime.now(UTC)


# The CLI's clock; tests replace it (`monkeypatch.setattr(context, "clock", ...)`).
clock: Callable[[], datetime] = utc_now


def interactive() -> bool:
    """Whether a person is at the terminal, reading what is printed (then we ask first)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


# The officers' language, from the config once it is read; until then (a usage error, an
# unreadable config) the language of the tool's --help and of its option parser: English.
_language: list[Lang] = [Lang.EN]


def language() -> Lang:
    return _language[0]


def say(text: Text, **params: object) -> str:
    """A CLI text in the officers' language."""
    return text.render(language(), **params)


def fail(message: Text | str, code: int = REFUSED_EXIT, **params: object) -> NoReturn:
    """One line on stderr, in one language, then exit with `code`."""
    line = say(message, **params) if isinstance(message, Text) else message
    typer.echo(f"wbs-officer: {' '.join(line.split())}", err=True)
    raise typer.Exit(code)


def holders(database: Path) -> str:
    """Which other programs have the database open (Linux /proc), for a 'locked' message."""
    wanted = {str(database.resolve()), f"{database.resolve()}-wal"}
    names: list[str] = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        pid = int(fd_dir.parent.name)
        if pid == os.getpid():
            continue
        try:
            if not any(os.readlink(fd) in wanted for fd in fd_dir.iterdir()):
                continue
            argv = (fd_dir.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        words = [Path(a.decode(errors="replace")).name for a in argv if a]
        name = next(
            (w for w in words if w in ("wbs-bot", "wbs-officer")), words[0] if words else "?"
        )
        names.append(f"{name} (pid {pid})")
    if not names:
        return say(C_HOLDERS_UNKNOWN)
    return say(C_HOLDERS, names=", ".join(sorted(set(names))))


def plain(text: str) -> str:
    """A message written for Telegram's HTML, for a terminal: no tags, no entities."""
    return html.unescape(TAG.sub("", text))


def console() -> Console:
    """Rich output that never interprets what it prints (reporter text may contain `[b]`)."""
    return Console(markup=False, emoji=False, highlight=False)


class Context:
    """Per invocation: the config is read only when a command needs it (so `--help` works
    without one), and each command opens the database for one short unit of work."""

    def __init__(self, config: Path | None, who: str | None) -> None:
        self.config = config
        self.who = who if who is not None else getpass.getuser()
        self._settings: Settings | None = None
        _language[0] = Lang.EN

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            if self.config is None:
                fail(C_NO_CONFIG, USAGE_EXIT)
            try:
                self._settings = load_settings(self.config)
            except ConfigError as exc:
                problems = str(exc).splitlines()
                if len(problems) == 1:
                    fail(C_CONFIG_PROBLEM, USAGE_EXIT, config=self.config, problem=problems[0])
                typer.echo(say(C_CONFIG_PROBLEMS, config=self.config), err=True)
                for problem in problems:
                    typer.echo(f"  {problem}", err=True)
                raise typer.Exit(USAGE_EXIT) from None
            _language[0] = Lang(self._settings.bot.language)
        return self._settings

    @property
    def lang(self) -> Lang:
        return Lang(self.settings.bot.language)

    def run(self, work: Callable[[Store], Awaitable[T]]) -> T:
        settings = self.settings
        database, key_file = settings.storage.database, settings.security.key_file
        # Never create a database or a key here: a wrong --config would otherwise start an
        # empty register (and a new key) beside the real one.
        if not database.exists():
            fail(C_NO_DATABASE, USAGE_EXIT, database=database)
        if not key_file.exists():
            fail(C_NO_KEY, USAGE_EXIT, key_file=key_file)
        wrong_key = schema_problem(database) or key_problem(database, key_file)
        if wrong_key:
            fail(wrong_key, USAGE_EXIT)

        async def main() -> T:
            try:
                vault = Vault.open_or_create(key_file)
            except KeyFileError as exc:
                fail(C_BAD_KEY, USAGE_EXIT, error=exc)
            store = await Store.open(database, vault)
            try:
                return await work(store)
            finally:
                await store.close()

        try:
            return asyncio.run(main())
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            # Another process kept its write lock past the busy timeout: nothing was written.
            fail(C_LOCKED, REFUSED_EXIT, database=database, holders=holders(database))

    # -- acting ---------------------------------------------------------------------------

    async def actor(self, store: Store) -> Actor:
        """`--as`: an officer's Telegram user id (an admin if listed so), or a name (an officer
        for the CLI, never an admin). The id is what the audit log stores."""
        who = self.who.strip()
        telegram = self.settings.telegram
        if who.lstrip("-").isdigit():
            user_id = int(who)
            if user_id not in telegram.officer_user_ids and user_id not in telegram.admin_user_ids:
                fail(C_AS_UNKNOWN, who=who, config=self.config)
            name = await store.audit.last_actor_name(str(user_id)) or str(user_id)
            return Actor(str(user_id), name, officer=True, admin=user_id in telegram.admin_user_ids)
        if not NAME.match(who) or not who:
            fail(C_AS_BAD_NAME, USAGE_EXIT, who=repr(who))
        if who.casefold() in RESERVED_NAMES:
            fail(C_AS_RESERVED, USAGE_EXIT, who=who)
        return Actor(who, who, officer=True, admin=False)

    async def admin(self, store: Store) -> Actor:
        actor = await self.actor(store)
        if not actor.admin:
            fail(C_ADMIN_ONLY, who=self.who)
        return actor

    def group_address(self) -> Address:
        chat = self.settings.telegram.officer_chat_id
        if chat == 0:
            fail(C_NO_GROUP, USAGE_EXIT)
        return Address.of(Channel.TELEGRAM, chat)  # the officers' group

    def cases(self, store: Store) -> CaseService:
        return CaseService(
            store,
            officer_address=self.group_address(),
            zone=self.settings.bot.zone,
            lang=self.lang,
            clock=lambda: clock(),
        )

    def refused(self, error: CaseError) -> NoReturn:
        fail(plain(error.render(self.lang)), REFUSED_EXIT)

    def say(self, text: Text, **params: object) -> str:
        self.settings  # noqa: B018 - the language is the config's
        return say(text, **params)


def case_name(name: str, zone: ZoneInfo) -> CaseName:
    """A typed case: a bare number is this year's case (in the bot's zone), as in the group."""
    try:
        return resolve(name, year=clock().astimezone(zone).year)
    except NotATicket:
        fail(C_NOT_A_CASE, USAGE_EXIT, name=name)


async def find_case(store: Store, name: str, zone: ZoneInfo) -> ReportRecord:
    """A case by register number or running number; exit 2 if that is neither, 1 if missing."""
    case = case_name(name, zone)
    record = await store.reports.get(str(case.ticket))
    if record is None:
        if case.bare:
            example = f"WBS-{case.ticket.year - 1}-{case.ticket.number:04d}"
            fail(C_NO_CASE_BARE, name=case.typed, explained=case.explained, example=example)
        fail(C_NO_CASE, REFUSED_EXIT, name=name.strip())
    return record
