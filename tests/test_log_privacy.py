"""No log line of any logger carries a person's data, at DEBUG level, on both channels.

Reporters with unique names, numbers, e-mail addresses and texts file reports on Telegram and
WhatsApp, an officer asks and the reporter answers, an admin reveals an identity, a handler
fails on a message: every record of every logger (python-telegram-bot's API calls, aiohttp,
pywa, ours) is captured at DEBUG twice: raw, before the privacy filter, and as the bot's own
handler prints it. The raw capture must contain the markers (so this test can fail), the
printed one none.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot import log_privacy
from bot.cli import configure_logging
from bot.log_privacy import PrivacyFilter, mask, safe_arg
from tests.conftest import ADMIN_ID, Reporter
from tests.test_whatsapp_harness import TICKET, WaBot, WaReporter, whatsapp_bot

TG_NAME = "Quintessa Varnhagen"
TG_PHONE = "6281299887766"
TG_EMAIL = "quintessa.varnhagen@example.org"
TG_CHRONOLOGY = "Kepala seksi Brumbleweed meminta uang pelicin tujuh juta di ruang arsip."
TG_QUESTION = "Apakah Fenwickstone juga hadir saat itu?"
TG_ANSWER = "Ya, Fenwickstone hadir bersama Marmaduke Oyelaran."
WA_ID = "6285566778899"
WA_NAME = "Ottoline Brisbane"
WA_EMAIL = "ottoline.brisbane@example.net"
WA_CHRONOLOGY = "Bendahara Wexcombe memotong tunjangan pegawai honorer setiap bulan."
CRASH_TEXT = "Saya Perpetua Ironbark, tolong rahasiakan."

MARKERS = (
    TG_NAME,
    "Varnhagen",
    TG_PHONE,
    "81299887766",
    "quintessa.varnhagen",
    "Brumbleweed",
    "Fenwickstone",
    "Oyelaran",
    WA_ID,
    "85566778899",
    "Ottoline",
    "ottoline.brisbane",
    "Wexcombe",
    "Ironbark",
)


class RawCapture(logging.Handler):
    """Every record as it arrives, before any filter: what a leaky setup would print."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
        self.lines.append(f"{record.name}: {text}")


class Captured:
    def __init__(self) -> None:
        self.raw = RawCapture()
        self.printed = io.StringIO()

    def hits(self, text: str) -> list[str]:
        return [m for m in MARKERS if m.casefold() in text.casefold()]


@pytest.fixture
def captured() -> Iterator[Captured]:
    """The bot's logging setup at DEBUG, every logger let through, plus a raw capture."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved_levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    for name in saved_levels:
        logging.getLogger(name).setLevel(logging.NOTSET)  # every logger inherits DEBUG
    capture = Captured()
    handler = configure_logging(logging.DEBUG, capture.printed)
    root.handlers.insert(0, capture.raw)  # first, so it sees records before the filter runs
    try:
        yield capture
    finally:
        root.handlers[:] = saved_root[1]
        root.setLevel(saved_root[0])
        handler.close()
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


async def crash_on(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A handler that fails with the person's words in the exception, as a bug would."""
    assert update.message is not None
    raise KeyError(f"unexpected answer {update.message.text!r}")


async def telegram_journey(bot: WaBot, admin: Reporter) -> str:
    reporter = Reporter(bot.telegram, bot.telegram.user(778001, "Quintessa", last_name="V"))
    reporter.send("/start")
    await reporter.expect("Whistleblowing System")
    await reporter.choose("Buat Laporan", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    await reporter.answer(TG_NAME, then="Telepon Pelapor")
    bot.telegram.send_contact(reporter.user, TG_PHONE)
    await reporter.expect("Email Pelapor")
    await reporter.answer(TG_EMAIL, then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pelanggaran Kode Etik", then="Nama Terlapor")
    await reporter.answer("Brumbleweed", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("12 Maret 2024", then="Lokasi Kejadian")
    await reporter.answer("Ruang arsip", then="Kronologi Kejadian")
    await reporter.answer(TG_CHRONOLOGY, then="Nominal")
    await reporter.answer("7 juta", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan Untuk Dihubungi Kembali")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match is not None
    ticket = match.group()
    await bot.group_expect(f"Laporan baru {ticket}")

    bot.group_say(5001, f"/tanya {ticket} {TG_QUESTION}")
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    reporter.send(TG_ANSWER, reply_to=question.message_id)
    await bot.group_expect("jawaban pelapor")

    bot.group_say(ADMIN_ID, f"/ungkap {ticket} pemeriksaan lanjutan")
    await admin.expect(TG_NAME)

    reporter.send(CRASH_TEXT)  # the crashing handler below takes it
    await reporter.expect("")
    return ticket


async def whatsapp_journey(bot: WaBot) -> None:
    reporter = WaReporter(bot.wa, bot.wa.user(WA_ID, WA_NAME))
    await reporter.answer("Halo", then="Whistleblowing System")
    await reporter.choose("Buat Laporan", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    await reporter.answer(WA_NAME, then="Telepon Pelapor")
    await reporter.choose("Bagikan Nomor Saya", then="Email Pelapor")
    await reporter.answer(WA_EMAIL, then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pelanggaran Kode Etik", then="Nama Terlapor")
    await reporter.answer("Wexcombe", then="Jabatan Terlapor")
    await reporter.choose("Lewati", then="Waktu Kejadian")
    await reporter.answer("Januari 2025", then="Lokasi Kejadian")
    await reporter.answer("Kantor bendahara", then="Kronologi Kejadian")
    await reporter.answer(WA_CHRONOLOGY, then="Nominal")
    await reporter.answer("2 juta", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan Untuk Dihubungi Kembali")
    await reporter.choose("Ya, saya bersedia", then="Ringkasan Laporan")
    await reporter.choose("Kirim Laporan", then="nomor registrasi")
    await bot.group_expect("Laporan baru")
    await bot.idle()


@pytest.mark.journey
async def test_no_log_line_of_any_logger_carries_a_persons_data(
    captured: Captured, data_dir: Path
) -> None:
    async with whatsapp_bot(data_dir) as bot:
        assert bot.running.app is not None
        bot.running.app.add_handler(MessageHandler(filters.Regex("Perpetua"), crash_on), group=-1)
        admin = Reporter(bot.telegram, bot.telegram.user(ADMIN_ID, "Admin"))
        admin.send("/start")  # the admin has a private chat with the bot, for /ungkap
        await admin.expect("Whistleblowing System")
        await telegram_journey(bot, admin)
        await whatsapp_journey(bot)

    printed = captured.printed.getvalue()
    raw = "\n".join(captured.raw.lines)
    # The capture saw the libraries at DEBUG, and what they would have printed leaks.
    loggers = {line.split(":", 1)[0] for line in captured.raw.lines}
    assert {"telegram.Bot", "telegram.ext.Application", "bot.errors"} & loggers
    assert any(name.startswith("telegram") for name in loggers)
    assert len(captured.hits(raw)) >= 10, captured.hits(raw)
    assert "KeyError" in printed  # the crash was logged, as its type
    leaks = [line for line in printed.splitlines() if captured.hits(line)]
    assert leaks == []
    assert bot.telegram.token.split(":")[1] not in printed


@pytest.mark.unit
def test_payload_arguments_become_placeholders() -> None:
    update = Update.de_json(
        {
            "update_id": 41,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 7, "type": "private", "first_name": "Ottoline"},
                "text": "Wexcombe",
            },
        },
        None,
    )
    assert safe_arg(update) == "update 41 (message)"
    assert safe_arg({"update_id": 42, "poll": {"question": "Wexcombe?"}}) == "update 42 (poll)"
    assert safe_arg({"chat_id": 7, "text": "Wexcombe"}) == "<dict>"
    assert safe_arg([{"text": "Wexcombe"}]) == "<list of 1>"
    assert safe_arg('{"text": "Wexcombe"}') == "<payload>"
    assert safe_arg(KeyError("Wexcombe")) == "KeyError"
    assert safe_arg([12, 13]) == [12, 13]
    assert safe_arg("outbox 12") == "outbox 12"


@pytest.mark.unit
def test_tokens_urls_addresses_and_numbers_are_masked() -> None:
    line = (
        "POST https://api.telegram.org/bot123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ/sendMessage "
        "to ottoline@example.net, +62 812-9988-7766, 081299887766, 6281299887766; "
        "update 987654321 for WBS-2026-00012"
    )
    masked = mask(line)
    assert "AAbbCC" not in masked and "123456:" not in masked and "sendMessage" not in masked
    assert "https://api.telegram.org/…" in masked
    assert "ottoline" not in masked and "9988" not in masked and "81299887766" not in masked
    assert "update 987654321" in masked and "WBS-2026-00012" in masked


@pytest.mark.unit
def test_a_ptb_exception_record_becomes_one_line_without_its_message() -> None:
    stream = io.StringIO()
    handler = log_privacy.install(logging.StreamHandler(stream))
    logger = logging.getLogger("telegram.ext.Application")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(CRASH_TEXT)
        except ValueError as exc:
            logger.error("No error handlers are registered, logging exception.", exc_info=exc)
            logging.getLogger("telegram.ext.Updater").critical(
                "Error while parsing updates! Received data was %r",
                [{"update_id": 5, "message": {"text": "Ironbark"}}],
                exc_info=exc,
            )
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1  # the Updater record did not reach this handler
    assert lines[0].startswith("No error handlers are registered, logging exception. [ValueError")
    assert "Ironbark" not in stream.getvalue()


@pytest.mark.unit
def test_other_exceptions_keep_their_frames_but_not_their_message() -> None:
    stream = io.StringIO()
    handler = log_privacy.install(logging.StreamHandler(stream))
    logger = logging.getLogger("tests.privacy")
    logger.addHandler(handler)
    address, name = WA_EMAIL, "Wexcombe"  # not in the source lines the traceback quotes
    try:
        try:
            try:
                raise KeyError(address)
            except KeyError as inner:
                raise RuntimeError(name) from inner
        except RuntimeError:
            logger.exception("storing failed")
    finally:
        logger.removeHandler(handler)
    printed = stream.getvalue()
    assert "storing failed" in printed and "KeyError" in printed and "RuntimeError" in printed
    assert "test_log_privacy.py" in printed  # the frames stay: where it happened
    assert "ottoline" not in printed and "Wexcombe" not in printed


@pytest.mark.unit
def test_the_filter_is_on_every_root_handler_after_the_setup() -> None:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    other = logging.StreamHandler(io.StringIO())
    root.addHandler(other)
    try:
        handler = configure_logging(logging.INFO, io.StringIO())
        assert any(isinstance(f, PrivacyFilter) for f in handler.filters)
        assert any(isinstance(f, PrivacyFilter) for f in other.filters)
    finally:
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
