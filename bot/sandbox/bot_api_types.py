"""The Bot API's objects and errors as the sandbox's Telegram-compatible server keeps them.

JSON shapes, error answers and limits as Telegram has them, so a mistake the bot makes here
fails as it would against Telegram; and the decoding of request parameters (form fields are
always strings) back into the typed values Telegram reads.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
INT_RE = re.compile(r"^-?\d+$")
COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")

# How form fields (always strings) are turned back into typed values.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
        "media",
        "commands",
        "scope",
        "allowed_updates",
        "menu_button",
        "message_ids",
    }
)
INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "duration",
        "width",
        "height",
        "max_connections",
    }
)
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "supports_streaming",
        "disable_content_type_detection",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code", "description", "parameters"}``."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        """The response body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Person:
    """A person on the local Telegram."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str = "id"
    last_name: str | None = None

    def to_dict(self) -> JSONDict:
        """Telegram ``User`` JSON."""
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_dict(self) -> JSONDict:
        """Telegram ``Chat`` JSON of the private chat with this user."""
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class Group:
    """A group chat (a supergroup) the bot is in; ``members`` holds user ids."""

    id: int
    title: str
    type: str = "supergroup"
    members: set[int] = field(default_factory=set)

    def to_dict(self) -> JSONDict:
        """Telegram ``Chat`` JSON."""
        return {"id": self.id, "title": self.title, "type": self.type}


@dataclass
class UploadedFile:
    """A file part of a multipart request, as found in ``Call.params``."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class BotMessage:
    """A message the bot sent, kept up to date with its edits.

    ``text`` is what the reader sees: the text, or the caption of a media message, after
    parse_mode markup was applied ("" when there is none). ``raw_text`` is exactly what the
    bot sent, and ``reply_markup`` exactly the markup it gave (any keyboard type).
    """

    chat_id: int
    message_id: int
    kind: str  # "text" | "photo" | "document" | "video" | "contact" | ...
    text: str
    raw_text: str | None
    parse_mode: str | None
    entities: list[JSONDict]
    reply_markup: JSONDict | None
    reply_to_message_id: int | None
    method: str
    date: int
    payload: JSONDict = field(repr=False)
    file: bytes | None = field(default=None, repr=False)
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    deleted: bool = False


@dataclass
class Call:
    """One Bot API request: method name, decoded parameters, arrival time, and the answer."""

    method: str
    params: JSONDict
    at: float
    response: JSONDict | None = None

    @property
    def ok(self) -> bool:
        """Whether Telegram answered ``"ok": true``."""
        return bool(self.response and self.response.get("ok"))


def decode_params(raw: JSONDict) -> JSONDict:
    """Turn form strings back into the typed values Telegram would read."""
    params: JSONDict = {}
    for name, value in raw.items():
        if isinstance(value, str):
            if name in JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    what = "reply keyboard markup" if name == "reply_markup" else name
                    raise bad_request(f"can't parse {what} JSON object") from None
            elif name in INT_FIELDS and INT_RE.match(value):
                value = int(value)
            elif name in BOOL_FIELDS:
                value = value.strip().lower() in ("true", "1")
        params[name] = value
    return params


def opt_str(params: JSONDict, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, (dict, list, UploadedFile)):
        raise bad_request(f'field "{name}" must be of type String')
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def opt_int(params: JSONDict, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise bad_request(f'field "{name}" must be of type Integer')
    if isinstance(value, str):
        if not INT_RE.match(value.strip()):
            raise bad_request(f'field "{name}" must be of type Integer')
        return int(value.strip())
    return int(value)


def req_int(params: JSONDict, name: str, missing: str | None = None) -> int:
    value = opt_int(params, name)
    if value is None:
        raise bad_request(missing or f"{name} is empty")
    return value


def opt_bool(params: JSONDict, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def opt_float(params: JSONDict, name: str) -> float:
    value = params.get(name)
    if value is None or value == "":
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Integer') from None


def update_type(update: JSONDict) -> str:
    return next((key for key in update if key != "update_id"), "")
