"""The officer CLI's JSON shapes (fixed in the spec's interfaces); never the reporter's identity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from conversations.audit_actions import action_code
from conversations.ports import AuditEntry, ReportRecord

EVIDENCE_KEYS = (
    "kind",
    "url",
    "name",
    "type",
    "mime",
    "size",
    "sha256",
    "verdict",
    "removed",
    "reason",
)


def evidence_json(item: dict[str, Any]) -> dict[str, Any]:
    """Evidence as officers may see it: the link or the file's name, size and hash."""
    return {key: item[key] for key in EVIDENCE_KEYS if key in item}


def case_json(
    record: ReportRecord, history: Sequence[AuditEntry], zone: ZoneInfo, *, full: bool
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ticket": record.ticket,
        "state": record.state,
        "outcome": record.outcome,
        "category": record.category,
        "service": record.service,
        "anonymous": record.anonymous,
        "consent": record.consent,
        "amount": record.amount,
        "channel": record.channel,
        "officer": record.officer,
        "evidence": [evidence_json(item) for item in record.evidence],
        "created_at": record.created_at.astimezone(zone).isoformat(timespec="seconds"),
        "updated_at": record.updated_at.astimezone(zone).isoformat(timespec="seconds"),
        "history": [
            {
                "at": entry.at.astimezone(zone).isoformat(timespec="seconds"),
                "actor": entry.actor,
                "action": action_code(entry.action),
                **entry.detail,
            }
            for entry in history
        ],
    }
    if full:
        for key in (
            "complaint",
            "accused_name",
            "accused_position",
            "incident_time",
            "location",
            "chronology",
        ):
            data[key] = record.content.get(key)
    return data
