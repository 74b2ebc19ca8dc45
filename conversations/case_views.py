"""How cases read for officers: the list (`/kasus`), one case (`/lihat`), and the audit trail.

Built from the report and its audit history; the reporter's identity is not among the inputs,
so it cannot leak here. Stored action names (old English ones included) are read through
`AuditAction`, so every view shows the same names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations.alerts import esc, evidence_files, evidence_summary, rupiah, shorten
from conversations.audit_actions import AuditAction
from conversations.i18n import Lang, Text
from conversations.officer_texts import (
    ACTION_LABELS,
    DETAIL_LABELS,
    FIELD_LABELS,
    OUTCOME_LABELS,
    V_DAYS,
    V_LIST_TITLE,
    V_NO_CONSENT,
    V_NONE,
    V_NONE_OPEN,
    V_REPORTER_ANONYMOUS,
    V_REPORTER_SECRET,
)
from conversations.ports import AuditEntry, ReportRecord
from conversations.workflow import FINAL_STATES, STATE_LABELS, CaseState, Outcome

MESSAGE_LIMIT = 4000
CONTENT_FIELDS = ("complaint", "accused_name", "accused_position", "location", "chronology")


def age_days(record: ReportRecord, now: datetime) -> int:
    return max(0, (now - record.created_at).days)


def action_label(stored: str, lang: Lang) -> str:
    """`closed` or `selesai` → "selesai"; an action this version does not know, as stored."""
    action = AuditAction.read(stored)
    return stored if action is None else ACTION_LABELS[action].render(lang)


def detail_text(detail: Mapping[str, Any], lang: Lang, *, skip: Sequence[str] = ()) -> str:
    """An audit entry's detail for a person: `alasan: …; oleh: …`, never JSON."""
    parts = []
    for key, value in detail.items():
        if key in skip or value is None or value == "":
            continue
        if key == "outcome" and isinstance(value, str):
            value = outcome_label(value, lang)
        label = DETAIL_LABELS.get(key, Text(key, key)).render(lang)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def outcome_label(code: str, lang: Lang) -> str:
    try:
        return OUTCOME_LABELS[Outcome(code)].render(lang)
    except ValueError:
        return code


def case_list(
    records: Sequence[ReportRecord],
    zone: ZoneInfo,
    lang: Lang,
    *,
    only_open: bool,
    now: datetime | None = None,
    overdue: frozenset[str] = frozenset(),
    flagged: frozenset[str] = frozenset(),
) -> str:
    """One line a case; ⏰ past its deadline, 🚩 waiting for a decision."""
    now = now or datetime.now(zone)
    shown = [r for r in records if not (only_open and r.state in FINAL_STATES)]
    if not shown:
        return (V_NONE_OPEN if only_open else V_NONE).render(lang)
    lines = [V_LIST_TITLE.render(lang, count=len(shown))]
    for r in shown:
        mark = ("⏰ " if r.ticket in overdue else "") + ("🚩 " if r.ticket in flagged else "")
        officer = f" · {esc(r.officer)}" if r.officer else ""
        lines.append(
            f"{mark}<b>{r.ticket}</b> · {esc(r.category)} · "
            f"{STATE_LABELS[CaseState(r.state)].render(lang)} · "
            f"{V_DAYS.render(lang, days=age_days(r, now))}{officer}"
        )
    return "\n".join(lines)


def case_fields(record: ReportRecord, lang: Lang) -> list[tuple[str, str]]:
    """The case as (label, value) pairs, plain text, in reading order (never the identity)."""
    content = record.content
    state = STATE_LABELS[CaseState(record.state)].render(lang)
    if record.outcome:
        state += f" ({OUTCOME_LABELS[Outcome(record.outcome)].render(lang)})"
    rows = [
        (FIELD_LABELS["state"].render(lang), state),
        (FIELD_LABELS["category"].render(lang), record.category),
    ]
    if record.service:
        rows.append((FIELD_LABELS["service"].render(lang), record.service))
    for key in CONTENT_FIELDS:
        if content.get(key):
            rows.append((FIELD_LABELS[key].render(lang), shorten(str(content[key]), 1500)))
    if content.get("incident_time"):
        rows.append((FIELD_LABELS["incident_time"].render(lang), content["incident_time"]["text"]))
    if record.amount is not None:
        rows.append((FIELD_LABELS["amount"].render(lang), rupiah(record.amount)))
    rows.append((FIELD_LABELS["evidence"].render(lang), evidence_summary(record.evidence, lang)))
    secret = V_REPORTER_ANONYMOUS if record.anonymous else V_REPORTER_SECRET
    reporter = secret.render(lang)
    if not record.consent:
        reporter += f"; {V_NO_CONSENT.render(lang)}"
    rows.append((FIELD_LABELS["reporter"].render(lang), reporter))
    if record.officer:
        rows.append((FIELD_LABELS["officer"].render(lang), record.officer))
    return rows


def history_line(
    entry: AuditEntry, zone: ZoneInfo, lang: Lang, *, when: str = "%d/%m %H:%M"
) -> str:
    """One event, plain text: `12/11 10:00 · Budi · selesai: Terbukti - …`."""
    at = entry.at.astimezone(zone).strftime(when)
    who = entry.detail.get("by") or entry.actor
    detail = entry.detail
    text = (
        detail.get("text") or detail.get("target") or detail.get("reason") or detail.get("officer")
    )
    suffix = f": {shorten(str(text), 300)}" if text else ""
    return f"{at} · {who} · {action_label(entry.action, lang)}{suffix}"


def case_detail(
    record: ReportRecord, history: Sequence[AuditEntry], zone: ZoneInfo, lang: Lang
) -> str:
    """`/lihat`: the case and its history in Telegram's HTML, within one message."""
    fields = case_fields(record, lang)
    state = fields[0][1]
    lines = [f"<b>{record.ticket}</b> · {esc(state)}"]
    evidence_label = FIELD_LABELS["evidence"].render(lang)
    for label, value in fields[1:]:
        lines.append(f"<b>{esc(label)}</b>: {esc(value)}")
        if label == evidence_label:
            lines += evidence_files(record.evidence, lang)
            lines += [f"• {esc(item['url'])}" for item in record.evidence if item["kind"] == "link"]
    events = [esc(history_line(entry, zone, lang)) for entry in history]
    head = "\n".join([*lines, "", f"<b>{FIELD_LABELS['history'].render(lang)}</b>"])
    while events and len(head) + sum(len(e) + 1 for e in events) > MESSAGE_LIMIT:
        events = events[1:]  # Telegram's limit: the oldest events give way, whole lines only
    return "\n".join([head, *events])
