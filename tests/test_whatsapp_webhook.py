"""The WhatsApp webhook: verification, signatures before parsing, duplicates, batches, statuses,
and messages that fail while being processed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.whatsapp.webhook import MAX_ATTEMPTS
from tests.test_whatsapp_harness import PHOTO, WaBot, WaReporter, whatsapp_bot

WA_ID = "6281234567890"


@pytest.fixture
async def bot(data_dir: Path) -> AsyncIterator[WaBot]:
    async with whatsapp_bot(data_dir) as running:
        yield running


@pytest.fixture
def reporter(bot: WaBot) -> WaReporter:
    return WaReporter(bot.wa, bot.wa.user(WA_ID, "Maria Kolo"))


def inbox_rows(data_dir: Path, *, pending: bool = False) -> int:
    where = " WHERE done_at IS NULL" if pending else ""
    with sqlite3.connect(data_dir / "wbs.sqlite3") as connection:
        query = "SELECT COUNT(*) FROM whatsapp_inbox" + where
        return int(connection.execute(query).fetchone()[0])


async def test_verification_handshake(bot: WaBot) -> None:
    assert await bot.wa.verify(bot.wa.verify_token, "8472") == (200, "8472")
    status, _ = await bot.wa.verify("wrong-token")
    assert status == 403


async def test_unsigned_wrongly_signed_and_malformed_posts_are_refused(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    wa = bot.wa
    contact = {"profile": {"name": "Maria"}, "wa_id": WA_ID}
    good = wa.envelope(messages=[wa.message(reporter.user, "text", {"body": "/lapor"})])
    good["entry"][0]["changes"][0]["value"]["contacts"] = [contact]
    body = json.dumps(good).encode()

    assert await wa.post(body, signature=None) == 401
    assert await wa.post(body, signature=wa.sign(body, "another-secret")) == 403
    assert await wa.post(body, signature="sha256=" + "0" * 64) == 403
    assert await wa.post(body, signature="not even a signature") == 403
    tampered = body.replace(b"/lapor", b"/batal")
    assert await wa.post(tampered, signature=wa.sign(body)) == 403  # signed another body
    # Signed, but not a webhook: refused without processing.
    for junk in (b"{not json", b"[]", b'{"object": "page", "entry": []}', b'{"entry": 5}'):
        assert await wa.post(junk, signature=wa.sign(junk)) == 400, junk
    assert await wa.post(b'{"object": "whatsapp_business_account", "entry": [{}]}') == 400

    await bot.idle()
    assert wa.sent == [] and inbox_rows(data_dir) == 0  # nothing was processed or kept

    assert await wa.post(body) == 200  # the genuine one goes through
    await reporter.expect("Identitas Pelapor")


async def test_a_message_delivered_twice_is_processed_once_even_after_a_restart(
    bot: WaBot, reporter: WaReporter
) -> None:
    wa = bot.wa
    message = wa.message(reporter.user, "text", {"body": "/lapor"})
    assert await wa.send(reporter.user, message) == 200
    assert await wa.send(reporter.user, message) == 200  # Meta sends it again
    await reporter.expect("Identitas Pelapor")
    await bot.idle()
    assert len(wa.messages(WA_ID)) == 2  # "Baik, kita mulai" and the first question, once

    await bot.restart()
    assert await wa.send(reporter.user, message) == 200
    await bot.idle()
    await reporter.answer("/status", then="belum mengirim laporan")
    assert len(wa.messages(WA_ID)) == 3  # only the answer to /status came since


async def test_a_batch_is_split_and_each_chat_keeps_its_order(bot: WaBot) -> None:
    wa = bot.wa
    one, two = wa.user("6281200000001", "Satu"), wa.user("6281200000002", "Dua")
    messages = [
        wa.message(one, "text", {"body": "lapor"}),
        wa.message(two, "text", {"body": "status"}),
        wa.message(
            one,
            "interactive",
            {
                "type": "button_reply",
                "button_reply": {"id": "identity_mode:1", "title": "Lapor Anonim"},
            },
        ),
        wa.message(one, "text", {"body": "halo"}),  # not a category: the list again
    ]
    contacts = [{"profile": {"name": u.name}, "wa_id": u.wa_id} for u in (one, two)]
    wa.last_inbound.update({one.wa_id: bot.clock(), two.wa_id: bot.clock()})
    assert await wa.post(wa.envelope(messages=messages, contacts=contacts)) == 200
    await bot.idle()
    first = [m.text.split("\n")[0][:40] for m in wa.messages(one.wa_id)]
    assert "Identitas Pelapor" in wa.messages(one.wa_id)[1].text
    assert "Tindakan/Perbuatan" in wa.messages(one.wa_id)[2].text, first
    assert wa.messages(one.wa_id)[3].text.startswith("⚠️"), first
    assert "belum mengirim laporan" in wa.messages(two.wa_id)[0].text


async def test_statuses_and_other_numbers_are_accepted_without_replies(
    bot: WaBot, reporter: WaReporter
) -> None:
    await reporter.answer("halo", then="Whistleblowing System")
    sent = bot.wa.messages(WA_ID)[0]
    for status in ("sent", "delivered", "read"):
        assert await bot.wa.send_status(sent, status) == 200
    other = bot.wa.envelope(
        messages=[bot.wa.message(reporter.user, "text", {"body": "lapor"})],
        phone_number_id="999999999",
    )
    assert await bot.wa.post(other) == 200  # another number of the account: not ours
    reaction = bot.wa.message(reporter.user, "reaction", {"message_id": sent.id, "emoji": "👍"})
    assert await bot.wa.send(reporter.user, reaction) == 200
    await bot.idle()
    assert len(bot.wa.messages(WA_ID)) == 1


async def test_a_message_that_keeps_failing_is_retried_then_answered_calmly(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer("Data riwayat jabatan saya di SIMPEG tidak berubah.", then="Link Bukti")

    # A photo whose media the Graph API does not have: every download attempt fails.
    lost = bot.wa.message(reporter.user, "image", {"id": "404404", "mime_type": "image/jpeg"})
    assert await bot.wa.send(reporter.user, lost) == 200
    await bot.idle()
    assert inbox_rows(data_dir, pending=True) == 1
    for _ in range(MAX_ATTEMPTS - 1):
        bot.clock.advance(minutes=10)
        await bot.channel.inbox.sweep()
        await bot.idle()
    await reporter.expect("ada gangguan sementara")

    # The chat goes on: the next photo is taken.
    await reporter.send_image(PHOTO)
    await reporter.expect("Bukti diterima (total 1)")


async def test_a_stored_message_survives_a_stop_before_processing(
    bot: WaBot, reporter: WaReporter, data_dir: Path
) -> None:
    await reporter.answer("lapor", then="Identitas Pelapor")
    inbox = bot.channel.inbox
    inbox._closing = True  # the bot is stopping: it stores what arrives but starts nothing
    await reporter.send("/status")
    await bot.idle()
    assert inbox_rows(data_dir, pending=True) == 1
    await bot.restart()  # the next start processes what the last one accepted
    await reporter.expect("belum mengirim laporan")
    await bot.idle()
    assert inbox_rows(data_dir) == 2
    bot.clock.advance(days=15)
    assert await bot.store.whatsapp.prune(bot.clock() - timedelta(days=14)) == 2
