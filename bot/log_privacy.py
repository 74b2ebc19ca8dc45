"""No person's data in any log line, from any logger: one filter on every handler.

Our own code logs ticket numbers and events (rule 11), but libraries do not: python-telegram-bot
logs the whole update with an exception, and the API calls' parameters and answers at DEBUG;
httpx and aiohttp log URLs, and a Bot API URL contains the bot token; pywa puts phone numbers
into its messages. Rather than trusting each logger, `PrivacyFilter` sits on the handlers and
rewrites every record before any formatter sees it:

- arguments that can carry a payload (an Update, a Message, a dict, a list, an exception, any
  object we do not know) become a short placeholder; an update keeps its id and type;
- a record from python-telegram-bot that carries an exception becomes one line: what failed,
  the exception's type and where it was raised, never its message or the update;
- any other exception is shown as its type and its frames (file, line, code), never its text;
- bot tokens, URL paths and queries, e-mail addresses and phone-like numbers are masked in the
  final text, whatever put them there.

A filter attached to a handler runs for records of every logger that reach it, library loggers
included; `install` puts it on every handler of the root logger.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import PurePath
from typing import Any

from telegram import TelegramObject, Update

TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")
# scheme://host stays (which service failed is useful); path, query and fragment go.
URL = re.compile(r"\b([a-z][a-z0-9+.-]*://[^/\s?#'\"<>]+)[/?#][^\s'\"<>)]*", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: "+62 812-3456-7890", "081234567890", "6281234567890" (WhatsApp ids). Update ids
# (up to 10 digits, no leading 0) and ticket numbers (WBS-2026-00012) stay readable.
PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d ()-]{6,}\d|0\d{8,}|\d{11,})(?!\w)")

MASKS = ((TOKEN, "<token>"), (URL, r"\1/…"), (EMAIL, "<email>"), (PHONE, "<number>"))

# The loggers of python-telegram-bot ("telegram.Bot", "telegram.ext.Application", ...).
PTB_LOGGERS = "telegram"
SAFE_TYPES = (int, float, bool, type(None), dt.datetime, dt.date, dt.time, dt.timedelta)
SAFE_CLASS_NAMES = frozenset({"URL", "Path", "PosixPath", "WindowsPath"})  # yarl, httpx, pathlib


def mask(text: str) -> str:
    """The text with tokens, URL paths, e-mail addresses and phone-like numbers masked."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def update_type(update: Update | Mapping[str, Any]) -> str:
    """Which kind of update ("message", "callback_query", ...), never its content."""
    data = update.to_dict(recursive=False) if isinstance(update, Update) else dict(update)
    kinds = [key for key, value in data.items() if value is not None and key != "update_id"]
    return kinds[0] if kinds else "empty"


def describe_update(update: Update | Mapping[str, Any]) -> str:
    update_id = update.update_id if isinstance(update, Update) else update.get("update_id")
    return f"update {update_id} ({update_type(update)})"


def safe_arg(value: object) -> object:
    """A log argument as it may be printed: plain values pass, payloads become placeholders."""
    if isinstance(value, Enum):
        return value.value if isinstance(value.value, int | str) else value.name
    if isinstance(value, SAFE_TYPES):
        return value
    if isinstance(value, str):
        # A JSON document (PTB's webhook logs the request body as text) is a payload.
        return "<payload>" if value.lstrip()[:1] in ("{", "[") else value
    if isinstance(value, Update):
        return describe_update(value)
    if isinstance(value, Mapping) and "update_id" in value:
        return describe_update(value)
    if isinstance(value, BaseException):
        return type(value).__name__
    if isinstance(value, TelegramObject | Mapping | bytes | bytearray | memoryview):
        return f"<{type(value).__name__}>"
    if isinstance(value, Sequence | set | frozenset):
        if value and all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            return value  # ids ("Getting updates: [12, 13]")
        return f"<{type(value).__name__} of {len(value)}>"
    if isinstance(value, PurePath) or type(value).__name__ in SAFE_CLASS_NAMES:
        return str(value)
    return f"<{type(value).__name__}>"


def exception_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def safe_traceback(error: BaseException) -> str:
    """Type and frames of the exception and of what caused it: never a message."""
    parts = []
    for item in reversed(exception_chain(error)):
        frames = "".join(traceback.format_tb(item.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(item).__name__}")
    return "\nDuring handling, another exception:\n".join(parts)


def where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {PurePath(last.filename).name}:{last.lineno}"


def _exception_of(record: logging.LogRecord) -> BaseException | None:
    info = record.exc_info
    if isinstance(info, tuple) and len(info) == 3 and isinstance(info[1], BaseException):
        return info[1]
    return None


class PrivacyFilter(logging.Filter):
    """Rewrites each record so that what any formatter prints carries no person's data."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_wbs_private", False):  # already rewritten (shared by handlers)
            return True
        error = _exception_of(record)
        template = record.msg if isinstance(record.msg, str) else f"<{type(record.msg).__name__}>"
        args = record.args
        if isinstance(args, Mapping):
            safe_args: Any = {key: safe_arg(value) for key, value in args.items()}
        elif isinstance(args, tuple):
            safe_args = tuple(safe_arg(value) for value in args)
        else:
            safe_args = ()
        try:
            text = template % safe_args if safe_args else template
        except (TypeError, ValueError, KeyError):
            text = template
        if record.name == "asyncio":  # its later lines quote tasks, futures and their values
            text = text.split("\n", 1)[0]
        if error is not None and record.name.startswith(PTB_LOGGERS):
            # One line: what PTB says failed, the type and place of the error, nothing else.
            first = text.split("\n", 1)[0]
            text = f"{first} [{where(error)}]"
            record.exc_info = None
            record.exc_text = None
        elif error is not None:
            record.exc_text = mask(safe_traceback(error))
        elif record.exc_text:
            record.exc_text = None  # pre-rendered by someone else: it may quote a message
        record.msg = mask(text)
        record.args = None
        record._wbs_private = True
        return True


def install(handler: logging.Handler) -> logging.Handler:
    """Put the privacy filter on a handler (once)."""
    if not any(isinstance(f, PrivacyFilter) for f in handler.filters):
        handler.addFilter(PrivacyFilter())
    return handler


def install_everywhere() -> None:
    """The filter on every handler of the root logger and of any logger that has its own."""
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            install(handler)
