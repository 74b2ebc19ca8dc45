"""The real bot with WhatsApp enabled, against the fake Graph API and the fake Bot API.

Shared by the tests/test_whatsapp_*.py modules (it holds no tests itself): the bot is built
by `build_app` exactly as `wbs-bot run` builds it, its Telegram side talks to FakeTelegram
(the officers' group), its WhatsApp side to FakeWhatsApp on 127.0.0.1, whose users post
signed webhooks to the bot's own webhook server.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.store import Store
from tests.conftest import OFFICER_GROUP, Clock, RunningBot, make_settings
from tests.support import evidence_samples as samples
from tests.support.fake_telegram import BotMessage, FakeTelegram
from tests.support.fake_whatsapp import FakeWhatsApp, WaSent, WaUser

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
TEMPLATE = "wbs_tindak_lanjut"
CHRONOLOGY = (
    "Pada 12 Maret 2024 Kepala Sub Bidang meminta <b>uang pelicin</b> & 'tanda terima kasih' "
    "sebesar lima juta rupiah agar berkas mutasi saya diproses."
)
PHOTO = samples.phone_jpeg()  # with GPS, camera serial and thumbnail
PDF = samples.pdf_with_metadata()  # with an author, XMP, a script and an attachment


@dataclass
class WaBot:
    telegram: FakeTelegram
    wa: FakeWhatsApp
    running: RunningBot
    clock: Clock

    @property
    def services(self) -> Any:
        assert self.running.app is not None
        return self.running.app.bot_data["services"]

    @property
    def store(self) -> Store:
        store: Store = self.services.store
        return store

    @property
    def channel(self) -> Any:
        assert self.running.app is not None
        return self.running.app.bot_data["whatsapp"]

    async def restart(self) -> None:
        await self.running.restart()
        self.wa.webhook_url = self.channel.webhook_url

    async def idle(self) -> None:
        """Wait until the bot processed every webhook message it accepted."""
        await self.channel.inbox.idle()

    async def group_expect(self, contains: str, timeout: float = 5.0) -> BotMessage:
        return await self.telegram.next_message(OFFICER_GROUP, contains=contains, timeout=timeout)

    def group_say(self, user_id: int, text: str, reply_to: int | None = None) -> None:
        assert self.running.group is not None
        officer = self.telegram.user(user_id, "Budi", username="budi_bkd")
        self.telegram.send_text(officer, text, chat=self.running.group, reply_to=reply_to)


def whatsapp_section(wa: FakeWhatsApp, **overrides: Any) -> dict[str, Any]:
    section: dict[str, Any] = {
        "enabled": True,
        "phone_number_id": wa.phone_number_id,
        "access_token": wa.access_token,
        "app_secret": wa.app_secret,
        "verify_token": wa.verify_token,
        "api_base_url": wa.base_url,
        "api_version": wa.api_version,
        "listen": "127.0.0.1:0",
        "webhook_path": "/whatsapp/webhook",
        "followup_template": TEMPLATE,
        "followup_template_language": "id",
    }
    section.update(overrides)
    return section


@asynccontextmanager
async def whatsapp_bot(data_dir: Path, **overrides: Any) -> AsyncIterator[WaBot]:
    clock = Clock()
    async with FakeTelegram() as telegram, FakeWhatsApp(clock=clock) as wa:
        settings = make_settings(data_dir, telegram, whatsapp=whatsapp_section(wa, **overrides))
        running = RunningBot(telegram, settings, clock)
        running.group = telegram.group(OFFICER_GROUP, "Tim WBS BKD NTT")
        await running.start()
        bot = WaBot(telegram, wa, running, clock)
        wa.webhook_url = bot.channel.webhook_url
        try:
            yield bot
        finally:
            await running.stop()


@dataclass
class WaReporter:
    """A person on WhatsApp: writes, taps buttons and list rows, sends files, reads replies."""

    wa: FakeWhatsApp
    user: WaUser
    seen: list[WaSent] = field(default_factory=list)

    @property
    def wa_id(self) -> str:
        return self.user.wa_id

    async def expect(self, contains: str, timeout: float = 5.0) -> WaSent:
        message = await self.wa.next_message(self.wa_id, contains=contains, timeout=timeout)
        self.seen.append(message)
        return message

    async def send(self, text: str, *, reply_to: str | None = None) -> None:
        assert await self.wa.send_text(self.user, text, reply_to=reply_to) == 200

    async def answer(self, text: str, then: str) -> WaSent:
        await self.send(text)
        return await self.expect(then)

    async def choose(self, label: str, then: str) -> WaSent:
        assert await self.wa.press(self.user, label) == 200
        return await self.expect(then)

    async def send_image(self, data: bytes) -> None:
        assert await self.wa.send_image(self.user, data) == 200

    async def send_document(self, data: bytes, name: str) -> None:
        assert await self.wa.send_document(self.user, data, name) == 200


async def file_violation_on_whatsapp(reporter: WaReporter) -> str:
    """The whole pelanggaran branch, identified, with a photo, a PDF and a link."""
    welcome = await reporter.answer("Halo", then="Whistleblowing System")
    assert welcome.labels == ["Buat Laporan", "Cek Status", "Bantuan"]
    assert welcome.type == "interactive" and "<b>" not in welcome.text and "*" in welcome.text
    await reporter.choose("Buat Laporan", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    phone = await reporter.answer("Maria  Kolo", then="Telepon Pelapor")
    assert phone.labels == ["Bagikan Nomor Saya"]
    await reporter.choose("Bagikan Nomor Saya", then="Email Pelapor")
    categories = await reporter.answer(
        "Maria.Kolo@Example.com", then="Tindakan/Perbuatan yang Dilaporkan"
    )
    assert categories.rows and len(categories.rows) == 5  # five choices: a list message
    # Over the 24 characters of a row title: shortened keeping its start, in full below.
    assert ("Pelanggaran Benturan Ke…", "Pelanggaran Benturan Kepentingan") in [
        (title, description) for title, _, description in categories.rows
    ]
    await reporter.choose("Pelanggaran Benturan Kepentingan", then="Nama Terlapor")
    await reporter.answer("Yohanes Benu", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("12 Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Ruang Bidang Mutasi", then="Kronologi Kejadian")
    await reporter.answer(CHRONOLOGY, then="Nominal")
    await reporter.answer("5 juta", then="Link Bukti")
    await reporter.send_image(PHOTO)
    await reporter.expect("Bukti diterima (total 1)")
    await reporter.send_document(PDF, "kuitansi.pdf")
    await reporter.expect("total 2")
    await reporter.answer("https://drive.google.com/file/d/abc123", then="total 3")
    await reporter.choose("Selesai", then="Persetujuan Untuk Dihubungi Kembali")
    summary = await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    assert "Rp 5.000.000" in summary.text and "Yohanes Benu" in summary.text
    assert "3 bukti" in summary.text and "+6281234567890" in summary.text
    assert summary.labels == ["Kirim Laporan", "Ubah", "Reset"]
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    return match.group()
