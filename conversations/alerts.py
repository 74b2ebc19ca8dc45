"""What the officers' group sees of a new report: everything needed to act, never the reporter.

Every reporter-written value is HTML-escaped, so a report cannot forge formatting or links.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from conversations.case_actions import BUTTONS
from conversations.engine import Button, Prompt
from conversations.form import Category
from conversations.i18n import Lang
from conversations.officer_texts import (
    ALERT_ANONYMOUS,
    ALERT_CHECKLIST,
    ALERT_IDENTIFIED,
    ALERT_NO_CONSENT,
    ALERT_NO_EVIDENCE,
    ALERT_REPORTER,
    ALERT_TITLE,
    EVIDENCE_CAPTION,
    FIELD_LABELS,
    KIND_NAMES,
)
from conversations.sanitizing import file_line

CHRONOLOGY_LIMIT = 1500
CASE_BUTTONS = tuple((row.button, row.key) for row in BUTTONS if row.button is not None)


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
        return ALERT_NO_EVIDENCE.render(lang)
    counts = Counter(item["kind"] for item in evidence)
    return ", ".join(f"{n} {kind_name(kind, lang)}" for kind, n in counts.items())


def kind_name(kind: str, lang: Lang) -> str:
    return KIND_NAMES.get(kind, KIND_NAMES["document"]).render(lang)


def evidence_files(evidence: Sequence[Mapping[str, Any]], lang: Lang) -> list[str]:
    """One line per file: kind, size, "metadata dihapus" or why not, the hash officers get."""
    return [
        file_line(item, kind_name(item["kind"], lang), lang)
        for item in evidence
        if item["kind"] != "link"
    ]


def officer_alert(ticket: str, report: Mapping[str, Any], lang: Lang) -> Prompt:
    """The group's alert for a new report, with the case buttons under it."""
    content = report["content"]

    def line(key: str, value: str) -> str:
        return f"<b>{FIELD_LABELS[key].render(lang)}</b>: {value}"

    lines = [ALERT_TITLE.render(lang, ticket=ticket), line("category", esc(report["category"]))]
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
    lines += evidence_files(report["evidence"], lang)
    lines += [f"• {esc(item['url'])}" for item in report["evidence"] if item["kind"] == "link"]
    how = ALERT_ANONYMOUS if report["anonymous"] else ALERT_IDENTIFIED
    lines.append(ALERT_REPORTER.render(lang, how=how.render(lang)))
    if not report.get("consent", True):
        lines.append(ALERT_NO_CONSENT.render(lang))
    marks = " ".join(
        f"{'✅' if present else '❔'} {name}" for name, present in five_w_one_h(report).items()
    )
    lines.append(ALERT_CHECKLIST.render(lang, marks=marks))
    buttons = tuple(
        (Button(label.render(lang), f"case:{action}:{ticket}"),) for label, action in CASE_BUTTONS
    )
    return Prompt("\n".join(lines), (buttons[0] + buttons[1], buttons[2] + buttons[3]))


def evidence_caption(
    ticket: str, number: int, total: int, item: Mapping[str, Any], lang: Lang = Lang.ID
) -> str:
    """The caption of a forwarded file: which case, which item, and its SHA-256 to check it."""
    return EVIDENCE_CAPTION.render(
        lang, ticket=ticket, number=number, total=total, sha256=item["sha256"]
    )
