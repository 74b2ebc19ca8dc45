"""The reporter's commands and the odd things people send."""

from __future__ import annotations

from tests.conftest import Reporter, RunningBot
from tests.support.fake_telegram import FakeTelegram


async def test_first_message_of_any_kind_gets_the_welcome(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    welcome = await reporter.answer("halo pak", then="Whistleblowing System")
    assert fake.buttons(welcome) == ["Buat Laporan", "Cek Status", "Bantuan"]
    assert "dirahasiakan" in welcome.text
    await reporter.choose("Cek Status", then="belum mengirim laporan")
    await reporter.choose("Bantuan", then="/lapor")


async def test_help_privacy_and_unknown_commands(
    running_bot: RunningBot, reporter: Reporter
) -> None:
    help_text = await reporter.answer("/bantuan", then="Perintah")
    for command in ("/lapor", "/status", "/batal", "/bahasa", "/privasi"):
        assert command in help_text.text
    privacy = await reporter.answer("/privasi", then="Privasi")
    assert "terenkripsi" in privacy.text
    await reporter.answer("/entahlah", then="Perintah")
    await reporter.answer("/batal", then="Tidak ada laporan yang sedang diisi")


async def test_english_on_request(running_bot: RunningBot, reporter: Reporter) -> None:
    await reporter.answer("/bahasa", then="Pilih bahasa")
    await reporter.choose("English", then="Language set to English")
    question = await reporter.answer("/lapor", then="Reporter identity")
    assert "Identitas Pelapor" in question.text  # the form's own label stays recognisable
    await reporter.choose("Isi Identitas", then="Reporter's name")
    reporter.send("X")
    warning = await reporter.expect("⚠️")
    assert "Example" in warning.text


async def test_files_stickers_and_other_peoples_numbers_are_refused_politely(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Isi Identitas", then="Nama Pelapor")
    fake.send_document(reporter.user, b"%PDF-1.4 x", file_name="a.pdf", mime_type="application/pdf")
    await reporter.expect("tidak bisa dipakai di sini")
    await reporter.expect("Nama Pelapor")
    await reporter.answer("Maria Kolo", then="Telepon Pelapor")
    question = fake.messages(reporter.chat_id)[-1]
    assert question.reply_markup is not None and "keyboard" in question.reply_markup
    fake.send_contact(reporter.user, "6281299998888", own=False)
    await reporter.expect("nomor Anda sendiri")
    await reporter.expect("Telepon Pelapor")
    saved = await reporter.answer("0812-3456-7890", then="+6281234567890 tersimpan")
    assert saved.reply_markup == {"remove_keyboard": True}  # the share button is gone
    await reporter.expect("Email Pelapor")


async def test_the_command_menu_is_registered_for_private_chats(
    running_bot: RunningBot, fake: FakeTelegram
) -> None:
    commands = fake.my_commands({"type": "all_private_chats"})
    names = [c["command"] for c in commands]
    assert {"lapor", "status", "balas", "bukti", "batal", "bahasa", "privasi", "bantuan"} <= set(
        names
    )
    assert commands[0] == {"command": "lapor", "description": "Buat atau lanjutkan laporan"}
    english = fake.my_commands({"type": "all_private_chats"}, language_code="en")
    assert [c["command"] for c in english] == names
    assert english[0]["description"] == "Start or continue a report"


async def test_help_lists_what_the_menu_lists(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    help_text = await reporter.answer("/bantuan", then="Perintah")
    for command in fake.my_commands({"type": "all_private_chats"}):
        assert f"/{command['command']}" in help_text.text
        assert command["description"] in help_text.text
    await reporter.answer("/menu", then="Whistleblowing System")  # an alias of /start


async def test_a_file_over_the_download_limit_is_refused_with_the_limit(
    running_bot: RunningBot, reporter: Reporter, fake: FakeTelegram
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan/Perbuatan yang Dilaporkan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.answer("simpeg", then="Keluhan")
    await reporter.answer(
        "Sejak 1 Maret 2024 saya tidak bisa masuk ke SIMPEG, akun terkunci.", then="Link Bukti"
    )
    big = b"%PDF-1.4 " + b"0" * (20 * 1024 * 1024)
    fake.send_document(reporter.user, big, file_name="besar.pdf", mime_type="application/pdf")
    refused = await reporter.expect("terlalu besar")
    assert "20 MB" in refused.text
    await reporter.answer("https://drive.google.com/file/d/abc123", then="Bukti diterima (total 1)")
