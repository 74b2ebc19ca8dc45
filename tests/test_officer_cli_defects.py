"""`wbs-officer` as a new officer meets it: refusals that say what to do, one language a line,
tables that keep the register number whole, a case and the audit log printed for a person, and a
busy database answered in one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from officer_cli.main import app as officer_app
from tests.test_officer_cli import ADMIN, OFFICER, Seeded, audited, cli_clock, queued, seed

pytestmark = pytest.mark.storage
__all__ = ["cli_clock"]  # the CLI's clock and login name, as in test_officer_cli


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Seeded]:
    yield await seed(tmp_path)


@pytest.fixture
def indonesian(seeded: Seeded) -> Iterator[Seeded]:
    """The same register with the config's default language (Bahasa Indonesia)."""
    text = seeded.config.read_text()
    seeded.config.write_text(re.sub(r'language = "en".*\n', "", text))
    yield seeded


def run(
    seeded: Seeded, *args: str, who: str | None = OFFICER, columns: int = 80, input: str = ""
) -> Result:
    as_who = ["--as", who] if who is not None else []
    return CliRunner().invoke(
        officer_app,
        ["--config", str(seeded.config), *as_who, *args],
        env={"COLUMNS": str(columns)},
        input=input,
    )


def words_of(line: str) -> set[str]:
    return set(re.findall(r"[a-z]+", line.lower()))


# -- a final case ---------------------------------------------------------------------------


def test_a_move_from_a_final_state_says_only_an_admin_reopens_it(seeded: Seeded) -> None:
    rejected = seeded.tickets[2]
    result = run(seeded, "cases", "move", "3", "selesai", "--outcome", "terbukti", "--reason", "x")
    assert result.exit_code == 1
    line = result.output.strip()
    assert "Allowed: -" not in line and "Yang diizinkan" not in line
    assert f"{rejected} is final (Rejected)" in line
    assert "Only an admin can reopen it" in line
    assert f"/buka {rejected}" in line and f"cases move {rejected} telaah --reason" in line
    assert not audited(seeded) and not queued(seeded)


def test_reopening_a_case_that_is_not_final_says_so(seeded: Seeded) -> None:
    result = run(seeded, "cases", "reopen", "1", "salah", who=ADMIN)
    assert result.exit_code == 1 and "not final" in result.output


# -- one language a line --------------------------------------------------------------------


def test_every_line_is_in_the_officers_language(indonesian: Seeded) -> None:
    refused = run(
        indonesian, "cases", "move", "1", "selesai", "--outcome", "terbukti", "--reason", "x"
    )
    missing = run(indonesian, "cases", "note", "99", "catatan")
    admin = run(indonesian, "identity", "reveal", "1", "--reason", "x")
    done = run(indonesian, "cases", "note", "1", "cek", "absensi")
    intact = run(indonesian, "audit", "verify")
    for result, says in (
        (refused, "tidak diizinkan"),
        (missing, "kasus 99 tidak ada"),
        (admin, "hanya untuk admin"),
        (done, "antre untuk grup"),
        (intact, "utuh:"),
    ):
        line = result.output.strip()
        assert says in line, line
        assert "error:" not in line
        assert not words_of(line) & {"not", "the", "only", "queued", "entries"}, line


def test_english_officers_read_english_lines(seeded: Seeded) -> None:
    refused = run(seeded, "cases", "move", "1", "selesai", "--outcome", "terbukti", "--reason", "x")
    line = refused.output.strip()
    assert line.startswith("wbs-officer: ") and "not allowed" in line
    assert not words_of(line) & {"tidak", "berstatus", "diizinkan", "yang"}, line


# -- identity reveal in a script --------------------------------------------------------------


def test_identity_reveal_without_a_terminal_says_to_add_yes(seeded: Seeded) -> None:
    result = run(seeded, "identity", "reveal", "1", "--reason", "Pemeriksaan", who=ADMIN)
    assert result.exit_code == 2
    assert "not at a terminal" in result.output and "add --yes" in result.output
    assert not audited(seeded)


# -- reading at 80 columns --------------------------------------------------------------------


def test_cases_list_never_cuts_the_register_number(seeded: Seeded) -> None:
    for columns in (80, 60):
        result = run(seeded, "cases", "list", columns=columns)
        assert result.exit_code == 0
        for ticket in seeded.tickets:
            assert ticket in result.output, (columns, result.output)
        assert "WBS-2026-00…" not in result.output


def test_cases_show_reads_like_a_case_not_like_json(seeded: Seeded) -> None:
    result = run(seeded, "cases", "show", "2")
    assert result.exit_code == 0
    text = result.output
    assert text.startswith(f"{seeded.tickets[1]} (2 → {seeded.tickets[1]})")
    for label in ("State", "Concluded (Proven)", "Category", "Service", "SIMPEG", "Evidence",
                  "link https://drive.google.com/file/d/abc", "Reporter", "kept secret",
                  "Received", "02/11/2026 11:00 WITA", "History"):  # fmt: skip
        assert label in text, label
    assert "report received" in text and "question to the reporter: Sejak kapan?" in text
    for raw in ("{", "report_submitted", "created_at", "+08:00", '"kind"'):
        assert raw not in text, raw


def test_cases_show_json_keeps_the_interface_keys(seeded: Seeded) -> None:
    data = json.loads(run(seeded, "cases", "show", "2", "--json").output)
    keys = {"ticket", "state", "outcome", "category", "service", "anonymous", "consent", "amount",
            "evidence", "created_at", "history", "complaint", "accused_name", "accused_position",
            "incident_time", "location", "chronology"}  # fmt: skip
    assert keys <= set(data)
    assert set(data["history"][0]) >= {"at", "actor", "action"}
    assert [h["action"] for h in data["history"]][:2] == ["baru", "diambil"]


def test_audit_log_at_80_columns_is_one_block_an_entry(seeded: Seeded) -> None:
    result = run(seeded, "audit", "log", "2")
    assert result.exit_code == 0
    text = result.output
    assert "{" not in text and '"text"' not in text
    blocks = [line for line in text.splitlines() if line.startswith("#")]
    assert len(blocks) == 5  # received, taken, asked, reviewed, concluded
    assert blocks[0].startswith("#") and seeded.tickets[1] in blocks[0] and "WITA" in blocks[0]
    for code in ("baru", "diambil", "kelengkapan", "telaah", "selesai"):
        assert f"  {code} · " in text, code
    assert "outcome: Proven; text: Akun dipulihkan." in text
    assert "5001 (Budi)" in text
    for english in ("closed", "question", "review", "taken"):
        assert f"  {english} " not in text


def test_audit_log_on_a_wide_terminal_is_a_table_of_readable_details(seeded: Seeded) -> None:
    result = run(seeded, "audit", "log", columns=160)
    assert result.exit_code == 0
    assert "Details" in result.output and "Action" in result.output
    assert "kelengkapan" in result.output and "text: Sejak kapan?" in result.output
    assert "{" not in result.output
    machine = json.loads(run(seeded, "audit", "log", "--json").output)
    assert {"id", "at", "actor", "action", "ticket"} <= set(machine[0])


# -- a busy database --------------------------------------------------------------------------


@pytest.mark.slow  # waits out SQLite's busy timeout (5 s)
def test_a_locked_database_is_one_line_naming_who_holds_it(seeded: Seeded) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({str(seeded.database)!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE')\n"
            "print('holding', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        result = run(seeded, "cases", "note", "1", "cek")
        assert time.monotonic() - started < 30
    finally:
        holder.communicate("")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    assert "being written by another program" in lines[0] and "Try again" in lines[0]
    assert f"pid {holder.pid}" in lines[0]
    assert not audited(seeded)
    assert run(seeded, "cases", "note", "1", "cek").exit_code == 0  # free again: it works
