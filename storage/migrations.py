"""Schema migrations: an ordered list of scripts; `PRAGMA user_version` says how many ran.

Append a script to change the schema; never edit one that has shipped. Columns holding
identity or report text are BLOBs sealed by the vault; their names say what they hold.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

MIGRATIONS: tuple[str, ...] = (
    # 1: drafts, reports, evidence, the outbox, the audit chain
    """
    CREATE TABLE sessions (
        chat_hash BLOB PRIMARY KEY,          -- keyed hash of "channel:chat id"
        lang TEXT,
        draft BLOB,                          -- sealed JSON of the form draft
        draft_updated_at TEXT,
        expiry_warned_at TEXT
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        ticket TEXT NOT NULL UNIQUE,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        channel TEXT NOT NULL,
        chat_hash BLOB,                      -- look-up of the reporter's chat
        chat BLOB,                           -- sealed "channel:chat id"
        identity BLOB,                       -- sealed name/phone/e-mail, NULL when anonymous
        anonymous INTEGER NOT NULL,
        category TEXT NOT NULL,
        service TEXT,
        amount INTEGER,
        consent INTEGER NOT NULL,
        content BLOB NOT NULL,               -- sealed JSON of the form's text fields
        state TEXT NOT NULL,
        outcome TEXT,
        officer TEXT,
        lang TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        first_action_at TEXT,
        closed_at TEXT,
        identity_erased_at TEXT,
        UNIQUE (year, seq)
    );
    CREATE INDEX reports_chat ON reports (chat_hash);
    CREATE INDEX reports_state ON reports (state);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        kind TEXT NOT NULL,                  -- link, photo, video, document
        data BLOB NOT NULL,                  -- sealed JSON: url or blob name, sha256, size
        added_at TEXT NOT NULL
    );
    CREATE INDEX evidence_report ON evidence (report_id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        recipient_hash BLOB NOT NULL,
        recipient BLOB NOT NULL,             -- sealed "channel:chat id"
        kind TEXT NOT NULL,
        ticket TEXT,
        payload BLOB NOT NULL,               -- sealed JSON of the message
        created_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        claimed_until TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT,
        delivered_id TEXT,                   -- the channel's message id, for replies
        failed_at TEXT,
        last_error TEXT
    );
    CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
    CREATE INDEX outbox_delivered ON outbox (recipient_hash, delivered_id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        ticket TEXT,
        detail BLOB NOT NULL,                -- sealed JSON
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_ticket ON audit (ticket);
    """,
    # 2: a reporter adding evidence to a sent report (/bukti) says which one
    """
    ALTER TABLE sessions ADD COLUMN attach_ticket TEXT;
    """,
    # 3: follow-ups sent once each; draft owners reachable for the expiry warning
    """
    CREATE TABLE followups (
        key TEXT PRIMARY KEY,                -- e.g. "WBS-2026-0007:question:42:reminder:1"
        ticket TEXT,
        kind TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
    ALTER TABLE sessions ADD COLUMN chat BLOB;     -- sealed "channel:chat id"
    ALTER TABLE reports ADD COLUMN attention TEXT; -- e.g. "no_response", until an officer acts
    """,
    # 4: WhatsApp: the webhook inbox (each message id once, processed in order per chat) and
    #    the 24-hour customer-service window per chat
    """
    CREATE TABLE whatsapp_inbox (
        id INTEGER PRIMARY KEY,
        message_hash BLOB NOT NULL UNIQUE,   -- keyed hash of the WhatsApp message id
        chat_hash BLOB NOT NULL,             -- keyed hash of "whatsapp:<wa_id>"
        message BLOB,                        -- sealed JSON of the message; NULL once processed
        received_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        done_at TEXT
    );
    CREATE INDEX whatsapp_inbox_pending ON whatsapp_inbox (chat_hash, id) WHERE done_at IS NULL;
    CREATE TABLE whatsapp_window (
        chat_hash BLOB PRIMARY KEY,
        last_inbound_at TEXT,                -- the reporter's last message: free-form for 24 h
        template_sent_at TEXT                -- the follow-up template, sent once per wait
    );
    """,
    # 5: a reply's claim reads only its chat's undelivered messages, not the chat's whole
    #    history (outbox_delivered made it walk every message ever sent to the chat)
    """
    CREATE INDEX outbox_pending_by_recipient ON outbox (recipient_hash, id)
        WHERE sent_at IS NULL AND failed_at IS NULL;
    """,
    # 6: what a reporter sent without naming a case while several wait for an answer, kept
    #    (sealed) until they choose the case
    """
    ALTER TABLE sessions ADD COLUMN held BLOB;
    """,
    # 7: a check value of the key (a keyed hash of a fixed text), written on first open: a
    #    wrong key is named before anything is opened with it
    """
    CREATE TABLE key_check (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value BLOB NOT NULL
    );
    """,
)


def _statements(script: str) -> list[str]:
    """Split a script at the `;` that end statements (not those in strings or trigger bodies)."""
    statements: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip().rstrip(";").strip():
                statements.append(pending)
            pending = ""
    return statements


class SchemaTooNew(RuntimeError):
    """The database was written by a newer program; this one must not touch it."""


def too_new(version: int) -> str:
    return (
        f"the database is newer (schema {version}) than this program (which knows up to "
        f"schema {len(MIGRATIONS)}): upgrade wbs-bot, do not run an older version on it"
    )


async def _version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    if version > len(MIGRATIONS):
        raise SchemaTooNew(too_new(version))
    return version


def schema_version(database: Path) -> int | None:
    """The schema version of an existing database file (read-only), None if there is none."""
    if not database.is_file():
        return None
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def schema_problem(database: Path) -> str | None:
    """Why this program must not open `database` (made by a newer one); None when it may."""
    try:
        version = schema_version(database)
    except sqlite3.Error:
        return None  # named by whatever opens it next
    if version is not None and version > len(MIGRATIONS):
        return f"storage.database: {database}: {too_new(version)}."
    return None


def backup_before_migrating(database: Path) -> Path | None:
    """Before an older schema is upgraded, a copy beside it (`<name>.schema-N-<time>.bak`,
    0600, by SQLite's online backup): an upgrade that goes wrong loses no report."""
    try:
        version = schema_version(database)
    except sqlite3.Error:
        return None
    if not version or version >= len(MIGRATIONS):
        return None  # new, current, or too new (refused when opened)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1, 100):
        suffix = "" if attempt == 1 else f"-{attempt}"  # two starts within one second
        target = database.with_name(f"{database.name}.schema-{version}-{stamp}{suffix}.bak")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"{target}: too many copies made this second")
    with (
        closing(sqlite3.connect(database, timeout=30)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    return target


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema up to date; returns the version reached.

    The version is read again inside the write lock: when the bot and the officer CLI start at
    the same moment, the second waits for the first and then finds nothing left to do (rather
    than running a script twice). `executescript` would commit that lock away, so the statements
    run one by one.
    """
    while await _version(db) < len(MIGRATIONS):
        await db.execute("BEGIN IMMEDIATE")
        try:
            version = await _version(db)
            if version < len(MIGRATIONS):
                for statement in _statements(MIGRATIONS[version]):
                    await db.execute(statement)
                await db.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")
    return len(MIGRATIONS)
