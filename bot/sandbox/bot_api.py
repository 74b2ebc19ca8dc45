"""The sandbox's Telegram-compatible Bot API server, served over real HTTP by aiohttp.

The real python-telegram-bot ``Application`` talks to it exactly as it talks to Telegram:
``ApplicationBuilder().base_url(server.base_url).base_file_url(server.base_file_url)``.
It serves the methods the bot calls (getMe, getUpdates with long polling, deleteWebhook,
sendMessage, sendPhoto, sendDocument, sendVideo, editMessageText, answerCallbackQuery,
sendChatAction, getFile and the file download, setMyCommands) with Telegram's JSON shapes,
error answers and limits (text 4096, caption 1024, callback_data 64 bytes, downloads 20 MB,
uploads 50 MB), and HTML parsed as Telegram does. The sandbox's page plays the people through
it (`send_text`, `press`, `send_contact`, `send_photo`, `send_document`) and reads back what
the bot did (`messages`). The tests' fake (tests/support/fake_telegram.py) builds on it.
State lives in one instance; nothing runs at import time.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web

from bot.sandbox.bot_api_types import (
    COMMAND_NAME_RE,
    INT_RE,
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_BYTES,
    MAX_TEXT_LENGTH,
    MAX_UPLOAD_BYTES,
    TOKEN_RE,
    ApiError,
    BotMessage,
    Call,
    Group,
    JSONDict,
    Person,
    UploadedFile,
    bad_request,
    decode_params,
    opt_bool,
    opt_float,
    opt_int,
    opt_str,
    req_int,
    update_type,
)
from bot.sandbox.chats import Chats
from bot.sandbox.entities import ParseMode, format_text, parse_html, user_entities
from bot.sandbox.files import FileStore, StoredFile, document_json
from bot.sandbox.loopback import LoopbackServer
from bot.sandbox.markup import reply_markup

_LOG = logging.getLogger(__name__)

Handler = Callable[[JSONDict], Awaitable[Any]]

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Update types a bot receives when allowed_updates is empty or was never set.
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class BotApiServer(LoopbackServer):
    """The Bot API server plus the people and chats that talk to the bot."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        host: str = "127.0.0.1",
        port: int = 0,
        strict_html: bool = True,
        privacy_mode: bool = False,
    ) -> None:
        if not TOKEN_RE.match(token):
            raise ValueError("token must look like '<bot id>:<secret>'")
        web_app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        web_app.router.add_route("*", "/bot{token}/{method:.*}", self._handle_api)
        web_app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        super().__init__(web_app, host=host, port=port)
        self.token = token
        self.strict_html = strict_html
        self.privacy_mode = privacy_mode
        self._bot_id = int(token.split(":", 1)[0])
        self.bot: JSONDict = {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": "WBS BKD NTT",
            "username": "wbs_bkd_test_bot",
        }
        self.answered_callbacks: dict[str, JSONDict] = {}
        self.files = FileStore(token)
        self._stopping = False
        self.chats = Chats(self.bot)
        self._cursors: dict[int, int] = {}  # what next_message returned, per chat
        self._callback_counter = 0
        self._callback_queries: dict[str, JSONDict] = {}
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._webhook: JSONDict | None = None
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in self._api_methods().items()
        }

    def _api_methods(self) -> dict[str, Handler]:
        """The Bot API methods served, by their Telegram name."""
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendVideo": self._send_video,
            "editMessageText": self._edit_message_text,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
        }

    # ------------------------------------------------------------------ lifecycle

    def _runner_options(self) -> dict[str, Any]:
        return {**super()._runner_options(), "handler_cancellation": True}

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        self._stopping = False
        await super().start()

    async def stop(self) -> None:
        """Answer pending long polls with ``[]`` at once, then close the server."""
        self._stopping = True
        self._notify()
        if self._runner is not None:
            await asyncio.sleep(0)  # let woken long polls write their answers
        await super().stop()

    @property
    def base_url(self) -> str:
        """Bot API base URL for PTB (the token is appended by PTB)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base URL for PTB (the token is appended by PTB)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ people and chats

    def user(self, user_id: int, first_name: str, **details: Any) -> Person:
        """Create (or update and return) the person with this id; details: `Chats.user`'s."""
        return self.chats.user(user_id, first_name, **details)

    def group(self, chat_id: int, title: str, *, members: Iterable[Person | int] = ()) -> Group:
        """Create (or return) a supergroup the bot is in; ``members`` join it."""
        return self.chats.group(chat_id, title, members=members)

    # ------------------------------------------------------------------ what people do

    def send_text(
        self,
        user: Person | int,
        text: str,
        *,
        chat: Group | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        """The person sends text; commands get their ``bot_command`` entity."""
        content: JSONDict = {"text": text}
        entities = user_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(user, content, chat=chat, reply_to=reply_to)

    def press(
        self,
        user: Person | int,
        message_id: int,
        button_text: str,
        *,
        chat: Group | None = None,
    ) -> str:
        """The person presses an inline button on a bot message; returns the query id."""
        person = self.chats.person(user)
        chat_id = chat.id if chat is not None else person.id
        message = self.chats.live_bot_message(chat_id, message_id)
        markup = message.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        buttons = [button for row in rows for button in row if isinstance(button, dict)]
        button = next((b for b in buttons if b.get("text") == button_text), None)
        if button is None:
            available = [b.get("text") for b in buttons]
            raise LookupError(
                f"no button {button_text!r} on message {message_id} in chat {chat_id}; "
                f"available: {available}"
            )
        if "callback_data" not in button:
            raise LookupError(f"button {button_text!r} has no callback_data to press")
        self._callback_counter += 1
        query_id = str(self._bot_id * 10**9 + self._callback_counter)
        query: JSONDict = {
            "id": query_id,
            "from": person.to_dict(),
            "message": copy.deepcopy(message.payload),
            "chat_instance": str(-((abs(chat_id) * 2654435761) % 10**18)),
            "data": button["callback_data"],
        }
        self._callback_queries[query_id] = query
        self._enqueue({"callback_query": query})
        return query_id

    def send_contact(
        self,
        user: Person | int,
        phone_number: str,
        *,
        first_name: str | None = None,
        own: bool = True,
    ) -> JSONDict:
        """The person shares a contact (``own``: their own, as a request_contact button does)."""
        person = self.chats.person(user)
        contact: JSONDict = {
            "phone_number": phone_number,
            "first_name": first_name or person.first_name,
        }
        if own:
            if person.last_name:
                contact["last_name"] = person.last_name
            contact["user_id"] = person.id
        return self._user_message(person, {"contact": contact})

    def send_photo(
        self,
        user: Person | int,
        data: bytes,
        *,
        caption: str | None = None,
        chat: Group | None = None,
    ) -> JSONDict:
        """The person sends a photo; Telegram stores it in several sizes."""
        sizes = self.files.store_photo(data)
        content: JSONDict = {"photo": sizes}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    def send_document(
        self,
        user: Person | int,
        data: bytes,
        *,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        chat: Group | None = None,
    ) -> JSONDict:
        """The person sends a file as a document."""
        stored = self.files.store("document", data, file_name=file_name, mime_type=mime_type)
        content: JSONDict = {"document": document_json(stored)}
        self._add_user_caption(content, caption)
        return self._user_message(user, content, chat=chat)

    # ------------------------------------------------------------------ what the bot did

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """The bot's messages in a chat, oldest first, edits applied."""
        return [
            message
            for message in self.chats.bot_messages.get(chat_id, [])
            if include_deleted or not message.deleted
        ]

    async def next_message(
        self,
        chat_id: int,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-facing API
        contains: str | None = None,
    ) -> BotMessage:
        """The next bot message in the chat not yet returned here, waiting for it.

        With ``contains``, messages whose text (or caption) lacks it are skipped.
        """
        message = await self._next_new(
            self._cursors,
            chat_id,
            lambda: self.chats.bot_messages.get(chat_id, []),
            lambda m: contains is None or contains in m.text,
            timeout,
        )
        if message is None:
            arrived = [m.text[:80] for m in self.chats.bot_messages.get(chat_id, [])]
            wanted = f" containing {contains!r}" if contains is not None else ""
            raise TimeoutError(
                f"no new bot message{wanted} in chat {chat_id} within {timeout}s; "
                f"the bot sent there: {arrived}"
            )
        return message

    def buttons(self, message: BotMessage) -> list[str]:
        """Texts of the message's inline buttons, row by row."""
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        return [button.get("text", "") for row in rows for button in row]

    def file(self, file_id: str) -> StoredFile:
        """A stored file by id (raises KeyError)."""
        return self.files[file_id]

    def my_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list set for a scope and language (``[]`` when unset)."""
        return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    # ------------------------------------------------------------------ HTTP

    async def _delay(self) -> None:
        """Before every answer (the tests' fake adds latency here)."""

    def _record_call(self, call: Call) -> None:
        """Every API request as it arrives (the tests' fake keeps them)."""

    def _injected_failure(self, method: str) -> ApiError | None:
        """An error to answer instead of running the method (the tests' fake injects them)."""
        return None

    async def _handle_api(self, request: web.Request) -> web.Response:
        await self._delay()
        token = request.match_info["token"]
        method = request.match_info["method"]
        if not TOKEN_RE.match(token) or not method or "/" in method:
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        if token != self.token:
            return self._json(ApiError(401, "Unauthorized").to_json(), 401)
        known = self._methods.get(method.lower())
        call = Call(known[0] if known else method, dict(request.query), time.time())
        self._record_call(call)
        status = 200
        try:
            call.params = raw = await self._read_params(request)
            call.params = params = decode_params(raw)
            if known is None:
                _LOG.warning("the Bot API method %s is not served here", call.method)
                raise ApiError(404, "Not Found")
            failure = self._injected_failure(known[0])
            if failure is not None:
                raise failure
            result = await known[1](params)
            body: JSONDict = {"ok": True, "result": result}
        except ApiError as error:
            body, status = error.to_json(), error.code
        except Exception:
            _LOG.exception("the local Bot API failed on %s", call.method)
            body, status = ApiError(500, "Internal Server Error").to_json(), 500
        call.response = body
        _LOG.debug("%s -> %s", call.method, status)
        return self._json(body, status)

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if not request.body_exists:
            return params
        try:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise bad_request("request body must be a JSON object")
                params.update(body)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                for name, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        params[name] = UploadedFile(value.filename, value.content_type, data)
                    elif isinstance(value, (bytes, bytearray)):
                        params[name] = UploadedFile(None, None, bytes(value))
                    else:
                        params[name] = value
        except web.HTTPRequestEntityTooLarge:
            raise ApiError(413, "Request Entity Too Large") from None
        except ValueError:
            raise bad_request("can't parse request body") from None
        return params

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        await self._delay()
        token = request.match_info["token"]
        if not TOKEN_RE.match(token):
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        if token != self.token:
            return self._json(ApiError(401, "Unauthorized").to_json(), 401)
        stored = self.files.by_path(request.match_info["path"])
        if stored is None:
            return self._json(ApiError(404, "Not Found").to_json(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    @staticmethod
    def _json(body: JSONDict, status: int) -> web.Response:
        return web.Response(
            text=json.dumps(body, ensure_ascii=False),
            status=status,
            content_type="application/json",
        )

    # ------------------------------------------------------------------ internals

    def _enqueue(self, update: JSONDict) -> None:
        self._updates.append({"update_id": self._next_update_id, **update})
        self._next_update_id += 1
        self._notify()

    def _user_message(
        self,
        user: Person | int,
        content: JSONDict,
        *,
        chat: Group | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        person = self.chats.person(user)
        message, replied = self.chats.user_message(person, content, chat=chat, reply_to=reply_to)
        if chat is None or not self.privacy_mode or self._bot_sees(message, replied):
            self._enqueue({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def _bot_sees(self, message: JSONDict, replied: JSONDict | None) -> bool:
        """Privacy mode: in groups the bot gets commands, replies to it and mentions only."""
        if replied is not None and replied.get("from", {}).get("id") == self._bot_id:
            return True
        text = message.get("text") or message.get("caption") or ""
        return text.startswith("/") or f"@{self.bot['username']}" in text

    def _add_user_caption(self, content: JSONDict, caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            entities = user_entities(caption)
            if entities:
                content["caption_entities"] = entities

    # chats, text, replies

    def _chat(self, params: JSONDict, name: str = "chat_id", *, sending: bool = True) -> JSONDict:
        """The chat a method names (`sending`: to write in it; the tests can block a person)."""
        value = params.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and not INT_RE.match(value.strip()):
            raise bad_request("chat not found")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise bad_request("chat not found")
        return self.chats.chat_json(int(value))

    def _parse_modes(self) -> dict[str, ParseMode]:
        """The parse modes understood, by lower-case name."""
        return {"html": functools.partial(parse_html, strict=self.strict_html)}

    def _format(
        self, params: JSONDict, text_name: str, entities_name: str, *, limit: int, required: bool
    ) -> tuple[str, list[JSONDict], str | None, str | None]:
        """Parse text or caption per parse_mode; returns (text, entities, raw, parse_mode)."""
        return format_text(
            params,
            text_name,
            entities_name,
            limit=limit,
            required=required,
            parse_modes=self._parse_modes(),
        )

    def _record(self, chat: JSONDict, content: JSONDict, **fields: Any) -> JSONDict:
        """Create a bot message in ``chat`` (fields: `Chats.bot_message`'s); returns its JSON."""
        message = self.chats.bot_message(chat, content, **fields)
        self._notify()
        return copy.deepcopy(message)

    def _caption_content(self, params: JSONDict) -> tuple[JSONDict, str | None, str | None]:
        caption, entities, raw, parse_mode = self._format(
            params, "caption", "caption_entities", limit=MAX_CAPTION_LENGTH, required=False
        )
        content: JSONDict = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return content, raw, parse_mode

    # ------------------------------------------------------------------ Bot API methods

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = opt_int(params, "offset") or 0
        limit = min(max(opt_int(params, "limit") or 100, 1), 100)
        timeout = max(opt_float(params, "timeout"), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # a newer getUpdates ends an older pending one
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self._stopping:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            self._drop_disallowed_updates()
            if self._updates:
                return copy.deepcopy(self._updates[:limit])
            if not await self._changes(deadline):
                return []

    def _drop_disallowed_updates(self) -> None:
        allowed = self._allowed_updates
        if allowed:
            self._updates = [u for u in self._updates if update_type(u) in allowed]
        else:
            self._updates = [
                u for u in self._updates if update_type(u) not in _DEFAULT_EXCLUDED_UPDATES
            ]

    async def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook = None
        if opt_bool(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        text, entities, raw, parse_mode = self._format(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        markup = reply_markup(params)
        reply = self.chats.replied(chat["id"], params)
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._record(
            chat,
            content,
            method="sendMessage",
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
        )

    async def _send_media(self, params: JSONDict, kind: str, method: str) -> JSONDict:
        chat = self._chat(params)
        source = self.files.input_file(params, kind)
        caption, raw, parse_mode = self._caption_content(params)
        markup = reply_markup(params)
        reply = self.chats.replied(chat["id"], params)
        content, stored = self.files.media_content(kind, source, params)
        content.update(caption)
        return self._record(
            chat,
            content,
            method=method,
            markup=markup,
            reply=reply,
            raw_text=raw,
            parse_mode=parse_mode,
            stored=stored,
        )

    async def _send_photo(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "photo", "sendPhoto")

    async def _send_document(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "document", "sendDocument")

    async def _send_video(self, params: JSONDict) -> JSONDict:
        return await self._send_media(params, "video", "sendVideo")

    def _editable(self, params: JSONDict) -> tuple[BotMessage, JSONDict]:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._chat(params, sending=False)
        message_id = req_int(params, "message_id", "message to edit not found")
        stored = self.chats.message(chat["id"], message_id)
        if stored is None:
            raise bad_request("message to edit not found")
        if stored.get("from", {}).get("id") != self._bot_id:
            raise bad_request("message can't be edited")
        return self.chats.live_bot_message(chat["id"], message_id), stored

    def _apply_edit(
        self,
        message: BotMessage,
        stored: JSONDict,
        content: JSONDict,
        markup: JSONDict | None,
        *,
        raw_text: str | None,
        parse_mode: str | None,
        text_key: str,
    ) -> JSONDict:
        entities_key = "entities" if text_key == "text" else "caption_entities"
        old = (stored.get(text_key), stored.get(entities_key), message.reply_markup)
        new = (content.get(text_key), content.get(entities_key), markup)
        if old == new:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        for key in (text_key, entities_key):
            stored.pop(key, None)
        stored.update(content)
        stored.pop("reply_markup", None)
        if markup is not None:
            stored["reply_markup"] = markup
        stored["edit_date"] = int(time.time())
        message.text = content.get(text_key, "")
        message.entities = copy.deepcopy(content.get(entities_key, []))
        message.raw_text = raw_text
        message.parse_mode = parse_mode
        message.reply_markup = markup
        message.edit_date = stored["edit_date"]
        self._notify()
        return copy.deepcopy(stored)

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        message, stored = self._editable(params)
        if "text" not in stored:
            raise bad_request("there is no text in the message to edit")
        text, entities, raw, parse_mode = self._format(
            params, "text", "entities", limit=MAX_TEXT_LENGTH, required=True
        )
        markup = reply_markup(params)
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._apply_edit(
            message, stored, content, markup, raw_text=raw, parse_mode=parse_mode, text_key="text"
        )

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = opt_str(params, "callback_query_id") or ""
        if query_id not in self._callback_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = opt_str(params, "text") or ""
        if len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._callback_queries[query_id]
        self.answered_callbacks[query_id] = dict(params)
        self._notify()
        return True

    async def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat(params)
        action = opt_str(params, "action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = opt_str(params, "file_id") or ""
        stored = self.files.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": self.files.download_path(stored),
        }

    @staticmethod
    def _commands_key(scope: Any, language_code: str | None) -> tuple[str, str]:
        if scope in (None, ""):
            scope = {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), language_code or ""

    async def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not COMMAND_NAME_RE.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params.get("scope"), opt_str(params, "language_code"))
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True
