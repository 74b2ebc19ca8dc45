"""Telegram updates the bot cannot read, or whose handling failed: set aside, never retried.

python-telegram-bot parses a getUpdates batch all at once; one entry it cannot turn into an
`Update` (an older poll shape, a field a newer Bot API made required) fails the whole batch,
the offset never moves, and polling fetches the same batch forever while nobody else is
answered. `TolerantBot` parses each entry on its own: an unreadable one becomes an empty
placeholder `Update` with the same id (so the offset moves past it) that carries the raw entry,
and `SetAside` handles it first, before any other handler.

Whether an update could not be read or its handler raised, it is treated the same way: one
WARNING line with the update's id and type and the error's type and place (nothing a person
wrote), and a short apology through the outbox to the chat it came from, when that is a private
chat or the officers' group. Nothing is sent to other groups.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, ContextTypes, ExtBot

from bot.log_privacy import update_type, where
from conversations import texts
from conversations.addresses import Address, Channel
from conversations.i18n import Text
from conversations.reporting import ReportingService

log = logging.getLogger(__name__)

UNREADABLE = "wbs_unreadable"  # the placeholder's api_kwargs key: the raw entry and the error


def read_update(entry: object, bot: ExtBot[Any] | None) -> Update | None:
    """One entry of getUpdates (or a webhook body) as an Update; a placeholder when PTB
    cannot read it; None when it has no update id at all (nothing to acknowledge)."""
    try:
        return Update.de_json(cast("JSONDict", entry), bot)
    except Exception as exc:
        update_id = entry.get("update_id") if isinstance(entry, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("an update without an id was dropped: %s", where(exc))
            return None
        return Update(update_id, api_kwargs={UNREADABLE: {"entry": entry, "error": where(exc)}})


def read_updates(entries: Sequence[object], bot: ExtBot[Any] | None) -> tuple[Update, ...]:
    updates = (read_update(entry, bot) for entry in entries)
    return tuple(update for update in updates if update is not None)


class TolerantBot(ExtBot[Any]):
    """PTB's bot, except that getUpdates parses each update on its own (see the module)."""

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,  # noqa: ASYNC109 - PTB's signature
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        # As Bot.get_updates (PTB 22): the long poll's own timeout extends the read timeout.
        data: JSONDict = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        if isinstance(read_timeout, DefaultValue):
            base = self._request[0].read_timeout or 0
        else:
            base = read_timeout or 0
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else timeout or 0
        result = await self._post(
            "getUpdates",
            data,
            read_timeout=base + seconds,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        updates = read_updates(result if isinstance(result, list) else [], self)
        for update in updates:
            self.insert_callback_data(update)
        return updates


def unreadable(update: object) -> Mapping[str, Any] | None:
    if isinstance(update, Update):
        found = update.api_kwargs.get(UNREADABLE)
        if isinstance(found, Mapping):
            return found
    return None


def origin(entry: Mapping[str, Any]) -> tuple[int, str] | None:
    """The chat (id, type) a raw update came from, as far as its shape tells."""
    for kind, body in entry.items():
        if kind == "update_id" or not isinstance(body, Mapping):
            continue
        message = body.get("message")
        inner = message.get("chat") if isinstance(message, Mapping) else None
        for chat in (body.get("chat"), inner):
            if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
                return chat["id"], str(chat.get("type") or "")
        for person in (body.get("from"), body.get("user")):
            if isinstance(person, Mapping) and isinstance(person.get("id"), int):
                return person["id"], ChatType.PRIVATE  # a user's private chat has their id
    return None


class UnreadableHandler(BaseHandler[Update, Any, None]):
    """Matches only the placeholders `TolerantBot` makes."""

    def check_update(self, update: object) -> bool:
        return unreadable(update) is not None


class SetAside:
    """Unreadable updates and failed handlers: one warning, one apology, nothing retried."""

    GROUP = -100  # before every other handler group

    def __init__(self, officer_chat_id: int) -> None:
        self.officer_chat_id = officer_chat_id
        self.reporting: ReportingService | None = None  # attached once the app has started
        self.deliver: Any = None  # Dispatcher.deliver, attached likewise

    def register(self, app: Any) -> None:
        app.add_handler(UnreadableHandler(self._unreadable), group=self.GROUP)
        app.add_error_handler(self.on_error)

    async def _unreadable(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        found = unreadable(update)
        assert found is not None
        entry = found.get("entry")
        entry = entry if isinstance(entry, Mapping) else {}
        log.warning(
            "update %s (%s) could not be read, set aside: %s",
            update.update_id,
            update_type(entry),
            found.get("error"),
        )
        await self._apologise(origin(entry), texts.UPDATE_UNREADABLE)
        raise ApplicationHandlerStop  # no other handler sees the empty placeholder

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The application's error handler (replaces PTB's, which logs the whole update)."""
        error = context.error
        assert error is not None
        if not isinstance(update, Update):
            log.error("a background job failed: %s", where(error))
            return
        log.warning(
            "update %s (%s) failed, set aside: %s",
            update.update_id,
            update_type(update),
            where(error),
        )
        chat = update.effective_chat
        sender = (chat.id, chat.type) if chat is not None else None
        if sender is None and update.effective_user is not None:
            sender = (update.effective_user.id, ChatType.PRIVATE)
        await self._apologise(sender, texts.TRY_AGAIN)

    async def _apologise(self, sender: tuple[int, str] | None, text: Text) -> None:
        if sender is None or self.reporting is None:
            return
        chat_id, chat_type = sender
        if chat_type != ChatType.PRIVATE and chat_id != self.officer_chat_id:
            return  # a group we do not serve: say nothing there
        if chat_id == self.officer_chat_id and text is texts.TRY_AGAIN:
            text = texts.GROUP_TRY_AGAIN
        try:
            addresses = await self.reporting.say(Address.of(Channel.TELEGRAM, chat_id), text)
            if self.deliver is not None:
                await self.deliver(addresses)
        except Exception as exc:  # the apology is a courtesy; the outbox retries what it has
            log.warning("the apology for a set-aside update failed: %s", where(exc))
