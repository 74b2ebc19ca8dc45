"""The reporter answers an officer the way people chat: typing, without Telegram's "reply"."""

from __future__ import annotations

from tests.conftest import Reporter
from tests.support.fake_telegram import FakeTelegram
from tests.test_officer_group import Group, group, sent_case
from tests.test_reporter_journey import PHOTO

__all__ = ["group"]  # the officers' group fixture


async def ask(group: Group, ticket: str, question: str) -> None:
    await group.command(group.officer, f"/tanya {ticket} {question}", then="pertanyaan dikirim")


async def test_an_answer_typed_without_reply_reaches_the_one_waiting_case(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    await ask(group, ticket, "Siapa saksinya?")
    await reporter.expect("Pertanyaan dari petugas WBS")

    reporter.send("Saksinya Pak Lado, staf bidang mutasi.")  # no reply
    confirmed = await reporter.expect("sudah diteruskan")
    assert f"jawaban Anda untuk {ticket}" in confirmed.text
    answer = await group.expect("jawaban pelapor")
    assert ticket in answer.text and "Pak Lado" in answer.text

    fake.send_photo(reporter.user, PHOTO)  # a photo, no reply either
    taken = await reporter.expect("(berkas) sudah diteruskan")
    assert ticket in taken.text
    photo = await group.expect(ticket)
    while photo.kind != "photo":
        photo = await group.expect(ticket)
    assert not [m for m in fake.messages(reporter.chat_id) if "Buat Laporan" in fake.buttons(m)][
        1:
    ], "the welcome menu came back while a question waited"


async def test_with_two_cases_waiting_the_reporter_is_asked_which(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    first, _ = await sent_case(reporter, group)
    second, _ = await sent_case(reporter, group)
    await ask(group, first, "Kapan tepatnya?")
    await ask(group, second, "Di ruang mana?")

    reporter.send("Di ruang rapat lantai dua.")
    which = await reporter.expect("Untuk laporan yang mana")
    assert fake.buttons(which) == [first, second]
    reporter.press(second)
    confirmed = await reporter.expect("sudah diteruskan")
    assert second in confirmed.text
    answer = await group.expect("jawaban pelapor")
    assert second in answer.text and first not in answer.text
    assert "lantai dua" in answer.text

    # The second case is answered: the next typed answer goes to the first without asking.
    reporter.send("Tanggal 12 Maret pukul 10.")
    confirmed = await reporter.expect("sudah diteruskan")
    assert first in confirmed.text
    assert "pukul 10" in (await group.expect(f"{first}: jawaban pelapor")).text


async def test_with_no_question_waiting_text_and_files_get_the_help_not_the_menu(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    await sent_case(reporter, group)
    reporter.send("Halo, apakah laporan saya sudah dibaca?")
    told = await reporter.expect("tidak ada pertanyaan petugas")
    assert "/status" in told.text and "/balas" in told.text
    assert "Buat Laporan" not in fake.buttons(told)
    fake.send_photo(reporter.user, PHOTO)
    told = await reporter.expect("menunggu berkas")
    assert "/bukti" in told.text


async def test_a_reply_to_an_old_question_of_a_closed_case_says_it_is_closed(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    ticket, _ = await sent_case(reporter, group)
    await ask(group, ticket, "Siapa saksinya?")
    question = await reporter.expect("Pertanyaan dari petugas WBS")
    await group.command(group.officer, f"/tolak {ticket} Bukan kewenangan WBS.", then="Ditolak")
    await reporter.expect("Bukan kewenangan WBS")

    reporter.send("Saksinya Pak Lado.", reply_to=question.message_id)
    closed = await reporter.expect("sudah ditutup")
    assert ticket in closed.text and "/lapor" in closed.text
    await reporter.answer(f"/balas {ticket} Saksinya Pak Lado.", then="sudah ditutup")
    assert not [m for m in fake.messages(group.chat.id) if "Pak Lado" in m.text]
