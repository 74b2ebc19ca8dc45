"""`wbs-bot status`: is the bot healthy? For the operator, at 80 columns, or as JSON.

Reads the database read-only (storage/health.py) and judges what it finds with the bot's own
rules (overdue in working days, as the digest counts). Exit status 0 when nothing needs the
operator, 1 when something does (each such line is marked `!`), 2 when it cannot tell.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.settings import Settings
from conversations.calendar import WorkCalendar
from conversations.workflow import FINAL_STATES
from storage.backup import DataPaths, last_backup
from storage.health import HealthFacts, read_health
from storage.migrations import MIGRATIONS

OUTBOX_TOO_OLD = timedelta(minutes=10)
BACKUP_TOO_OLD = timedelta(days=2)


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    attention: bool = False


def _age(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} bytes"


def overdue(facts: HealthFacts, settings: Settings, now: datetime) -> list[str]:
    calendar = WorkCalendar(
        settings.bot.zone,
        working_days=settings.sla.count_working_days,
        extra_holidays=settings.sla.extra_holidays,
    )
    return sorted(
        ticket
        for ticket, created in facts.open_cases
        if now >= calendar.add(created, settings.sla.resolve_within)
    )


def collect(settings: Settings, now: datetime) -> dict[str, Any]:
    """Everything `status` reports, as plain values (the JSON)."""
    database = settings.storage.database
    facts = read_health(database, {state.value for state in FINAL_STATES})
    late = overdue(facts, settings, now)
    backup = last_backup(DataPaths(database, settings.security.key_file))
    oldest = facts.oldest_undelivered
    return {
        "checked_at": now.isoformat(timespec="seconds"),
        "database": {
            "path": str(database),
            "bytes": facts.database_bytes,
            "integrity": facts.integrity,
            "schema_version": facts.schema_version,
            "program_schema_version": len(MIGRATIONS),
        },
        "telegram_last_contact": None,  # not recorded by the bot yet
        "whatsapp_last_seen": (
            facts.whatsapp_last_seen.isoformat(timespec="seconds")
            if facts.whatsapp_last_seen
            else None
        ),
        "whatsapp_enabled": settings.whatsapp.enabled,
        "reports": facts.reports,
        "open_cases": len(facts.open_cases),
        "overdue_cases": late,
        "outbox": {
            "undelivered": facts.undelivered,
            "oldest_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
            "given_up": facts.given_up,
            "last_given_up": (
                facts.last_given_up.isoformat(timespec="seconds") if facts.last_given_up else None
            ),
        },
        "last_backup": backup,
    }


def lines(report: dict[str, Any], now: datetime) -> list[Line]:
    database = report["database"]
    outbox = report["outbox"]
    found = [
        Line(
            "Database",
            f"{_size(database['bytes'])}, schema {database['schema_version']}, "
            f"integrity {database['integrity']}",
            database["integrity"] != "ok",
        ),
        Line("Telegram last contact", "unknown (not recorded yet)"),
    ]
    if report["whatsapp_enabled"]:
        seen = report["whatsapp_last_seen"]
        found.append(
            Line(
                "WhatsApp webhook seen",
                f"{_age(now - datetime.fromisoformat(seen))} ago" if seen else "never",
            )
        )
    age = outbox["oldest_age_seconds"]
    waiting = f"{outbox['undelivered']} waiting"
    if age is not None:
        waiting += f", the oldest for {_age(timedelta(seconds=age))}"
    found.append(Line("Outbox", waiting, age is not None and age > OUTBOX_TOO_OLD.total_seconds()))
    given_up = f"{outbox['given_up']}"
    if outbox["last_given_up"]:
        given_up += f", the last {outbox['last_given_up'][:16].replace('T', ' ')} UTC"
    found.append(Line("Messages given up", given_up, outbox["given_up"] > 0))
    late = report["overdue_cases"]
    shown = ", ".join(late[:3]) + (f" and {len(late) - 3} more" if len(late) > 3 else "")
    found.append(
        Line(
            "Cases",
            f"{report['reports']} reports, {report['open_cases']} open, {len(late)} overdue"
            + (f": {shown}" if late else ""),
            bool(late),
        )
    )
    backup = report["last_backup"]
    if backup is None:
        found.append(Line("Last backup", "none recorded (wbs-bot backup)", True))
    else:
        taken = datetime.fromisoformat(backup["at"])
        found.append(
            Line(
                "Last backup",
                f"{_age(now - taken)} ago ({backup['at'][:16].replace('T', ' ')} UTC)",
                now - taken > BACKUP_TOO_OLD,
            )
        )
    return found


def render(found: list[Line], width: int = 80) -> str:
    """`! Label ........ value`, wrapped under the value column to `width`."""
    column = max(len(line.label) for line in found) + 4
    out = []
    for line in found:
        mark = "!" if line.attention else " "
        head = f"{mark} {line.label}".ljust(column)
        wrapped = textwrap.wrap(line.value, width - column) or [""]
        out.append(head + wrapped[0])
        out += [" " * column + rest for rest in wrapped[1:]]
    return "\n".join(out)


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)
