"""Officers run each case from their Telegram group; the reporter is asked, answers and is told,
without ever being exposed."""

from __future__ import annotations

import re

import pytest

from conversations.case_actions import ACTIONS
from tests.conftest import ADMIN_ID, OFFICER_GROUP, OFFICER_ID, Reporter, RunningBot
from tests.support import evidence_samples as samples
from tests.support.fake_telegram import BotMessage, Call, FakeChat, FakeTelegram, FakeUser
from tests.test_reporter_journey import file_identified_violation
from tests.waiting import wait_until

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")

KUITANSI = samples.pdf_with_metadata()


class Group:
    """The officers' group as its members see it."""

    def __init__(self, fake: FakeTelegram, chat: FakeChat) -> None:
        self.fake = fake
        self.chat = chat
        self.officer = fake.user(OFFICER_ID, "Budi", username="budi_bkd")
        self.admin = fake.user(ADMIN_ID, "Kepala")
        self.stranger = fake.user(6001, "Tamu")

    def say(self, who: FakeUser, text: str, reply_to: int | None = None) -> None:
        self.fake.send_text(who, text, chat=self.chat, reply_to=reply_to)

    async def expect(self, contains: str, timeout: float = 5.0) -> BotMessage:
        return await self.fake.next_message(OFFICER_GROUP, contains=contains, timeout=timeout)

    async def command(self, who: FakeUser, text: str, then: str) -> BotMessage:
        self.say(who, text)
        return await self.expect(then)

    def press(self, who: FakeUser, message: BotMessage, label: str) -> None:
        self.fake.press(who, message.message_id, label, chat=self.chat)


@pytest.fixture
def group(running_bot: RunningBot, fake: FakeTelegram) -> Group:
    assert running_bot.group is not None
    return Group(fake, running_bot.group)


async def sent_case(reporter: Reporter, group: Group) -> tuple[str, BotMessage]:
    ticket = await file_identified_violation(reporter)
    return ticket, await group.expect(f"Laporan baru {ticket}")


async def test_question_answer_and_outcome_reach_the_right_people(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    number = int(ticket.rsplit("-", 1)[1])

    await group.command(group.officer, f"/ambil {number}", then=f"{ticket} diambil oleh Budi")
    await group.command(
        group.officer, f"/tanya {ticket} Kapan tepatnya uang diminta?", then="pertanyaan dikirim"
    )
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    assert ticket in question.text and "Kapan tepatnya uang diminta?" in question.text

    reporter.send("Tanggal 12 Maret sekitar jam 10 pagi.", reply_to=question.message_id)
    await reporter.expect("jawaban Anda untuk")
    answer = await group.expect("jawaban pelapor")
    assert ticket in answer.text and "jam 10 pagi" in answer.text

    await reporter.answer(f"/balas {ticket} Saksinya dua orang staf.", then="diteruskan ke petugas")
    assert "dua orang staf" in (await group.expect("jawaban pelapor")).text

    await group.command(group.officer, f"/catat {number} Cek absensi tanggal 12", then="catatan")
    await group.command(group.officer, f"/telaah {number}", then="Penelaahan")
    await group.command(group.officer, f"/panggil {number} saksi dua staf", then="Klarifikasi")
    await group.command(group.officer, f"/panggil {number} pelapor Senin 09.00", then="Klarifikasi")
    invitation = await reporter.expect("klarifikasi")
    assert "Senin 09.00" in invitation.text
    await group.command(
        group.officer,
        f"/selesai {number} terbukti Terlapor dijatuhi hukuman disiplin.",
        then="Selesai",
    )
    end = await reporter.expect("telah selesai ditangani")
    assert "Terbukti" in end.text and "hukuman disiplin" in end.text

    reporter_saw = " ".join(m.text for m in fake.messages(reporter.chat_id))
    assert "absensi" not in reporter_saw  # internal notes never reach the reporter

    detail = await group.command(group.officer, f"/lihat {ticket}", then="Riwayat")
    for event in (
        "diambil",
        "pertanyaan ke pelapor",
        "jawaban pelapor",
        "catatan",
        "pemanggilan",
        "selesai",
    ):
        assert event in detail.text, event
    for secret in ("Maria", "6281234567890", "example.com", str(reporter.chat_id)):
        assert secret not in detail.text


async def test_refused_moves_name_the_allowed_ones(group: Group, reporter: Reporter) -> None:
    ticket, _ = await sent_case(reporter, group)
    refusal = await group.command(
        group.officer, f"/selesai {ticket} terbukti sudah", then="tidak diizinkan"
    )
    assert "Menunggu Kelengkapan" in refusal.text and "Penelaahan" in refusal.text
    await group.command(group.officer, f"/tolak {ticket} Bukan kewenangan BKD", then="Ditolak")
    await reporter.expect("tidak dapat ditindaklanjuti")
    final = await group.command(group.officer, f"/telaah {ticket}", then="tidak diizinkan")
    assert "sudah final" in final.text and "Hanya admin" in final.text
    assert f"/buka {ticket}" in final.text and "Yang diizinkan" not in final.text
    await group.command(group.officer, f"/buka {ticket} salah tolak", then="hanya untuk admin")
    await group.command(group.admin, f"/buka {ticket} Ada bukti baru", then="Penelaahan")
    await group.command(
        group.officer, f"/limpahkan {ticket} Inspektorat Daerah", then="Dilimpahkan"
    )
    referred = await reporter.expect("dilimpahkan")
    assert "Inspektorat Daerah" in referred.text


async def test_usage_lines_and_unknown_cases(group: Group, reporter: Reporter) -> None:
    await group.command(group.officer, "/tanya", then="Cara pakai: /tanya N teks")
    await group.command(group.officer, "/tanya 7", then="Cara pakai: /tanya")
    await group.command(group.officer, "/selesai 7 mungkin", then="Cara pakai: /selesai")
    await group.command(group.officer, "/panggil 7 polisi", then="Cara pakai: /panggil")
    await group.command(group.officer, "/kasus entah", then="Cara pakai: /kasus")
    await group.command(group.officer, "/lihat 99", then="Kasus 99 tidak ditemukan")
    await group.command(group.officer, "/lihat abc", then="bukan nomor kasus")
    await group.command(group.officer, "/kasus", then="Tidak ada kasus terbuka")
    ticket, _ = await sent_case(reporter, group)
    listing = await group.command(group.officer, "/kasus", then="Kasus (1)")
    assert ticket in listing.text and "Diterima" in listing.text
    help_text = (await group.command(group.officer, "/bantuan", then="/ungkap")).text
    for row in ACTIONS:  # the same table as wbs-officer --help
        assert (f"/{row.command}" if row.command else f"wbs-officer {row.cli_name}") in help_text


async def test_non_officers_are_refused_and_change_nothing(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, alert = await sent_case(reporter, group)
    for command in (
        f"/ambil {ticket}",
        f"/tanya {ticket} siapa anda?",
        f"/ungkap {ticket} ingin tahu",
    ):
        await group.command(group.stranger, command, then="hanya untuk petugas WBS")
    group.press(group.stranger, alert, "Ambil")

    def refusals() -> list[dict[str, object]]:
        return [a for a in fake.answered_callbacks.values() if a.get("show_alert")]

    await fake.wait_until(lambda: len(refusals()) >= 1)
    assert "petugas" in str(refusals()[0].get("text"))

    # A forged press: the officers' button data, sent by someone who is not an officer.
    fake.add_update(
        {
            "callback_query": {
                "id": "forged-1",
                "from": group.stranger.to_dict(),
                "chat_instance": "x",
                "data": f"case:review:{ticket}",
                "message": alert.payload,
            }
        }
    )

    # The bot refuses it (its alert to the presser; Telegram finds the forged query unknown):
    # what matters is that nothing changed.
    def refused() -> list[Call]:
        return [
            call
            for call in fake.calls_to("answerCallbackQuery")
            if call.params.get("callback_query_id") == "forged-1" and call.response is not None
        ]

    await wait_until(lambda: bool(refused()), what="the refusal of the forged press")
    assert "petugas" in str(refused()[0].params.get("text"))

    # Officer commands in a private chat do nothing to cases.
    fake.send_text(group.officer, f"/ambil {ticket}")
    await fake.next_message(OFFICER_ID, contains="Perintah")

    listing = await group.command(group.officer, "/kasus", then="Kasus (1)")
    assert "Diterima" in listing.text and "Budi" not in listing.text
    assert "Pertanyaan" not in " ".join(m.text for m in fake.messages(reporter.chat_id))


async def test_the_alert_buttons_and_their_prompts(group: Group, reporter: Reporter) -> None:
    ticket, alert = await sent_case(reporter, group)
    group.press(group.officer, alert, "Ambil")
    await group.expect(f"{ticket} diambil oleh Budi")

    group.press(group.officer, alert, "Minta Kelengkapan")
    prompt = await group.expect("Pertanyaan untuk pelapor")
    assert prompt.reply_markup is not None and prompt.reply_markup.get("force_reply")
    group.say(group.officer, "Mohon kirim foto kuitansinya.", reply_to=prompt.message_id)
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    assert "foto kuitansinya" in question.text

    group.press(group.officer, alert, "Telaah")
    await group.expect("Penelaahan")
    group.press(group.officer, alert, "Tolak")
    prompt = await group.expect("Alasan penolakan")
    group.say(group.stranger, "iseng", reply_to=prompt.message_id)
    await group.expect("hanya untuk petugas WBS")
    group.say(group.officer, "Tidak didukung bukti yang cukup.", reply_to=prompt.message_id)
    await reporter.expect("tidak dapat ditindaklanjuti")


async def test_reporter_adds_evidence_and_cannot_reach_another_case(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    await reporter.answer(f"/bukti {ticket}", then="Kirim foto, video, dokumen")
    fake.send_document(
        reporter.user, KUITANSI, file_name="kuitansi.pdf", mime_type="application/pdf"
    )
    await reporter.expect("diterima dan diteruskan")
    notice = await group.expect("menambah bukti")
    assert ticket in notice.text
    document = await group.expect(ticket)
    assert document.kind == "document" and document.file is not None
    assert samples.PDF_AUTHOR.encode() not in samples.pdf_expanded(document.file)
    assert document.file_name is None or "kuitansi" not in document.file_name
    await reporter.choose("Selesai", then="sudah lengkap kami terima")

    other = Reporter(fake, fake.user(777009, "Lain"))
    await other.answer(f"/balas {ticket} saya tahu siapa pelapornya", then="bukan laporan Anda")
    await other.answer(f"/bukti {ticket}", then="bukan laporan Anda")
    await other.answer("/balas", then="Cara menjawab")


async def test_identity_goes_only_to_the_admins_private_chat(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    await group.command(group.officer, f"/ungkap {ticket} perlu", then="hanya untuk admin")
    await group.command(
        group.admin, f"/ungkap {ticket} Pemeriksaan Inspektorat", then="Buka chat pribadi"
    )

    fake.send_text(group.admin, "/start")
    await fake.next_message(ADMIN_ID, contains="Whistleblowing")
    await group.command(
        group.admin, f"/ungkap {ticket} Pemeriksaan Inspektorat", then="identitas pelapor dibuka"
    )
    private = await fake.next_message(ADMIN_ID, contains="Identitas pelapor")
    assert "Maria Kolo" in private.text and "+6281234567890" in private.text
    group_saw = " ".join(m.text for m in fake.messages(OFFICER_GROUP))
    for secret in ("Maria Kolo", "6281234567890", "maria.kolo"):
        assert secret not in group_saw


async def test_statistics_and_the_group_command_menu(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    await sent_case(reporter, group)
    stats = await group.command(group.officer, "/statistik", then="Statistik WBS")
    assert "Pelanggaran Kode Etik" in stats.text
    chart = await group.expect("Statistik WBS")
    assert chart.kind == "photo" and chart.file and chart.file.startswith(b"\x89PNG")
    await group.command(group.officer, "/statistik 13-2026", then="Cara pakai: /statistik")
    names = [c["command"] for c in fake.my_commands({"type": "chat", "chat_id": OFFICER_GROUP})]
    assert {"kasus", "lihat", "tanya", "selesai", "ungkap", "statistik"} <= set(names)


async def test_long_texts_arrive_whole_and_edited_commands_do_nothing(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    question = " ".join(f"kalimat-{n}" for n in range(600))  # about 6000 characters
    await group.command(group.officer, f"/tanya {ticket} {question}", then="pertanyaan dikirim")
    await reporter.expect("Pertanyaan dari petugas WBS")
    await fake.wait_until(lambda: "kalimat-599" in fake.messages(reporter.chat_id)[-1].text)
    received = "".join(m.text for m in fake.messages(reporter.chat_id)[-3:])
    assert "".join(question.split()) in "".join(received.split())  # split, never cut

    asked = sum("Pertanyaan dari petugas" in m.text for m in fake.messages(reporter.chat_id))
    fake.add_update(
        {
            "edited_message": {
                "message_id": 999,
                "date": 1,
                "edit_date": 2,
                "chat": group.chat.to_dict(),
                "from": group.officer.to_dict(),
                "text": f"/tanya {ticket} versi yang diperbaiki",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        }
    )
    # The group's updates are handled one at a time, in order: once the next command is
    # answered, the edit was handled too, and it asked nothing.
    await group.command(group.officer, "/kasus", then="Kasus (1)")
    assert not [m for m in fake.messages(OFFICER_GROUP) if "versi yang diperbaiki" in m.text]
    assert sum("pertanyaan dikirim" in m.text for m in fake.messages(OFFICER_GROUP)) == 1
    after = sum("Pertanyaan dari petugas" in m.text for m in fake.messages(reporter.chat_id))
    assert after == asked
