"""What `wbs-bot status` reads from the database: read-only, one short read transaction.

Plain facts (counts, times, sizes); judging them (overdue by working days, too old) is the
caller's. Opened read-only, so a status check can neither change nor lock out the bot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class HealthFacts:
    integrity: str  # "ok", or SQLite's first complaint
    schema_version: int
    reports: int
    open_cases: list[tuple[str, datetime]] = field(default_factory=list)  # ticket, created at
    undelivered: int = 0
    oldest_undelivered: datetime | None = None
    given_up: int = 0
    last_given_up: datetime | None = None
    whatsapp_last_seen: datetime | None = None
    database_bytes: int = 0


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _one(db: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...]:
    try:
        row = db.execute(sql, params).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return (0, None)
        raise
    return tuple(row) if row else (0, None)


def database_bytes(database: Path) -> int:
    """The database with its write-ahead log: what the disk holds for it."""
    total = 0
    for suffix in ("", "-wal"):
        with suppress(FileNotFoundError):
            total += database.with_name(database.name + suffix).stat().st_size
    return total


def read_health(database: Path, final_states: Collection[str]) -> HealthFacts:
    """The facts, in one read transaction; sqlite3.Error when the file cannot be read."""
    if not database.is_file():
        raise FileNotFoundError(f"{database}: no database there")
    uri = f"file:{database}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)) as db:
        db.execute("BEGIN")
        integrity = str(db.execute("PRAGMA integrity_check").fetchone()[0])
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        marks = ", ".join("?" for _ in final_states) or "''"
        try:
            open_rows = db.execute(
                f"SELECT ticket, created_at FROM reports WHERE state NOT IN ({marks})",
                tuple(final_states),
            ).fetchall()
        except sqlite3.OperationalError:
            open_rows = []
        reports = _one(db, "SELECT count(*) FROM reports")[0]
        undelivered, oldest = _one(
            db,
            "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL "
            "AND failed_at IS NULL",
        )
        given_up, last_given_up = _one(
            db, "SELECT count(*), max(failed_at) FROM outbox WHERE failed_at IS NOT NULL"
        )
        seen = _one(db, "SELECT max(received_at), 0 FROM whatsapp_inbox")[0]
        db.execute("COMMIT")
    return HealthFacts(
        integrity=integrity,
        schema_version=version,
        reports=int(str(reports or 0)),
        open_cases=[(str(t), datetime.fromisoformat(str(c))) for t, c in open_rows],
        undelivered=int(str(undelivered or 0)),
        oldest_undelivered=_when(oldest if isinstance(oldest, str) else None),
        given_up=int(str(given_up or 0)),
        last_given_up=_when(last_given_up if isinstance(last_given_up, str) else None),
        whatsapp_last_seen=_when(seen if isinstance(seen, str) else None),
        database_bytes=database_bytes(database),
    )
