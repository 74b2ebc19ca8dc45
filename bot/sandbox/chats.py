"""The chats on the sandbox's Telegram: who is there, and every message, as Telegram keeps it.

No HTTP and no updates here: `BotApiServer` turns what people do into updates and the bot's
requests into messages; this keeps the people, the groups and both sides' messages per chat
(the Message JSON Telegram would return, and for the bot's own a `BotMessage` record).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterable

from bot.sandbox.bot_api_types import (
    BotMessage,
    Group,
    JSONDict,
    Person,
    bad_request,
    opt_bool,
    opt_int,
    req_int,
)
from bot.sandbox.files import StoredFile


class Chats:
    """People, groups and messages; message ids count per chat, as on Telegram."""

    def __init__(self, bot: JSONDict) -> None:
        self.bot = bot  # the bot's User JSON, the sender of its messages
        self.users: dict[int, Person] = {}
        self.groups: dict[int, Group] = {}
        self.private_chats: set[int] = set()  # people who wrote to the bot
        self.stored: dict[int, dict[int, JSONDict]] = {}  # chat -> message id -> Message JSON
        self.bot_messages: dict[int, list[BotMessage]] = {}
        self._next_ids: dict[int, int] = {}

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str = "id",
        last_name: str | None = None,
    ) -> Person:
        """Create (or update and return) the person with this id."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        existing = self.users.get(user_id)
        if existing is not None:
            existing.first_name = first_name
            existing.username = username
            existing.language_code = language_code
            existing.last_name = last_name
            return existing
        person = Person(user_id, first_name, username, language_code, last_name)
        self.users[user_id] = person
        return person

    def group(self, chat_id: int, title: str, *, members: Iterable[Person | int] = ()) -> Group:
        """Create (or return) a supergroup the bot is in; ``members`` join it."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self.groups.get(chat_id)
        if chat is None:
            chat = Group(chat_id, title)
            self.groups[chat_id] = chat
        chat.title = title
        for member in members:
            chat.members.add(self.person(member).id)
        return chat

    def person(self, user: Person | int) -> Person:
        if isinstance(user, Person):
            return self.users.setdefault(user.id, user)
        person = self.users.get(user)
        if person is None:
            raise LookupError(f"unknown user {user}; create it with user() first")
        return person

    def new_message_id(self, chat_id: int) -> int:
        message_id = self._next_ids.get(chat_id, 0) + 1
        self._next_ids[chat_id] = message_id
        return message_id

    def chat_json(self, chat_id: int) -> JSONDict:
        group = self.groups.get(chat_id)
        if group is not None:
            return group.to_dict()
        if chat_id in self.private_chats and chat_id in self.users:
            return self.users[chat_id].chat_dict()
        raise bad_request("chat not found")

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A message in the chat, either side's (None when there is none)."""
        return self.stored.get(chat_id, {}).get(message_id)

    def user_message(
        self,
        person: Person,
        content: JSONDict,
        *,
        chat: Group | None = None,
        reply_to: int | None = None,
    ) -> tuple[JSONDict, JSONDict | None]:
        """A person's message (private chat unless `chat`); returns it and the one replied to."""
        if chat is None:
            chat_json = person.chat_dict()
            self.private_chats.add(person.id)
        else:
            if chat.id not in self.groups:
                self.groups[chat.id] = chat
            chat.members.add(person.id)
            chat_json = chat.to_dict()
        chat_id = chat_json["id"]
        message: JSONDict = {
            "message_id": self.new_message_id(chat_id),
            "from": person.to_dict(),
            "chat": chat_json,
            "date": int(time.time()),
            **content,
        }
        replied: JSONDict | None = None
        if reply_to is not None:
            replied = self.message(chat_id, reply_to)
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {chat_id} to reply to")
            message["reply_to_message"] = self.reply_copy(replied)
        self.stored.setdefault(chat_id, {})[message["message_id"]] = message
        return message, replied

    def bot_message(
        self,
        chat: JSONDict,
        content: JSONDict,
        *,
        method: str,
        markup: JSONDict | None,
        reply: JSONDict | None,
        raw_text: str | None,
        parse_mode: str | None,
        stored: StoredFile | None = None,
        media_group_id: str | None = None,
    ) -> JSONDict:
        """A message the bot sent in ``chat``; returns its Message JSON (kept, not a copy)."""
        chat_id = chat["id"]
        message: JSONDict = {
            "message_id": self.new_message_id(chat_id),
            "from": dict(self.bot),
            "chat": chat,
            "date": int(time.time()),
        }
        if media_group_id:
            message["media_group_id"] = media_group_id
        message.update(content)
        if reply is not None:
            message["reply_to_message"] = reply
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.stored.setdefault(chat_id, {})[message["message_id"]] = message
        text: str = message.get("text") or message.get("caption") or ""
        entities: list[JSONDict] = message.get("entities") or message.get("caption_entities") or []
        sent = BotMessage(
            chat_id=chat_id,
            message_id=message["message_id"],
            kind=self.kind(message),
            text=text,
            raw_text=raw_text,
            parse_mode=parse_mode,
            entities=copy.deepcopy(entities),
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
            method=method,
            date=message["date"],
            payload=message,
            file=stored.data if stored else None,
            file_id=stored.file_id if stored else None,
            file_name=stored.file_name if stored else None,
            mime_type=stored.mime_type if stored else None,
            media_group_id=media_group_id,
        )
        self.bot_messages.setdefault(chat_id, []).append(sent)
        return message

    def replied(self, chat_id: int, params: JSONDict) -> JSONDict | None:
        """The message replied to, from reply_parameters or reply_to_message_id."""
        reply_parameters = params.get("reply_parameters")
        allow_missing = opt_bool(params, "allow_sending_without_reply")
        target_chat = chat_id
        if isinstance(reply_parameters, dict):
            message_id = opt_int(reply_parameters, "message_id")
            allow_missing = allow_missing or opt_bool(
                reply_parameters, "allow_sending_without_reply"
            )
            other = reply_parameters.get("chat_id")
            if other not in (None, ""):
                target_chat = self.chat_json(req_int(reply_parameters, "chat_id"))["id"]
        elif reply_parameters not in (None, ""):
            raise bad_request("can't parse reply parameters JSON object")
        else:
            message_id = opt_int(params, "reply_to_message_id")
        if message_id is None:
            return None
        replied = self.message(target_chat, message_id)
        if replied is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return self.reply_copy(replied)

    @staticmethod
    def reply_copy(message: JSONDict) -> JSONDict:
        replied = copy.deepcopy(message)
        replied.pop("reply_to_message", None)
        return replied

    def live_bot_message(self, chat_id: int, message_id: int) -> BotMessage:
        for message in self.bot_messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise LookupError(f"no bot message {message_id} in chat {chat_id}")

    @staticmethod
    def kind(message: JSONDict) -> str:
        for kind in ("text", "photo", "document", "video", "contact", "location", "sticker"):
            if kind in message:
                return kind
        return "other"
