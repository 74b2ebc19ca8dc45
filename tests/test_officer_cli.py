"""`wbs-officer` against a real database seeded through the real services: every command of the
spec, its exit codes, its audit entries, the messages it queues, and the register export read
back cell by cell. The reporter's identity appears only where `identity reveal` prints it."""

from __future__ import annotations

import asyncio
import csv
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from conversations.cases import Actor, CaseService
from conversations.i18n import Lang
from conversations.ports import NewReport
from conversations.statistics import compute
from conversations.workflow import Outcome
from officer_cli import context as cli_context
from officer_cli import main as cli_main
from officer_cli.main import app as officer_app
from storage.audit import AuditEntry
from storage.outbox import QueuedMessage
from storage.store import Store
from storage.vault import Vault

ZONE = ZoneInfo("Asia/Makassar")
GROUP = "telegram:-1001"
OFFICER, ADMIN = "5001", "5002"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # the CLI's clock in these tests
FAR = datetime(2100, 1, 1, tzinfo=UTC)
MARIA = {"name": "Maria Kolo", "phone": "+6281234567890", "email": "maria.kolo@example.com"}
YOSEF = {"name": "Yosef Nope", "phone": "+6281298765432", "email": "yosef@example.org"}
SECRETS = (
    "Maria",
    "Kolo",
    "6281234567890",
    "maria.kolo",
    "Yosef",
    "6281298765432",
    "4242",
    "4444",
)
CONFIG = """
[bot]
language = "en"  # the officers' language: these tests read the CLI in English
[telegram]
officer_chat_id = -1001
officer_user_ids = [5001, 5002]
admin_user_ids = [5002]
[storage]
database = "data/wbs.sqlite3"
[security]
key_file = "data/wbs.key"
"""


@dataclass
class Seeded:
    config: Path
    tickets: list[str]
    outbox_mark: int  # the last outbox id the seeding queued
    audit_mark: int

    @property
    def database(self) -> Path:
        return self.config.parent / "data" / "wbs.sqlite3"


def new_report(
    address: str,
    identity: dict[str, str] | None,
    category: str,
    service: str | None = None,
    **content: str,
) -> NewReport:
    return NewReport(
        channel="telegram",
        address=address,
        lang=Lang.ID,
        identity=identity,
        category=category,
        service=service,
        amount=5_000_000 if service is None else None,
        consent=True,
        content={"chronology": "Kronologi " + "x" * 40, **content},
        evidence=[{"kind": "link", "url": "https://drive.google.com/file/d/abc"}],
    )


async def seed(base: Path) -> Seeded:
    """Four reports across the month's edges, handled through the real case service.

    1: identified, 2026-11-01 01:00 WITA (still October in UTC), untouched.
    2: anonymous SIMPEG complaint of 2 November: taken a day later, asked, reviewed, concluded
       (terbukti) ten and a half days after it came in.
    3: identified fraud of 5 November, rejected a day and a half later.
    4: anonymous, 1 December 00:30 WITA (still November in UTC).
    """
    data = base / "data"
    store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
    clock = [datetime(2026, 10, 31, 17, 0, tzinfo=UTC)]
    cases = CaseService(
        store, officer_address=GROUP, zone=ZONE, lang=Lang.ID, clock=lambda: clock[0]
    )
    budi = Actor(OFFICER, "Budi", officer=True)
    tickets = []

    async def submit(report: NewReport, at: datetime) -> str:
        clock[0] = at
        ticket, _ = await store.reports.submit(report, at, 2026, lambda ticket: [])
        tickets.append(ticket)
        return ticket

    await submit(
        new_report(
            "telegram:4242",
            MARIA,
            "Pelanggaran Kode Etik",
            accused_name="Yohanes Benu",
            location="Kupang",
        ),
        datetime(2026, 10, 31, 17, 0, tzinfo=UTC),
    )
    second = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    ticket = await submit(
        new_report(
            "telegram:4343", None, "Pengaduan Layanan", "SIMPEG", complaint="Akun terkunci."
        ),
        second,
    )
    for offset, action in (
        (timedelta(days=1), cases.take(budi, ticket)),
        (timedelta(days=2), cases.ask(budi, ticket, "Sejak kapan?")),
        (timedelta(days=3), cases.review(budi, ticket)),
        (
            timedelta(days=10, hours=12),
            cases.close(budi, ticket, Outcome.PROVEN, "Akun dipulihkan."),
        ),
    ):
        clock[0] = second + offset
        await action
    third = datetime(2026, 11, 5, 1, 0, tzinfo=UTC)
    ticket = await submit(new_report("telegram:4444", YOSEF, "Penipuan"), third)
    clock[0] = third + timedelta(hours=36)
    await cases.reject(budi, ticket, "Bukan kewenangan BKD.")
    await submit(
        new_report("telegram:4545", None, "Pelanggaran Hukum"),
        datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
    )
    await store.close()
    config = base / "config.toml"
    config.write_text(CONFIG)
    with sqlite3.connect(data / "wbs.sqlite3") as db:
        outbox = db.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()[0]
        audit = db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0]
    return Seeded(config, tickets, outbox, audit)


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Seeded]:
    yield await seed(tmp_path)


@pytest.fixture(autouse=True)
def cli_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(cli_context, "clock", lambda: NOW)
    monkeypatch.setattr(cli_context, "getpass", SimpleNamespace(getuser=lambda: "petugas1"))
    yield


def officer(
    seeded: Seeded | Path, *args: str, who: str | None = OFFICER, input: str | None = None
) -> Result:
    config = seeded.config if isinstance(seeded, Seeded) else seeded
    as_who = ["--as", who] if who is not None else []
    return CliRunner().invoke(officer_app, ["--config", str(config), *as_who, *args], input=input)


def with_store(seeded: Seeded, work):  # type: ignore[no-untyped-def]
    async def main():  # type: ignore[no-untyped-def]
        data = seeded.config.parent / "data"
        store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(main())


def queued(seeded: Seeded) -> list[QueuedMessage]:
    """What the CLI queued (not the seeding), in order."""

    async def work(store: Store) -> list[QueuedMessage]:
        found = await store.outbox.claim_due(FAR, lease_seconds=0, limit=10_000)
        return [m for m in found if m.id > seeded.outbox_mark]

    result: list[QueuedMessage] = with_store(seeded, work)
    return result


def audited(seeded: Seeded) -> list[AuditEntry]:
    """The audit entries the CLI wrote (not the seeding)."""

    async def work(store: Store) -> list[AuditEntry]:
        return [e for e in await store.audit.entries() if e.id > seeded.audit_mark]

    result: list[AuditEntry] = with_store(seeded, work)
    return result


def state_of(seeded: Seeded, number: int) -> str:
    code = officer(seeded, "cases", "show", str(number), "--json")
    assert code.exit_code == 0, code.output
    state: str = json.loads(code.output)["state"]
    return state


# -- help and usage -------------------------------------------------------------------------

COMMANDS = [
    [],
    ["cases"],
    ["cases", "list"],
    ["cases", "show"],
    ["cases", "ask"],
    ["cases", "note"],
    ["cases", "assign"],
    ["cases", "move"],
    ["export"],
    ["stats"],
    ["identity"],
    ["identity", "reveal"],
    ["audit"],
    ["audit", "verify"],
    ["audit", "log"],
    ["purge"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "wbs-officer")
def test_help_works_for_every_command_without_a_config(command: list[str]) -> None:
    result = CliRunner().invoke(officer_app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: wbs-officer" in result.output
    text = " ".join(result.output.split())
    assert len(text) > 120  # says what it does, not just the usage line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["cases", "move", "1", "nowhere", "--reason", "x"], "'nowhere' is not one of"),
        (["cases", "ask", "1"], "Missing argument"),
        (["cases", "ask", "1", "   "], "the question is empty"),
        (["cases", "move", "1", "selesai", "--reason", "x"], "needs --outcome"),
        (["cases", "move", "1", "telaah", "--reason", "x", "--outcome", "terbukti"], "--outcome"),
        (["cases", "move", "1", "telaah"], "Missing option '--reason'"),
        (["cases", "show", "abc"], "not a case number"),
        (["cases", "list", "--state", "lost"], "'lost' is not one of"),
        (["cases", "frobnicate"], "No such command"),
        (["export", "--output", "register.pdf"], "use csv or xlsx"),
        (["export", "--output", "r.csv", "--from", "2026-02-30"], "--from '2026-02-30'"),
        (["export", "--output", "r.csv", "--from", "2026-11-30", "--to", "2026-11-01"], "after"),
        (["export", "--output", "r.csv", "--month", "2026-11", "--to", "2026-11-02"], "not both"),
        (["export", "--output", "no/such/folder/r.csv"], "no folder"),
        (["stats", "--month", "2026-13"], "--month '2026-13'"),
        (["identity", "reveal", "1"], "Missing option '--reason'"),
        (["--as", "pelapor", "cases", "note", "1", "hi"], "reserved"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(seeded: Seeded, args: list[str], says: str) -> None:
    result = CliRunner().invoke(officer_app, ["--config", str(seeded.config), *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert says in lines[0]
    assert "Traceback" not in result.output
    assert not audited(seeded) and not queued(seeded)


def test_config_problems_exit_2_and_create_nothing(tmp_path: Path) -> None:
    missing = CliRunner().invoke(officer_app, ["cases", "list"])
    assert missing.exit_code == 2 and "--config" in missing.output
    nothing = CliRunner().invoke(officer_app, ["--config", str(tmp_path / "x.toml"), "stats"])
    assert nothing.exit_code == 2 and "no such file" in nothing.output
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    empty = CliRunner().invoke(officer_app, ["--config", str(config), "cases", "list"])
    assert empty.exit_code == 2 and "no database" in empty.output
    assert not (tmp_path / "data").exists()  # a wrong --config starts no new register
    config.write_text("[telegram]\nofficer_chat_id = 'x'\n[nope]\n")
    bad = CliRunner().invoke(officer_app, ["--config", str(config), "cases", "list"])
    assert bad.exit_code == 2
    assert "telegram.officer_chat_id" in bad.output and "nope" in bad.output


@pytest.mark.parametrize(
    "args",
    [
        ["cases", "show", "99"],
        ["cases", "ask", "99", "Kapan?"],
        ["cases", "note", "WBS-2026-0099", "catatan"],
        ["cases", "assign", "99", "Ani"],
        ["cases", "move", "99", "telaah", "--reason", "x"],
        ["audit", "log", "99"],
    ],
)
def test_a_missing_case_exits_1_naming_it(seeded: Seeded, args: list[str]) -> None:
    result = officer(seeded, *args)
    assert result.exit_code == 1, result.output
    assert f"no case {args[2]}" in result.output
    assert not audited(seeded) and not queued(seeded)


def test_a_missing_case_for_identity_reveal(seeded: Seeded) -> None:
    result = officer(seeded, "identity", "reveal", "99", "--reason", "x", who=ADMIN)
    assert result.exit_code == 1 and "no case 99" in result.output


# -- acting on cases ------------------------------------------------------------------------


def test_ask_queues_the_question_for_the_reporter_and_tells_the_group(seeded: Seeded) -> None:
    ticket = seeded.tickets[0]
    result = officer(seeded, "cases", "ask", "1", "Kapan", "tepatnya", "uang", "diminta?")
    assert result.exit_code == 0, result.output
    assert ticket in result.output and "queued for the reporter and the group" in result.output
    assert "1 → WBS-2026-0001" in result.output  # a bare number: this year's case, said so
    assert state_of(seeded, 1) == "kelengkapan"

    to_reporter, to_group = queued(seeded)
    assert to_reporter.address == "telegram:4242" and to_reporter.kind == "to_reporter"
    assert ticket in to_reporter.payload["text"]
    assert "Kapan tepatnya uang diminta?" in to_reporter.payload["text"]
    assert to_group.address == GROUP and ticket in to_group.payload["text"]
    assert "Budi" in to_group.payload["text"]  # 5001's name, as the group knows them
    (entry,) = audited(seeded)
    assert (entry.actor, entry.action, entry.ticket) == (OFFICER, "kelengkapan", ticket)
    assert entry.detail == {"text": "Kapan tepatnya uang diminta?", "by": "Budi"}
    assert entry.at == NOW


def test_note_reaches_the_group_only_and_is_escaped(seeded: Seeded) -> None:
    result = officer(seeded, "cases", "note", "1", "<b>cek</b> [red]absensi[/red]", who="Ani")
    assert result.exit_code == 0, result.output
    assert "queued for the group" in result.output and "reporter" not in result.output
    (message,) = queued(seeded)
    assert message.address == GROUP
    assert "&lt;b&gt;cek&lt;/b&gt; [red]absensi[/red]" in message.payload["text"]
    assert "Ani" in message.payload["text"]
    (entry,) = audited(seeded)
    assert (entry.actor, entry.action) == ("Ani", "catatan")
    assert state_of(seeded, 1) == "baru"  # a note moves nothing


def test_assign_names_another_officer(seeded: Seeded) -> None:
    ticket = seeded.tickets[0]
    result = officer(seeded, "cases", "assign", ticket, "Ani", "Lestari")
    assert result.exit_code == 0, result.output
    shown = json.loads(officer(seeded, "cases", "show", "1", "--json").output)
    assert shown["officer"] == "Ani Lestari" and shown["state"] == "baru"
    (message,) = queued(seeded)
    assert message.address == GROUP
    assert "assigned to Ani Lestari by Budi" in message.payload["text"]
    (entry,) = audited(seeded)
    assert (entry.actor, entry.action) == (OFFICER, "ditugaskan")
    assert entry.detail["officer"] == "Ani Lestari"


def test_moves_follow_the_one_transition_table(seeded: Seeded) -> None:
    refused = officer(
        seeded, "cases", "move", "1", "selesai", "--outcome", "terbukti", "--reason", "x"
    )
    assert refused.exit_code == 1
    assert "not allowed" in refused.output and "Waiting for more information" in refused.output
    assert "<b>" not in refused.output  # the group's HTML, made plain for a terminal
    assert not audited(seeded) and not queued(seeded)

    steps = [
        ("telaah", [], "Under review", [GROUP]),
        ("klarifikasi", [], "Clarification", [GROUP]),  # a record of the call: invites no one
        ("selesai", ["--outcome", "tidak_terbukti"], "Concluded", ["telegram:4242", GROUP]),
    ]
    for state, extra, label, addresses in steps:
        before = len(queued(seeded))
        result = officer(seeded, "cases", "move", "1", state, *extra, "--reason", f"alasan {state}")
        assert result.exit_code == 0, result.output
        assert f"moved to {label}" in result.output
        assert state_of(seeded, 1) == state
        assert [m.address for m in queued(seeded)[before:]] == addresses
    actions = [(e.actor, e.action, e.detail.get("text")) for e in audited(seeded)]
    assert actions == [
        (OFFICER, "telaah", "alasan telaah"),
        (OFFICER, "klarifikasi", "alasan klarifikasi"),
        (OFFICER, "selesai", "alasan selesai"),
    ]
    closing = queued(seeded)[-2]
    assert (
        "Tidak terbukti" in closing.payload["text"] and "alasan selesai" in closing.payload["text"]
    )


def test_reopening_a_final_case_is_for_admins(seeded: Seeded) -> None:
    rejected = seeded.tickets[2]
    refused = officer(seeded, "cases", "move", rejected, "telaah", "--reason", "salah tolak")
    assert refused.exit_code == 1 and "admin" in refused.output
    named = officer(seeded, "cases", "move", "3", "telaah", "--reason", "x", who="Kepala")
    assert named.exit_code == 1 and "admin" in named.output  # a name is never an admin
    assert state_of(seeded, 3) == "ditolak"
    reopened = officer(seeded, "cases", "move", "3", "telaah", "--reason", "bukti baru", who=ADMIN)
    assert reopened.exit_code == 0, reopened.output
    assert state_of(seeded, 3) == "telaah"
    (entry,) = audited(seeded)
    assert (entry.actor, entry.action, entry.detail["text"]) == (
        ADMIN,
        "dibuka_kembali",
        "bukti baru",
    )


def test_who_acts(seeded: Seeded) -> None:
    stranger = officer(seeded, "cases", "note", "1", "hi", who="6001")
    assert stranger.exit_code == 1 and "officer_user_ids" in stranger.output
    default = officer(seeded, "cases", "note", "1", "dari terminal", who=None)
    assert default.exit_code == 0, default.output
    assert [(e.actor, e.detail["by"]) for e in audited(seeded)] == [("petugas1", "petugas1")]
    (message,) = queued(seeded)
    assert "petugas1" in message.payload["text"]


def test_writes_need_the_officers_group(seeded: Seeded) -> None:
    seeded.config.write_text(CONFIG.replace("officer_chat_id = -1001", ""))
    result = officer(seeded, "cases", "note", "1", "hi")
    assert result.exit_code == 2 and "officer_chat_id" in result.output
    assert officer(seeded, "cases", "list").exit_code == 0  # reading needs no group
    assert not audited(seeded)


def test_the_audit_chain_stays_intact_after_cli_actions(seeded: Seeded) -> None:
    for args in (
        ["cases", "ask", "1", "Siapa saksinya?"],
        ["cases", "note", "1", "cek"],
        ["cases", "assign", "1", "Ani"],
        ["cases", "move", "4", "ditolak", "--reason", "Bukan WBS"],
        ["export", "--output", str(seeded.config.parent / "r.csv")],
    ):
        assert officer(seeded, *args).exit_code == 0
    verified = officer(seeded, "audit", "verify")
    assert verified.exit_code == 0 and f"intact: {seeded.audit_mark + 5} entries" in verified.output
    log = json.loads(officer(seeded, "audit", "log", "1", "--json").output)
    assert [e["action"] for e in log][-3:] == ["kelengkapan", "catatan", "ditugaskan"]


# -- never the identity ---------------------------------------------------------------------


def test_no_command_but_identity_reveal_shows_the_identity(seeded: Seeded, tmp_path: Path) -> None:
    outputs = [
        officer(seeded, *args).output
        for args in (
            ["cases", "list"],
            ["cases", "list", "--json"],
            ["cases", "show", "1"],
            ["cases", "show", "1", "--json"],
            ["cases", "show", "3", "--json"],
            ["cases", "ask", "1", "Kapan?"],
            ["audit", "log"],
            ["audit", "log", "--json"],
            ["stats"],
            ["stats", "--json"],
            ["export", "-o", str(tmp_path / "r.csv")],
            ["export", "-o", str(tmp_path / "r.xlsx")],
        )
    ]
    files = (tmp_path / "r.csv").read_bytes() + (tmp_path / "r.xlsx").read_bytes()
    workbook = load_workbook(tmp_path / "r.xlsx")
    cells = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    for secret in SECRETS:
        for output in outputs:
            assert secret not in output, (secret, output)
        assert secret.encode() not in files and secret not in cells
    # Nor the report's text or evidence in the register.
    for text in ("Kronologi", "Yohanes", "Akun terkunci", "drive.google.com"):
        assert text not in cells and text.encode() not in files


def test_identity_reveal_is_for_admins_prints_here_and_is_audited(seeded: Seeded) -> None:
    ticket = seeded.tickets[0]
    refused = officer(seeded, "identity", "reveal", "1", "--reason", "ingin tahu")
    assert refused.exit_code == 1 and "admin only" in refused.output
    assert "Maria" not in refused.output and not audited(seeded)

    unasked = officer(seeded, "identity", "reveal", ticket, "--reason", "x", who=ADMIN)
    assert unasked.exit_code == 2 and "--yes" in unasked.output  # not at a terminal: not asked
    assert "Maria" not in unasked.output and not audited(seeded)

    result = officer(
        seeded,
        "identity",
        "reveal",
        ticket,
        "--reason",
        "Pemeriksaan Inspektorat",
        "--yes",
        who=ADMIN,
    )
    assert result.exit_code == 0, result.output
    for value in MARIA.values():
        assert value in result.output
    (entry,) = audited(seeded)
    assert (entry.actor, entry.action, entry.ticket) == (ADMIN, "identitas_dibuka", ticket)
    assert entry.detail["reason"] == "Pemeriksaan Inspektorat" and entry.detail["via"] == "cli"
    # The group learns that it happened; the identity is queued nowhere.
    (notice,) = queued(seeded)
    assert notice.address == GROUP and "identity was opened" in notice.payload["text"]
    for value in (*MARIA.values(), "Maria"):
        assert value not in json.dumps(notice.payload)

    anonymous = officer(seeded, "identity", "reveal", "2", "--reason", "cek", "--yes", who=ADMIN)
    assert anonymous.exit_code == 0 and "anonymously" in anonymous.output
    assert [e.action for e in audited(seeded)] == ["identitas_dibuka"] * 2


def test_identity_reveal_asks_first_at_a_terminal(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_context, "interactive", lambda: True)
    args = ["identity", "reveal", "1", "--reason", "Pemeriksaan"]
    declined = officer(seeded, *args, who=ADMIN, input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert "audit log" in declined.output  # the question says it will be audited
    assert "Maria" not in declined.output and not audited(seeded) and not queued(seeded)

    accepted = officer(seeded, *args, who=ADMIN, input="y\n")
    assert accepted.exit_code == 0 and "Maria Kolo" in accepted.output
    scripted = officer(seeded, *args, "--yes", who=ADMIN, input="")
    assert scripted.exit_code == 0 and "Maria Kolo" in scripted.output
    assert len(audited(seeded)) == 2


# -- export ---------------------------------------------------------------------------------

HEADER = [
    "Nomor Registrasi",
    "Tanggal Diterima",
    "Kategori",
    "Jenis Layanan",
    "Status",
    "Hasil",
    "Tanggal Selesai",
    "Hari s.d. Tindakan Pertama",
    "Hari s.d. Selesai",
    "Petugas",
    "Anonim",
]


def test_export_xlsx_is_the_register_cell_by_cell(seeded: Seeded, tmp_path: Path) -> None:
    output = tmp_path / "register-2026-11.xlsx"
    result = officer(
        seeded,
        "export",
        "--format",
        "xlsx",
        "--output",
        str(output),
        "--month",
        "2026-11",
        who="Ani",
    )
    assert result.exit_code == 0, result.output
    assert "3 case(s)" in result.output

    workbook = load_workbook(output)
    assert workbook.sheetnames == ["Register WBS", "Rekap"]
    sheet = workbook["Register WBS"]
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJK"}
    assert all(width >= 9 for width in widths.values()) and widths["C"] >= 30
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    t1, t2, t3, _ = seeded.tickets
    assert rows == [
        # 00:00 UTC on 31 October is 1 November in Kupang: the register goes by WITA.
        [t1, datetime(2026, 11, 1, 1, 0), "Pelanggaran Kode Etik", None, "Diterima",
         None, None, None, None, None, "Tidak"],
        [t2, datetime(2026, 11, 2, 11, 0), "Pengaduan Layanan", "SIMPEG", "Selesai",
         "Terbukti", datetime(2026, 11, 12, 23, 0), 1, 10.5, "Budi", "Ya"],
        [t3, datetime(2026, 11, 5, 9, 0), "Penipuan", None, "Ditolak",
         None, datetime(2026, 11, 6, 21, 0), 1.5, 1.5, None, "Tidak"],
    ]  # fmt: skip
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["I3"].number_format == "0.0"
    assert sheet.max_row == 4 and sheet.max_column == 11

    summary = workbook["Rekap"]
    assert [c.value for c in summary[1]] == ["Uraian", "Jumlah"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True) if row[0]}
    assert values["Periode"] == "2026-11-01 s.d. 2026-11-30"
    assert values["Total laporan"] == 3 and values["Masih diproses"] == 1
    assert values["Pelanggaran Kode Etik"] == 1 and values["Penipuan"] == 1
    assert values["Pelanggaran Hukum"] == 0  # report 4 is December in WITA
    assert values["SIMPEG"] == 1 and values["SIPORA"] == 0
    assert values["Diterima"] == 1 and values["Selesai"] == 1 and values["Ditolak"] == 1
    assert values["Terbukti"] == 1 and values["Tidak terbukti"] == 0
    assert values["Hari s.d. tindakan pertama"] == 1.2  # median of 1.0 and 1.5
    assert values["Hari s.d. selesai"] == 6  # median of 10.5 and 1.5
    assert summary.column_dimensions["A"].width >= 30

    (entry,) = audited(seeded)
    assert (entry.actor, entry.action, entry.ticket) == ("Ani", "ekspor", None)
    assert entry.detail == {
        "format": "xlsx",
        "from": "2026-11-01",
        "to": "2026-11-30",
        "rows": 3,
        "by": "Ani",
    }
    assert not queued(seeded)  # an export tells no one


def test_export_csv_with_a_date_range(seeded: Seeded, tmp_path: Path) -> None:
    output = tmp_path / "register.csv"
    output.write_text("old")
    result = officer(
        seeded, "export", "-o", str(output), "--from", "2026-11-02", "--to", "2026-12-01"
    )
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    t2, t3, t4 = seeded.tickets[1:]
    assert rows == [
        HEADER,
        [t2, "2026-11-02 11:00", "Pengaduan Layanan", "SIMPEG", "Selesai", "Terbukti",
         "2026-11-12 23:00", "1.0", "10.5", "Budi", "Ya"],
        [t3, "2026-11-05 09:00", "Penipuan", "", "Ditolak", "", "2026-11-06 21:00", "1.5",
         "1.5", "", "Tidak"],
        [t4, "2026-12-01 00:30", "Pelanggaran Hukum", "", "Diterima", "", "", "", "", "",
         "Ya"],
    ]  # fmt: skip
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    (entry,) = audited(seeded)
    assert entry.detail["format"] == "csv" and entry.detail["rows"] == 3
    assert (entry.detail["from"], entry.detail["to"]) == ("2026-11-02", "2026-12-01")
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_export_guards_against_formulas_in_cells(seeded: Seeded, tmp_path: Path) -> None:
    assert officer(seeded, "cases", "assign", "1", '=HYPERLINK("http://x")').exit_code == 0
    officer(seeded, "export", "-o", str(tmp_path / "r.xlsx"))
    officer(seeded, "export", "-o", str(tmp_path / "r.csv"))
    cell = load_workbook(tmp_path / "r.xlsx")["Register WBS"]["J2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert "'=HYPERLINK" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_a_failed_export_is_not_audited_and_leaves_no_file(
    seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli_main.register, "write_xlsx", broken)
    result = officer(seeded, "export", "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1 and "No space left" in result.output
    assert list(tmp_path.iterdir()) == [] or not list(tmp_path.glob("r.xlsx*"))
    assert not list(tmp_path.glob(".r.xlsx*")) and not audited(seeded)


# -- statistics -----------------------------------------------------------------------------


def test_stats_are_the_numbers_behind_statistik(seeded: Seeded) -> None:
    result = officer(seeded, "stats", "--month", "2026-11", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)

    async def expected(store: Store) -> dict[str, object]:
        records = await store.reports.all()
        return compute(records, month="2026-11", zone=ZONE, services=_services()).to_dict()

    assert data == with_store(seeded, expected)
    assert data["total"] == 3 and data["by_state"]["selesai"] == 1
    assert data["median_days_to_close"] == 6.0

    every = json.loads(officer(seeded, "stats", "--json").output)
    assert every["month"] is None and every["total"] == 4

    table = officer(seeded, "stats", "--month", "11/2026")
    assert table.exit_code == 0
    for label in (
        "November 2026",
        "Pengaduan Layanan",
        "SIMPEG",
        "Waiting for more information",
        "Proven",
    ):
        assert label in table.output


def _services() -> list[str]:
    from bot.settings import DEFAULT_SERVICES

    return list(DEFAULT_SERVICES)


def test_reading_commands_print_tables(seeded: Seeded) -> None:
    listing = officer(seeded, "cases", "list")
    assert listing.exit_code == 0
    for ticket in seeded.tickets:
        assert ticket in listing.output
    shown = officer(seeded, "cases", "show", "2")
    assert shown.exit_code == 0 and "SIMPEG" in shown.output and "Concluded" in shown.output
    log = officer(seeded, "audit", "log", "2")
    assert log.exit_code == 0 and "kelengkapan" in log.output


def test_month_bounds() -> None:
    assert cli_main.month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert cli_main.month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
