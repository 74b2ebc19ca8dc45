"""What every `wbs-officer` command shares: settings, the store, the acting officer, errors.

Errors are one line on stderr. Exit codes: 2 for a usage or configuration error (a bad argument,
a missing option, an unreadable config), 1 for a missing case and for anything refused (a move
the transition table does not allow, a command for admins only, a confirmation declined).
"""

from __future__ import annotations

import asyncio
import getpass
import html
import re
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
from conversations.i18n import Lang
from conversations.ports import ReportRecord
from conversations.tickets import CaseName, NotATicket, resolve
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


def fail(message: str, code: int = REFUSED_EXIT) -> NoReturn:
    """One line on stderr, then exit with `code`."""
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)


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

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            if self.config is None:
                fail("missing option '--config' (the bot's TOML configuration file)", USAGE_EXIT)
            try:
                self._settings = load_settings(self.config)
            except ConfigError as exc:
                problems = str(exc).splitlines()
                if len(problems) == 1:
                    fail(f"configuration {self.config}: {problems[0]}", USAGE_EXIT)
                typer.echo(f"Configuration error in {self.config}:", err=True)
                for problem in problems:
                    typer.echo(f"  {problem}", err=True)
                raise typer.Exit(USAGE_EXIT) from None
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
            fail(f"no database at {database}: check --config (wbs-bot creates it)", USAGE_EXIT)
        if not key_file.exists():
            fail(f"no key file at {key_file}: check --config and security.key_file", USAGE_EXIT)
        wrong_key = key_problem(database, key_file)
        if wrong_key:
            fail(wrong_key, USAGE_EXIT)

        async def main() -> T:
            try:
                vault = Vault.open_or_create(key_file)
            except KeyFileError as exc:
                fail(str(exc), USAGE_EXIT)
            store = await Store.open(database, vault)
            try:
                return await work(store)
            finally:
                await store.close()

        return asyncio.run(main())

    # -- acting ---------------------------------------------------------------------------

    async def actor(self, store: Store) -> Actor:
        """`--as`: an officer's Telegram user id (an admin if listed so), or a name (an officer
        for the CLI, never an admin). The id is what the audit log stores."""
        who = self.who.strip()
        telegram = self.settings.telegram
        if who.lstrip("-").isdigit():
            user_id = int(who)
            if user_id not in telegram.officer_user_ids and user_id not in telegram.admin_user_ids:
                fail(
                    f"--as {who}: not in telegram.officer_user_ids of {self.config}; "
                    "use an officer's Telegram user id or your name"
                )
            name = await store.audit.last_actor_name(str(user_id)) or str(user_id)
            return Actor(str(user_id), name, officer=True, admin=user_id in telegram.admin_user_ids)
        if not NAME.match(who) or not who:
            fail(f"--as {who!r}: a name of 1 to 64 printable characters", USAGE_EXIT)
        if who.casefold() in RESERVED_NAMES:
            fail(f"--as {who}: reserved for the bot; use your own name", USAGE_EXIT)
        return Actor(who, who, officer=True, admin=False)

    async def admin(self, store: Store) -> Actor:
        actor = await self.actor(store)
        if not actor.admin:
            fail(
                f"admin only: --as must be a Telegram user id in telegram.admin_user_ids "
                f"(--as {self.who} is not)"
            )
        return actor

    def group_address(self) -> Address:
        chat = self.settings.telegram.officer_chat_id
        if chat == 0:
            fail(
                "telegram.officer_chat_id is not set: the officers' group could not be told",
                USAGE_EXIT,
            )
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


def case_name(name: str, zone: ZoneInfo) -> CaseName:
    """A typed case: a bare number is this year's case (in the bot's zone), as in the group."""
    try:
        return resolve(name, year=clock().astimezone(zone).year)
    except NotATicket:
        fail(f"'{name}' is not a case number (example: WBS-2026-0007 or 7)", USAGE_EXIT)


async def find_case(store: Store, name: str, zone: ZoneInfo) -> ReportRecord:
    """A case by register number or running number; exit 2 if that is neither, 1 if missing."""
    case = case_name(name, zone)
    record = await store.reports.get(str(case.ticket))
    if record is None:
        if case.bare:
            fail(
                f"no case {case.typed}: {case.explained} (a bare number is this year's case; "
                f"for another year write the whole number, e.g. WBS-2025-{case.ticket.number:04d})"
            )
        fail(f"no case {name.strip()}", REFUSED_EXIT)
    return record
