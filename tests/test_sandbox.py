"""The sandbox in-process: its settings, its page API, its data folder, and `wbs-bot run`
falling back to it when no token is configured. (The browser drives it in
test_sandbox_browser.py.)"""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from typer.testing import CliRunner

import bot.sandbox
from bot.cli import cli
from bot.sandbox import Sandbox, SandboxError, fast_clock_settings, sandbox_settings
from bot.sandbox.server import ADMIN, GROUP_ID, GUEST, OFFICER, REPORTERS, sample_pdf
from bot.settings import Settings
from tests.support.fake_telegram import FakeTelegram

MARIA, AGUS = REPORTERS[0].id, REPORTERS[1].id
HEADERS = {"X-WBS-Sandbox": "1"}
TICKET = re.compile(r"WBS-\d{4}-\d{4,}")


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(port=0) as running:
        yield running


@pytest.fixture
async def page(sandbox: Sandbox) -> AsyncIterator[Page]:
    async with aiohttp.ClientSession(sandbox.url) as session:
        yield Page(sandbox, session)


class Page:
    """What the page's JavaScript does, as plain HTTP calls."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.session = session

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
        async with self.session.post(path, json=body, headers=HEADERS) as response:
            data: dict[str, Any] = await response.json()
            assert response.status == status, data
            return data

    async def state(self, phone: int = MARIA) -> dict[str, Any]:
        async with self.session.get("/api/state", params={"phone": str(phone)}) as response:
            assert response.status == 200
            data: dict[str, Any] = await response.json()
            return data

    async def say(self, user: int, text: str, chat: str = "private", **extra: Any) -> None:
        await self.post("/api/send", {"user_id": user, "chat": chat, "text": text, **extra})

    async def press(self, user: int, label: str, chat: str = "private") -> dict[str, Any]:
        fake = self.sandbox.fake
        chat_id = GROUP_ID if chat == "group" else user

        def showing() -> list[Any]:
            return [m for m in fake.messages(chat_id) if label in fake.buttons(m)]

        await fake.wait_until(lambda: bool(showing()), what=f"a {label!r} button")
        message = showing()[-1]
        return await self.post(
            "/api/press",
            {"user_id": user, "chat": chat, "message_id": message.message_id, "label": label},
        )

    async def expect(self, chat_id: int, contains: str, timeout: float = 5.0) -> str:
        message = await self.sandbox.fake.next_message(chat_id, contains=contains, timeout=timeout)
        return message.text


def test_fast_clock_makes_a_day_a_second_and_leaves_drafts_alone() -> None:
    settings = fast_clock_settings(Settings())
    assert settings.followup.evidence_reminder_after == timedelta(seconds=1)
    assert settings.followup.reminder_interval == timedelta(seconds=2)
    assert settings.followup.response_deadline == timedelta(seconds=30)
    assert settings.followup.max_reminders == 2
    assert settings.sla.acknowledge_within == timedelta(seconds=3)
    assert settings.sla.resolve_within == timedelta(seconds=60)
    assert settings.sla.scan_interval == timedelta(seconds=1)  # never below a second
    assert settings.sla.count_working_days is False
    assert settings.form.draft_ttl == Settings().form.draft_ttl  # a form still takes minutes


async def test_settings_point_at_the_fake_and_the_data_folder(tmp_path: Path) -> None:
    base = Settings(bot={"language": "en"}, form={"services": ["SIMPEG", "SIPORA"]})
    async with FakeTelegram() as fake:
        settings = sandbox_settings(base, fake, tmp_path, fast_clock=True)
    assert settings.telegram.api_base_url == fake.base_url
    assert settings.telegram.file_base_url == fake.base_file_url
    assert settings.telegram.officer_chat_id == GROUP_ID
    assert set(settings.telegram.officer_user_ids) == {OFFICER.id, ADMIN.id}
    assert settings.telegram.admin_user_ids == [ADMIN.id]
    assert GUEST.id not in settings.telegram.officer_user_ids
    assert settings.telegram.rate_limit is False
    assert settings.storage.database == tmp_path / "wbs.sqlite3"
    assert settings.security.key_file == tmp_path / "wbs.key"
    assert settings.bot.language == "en" and settings.form.services == ["SIMPEG", "SIPORA"]
    assert settings.followup.evidence_reminder_after == timedelta(seconds=1)


async def test_the_page_and_its_guards(page: Page) -> None:
    session = page.session
    async with session.get("/") as response:
        assert response.status == 200 and response.content_type == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "/static/app.js" in await response.text()
    for name in ("app.js", "style.css"):
        async with session.get(f"/static/{name}") as response:
            assert response.status == 200
    async with session.get("/static/server.py") as response:
        assert response.status == 404
    # Another site's page can neither post here (custom header) nor rebind a name to us.
    async with session.post("/api/send", json={"user_id": MARIA, "text": "/start"}) as response:
        assert response.status == 403
    async with session.get("/api/setup", headers={"Host": "evil.example:8765"}) as response:
        assert response.status == 403
    assert page.sandbox._sent == {}

    async with session.get("/api/setup") as response:
        setup = await response.json()
    assert [p["id"] for p in setup["phones"]] == [*(r.id for r in REPORTERS), ADMIN.id]
    assert {p["role"] for p in setup["members"]} == {"officer", "admin", "guest"}
    assert setup["group"]["id"] == GROUP_ID and setup["temporary_data"] is True

    await page.post("/api/send", {"user_id": MARIA, "chat": "group", "text": "hi"}, status=400)
    await page.post("/api/send", {"user_id": 1, "text": "hi"}, status=400)
    await page.post("/api/send", {"user_id": MARIA, "text": "   "}, status=400)


async def test_a_reporter_and_the_group_through_the_page_api(page: Page) -> None:
    await page.say(MARIA, "/start")
    await page.expect(MARIA, "Whistleblowing System")
    phone = (await page.state())["phone"]
    first, welcome = phone["messages"][:2]
    assert first["text"] == "/start" and first["from"]["bot"] is False
    assert welcome["from"]["bot"] is True
    assert welcome["buttons"][0][0]["text"] == "Buat Laporan"
    assert any(e["type"] == "bold" for e in welcome["entities"])
    assert {"command": "lapor", "description": "Buat atau lanjutkan laporan"} in phone["commands"]

    await page.press(MARIA, "Buat Laporan")
    await page.expect(MARIA, "Identitas Pelapor")
    await page.press(MARIA, "Isi Identitas")
    await page.expect(MARIA, "Nama Pelapor")
    await page.say(MARIA, "Maria Kolo")
    await page.expect(MARIA, "Telepon Pelapor")
    phone = (await page.state())["phone"]
    keyboard = phone["messages"][-1]["keyboard"]
    assert keyboard["rows"][0][0]["contact"] is True  # Telegram's "share my number" button
    await page.post("/api/contact", {"user_id": MARIA})
    await page.expect(MARIA, "Email Pelapor")
    phone = (await page.state())["phone"]
    shared = [m["contact"] for m in phone["messages"] if "contact" in m]
    assert shared == [{"phone": REPORTERS[0].phone}]

    # The group: a guest is refused, an officer gets the list; the menu is the officers'.
    await page.say(GUEST.id, "/kasus", chat="group")
    refusal = await page.expect(GROUP_ID, "petugas")
    await page.say(OFFICER.id, "/kasus", chat="group")
    await page.expect(GROUP_ID, "")
    group = (await page.state())["group"]
    assert [m["from"].get("role") for m in group["messages"] if not m["from"]["bot"]] == [
        "guest",
        "officer",
    ]
    assert refusal in [m["text"] for m in group["messages"]]
    assert any(c["command"] == "tanya" for c in group["commands"])

    # A reply keeps its quote; a second reporter's phone is a separate chat.
    question = group["messages"][-1]
    await page.say(OFFICER.id, "ok", chat="group", reply_to=question["id"])
    group = (await page.state())["group"]
    assert group["messages"][-1]["reply_to"]["id"] == question["id"]
    assert (await page.state(AGUS))["phone"]["messages"] == []
    await page.post(
        "/api/press",
        {"user_id": MARIA, "chat": "private", "message_id": 9999, "label": "Nope"},
        status=400,
    )


async def test_evidence_from_the_page_is_stored_and_served(page: Page) -> None:
    await page.say(AGUS, "/lapor")
    await page.expect(AGUS, "Identitas Pelapor")
    await page.press(AGUS, "Lapor Anonim")
    await page.press(AGUS, "Pengaduan Layanan")
    await page.expect(AGUS, "Jenis Layanan")
    await page.say(AGUS, "simpeg")
    await page.expect(AGUS, "Keluhan")
    await page.say(AGUS, "Sejak 1 Maret 2024 saya tidak bisa masuk ke SIMPEG, akun terkunci.")
    await page.expect(AGUS, "Link Bukti")
    await page.post("/api/sample", {"user_id": AGUS, "kind": "photo"})
    await page.expect(AGUS, "total 1")
    form = aiohttp.FormData()
    form.add_field("user_id", str(AGUS))
    form.add_field("file", sample_pdf(), filename="surat.pdf", content_type="application/pdf")
    async with page.session.post("/api/upload", data=form, headers=HEADERS) as response:
        assert response.status == 200, await response.text()
    await page.expect(AGUS, "total 2")

    sent = [m for m in (await page.state(AGUS))["phone"]["messages"] if "file" in m]
    assert [m["file"]["kind"] for m in sent] == ["photo", "document"]
    async with page.session.get(f"/api/file/{sent[0]['file']['id']}") as response:
        assert response.content_type == "image/png"
        assert (await response.read()).startswith(b"\x89PNG")
    async with page.session.get(f"/api/file/{sent[1]['file']['id']}") as response:
        assert response.content_type == "application/pdf"
        assert (await response.read()).startswith(b"%PDF")
    async with page.session.get("/api/file/nope") as response:
        assert response.status == 404


async def test_fast_clock_brings_the_evidence_reminder_within_seconds() -> None:
    async with (
        Sandbox(port=0, fast_clock=True) as sandbox,
        aiohttp.ClientSession(sandbox.url) as session,
    ):
        page = Page(sandbox, session)
        await page.say(AGUS, "/lapor")
        await page.press(AGUS, "Lapor Anonim")
        await page.press(AGUS, "Pengaduan Layanan")
        await page.expect(AGUS, "Jenis Layanan")
        await page.say(AGUS, "simpeg")
        await page.expect(AGUS, "Keluhan")
        await page.say(AGUS, "Sejak 1 Maret 2024 saya tidak bisa masuk ke SIMPEG.")
        await page.expect(AGUS, "Link Bukti")
        await page.press(AGUS, "Lewati")
        await page.expect(AGUS, "Persetujuan")
        await page.press(AGUS, "Ya, saya bersedia")
        await page.expect(AGUS, "Ringkasan Laporan")
        await page.press(AGUS, "Kirim Laporan")
        ticket = TICKET.search(await page.expect(AGUS, "nomor registrasi"))
        assert ticket
        reminder = await page.expect(AGUS, "belum disertai bukti", timeout=15)
        assert ticket.group() in reminder


async def test_data_folder_kept_with_data_and_thrown_away_without(tmp_path: Path) -> None:
    kept = tmp_path / "demo"
    async with Sandbox(port=0, data_dir=kept) as sandbox:
        assert not sandbox.temporary
    assert (kept / "wbs.sqlite3").exists() and (kept / "wbs.key").exists()

    async with Sandbox(port=0) as sandbox:
        assert sandbox.settings is not None
        temporary = sandbox.settings.storage.database.parent
        assert temporary.is_dir()
    assert not temporary.exists()


async def test_a_busy_port_is_named_and_nothing_is_left_running() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        sandbox = Sandbox(port=port)
        with pytest.raises(SandboxError, match="--port"):
            await sandbox.start()
        assert sandbox.app is None and sandbox.temporary is False


# --------------------------------------------------------------------------- the CLI


def write_config(folder: Path, token: str = "") -> Path:
    config = folder / "config.toml"
    config.write_text(f'[telegram]\ntoken = "{token}"\n[bot]\nlanguage = "en"\n')
    return config


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    async def fake_run_sandbox(base: Settings | None = None, **options: Any) -> None:
        calls.append({"base": base, **options})

    monkeypatch.setattr(bot.sandbox, "run_sandbox", fake_run_sandbox)
    monkeypatch.delenv("WBS_TELEGRAM__TOKEN", raising=False)
    return calls


def test_run_without_a_token_starts_the_sandbox_instead(
    tmp_path: Path, started: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(cli, ["run", "--config", str(write_config(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "No Telegram token is configured" in result.output
    assert "sandbox" in result.output
    (call,) = started
    assert call["base"].bot.language == "en"  # the file's other settings are used
    assert call["port"] == 8765 and call["data_dir"] is None and call["fast_clock"] is False

    # check-config still says what is missing.
    checked = CliRunner().invoke(cli, ["check-config", "--config", str(tmp_path / "config.toml")])
    assert checked.exit_code == 2 and "telegram.token: empty" in checked.output


def test_run_with_a_token_in_the_environment_does_not_start_the_sandbox(
    tmp_path: Path, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WBS_TELEGRAM__TOKEN", "123:abc")
    result = CliRunner().invoke(cli, ["run", "--config", str(write_config(tmp_path))])
    assert result.exit_code == 2 and "officer_chat_id" in result.output  # the real bot's check
    assert started == []


def test_sandbox_command_options(tmp_path: Path, started: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(
        cli, ["sandbox", "--port", "9000", "--data", str(tmp_path), "--fast-clock"]
    )
    assert result.exit_code == 0, result.output
    (call,) = started
    assert call["port"] == 9000 and call["data_dir"] == tmp_path and call["fast_clock"] is True
    bad = tmp_path / "bad.toml"
    bad.write_text("[bot]\nlanguage = 'fr'\n")
    refused = CliRunner().invoke(cli, ["sandbox", "--config", str(bad)])
    assert refused.exit_code == 2 and "bot.language" in refused.output
