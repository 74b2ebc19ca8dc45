"""A loopback fake of the WhatsApp Business Cloud API (Graph API), served by aiohttp.

The bot talks to it as to Meta: `whatsapp.api_base_url = fake.base_url`. It records
`POST /{version}/{phone_number_id}/messages` (text, interactive buttons and lists, templates)
with the Cloud API's limits and error shapes, serves media (`GET /{version}/{media id}` then
the download URL, with the bearer token), and plays the people: `send_text`, `press`,
`send_image`, `send_document`, ... post real-shaped, signed webhooks to the bot, as Meta does.
With a `clock`, it also keeps WhatsApp's 24-hour rule: a free-form message to someone who
has not written for 24 hours is accepted, then fails with a `failed` status (code 131047).
State lives in one `FakeWhatsApp` instance; nothing runs at import time.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import hashlib
import hmac
import itertools
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox.loopback import LoopbackServer

__all__ = ["FakeWhatsApp", "WaSent", "WaUser"]

_LOG = logging.getLogger(__name__)

JSONDict = dict[str, Any]

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_BUTTON = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_SECTION_TITLE = 24
WINDOW = timedelta(hours=24)
WABA_ID = "102290129340398"
DISPLAY_NUMBER = "6281100001111"


class GraphError(Exception):
    """A Graph API error, answered as Meta does: `{"error": {...}}` with an HTTP status."""

    def __init__(self, code: int, message: str, *, status: int = 400, details: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details

    def to_json(self) -> JSONDict:
        error: JSONDict = {
            "message": f"(#{self.code}) {self.message}",
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": "A" + secrets.token_hex(10),
        }
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def _invalid(details: str) -> GraphError:
    return GraphError(131009, "Parameter value is not valid", details=details)


@dataclass
class WaUser:
    wa_id: str  # the number, digits only, as WhatsApp gives it
    name: str


@dataclass
class WaSent:
    """A message the bot sent through the fake."""

    id: str
    to: str
    type: str  # text, interactive, template, image, document, video
    text: str  # body text (the template's name for a template)
    payload: JSONDict
    at: datetime
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, id)
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)  # title, id, descr.
    outside_window: bool = False  # WhatsApp would not deliver it (it fails with 131047)

    @property
    def labels(self) -> list[str]:
        return [title for title, _ in self.buttons] + [title for title, _, _ in self.rows]


@dataclass
class StoredMedia:
    media_id: str
    data: bytes
    mime: str
    filename: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class FakeWhatsApp(LoopbackServer):
    """The fake Graph API plus the WhatsApp users who write to the business."""

    poll_interval = 0.05  # what tests wait for often depends on the bot's database too

    def __init__(
        self,
        *,
        phone_number_id: str = "106540352242922",
        access_token: str = "EAAG-test-token",
        app_secret: str = "test-app-secret",
        verify_token: str = "test-verify-token",
        api_version: str = "v23.0",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], datetime] | None = None,
        status_webhooks: bool = False,
    ) -> None:
        self.phone_number_id = phone_number_id
        self.access_token = access_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.api_version = api_version
        self.clock = clock or (lambda: datetime.now(UTC))
        self.status_webhooks = status_webhooks  # also post sent/delivered statuses
        self.webhook_url: str | None = None  # where the bot listens; set once it started
        self.sent: list[WaSent] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) of every API call
        self.received: list[JSONDict] = []  # every message a user sent (the webhook's form)
        self.media: dict[str, StoredMedia] = {}
        self.last_inbound: dict[str, datetime] = {}
        # An unset Event here holds the API's answers back (a slow network): the message is
        # on the phone already, the bot hears "accepted" once the test sets it.
        self.answers_wait: asyncio.Event | None = None
        self._cursors: dict[str, int] = {}
        self._failures: list[GraphError] = []
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._session: aiohttp.ClientSession | None = None
        web_app = web.Application(client_max_size=110 * 1024 * 1024)
        web_app.router.add_get("/media-download/{media_id}", self._download)
        web_app.router.add_post("/{version}/{phone_id}/messages", self._messages)
        web_app.router.add_get("/{version}/{media_id}", self._media_url)
        web_app.router.add_route("*", "/{path:.*}", self._unknown)
        super().__init__(web_app, host=host, port=port)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await super().start()
        if self._session is None:
            self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()
            self._session = None
        await super().stop()

    @property
    def base_url(self) -> str:
        """For `whatsapp.api_base_url`."""
        return self.url

    # ------------------------------------------------------------------ the people

    def user(self, wa_id: str, name: str = "Pelapor") -> WaUser:
        return WaUser(wa_id, name)

    def wamid(self, wa_id: str) -> str:
        """Like Meta's: base64 of a record that carries the number (so it must not leak)."""
        raw = (
            b"\x1c\x18\x0d" + wa_id.encode() + b"\x15\x02\x00\x12\x18\x14" + secrets.token_bytes(8)
        )
        return "wamid." + base64.b64encode(raw + str(next(self._ids)).encode()).decode()

    def envelope(
        self,
        *,
        messages: list[JSONDict] | None = None,
        statuses: list[JSONDict] | None = None,
        contacts: list[JSONDict] | None = None,
        phone_number_id: str | None = None,
    ) -> JSONDict:
        value: JSONDict = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": DISPLAY_NUMBER,
                "phone_number_id": phone_number_id or self.phone_number_id,
            },
        }
        if contacts is not None:
            value["contacts"] = contacts
        if messages is not None:
            value["messages"] = messages
        if statuses is not None:
            value["statuses"] = statuses
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
        }

    def message(self, user: WaUser, kind: str, content: JSONDict, **extra: Any) -> JSONDict:
        """A user's message object, as in `entry[].changes[].value.messages[]`."""
        return {
            "from": user.wa_id,
            "id": self.wamid(user.wa_id),
            "timestamp": str(int(self.clock().timestamp())),
            "type": kind,
            kind: content,
            **extra,
        }

    async def send(self, user: WaUser, message: JSONDict) -> int:
        """Deliver one user message to the bot's webhook; returns the HTTP status."""
        self.received.append(message)
        self.last_inbound[user.wa_id] = self.clock()
        contact = {"profile": {"name": user.name}, "wa_id": user.wa_id}
        return await self.post(self.envelope(messages=[message], contacts=[contact]))

    async def send_text(self, user: WaUser, text: str, *, reply_to: str | None = None) -> int:
        extra = {"context": {"from": DISPLAY_NUMBER, "id": reply_to}} if reply_to else {}
        return await self.send(user, self.message(user, "text", {"body": text}, **extra))

    async def press(self, user: WaUser, label: str) -> int:
        """Tap the reply button or list row with that label on the newest message showing it.

        A title WhatsApp shortened ("Pelanggaran Benturan K…") matches its full label.
        """
        for sent in reversed(self.messages(user.wa_id)):
            for title, data in sent.buttons:
                if _matches(title, None, label):
                    reply = {"type": "button_reply", "button_reply": {"id": data, "title": title}}
                    return await self._tap(user, sent, reply)
            for title, data, description in sent.rows:
                if _matches(title, description, label):
                    row = {"id": data, "title": title}
                    if description:
                        row["description"] = description
                    return await self._tap(user, sent, {"type": "list_reply", "list_reply": row})
        raise AssertionError(f"no button or list row {label!r} on screen")

    async def _tap(self, user: WaUser, sent: WaSent, interactive: JSONDict) -> int:
        context = {"from": DISPLAY_NUMBER, "id": sent.id}
        return await self.send(
            user, self.message(user, "interactive", interactive, context=context)
        )

    async def press_template_button(self, user: WaUser, text: str = "Buka percakapan") -> int:
        """A quick-reply button of a template message (type `button`)."""
        templates = [m for m in self.messages(user.wa_id) if m.type == "template"]
        context = {"from": DISPLAY_NUMBER, "id": templates[-1].id} if templates else None
        content = {"payload": text, "text": text}
        extra = {"context": context} if context else {}
        return await self.send(user, self.message(user, "button", content, **extra))

    def upload(self, data: bytes, mime: str, filename: str | None = None) -> StoredMedia:
        media = StoredMedia(str(next(self._ids) + 10**15), data, mime, filename)
        self.media[media.media_id] = media
        return media

    async def _send_media(
        self, user: WaUser, kind: str, data: bytes, mime: str, filename: str | None = None
    ) -> int:
        media = self.upload(data, mime, filename)
        content: JSONDict = {"mime_type": mime, "sha256": media.sha256, "id": media.media_id}
        if filename:
            content["filename"] = filename
        return await self.send(user, self.message(user, kind, content))

    async def send_image(self, user: WaUser, data: bytes, mime: str = "image/jpeg") -> int:
        return await self._send_media(user, "image", data, mime)

    async def send_video(self, user: WaUser, data: bytes, mime: str = "video/mp4") -> int:
        return await self._send_media(user, "video", data, mime)

    async def send_document(
        self, user: WaUser, data: bytes, filename: str, mime: str = "application/pdf"
    ) -> int:
        return await self._send_media(user, "document", data, mime, filename)

    async def send_contact(self, user: WaUser, phone: str, wa_id: str | None = None) -> int:
        entry: JSONDict = {"phone": phone, "type": "CELL"}
        if wa_id:
            entry["wa_id"] = wa_id
        card = {"name": {"formatted_name": "Kontak"}, "phones": [entry]}
        return await self.send(user, {**self.message(user, "contacts", {}), "contacts": [card]})

    async def send_status(
        self, sent: WaSent, status: str, *, errors: list[JSONDict] | None = None
    ) -> int:
        item: JSONDict = {
            "id": sent.id,
            "status": status,
            "timestamp": str(int(self.clock().timestamp())),
            "recipient_id": sent.to,
        }
        if errors:
            item["errors"] = errors
        return await self.post(self.envelope(statuses=[item]))

    def sign(self, body: bytes, secret: str | None = None) -> str:
        key = (secret if secret is not None else self.app_secret).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    async def post(self, payload: JSONDict | bytes, *, signature: str | bool | None = True) -> int:
        """POST to the bot's webhook. `signature`: True signs it, False/None sends none, a
        string is sent as the header as it is."""
        if self.webhook_url is None or self._session is None:
            raise RuntimeError("set fake.webhook_url (and start the fake) first")
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature is True:
            headers["X-Hub-Signature-256"] = self.sign(body)
        elif isinstance(signature, str):
            headers["X-Hub-Signature-256"] = signature
        async with self._session.post(self.webhook_url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def verify(self, token: str, challenge: str = "1158201444") -> tuple[int, str]:
        """Meta's GET handshake; returns (status, body)."""
        assert self.webhook_url is not None and self._session is not None
        params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge}
        async with self._session.get(self.webhook_url, params=params) as response:
            return response.status, await response.text()

    # ------------------------------------------------------------------ what the bot did

    def messages(self, wa_id: str) -> list[WaSent]:
        return [m for m in self.sent if m.to == wa_id]

    async def next_message(
        self,
        wa_id: str,
        *,
        contains: str | None = None,
        timeout: float = 5.0,
    ) -> WaSent:
        """The next message to `wa_id` not yet returned here (containing `contains`), waiting.

        Messages without `contains` are skipped, as in `FakeTelegram.next_message`.
        """
        message = await self._next_new(
            self._cursors,
            wa_id,
            lambda: self.messages(wa_id),
            lambda m: contains is None or contains in m.text,
            timeout,
        )
        if message is None:
            seen = [m.text[:60] for m in self.messages(wa_id)]
            raise TimeoutError(
                f"no new message containing {contains!r} within {timeout}s; sent: {seen}"
            )
        return message

    def fail_next(
        self, count: int = 1, *, code: int = 131000, status: int = 500, message: str = "Error"
    ) -> None:
        """Make the next `count` sends fail with a Graph API error."""
        self._failures.extend(GraphError(code, message, status=status) for _ in range(count))

    # ------------------------------------------------------------------ HTTP

    def _authorized(self, request: web.Request) -> None:
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            raise GraphError(190, "Invalid OAuth access token.", status=401)

    @staticmethod
    def _json(body: JSONDict, status: int = 200) -> web.Response:
        return web.json_response(body, status=status)

    async def _unknown(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        error = GraphError(100, "Unsupported request", status=400)
        return self._json(error.to_json(), error.status)

    async def _messages(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        try:
            self._authorized(request)
            if request.match_info["version"] != self.api_version:
                raise GraphError(2635, f"Unknown API version {request.match_info['version']}")
            if request.match_info["phone_id"] != self.phone_number_id:
                raise GraphError(100, "Unsupported post request", status=400)
            try:
                body = await request.json()
            except ValueError:
                raise GraphError(100, "Invalid JSON") from None
            if self._failures:
                raise self._failures.pop(0)
            sent = self._accept(body)
        except GraphError as error:
            return self._json(error.to_json(), error.status)
        self.sent.append(sent)
        self._notify()
        if self.answers_wait is not None:
            await self.answers_wait.wait()
        if self.webhook_url is not None and (sent.outside_window or self.status_webhooks):
            task = asyncio.create_task(self._report_status(sent))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        result: JSONDict = {"id": sent.id}
        if sent.type == "template":
            result["message_status"] = "accepted"
        return self._json(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": sent.to, "wa_id": sent.to}],
                "messages": [result],
            }
        )

    async def _report_status(self, sent: WaSent) -> None:
        with contextlib.suppress(aiohttp.ClientError, RuntimeError):
            if sent.outside_window:
                error = {
                    "code": 131047,
                    "title": "Re-engagement message",
                    "message": "Re-engagement message",
                    "error_data": {
                        "details": "Message failed to send because more than 24 "
                        "hours have passed since the customer last replied."
                    },
                }
                await self.send_status(sent, "failed", errors=[error])
            else:
                await self.send_status(sent, "sent")
                await self.send_status(sent, "delivered")

    def _accept(self, body: Any) -> WaSent:
        if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
            raise GraphError(100, "The parameter messaging_product is required.")
        to = body.get("to") or body.get("recipient")
        if not isinstance(to, str) or not to:
            raise GraphError(131008, "Required parameter is missing", details="to is required")
        kind = body.get("type", "text")
        content = body.get(kind)
        if not isinstance(content, dict):
            raise GraphError(131008, "Required parameter is missing", details=f"{kind} missing")
        sent = WaSent(self.wamid(to), to, kind, "", copy.deepcopy(body), self.clock())
        if kind == "text":
            text = content.get("body")
            if not isinstance(text, str) or not text.strip():
                raise _invalid("text.body is required")
            if len(text) > MAX_TEXT:
                raise _invalid(f"text.body is longer than {MAX_TEXT} characters")
            sent.text = text
        elif kind == "interactive":
            self._interactive(content, sent)
        elif kind == "template":
            name = content.get("name")
            language = (content.get("language") or {}).get("code")
            if not name or not language:
                raise GraphError(131008, "Required parameter is missing", details="template")
            sent.text = f"template:{name}:{language}"
        else:
            raise GraphError(131051, "Unsupported message type", details=str(kind))
        last = self.last_inbound.get(to)
        sent.outside_window = kind != "template" and (last is None or self.clock() - last >= WINDOW)
        return sent

    @staticmethod
    def _interactive(content: JSONDict, sent: WaSent) -> None:
        kind = content.get("type")
        body = (content.get("body") or {}).get("text")
        if not isinstance(body, str) or not body.strip():
            raise _invalid("interactive.body.text is required")
        if len(body) > MAX_BODY:
            raise _invalid(f"interactive.body.text is longer than {MAX_BODY} characters")
        sent.text = body
        action = content.get("action") or {}
        if kind == "button":
            buttons = action.get("buttons") or []
            if not 1 <= len(buttons) <= MAX_BUTTONS:
                raise _invalid(f"buttons: 1 to {MAX_BUTTONS}")
            for button in buttons:
                reply = button.get("reply") or {}
                title, data = reply.get("title") or "", reply.get("id") or ""
                if button.get("type") != "reply" or not title or not data:
                    raise _invalid("a button needs type reply, an id and a title")
                if len(title) > MAX_BUTTON_TITLE or len(data) > MAX_BUTTON_ID:
                    raise _invalid(f"button title over {MAX_BUTTON_TITLE} or id over 256")
                sent.buttons.append((title, data))
            if len({t.casefold() for t, _ in sent.buttons}) != len(sent.buttons):
                raise _invalid("button titles must be unique")
        elif kind == "list":
            label = action.get("button") or ""
            if not label or len(label) > MAX_LIST_BUTTON:
                raise _invalid(f"list button text: 1 to {MAX_LIST_BUTTON} characters")
            sections = action.get("sections") or []
            if not 1 <= len(sections) <= MAX_ROWS:
                raise _invalid("sections: 1 to 10")
            for section in sections:
                title = section.get("title") or ""
                if (len(sections) > 1 and not title) or len(title) > MAX_SECTION_TITLE:
                    raise _invalid("section title")
                for row in section.get("rows") or []:
                    row_title, data = row.get("title") or "", row.get("id") or ""
                    description = row.get("description")
                    if not row_title or not data or len(row_title) > MAX_ROW_TITLE:
                        raise _invalid(f"row title: 1 to {MAX_ROW_TITLE} characters, id needed")
                    if len(data) > MAX_ROW_ID or len(description or "") > MAX_ROW_DESCRIPTION:
                        raise _invalid("row id over 200 or description over 72")
                    sent.rows.append((row_title, data, description))
            if not 1 <= len(sent.rows) <= MAX_ROWS:
                raise _invalid("rows: 1 to 10 in all")
            if len({data for _, data, _ in sent.rows}) != len(sent.rows):
                raise _invalid("row ids must be unique")
        else:
            raise _invalid(f"unsupported interactive type {kind!r}")

    async def _media_url(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        try:
            self._authorized(request)
            media = self.media.get(request.match_info["media_id"])
            if media is None:
                raise GraphError(100, "Unsupported get request. Object does not exist")
        except GraphError as error:
            return self._json(error.to_json(), error.status)
        return self._json(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/media-download/{media.media_id}",
                "mime_type": media.mime,
                "sha256": media.sha256,
                "file_size": len(media.data),
                "id": media.media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return web.Response(status=401, text="Unauthorized")
        media = self.media.get(request.match_info["media_id"])
        if media is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=media.data, content_type=media.mime)


def _matches(title: str, description: str | None, label: str) -> bool:
    if label in (title, description):
        return True
    return title.endswith("…") and label.startswith(title[:-1].rstrip())
