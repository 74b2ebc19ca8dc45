"""What the officers' group sees of a new report: everything needed to act, never the reporter.

Every reporter-written value is HTML-escaped, so a report cannot forge formatting or links.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from conversations.engine import Button, Prompt
from conversations.form import Category
from conversations.i18n import Lang, Text

CHRONOLOGY_LIMIT = 1500
KIND_NAMES = {
    "link": Text("link", "link"),
    "photo": Text("foto", "photo"),
    "video": Text("video", "video"),
    "document": Text("dokumen", "document"),
}
CASE_BUTTONS = (
    (Text("Ambil", "Ambil"), "take"),
    (Text("Minta Kelengkapan", "Minta Kelengkapan"), "ask"),
    (Text("Telaah", "Telaah"), "review"),
    (Text("Tolak", "Tolak"), "reject"),
)
T_TITLE = Text("🔔 <b>Laporan baru {ticket}</b>", "🔔 <b>New report {ticket}</b>")
T_REPORTER = Text("<b>Pelapor</b>: dirahasiakan ({how})", "<b>Reporter</b>: kept secret ({how})")
T_ANONYMOUS = Text("anonim", "anonymous")
T_IDENTIFIED = Text("beridentitas", "identified")
T_CHECKLIST = Text("<b>Kelengkapan 5W1H</b>: {marks}", "<b>5W1H checklist</b>: {marks}")
T_NO_EVIDENCE = Text("tidak ada", "none")
LABELS = {
    "category": Text("Kategori", "Category"),
    "service": Text("Jenis Layanan", "Service"),
    "complaint": Text("Keluhan", "Complaint"),
    "accused": Text("Terlapor", "Reported person"),
    "incident_time": Text("Waktu", "When"),
    "location": Text("Lokasi", "Where"),
    "chronology": Text("Kronologi", "What happened"),
    "amount": Text("Nominal", "Amount"),
    "evidence": Text("Bukti", "Evidence"),
}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def five_w_one_h(report: Mapping[str, Any]) -> dict[str, bool]:
    """The announcement's checklist: which elements the report gives."""
    content = report["content"]
    if report["category"] == Category.SERVICE:
        return {"What": bool(content.get("complaint")), "Where": bool(report.get("service"))}
    return {
        "What": bool(report["category"] and content.get("chronology")),
        "Who": bool(content.get("accused_name")),
        "When": bool(content.get("incident_time")),
        "Where": bool(content.get("location")),
        "How": len(content.get("chronology") or "") >= 100,
    }


def evidence_summary(evidence: Sequence[Mapping[str, Any]], lang: Lang) -> str:
    if not evidence:
        return T_NO_EVIDENCE.render(lang)
    counts = Counter(item["kind"] for item in evidence)
    return ", ".join(f"{n} {KIND_NAMES[kind].render(lang)}" for kind, n in counts.items())


def officer_alert(ticket: str, report: Mapping[str, Any], lang: Lang) -> Prompt:
    """The group's alert for a new report, with the case buttons under it."""
    content = report["content"]

    def line(key: str, value: str) -> str:
        return f"<b>{LABELS[key].render(lang)}</b>: {value}"

    lines = [T_TITLE.render(lang, ticket=ticket), line("category", esc(report["category"]))]
    if report["category"] == Category.SERVICE:
        lines.append(line("service", esc(report["service"])))
        lines.append(line("complaint", esc(shorten(content["complaint"], CHRONOLOGY_LIMIT))))
    else:
        accused = esc(content["accused_name"])
        if content.get("accused_position"):
            accused += f" ({esc(content['accused_position'])})"
        lines += [
            line("accused", accused),
            line("incident_time", esc(content["incident_time"]["text"])),
            line("location", esc(content["location"])),
            line("chronology", esc(shorten(content["chronology"], CHRONOLOGY_LIMIT))),
            line("amount", rupiah(report["amount"]) if report["amount"] is not None else "-"),
        ]
    lines.append(line("evidence", evidence_summary(report["evidence"], lang)))
    lines += [f"• {esc(item['url'])}" for item in report["evidence"] if item["kind"] == "link"]
    how = T_ANONYMOUS if report["anonymous"] else T_IDENTIFIED
    lines.append(T_REPORTER.render(lang, how=how.render(lang)))
    marks = " ".join(
        f"{'✅' if present else '❔'} {name}" for name, present in five_w_one_h(report).items()
    )
    lines.append(T_CHECKLIST.render(lang, marks=marks))
    buttons = tuple(
        (Button(label.render(lang), f"case:{action}:{ticket}"),) for label, action in CASE_BUTTONS
    )
    return Prompt("\n".join(lines), (buttons[0] + buttons[1], buttons[2] + buttons[3]))


def evidence_caption(ticket: str, number: int, total: int, item: Mapping[str, Any]) -> str:
    """The caption of a forwarded file: which case, which item, and its SHA-256 to check it."""
    return f"{ticket} · bukti {number}/{total}\nSHA-256: {item['sha256']}"
