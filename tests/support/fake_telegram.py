"""The tests' loopback fake of the Telegram Bot API: the sandbox's server, and more.

`BotApiServer` (bot/sandbox/bot_api.py) serves the methods the bot calls, as Telegram does.
For the tests this adds what only they need: the rest of the Bot API a client may call
(webhooks, edits of captions and buttons, deletes, albums, copies, forwards, chat lookups,
menu buttons), the Markdown parse modes, failure injection (`fail_next`), latency, people who
block the bot, every request recorded (`calls`), and waiting for the bot's next message.

Tests play the people (``send_text``, ``press``, ``send_photo``...) and read back what the
bot did (``messages``, ``next_message``, ``calls``).
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from bot.sandbox.bot_api import BotApiServer, Handler
from bot.sandbox.bot_api_types import (
    ApiError,
    BotMessage,
    Call,
    Group,
    JSONDict,
    Person,
    UploadedFile,
    bad_request,
    opt_bool,
    opt_int,
    opt_str,
    req_int,
)
from bot.sandbox.entities import ParseMode
from bot.sandbox.files import StoredFile, video_json
from bot.sandbox.markup import reply_markup
from tests.support.telegram_markdown import parse_markdown, parse_markdown_v2

__all__ = [
    "BotMessage",
    "Call",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "StoredFile",
    "UploadedFile",
]

# The tests' names for the people and groups of the fake Telegram.
FakeUser = Person
FakeChat = Group

MAX_MEDIA_GROUP = 10
CONTENT_KEYS = (
    "text", "entities", "photo", "document", "video", "contact", "caption", "caption_entities",
)  # fmt: skip


class FakeTelegram(BotApiServer):
    """The sandbox's Bot API server with the whole client surface and the tests' controls."""

    def __init__(self, *, latency: float = 0.0, **options: Any) -> None:
        """``options``: BotApiServer's (token, host, port, strict_html, privacy_mode)."""
        super().__init__(**options)
        self.latency = latency
        self.calls: list[Call] = []
        self._blocked: set[int] = set()
        self._media_group_counter = 0
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._failures: dict[str, list[ApiError]] = {}

    def _api_methods(self) -> dict[str, Handler]:
        return {
            **super()._api_methods(),
            "logOut": self._true,
            "close": self._true,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
        }

    def _parse_modes(self) -> dict[str, ParseMode]:
        return {
            **super()._parse_modes(),
            "markdownv2": parse_markdown_v2,
            "markdown": parse_markdown,
        }

    # ------------------------------------------------------------------ people

    def block(self, user: FakeUser | int) -> None:
        """The person blocks the bot: sends to their private chat get 403 until they write again."""
        self._blocked.add(self.chats.person(user).id)

    def _user_message(
        self,
        user: FakeUser | int,
        content: JSONDict,
        *,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        if chat is None:
            self._blocked.discard(self.chats.person(user).id)
        return super()._user_message(user, content, chat=chat, reply_to=reply_to)

    def _chat(self, params: JSONDict, name: str = "chat_id", *, sending: bool = True) -> JSONDict:
        chat = super()._chat(params, name, sending=sending)
        if sending and chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def send_video(
        self,
        user: FakeUser | int,
        data: bytes,
        *,
        caption: str | None = None,
        chat: FakeChat | None = None,
    ) -> JSONDict:
        """The person sends a video."""
        stored = self.files.store(
            "video", data, mime_type="video/mp4", width=1280, height=720, duration=1
        )
        content: JSONDict = {"video": video_json(stored)}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    def add_update(self, update: JSONDict) -> None:
        """Enqueue a raw Update; ``update_id`` is assigned when missing."""
        update = copy.deepcopy(update)
        if "update_id" in update:
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._updates.append(update)
            self._notify()
        else:
            self._enqueue(update)

    # ------------------------------------------------------------------ what the bot did

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of one method (case-insensitive)."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def menu_button(self, chat_id: int | None = None) -> JSONDict:
        """The menu button set for a private chat, or the default one."""
        return copy.deepcopy(self._menu_buttons.get(chat_id, {"type": "default"}))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by getUpdates."""
        return copy.deepcopy(self._updates)

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        count: int = 1,
        *,
        error_code: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail.

        ``retry_after`` gives a 429 flood-wait answer (the code becomes 429 unless another
        non-500 code was given); ``error_code=429`` alone waits 1 second.
        """
        if error_code == 429 or (retry_after is not None and error_code == 500):
            error_code = 429
            retry_after = 1 if retry_after is None else retry_after
            if description == "Internal Server Error":
                description = f"Too Many Requests: retry after {retry_after}"
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend(ApiError(error_code, description, parameters) for _ in range(count))

    async def _delay(self) -> None:
        if self.latency > 0:  # a slow network, on purpose: the latency is what is tested
            await asyncio.sleep(self.latency)

    def _record_call(self, call: Call) -> None:
        self.calls.append(call)

    def _injected_failure(self, method: str) -> ApiError | None:
        failures = self._failures.get(method.lower())
        return failures.pop(0) if failures else None

    # ------------------------------------------------------------------ Bot API methods

    async def _true(self, params: JSONDict) -> bool:
        return True

    async def _set_webhook(self, params: JSONDict) -> bool:
        url = opt_str(params, "url") or ""
        if opt_bool(params, "drop_pending_updates"):
            self._updates.clear()
        if not url:
            self._webhook = None
            return True
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        connections = opt_int(params, "max_connections") or 40
        webhook: JSONDict = {"url": url, "max_connections": connections}
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            webhook["allowed_updates"] = allowed
        self._webhook = webhook
        self._notify()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info.update(self._webhook)
        return info

    async def _send_media_group(self, params: JSONDict) -> list[JSONDict]:
        chat = self._chat(params)
        media = params.get("media")
        if media is None or media == []:
            raise bad_request("media to send are not specified")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise bad_request("can't parse media JSON object")
        if len(media) > MAX_MEDIA_GROUP:
            raise bad_request("too many messages to send as an album")
        if len(media) < 2:
            raise bad_request("media group must contain from 2 to 10 items")
        reply = self.chats.replied(chat["id"], params)
        prepared: list[tuple[JSONDict, StoredFile, str | None, str | None]] = []
        for item in media:
            kind = item.get("type")
            if kind not in ("photo", "video", "document"):
                raise bad_request(f"unsupported media type {kind!r} in the media group")
            item_params = {**params, **item, kind: item.get("media")}
            for key in ("caption", "parse_mode", "caption_entities"):
                if key not in item:
                    item_params.pop(key, None)
            source = self.files.input_file(item_params, kind)
            caption, raw, parse_mode = self._caption_content(item_params)
            content, stored = self.files.media_content(kind, source, item_params)
            content.update(caption)
            prepared.append((content, stored, raw, parse_mode))
        self._media_group_counter += 1
        group_id = str(13_000_000_000_000_000 + self._media_group_counter)
        return [
            self._record(
                chat,
                content,
                method="sendMediaGroup",
                markup=None,
                reply=reply,
                raw_text=raw,
                parse_mode=parse_mode,
                stored=stored,
                media_group_id=group_id,
            )
            for content, stored, raw, parse_mode in prepared
        ]

    def _source_message(self, params: JSONDict, what: str) -> JSONDict:
        source_chat = self._chat(params, "from_chat_id", sending=False)
        message_id = req_int(params, "message_id", f"message to {what} not found")
        message = self.chats.message(source_chat["id"], message_id)
        if message is None:
            raise bad_request(f"message to {what} not found")
        return message

    def _stored_of(self, content: JSONDict) -> StoredFile | None:
        if "photo" in content:
            return self.files.get(content["photo"][-1]["file_id"])
        for kind in ("document", "video"):
            if kind in content:
                return self.files.get(content[kind]["file_id"])
        return None

    async def _copy_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        source = self._source_message(params, "copy")
        content = _content_of(source)
        raw: str | None = content.get("text") or content.get("caption")
        parse_mode: str | None = None
        if "text" not in content and params.get("caption") is not None:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            caption, raw, parse_mode = self._caption_content(params)
            content.update(caption)
        markup = reply_markup(params)
        reply = self.chats.replied(chat["id"], params)
        message = self._record(
            chat,
            content,
            method="copyMessage",
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
            stored=self._stored_of(content),
        )
        return {"message_id": message["message_id"]}

    async def _forward_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        source = self._source_message(params, "forward")
        content = _content_of(source)
        content["forward_origin"] = {
            "type": "user",
            "sender_user": copy.deepcopy(source["from"]),
            "date": source["date"],
        }
        return self._record(
            chat,
            content,
            method="forwardMessage",
            markup=None,
            reply=None,
            raw_text=content.get("text") or content.get("caption"),
            parse_mode=None,
            stored=self._stored_of(content),
        )

    async def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        if "text" in stored:
            raise bad_request("there is no caption in the message to edit")
        content, raw, parse_mode = self._caption_content(params)
        markup = reply_markup(params)
        return self._apply_edit(
            message,
            stored,
            content,
            markup,
            raw_text=raw,
            parse_mode=parse_mode,
            text_key="caption",
        )

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        markup = reply_markup(params)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        text_key = "text" if "text" in stored else "caption"
        entities_key = "entities" if text_key == "text" else "caption_entities"
        content = {key: stored[key] for key in (text_key, entities_key) if key in stored}
        return self._apply_edit(
            message,
            stored,
            copy.deepcopy(content),
            markup,
            raw_text=message.raw_text,
            parse_mode=message.parse_mode,
            text_key=text_key,
        )

    def _delete(self, chat_id: int, message_id: int) -> bool:
        stored = self.chats.stored.get(chat_id, {}).pop(message_id, None)
        if stored is None:
            return False
        for message in self.chats.bot_messages.get(chat_id, []):
            if message.message_id == message_id:
                message.deleted = True
        self._notify()
        return True

    async def _delete_message(self, params: JSONDict) -> bool:
        chat = self._chat(params, sending=False)
        message_id = req_int(params, "message_id", "message to delete not found")
        if not self._delete(chat["id"], message_id):
            raise bad_request("message to delete not found")
        return True

    async def _delete_messages(self, params: JSONDict) -> bool:
        chat = self._chat(params, sending=False)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 message identifiers")
        for message_id in ids:
            self._delete(chat["id"], int(message_id))
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        key = self._commands_key(params.get("scope"), opt_str(params, "language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        key = self._commands_key(params.get("scope"), opt_str(params, "language_code"))
        self._commands.pop(key, None)
        return True

    async def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params, sending=False)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params, sending=False)
        user_id = req_int(params, "user_id")
        if user_id == self._bot_id:
            return {"status": "member", "user": dict(self.bot)}
        person = self.chats.users.get(user_id)
        if person is None:
            raise bad_request("user not found")
        group = self.chats.groups.get(chat["id"])
        is_member = person.id in group.members if group is not None else person.id == chat["id"]
        return {"status": "member" if is_member else "left", "user": person.to_dict()}

    async def _set_chat_menu_button(self, params: JSONDict) -> bool:
        chat_id: int | None = None
        if params.get("chat_id") not in (None, ""):
            chat = self._chat(params, sending=False)
            if chat["type"] != "private":
                raise bad_request("chat not found")
            chat_id = chat["id"]
        button = params.get("menu_button")
        if button in (None, ""):
            button = {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = copy.deepcopy(button)
        return True

    async def _get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        chat_id: int | None = None
        if params.get("chat_id") not in (None, ""):
            chat_id = self._chat(params, sending=False)["id"]
        return self.menu_button(chat_id)


def _content_of(source: JSONDict) -> JSONDict:
    """What a copied or forwarded message carries over from its source."""
    return {key: copy.deepcopy(source[key]) for key in CONTENT_KEYS if key in source}
