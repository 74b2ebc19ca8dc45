"""The monthly WBS register (`wbs-officer export`), as the agency reports it for Zona Integritas.

One row a case: register number, dates, category, service, state, outcome, days to the first
action and to the close, officer, anonymous or not. Built from `ReportRecord` fields only — never
the identity, the evidence or any text the reporter wrote, so none of it can reach a file that
leaves the office. The xlsx adds a second sheet with the period's counts (`statistics.compute`).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from conversations.form import Category
from conversations.i18n import Lang
from conversations.ports import ReportRecord
from conversations.statistics import (
    SECONDS_PER_DAY,
    MonthlyStats,
    outcome_label,
    state_label,
)
from conversations.workflow import STATE_LABELS, CaseState

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMATS = ("csv", "xlsx")
REGISTER_SHEET = "Register WBS"
SUMMARY_SHEET = "Rekap"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DAYS_FORMAT = "0.0"
YES, NO = "Ya", "Tidak"

# (header, column width) in the order of the register's columns.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Nomor Registrasi", 18),
    ("Tanggal Diterima", 18),
    ("Kategori", 34),
    ("Jenis Layanan", 24),
    ("Status", 22),
    ("Hasil", 16),
    ("Tanggal Selesai", 18),
    ("Hari s.d. Tindakan Pertama", 14),
    ("Hari s.d. Selesai", 12),
    ("Petugas", 24),
    ("Anonim", 9),
)
HEADERS = tuple(header for header, _ in COLUMNS)
HEADER_COLOUR, HEADER_BACKGROUND = "FFFFFF", "1F4E78"
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class RegisterRow:
    """One case in the register; the field order is the column order."""

    ticket: str
    created: datetime  # local (bot.timezone), naive: what the sheet shows
    category: str
    service: str | None
    state: str  # the label, e.g. "Menunggu Kelengkapan"
    outcome: str | None  # "Terbukti" / "Tidak terbukti"
    closed: datetime | None
    days_to_first_action: float | None
    days_to_close: float | None
    officer: str | None
    anonymous: str  # "Ya" / "Tidak"


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def _days(start: datetime, end: datetime | None) -> float | None:
    if end is None:
        return None
    return round((end - start).total_seconds() / SECONDS_PER_DAY, 1)


def select(
    records: Sequence[ReportRecord], zone: ZoneInfo, start: date | None, end: date | None
) -> list[ReportRecord]:
    """The reports created from `start` to `end` (inclusive, dates in `zone`), oldest first."""
    chosen = []
    for record in records:
        day = record.created_at.astimezone(zone).date()
        if (start is None or day >= start) and (end is None or day <= end):
            chosen.append(record)
    return sorted(chosen, key=lambda r: (r.created_at, r.id))


def register_rows(
    records: Sequence[ReportRecord], zone: ZoneInfo, lang: Lang = Lang.ID
) -> list[RegisterRow]:
    return [
        RegisterRow(
            ticket=r.ticket,
            created=_local(r.created_at, zone),
            category=r.category,
            service=r.service,
            state=STATE_LABELS[CaseState(r.state)].render(lang),
            outcome=outcome_label(r.outcome, lang) if r.outcome else None,
            closed=_local(r.closed_at, zone) if r.closed_at else None,
            days_to_first_action=_days(r.created_at, r.first_action_at),
            days_to_close=_days(r.created_at, r.closed_at),
            officer=r.officer,
            anonymous=YES if r.anonymous else NO,
        )
        for r in records
    ]


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "semua waktu"
    return f"{start.isoformat() if start else '…'} s.d. {end.isoformat() if end else '…'}"


@contextmanager
def replacing(output: Path) -> Iterator[Path]:
    """Write to a temporary file (mode 0600) beside `output`; it takes `output`'s place only
    when the block finishes, so the export is audited before it appears and a failure leaves
    no half-written file."""
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


# -- CSV ----------------------------------------------------------------------------------


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    # A cell that starts like a formula is shown as text by spreadsheets (CSV injection).
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(path: Path, rows: Sequence[RegisterRow]) -> None:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), comma-separated, ISO dates,
    days with a decimal point."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([_csv_value(v) for v in astuple(row)])


# -- XLSX ---------------------------------------------------------------------------------


def _put(cell: Cell, value: object, number_format: str | None = None) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if number_format:
        cell.number_format = number_format


def summary_lines(
    stats: MonthlyStats, period: str, lang: Lang = Lang.ID
) -> list[tuple[str, object, bool]]:
    """The second sheet: (label, value, is a section heading)."""
    lines: list[tuple[str, object, bool]] = [
        ("Periode", period, False),
        ("Total laporan", stats.total, False),
        ("Masih diproses", stats.still_open, False),
        ("Per kategori", None, True),
        *((label, n, False) for label, n in stats.by_category.items()),
    ]
    services = stats.by_service
    if services:
        lines.append((f"Jenis layanan ({Category.SERVICE.value})", None, True))
        lines += [(label, n, False) for label, n in services.items()]
    lines.append(("Per status", None, True))
    lines += [(state_label(code, lang), n, False) for code, n in stats.by_state.items()]
    lines.append(("Hasil (selesai)", None, True))
    lines += [(outcome_label(code, lang), n, False) for code, n in stats.by_outcome.items()]
    lines.append(("Waktu (median, hari kalender)", None, True))
    days = stats.to_dict()
    lines.append(("Hari s.d. tindakan pertama", days["median_days_to_first_action"], False))
    lines.append(("Hari s.d. selesai", days["median_days_to_close"], False))
    return lines


def write_xlsx(
    path: Path,
    rows: Sequence[RegisterRow],
    stats: MonthlyStats,
    period: str,
    *,
    title: str = "Register WBS BKD Provinsi NTT",
) -> None:
    # openpyxl (and the numpy it loads) only when an xlsx is written: the CLI starts faster.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color=HEADER_COLOUR)
    header_fill = PatternFill("solid", fgColor=HEADER_BACKGROUND)
    workbook = Workbook()
    workbook.properties.creator = "wbs-officer"
    workbook.properties.title = f"{title} ({period})"
    sheet = workbook.active
    assert sheet is not None
    sheet.title = REGISTER_SHEET
    sheet.append(list(HEADERS))
    for column, (_, width) in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=column)
        header.font = header_font
        header.fill = header_fill
        header.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    formats: dict[int, str] = {
        2: DATETIME_FORMAT,
        7: DATETIME_FORMAT,
        8: DAYS_FORMAT,
        9: DAYS_FORMAT,
    }
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(astuple(row), start=1):
            _put(sheet.cell(row=number, column=column), value, formats.get(column))
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"

    summary = workbook.create_sheet(SUMMARY_SHEET)
    summary.append(["Uraian", "Jumlah"])
    for cell in summary[1]:
        cell.font = header_font
        cell.fill = header_fill
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 28
    for number, (label, value, heading) in enumerate(summary_lines(stats, period), start=2):
        _put(summary.cell(row=number, column=1), label)
        if heading:
            summary.cell(row=number, column=1).font = Font(bold=True)
        else:
            _put(
                summary.cell(row=number, column=2),
                value,
                DAYS_FORMAT if isinstance(value, float) else None,
            )
    summary.freeze_panes = "A2"
    workbook.save(path)
