"""The agency's report form as data: one row per field, in the web form's order and wording.

A new field is a new row here; the engine (`conversations.engine`) walks whatever rows it gets.
`build_form` checks the definition at start-up, so a broken table never reaches a reporter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from conversations import parsers
from conversations.i18n import Text


class FieldId(StrEnum):
    IDENTITY_MODE = "identity_mode"
    REPORTER_NAME = "reporter_name"
    REPORTER_PHONE = "reporter_phone"
    REPORTER_EMAIL = "reporter_email"
    CATEGORY = "category"
    SERVICE = "service"
    COMPLAINT = "complaint"
    ACCUSED_NAME = "accused_name"
    ACCUSED_POSITION = "accused_position"
    INCIDENT_TIME = "incident_time"
    LOCATION = "location"
    CHRONOLOGY = "chronology"
    AMOUNT = "amount"
    EVIDENCE = "evidence"
    CONSENT = "consent"


class Branch(StrEnum):
    """Which reports a field belongs to; `BRANCH_RULES` says when a branch applies."""

    ALL = "semua"
    IDENTIFIED = "identified"
    SERVICE = "layanan"
    VIOLATION = "pelanggaran"


class Kind(StrEnum):
    """How a field is answered; the engine has one small rule per kind."""

    TEXT = "text"  # typed, checked by the field's parser
    CHOICE = "choice"  # one of the options (button, label or number)
    PHONE = "phone"  # typed, or the channel's "share my number"
    EVIDENCE = "evidence"  # links and files, several, then "Selesai"
    CONSENT = "consent"  # must be yes to send


class Category(StrEnum):
    """The five kinds of act of the web form; the value is the label officers and JSON use."""

    FRAUD = "Penipuan"
    ETHICS = "Pelanggaran Kode Etik"
    CONFLICT_OF_INTEREST = "Pelanggaran Benturan Kepentingan"
    LAW = "Pelanggaran Hukum"
    SERVICE = "Pengaduan Layanan"


IDENTIFIED = "identified"
ANONYMOUS = "anonymous"

BRANCH_RULES: Mapping[Branch, Callable[[Mapping[str, Any]], bool]] = {
    Branch.ALL: lambda answers: True,
    Branch.IDENTIFIED: lambda answers: answers.get(FieldId.IDENTITY_MODE) == IDENTIFIED,
    Branch.SERVICE: lambda answers: answers.get(FieldId.CATEGORY) == Category.SERVICE,
    Branch.VIOLATION: lambda answers: (
        answers.get(FieldId.CATEGORY) is not None
        and answers.get(FieldId.CATEGORY) != Category.SERVICE
    ),
}


@dataclass(frozen=True)
class Option:
    value: str | bool  # what the draft stores
    label: Text  # what the button says


@dataclass(frozen=True)
class FieldSpec:
    id: FieldId
    label: Text
    question: Text
    branch: Branch
    required: bool
    kind: Kind
    parser: parsers.Parser[Any] | None = None
    options: tuple[Option, ...] = ()
    skip: Text | None = None  # the button that leaves an optional field empty
    story: bool = False  # free text people tell in several messages: later parts may be added


class FormDefinitionError(ValueError):
    """The form table is inconsistent; raised at start-up, never in a chat."""


@dataclass(frozen=True)
class Form:
    fields: tuple[FieldSpec, ...]

    def __post_init__(self) -> None:
        ids = [spec.id for spec in self.fields]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise FormDefinitionError(f"duplicate field ids: {', '.join(duplicates)}")
        for branch in Branch:
            if branch not in BRANCH_RULES:
                raise FormDefinitionError(f"branch {branch} has no rule")
            if not any(spec.branch is branch for spec in self.fields):
                raise FormDefinitionError(f"branch {branch} has no fields")
        for spec in self.fields:
            if spec.kind in (Kind.CHOICE, Kind.CONSENT) and not spec.options:
                raise FormDefinitionError(f"{spec.id}: a {spec.kind} field needs options")
            if spec.kind in (Kind.TEXT, Kind.PHONE) and spec.parser is None:
                raise FormDefinitionError(f"{spec.id}: a typed field needs a parser")
            if spec.story and spec.kind is not Kind.TEXT:
                raise FormDefinitionError(f"{spec.id}: only a text field can be told in parts")
            if not spec.required and spec.skip is None:
                raise FormDefinitionError(f"{spec.id}: an optional field needs a skip button")

    def __getitem__(self, field_id: FieldId) -> FieldSpec:
        for spec in self.fields:
            if spec.id is field_id:
                return spec
        raise KeyError(field_id)

    def applies(self, spec: FieldSpec, answers: Mapping[str, Any]) -> bool:
        return BRANCH_RULES[spec.branch](answers)

    def applicable(self, answers: Mapping[str, Any]) -> list[FieldSpec]:
        return [spec for spec in self.fields if self.applies(spec, answers)]


SKIP = Text("Lewati", "Skip")
STORY_LIMIT = 20_000  # well above one message: a story may come in several, or a long paste
NONE_AMOUNT = Text("Tidak Ada", "None")


def _same(label: str) -> Text:
    """Official names (categories, services) read the same in both languages."""
    return Text(label, label)


def build_form(*, services: Sequence[str], allow_anonymous: bool = True) -> Form:
    """The agency's form, with the configured services; checked on construction."""
    identity_options = [Option(IDENTIFIED, Text("Isi Identitas", "Isi Identitas"))]
    if allow_anonymous:
        identity_options.append(Option(ANONYMOUS, Text("Lapor Anonim", "Lapor Anonim")))
    return Form(
        (
            FieldSpec(
                FieldId.IDENTITY_MODE,
                Text("Identitas Pelapor", "Reporter identity"),
                Text(
                    "<b>Identitas Pelapor</b>\nAnda boleh mengisi identitas atau melapor "
                    "secara anonim. Identitas disimpan terenkripsi dan tidak ditampilkan "
                    "kepada petugas yang menangani laporan, dan tidak pernah kepada terlapor. "
                    "Hanya admin WBS yang dapat membukanya, bila perlu untuk penanganan, "
                    "dengan alasan yang dicatat; identitas dihapus beberapa waktu setelah "
                    "kasus selesai.",
                    "<b>Reporter identity (Identitas Pelapor)</b>\nYou may give your identity "
                    "or report anonymously. Your identity is stored encrypted and is not shown "
                    "to the officers handling the report, and never to the person reported. "
                    "Only a WBS admin can open it, when the case needs it, with a recorded "
                    "reason; it is erased some time after the case ends.",
                ),
                Branch.ALL,
                True,
                Kind.CHOICE,
                options=tuple(identity_options),
            ),
            FieldSpec(
                FieldId.REPORTER_NAME,
                Text("Nama Pelapor", "Reporter's name"),
                Text(
                    "<b>Nama Pelapor</b>\nTulis nama lengkap Anda.",
                    "<b>Reporter's name (Nama Pelapor)</b>\nWrite your full name.",
                ),
                Branch.IDENTIFIED,
                True,
                Kind.TEXT,
                parsers.person_name,
            ),
            FieldSpec(
                FieldId.REPORTER_PHONE,
                Text("Telepon Pelapor", "Reporter's phone"),
                Text(
                    "<b>Telepon Pelapor</b>\nTulis nomor HP yang dapat dihubungi, "
                    "atau tekan tombol <i>Bagikan Nomor Saya</i>.\nContoh: 0812-3456-7890",
                    "<b>Reporter's phone (Telepon Pelapor)</b>\nWrite a mobile number we can "
                    "reach, or press <i>Share my number</i>.\nExample: 0812-3456-7890",
                ),
                Branch.IDENTIFIED,
                True,
                Kind.PHONE,
                parsers.phone,
            ),
            FieldSpec(
                FieldId.REPORTER_EMAIL,
                Text("Email Pelapor", "Reporter's e-mail"),
                Text(
                    "<b>Email Pelapor</b> (boleh dilewati)\nTulis email Anda yang masih aktif.",
                    "<b>Reporter's e-mail (Email Pelapor)</b> (optional)\n"
                    "Write an e-mail address you use.",
                ),
                Branch.IDENTIFIED,
                False,
                Kind.TEXT,
                parsers.email,
                skip=SKIP,
            ),
            FieldSpec(
                FieldId.CATEGORY,
                Text("Tindakan/Perbuatan yang Dilaporkan", "Act reported"),
                Text(
                    "<b>Tindakan/Perbuatan yang Dilaporkan</b>\nPilih salah satu.",
                    "<b>Act reported (Tindakan/Perbuatan yang Dilaporkan)</b>\nChoose one.",
                ),
                Branch.ALL,
                True,
                Kind.CHOICE,
                options=tuple(Option(c.value, _same(c.value)) for c in Category),
            ),
            FieldSpec(
                FieldId.SERVICE,
                Text("Jenis Layanan", "Service"),
                Text(
                    "<b>Jenis Layanan</b>\nLayanan mana yang Anda keluhkan?",
                    "<b>Service (Jenis Layanan)</b>\nWhich service is your complaint about?",
                ),
                Branch.SERVICE,
                True,
                Kind.CHOICE,
                options=tuple(Option(s, _same(s)) for s in services),
            ),
            FieldSpec(
                FieldId.COMPLAINT,
                Text("Keluhan", "Complaint"),
                Text(
                    "<b>Keluhan</b>\nCeritakan detail kronologi kejadian: kendala apa yang "
                    "Anda alami, sejak kapan, dan apa yang sudah dicoba. Boleh dalam beberapa "
                    "pesan, paling banyak dua puluh ribu (20.000) karakter.",
                    "<b>Complaint (Keluhan)</b>\nDescribe what happened in detail: the problem, "
                    "since when, and what you already tried. Several messages are fine, up to "
                    "twenty thousand (20,000) characters.",
                ),
                Branch.SERVICE,
                True,
                Kind.TEXT,
                parsers.text(
                    20,
                    STORY_LIMIT,
                    example=Text(
                        "Sejak 1 Maret 2024 saya tidak bisa masuk ke SIMPEG; muncul pesan "
                        "'akun terkunci'.",
                        "Since 1 March 2024 I cannot log in to SIMPEG; it says 'account locked'.",
                    ),
                ),
                story=True,
            ),
            FieldSpec(
                FieldId.ACCUSED_NAME,
                Text("Nama Terlapor", "Name of the person reported"),
                Text(
                    "<b>Nama Terlapor</b>\nNama lengkap orang yang dilaporkan "
                    "(sekurang-kurangnya nama marga).",
                    "<b>Name of the person reported (Nama Terlapor)</b>\nTheir full name "
                    "(at least the family name).",
                ),
                Branch.VIOLATION,
                True,
                Kind.TEXT,
                parsers.text(2, 100, example=Text("Yohanes Benu", "Yohanes Benu")),
            ),
            FieldSpec(
                FieldId.ACCUSED_POSITION,
                Text("Jabatan Terlapor", "Position of the person reported"),
                Text(
                    "<b>Jabatan Terlapor</b> (boleh dilewati)\nContoh: Pejabat Struktural / "
                    "Pejabat Pelaksana pada Bidang / Sub Bidang / Sub Bagian …",
                    "<b>Position of the person reported (Jabatan Terlapor)</b> (optional)\n"
                    "Example: head of a division, staff of a sub-division …",
                ),
                Branch.VIOLATION,
                False,
                Kind.TEXT,
                parsers.text(
                    2, 150, example=Text("Kepala Sub Bidang Mutasi", "Kepala Sub Bidang Mutasi")
                ),
                skip=SKIP,
            ),
            FieldSpec(
                FieldId.INCIDENT_TIME,
                Text("Waktu Kejadian", "Time of the incident"),
                Text(
                    "<b>Waktu Kejadian (tanggal atau periode)</b>\nContoh: 12 Maret 2024, "
                    "12/03/2024, Maret 2024, atau Januari - Maret 2024.",
                    "<b>Time of the incident (Waktu Kejadian)</b>\nA date or a period, e.g. "
                    "12 March 2024, 12/03/2024, March 2024, or January - March 2024.",
                ),
                Branch.VIOLATION,
                True,
                Kind.TEXT,
                parsers.incident_time,
            ),
            FieldSpec(
                FieldId.LOCATION,
                Text("Lokasi Kejadian", "Place of the incident"),
                Text(
                    "<b>Lokasi Kejadian</b>\nDi mana kejadiannya? "
                    "Contoh: Ruang Bidang Disiplin dan KORPRI.",
                    "<b>Place of the incident (Lokasi Kejadian)</b>\nWhere did it happen? "
                    "Example: the Discipline and KORPRI division's office.",
                ),
                Branch.VIOLATION,
                True,
                Kind.TEXT,
                parsers.text(
                    3,
                    300,
                    example=Text(
                        "Ruang Bidang Disiplin dan KORPRI", "Ruang Bidang Disiplin dan KORPRI"
                    ),
                ),
            ),
            FieldSpec(
                FieldId.CHRONOLOGY,
                Text("Kronologi Kejadian", "What happened"),
                Text(
                    "<b>Kronologi Kejadian</b>\nCeritakan secara singkat: apa yang terjadi, "
                    "siapa saja yang terlibat, kapan, di mana, dan bagaimana caranya (modus). "
                    "Boleh dalam beberapa pesan, paling banyak dua puluh ribu (20.000) karakter.",
                    "<b>What happened (Kronologi Kejadian)</b>\nTell it briefly: what happened, "
                    "who was involved, when, where, and how it was done. Several messages are "
                    "fine, up to twenty thousand (20,000) characters.",
                ),
                Branch.VIOLATION,
                True,
                Kind.TEXT,
                parsers.text(30, STORY_LIMIT),
                story=True,
            ),
            FieldSpec(
                FieldId.AMOUNT,
                Text("Nominal", "Amount"),
                Text(
                    "<b>Nominal</b>\nBerapa jumlah uang yang terkait? "
                    "Contoh: Rp 5.000.000 atau 5 juta. Tekan <i>Tidak Ada</i> bila tidak ada.",
                    "<b>Amount (Nominal)</b>\nHow much money was involved? "
                    "Example: Rp 5.000.000 or 5 juta. Press <i>None</i> if none.",
                ),
                Branch.VIOLATION,
                False,
                Kind.TEXT,
                parsers.amount,
                skip=NONE_AMOUNT,
            ),
            FieldSpec(
                FieldId.EVIDENCE,
                Text("Link Bukti/Screenshoot", "Evidence"),
                Text(
                    "<b>Link Bukti/Screenshoot</b> (boleh dilewati)\nKirim link "
                    "(Google Drive, Dropbox, dll.) atau langsung kirim foto, video, atau "
                    "dokumen (PDF) di sini. Boleh lebih dari satu. Tekan <i>Selesai</i> "
                    "bila sudah.\n🔒 Nama file tidak disimpan, dan lokasi GPS, data perangkat "
                    "serta nama penulis dihapus dari file sebelum diteruskan ke petugas. "
                    "Tangkapan layar membawa lebih sedikit data daripada foto asli. Isi "
                    "dokumen dan pemilik link Drive tetap bisa menunjukkan siapa Anda: periksa "
                    "dulu bila ingin tetap anonim.",
                    "<b>Evidence (Link Bukti/Screenshoot)</b> (optional)\nSend links "
                    "(Google Drive, Dropbox, …) or send photos, videos or documents (PDF) "
                    "right here. Several are fine. Press <i>Selesai</i> when done.\n🔒 File "
                    "names are not kept, and GPS locations, device data and authors' names are "
                    "removed from files before officers see them. A screenshot carries less "
                    "than the original photo. Document contents and a Drive link's owner can "
                    "still show who you are: check them if you want to stay anonymous.",
                ),
                Branch.ALL,
                False,
                Kind.EVIDENCE,
                skip=SKIP,
            ),
            FieldSpec(
                FieldId.CONSENT,
                Text("Persetujuan Untuk Dihubungi Kembali", "Consent to be contacted"),
                Text(
                    "<b>Persetujuan Untuk Dihubungi Kembali</b>\nPetugas mungkin perlu "
                    "bertanya atau meminta bukti tambahan. Kami menghubungi Anda hanya "
                    "melalui chat ini, jadi pelapor anonim tetap anonim.",
                    "<b>Consent to be contacted (Persetujuan Untuk Dihubungi Kembali)</b>\n"
                    "Officers may need to ask a question or for more evidence. We contact "
                    "you only through this chat, so an anonymous reporter stays anonymous.",
                ),
                Branch.ALL,
                True,
                Kind.CONSENT,
                options=(
                    Option(True, Text("Ya, saya bersedia", "Ya, saya bersedia")),
                    Option(False, Text("Tidak", "No")),
                ),
            ),
        )
    )
