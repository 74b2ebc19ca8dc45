"""Texts of the reporter's commands (welcome, help, privacy, status, confirmation)."""

from conversations.i18n import Text

WELCOME = Text(
    "Selamat datang di <b>Whistleblowing System (WBS) BKD Provinsi NTT</b>.\n\n"
    "Di sini Anda dapat melaporkan penipuan, pelanggaran kode etik, benturan kepentingan, "
    "pelanggaran hukum, atau keluhan layanan kepegawaian.\n\n"
    "🔒 Identitas pelapor <b>dirahasiakan</b>. Anda juga boleh melapor secara anonim.",
    "Welcome to the <b>Whistleblowing System (WBS) of BKD Provinsi NTT</b>.\n\n"
    "Here you can report fraud, breaches of the code of ethics, conflicts of interest, "
    "crimes, or problems with staffing services.\n\n"
    "🔒 The reporter's identity is <b>kept secret</b>. You may also report anonymously.",
)
MENU_REPORT = Text("Buat Laporan", "Buat Laporan")
MENU_STATUS = Text("Cek Status", "Cek Status")
MENU_HELP = Text("Bantuan", "Bantuan")
HELP = Text(
    "<b>Perintah</b>\n"
    "/lapor – membuat atau melanjutkan laporan\n"
    "/status – melihat laporan Anda\n"
    "/batal – membatalkan laporan yang sedang diisi\n"
    "/bahasa – Bahasa Indonesia / English\n"
    "/privasi – data apa yang disimpan dan siapa yang melihatnya\n"
    "/bantuan – pesan ini\n\n"
    "Jawab pertanyaan satu per satu. Tombol juga bisa dipilih dengan mengetik namanya "
    "atau nomornya.",
    "<b>Commands</b>\n"
    "/lapor – start or continue a report\n"
    "/status – your reports\n"
    "/batal – cancel the report you are writing\n"
    "/bahasa – Bahasa Indonesia / English\n"
    "/privasi – what is stored and who sees it\n"
    "/bantuan – this message\n\n"
    "Answer the questions one at a time. You can also choose a button by typing its name "
    "or its number.",
)
PRIVACY = Text(
    "<b>Privasi</b>\n"
    "• Yang disimpan: isi laporan, bukti, dan (bila Anda isi) nama, telepon, email. "
    "Semuanya disimpan terenkripsi.\n"
    "• Petugas WBS melihat isi laporan, <b>bukan</b> identitas Anda. Identitas hanya dapat "
    "dibuka oleh pimpinan dengan alasan yang tercatat.\n"
    "• Identitas dan tautan chat dihapus setelah kasus selesai dan masa simpan berakhir.\n"
    "• Untuk meminta akses atau penghapusan data, hubungi BKD Provinsi NTT dan sebutkan "
    "nomor laporan Anda.",
    "<b>Privacy</b>\n"
    "• What is stored: the report, the evidence and (if you gave them) your name, phone, "
    "e-mail. All of it is stored encrypted.\n"
    "• WBS officers see the report, <b>not</b> your identity. Only the head of the agency "
    "can open it, with a recorded reason.\n"
    "• Your identity and chat link are erased after the case is closed and the retention "
    "period ends.\n"
    "• To ask for access or deletion, contact BKD Provinsi NTT with your report number.",
)
SUBMITTED = Text(
    "✅ Laporan Anda sudah kami terima dengan nomor registrasi <b>{ticket}</b>.\n\n"
    "Simpan nomor ini. Petugas akan menelaah laporan Anda; bila perlu, kami akan bertanya "
    "melalui chat ini. Lihat perkembangannya dengan /status.\n\n"
    "🔒 Identitas Anda dirahasiakan dan tidak pernah ditunjukkan kepada terlapor.",
    "✅ Your report was received with register number <b>{ticket}</b>.\n\n"
    "Keep this number. Officers will review your report; if needed, we will ask you through "
    "this chat. Follow it with /status.\n\n"
    "🔒 Your identity is kept secret and is never shown to the person reported.",
)
STATUS_TITLE = Text("<b>Laporan Anda</b>", "<b>Your reports</b>")
STATUS_LINE = Text(
    "• <b>{ticket}</b> · {category} · {state} · {changed}",
    "• <b>{ticket}</b> · {category} · {state} · {changed}",
)
STATUS_NONE = Text(
    "Anda belum mengirim laporan. Ketik /lapor untuk membuat laporan.",
    "You have not sent a report yet. Type /lapor to make one.",
)
STATUS_DRAFT = Text(
    "Ada satu laporan yang belum dikirim; ketik /lapor untuk melanjutkan.",
    "One report is not sent yet; type /lapor to continue it.",
)
NO_DRAFT = Text(
    "Tidak ada laporan yang sedang diisi.", "You are not writing a report at the moment."
)
LANGUAGE_ASK = Text("Pilih bahasa:", "Choose a language:")
LANGUAGE_SET = Text("Bahasa diatur ke Bahasa Indonesia.", "Language set to English.")
FILE_TOO_BIG = Text(
    "File terlalu besar (maksimal {limit} MB). Kirim link Google Drive atau Dropbox saja.",
    "That file is too big (at most {limit} MB). Send a Google Drive or Dropbox link instead.",
)
TRY_AGAIN = Text(
    "Maaf, ada gangguan sementara. Jawaban Anda yang sebelumnya tetap tersimpan; "
    "silakan kirim lagi sebentar lagi.",
    "Sorry, a temporary problem occurred. Your earlier answers are kept; please send it "
    "again in a moment.",
)
USAGE_BALAS = Text(
    "Cara menjawab: /balas WBS-2026-0007 jawaban Anda (atau balas/reply pesan pertanyaannya).",
    "To answer: /balas WBS-2026-0007 your answer (or reply to the question message).",
)
USAGE_BUKTI = Text(
    "Cara menambah bukti: /bukti WBS-2026-0007, lalu kirim foto, video, dokumen atau link.",
    "To add evidence: /bukti WBS-2026-0007, then send photos, videos, documents or links.",
)
ATTACH_START = Text(
    "Kirim foto, video, dokumen (PDF) atau link untuk laporan <b>{ticket}</b>. "
    "Tekan <i>Selesai</i> bila sudah.",
    "Send photos, videos, documents (PDF) or links for report <b>{ticket}</b>. "
    "Press <i>Selesai</i> when done.",
)
ATTACH_DONE = Text("Selesai", "Selesai")
ATTACH_TAKEN = Text(
    "✅ Bukti untuk <b>{ticket}</b> diterima dan diteruskan ke petugas. Kirim lagi, atau tekan "
    "<i>Selesai</i>.",
    "✅ Evidence for <b>{ticket}</b> received and passed to the officers. Send more, or press "
    "<i>Selesai</i>.",
)
ATTACH_END = Text(
    "Terima kasih. Bukti untuk <b>{ticket}</b> sudah lengkap kami terima.",
    "Thank you. We have received the evidence for <b>{ticket}</b>.",
)
