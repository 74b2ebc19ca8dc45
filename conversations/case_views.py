"""How cases read in the officers' group: the list (`/kasus`) and one case (`/lihat`).

Built from the report and its audit history; the reporter's identity is not among the inputs,
so it cannot leak here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from conversations.alerts import esc, evidence_summary, rupiah, shorten
from conversations.i18n import Lang, Text
from conversations.ports import AuditEntry, ReportRecord
from conversations.workflow import FINAL_STATES, STATE_LABELS, CaseState

MESSAGE_LIMIT = 4000
T_NONE_OPEN = Text("Tidak ada kasus terbuka. 🎉", "No open cases. 🎉")
T_NONE = Text("Tidak ada kasus.", "No cases.")
T_LIST_TITLE = Text("<b>Kasus ({count})</b>", "<b>Cases ({count})</b>")
T_DAYS = Text("{days} hari", "{days} days")
ACTIONS = {
    "report_submitted": Text("laporan diterima", "report received"),
    "taken": Text("diambil", "taken"),
    "assigned": Text("ditugaskan", "assigned"),
    "question": Text("pertanyaan ke pelapor", "question to the reporter"),
    "reporter_answered": Text("jawaban pelapor", "reporter's answer"),
    "evidence_added": Text("bukti tambahan", "more evidence"),
    "note": Text("catatan", "note"),
    "review": Text("penelaahan", "review"),
    "call": Text("pemanggilan", "call"),
    "closed": Text("selesai", "concluded"),
    "rejected": Text("ditolak", "rejected"),
    "referred": Text("dilimpahkan", "referred"),
    "reopened": Text("dibuka kembali", "reopened"),
    "identity_revealed": Text("identitas dibuka (admin)", "identity opened (admin)"),
}


def age_days(record: ReportRecord, now: datetime) -> int:
    return max(0, (now - record.created_at).days)


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
        return (T_NONE_OPEN if only_open else T_NONE).render(lang)
    lines = [T_LIST_TITLE.render(lang, count=len(shown))]
    for r in shown:
        mark = ("⏰ " if r.ticket in overdue else "") + ("🚩 " if r.ticket in flagged else "")
        officer = f" · {esc(r.officer)}" if r.officer else ""
        lines.append(
            f"{mark}<b>{r.ticket}</b> · {esc(r.category)} · "
            f"{STATE_LABELS[CaseState(r.state)].render(lang)} · "
            f"{T_DAYS.render(lang, days=age_days(r, now))}{officer}"
        )
    return "\n".join(lines)


def case_detail(
    record: ReportRecord, history: Sequence[AuditEntry], zone: ZoneInfo, lang: Lang
) -> str:
    content = record.content
    lines = [
        f"<b>{record.ticket}</b> · {STATE_LABELS[CaseState(record.state)].render(lang)}"
        + (f" ({record.outcome})" if record.outcome else ""),
        f"<b>Kategori</b>: {esc(record.category)}",
    ]
    if record.service:
        lines.append(f"<b>Jenis Layanan</b>: {esc(record.service)}")
    for key, label in (
        ("complaint", "Keluhan"),
        ("accused_name", "Terlapor"),
        ("accused_position", "Jabatan"),
        ("location", "Lokasi"),
        ("chronology", "Kronologi"),
    ):
        if content.get(key):
            lines.append(f"<b>{label}</b>: {esc(shorten(str(content[key]), 1500))}")
    if content.get("incident_time"):
        lines.append(f"<b>Waktu</b>: {esc(content['incident_time']['text'])}")
    if record.amount is not None:
        lines.append(f"<b>Nominal</b>: {rupiah(record.amount)}")
    lines.append(f"<b>Bukti</b>: {evidence_summary(record.evidence, lang)}")
    lines += [f"• {esc(item['url'])}" for item in record.evidence if item["kind"] == "link"]
    lines.append("<b>Pelapor</b>: dirahasiakan" + (" (anonim)" if record.anonymous else ""))
    if record.officer:
        lines.append(f"<b>Petugas</b>: {esc(record.officer)}")
    events = []
    for entry in history:
        when = entry.at.astimezone(zone).strftime("%d/%m %H:%M")
        action = ACTIONS.get(entry.action, Text(entry.action, entry.action)).render(lang)
        who = entry.detail.get("by") or entry.actor
        detail = entry.detail
        text = (
            detail.get("text")
            or detail.get("target")
            or detail.get("reason")
            or detail.get("officer")
        )
        suffix = f": {esc(shorten(str(text), 300))}" if text else ""
        events.append(f"{when} · {esc(who)} · {action}{suffix}")
    head = "\n".join([*lines, "", "<b>Riwayat</b>"])
    while events and len(head) + sum(len(e) + 1 for e in events) > MESSAGE_LIMIT:
        events = events[1:]  # Telegram's limit: the oldest events give way, whole lines only
    return "\n".join([head, *events])
