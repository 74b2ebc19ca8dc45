"""The report form as a reporter lives it: they type or press something and read the reply.

The engine is pure, so every test is a short conversation with a `Reporter` that holds the
draft, sends what a person would send (text, a button press, a shared contact, a file) and
reads the screen. Labels and texts are the ones in `spec/form.md`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import product
from typing import Any

import pytest

from conversations.engine import (
    MAX_EVIDENCE,
    SUMMARY,
    Attached,
    Button,
    Draft,
    Event,
    FormEngine,
    Pending,
    Pressed,
    Prompt,
    SharedContact,
    Step,
    Typed,
    Unsupported,
)
from conversations.form import ANONYMOUS, IDENTIFIED, Category, FieldId, build_form
from conversations.i18n import Lang
from conversations.texts import TEXT_EXAMPLE

SERVICES = (
    "SI IKAN MAS",
    "SIPORA",
    "SIMPEG",
    "SIMAE",
    "E-FORMASI",
    "PPK ONLINE",
    "LAPOR PNS MENINGGAL",
)
VIOLATIONS = [c for c in Category if c is not Category.SERVICE]

# The labels of form.md, as the reporter must recognise them in each question.
LABELS: dict[str, str] = {
    FieldId.IDENTITY_MODE: "Identitas Pelapor",
    FieldId.REPORTER_NAME: "Nama Pelapor",
    FieldId.REPORTER_PHONE: "Telepon Pelapor",
    FieldId.REPORTER_EMAIL: "Email Pelapor",
    FieldId.CATEGORY: "Tindakan/Perbuatan yang Dilaporkan",
    FieldId.SERVICE: "Jenis Layanan",
    FieldId.COMPLAINT: "Keluhan",
    FieldId.ACCUSED_NAME: "Nama Terlapor",
    FieldId.ACCUSED_POSITION: "Jabatan Terlapor",
    FieldId.INCIDENT_TIME: "Waktu Kejadian (tanggal atau periode)",
    FieldId.LOCATION: "Lokasi Kejadian",
    FieldId.CHRONOLOGY: "Kronologi Kejadian",
    FieldId.AMOUNT: "Nominal",
    FieldId.EVIDENCE: "Link Bukti/Screenshoot",
    FieldId.CONSENT: "Persetujuan Untuk Dihubungi Kembali",
    SUMMARY: "Ringkasan Laporan",
}

COMPLAINT = "Sejak awal Maret 2024 saya tidak bisa masuk ke SIMPEG walau sandi sudah direset."
CHRONOLOGY = (
    "Pada 12 Maret 2024 petugas loket meminta uang Rp 5.000.000 agar berkas kenaikan "
    "pangkat saya diproses lebih cepat."
)
LINK_1 = "https://drive.google.com/file/d/abc123"
LINK_2 = "https://www.dropbox.com/s/xyz/foto.jpg"

STALE = "Tombol itu sudah tidak berlaku"
UNSUPPORTED = "tidak bisa dipakai di sini"
USE_BUTTONS = "pilih salah satu tombol"
USE_SUMMARY_BUTTONS = "tombol di bawah ringkasan, atau ketik namanya"


def visible(text: str) -> str:
    """What the chat app shows for our tiny HTML subset."""
    return html.unescape(re.sub(r"</?[bi]>", "", text))


class Reporter:
    """One person in a private chat with the bot; `draft` is what the service would store."""

    def __init__(
        self,
        *,
        lang: Lang = Lang.ID,
        services: Sequence[str] = SERVICES,
        allow_anonymous: bool = True,
        draft: Draft | None = None,
        persist: bool = False,
    ) -> None:
        self.engine = FormEngine(build_form(services=services, allow_anonymous=allow_anonymous))
        self.lang = lang
        self.draft = draft
        self.persist = persist  # store the draft as JSON after every step, as the bot does
        self.step = Step(draft, ())
        self.files_sent = 0

    # -- what the reporter does --------------------------------------------------------

    def lapor(self) -> Reporter:
        """`/lapor`."""
        return self._show(self.engine.start(self.draft, self.lang))

    def batal(self) -> Reporter:
        """`/batal`."""
        assert self.draft is not None, "no draft to cancel"
        return self._show(self.engine.cancel(self.draft, self.lang))

    def say(self, text: str) -> Reporter:
        return self.send(Typed(text))

    def press(self, label: str) -> Reporter:
        return self.send(Pressed(self.button(label).data))

    def share_contact(self, phone: str, own: bool = True) -> Reporter:
        return self.send(SharedContact(phone, own))

    def attach(self, kind: str = "photo") -> Reporter:
        self.files_sent += 1
        n = self.files_sent
        return self.send(Attached(file_evidence(kind, n)))

    def send(self, event: Event) -> Reporter:
        assert self.draft is not None, "the reporter has no form open"
        return self._show(self.engine.handle(self.draft, event, self.lang))

    def do(self, action: str, value: Any) -> Reporter:
        """One scripted move: ("say", text), ("press", label), ("share_contact", phone)..."""
        return getattr(self, action)(value)

    def _show(self, step: Step) -> Reporter:
        self.step = step
        self.draft = step.draft
        if self.persist and step.draft is not None:
            self.draft = stored_and_loaded(step.draft)
            assert self.draft == step.draft
            assert self.engine.prompt(self.draft, self.lang) == self.engine.prompt(
                step.draft, self.lang
            )
        return self

    # -- what the reporter sees --------------------------------------------------------

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return self.step.prompts

    @property
    def screen(self) -> str:
        """The last reply as the reporter reads it: texts, then `[button]` labels."""
        lines: list[str] = []
        for prompt in self.prompts:
            lines.append(visible(prompt.text))
            lines += [f"[{b.label}]" for row in prompt.buttons for b in row]
        return "\n".join(lines)

    @property
    def buttons(self) -> list[str]:
        """The button labels under the last message."""
        if not self.prompts:
            return []
        return [b.label for row in self.prompts[-1].buttons for b in row]

    @property
    def warning(self) -> str:
        """The first message of a refusal ("⚠️ why, with an example")."""
        assert len(self.prompts) == 2, f"expected a warning and a question:\n{self.screen}"
        return visible(self.prompts[0].text)

    def button(self, label: str) -> Button:
        if self.prompts:
            for row in self.prompts[-1].buttons:
                for button in row:
                    if button.label == label:
                        return button
        raise AssertionError(
            f"no button {label!r} on screen; buttons: {self.buttons}\n--- screen ---\n{self.screen}"
        )

    # -- the engine's view -------------------------------------------------------------

    @property
    def question(self) -> str:
        assert self.draft is not None
        return self.engine.question(self.draft)

    @property
    def answers(self) -> dict[str, Any]:
        assert self.draft is not None
        return dict(self.draft.answers)

    def current_prompt(self) -> Prompt:
        assert self.draft is not None
        return self.engine.prompt(self.draft, self.lang)


def file_evidence(kind: str, n: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "blob": f"blob-{n}",
        "sha256": f"{n:064x}",
        "size": 1000 + n,
        "name": f"bukti-{n}.jpg",
    }


def stored_and_loaded(draft: Draft) -> Draft:
    return Draft.from_dict(json.loads(json.dumps(draft.to_dict())))


# -- walking the form ------------------------------------------------------------------

Script = list[tuple[str, str, Any]]  # (question asked, action, value)

DEFAULT_MOVES: dict[str, tuple[str, Any]] = {
    FieldId.REPORTER_NAME: ("say", "Maria Goreti Bria"),
    FieldId.REPORTER_PHONE: ("say", "0812-3456-7890"),
    FieldId.REPORTER_EMAIL: ("say", "maria.bria@gmail.com"),
    FieldId.SERVICE: ("press", "SIMPEG"),
    FieldId.COMPLAINT: ("say", COMPLAINT),
    FieldId.ACCUSED_NAME: ("say", "Yohanes Benu"),
    FieldId.ACCUSED_POSITION: ("say", "Kepala Sub Bidang Mutasi"),
    FieldId.INCIDENT_TIME: ("say", "12 Maret 2024"),
    FieldId.LOCATION: ("say", "Ruang Bidang Disiplin dan KORPRI"),
    FieldId.CHRONOLOGY: ("say", CHRONOLOGY),
    FieldId.AMOUNT: ("say", "Rp 5.000.000"),
    FieldId.CONSENT: ("press", "Ya, saya bersedia"),
}


def fill_until(
    r: Reporter,
    target: str,
    *,
    category: Category = Category.FRAUD,
    anonymous: bool = False,
) -> Reporter:
    """Answer every question with a good answer until `target` is asked."""
    for _ in range(40):
        question = r.question
        if question == target:
            return r
        if question == FieldId.IDENTITY_MODE:
            r.press("Lapor Anonim" if anonymous else "Isi Identitas")
        elif question == FieldId.CATEGORY:
            r.press(category)
        elif question == FieldId.EVIDENCE and r.draft is not None and r.draft.evidence:
            r.press("Selesai")
        elif question == FieldId.EVIDENCE:
            r.say(LINK_1)
        else:
            r.do(*DEFAULT_MOVES[question])
    raise AssertionError(f"never reached {target}; stuck at {r.question}\n{r.screen}")


def reporter_at(target: str, **options: Any) -> Reporter:
    fill = {k: options.pop(k) for k in ("category", "anonymous") if k in options}
    return fill_until(Reporter(**options).lapor(), target, **fill)


def walk(r: Reporter, script: Script) -> None:
    """Play the script; each question must be the expected one and show its form label."""
    asked: str | None = None
    for question, action, value in script:
        assert r.question == question, f"expected {question}, got {r.question}\n{r.screen}"
        if question != asked:
            assert LABELS[question] in r.screen
            asked = question
        assert r.step.submit is False
        r.do(action, value)


IDENTITIES: dict[str, tuple[Script, dict[str, Any], list[str]]] = {
    # name: (script, answers stored, summary lines)
    "identified, phone typed": (
        [
            (FieldId.IDENTITY_MODE, "press", "Isi Identitas"),
            (FieldId.REPORTER_NAME, "say", "  Maria   Goreti Bria "),
            (FieldId.REPORTER_PHONE, "say", "0812-3456-7890"),
            (FieldId.REPORTER_EMAIL, "say", "Maria.Bria@Gmail.com"),
        ],
        {
            FieldId.IDENTITY_MODE: IDENTIFIED,
            FieldId.REPORTER_NAME: "Maria Goreti Bria",
            FieldId.REPORTER_PHONE: "+6281234567890",
            FieldId.REPORTER_EMAIL: "maria.bria@gmail.com",
        },
        [
            "Identitas Pelapor: Isi Identitas",
            "Nama Pelapor: Maria Goreti Bria",
            "Telepon Pelapor: +6281234567890",
            "Email Pelapor: maria.bria@gmail.com",
        ],
    ),
    "identified, contact shared, no e-mail": (
        [
            (FieldId.IDENTITY_MODE, "press", "Isi Identitas"),
            (FieldId.REPORTER_NAME, "say", "Yosef de Rozari"),
            (FieldId.REPORTER_PHONE, "share_contact", "6281339876543"),
            (FieldId.REPORTER_EMAIL, "press", "Lewati"),
        ],
        {
            FieldId.IDENTITY_MODE: IDENTIFIED,
            FieldId.REPORTER_NAME: "Yosef de Rozari",
            FieldId.REPORTER_PHONE: "+6281339876543",
            FieldId.REPORTER_EMAIL: None,
        },
        [
            "Identitas Pelapor: Isi Identitas",
            "Nama Pelapor: Yosef de Rozari",
            "Telepon Pelapor: +6281339876543",
            "Email Pelapor: -",
        ],
    ),
    "anonymous": (
        [(FieldId.IDENTITY_MODE, "press", "Lapor Anonim")],
        {FieldId.IDENTITY_MODE: ANONYMOUS},
        ["Identitas Pelapor: Lapor Anonim"],
    ),
}

VIOLATION_DETAILS: dict[str, tuple[Script, dict[str, Any], list[str]]] = {
    "position and amount given": (
        [
            (FieldId.ACCUSED_NAME, "say", "Yohanes Benu"),
            (FieldId.ACCUSED_POSITION, "say", "Kepala Sub Bidang Mutasi"),
            (FieldId.INCIDENT_TIME, "say", "12 Maret 2024"),
            (FieldId.LOCATION, "say", "Ruang Bidang Disiplin dan KORPRI"),
            (FieldId.CHRONOLOGY, "say", CHRONOLOGY),
            (FieldId.AMOUNT, "say", "5 juta"),
        ],
        {
            FieldId.ACCUSED_NAME: "Yohanes Benu",
            FieldId.ACCUSED_POSITION: "Kepala Sub Bidang Mutasi",
            FieldId.INCIDENT_TIME: {
                "text": "12 Maret 2024",
                "start": "2024-03-12",
                "end": "2024-03-12",
                "precision": "day",
            },
            FieldId.LOCATION: "Ruang Bidang Disiplin dan KORPRI",
            FieldId.CHRONOLOGY: CHRONOLOGY,
            FieldId.AMOUNT: 5_000_000,
        },
        [
            "Nama Terlapor: Yohanes Benu",
            "Jabatan Terlapor: Kepala Sub Bidang Mutasi",
            "Waktu Kejadian: 12 Maret 2024",
            "Lokasi Kejadian: Ruang Bidang Disiplin dan KORPRI",
            f"Kronologi Kejadian: {CHRONOLOGY}",
            "Nominal: Rp 5.000.000",
        ],
    ),
    "position and amount skipped": (
        [
            (FieldId.ACCUSED_NAME, "say", "Benu"),
            (FieldId.ACCUSED_POSITION, "press", "Lewati"),
            (FieldId.INCIDENT_TIME, "say", "Januari - Maret 2024"),
            (FieldId.LOCATION, "say", "Kantor BKD"),
            (FieldId.CHRONOLOGY, "say", CHRONOLOGY),
            (FieldId.AMOUNT, "press", "Tidak Ada"),
        ],
        {
            FieldId.ACCUSED_NAME: "Benu",
            FieldId.ACCUSED_POSITION: None,
            FieldId.INCIDENT_TIME: {
                "text": "Januari - Maret 2024",
                "start": "2024-01-01",
                "end": "2024-03-31",
                "precision": "period",
            },
            FieldId.LOCATION: "Kantor BKD",
            FieldId.CHRONOLOGY: CHRONOLOGY,
            FieldId.AMOUNT: None,
        },
        [
            "Nama Terlapor: Benu",
            "Jabatan Terlapor: -",
            "Waktu Kejadian: Januari - Maret 2024",
            "Lokasi Kejadian: Kantor BKD",
            "Nominal: -",
        ],
    ),
}

EVIDENCE_AND_CONSENT: Script = [
    (FieldId.EVIDENCE, "say", f"{LINK_1} {LINK_2}"),
    (FieldId.EVIDENCE, "attach", "photo"),
    (FieldId.EVIDENCE, "press", "Selesai"),
    (FieldId.CONSENT, "press", "Ya, saya bersedia"),
]
TAIL_ANSWERS = {FieldId.EVIDENCE: 3, FieldId.CONSENT: True}
TAIL_SUMMARY = [
    "Link Bukti/Screenshoot: 3 bukti",
    "Persetujuan Untuk Dihubungi Kembali: Ya, saya bersedia",
]


def service_script(identity: str) -> Script:
    return [
        *IDENTITIES[identity][0],
        (FieldId.CATEGORY, "press", "Pengaduan Layanan"),
        (FieldId.SERVICE, "press", "SIMPEG"),
        (FieldId.COMPLAINT, "say", COMPLAINT),
        *EVIDENCE_AND_CONSENT,
    ]


def violation_script(identity: str, category: Category, details: str) -> Script:
    return [
        *IDENTITIES[identity][0],
        (FieldId.CATEGORY, "press", category.value),
        *VIOLATION_DETAILS[details][0],
        *EVIDENCE_AND_CONSENT,
    ]


def assert_summary(r: Reporter, lines: Sequence[str], absent: Sequence[str] = ()) -> None:
    assert r.question == SUMMARY
    assert "Ringkasan Laporan" in r.screen
    for line in lines:
        assert line in r.screen.splitlines(), f"{line!r} not in the summary:\n{r.screen}"
    for label in absent:
        assert f"{label}:" not in r.screen
    assert r.buttons == ["Kirim Laporan", "Ubah", "Reset"]


def submit(r: Reporter) -> None:
    assert r.step.submit is False
    r.press("Kirim Laporan")
    assert r.step.submit is True
    assert r.prompts == ()


# -- 1. both branches, walked in field order ---------------------------------------------


@pytest.mark.parametrize("identity", list(IDENTITIES))
def test_service_complaint_walk(identity: str) -> None:
    r = Reporter().lapor()
    assert "Baik, kita mulai" in r.screen
    walk(r, service_script(identity))

    _, identity_answers, identity_lines = IDENTITIES[identity]
    assert r.answers == {
        **identity_answers,
        FieldId.CATEGORY: "Pengaduan Layanan",
        FieldId.SERVICE: "SIMPEG",
        FieldId.COMPLAINT: COMPLAINT,
        **TAIL_ANSWERS,
    }
    assert r.draft is not None
    assert r.draft.evidence == [
        {"kind": "link", "url": LINK_1},
        {"kind": "link", "url": LINK_2},
        file_evidence("photo", 1),
    ]
    assert_summary(
        r,
        [
            *identity_lines,
            "Tindakan/Perbuatan yang Dilaporkan: Pengaduan Layanan",
            "Jenis Layanan: SIMPEG",
            f"Keluhan: {COMPLAINT}",
            *TAIL_SUMMARY,
        ],
        absent=["Nama Terlapor", "Nominal"],
    )
    submit(r)


@pytest.mark.parametrize(
    ("identity", "category", "details"),
    list(product(IDENTITIES, VIOLATIONS, VIOLATION_DETAILS)),
)
def test_violation_report_walk(identity: str, category: Category, details: str) -> None:
    r = Reporter().lapor()
    walk(r, violation_script(identity, category, details))

    _, identity_answers, identity_lines = IDENTITIES[identity]
    _, detail_answers, detail_lines = VIOLATION_DETAILS[details]
    assert r.answers == {
        **identity_answers,
        FieldId.CATEGORY: category.value,
        **detail_answers,
        **TAIL_ANSWERS,
    }
    assert_summary(
        r,
        [
            *identity_lines,
            f"Tindakan/Perbuatan yang Dilaporkan: {category.value}",
            *detail_lines,
            *TAIL_SUMMARY,
        ],
        absent=["Jenis Layanan", "Keluhan"],
    )
    submit(r)


def test_anonymous_reporter_is_never_asked_for_name_phone_or_email() -> None:
    r = Reporter().lapor().press("Lapor Anonim")
    assert "Tindakan/Perbuatan yang Dilaporkan" in r.screen
    fill_until(r, SUMMARY, anonymous=True)
    for label in ("Nama Pelapor", "Telepon Pelapor", "Email Pelapor"):
        assert label not in r.screen
    assert not {FieldId.REPORTER_NAME, FieldId.REPORTER_PHONE, FieldId.REPORTER_EMAIL} & set(
        r.answers
    )


def test_identity_question_offers_both_ways_and_promises_secrecy() -> None:
    r = Reporter().lapor()
    assert r.buttons == ["Isi Identitas", "Lapor Anonim"]
    assert "terenkripsi" in r.screen and "tidak pernah kepada terlapor" in r.screen


def test_phone_question_offers_the_share_my_number_button() -> None:
    r = reporter_at(FieldId.REPORTER_PHONE)
    assert r.prompts[-1].ask_contact is True
    r.say("0812-3456-7890")
    assert r.prompts[-1].ask_contact is False


def test_category_buttons_are_the_five_acts_of_the_web_form() -> None:
    r = reporter_at(FieldId.CATEGORY)
    assert r.buttons == [
        "Penipuan",
        "Pelanggaran Kode Etik",
        "Pelanggaran Benturan Kepentingan",
        "Pelanggaran Hukum",
        "Pengaduan Layanan",
    ]


def test_service_buttons_are_the_configured_services() -> None:
    r = reporter_at(FieldId.SERVICE, category=Category.SERVICE)
    assert r.buttons == list(SERVICES)

    custom = reporter_at(FieldId.SERVICE, category=Category.SERVICE, services=["SIASN", "SIMPEG"])
    assert custom.buttons == ["SIASN", "SIMPEG"]
    custom.press("SIASN")
    assert custom.answers[FieldId.SERVICE] == "SIASN"
    assert "Keluhan" in custom.screen


@pytest.mark.parametrize("service", SERVICES)
def test_every_default_service_can_be_chosen(service: str) -> None:
    r = reporter_at(FieldId.SERVICE, category=Category.SERVICE).press(service)
    assert r.answers[FieldId.SERVICE] == service
    assert r.question == FieldId.COMPLAINT


def test_optional_questions_offer_their_skip_button() -> None:
    r = reporter_at(FieldId.REPORTER_EMAIL)
    assert r.buttons == ["Lewati"]
    r = reporter_at(FieldId.ACCUSED_POSITION)
    assert r.buttons == ["Lewati"]
    r = reporter_at(FieldId.AMOUNT)
    assert r.buttons == ["Tidak Ada"]
    r = reporter_at(FieldId.EVIDENCE)
    assert r.buttons == ["Lewati"]


def test_chronology_prompt_reminds_of_5w1h() -> None:
    r = reporter_at(FieldId.CHRONOLOGY)
    for word in ("apa yang terjadi", "siapa", "kapan", "di mana", "bagaimana"):
        assert word in r.screen


def test_summary_escapes_what_the_reporter_typed() -> None:
    r = reporter_at(FieldId.CHRONOLOGY)
    r.say("Kepala <b>bidang</b> & stafnya meminta uang <a href='x'>tunai</a> dua kali.")
    fill_until(r, SUMMARY)
    summary = r.prompts[-1].text
    assert "&lt;b&gt;bidang&lt;/b&gt; &amp; stafnya" in summary
    assert "<a href" not in summary


# -- 2. invalid answers ------------------------------------------------------------------

INVALID: list[tuple[str, Category, str, str]] = [
    # (question, category, answer, part of the reason)
    (FieldId.IDENTITY_MODE, Category.FRAUD, "nanti saja", USE_BUTTONS),
    (FieldId.REPORTER_NAME, Category.FRAUD, "M4ria", "Nama hanya boleh"),
    (FieldId.REPORTER_NAME, Category.FRAUD, "A", "Nama terlalu pendek"),
    (FieldId.REPORTER_PHONE, Category.FRAUD, "12345", "Nomor telepon belum benar"),
    (FieldId.REPORTER_PHONE, Category.FRAUD, "+1 202 555 0143", "nomor Indonesia"),
    (FieldId.REPORTER_EMAIL, Category.FRAUD, "maria@", "Alamat email belum benar"),
    (FieldId.CATEGORY, Category.FRAUD, "korupsi", USE_BUTTONS),
    (FieldId.CATEGORY, Category.FRAUD, "9", USE_BUTTONS),
    (FieldId.SERVICE, Category.SERVICE, "SIASN", USE_BUTTONS),
    (FieldId.COMPLAINT, Category.SERVICE, "lambat sekali", "terlalu pendek"),
    (FieldId.ACCUSED_NAME, Category.FRAUD, "Y", "terlalu pendek"),
    (FieldId.ACCUSED_POSITION, Category.ETHICS, "K", "terlalu pendek"),
    (FieldId.INCIDENT_TIME, Category.LAW, "dulu sekali", "belum bisa dibaca"),
    (FieldId.INCIDENT_TIME, Category.LAW, "12 Maret 2099", "tidak boleh setelah hari ini"),
    (FieldId.INCIDENT_TIME, Category.LAW, "30/02/2024", "tidak ada di kalender"),
    (FieldId.INCIDENT_TIME, Category.LAW, "12 Maret", "tahunnya"),
    (FieldId.LOCATION, Category.FRAUD, "BK", "terlalu pendek"),
    (FieldId.CHRONOLOGY, Category.FRAUD, "Dia minta uang.", "terlalu pendek"),
    (FieldId.AMOUNT, Category.FRAUD, "banyak sekali", "Nominal belum bisa dibaca"),
    (FieldId.AMOUNT, Category.FRAUD, "-5000", "tidak boleh negatif"),
    (FieldId.AMOUNT, Category.FRAUD, "1,5", "rupiah utuh"),
    (FieldId.EVIDENCE, Category.FRAUD, "fotonya ada di HP saya", "Belum ada link"),
    (FieldId.EVIDENCE, Category.FRAUD, "http://localhost/bukti", "belum lengkap"),
    (FieldId.CONSENT, Category.FRAUD, "boleh", USE_BUTTONS),
    (SUMMARY, Category.FRAUD, "oke", USE_SUMMARY_BUTTONS),
]


@pytest.mark.parametrize(
    ("question", "category", "answer", "reason"),
    INVALID,
    ids=[f"{q}-{a}" for q, _, a, _ in INVALID],
)
def test_invalid_answer_gets_reason_with_example_and_same_question(
    question: str, category: Category, answer: str, reason: str
) -> None:
    r = reporter_at(question, category=category)
    asked = r.current_prompt()
    kept = r.answers

    r.say(answer)

    assert r.warning.startswith("⚠️ ")
    assert reason in r.warning
    assert "Contoh" in r.warning
    assert r.prompts[-1] == asked  # the same question, with the same buttons
    assert r.question == question
    assert r.answers == kept


@pytest.mark.parametrize(
    ("question", "category"),
    [
        (FieldId.COMPLAINT, Category.SERVICE),
        (FieldId.ACCUSED_NAME, Category.FRAUD),
        (FieldId.ACCUSED_POSITION, Category.FRAUD),
        (FieldId.LOCATION, Category.FRAUD),
    ],
)
def test_free_text_errors_give_an_example_that_fits_the_field(
    question: str, category: Category
) -> None:
    r = reporter_at(question, category=category).say("x")
    assert "Contoh" in r.warning
    assert TEXT_EXAMPLE.id not in r.warning  # a chronology is no example of a name


def test_invalid_link_keeps_the_evidence_already_sent() -> None:
    r = reporter_at(FieldId.EVIDENCE).say(LINK_1).attach()
    r.say("bukti ada di flashdisk")
    assert "Belum ada link" in r.warning
    assert r.draft is not None
    assert r.draft.evidence == [{"kind": "link", "url": LINK_1}, file_evidence("photo", 1)]
    assert r.buttons == ["Selesai"]


def test_a_mistake_after_many_answers_loses_none_of_them() -> None:
    r = reporter_at(FieldId.AMOUNT)
    before = r.answers
    for wrong in ("banyak", "lima juta rupiah kira kira", "-1"):
        r.say(wrong)
        assert r.answers == before
    r.say("750rb")
    assert r.answers == {**before, FieldId.AMOUNT: 750_000}


def test_invalid_answer_in_english_explains_in_english() -> None:
    r = reporter_at(FieldId.REPORTER_EMAIL, lang=Lang.EN).say("maria@")
    assert r.warning.startswith("⚠️ ")
    assert "Example" in r.warning
    assert "Contoh" not in r.warning


# -- 3. buttons: typed labels, numbers, stale presses ------------------------------------

TYPED_CHOICES: list[tuple[str, Category, str, Any]] = [
    # (question, category, typed, stored)
    (FieldId.IDENTITY_MODE, Category.FRAUD, "isi identitas", IDENTIFIED),
    (FieldId.IDENTITY_MODE, Category.FRAUD, "LAPOR ANONIM", ANONYMOUS),
    (FieldId.IDENTITY_MODE, Category.FRAUD, "2", ANONYMOUS),
    (FieldId.CATEGORY, Category.FRAUD, "pelanggaran hukum", "Pelanggaran Hukum"),
    (FieldId.CATEGORY, Category.FRAUD, "Pengaduan layanan.", "Pengaduan Layanan"),
    (FieldId.CATEGORY, Category.FRAUD, "1", "Penipuan"),
    (FieldId.CATEGORY, Category.FRAUD, "5", "Pengaduan Layanan"),
    (FieldId.SERVICE, Category.SERVICE, "e-formasi", "E-FORMASI"),
    (FieldId.SERVICE, Category.SERVICE, "7", "LAPOR PNS MENINGGAL"),
    (FieldId.REPORTER_EMAIL, Category.FRAUD, "LEWATI", None),
    (FieldId.ACCUSED_POSITION, Category.FRAUD, "lewati", None),
    (FieldId.AMOUNT, Category.FRAUD, "tidak ada", None),
    (FieldId.CONSENT, Category.FRAUD, "ya, saya bersedia", True),
    (FieldId.CONSENT, Category.FRAUD, "1", True),
]


@pytest.mark.parametrize(
    ("question", "category", "typed", "stored"),
    TYPED_CHOICES,
    ids=[f"{q}-{t}" for q, _, t, _ in TYPED_CHOICES],
)
def test_typing_a_buttons_label_or_number_chooses_it(
    question: str, category: Category, typed: str, stored: Any
) -> None:
    r = reporter_at(question, category=category).say(typed)
    assert question in r.answers
    assert r.answers[question] == stored
    assert r.question != question
    assert "⚠️" not in r.screen


def test_typing_selesai_ends_the_evidence() -> None:
    r = reporter_at(FieldId.EVIDENCE).say(LINK_1).say("selesai")
    assert r.answers[FieldId.EVIDENCE] == 1
    assert r.question == FieldId.CONSENT


@pytest.mark.parametrize(
    ("typed", "then"),
    [
        ("kirim laporan", "submit"),
        ("ubah", "Bagian mana yang ingin diubah?"),
        ("RESET", "Kosongkan semua isian"),
        # A stray digit on the summary must never send the report: names only, here.
        ("1", "ketik namanya"),
        ("2", "ketik namanya"),
    ],
)
def test_summary_buttons_can_be_typed_by_name_not_number(typed: str, then: str) -> None:
    r = reporter_at(SUMMARY).say(typed)
    if then == "submit":
        assert r.step.submit is True
    else:
        assert r.step.submit is False
        assert then in r.screen


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        (FieldId.AMOUNT, "1", 1),  # one rupiah, not the "Tidak Ada" button
        (FieldId.ACCUSED_NAME, "12", "12"),
    ],
)
def test_a_number_on_a_free_text_question_is_an_answer(
    question: str, typed: str, stored: Any
) -> None:
    r = reporter_at(question).say(typed)
    assert r.answers[question] == stored


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (FieldId.REPORTER_EMAIL, "Alamat email belum benar"),
        (FieldId.ACCUSED_POSITION, "terlalu pendek"),
        (FieldId.REPORTER_PHONE, "Nomor telepon belum benar"),
    ],
)
def test_a_number_on_a_free_text_question_does_not_press_its_skip_button(
    question: str, reason: str
) -> None:
    r = reporter_at(question).say("1")
    assert reason in r.warning
    assert question not in r.answers


def test_a_number_at_the_evidence_question_is_not_selesai() -> None:
    r = reporter_at(FieldId.EVIDENCE).say(LINK_1).say("1")
    assert "Belum ada link" in r.warning
    assert r.question == FieldId.EVIDENCE


def test_stale_button_shows_the_current_question_and_changes_nothing() -> None:
    r = reporter_at(FieldId.CATEGORY)
    old = r.button("Pelanggaran Hukum")
    r.press("Penipuan").say("Yohanes Benu")
    kept, asked = r.answers, r.current_prompt()

    r.send(Pressed(old.data))

    assert STALE in r.screen
    assert r.prompts[-1] == asked
    assert LABELS[FieldId.ACCUSED_POSITION] in r.screen
    assert r.answers == kept


def test_old_lewati_under_the_evidence_question_does_not_drop_the_evidence() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    old_skip = r.button("Lewati")
    r.say(LINK_1).attach()

    r.send(Pressed(old_skip.data))

    assert STALE in r.screen
    assert r.draft is not None
    assert len(r.draft.evidence) == 2
    assert r.question == FieldId.EVIDENCE
    assert r.buttons == ["Selesai"]


def test_old_kirim_laporan_does_not_send_while_editing() -> None:
    r = reporter_at(SUMMARY)
    send = r.button("Kirim Laporan")
    r.press("Ubah")
    r.send(Pressed(send.data))
    assert r.step.submit is False
    assert STALE in r.screen
    assert "Bagian mana yang ingin diubah?" in r.screen


def test_old_reset_confirmation_does_not_empty_the_form() -> None:
    r = reporter_at(SUMMARY).press("Reset")
    yes = r.button("Ya, kosongkan")
    r.press("Tidak")
    kept = r.answers
    r.send(Pressed(yes.data))
    assert STALE in r.screen
    assert r.answers == kept
    assert r.question == SUMMARY


def test_summary_buttons_sent_under_the_steps_old_name_still_work() -> None:
    """The summary step was once named "review": its buttons, already in chats, still count."""
    r = reporter_at(SUMMARY)
    assert r.button("Kirim Laporan").data == "summary:send"
    r.send(Pressed("review:edit"))
    assert "Bagian mana yang ingin diubah?" in r.screen
    r.press("Kembali ke Ringkasan")
    r.send(Pressed("review:send"))
    assert r.step.submit is True


def test_a_draft_saved_with_the_old_step_name_resumes_at_the_summary() -> None:
    done = reporter_at(SUMMARY)
    assert done.draft is not None
    saved = {**json.loads(json.dumps(done.draft.to_dict())), "pending": "review"}
    r = Reporter(draft=Draft.from_dict(saved))
    assert r.question == SUMMARY
    r.lapor().press("Lanjutkan")
    assert "Ringkasan Laporan" in r.screen
    r.press("Kirim Laporan")
    assert r.step.submit is True


def test_unknown_button_data_is_stale() -> None:
    r = reporter_at(FieldId.CATEGORY).send(Pressed("category:99"))
    assert STALE in r.screen
    assert FieldId.CATEGORY not in r.answers


# -- 4. Ubah: editing from the summary ---------------------------------------------------


def edit_menu_labels(r: Reporter) -> list[str]:
    assert "Bagian mana yang ingin diubah?" in r.screen
    assert r.buttons[-1] == "Kembali ke Ringkasan"
    return r.buttons[:-1]


def test_edit_menu_lists_the_fields_that_apply() -> None:
    violation = reporter_at(SUMMARY, category=Category.ETHICS).press("Ubah")
    assert edit_menu_labels(violation) == [
        "Identitas Pelapor",
        "Nama Pelapor",
        "Telepon Pelapor",
        "Email Pelapor",
        "Tindakan/Perbuatan yang Dilaporkan",
        "Nama Terlapor",
        "Jabatan Terlapor",
        "Waktu Kejadian",
        "Lokasi Kejadian",
        "Kronologi Kejadian",
        "Nominal",
        "Link Bukti/Screenshoot",
        "Persetujuan Untuk Dihubungi Kembali",
    ]
    service = reporter_at(SUMMARY, category=Category.SERVICE, anonymous=True).press("Ubah")
    assert edit_menu_labels(service) == [
        "Identitas Pelapor",
        "Tindakan/Perbuatan yang Dilaporkan",
        "Jenis Layanan",
        "Keluhan",
        "Link Bukti/Screenshoot",
        "Persetujuan Untuk Dihubungi Kembali",
    ]


def test_edit_asks_the_field_again_then_returns_to_the_summary() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Lokasi Kejadian")
    assert "Lokasi Kejadian" in r.screen
    assert "Jawaban sekarang: Ruang Bidang Disiplin dan KORPRI" in r.screen
    assert r.buttons == ["Kembali ke Ringkasan"]

    r.say("Loket pelayanan lantai 1 Kantor BKD")

    assert "Lokasi Kejadian: Loket pelayanan lantai 1 Kantor BKD" in r.screen
    assert_summary(r, ["Nama Terlapor: Yohanes Benu"])


def test_edit_with_a_wrong_answer_keeps_the_old_one_and_asks_again() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Waktu Kejadian").say("besok lusa")
    assert "Waktu kejadian belum bisa dibaca" in r.warning
    assert "Jawaban sekarang: 12 Maret 2024" in r.screen
    assert r.answers[FieldId.INCIDENT_TIME]["text"] == "12 Maret 2024"


def test_edit_an_optional_field_to_empty() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Nominal")
    assert "Jawaban sekarang: Rp 5.000.000" in r.screen
    assert r.buttons == ["Tidak Ada", "Kembali ke Ringkasan"]
    r.press("Tidak Ada")
    assert_summary(r, ["Nominal: -"])


def test_edit_menu_choice_can_be_typed_by_number() -> None:
    r = reporter_at(SUMMARY).press("Ubah").say("2")
    assert r.question == FieldId.REPORTER_NAME
    assert "Jawaban sekarang: Maria Goreti Bria" in r.screen


@pytest.mark.parametrize("where", ["edit menu", "field"])
def test_kembali_ke_ringkasan_returns_unchanged(where: str) -> None:
    r = reporter_at(SUMMARY)
    before = r.answers
    r.press("Ubah")
    if where == "field":
        r.press("Kronologi Kejadian")
    r.press("Kembali ke Ringkasan")
    assert r.answers == before
    assert_summary(r, [f"Kronologi Kejadian: {CHRONOLOGY}"])


def test_changing_a_violation_to_a_service_complaint_drops_violation_answers() -> None:
    r = reporter_at(SUMMARY, category=Category.FRAUD)
    r.press("Ubah").press("Tindakan/Perbuatan yang Dilaporkan")
    assert "Jawaban sekarang: Penipuan" in r.screen

    r.press("Pengaduan Layanan")
    assert "Jenis Layanan" in r.screen
    r.press("SIPORA")
    assert "Keluhan" in r.screen
    r.say(COMPLAINT)

    assert_summary(
        r,
        ["Jenis Layanan: SIPORA", f"Keluhan: {COMPLAINT}", "Link Bukti/Screenshoot: 1 bukti"],
        absent=["Nama Terlapor", "Jabatan Terlapor", "Waktu Kejadian", "Nominal"],
    )
    violation_only = {
        FieldId.ACCUSED_NAME,
        FieldId.ACCUSED_POSITION,
        FieldId.INCIDENT_TIME,
        FieldId.LOCATION,
        FieldId.CHRONOLOGY,
        FieldId.AMOUNT,
    }
    assert not violation_only & set(r.answers)
    assert r.answers[FieldId.REPORTER_NAME] == "Maria Goreti Bria"  # the rest is kept


def test_changing_a_service_complaint_to_a_violation_asks_the_violation_fields() -> None:
    r = reporter_at(SUMMARY, category=Category.SERVICE).press("Ubah")
    r.press("Tindakan/Perbuatan yang Dilaporkan").press("Pelanggaran Kode Etik")
    assert r.question == FieldId.ACCUSED_NAME
    fill_until(r, SUMMARY)
    assert FieldId.SERVICE not in r.answers
    assert FieldId.COMPLAINT not in r.answers
    assert "Nama Terlapor: Yohanes Benu" in r.screen


def test_changing_between_violation_categories_keeps_the_answers() -> None:
    r = reporter_at(SUMMARY, category=Category.FRAUD)
    before = r.answers
    r.press("Ubah").press("Tindakan/Perbuatan yang Dilaporkan").press("Pelanggaran Hukum")
    assert r.answers == {**before, FieldId.CATEGORY: "Pelanggaran Hukum"}
    assert_summary(r, ["Tindakan/Perbuatan yang Dilaporkan: Pelanggaran Hukum"])


def test_switching_to_anonymous_drops_name_phone_and_email() -> None:
    r = reporter_at(SUMMARY)
    r.press("Ubah").press("Identitas Pelapor").press("Lapor Anonim")
    assert_summary(
        r,
        ["Identitas Pelapor: Lapor Anonim"],
        absent=["Nama Pelapor", "Telepon Pelapor", "Email Pelapor"],
    )
    assert not {FieldId.REPORTER_NAME, FieldId.REPORTER_PHONE, FieldId.REPORTER_EMAIL} & set(
        r.answers
    )


def test_switching_to_identified_asks_name_phone_and_email() -> None:
    r = reporter_at(SUMMARY, anonymous=True)
    r.press("Ubah").press("Identitas Pelapor").press("Isi Identitas")
    walk(
        r,
        [
            (FieldId.REPORTER_NAME, "say", "Maria Goreti Bria"),
            (FieldId.REPORTER_PHONE, "share_contact", "+6281234567890"),
            (FieldId.REPORTER_EMAIL, "press", "Lewati"),
        ],
    )
    assert_summary(r, ["Nama Pelapor: Maria Goreti Bria", "Telepon Pelapor: +6281234567890"])


def test_edit_evidence_add_more_or_remove_all() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Link Bukti/Screenshoot")
    assert "Jawaban sekarang: 1 bukti" in r.screen
    assert r.buttons == ["Selesai", "Hapus Semua Bukti", "Kembali ke Ringkasan"]
    r.attach().press("Selesai")
    assert_summary(r, ["Link Bukti/Screenshoot: 2 bukti"])

    r.press("Ubah").press("Link Bukti/Screenshoot").press("Hapus Semua Bukti")
    assert r.draft is not None and r.draft.evidence == []
    assert r.buttons == ["Lewati", "Kembali ke Ringkasan"]
    r.press("Lewati")
    assert_summary(r, ["Link Bukti/Screenshoot: -"])


# -- 5. Reset ----------------------------------------------------------------------------


def test_reset_asks_first_and_yes_empties_the_form() -> None:
    r = reporter_at(SUMMARY).press("Reset")
    assert "Kosongkan semua isian dan mulai dari awal?" in r.screen
    assert r.buttons == ["Ya, kosongkan", "Tidak"]
    assert r.answers  # nothing is gone yet

    r.press("Ya, kosongkan")

    assert r.draft == Draft()
    assert "Formulir sudah dikosongkan" in r.screen
    assert r.question == FieldId.IDENTITY_MODE
    assert "Identitas Pelapor" in r.screen
    assert r.buttons == ["Isi Identitas", "Lapor Anonim"]


def test_reset_no_goes_back_to_the_summary() -> None:
    r = reporter_at(SUMMARY)
    before, evidence = r.answers, list(r.draft.evidence if r.draft else [])
    r.press("Reset").press("Tidak")
    assert r.answers == before
    assert r.draft is not None and r.draft.evidence == evidence
    assert_summary(r, ["Nama Terlapor: Yohanes Benu"])


# -- 6. consent and cancelling -----------------------------------------------------------


def test_consent_prompt_says_contact_stays_in_this_chat() -> None:
    r = reporter_at(FieldId.CONSENT, anonymous=True)
    assert "melalui chat ini" in r.screen
    assert "anonim tetap anonim" in r.screen
    assert r.buttons == ["Ya, saya bersedia", "Tidak"]


def test_refusing_consent_still_files_the_report_and_says_what_it_means() -> None:
    r = reporter_at(FieldId.CONSENT).press("Tidak")
    assert r.answers[FieldId.CONSENT] is False
    assert "tetap bisa dikirim tanpa persetujuan" in r.screen
    assert "tidak akan bertanya" in r.screen
    assert_summary(r, ["Persetujuan Untuk Dihubungi Kembali: Tidak"])
    r.press("Kirim Laporan")
    assert r.step.submit is True


def test_consent_refused_can_be_changed_to_yes_from_the_summary() -> None:
    r = reporter_at(FieldId.CONSENT).press("Tidak").press("Ubah")
    r.press("Persetujuan Untuk Dihubungi Kembali").press("Ya, saya bersedia")
    assert r.answers[FieldId.CONSENT] is True
    assert_summary(r, ["Persetujuan Untuk Dihubungi Kembali: Ya, saya bersedia"])


def test_a_draft_saved_while_declining_consent_still_offers_yes_or_cancel() -> None:
    """Drafts saved by the version that refused `Tidak` wait at its explanation."""
    r = reporter_at(FieldId.CONSENT)
    assert r.draft is not None
    r.draft = replace(r.draft, pending=Pending.CONSENT_DECLINED)
    r.send(Typed("?"))
    assert r.buttons == ["Ya, saya bersedia", "Batal"]
    r.press("Ya, saya bersedia")
    assert r.answers[FieldId.CONSENT] is True


@pytest.mark.parametrize("at", [FieldId.IDENTITY_MODE, FieldId.LOCATION, SUMMARY])
def test_slash_batal_deletes_the_draft_after_confirmation(at: str) -> None:
    r = reporter_at(at).batal()
    assert "Batalkan laporan ini?" in r.screen
    assert r.draft is not None  # nothing deleted before the yes

    r.press("Ya, batalkan")
    assert r.step.draft is None
    assert "Laporan dibatalkan" in r.screen
    assert "/lapor" in r.screen


@pytest.mark.parametrize("at", [FieldId.LOCATION, SUMMARY])
def test_slash_batal_then_no_continues_where_the_reporter_was(at: str) -> None:
    r = reporter_at(at)
    kept, asked = r.answers, r.current_prompt()
    r.batal().press("Tidak")
    assert r.answers == kept
    assert r.prompts[-1] == asked


def test_slash_batal_while_editing_then_no_returns_to_the_edited_field() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Nama Terlapor")
    r.batal().press("Tidak")
    assert r.question == FieldId.ACCUSED_NAME
    assert "Jawaban sekarang: Yohanes Benu" in r.screen


# -- 7. evidence -------------------------------------------------------------------------


def test_several_links_in_one_message() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    r.say(f"Bukti: {LINK_1}, {LINK_2} dan drive.google.com/file/d/def456")
    assert r.draft is not None
    assert r.draft.evidence == [
        {"kind": "link", "url": LINK_1},
        {"kind": "link", "url": LINK_2},
        {"kind": "link", "url": "https://drive.google.com/file/d/def456"},
    ]
    assert "Bukti diterima (total 3)" in r.screen
    assert r.buttons == ["Selesai"]


def test_links_and_files_over_several_messages_then_selesai() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    assert r.draft is not None and r.engine.expects_files(r.draft)
    r.say(LINK_1)
    assert "Bukti diterima (total 1)" in r.screen
    r.attach("photo").attach("document").say(LINK_2)
    assert "Bukti diterima (total 4)" in r.screen
    r.press("Selesai")

    assert r.draft is not None
    assert r.draft.evidence == [
        {"kind": "link", "url": LINK_1},
        file_evidence("photo", 1),
        file_evidence("document", 2),
        {"kind": "link", "url": LINK_2},
    ]
    assert r.answers[FieldId.EVIDENCE] == 4
    assert r.question == FieldId.CONSENT
    assert not r.engine.expects_files(r.draft)
    fill_until(r, SUMMARY)
    assert "Link Bukti/Screenshoot: 4 bukti" in r.screen


def test_lewati_without_evidence() -> None:
    r = reporter_at(FieldId.EVIDENCE).press("Lewati")
    assert r.draft is not None and r.draft.evidence == []
    assert r.answers[FieldId.EVIDENCE] == 0
    assert r.question == FieldId.CONSENT
    fill_until(r, SUMMARY)
    assert "Link Bukti/Screenshoot: -" in r.screen


def test_lewati_is_replaced_by_selesai_once_something_arrived() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    assert r.buttons == ["Lewati"]
    r.attach()
    assert r.buttons == ["Selesai"]
    with pytest.raises(AssertionError, match="no button 'Lewati' on screen"):
        r.press("Lewati")


def test_at_most_twenty_items() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    for _ in range(MAX_EVIDENCE):
        r.attach()
    assert f"Bukti diterima (total {MAX_EVIDENCE})" in r.screen

    r.attach()
    assert f"Batas {MAX_EVIDENCE} bukti sudah tercapai" in r.warning
    r.say(LINK_1)
    assert f"Batas {MAX_EVIDENCE} bukti sudah tercapai" in r.warning
    assert r.draft is not None and len(r.draft.evidence) == MAX_EVIDENCE

    r.press("Selesai")
    assert r.answers[FieldId.EVIDENCE] == MAX_EVIDENCE


def test_links_over_the_limit_in_one_message_are_not_dropped_silently() -> None:
    r = reporter_at(FieldId.EVIDENCE)
    for n in range(MAX_EVIDENCE - 1):
        r.say(f"https://drive.google.com/file/d/{n}")
    r.say("https://x.id/a https://x.id/b https://x.id/c")
    assert r.draft is not None
    assert len(r.draft.evidence) == MAX_EVIDENCE
    assert r.draft.evidence[-1] == {"kind": "link", "url": "https://x.id/a"}
    assert f"Batas {MAX_EVIDENCE} bukti tercapai, jadi 2 link terakhir tidak disimpan" in r.screen


@pytest.mark.parametrize("event", [Attached(file_evidence("photo", 1)), Unsupported()])
@pytest.mark.parametrize(
    "question", [FieldId.REPORTER_NAME, FieldId.CATEGORY, FieldId.CHRONOLOGY, SUMMARY]
)
def test_a_file_or_sticker_outside_the_evidence_question_is_refused(
    question: str, event: Event
) -> None:
    r = reporter_at(question)
    kept, asked = r.answers, r.current_prompt()
    r.send(event)
    assert r.warning.startswith("⚠️ ")
    # the summary has only buttons, so a file there is answered with "press a button"
    expected = (
        USE_SUMMARY_BUTTONS if question == SUMMARY and isinstance(event, Attached) else UNSUPPORTED
    )
    assert expected in r.warning
    assert r.prompts[-1] == asked
    assert r.answers == kept
    assert r.draft is not None and r.draft.evidence == (
        [{"kind": "link", "url": LINK_1}] if question == SUMMARY else []
    )


def test_a_sticker_at_the_evidence_question_is_refused() -> None:
    r = reporter_at(FieldId.EVIDENCE).send(Unsupported())
    assert UNSUPPORTED in r.warning
    assert r.draft is not None and r.draft.evidence == []


# -- phone by contact --------------------------------------------------------------------


@pytest.mark.parametrize("shared", ["6281234567890", "+6281234567890", "081234567890"])
def test_sharing_ones_own_contact_answers_the_phone(shared: str) -> None:
    r = reporter_at(FieldId.REPORTER_PHONE).share_contact(shared)
    assert r.answers[FieldId.REPORTER_PHONE] == "+6281234567890"
    assert r.question == FieldId.REPORTER_EMAIL


def test_someone_elses_contact_is_refused() -> None:
    r = reporter_at(FieldId.REPORTER_PHONE).share_contact("6281234567890", own=False)
    assert "nomor Anda sendiri" in r.warning
    assert "Contoh" in r.warning
    assert FieldId.REPORTER_PHONE not in r.answers


def test_a_contact_outside_the_phone_question_is_refused() -> None:
    r = reporter_at(FieldId.REPORTER_NAME).share_contact("6281234567890")
    assert UNSUPPORTED in r.warning
    assert FieldId.REPORTER_NAME not in r.answers


# -- 8. resume ---------------------------------------------------------------------------


def test_lapor_with_a_draft_offers_to_continue_or_start_again() -> None:
    r = reporter_at(FieldId.LOCATION)
    r.lapor()
    assert "belum dikirim" in r.screen
    assert r.buttons == ["Lanjutkan", "Mulai Baru"]


def test_lanjutkan_continues_at_the_next_unanswered_field() -> None:
    r = reporter_at(FieldId.LOCATION)
    kept = r.answers
    r.lapor().press("Lanjutkan")
    assert r.question == FieldId.LOCATION
    assert "Lokasi Kejadian" in r.screen
    assert r.answers == kept


def test_mulai_baru_starts_empty() -> None:
    r = reporter_at(FieldId.LOCATION).lapor().press("Mulai Baru")
    assert r.draft == Draft()
    assert "Baik, kita mulai" in r.screen
    assert r.question == FieldId.IDENTITY_MODE


def test_resume_after_the_bot_restarted() -> None:
    """The draft comes back from the database as JSON; the reporter goes on from there."""
    before = reporter_at(FieldId.EVIDENCE).say(LINK_1)
    assert before.draft is not None
    stored = json.dumps(before.draft.to_dict())

    r = Reporter(draft=Draft.from_dict(json.loads(stored))).lapor().press("Lanjutkan")
    assert r.question == FieldId.EVIDENCE
    assert r.buttons == ["Selesai"]
    r.press("Selesai")
    assert r.answers[FieldId.EVIDENCE] == 1


def test_resume_a_complete_draft_shows_the_summary() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Nama Terlapor")
    r.lapor().press("Lanjutkan")  # the half-done edit is not resumed
    assert_summary(r, ["Nama Terlapor: Yohanes Benu"])


def test_lapor_with_an_empty_draft_just_starts() -> None:
    r = Reporter(draft=Draft()).lapor()
    assert "Baik, kita mulai" in r.screen
    assert r.buttons == ["Isi Identitas", "Lapor Anonim"]


def test_resume_buttons_can_be_typed() -> None:
    r = reporter_at(FieldId.LOCATION).lapor().say("lanjutkan")
    assert r.question == FieldId.LOCATION
    r.lapor().say("2")
    assert r.draft == Draft()


# -- 9. configuration and language -------------------------------------------------------


def test_without_anonymous_reports_there_is_no_lapor_anonim() -> None:
    r = Reporter(allow_anonymous=False).lapor()
    assert r.buttons == ["Isi Identitas"]
    assert "Lapor Anonim" not in r.screen

    for typed in ("Lapor Anonim", "2"):
        r.say(typed)
        assert USE_BUTTONS in r.warning
        assert FieldId.IDENTITY_MODE not in r.answers
    r.say("1")
    assert r.answers[FieldId.IDENTITY_MODE] == IDENTIFIED


def test_english_prompts_are_english() -> None:
    r = Reporter(lang=Lang.EN).lapor()
    assert "Let's begin" in r.screen
    assert "Reporter identity" in r.screen
    r.press("Isi Identitas")
    assert "Write your full name" in r.screen
    r = reporter_at(SUMMARY, lang=Lang.EN)
    assert "Report summary" in r.screen
    assert "Name of the person reported: Yohanes Benu" in r.screen
    r.press("Ubah")
    assert "Which part do you want to change?" in r.screen
    assert r.buttons[-1] == "Back to the summary"
    r.press("Back to the summary").press("Reset")
    assert "Empty the whole form and start again?" in r.screen
    assert r.buttons == ["Yes, empty it", "No"]


def test_every_question_differs_between_the_two_languages() -> None:
    r = Reporter().lapor()
    seen = set()
    while r.question != SUMMARY:
        assert r.draft is not None
        indonesian = r.engine.prompt(r.draft, Lang.ID).text
        english = r.engine.prompt(r.draft, Lang.EN).text
        assert english != indonesian, r.question
        seen.add(r.question)
        _answer_one(r)
    assert seen >= {FieldId.IDENTITY_MODE, FieldId.SERVICE, FieldId.CONSENT}


def _answer_one(r: Reporter) -> None:
    question = r.question
    if question == FieldId.IDENTITY_MODE:
        r.press("Isi Identitas")
    elif question == FieldId.CATEGORY:
        r.press("Pengaduan Layanan")
    elif question == FieldId.EVIDENCE:
        r.press("Lewati")
    else:
        r.do(*DEFAULT_MOVES[question])


# -- 10. the draft survives storage ------------------------------------------------------

ROUND_TRIP_WALKS: dict[str, Script] = {
    "service, identified": service_script("identified, phone typed"),
    "violation, contact shared": violation_script(
        "identified, contact shared, no e-mail",
        Category.CONFLICT_OF_INTEREST,
        "position and amount given",
    ),
    "violation, anonymous, skipped": violation_script(
        "anonymous", Category.LAW, "position and amount skipped"
    ),
}


@pytest.mark.parametrize("name", list(ROUND_TRIP_WALKS))
def test_draft_survives_json_at_every_step_of_a_walk(name: str) -> None:
    r = Reporter(persist=True).lapor()  # `_show` checks the round trip after every step
    walk(r, ROUND_TRIP_WALKS[name])
    assert r.question == SUMMARY
    # the pending questions and the edit state survive as well
    r.press("Ubah").press("Kronologi Kejadian" if "violation" in name else "Keluhan")
    assert r.draft is not None and r.draft.editing is not None
    r.press("Kembali ke Ringkasan").press("Reset").press("Tidak")
    r.lapor().press("Lanjutkan")
    r.press("Ubah").press("Persetujuan Untuk Dihubungi Kembali").press("Tidak")
    assert r.answers[FieldId.CONSENT] is False
    r.press("Ubah").press("Persetujuan Untuk Dihubungi Kembali").press("Ya, saya bersedia")
    submit(r)


def test_round_trip_keeps_types_the_engine_relies_on() -> None:
    r = reporter_at(SUMMARY).press("Ubah").press("Waktu Kejadian")
    assert r.draft is not None
    loaded = stored_and_loaded(r.draft)
    assert loaded == r.draft
    assert loaded.editing is FieldId.INCIDENT_TIME
    assert loaded.answers[FieldId.INCIDENT_TIME] == {
        "text": "12 Maret 2024",
        "start": "2024-03-12",
        "end": "2024-03-12",
        "precision": "day",
    }
    # an answer typed after loading lands on the same field
    step = r.engine.handle(loaded, Typed("Maret 2024"), Lang.ID)
    assert step.draft is not None
    assert step.draft.answers[FieldId.INCIDENT_TIME]["precision"] == "month"
    assert step.draft.editing is None


# -- a story told in several messages ----------------------------------------------------

STORY = "Kepala sub bidang meminta uang pelicin untuk SK mutasi saya."


def test_a_message_moments_after_the_story_is_offered_as_its_continuation() -> None:
    r = reporter_at(FieldId.CHRONOLOGY).send(Typed(STORY, at=1000.0))
    r.send(Typed("Saksinya dua staf.", at=1030.0))
    assert r.question == Pending.CONTINUE_STORY
    assert "Apakah ini lanjutan Kronologi Kejadian?" in r.screen
    r.press("Ya, tambahkan")
    assert r.answers[FieldId.CHRONOLOGY] == f"{STORY}\nSaksinya dua staf."
    assert f"sekarang {len(STORY) + 19} karakter" in r.screen
    assert r.question == FieldId.AMOUNT


def test_bukan_gives_the_current_questions_reason_and_keeps_the_story() -> None:
    r = reporter_at(FieldId.CHRONOLOGY).send(Typed(STORY, at=1000.0))
    r.send(Typed("banyak", at=1010.0)).press("Bukan")
    assert r.answers[FieldId.CHRONOLOGY] == STORY
    assert r.question == FieldId.AMOUNT and "⚠️" in r.screen


def test_long_after_the_story_a_wrong_answer_is_only_wrong() -> None:
    r = reporter_at(FieldId.CHRONOLOGY).send(Typed(STORY, at=1000.0))
    r.send(Typed("banyak", at=1000.0 + 3600))
    assert r.question == FieldId.AMOUNT and "⚠️" in r.screen


def test_a_split_paste_is_joined_only_when_it_follows_a_full_message_at_once() -> None:
    long_part = "x" * 4096
    r = reporter_at(FieldId.CHRONOLOGY).send(Typed(long_part, at=1000.0))
    r.send(Typed("akhir cerita", at=1002.0))
    assert r.answers[FieldId.CHRONOLOGY] == long_part + "\nakhir cerita"
    assert r.question == FieldId.AMOUNT

    r = reporter_at(FieldId.CHRONOLOGY).send(Typed(STORY, at=1000.0))  # short: no join
    r.send(Typed("5 juta", at=1001.0))
    assert r.answers[FieldId.AMOUNT] == 5_000_000


def test_a_story_cannot_grow_past_its_limit() -> None:
    r = reporter_at(FieldId.CHRONOLOGY).send(Typed("y" * 19_990, at=1000.0))
    r.send(Typed("dan masih ada lagi ceritanya", at=1060.0)).press("Ya, tambahkan")
    assert r.answers[FieldId.CHRONOLOGY] == "y" * 19_990
    assert "20000" in r.screen or "20.000" in r.screen


def test_the_identity_question_says_who_can_open_the_identity_and_when() -> None:
    r = Reporter().lapor()
    assert r.question == FieldId.IDENTITY_MODE
    assert "Hanya admin WBS yang dapat membukanya" in r.screen
    assert "alasan yang dicatat" in r.screen
    assert "tidak pernah ditunjukkan kepada petugas" not in r.screen  # no longer promised
    assert "Only a WBS admin can open it" in Reporter(lang=Lang.EN).lapor().screen
