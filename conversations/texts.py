"""Everything a reporter reads, in Bahasa Indonesia and English (the reporter's catalogue).

The form's own questions and labels are rows of the form (`form.py`) and a parser's reasons
live with the parser; every other sentence of the reporter's conversation is here: the
welcome and commands, the engine's prompts and buttons, the relay, and what the channels add.
Both languages of a text carry the same `{placeholders}`.
"""

from conversations.i18n import Text

# --- the form's conversation (the engine) ------------------------------------------------

FORM_START = Text(
    "Baik, kita mulai. Saya akan bertanya satu per satu. Ketik /batal kapan saja untuk "
    "membatalkan.",
    "Let's begin. I will ask one question at a time. Type /batal at any time to cancel.",
)
FORM_RESUME = Text(
    "Anda masih punya laporan yang belum dikirim. Lanjutkan, atau mulai baru?",
    "You have a report that is not sent yet. Continue it, or start a new one?",
)
BUTTON_CONTINUE = Text("Lanjutkan", "Lanjutkan")
BUTTON_RESTART = Text("Mulai Baru", "Mulai Baru")
BUTTON_SEND = Text("Kirim Laporan", "Kirim Laporan")
BUTTON_EDIT = Text("Ubah", "Ubah")
BUTTON_RESET = Text("Reset", "Reset")
BUTTON_DONE = Text("Selesai", "Selesai")
BUTTON_CLEAR_EVIDENCE = Text("Hapus Semua Bukti", "Remove all evidence")
BUTTON_BACK = Text("Kembali ke Ringkasan", "Back to the summary")
BUTTON_YES_RESET = Text("Ya, kosongkan", "Yes, empty it")
BUTTON_YES_CANCEL = Text("Ya, batalkan", "Yes, cancel")
BUTTON_NO = Text("Tidak", "No")
BUTTON_CANCEL = Text("Batal", "Cancel")
SUMMARY = Text(
    "<b>Ringkasan Laporan</b>\nPeriksa sekali lagi sebelum dikirim.\n\n{lines}",
    "<b>Report summary (Ringkasan Laporan)</b>\nPlease check it before sending.\n\n{lines}",
)
EDIT_MENU = Text("Bagian mana yang ingin diubah?", "Which part do you want to change?")
CURRENT_ANSWER = Text("Jawaban sekarang: {value}", "Current answer: {value}")
CONFIRM_RESET = Text(
    "Kosongkan semua isian dan mulai dari awal?", "Empty the whole form and start again?"
)
RESET_DONE = Text("Formulir sudah dikosongkan.", "The form is empty again.")
CONFIRM_CANCEL = Text(
    "Batalkan laporan ini? Semua isian akan dihapus.",
    "Cancel this report? Everything you entered will be deleted.",
)
CANCELLED = Text(
    "Laporan dibatalkan dan isiannya sudah dihapus. Ketik /lapor bila ingin melapor lagi.",
    "The report was cancelled and its answers deleted. Type /lapor to report again.",
)
CONSENT_WHY = Text(
    "Persetujuan ini diperlukan: tanpa bisa bertanya kepada Anda, petugas sering tidak "
    "dapat memeriksa laporan. Kami hanya menghubungi Anda lewat chat ini, dan identitas "
    "Anda tetap dirahasiakan.",
    "This consent is needed: without being able to ask you, officers often cannot look "
    "into a report. We contact you only through this chat, and your identity stays secret.",
)
CONSENT_REFUSED = Text(
    "Baik, laporan Anda tetap bisa dikirim tanpa persetujuan untuk dihubungi. Petugas tidak "
    "akan bertanya atau meminta bukti tambahan kepada Anda, jadi lengkapi laporan sebaik "
    "mungkin. Anda tetap bisa menambah bukti dengan /bukti dan melihat status dengan /status.",
    "Fine: your report can be sent without consent to be contacted. The officers will not ask "
    "you questions or for more evidence, so make the report as complete as you can. You can "
    "still add evidence with /bukti and follow it with /status.",
)
STORY_CONTINUES = Text(
    "Apakah ini lanjutan <b>{label}</b>?", "Is this a continuation of <b>{label}</b>?"
)
BUTTON_STORY_YES = Text("Ya, tambahkan", "Ya, tambahkan")
BUTTON_STORY_NO = Text("Bukan", "Bukan")
STORY_ADDED = Text(
    "✅ Ditambahkan ke {label}: sekarang {count} karakter.",
    "✅ Added to {label}: now {count} characters.",
)
STORY_APPEND_ASK = Text(
    "<b>{label}</b>\nKirim bagian yang ingin ditambahkan; akan disambung di akhir.",
    "<b>{label}</b>\nSend the part to add; it is joined at the end.",
)
BUTTON_APPEND = Text("Tambahkan", "Add to it")
STALE_BUTTON = Text(
    "Tombol itu sudah tidak berlaku. Pertanyaan saat ini:",
    "That button is no longer valid. The current question:",
)
UNSUPPORTED = Text(
    "Maaf, jawaban seperti itu tidak bisa dipakai di sini.",
    "Sorry, that kind of answer can't be used here.",
)
USE_BUTTONS = Text(
    "Silakan pilih salah satu tombol, atau ketik nomornya. Contoh: 1 untuk pilihan pertama.",
    "Please choose one of the buttons, or type its number. Example: 1 for the first one.",
)
USE_SUMMARY_BUTTONS = Text(
    "Silakan tekan salah satu tombol di bawah ringkasan, atau ketik namanya. "
    "Contoh: Kirim Laporan.",
    "Please press one of the buttons under the summary, or type its name. Example: Kirim Laporan.",
)
PHONE_SAVED = Text("✅ Nomor {phone} tersimpan.", "✅ Number {phone} saved.")
OWN_NUMBER_ONLY = Text(
    "Mohon bagikan nomor Anda sendiri, atau ketik nomornya. Contoh: 0812-3456-7890",
    "Please share your own number, or type it. Example: 0812-3456-7890",
)
EVIDENCE_TAKEN = Text(
    "✅ Bukti diterima (total {count}). Kirim lagi, atau tekan <i>Selesai</i>.",
    "✅ Evidence received ({count} in all). Send more, or press <i>Selesai</i>.",
)
EVIDENCE_FULL = Text(
    "Batas {limit} bukti sudah tercapai. Tekan <i>Selesai</i>.",
    "The limit of {limit} items is reached. Press <i>Selesai</i>.",
)
EVIDENCE_DROPPED = Text(
    "Batas {limit} bukti tercapai, jadi {count} link terakhir tidak disimpan. "
    "Tekan <i>Selesai</i>.",
    "The limit of {limit} items is reached, so the last {count} link(s) were not kept. "
    "Press <i>Selesai</i>.",
)
EVIDENCE_COUNT = Text("{count} bukti", "{count} item(s)")

# --- why an answer is refused (the parsers; each example shows a good answer) -------------

NAME_TOO_SHORT = Text(
    id="Nama terlalu pendek, minimal {min_len} huruf. Contoh: Maria Goreti Bria",
    en="That name is too short, at least {min_len} letters. Example: Maria Goreti Bria",
)
NAME_TOO_LONG = Text(
    id="Nama terlalu panjang: maksimal {max_len} karakter, Anda menulis {count}. "
    "Contoh: Maria Goreti Bria",
    en="That name is too long: at most {max_len} characters, you wrote {count}. "
    "Example: Maria Goreti Bria",
)
NAME_BAD_CHARS = Text(
    id="Nama hanya boleh berisi huruf, spasi, dan tanda . ' - (tanpa angka atau simbol). "
    "Contoh: Yohanes D. Bria",
    en="A name may only contain letters, spaces and . ' - (no digits or symbols). "
    "Example: Yohanes D. Bria",
)
PHONE_INVALID = Text(
    id="Nomor telepon belum benar. Contoh: 0812-3456-7890 atau +62 812 3456 7890",
    en="That phone number doesn't look right. Example: 0812-3456-7890 or +62 812 3456 7890",
)
PHONE_FOREIGN = Text(
    id="Mohon gunakan nomor Indonesia (+62). Contoh: 0812-3456-7890 atau +62 812 3456 7890",
    en="Please use an Indonesian number (+62). Example: 0812-3456-7890 or +62 812 3456 7890",
)
EMAIL_INVALID = Text(
    id="Alamat email belum benar. Contoh: nama@gmail.com",
    en="That e-mail address doesn't look right. Example: name@gmail.com",
)
TEXT_TOO_SHORT = Text(
    id="Jawaban terlalu pendek: minimal {min_len} karakter, Anda menulis {count}. "
    "Contoh: {example}",
    en="That answer is too short: at least {min_len} characters, you wrote {count}. "
    "Example: {example}",
)
TEXT_TOO_LONG = Text(
    id="Jawaban terlalu panjang: maksimal {max_len} karakter, Anda menulis {count}. "
    "Mohon diringkas. Contoh: {example}",
    en="That answer is too long: at most {max_len} characters, you wrote {count}. "
    "Please shorten it. Example: {example}",
)
TEXT_NO_CONTENT = Text(
    id="Jawaban harus berisi huruf atau angka. Contoh: {example}",
    en="The answer needs letters or digits. Example: {example}",
)
TEXT_EXAMPLE = Text(
    id="Pada 12 Maret 2024 petugas loket meminta uang Rp 500.000 untuk mempercepat berkas.",
    en="On 12 March 2024 a counter officer asked for Rp 500.000 to speed up a file.",
)
AMOUNT_INVALID = Text(
    id="Nominal belum bisa dibaca. Tulis jumlah rupiah. Contoh: 5.000.000, 5 juta, atau lima juta",
    en="I couldn't read that amount. Please write the rupiah. Example: 5.000.000, 5 juta, or "
    "lima juta",
)
AMOUNT_NEGATIVE = Text(
    id="Nominal tidak boleh negatif. Contoh: 5.000.000 atau 0",
    en="The amount cannot be negative. Example: 5.000.000 or 0",
)
AMOUNT_FRACTION = Text(
    id="Nominal harus rupiah utuh, tanpa sen. Contoh: 1.500.000 atau 1,5 juta",
    en="Please give whole rupiah, no cents. Example: 1.500.000 or 1,5 juta",
)
AMOUNT_TOO_LARGE = Text(
    id="Nominal terlalu besar. Contoh: 5.000.000 atau 1,2 miliar",
    en="That amount is too large. Example: 5.000.000 or 1,2 miliar",
)
TIME_INVALID = Text(
    id="Waktu kejadian belum bisa dibaca. Contoh: 12/03/2024, 12 Maret 2024, Maret 2024, "
    "atau Januari - Maret 2024",
    en="I couldn't read that date. Example: 12/03/2024, 12 March 2024, March 2024, "
    "or January - March 2024",
)
TIME_NEED_YEAR = Text(
    id="Mohon tulis juga tahunnya. Contoh: 12 Maret 2024 atau Januari - Maret 2024",
    en="Please add the year. Example: 12 March 2024 or January - March 2024",
)
TIME_IMPOSSIBLE = Text(
    id="Tanggal itu tidak ada di kalender. Contoh: 29/02/2024 atau 31/03/2024",
    en="That date does not exist. Example: 29/02/2024 or 31/03/2024",
)
TIME_BAD_YEAR = Text(
    id="Tahun {year} sepertinya salah ketik. Contoh: 12/03/2024",
    en="The year {year} looks like a typo. Example: 12/03/2024",
)
TIME_FUTURE = Text(
    id="Waktu kejadian tidak boleh setelah hari ini ({today}). Contoh: 12/03/2024",
    en="The incident cannot be after today ({today}). Example: 12/03/2024",
)
TIME_REVERSED = Text(
    id="Akhir periode lebih awal dari awalnya. Tulis yang lebih awal dulu. "
    "Contoh: Januari - Maret 2024",
    en="The period ends before it starts. Put the earlier date first. "
    "Example: January - March 2024",
)
LINKS_NONE = Text(
    id="Belum ada link yang terbaca. Kirim link lengkap. "
    "Contoh: https://drive.google.com/file/d/abc123",
    en="I found no link. Please send the full link. "
    "Example: https://drive.google.com/file/d/abc123",
)
LINK_INVALID = Text(
    id="Link {link} belum lengkap. Contoh: https://drive.google.com/file/d/abc123",
    en="The link {link} is incomplete. Example: https://drive.google.com/file/d/abc123",
)

# --- welcome, menu and commands -------------------------------------------------------------

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
HELP_TITLE = Text("<b>Perintah</b>", "<b>Commands</b>")
HELP_FOOTER = Text(
    "Jawab pertanyaan satu per satu. Tombol juga bisa dipilih dengan mengetik namanya "
    "atau nomornya.",
    "Answer the questions one at a time. You can also choose a button by typing its name "
    "or its number.",
)
HELP_TYPED = Text(
    "Perintah boleh diketik dengan atau tanpa garis miring, misalnya <i>lapor</i>.",
    "Commands can be typed with or without the slash, e.g. <i>lapor</i>.",
)
# One line per reporter command (the table in `reporter_commands.py`): /bantuan and the
# Telegram command menu both show these.
CMD_START = Text("Menu awal", "The start menu")
CMD_LAPOR = Text("Buat atau lanjutkan laporan", "Start or continue a report")
CMD_STATUS = Text("Lihat laporan Anda", "Your reports")
CMD_BUKTI = Text("Tambah bukti ke laporan", "Add evidence to a report")
CMD_BALAS = Text("Jawab pertanyaan petugas", "Answer the officers' question")
CMD_BATAL = Text("Batalkan laporan yang sedang diisi", "Cancel the report you are writing")
CMD_BAHASA = Text("Bahasa Indonesia / English", "Bahasa Indonesia / English")
CMD_PRIVASI = Text(
    "Data apa yang disimpan dan siapa yang melihatnya", "What is stored and who sees it"
)
CMD_BANTUAN = Text("Bantuan dan daftar perintah", "Help and the list of commands")
ARGS_CASE = Text("WBS-…", "WBS-…")
ARGS_CASE_TEXT = Text("WBS-… jawaban", "WBS-… answer")
LANGUAGE_ID = Text("Bahasa Indonesia", "Bahasa Indonesia")
LANGUAGE_EN = Text("English", "English")
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
UPDATE_UNREADABLE = Text(
    "Maaf, pesan Anda barusan tidak dapat kami baca. Silakan kirim lagi dalam bentuk lain "
    "(misalnya teks biasa), atau ketik /bantuan.",
    "Sorry, we could not read your last message. Please send it again in another form "
    "(plain text, say), or type /bantuan.",
)
GROUP_TRY_AGAIN = Text(
    "Maaf, pesan atau perintah barusan gagal diproses karena gangguan. Silakan coba lagi "
    "sebentar lagi; bila berulang, beri tahu admin.",
    "Sorry, the last message or command could not be processed because of a problem. Please "
    "try again in a moment; if it happens again, tell an admin.",
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
CASE_CLOSED = Text(
    "Laporan <b>{ticket}</b> sudah ditutup ({state}), jadi pesan ini tidak diteruskan ke "
    "petugas. Bila Anda keberatan atas hasilnya atau punya informasi baru, buat laporan baru "
    "dengan /lapor dan sebutkan nomor {ticket} di kronologinya.",
    "Report <b>{ticket}</b> is closed ({state}), so this message was not passed on. If you "
    "object to the outcome or have new information, make a new report with /lapor and mention "
    "{ticket} in it.",
)
ANSWER_FILE_TAKEN = Text(
    "Terima kasih, jawaban Anda untuk <b>{ticket}</b> (berkas) sudah diteruskan ke petugas.",
    "Thank you, your answer on <b>{ticket}</b> (a file) was passed to the officers.",
)
WHICH_CASE = Text(
    "Petugas menunggu jawaban Anda untuk beberapa laporan. Untuk laporan yang mana pesan "
    "ini ({count} pesan)? Pilih nomornya.",
    "The officers wait for your answer on several reports. Which report is this message for "
    "({count} messages)? Choose its number.",
)
WHICH_CASE_GONE = Text(
    "Pesan yang menunggu sudah diteruskan atau tidak ada lagi. Balas pesan pertanyaan petugas, "
    "atau ketik <i>/balas {ticket} jawaban Anda</i>.",
    "There is no waiting message any more. Reply to the officer's question, or type "
    "<i>/balas {ticket} your answer</i>.",
)
NOTHING_WAITING = Text(
    "Saat ini tidak ada pertanyaan petugas yang menunggu jawaban Anda.",
    "No officer's question is waiting for your answer at the moment.",
)
FILE_NOT_EXPECTED = Text(
    "Saat ini tidak ada pertanyaan yang menunggu berkas, jadi berkas ini tidak disimpan. "
    "Untuk menambah bukti ke laporan yang sudah dikirim, ketik <i>/bukti WBS-2026-0007</i> "
    "(nomor laporan Anda) lalu kirim lagi; untuk membuat laporan baru, ketik /lapor.",
    "No question is waiting for a file right now, so this file was not kept. To add evidence "
    "to a report you sent, type <i>/bukti WBS-2026-0007</i> (your report's number) and send it "
    "again; to make a new report, type /lapor.",
)

# --- reminders the scheduler sends the reporter -------------------------------------------

REMIND_EVIDENCE = Text(
    "📎 Laporan <b>{ticket}</b> belum disertai bukti. Bila Anda punya foto, dokumen atau link "
    "pendukung, kirim dengan <i>/bukti {ticket}</i>. Bukti membantu petugas menindaklanjuti.",
    "📎 Report <b>{ticket}</b> has no evidence yet. If you have photos, documents or links, "
    "send them with <i>/bukti {ticket}</i>. Evidence helps the officers act.",
)
REMIND_QUESTION = Text(
    "⏰ Pengingat ({number}): petugas WBS masih menunggu jawaban Anda tentang laporan "
    "<b>{ticket}</b>. Balas pesan pertanyaannya, atau ketik <i>/balas {ticket} jawaban Anda</i>.",
    "⏰ Reminder ({number}): the WBS officers are still waiting for your answer on report "
    "<b>{ticket}</b>. Reply to the question, or type <i>/balas {ticket} your answer</i>.",
)
DRAFT_EXPIRING = Text(
    "Laporan Anda yang belum dikirim akan dihapus otomatis besok karena lama tidak dilanjutkan. "
    "Ketik /lapor untuk melanjutkan dan mengirimnya.",
    "Your unsent report will be deleted tomorrow because it has not been continued. "
    "Type /lapor to continue and send it.",
)


# --- what the channels add around the conversation ------------------------------------------

SHARE_NUMBER_TELEGRAM = Text("📱 Bagikan Nomor Saya", "📱 Share my number")
SHARE_NUMBER_WHATSAPP = Text("Bagikan Nomor Saya", "Share my number")  # as the question names it
LIST_BUTTON = Text("Pilih", "Choose")
LIST_SECTION = Text("Pilihan", "Options")
MORE_OPTIONS = Text("Pilihan lainnya:", "More options:")
CHOOSE = Text("Silakan pilih:", "Please choose:")
