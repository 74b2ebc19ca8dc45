"""Every sentence a case officer reads: the group's notices and views, the alert, statistics,
the refusals, and the officer CLI's output, in Bahasa Indonesia and English.

Also what an officer's action sends the reporter about their case (the question, the invitation,
the outcome), since those are written by the case service. The reporter's own conversation lives
in `conversations.texts`. A test checks that every `Text` here has both languages with the same
placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from conversations.audit_actions import AuditAction
from conversations.i18n import Text
from conversations.workflow import Outcome

# -- refusals and errors of case actions ------------------------------------------------------

T_NOT_FOUND = Text("Kasus {name} tidak ditemukan.", "No case {name}.")
T_NOT_FOUND_BARE = Text(
    "Kasus {name} tidak ditemukan: {name} berarti {ticket} (tahun ini). Untuk tahun lain, "
    "tulis nomor lengkapnya, mis. WBS-2025-0007.",
    "No case {name}: {name} means {ticket} (this year). For another year, write the whole "
    "number, e.g. WBS-2025-0007.",
)
T_BAD_NAME = Text(
    "'{name}' bukan nomor kasus. Contoh: WBS-2026-0007 atau 7.",
    "'{name}' is not a case number. Example: WBS-2026-0007 or 7.",
)
T_NOT_OFFICER = Text(
    "Maaf, perintah ini hanya untuk petugas WBS.", "Sorry, this command is for WBS officers only."
)
T_NOT_ADMIN = Text(
    "Maaf, perintah ini hanya untuk admin WBS.", "Sorry, this command is for WBS admins only."
)
T_REFUSED = Text(
    "{ticket} berstatus {state}; langkah ke {target} tidak diizinkan. Yang diizinkan: {allowed}.",
    "{ticket} is {state}; moving to {target} is not allowed. Allowed: {allowed}.",
)
T_FINAL = Text(
    "{ticket} sudah final ({state}); langkah ke {target} tidak diizinkan. Hanya admin yang dapat "
    "membukanya kembali (ke Penelaahan), dengan alasan: /buka {ticket} alasan, atau "
    'wbs-officer --as ID_ADMIN cases move {ticket} telaah --reason "alasan".',
    "{ticket} is final ({state}); moving to {target} is not allowed. Only an admin can reopen it "
    "(to Under review), with a reason: /buka {ticket} reason, or "
    'wbs-officer --as ADMIN_ID cases move {ticket} telaah --reason "reason".',
)
T_REOPEN_NOT_FINAL = Text(
    "{ticket} berstatus {state}, belum final: tidak perlu dibuka kembali.",
    "{ticket} is {state}, not final: there is nothing to reopen.",
)
T_CONFLICT = Text(
    "{ticket} baru saja diubah oleh orang lain. Periksa dengan /lihat lalu coba lagi.",
    "{ticket} was just changed by someone else. Check with /lihat and try again.",
)
T_UNREACHABLE = Text(
    "Pelapor {ticket} tidak dapat dihubungi lagi (tautan chat sudah dihapus).",
    "The reporter of {ticket} can no longer be reached (the chat link was erased).",
)
T_NO_PRIVATE_CHAT = Text(
    "Identitas hanya dikirim ke chat pribadi admin. Buka chat pribadi dengan bot (/start) "
    "lalu ulangi.",
    "An identity is only sent to the admin's private chat. Open a private chat with the bot "
    "(/start) and try again.",
)
T_REPORTER_NOT_YOURS = Text(
    "Nomor {name} bukan laporan Anda. Lihat nomor laporan Anda dengan /status.",
    "{name} is not one of your reports. See your report numbers with /status.",
)
T_OUTCOME_REQUIRED = Text(
    "Hasil wajib: terbukti atau tidak_terbukti.", "Outcome required: terbukti or tidak_terbukti."
)
T_OFFICER_EMPTY = Text("Nama petugas kosong.", "The officer's name is empty.")
T_USAGE = Text("Cara pakai: /{command} {args}", "Usage: /{command} {args}")
T_BUTTON_REFUSED = Text("Maaf, hanya petugas WBS.", "Sorry, WBS officers only.")

# -- what the group sees after each action (register number first: officers scan by it) -------

G_TAKEN = Text(
    "📌 <b>{ticket}</b> diambil oleh {officer}.", "📌 <b>{ticket}</b> taken by {officer}."
)
G_ASSIGNED = Text(
    "📌 <b>{ticket}</b> ditugaskan kepada {officer} oleh {by}.",
    "📌 <b>{ticket}</b> assigned to {officer} by {by}.",
)
G_ASKED = Text(
    "❓ <b>{ticket}</b>: pertanyaan dikirim ke pelapor oleh {officer}:\n{text}",
    "❓ <b>{ticket}</b>: question sent to the reporter by {officer}:\n{text}",
)
G_NOTED = Text(
    "📝 <b>{ticket}</b>: catatan {officer}:\n{text}",
    "📝 <b>{ticket}</b>: note by {officer}:\n{text}",
)
G_MOVED = Text(
    "🔄 <b>{ticket}</b> → {state} ({officer}){extra}",
    "🔄 <b>{ticket}</b> → {state} ({officer}){extra}",
)
G_REVEALED = Text(
    "🔐 <b>{ticket}</b>: identitas pelapor dibuka oleh {officer} (tercatat di log audit).",
    "🔐 <b>{ticket}</b>: the reporter's identity was opened by {officer} (audit logged).",
)
G_ANSWER = Text(
    "💬 <b>{ticket}</b>: jawaban pelapor:\n{text}",
    "💬 <b>{ticket}</b>: the reporter answers:\n{text}",
)
G_EVIDENCE = Text(
    "📎 <b>{ticket}</b>: pelapor menambah bukti: {what}",
    "📎 <b>{ticket}</b>: the reporter added evidence: {what}",
)
G_PROMPT_ASK = Text(
    "✍️ Pertanyaan untuk pelapor <b>{ticket}</b>: balas (reply) pesan ini dengan pertanyaannya.",
    "✍️ Question for the reporter <b>{ticket}</b>: reply to this message with the question.",
)
G_PROMPT_REJECT = Text(
    "✍️ Alasan penolakan <b>{ticket}</b>: balas (reply) pesan ini dengan alasannya.",
    "✍️ Reason for rejecting <b>{ticket}</b>: reply to this message with the reason.",
)
G_STATS_CAPTION = Text("Statistik WBS {period}", "WBS statistics {period}")
G_HELP_TITLE = Text("<b>Perintah petugas WBS</b>", "<b>WBS officer commands</b>")
G_HELP_CLI = Text(
    "Hanya di terminal (wbs-officer): {commands}", "In the terminal only (wbs-officer): {commands}"
)

# -- what an officer's action sends the reporter ------------------------------------------------

R_QUESTION = Text(
    "❓ <b>Pertanyaan dari petugas WBS</b> tentang laporan <b>{ticket}</b>:\n\n{text}\n\n"
    "Balas (reply) pesan ini untuk menjawab, atau ketik <i>/balas {ticket} jawaban Anda</i>. "
    "Bukti tambahan: <i>/bukti {ticket}</i>.",
    "❓ <b>A question from the WBS officers</b> about report <b>{ticket}</b>:\n\n{text}\n\n"
    "Reply to this message to answer, or type <i>/balas {ticket} your answer</i>. "
    "More evidence: <i>/bukti {ticket}</i>.",
)
R_CALLED = Text(
    "📞 Petugas WBS mengundang Anda untuk <b>klarifikasi</b> laporan <b>{ticket}</b>.{extra}\n\n"
    "Balas (reply) pesan ini bila ada yang ingin Anda sampaikan. Identitas Anda tetap "
    "dirahasiakan.",
    "📞 The WBS officers invite you to a <b>clarification</b> of report <b>{ticket}</b>.{extra}\n\n"
    "Reply to this message if you want to tell us something. Your identity stays secret.",
)
R_CLOSED = Text(
    "✅ Laporan <b>{ticket}</b> telah selesai ditangani.\nHasil: <b>{result}</b>\n{summary}\n\n"
    "Terima kasih atas keberanian dan kepedulian Anda.",
    "✅ Report <b>{ticket}</b> has been concluded.\nOutcome: <b>{result}</b>\n{summary}\n\n"
    "Thank you for your courage and care.",
)
R_REJECTED = Text(
    "Laporan <b>{ticket}</b> tidak dapat ditindaklanjuti.\nAlasan: {reason}\n\n"
    "Anda dapat membuat laporan baru dengan /lapor bila ada informasi lain.",
    "Report <b>{ticket}</b> cannot be followed up.\nReason: {reason}\n\n"
    "You can make a new report with /lapor if you have other information.",
)
R_REFERRED = Text(
    "Laporan <b>{ticket}</b> telah dilimpahkan kepada <b>{target}</b> yang berwenang "
    "menanganinya. Identitas Anda tetap dirahasiakan.",
    "Report <b>{ticket}</b> was handed to <b>{target}</b>, who is competent to handle it. "
    "Your identity stays secret.",
)
R_ANSWER_TAKEN = Text(
    "Terima kasih, jawaban Anda untuk <b>{ticket}</b> sudah diteruskan ke petugas.",
    "Thank you, your answer on <b>{ticket}</b> was passed to the officers.",
)

# -- an identity, in the admin's private chat ---------------------------------------------------

A_REVEALED = Text(
    "🔐 <b>Identitas pelapor {ticket}</b> (rahasia, jangan diteruskan)\nNama: {name}\n"
    "Telepon: {phone}\nEmail: {email}\nAlasan: {reason}",
    "🔐 <b>Reporter identity of {ticket}</b> (secret, do not forward)\nName: {name}\n"
    "Phone: {phone}\nE-mail: {email}\nReason: {reason}",
)
A_ERASED = Text(
    "🔐 Identitas pelapor {ticket} sudah dihapus sesuai masa simpan.",
    "🔐 The reporter identity of {ticket} was erased at the end of its retention period.",
)
A_ANONYMOUS = Text(
    "🔐 Laporan {ticket} dikirim secara anonim: tidak ada identitas yang tersimpan.",
    "🔐 Report {ticket} was sent anonymously: no identity is stored.",
)

# -- labels ---------------------------------------------------------------------------------

OUTCOME_LABELS: Mapping[Outcome, Text] = {
    Outcome.PROVEN: Text("Terbukti", "Proven"),
    Outcome.NOT_PROVEN: Text("Tidak terbukti", "Not proven"),
}
ACTION_LABELS: Mapping[AuditAction, Text] = {
    AuditAction.SUBMITTED: Text("laporan diterima", "report received"),
    AuditAction.INCOMPLETE: Text("pertanyaan ke pelapor", "question to the reporter"),
    AuditAction.REVIEW: Text("penelaahan", "review"),
    AuditAction.CLARIFICATION: Text("pemanggilan", "call"),
    AuditAction.CLOSED: Text("selesai", "concluded"),
    AuditAction.REJECTED: Text("ditolak", "rejected"),
    AuditAction.REFERRED: Text("dilimpahkan", "referred"),
    AuditAction.REOPENED: Text("dibuka kembali", "reopened"),
    AuditAction.TAKEN: Text("diambil", "taken"),
    AuditAction.ASSIGNED: Text("ditugaskan", "assigned"),
    AuditAction.NOTE: Text("catatan", "note"),
    AuditAction.ANSWERED: Text("jawaban pelapor", "reporter's answer"),
    AuditAction.EVIDENCE_ADDED: Text("bukti tambahan", "more evidence"),
    AuditAction.IDENTITY_REVEALED: Text("identitas dibuka (admin)", "identity opened (admin)"),
    AuditAction.IDENTITY_ERASED: Text("identitas dihapus (masa simpan)", "identity erased"),
    AuditAction.EVIDENCE_ORIGINAL: Text(
        "file bukti asli dibuka (admin)", "original evidence file opened (admin)"
    ),
    AuditAction.EVIDENCE_REMINDER: Text("pengingat bukti", "evidence reminder"),
    AuditAction.QUESTION_REMINDER: Text("pengingat pertanyaan", "question reminder"),
    AuditAction.NO_RESPONSE: Text("pelapor tidak merespons", "reporter did not respond"),
    AuditAction.NOT_ACKNOWLEDGED: Text("belum ditangani", "not yet handled"),
    AuditAction.SLA_WARNING: Text("peringatan tenggat", "deadline warning"),
    AuditAction.SLA_OVERDUE: Text("lewat tenggat", "overdue"),
    AuditAction.EXPORT: Text("ekspor register", "register export"),
    AuditAction.PURGE: Text("penghapusan data", "data erasure"),
}
DETAIL_LABELS: Mapping[str, Text] = {  # the keys of an audit entry's detail
    "text": Text("teks", "text"),
    "reason": Text("alasan", "reason"),
    "target": Text("tujuan", "to"),
    "officer": Text("petugas", "officer"),
    "outcome": Text("hasil", "outcome"),
    "who": Text("dipanggil", "called"),
    "by": Text("oleh", "by"),
    "via": Text("melalui", "via"),
    "channel": Text("kanal", "channel"),
    "kinds": Text("jenis", "kinds"),
    "format": Text("format", "format"),
    "from": Text("dari", "from"),
    "to": Text("sampai", "to"),
    "rows": Text("baris", "rows"),
    "identities": Text("identitas", "identities"),
    "drafts": Text("draf", "drafts"),
}

# -- the alert for a new report ------------------------------------------------------------

KIND_NAMES = {
    "link": Text("link", "link"),
    "photo": Text("foto", "photo"),
    "video": Text("video", "video"),
    "document": Text("dokumen", "document"),
    "voice": Text("pesan suara", "voice message"),
    "audio": Text("rekaman suara", "audio"),
    "video_note": Text("video bulat", "video note"),
    "sticker": Text("stiker", "sticker"),
}
ALERT_TITLE = Text("🔔 <b>Laporan baru {ticket}</b>", "🔔 <b>New report {ticket}</b>")
ALERT_REPORTER = Text(
    "<b>Pelapor</b>: dirahasiakan ({how})", "<b>Reporter</b>: kept secret ({how})"
)
ALERT_ANONYMOUS = Text("anonim", "anonymous")
ALERT_NO_CONSENT = Text(
    "⚠️ <b>pelapor tidak bersedia dihubungi</b>: /tanya dan pemanggilan pelapor tidak dapat "
    "dikirim.",
    "⚠️ <b>the reporter does not consent to be contacted</b>: /tanya and calling the reporter "
    "cannot be sent.",
)
V_NO_CONSENT = Text("pelapor tidak bersedia dihubungi", "the reporter does not consent to contact")
T_NO_CONSENT = Text(
    "Laporan {ticket}: pelapor tidak bersedia dihubungi, jadi pertanyaan atau undangan tidak "
    "dapat dikirim kepadanya (tidak ada yang dikirim). Telaah dengan bukti yang ada, atau "
    "catat dengan /catat.",
    "Report {ticket}: the reporter does not consent to be contacted, so no question or "
    "invitation can be sent to them (nothing was sent). Review it with the evidence at hand, "
    "or note it with /catat.",
)
ALERT_IDENTIFIED = Text("beridentitas", "identified")
ALERT_CHECKLIST = Text("<b>Kelengkapan 5W1H</b>: {marks}", "<b>5W1H checklist</b>: {marks}")
ALERT_NO_EVIDENCE = Text("tidak ada", "none")
EVIDENCE_CAPTION = Text(
    "{ticket} · bukti {number}/{total}\nSHA-256: {sha256}",
    "{ticket} · evidence {number}/{total}\nSHA-256: {sha256}",
)
FIELD_LABELS = {
    "category": Text("Kategori", "Category"),
    "service": Text("Jenis Layanan", "Service"),
    "complaint": Text("Keluhan", "Complaint"),
    "accused": Text("Terlapor", "Reported person"),
    "accused_name": Text("Terlapor", "Reported person"),
    "accused_position": Text("Jabatan", "Position"),
    "incident_time": Text("Waktu", "When"),
    "location": Text("Lokasi", "Where"),
    "chronology": Text("Kronologi", "What happened"),
    "amount": Text("Nominal", "Amount"),
    "evidence": Text("Bukti", "Evidence"),
    "officer": Text("Petugas", "Officer"),
    "reporter": Text("Pelapor", "Reporter"),
    "state": Text("Status", "State"),
    "outcome": Text("Hasil", "Outcome"),
    "ticket": Text("Nomor", "Number"),
    "received": Text("Diterima", "Received"),
    "updated": Text("Diubah", "Changed"),
    "channel": Text("Kanal", "Channel"),
    "consent": Text("Bersedia dihubungi", "Consents to contact"),
    "history": Text("Riwayat", "History"),
}

# -- the case views (/kasus, /lihat, cases list/show) ---------------------------------------------

V_NONE_OPEN = Text("Tidak ada kasus terbuka. 🎉", "No open cases. 🎉")
V_NONE = Text("Tidak ada kasus.", "No cases.")
V_LIST_TITLE = Text("<b>Kasus ({count})</b>", "<b>Cases ({count})</b>")
V_DAYS = Text("{days} hari", "{days} days")
V_REPORTER_SECRET = Text("dirahasiakan", "kept secret")
V_REPORTER_ANONYMOUS = Text("dirahasiakan (anonim)", "kept secret (anonymous)")
V_YES = Text("Ya", "Yes")
V_NO = Text("Tidak", "No")

# -- statistics ------------------------------------------------------------------------------

S_TITLE = Text("📊 <b>Statistik WBS {period}</b>", "📊 <b>WBS statistics {period}</b>")
S_ALL_TIME = Text("(semua waktu)", "(all time)")
S_TOTAL = Text("Total laporan: <b>{n}</b>", "Reports: <b>{n}</b>")
S_OPEN = Text("Masih diproses: {n}", "Still open: {n}")
S_BY_CATEGORY = Text("<b>Per kategori</b>", "<b>By category</b>")
S_BY_SERVICE = Text("<b>Pengaduan layanan</b>", "<b>Service complaints</b>")
S_BY_STATE = Text("<b>Per status</b>", "<b>By state</b>")
S_OUTCOME = Text("<b>Hasil (selesai)</b>", "<b>Outcome (concluded)</b>")
S_TIMES = Text("<b>Waktu (median)</b>", "<b>Time (median)</b>")
S_FIRST_ACTION = Text("Tindakan pertama: {days}", "First action: {days}")
S_CLOSE = Text("Penyelesaian: {days}", "To close: {days}")
S_DAYS = Text("{n} hari", "{n} days")
S_NONE = Text("-", "-")
S_BAD_MONTH = Text(
    "Bulan tidak valid: {text}; gunakan TTTT-BB, mis. 2026-11",
    "Invalid month: {text}; use YYYY-MM, e.g. 2026-11",
)

# -- the officer CLI (wbs-officer), in the officers' language from the config ------------------

C_NO_CONFIG = Text(
    "opsi '--config' belum diisi (file konfigurasi TOML bot)",
    "missing option '--config' (the bot's TOML configuration file)",
)
C_CONFIG_PROBLEM = Text("konfigurasi {config}: {problem}", "configuration {config}: {problem}")
C_CONFIG_PROBLEMS = Text("Konfigurasi {config} bermasalah:", "Configuration error in {config}:")
C_NO_DATABASE = Text(
    "tidak ada database di {database}: periksa --config (wbs-bot yang membuatnya)",
    "no database at {database}: check --config (wbs-bot creates it)",
)
C_NO_KEY = Text(
    "tidak ada file kunci di {key_file}: periksa --config dan security.key_file",
    "no key file at {key_file}: check --config and security.key_file",
)
C_BAD_KEY = Text("file kunci tidak dapat dipakai: {error}", "the key file cannot be used: {error}")
C_LOCKED = Text(
    "database {database} sedang dipakai menulis oleh program lain ({holders}); tidak ada yang "
    "diubah. Coba lagi sebentar lagi.",
    "the database {database} is being written by another program ({holders}); nothing was "
    "changed. Try again in a moment.",
)
C_HOLDERS_UNKNOWN = Text(
    "mis. wbs-bot yang berjalan atau wbs-officer lain",
    "e.g. the running wbs-bot or another wbs-officer",
)
C_HOLDERS = Text("terbuka oleh: {names}", "open in: {names}")
C_AS_UNKNOWN = Text(
    "--as {who}: tidak ada di telegram.officer_user_ids pada {config}; gunakan ID pengguna "
    "Telegram petugas atau nama Anda",
    "--as {who}: not in telegram.officer_user_ids of {config}; use an officer's Telegram user "
    "id or your name",
)
C_AS_BAD_NAME = Text(
    "--as {who}: nama berisi 1 sampai 64 karakter yang dapat dicetak",
    "--as {who}: a name of 1 to 64 printable characters",
)
C_AS_RESERVED = Text(
    "--as {who}: dipakai oleh bot; gunakan nama Anda sendiri",
    "--as {who}: reserved for the bot; use your own name",
)
C_ADMIN_ONLY = Text(
    "hanya untuk admin: --as harus ID pengguna Telegram di telegram.admin_user_ids "
    "(--as {who} bukan)",
    "admin only: --as must be a Telegram user id in telegram.admin_user_ids (--as {who} is not)",
)
C_NO_GROUP = Text(
    "telegram.officer_chat_id belum diisi: grup petugas tidak dapat diberi tahu",
    "telegram.officer_chat_id is not set: the officers' group could not be told",
)
C_NOT_A_CASE = Text(
    "'{name}' bukan nomor kasus (contoh: WBS-2026-0007 atau 7)",
    "'{name}' is not a case number (example: WBS-2026-0007 or 7)",
)
C_NO_CASE = Text("kasus {name} tidak ada", "no case {name}")
C_NO_CASE_BARE = Text(
    "kasus {name} tidak ada: {explained} (nomor saja berarti kasus tahun ini; untuk tahun lain "
    "tulis nomor lengkapnya, mis. {example})",
    "no case {name}: {explained} (a bare number is this year's case; for another year write "
    "the whole number, e.g. {example})",
)
C_EMPTY = Text("{what} kosong", "{what} is empty")
C_TOO_LONG = Text(
    "{what} berisi {length} karakter; paling banyak {limit}",
    "{what} is {length} characters; at most {limit}",
)
C_MISSING = Text("{what} belum diisi", "{what} is missing")
C_BAD_VALUE = Text("{what} {value}: gunakan {usage}", "{what} {value}: use {usage}")
C_NEEDS_OUTCOME = Text(
    "pindah ke selesai perlu --outcome terbukti|tidak_terbukti",
    "moving to selesai needs --outcome terbukti|tidak_terbukti",
)
C_OUTCOME_ONLY_CLOSED = Text("--outcome hanya untuk selesai", "--outcome goes only with selesai")
C_NOT_A_TERMINAL = Text(
    "bukan di terminal, jadi tidak ada yang dapat ditanya dulu: tambahkan --yes untuk {doing} "
    "tanpa ditanya",
    "not at a terminal, so nobody can be asked first: add --yes to {doing} without being asked",
)
C_DOING_REVEAL = Text("menampilkan identitas", "print the identity")
C_DOING_PURGE = Text("menghapus", "erase")
C_CONFIRM_REVEAL = Text(
    "Tampilkan identitas pelapor {ticket} di sini? Ini dicatat di log audit",
    "Print the reporter's identity of {ticket} here? This is written to the audit log",
)
C_ABORTED = Text("Dibatalkan: tidak ada yang diubah.", "Aborted: nothing was done.")
C_DONE = Text(
    "{case}: {what} (oleh {actor}); {delivery}.", "{case}: {what} (by {actor}); {delivery}."
)
C_MOVED = Text("ke {state}", "moved to {state}")
C_QUEUED_NOTHING = Text("tidak ada pesan", "nothing queued")
C_QUEUED = Text(
    "antre untuk {whom} (dikirim oleh wbs-bot yang berjalan)",
    "queued for the {whom} (the running wbs-bot delivers it)",
)
C_REPORTER = Text("pelapor", "reporter")
C_GROUP = Text("grup", "group")
C_AND = Text(" dan ", " and the ")
C_IDENTITY_TITLE = Text(
    "Identitas pelapor {ticket} (rahasia, jangan diteruskan):",
    "Identity of the reporter of {ticket} (secret, do not forward):",
)
C_IDENTITY_NAME = Text("Nama", "Name")
C_IDENTITY_PHONE = Text("Telepon", "Phone")
C_IDENTITY_EMAIL = Text("Email", "E-mail")
C_IDENTITY_ANONYMOUS = Text(
    "{ticket}: dikirim secara anonim; tidak ada identitas yang tersimpan.",
    "{ticket}: sent anonymously; no identity is stored.",
)
C_IDENTITY_ERASED = Text(
    "{ticket}: identitas sudah dihapus sesuai masa simpan.",
    "{ticket}: the identity was erased under the retention rules.",
)
C_RESOLVED = Text("({explained})", "({explained})")
C_EVIDENCE_LINK = Text("tautan {url}", "link {url}")
C_EVIDENCE_FILE = Text(
    "{kind} {name} ({size}), SHA-256 {sha256}", "{kind} {name} ({size}), SHA-256 {sha256}"
)
C_HISTORY_NONE = Text("(belum ada)", "(none yet)")
C_AUDIT_INTACT = Text("utuh: {count} entri", "intact: {count} entries")
C_AUDIT_BROKEN = Text(
    "RUSAK: entri audit {entry}: {problem}", "BROKEN: audit entry {entry}: {problem}"
)
C_AUDIT_PROBLEMS = {
    "missing (deleted), or the numbering was changed": Text(
        "hilang (dihapus), atau penomorannya diubah",
        "missing (deleted), or the numbering was changed",
    ),
    "changed after it was written": Text("diubah setelah ditulis", "changed after it was written"),
    "does not follow the entry before it (inserted or deleted)": Text(
        "tidak menyambung dengan entri sebelumnya (disisipkan atau dihapus)",
        "does not follow the entry before it (inserted or deleted)",
    ),
}
C_AUDIT_NONE = Text("Log audit kosong.", "The audit log is empty.")
C_COLUMN_NUMBER = Text("#", "#")
C_COLUMN_AT = Text("Waktu (WITA)", "Time (WITA)")
C_COLUMN_BY = Text("Oleh", "By")
C_COLUMN_ACTION = Text("Tindakan", "Action")
C_COLUMN_CASE = Text("Kasus", "Case")
C_COLUMN_DETAIL = Text("Keterangan", "Details")
C_COLUMN_COUNT = Text("Jumlah", "Count")
C_BAD_FORMAT = Text("--format {given}: gunakan csv atau xlsx", "--format {given}: use csv or xlsx")
C_MONTH_OR_RANGE = Text(
    "--month atau --from/--to, jangan keduanya", "--month or --from/--to, not both"
)
C_BAD_MONTH = Text(
    "--month {value}: gunakan TTTT-BB, mis. 2026-11", "--month {value}: use YYYY-MM, e.g. 2026-11"
)
C_BAD_DAY = Text(
    "{option} {value}: gunakan TTTT-BB-HH, mis. 2026-11-01",
    "{option} {value}: use YYYY-MM-DD, e.g. 2026-11-01",
)
C_FROM_AFTER_TO = Text(
    "--from {first} jatuh setelah --to {last}", "--from {first} is after --to {last}"
)
C_IS_FOLDER = Text(
    "{output} adalah folder; sebutkan nama file", "{output} is a folder; name a file"
)
C_NO_FOLDER = Text("tidak ada folder {folder} untuk {name}", "no folder {folder} for {name}")
C_CANNOT_WRITE = Text("tidak dapat menulis {output}: {error}", "cannot write {output}: {error}")
C_EXPORTED = Text(
    "{output}: {count} kasus, {period} ({kind}); ekspor ini tercatat di log audit.",
    "{output}: {count} case(s), {period} ({kind}); the export is in the audit log.",
)
C_PURGE_IDENTITIES = Text(
    "Identitas dan tautan chat yang akan dihapus ({days} hari setelah kasus final)",
    "Identity and chat link to erase ({days} days after the case became final)",
)
C_PURGE_FINAL_SINCE = Text("Final sejak", "Final since")
C_PURGE_DRAFTS = Text(
    "Draf yang belum dikirim dan tidak disentuh {days} hari atau lebih, akan dihapus: {count}",
    "Unsent drafts untouched for {days} days or more, to delete: {count}",
)
C_PURGE_WAITING = Text(
    "Draf kedaluwarsa yang pemiliknya belum diingatkan: {count} (dibiarkan untuk wbs-bot yang "
    "berjalan: ia mengingatkan dulu, lalu menghapus)",
    "Expired drafts whose owner has not been warned yet: {count} (left for the running "
    "wbs-bot: it warns first, then deletes)",
)
C_PURGE_NOTHING = Text("Tidak ada yang perlu dihapus.", "Nothing is due for erasure.")
C_PURGE_DRY = Text("Uji coba: tidak ada yang dihapus.", "Dry run: nothing was erased.")
C_PURGE_CONFIRM = Text(
    "Hapus semua ini sekarang? Tidak dapat dibatalkan", "Erase all of this now? It cannot be undone"
)
C_PURGE_DONE = Text(
    "Dihapus: {identities} {identity_word} pelapor (dengan tautan chat), {drafts} draf. "
    "Tercatat di log audit.",
    "Erased: {identities} reporter {identity_word} (with the chat link), {drafts} draft(s). "
    "Written to the audit log.",
)
C_IDENTITY_ONE = Text("identitas", "identity")
C_IDENTITY_MANY = Text("identitas", "identities")
