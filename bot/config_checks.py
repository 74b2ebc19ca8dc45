"""What `check-config` and `run` say about a valid file that is still wrong, key by key.

Errors stop the start (a positive group id would send every alert to one person's private
chat); warnings are printed and the bot may run (a token of an unusual shape may be right for
a local Bot API server). Each line names the key first, for the operator, in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

from bot.settings import Settings
from bot.whatsapp import whatsapp_problems
from storage.migrations import schema_problem
from storage.recovery_key import key_problem

# @BotFather's tokens: the bot's numeric id, a colon, 35 characters of A-Z, a-z, 0-9, _ and -.
TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str  # starts with the key, e.g. "telegram.officer_chat_id: ..."

    def __str__(self) -> str:
        return f"{self.level.value:<7}  {self.text}"


def _telegram(settings: Settings) -> list[Finding]:
    telegram = settings.telegram
    found = []
    if telegram.token and not TOKEN_SHAPE.match(telegram.token):
        found.append(
            Finding(
                Level.WARNING,
                "telegram.token: does not look like a token from @BotFather "
                "(digits, a colon, then 35 letters, digits, _ or -). Copy it again, whole.",
            )
        )
    if telegram.officer_chat_id > 0:
        found.append(
            Finding(
                Level.ERROR,
                f"telegram.officer_chat_id: {telegram.officer_chat_id} is a person's private "
                "chat, who would receive every alert. The officers' group has a negative id "
                "(such as -1001234567890).",
            )
        )
    if not telegram.officer_user_ids:
        found.append(
            Finding(
                Level.WARNING,
                "telegram.officer_user_ids: empty. Nobody can act on a case in the group "
                "(add the officers' Telegram user ids).",
            )
        )
    if not telegram.admin_user_ids:
        found.append(
            Finding(
                Level.WARNING,
                "telegram.admin_user_ids: empty. Nobody can reopen a case or reveal an "
                "identity when the law requires it.",
            )
        )
    strays = sorted(set(telegram.admin_user_ids) - set(telegram.officer_user_ids))
    if telegram.officer_user_ids and strays:
        found.append(
            Finding(
                Level.WARNING,
                f"telegram.admin_user_ids: {', '.join(map(str, strays))} not in "
                "telegram.officer_user_ids, so they cannot run the officers' commands.",
            )
        )
    if telegram.webhook_url:
        scheme = urlparse(telegram.webhook_url).scheme
        if scheme != "https":
            found.append(
                Finding(
                    Level.ERROR,
                    f"telegram.webhook_url: must start with https:// (Telegram sends updates "
                    f"only over HTTPS; you wrote {scheme or 'no'}://).",
                )
            )
    try:
        listen_address(settings)
    except ValueError as exc:
        found.append(Finding(Level.ERROR, f"telegram.webhook_listen: {exc}"))
    return found


def listen_address(settings: Settings) -> tuple[str, int]:
    """Where the Telegram webhook is served: `telegram.webhook_listen`; ValueError if malformed."""
    from bot.whatsapp.channel import parse_listen

    return parse_listen(settings.telegram.webhook_listen)


def findings(settings: Settings) -> list[Finding]:
    """Everything wrong with a valid configuration, errors first; the key file included."""
    found = [Finding(Level.ERROR, line) for line in settings.problems_for_running()]
    found += [Finding(Level.ERROR, line) for line in whatsapp_problems(settings)]
    found += _telegram(settings)
    schema = schema_problem(settings.storage.database)
    key = None if schema else key_problem(settings.storage.database, settings.security.key_file)
    for problem in (schema, key):
        if problem:
            found.append(Finding(Level.ERROR, problem))
    return sorted(found, key=lambda f: f.level != Level.ERROR)


def errors(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.level == Level.ERROR]
