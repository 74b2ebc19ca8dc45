"""`wbs-officer purge`: what the retention rules say is due, shown first, erased on request,
audited; what is not due (or not yet warned about) stays."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from conversations.i18n import Lang
from officer_cli import context as cli_context
from storage.store import Store
from storage.vault import Vault
from tests.test_officer_cli import ADMIN, NOW, YOSEF, Seeded, audited, officer, seed

# Case 3 was rejected on 6 November 13:00 UTC, case 2 concluded on 12 November 15:00 UTC; with
# ten days' retention, on 20 November only case 3's reporter is due to be forgotten.
RETENTION = '\n[privacy]\nerase_identity_after = "P10D"\n[form]\ndraft_ttl = "P7D"\n'
OLD, RECENT = datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 11, 18, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cli_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_context, "clock", lambda: NOW)
    monkeypatch.setattr(cli_context, "getpass", SimpleNamespace(getuser=lambda: "petugas1"))


@pytest.fixture
async def seeded(tmp_path: Path) -> Seeded:
    """The CLI suite's four cases, ten days' retention, and three unsent drafts: one expired
    whose owner was warned (with a photo), one expired without a warning, one recent."""
    seeded = await seed(tmp_path)
    with seeded.config.open("a") as handle:
        handle.write(RETENTION)
    data = tmp_path / "data"
    store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
    photo = store.blobs.put(b"foto kuitansi")
    evidence = [{"kind": "photo", "blob": photo.name}]
    await store.sessions.save("telegram:7001", OLD, draft={"evidence": evidence}, lang=Lang.ID)
    await store.sessions.warn_draft(store.connection.chat_hash("telegram:7001"), OLD, RECENT, [])
    await store.sessions.save("telegram:7002", OLD, draft={"evidence": []}, lang=Lang.ID)
    await store.sessions.save("telegram:7003", RECENT, draft={"evidence": []}, lang=Lang.ID)
    await store.close()
    return seeded


def drafts_left(seeded: Seeded) -> int:
    with sqlite3.connect(seeded.database) as db:
        return int(
            db.execute("SELECT COUNT(*) FROM sessions WHERE draft IS NOT NULL").fetchone()[0]
        )


def identity_of(seeded: Seeded, ticket: str) -> tuple[dict[str, str] | None, str | None]:
    async def main() -> tuple[dict[str, str] | None, str | None]:
        data = seeded.config.parent / "data"
        store = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
        try:
            return await store.reports.identity(ticket), await store.reports.reporter_address(
                ticket
            )
        finally:
            await store.close()

    return asyncio.run(main())


def test_dry_run_shows_what_is_due_and_changes_nothing(seeded: Seeded) -> None:
    result = officer(seeded, "purge", "--dry-run")
    assert result.exit_code == 0, result.output
    rejected, concluded = seeded.tickets[2], seeded.tickets[1]
    assert rejected in result.output and "2026-11-06" in result.output
    assert concluded not in result.output  # final for 8 days only
    assert "to delete: 1" in result.output and "not been warned yet: 1" in result.output
    assert "nothing was erased" in result.output
    for secret in ("Yosef", "6281298765432", "7001", "7002"):
        assert secret not in result.output
    assert identity_of(seeded, rejected) == (YOSEF, "telegram:4444")
    assert drafts_left(seeded) == 3 and not audited(seeded)


def test_purge_asks_then_erases_and_audits(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    rejected = seeded.tickets[2]
    monkeypatch.setattr(cli_context, "interactive", lambda: True)
    declined = officer(seeded, "purge", input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert identity_of(seeded, rejected) == (YOSEF, "telegram:4444") and drafts_left(seeded) == 3

    done = officer(seeded, "purge", input="y\n")
    assert done.exit_code == 0, done.output
    assert "Erased: 1 reporter identity (with the chat link), 1 draft(s)" in done.output
    assert identity_of(seeded, rejected) == (None, None)
    assert identity_of(seeded, seeded.tickets[0])[0] is not None  # not final: kept
    assert drafts_left(seeded) == 2  # the unwarned and the recent one stay
    photos = list((seeded.config.parent / "data" / "evidence").iterdir())
    assert photos == []  # the expired draft's photo went with it
    assert [(e.actor, e.action, e.ticket) for e in audited(seeded)] == [
        ("5001", "identity_erased", rejected),
        ("5001", "pembersihan", None),
    ]
    assert audited(seeded)[-1].detail == {"identities": 1, "drafts": 1, "by": "Budi"}

    # The case stays for the record; the reporter is gone from it.
    shown = officer(seeded, "cases", "show", rejected)
    assert shown.exit_code == 0 and "Rejected" in shown.output
    revealed = officer(seeded, "identity", "reveal", rejected, "--reason", "x", "-y", who=ADMIN)
    assert revealed.exit_code == 0 and "erased" in revealed.output
    assert "Yosef" not in revealed.output
    again = officer(seeded, "purge", "--yes")
    assert again.exit_code == 0 and "Nothing is due" in again.output
    assert len(audited(seeded)) == 3  # the reveal; a purge with nothing to do writes nothing


def test_purge_in_a_script_needs_yes(seeded: Seeded) -> None:
    refused = officer(seeded, "purge")
    assert refused.exit_code == 2 and "--yes" in refused.output
    assert drafts_left(seeded) == 3 and not audited(seeded)
    done = officer(seeded, "purge", "--yes", who="Ani")
    assert done.exit_code == 0, done.output
    assert [(e.actor, e.action) for e in audited(seeded)] == [
        ("Ani", "identity_erased"),
        ("Ani", "pembersihan"),
    ]


def test_nothing_due_with_the_default_retention(tmp_path: Path) -> None:
    seeded = asyncio.run(seed(tmp_path))  # P180D: nothing has been final that long
    result = officer(seeded, "purge", "--yes")
    assert result.exit_code == 0 and "Nothing is due" in result.output
    assert not audited(seeded)
