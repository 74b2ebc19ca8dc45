"""Logging failures without leaking: the exception's type and where it happened, never its text.

An exception's message can carry what a reporter typed (a value in a KeyError, a parse
failure, a URL with the bot token); the traceback's frames and source lines do not.
"""

from __future__ import annotations

import logging
import traceback


def describe(error: BaseException) -> str:
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__name__} at\n{frames}"


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    log.error("%s failed: %s", what, describe(error))
