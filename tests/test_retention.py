"""Retention on the scheduler's scan: stale drafts are warned once, then deleted with their files;
a final case's reporter identity and chat link are erased after the retention period."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conversations.calendar import WorkCalendar
from conversations.cases import Actor, CaseService
from conversations.followup_service import FollowupService
from conversations.followups import Rules
from conversations.i18n import Lang
from conversations.ports import NewReport
from conversations.workflow import Outcome
from storage.store import Store
from storage.vault import Vault

WITA = ZoneInfo("Asia/Makassar")
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
OFFICER = Actor("5001", "Budi", officer=True)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    data = tmp_path / "data"
    opened = await Store.open(data / "wbs.sqlite3", Vault.open_or_create(data / "wbs.key"))
    yield opened
    await opened.close()


def service(store: Store, clock: Clock) -> FollowupService:
    rules = Rules(
        evidence_reminder_after=timedelta(days=1),
        reminder_interval=timedelta(days=2),
        max_reminders=2,
        response_deadline=timedelta(days=30),
        acknowledge_within=timedelta(days=3),
        resolve_within=timedelta(days=60),
        digest_time=time(23, 59),
        erase_identity_after=timedelta(days=180),
    )
    return FollowupService(
        store,
        rules=rules,
        calendar=WorkCalendar(WITA),
        draft_ttl=timedelta(days=7),
        officer_address="telegram:-100",
        lang=Lang.ID,
        clock=clock,
    )


async def test_a_stale_draft_is_warned_a_day_before_then_deleted_with_its_files(
    store: Store,
) -> None:
    clock = Clock()
    blob = store.blobs.put(b"foto bukti")
    draft = {
        "answers": {"identity_mode": "anonymous"},
        "evidence": [{"kind": "photo", "blob": blob.name}],
    }
    await store.sessions.save("telegram:4242", START, draft=draft)
    followups = service(store, clock)

    clock.now = START + timedelta(days=5, hours=23)
    assert await followups.scan() == []
    clock.now = START + timedelta(days=6)
    assert await followups.scan() == ["telegram:4242"]
    assert await followups.scan() == []  # warned once
    assert (await store.sessions.get("telegram:4242")).draft is not None

    clock.now = START + timedelta(days=7)
    await followups.scan()
    assert (await store.sessions.get("telegram:4242")).draft is None
    assert not (store.blobs.folder / blob.name).exists()


async def test_touching_the_draft_restarts_its_clock(store: Store) -> None:
    clock = Clock()
    followups = service(store, clock)
    await store.sessions.save("telegram:4242", START, draft={"answers": {}})
    clock.now = START + timedelta(days=6)
    await followups.scan()
    await store.sessions.save(
        "telegram:4242", clock.now, draft={"answers": {"category": "Penipuan"}}
    )
    clock.now = START + timedelta(days=8)
    await followups.scan()
    assert (await store.sessions.get("telegram:4242")).draft == {
        "answers": {"category": "Penipuan"}
    }


async def test_the_identity_of_a_final_case_is_erased_after_the_retention_period(
    store: Store, tmp_path: Path
) -> None:
    clock = Clock()
    report = NewReport(
        channel="telegram",
        address="telegram:987654321",
        lang=Lang.ID,
        identity={"name": "Yohana Testname", "phone": "+6281234567890", "email": None},
        category="Penipuan",
        service=None,
        amount=None,
        consent=True,
        content={"chronology": "x" * 40},
        evidence=[],
    )
    ticket, _ = await store.reports.submit(report, START, 2026, lambda ticket: [])
    cases = CaseService(
        store, officer_address="telegram:-100", zone=WITA, lang=Lang.ID, clock=clock
    )
    await cases.review(OFFICER, ticket)
    await cases.close(OFFICER, ticket, Outcome.PROVEN, "Terbukti.")
    followups = service(store, clock)

    clock.now = START + timedelta(days=179)
    await followups.scan()
    assert await store.reports.identity(ticket) is not None

    clock.now = START + timedelta(days=181)
    await followups.scan()
    assert await store.reports.identity(ticket) is None
    assert await store.reports.reporter_address(ticket) is None
    assert await store.reports.of_chat("telegram:987654321") == []
    record = await store.reports.get(ticket)
    assert record is not None and record.state == "selesai"  # the case stays for the record
    assert [e.action for e in await store.audit.history(ticket)][-1] == "identity_erased"


async def test_a_delivered_message_keeps_no_text_but_replies_still_find_their_case(
    store: Store, tmp_path: Path
) -> None:
    from conversations.ports import Outgoing

    summary = Outgoing(
        "telegram:4242", {"text": "Nama Pelapor: Maria Kolo"}, "to_reporter", "WBS-2026-0001"
    )
    await store.outbox.enqueue([summary], START)
    (claimed,) = await store.outbox.claim_due(START)
    await store.outbox.mark_sent_many([(claimed.id, "55")], START)
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "wbs.sqlite3") as db:
        recipient, payload = db.execute("SELECT recipient, payload FROM outbox").fetchone()
    assert recipient == b"" and payload == b""
    assert await store.outbox.ticket_of_delivered("telegram:4242", "55") == "WBS-2026-0001"
