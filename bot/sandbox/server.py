"""The sandbox: a local Bot API, the real bot, and the page that plays the people.

`Sandbox.start()` brings up, on 127.0.0.1 and in the running loop:

1. `BotApiServer`, the Telegram-compatible Bot API server (a free port; bot_api.py);
2. the real bot, `build_app(settings)`, with the server's URLs, the demo group and officers, and a
   throw-away data folder (or the one given) -- the same engine, storage, outbox and scheduler
   as `wbs-bot run`, started in `Application.run_polling`'s order;
3. the page server (`port`, 8765 by default): the static page and a small JSON API that acts
   as the demo people through the server (`send_text`, `press`, `send_contact`, `send_photo`,
   `send_document`) and reads back what the bot did.

The API never returns HTML: texts travel with Telegram's entities and the page builds the
bubbles from text nodes, so nothing a reporter types can become markup.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import json
import logging
import secrets
import shutil
import signal
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sandbox.bot_api import BotApiServer
from bot.sandbox.bot_api_types import BotMessage, Group, Person
from bot.settings import (
    SecuritySection,
    Settings,
    StorageSection,
    TelegramSection,
    WhatsAppSection,
)

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
FAST_CLOCK_FACTOR = 86400  # --fast-clock: a configured day lasts a second
STATIC = Path(__file__).with_name("static")
STATIC_FILES = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "style.css": "text/css",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
CALLBACK_ANSWER_WAIT = 3.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
CSRF_HEADER = "X-WBS-Sandbox"  # a custom header: other sites' pages cannot post without CORS

JSONDict = dict[str, Any]


class SandboxError(Exception):
    """The sandbox cannot start; the message says why in plain words."""


# --------------------------------------------------------------------------- the demo people


@dataclass(frozen=True)
class Persona:
    id: int
    first_name: str
    role: str  # "reporter" | "officer" | "admin" | "guest"
    label: str
    phone: str = ""
    username: str | None = None


GROUP_ID = -1001000000001
GROUP_TITLE = "Tim WBS BKD NTT"
REPORTERS = (
    Persona(810001, "Maria", "reporter", "Maria (pelapor)", "6281200000001", "maria_demo"),
    Persona(810002, "Agus", "reporter", "Agus (pelapor)", "6281200000002"),
    Persona(810003, "Dewi", "reporter", "Dewi (pelapor)", "6281200000003", "dewi_demo"),
)
OFFICER = Persona(820001, "Budi", "officer", "Budi (petugas)", "6281300000001", "budi_bkd")
ADMIN = Persona(820002, "Ibu Kepala", "admin", "Ibu Kepala (admin)", "6281300000002")
GUEST = Persona(830001, "Tamu", "guest", "Tamu (bukan petugas)", "6281400000001")
GROUP_MEMBERS = (OFFICER, ADMIN, GUEST)
# The phone pane: the reporters, and the admin's private chat (where /ungkap sends identities).
PHONES = (*REPORTERS, ADMIN)
PEOPLE = {p.id: p for p in (*REPORTERS, *GROUP_MEMBERS)}


# --------------------------------------------------------------------------- settings


def fast_clock_settings(settings: Settings, factor: float = FAST_CLOCK_FACTOR) -> Settings:
    """Follow-up and SLA durations divided by `factor` (at least a second each).

    Working days make no sense at that pace, so day counts become plain durations.
    """
    shortest = timedelta(seconds=1)

    def shorter(section: Any) -> dict[str, Any]:
        return {
            name: max(value / factor, shortest)
            for name, value in section
            if isinstance(value, timedelta)
        }

    sla = shorter(settings.sla)
    sla["count_working_days"] = False
    return settings.model_copy(
        update={
            "followup": settings.followup.model_copy(update=shorter(settings.followup)),
            "sla": settings.sla.model_copy(update=sla),
        }
    )


def sandbox_settings(
    base: Settings, api: BotApiServer, data_dir: Path, *, fast_clock: bool = False
) -> Settings:
    """`base` (language, time zone, form, follow-ups, SLA) pointed at `api` and `data_dir`."""
    settings = base.model_copy(
        update={
            "telegram": TelegramSection(
                token=api.token,
                api_base_url=api.base_url,
                file_base_url=api.base_file_url,
                officer_chat_id=GROUP_ID,
                officer_user_ids=[OFFICER.id, ADMIN.id],
                admin_user_ids=[ADMIN.id],
                rate_limit=False,
            ),
            "storage": StorageSection(database=data_dir / "wbs.sqlite3"),
            "security": SecuritySection(key_file=data_dir / "wbs.key"),
            "whatsapp": WhatsAppSection(),
        }
    )
    return fast_clock_settings(settings) if fast_clock else settings


# --------------------------------------------------------------------------- sample evidence


def _sample(title: str, lines: list[str], size: tuple[float, float], kind: str) -> bytes:
    """A made-up document drawn with matplotlib's Figure (no pyplot, no global state)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=100, facecolor="#fffdf5")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    at = axes.transAxes
    axes.text(0.06, 0.88, title, fontsize=20, fontweight="bold", transform=at)
    for row, line in enumerate(lines):
        axes.text(0.06, 0.74 - row * 0.1, line, fontsize=12, family="monospace", transform=at)
    warning = "CONTOH - data sandbox, bukan bukti sungguhan"
    axes.text(0.06, 0.06, warning, fontsize=9, color="#a33", transform=at)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, facecolor=figure.get_facecolor())
    return buffer.getvalue()


def sample_photo() -> bytes:
    """A PNG of a made-up receipt, for demos without a photo at hand."""
    lines = [
        "Telah terima dari : (dirahasiakan)",
        "Uang sejumlah     : Rp 5.000.000,-",
        "Untuk keperluan   : pengurusan berkas mutasi",
        "Kupang, 12 Maret 2024",
    ]
    return _sample("KUITANSI", lines, (6.4, 4.0), "png")


def sample_pdf() -> bytes:
    """A one-page PDF of a made-up letter, for demos without a document at hand."""
    lines = [
        "Nomor   : 800/123/BKD/2024",
        "Perihal : Berkas mutasi pegawai",
        "Isi surat contoh untuk latihan petugas WBS.",
        "Kupang, 12 Maret 2024",
    ]
    return _sample("Surat Keterangan (contoh)", lines, (8.27, 5.0), "pdf")


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "application/octet-stream"


# --------------------------------------------------------------------------- the sandbox


class Sandbox:
    """The local Bot API, the real bot and the page server, started and stopped together."""

    def __init__(
        self,
        base: Settings | None = None,
        *,
        port: int = DEFAULT_PORT,
        data_dir: Path | None = None,
        fast_clock: bool = False,
    ) -> None:
        self.base = base if base is not None else Settings()
        self.requested_port = port
        self.data_dir = data_dir
        self.fast_clock = fast_clock
        # A token made for this run: no other page or program on this computer can guess it
        # and drive the local Bot API behind the sandbox.
        token = f"{secrets.randbelow(9_000_000) + 1_000_000}:{secrets.token_urlsafe(24)}"
        self.fake = BotApiServer(host=HOST, token=token)
        self.settings: Settings | None = None
        self.app: Any = None
        self.group: Group | None = None
        self.users: dict[int, Person] = {}
        self.port: int | None = None
        self._temporary: Path | None = None
        self._runner: web.AppRunner | None = None
        self._initialized = False
        self._sent: dict[int, list[JSONDict]] = {}  # what the demo people sent, per chat
        self._samples: dict[str, bytes] = {}

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the sandbox is not started")
        return f"http://{HOST}:{self.port}"

    @property
    def temporary(self) -> bool:
        """Whether the data folder is a throw-away one, deleted by `stop()`."""
        return self._temporary is not None

    async def start(self) -> None:
        try:
            await self._start_page()
            await self.fake.start()
            for person in PEOPLE.values():
                self.users[person.id] = self.fake.user(
                    person.id, person.first_name, username=person.username
                )
            self.group = self.fake.group(
                GROUP_ID, GROUP_TITLE, members=[self.users[p.id] for p in GROUP_MEMBERS]
            )
            if self.data_dir is None:
                self._temporary = Path(tempfile.mkdtemp(prefix="wbs-sandbox-"))
            folder = self.data_dir or self._temporary
            assert folder is not None
            self.settings = sandbox_settings(
                self.base, self.fake, folder.resolve(), fast_clock=self.fast_clock
            )
            await self._start_bot(self.settings)
        except BaseException:
            await self.stop()
            raise

    async def _start_page(self) -> None:
        runner = web.AppRunner(self.page_app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, HOST, self.requested_port).start()
        except OSError as exc:
            await runner.cleanup()
            if exc.errno == errno.EADDRINUSE:
                raise SandboxError(
                    f"port {self.requested_port} on {HOST} is already in use (another sandbox?);"
                    " choose another one with --port"
                ) from None
            raise SandboxError(f"cannot listen on {HOST}:{self.requested_port}: {exc}") from None
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def _start_bot(self, settings: Settings) -> None:
        from bot.app import build_app

        # The order of Application.run_polling, which would own the loop.
        self.app = app = build_app(settings)
        await app.initialize()
        self._initialized = True
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5, drop_pending_updates=False)
        await app.start()

    async def stop(self) -> None:
        """Stop the page, the bot (as run_polling does), the Bot API; delete a temporary folder."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        app, self.app = self.app, None
        if app is not None:
            try:
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                if app.running:
                    await app.stop()
                    if app.post_stop is not None:
                        await app.post_stop(app)
                if self._initialized:
                    self._initialized = False
                    await app.shutdown()
                    if app.post_shutdown is not None:
                        await app.post_shutdown(app)
            except Exception:
                log.exception("the bot did not stop cleanly")
        await self.fake.stop()
        temporary, self._temporary = self._temporary, None
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ what the page sees

    def setup(self) -> JSONDict:
        """The people, the group and how the sandbox runs, for the page's selectors."""
        settings = self.settings
        return {
            "bot": {"name": self.fake.bot["first_name"], "username": self.fake.bot["username"]},
            "group": {"id": GROUP_ID, "title": GROUP_TITLE},
            "phones": [self._persona_json(p) for p in PHONES],
            "members": [self._persona_json(p) for p in GROUP_MEMBERS],
            "fast_clock": self.fast_clock,
            "temporary_data": self.temporary,
            "data_dir": str(settings.storage.database.parent) if settings else "",
            "language": settings.bot.language if settings else "id",
        }

    @staticmethod
    def _persona_json(person: Persona) -> JSONDict:
        return {
            "id": person.id,
            "name": person.first_name,
            "label": person.label,
            "role": person.role,
            "phone": person.phone,
        }

    def chat(self, chat_id: int) -> JSONDict:
        """The chat as its members see it: everyone's messages, oldest first."""
        items = [self._bot_item(m) for m in self.fake.messages(chat_id)]
        items += [self._person_item(m) for m in self._sent.get(chat_id, [])]
        items.sort(key=lambda item: int(item["id"]))
        by_id = {item["id"]: item for item in items}
        for item in items:
            replied = by_id.get(item.pop("reply_to_id", None))
            if replied is not None:
                item["reply_to"] = {
                    "id": replied["id"],
                    "name": replied["from"]["name"],
                    "text": (replied["text"] or replied.get("file", {}).get("name") or "")[:140],
                }
        if chat_id == GROUP_ID:
            scope: JSONDict = {"type": "chat", "chat_id": GROUP_ID}
        else:
            scope = {"type": "all_private_chats"}
        return {"id": chat_id, "messages": items, "commands": self.fake.my_commands(scope)}

    def _bot_item(self, message: BotMessage) -> JSONDict:
        item = self._message_item(message.payload, message.text, message.entities)
        item["from"] = {"id": self.fake.bot["id"], "name": self.fake.bot["first_name"], "bot": True}
        markup = message.reply_markup or {}
        item["buttons"] = [
            [
                {"text": str(button.get("text", "")), "url": str(button.get("url") or "")}
                for button in row
                if isinstance(button, dict)
            ]
            for row in markup.get("inline_keyboard") or []
            if isinstance(row, list)
        ]
        if "keyboard" in markup:
            item["keyboard"] = {
                "rows": [
                    [self._keyboard_button(button) for button in row]
                    for row in markup["keyboard"]
                    if isinstance(row, list)
                ],
                "one_time": bool(markup.get("one_time_keyboard")),
            }
        item["remove_keyboard"] = bool(markup.get("remove_keyboard"))
        item["force_reply"] = bool(markup.get("force_reply"))
        item["placeholder"] = str(markup.get("input_field_placeholder") or "")
        item["edited"] = message.edit_date is not None
        return item

    @staticmethod
    def _keyboard_button(button: Any) -> JSONDict:
        if isinstance(button, str):
            return {"text": button, "contact": False}
        return {"text": str(button.get("text", "")), "contact": bool(button.get("request_contact"))}

    def _person_item(self, payload: JSONDict) -> JSONDict:
        text = payload.get("text") or payload.get("caption") or ""
        entities = payload.get("entities") or payload.get("caption_entities") or []
        item = self._message_item(payload, text, entities)
        sender = payload.get("from", {})
        person = PEOPLE.get(int(sender.get("id", 0)))
        item["from"] = {
            "id": sender.get("id"),
            "name": person.label if person else sender.get("first_name", ""),
            "bot": False,
            "role": person.role if person else "",
        }
        item["buttons"] = []
        return item

    def _message_item(self, payload: JSONDict, text: str, entities: list[JSONDict]) -> JSONDict:
        item: JSONDict = {
            "id": int(payload["message_id"]),
            "date": int(payload.get("date", 0)),
            "text": text,
            "entities": [
                {k: e[k] for k in ("type", "offset", "length", "url") if k in e} for e in entities
            ],
            "reply_to_id": (payload.get("reply_to_message") or {}).get("message_id"),
        }
        if payload.get("photo"):
            largest = payload["photo"][-1]
            item["file"] = {
                "id": largest["file_id"],
                "kind": "photo",
                "size": largest.get("file_size", 0),
                "name": "",
            }
        for kind in ("document", "video"):
            media = payload.get(kind)
            if media:
                item["file"] = {
                    "id": media["file_id"],
                    "kind": kind,
                    "size": media.get("file_size", 0),
                    "name": media.get("file_name") or "",
                    "mime": media.get("mime_type") or "",
                }
        contact = payload.get("contact")
        if contact:
            item["contact"] = {"phone": contact.get("phone_number", "")}
        return item

    # ------------------------------------------------------------------ what the page does

    def _person(self, value: Any, *, in_group: bool) -> Person:
        try:
            person = PEOPLE[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValueError("unknown person") from None
        allowed = GROUP_MEMBERS if in_group else PHONES
        if person not in allowed:
            raise ValueError(f"{person.label} is not in that chat")
        return self.users[person.id]

    def _remember(self, chat_id: int, message: JSONDict) -> None:
        self._sent.setdefault(chat_id, []).append(message)

    def send_text(self, user_id: Any, where: str, text: str, reply_to: int | None) -> None:
        text = text.strip()
        if not text:
            raise ValueError("empty message")
        if len(text) > 4096:
            raise ValueError("message too long (Telegram allows 4096 characters)")
        group = where == "group"
        user = self._person(user_id, in_group=group)
        chat = self.group if group else None
        message = self.fake.send_text(user, text, chat=chat, reply_to=reply_to)
        self._remember(message["chat"]["id"], message)

    async def press(self, user_id: Any, where: str, message_id: int, label: str) -> JSONDict:
        group = where == "group"
        user = self._person(user_id, in_group=group)
        query = self.fake.press(user, message_id, label, chat=self.group if group else None)
        with contextlib.suppress(TimeoutError):
            await self.fake.wait_until(
                lambda: query in self.fake.answered_callbacks,
                timeout=CALLBACK_ANSWER_WAIT,
                what="the bot's answer to the button",
            )
        answer = self.fake.answered_callbacks.get(query, {})
        text = str(answer.get("text") or "")
        return {"text": text, "show_alert": bool(answer.get("show_alert"))} if text else {}

    def share_contact(self, user_id: Any) -> None:
        user = self._person(user_id, in_group=False)
        person = PEOPLE[user.id]
        message = self.fake.send_contact(user, person.phone)
        self._remember(user.id, message)

    def send_file(
        self, user_id: Any, data: bytes, *, name: str, mime: str, caption: str | None
    ) -> None:
        if not data:
            raise ValueError("the file is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ValueError("the file is larger than 20 MB")
        user = self._person(user_id, in_group=False)
        if mime in PHOTO_TYPES:
            message = self.fake.send_photo(user, data, caption=caption or None)
        else:
            message = self.fake.send_document(
                user, data, file_name=name or "file", mime_type=mime, caption=caption or None
            )
        self._remember(user.id, message)

    async def sample(self, kind: str) -> tuple[bytes, str, str]:
        """A made-up receipt photo or letter PDF: (data, file name, MIME type)."""
        if kind not in ("photo", "pdf"):
            raise ValueError("unknown sample")
        if kind not in self._samples:
            draw = sample_photo if kind == "photo" else sample_pdf
            self._samples[kind] = await asyncio.to_thread(draw)
        if kind == "photo":
            return self._samples[kind], "kuitansi-contoh.png", "image/png"
        return self._samples[kind], "surat-contoh.pdf", "application/pdf"

    # ------------------------------------------------------------------ HTTP

    def page_app(self) -> web.Application:
        app = web.Application(
            client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024, middlewares=[self._guard]
        )
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/api/setup", self._api_setup)
        app.router.add_get("/api/state", self._api_state)
        app.router.add_get("/api/file/{file_id}", self._api_file)
        app.router.add_post("/api/send", self._api_send)
        app.router.add_post("/api/press", self._api_press)
        app.router.add_post("/api/contact", self._api_contact)
        app.router.add_post("/api/upload", self._api_upload)
        app.router.add_post("/api/sample", self._api_sample)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        # Only this computer's browser: a page from elsewhere can neither rebind a name to
        # 127.0.0.1 (Host check) nor post here (custom header, no CORS).
        hostname = request.host.rsplit(":", 1)[0] if request.host else ""
        if hostname not in (HOST, "localhost"):
            return web.json_response({"error": "forbidden host"}, status=403)
        if request.method not in ("GET", "HEAD") and request.headers.get(CSRF_HEADER) != "1":
            return web.json_response({"error": f"missing {CSRF_HEADER} header"}, status=403)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = web.json_response({"error": exc.reason}, status=exc.status)
        except (ValueError, LookupError) as exc:
            response = web.json_response({"error": str(exc)}, status=400)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return self._static_file("index.html")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        return self._static_file(request.match_info["name"])

    @staticmethod
    def _static_file(name: str) -> web.StreamResponse:
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.Response(
            body=(STATIC / name).read_bytes(), content_type=STATIC_FILES[name], charset="utf-8"
        )

    async def _api_setup(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.setup())

    async def _api_state(self, request: web.Request) -> web.StreamResponse:
        phone = int(request.query.get("phone", REPORTERS[0].id))
        if phone not in {p.id for p in PHONES}:
            raise ValueError("unknown phone")
        return web.json_response({"phone": self.chat(phone), "group": self.chat(GROUP_ID)})

    async def _api_file(self, request: web.Request) -> web.StreamResponse:
        try:
            stored = self.fake.file(request.match_info["file_id"])
        except KeyError:
            raise web.HTTPNotFound() from None
        if stored.kind == "photo":
            mime = _image_type(stored.data)
            disposition = "inline"
        else:
            mime = stored.mime_type or "application/octet-stream"
            inline = mime == "application/pdf" or mime.startswith("video/")
            disposition = "inline" if inline else "attachment"
        name = (stored.file_name or stored.file_id).replace('"', "")
        return web.Response(
            body=stored.data,
            content_type=mime,
            headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
        )

    @staticmethod
    async def _body(request: web.Request) -> JSONDict:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise ValueError("the body must be JSON") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return body

    @staticmethod
    def _optional_int(value: Any) -> int | None:
        if value in (None, ""):
            return None
        return int(value)

    async def _api_send(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        self.send_text(
            body.get("user_id"),
            str(body.get("chat", "private")),
            str(body.get("text", "")),
            self._optional_int(body.get("reply_to")),
        )
        return web.json_response({"ok": True})

    async def _api_press(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        answer = await self.press(
            body.get("user_id"),
            str(body.get("chat", "private")),
            int(body.get("message_id", 0)),
            str(body.get("label", "")),
        )
        return web.json_response({"ok": True, "answer": answer})

    async def _api_contact(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        self.share_contact(body.get("user_id"))
        return web.json_response({"ok": True})

    async def _api_upload(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise ValueError("no file in the upload")
        data = upload.file.read()
        caption = form.get("caption")
        self.send_file(
            form.get("user_id"),
            data,
            name=upload.filename or "",
            mime=(upload.content_type or "application/octet-stream").lower(),
            caption=caption if isinstance(caption, str) else None,
        )
        return web.json_response({"ok": True})

    async def _api_sample(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        data, name, mime = await self.sample(str(body.get("kind", "")))
        self.send_file(body.get("user_id"), data, name=name, mime=mime, caption=None)
        return web.json_response({"ok": True})


# --------------------------------------------------------------------------- running it


async def run_sandbox(
    base: Settings | None = None,
    *,
    port: int = DEFAULT_PORT,
    data_dir: Path | None = None,
    fast_clock: bool = False,
    echo: Callable[[str], None] = print,
) -> None:
    """Start the sandbox, print its address, and run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    sandbox = Sandbox(base, port=port, data_dir=data_dir, fast_clock=fast_clock)
    try:
        await sandbox.start()
        assert sandbox.settings is not None
        folder = sandbox.settings.storage.database.parent
        kept = "deleted at exit" if sandbox.temporary else "kept"
        echo(f"WBS sandbox: open {sandbox.url} in your browser (Ctrl-C to stop).")
        echo(f"  Local Telegram-compatible Bot API: {sandbox.fake.url} (nothing leaves here)")
        echo(f"  Data folder: {folder} ({kept})")
        if fast_clock:
            echo("  Fast clock: every configured follow-up/SLA day lasts one second.")
        await stop.wait()
        echo("WBS sandbox: stopping.")
    finally:
        await sandbox.stop()
        for signum in handled:
            loop.remove_signal_handler(signum)
