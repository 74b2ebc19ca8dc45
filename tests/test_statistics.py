"""Monthly statistics (`/statistik`, `wbs-officer stats`) and its chart picture."""

from __future__ import annotations

import dataclasses
import json
import struct
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.charts import stats_chart
from conversations.form import Category
from conversations.i18n import Lang
from conversations.statistics import MonthlyStats, compute, parse_month, render_text
from conversations.workflow import CaseState, Outcome
from storage.reports import ReportRecord

WITA = ZoneInfo("Asia/Makassar")
NOV = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)

BASE = ReportRecord(
    id=1,
    ticket="WBS-2026-0001",
    channel="telegram",
    state=CaseState.NEW,
    outcome=None,
    category=Category.ETHICS.value,
    service=None,
    anonymous=True,
    consent=True,
    amount=None,
    content={},
    evidence=[],
    officer=None,
    lang=Lang.ID,
    created_at=NOV,
    updated_at=NOV,
    first_action_at=None,
    closed_at=None,
)


def rec(**changes: Any) -> ReportRecord:
    return dataclasses.replace(BASE, **changes)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- month filtering at the boundary (WITA is UTC+8) -----------------------------------------


@pytest.mark.parametrize(
    ("created_utc", "month", "counted"),
    [
        ("2026-10-31T16:30", "2026-11", True),  # 00:30 WITA on 1 November
        ("2026-10-31T16:30", "2026-10", False),
        ("2026-10-31T15:59", "2026-10", True),  # 23:59 WITA on 31 October
        ("2026-10-31T15:59", "2026-11", False),
        ("2026-11-30T15:59", "2026-11", True),  # 23:59 WITA on 30 November
        ("2026-11-30T16:00", "2026-11", False),  # 00:00 WITA on 1 December
        ("2026-11-30T16:00", "2026-12", True),
        ("2026-12-31T16:00", "2027-01", True),  # the year turns in WITA first
        ("2026-12-31T16:00", "2026-12", False),
        ("2026-10-31T16:30", None, True),  # all time
        ("2026-10-31T16:30", "11/2026", True),  # the other spelling is accepted too
    ],
)
def test_month_filter_uses_created_at_in_wita(
    created_utc: str, month: str | None, counted: bool
) -> None:
    stats = compute([rec(created_at=at(created_utc))], month=month, zone=WITA)
    assert stats.total == (1 if counted else 0)
    assert stats.month == (None if month is None else parse_month(month))


# --- counts, with zeros present --------------------------------------------------------------

SERVICE = Category.SERVICE.value
MIXED = [
    rec(id=1, category=Category.FRAUD.value, state=CaseState.NEW),
    rec(id=2, category=Category.FRAUD.value, state=CaseState.REVIEW),
    rec(id=3, category=SERVICE, service="Kenaikan Pangkat", state=CaseState.INCOMPLETE),
    rec(id=4, category=SERVICE, service="Kenaikan Pangkat", state=CaseState.CLARIFICATION),
    rec(id=5, category=SERVICE, service="Mutasi", state=CaseState.REJECTED),
    rec(id=6, state=CaseState.CLOSED, outcome=Outcome.PROVEN),
    rec(id=7, state=CaseState.CLOSED, outcome=Outcome.NOT_PROVEN),
    rec(id=8, state=CaseState.CLOSED, outcome=Outcome.PROVEN),
    rec(id=9, state=CaseState.REFERRED),
    rec(id=10, category=Category.LAW.value, created_at=at("2026-12-05T00:00")),  # December
]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("total", 9),
        ("still_open", 4),
        (
            "by_category",
            {
                "Penipuan": 2,
                "Pelanggaran Kode Etik": 4,
                "Pelanggaran Benturan Kepentingan": 0,
                "Pelanggaran Hukum": 0,
                "Pengaduan Layanan": 3,
            },
        ),
        (
            "by_state",
            {
                "baru": 1,
                "kelengkapan": 1,
                "telaah": 1,
                "klarifikasi": 1,
                "selesai": 3,
                "ditolak": 1,
                "dilimpahkan": 1,
            },
        ),
        ("by_outcome", {"terbukti": 2, "tidak_terbukti": 1}),
        ("by_service", {"Kenaikan Pangkat": 2, "Mutasi": 1}),
    ],
)
def test_counts_of_november(field: str, expected: object) -> None:
    stats = compute(MIXED, month="2026-11", zone=WITA)
    assert getattr(stats, field) == expected
    if isinstance(expected, dict):  # order matters too: the form's and the table's
        assert list(getattr(stats, field)) == list(expected)


@pytest.mark.parametrize(
    ("services", "expected"),
    [
        ((), {"Kenaikan Pangkat": 2, "Mutasi": 1}),
        (("Mutasi", "Cuti", "Kenaikan Pangkat"), {"Mutasi": 1, "Cuti": 0, "Kenaikan Pangkat": 2}),
        (("Cuti",), {"Cuti": 0, "Kenaikan Pangkat": 2, "Mutasi": 1}),  # unconfigured ones after
    ],
)
def test_services_configured_first_then_seen(
    services: tuple[str, ...], expected: dict[str, int]
) -> None:
    stats = compute(MIXED, month="2026-11", zone=WITA, services=services)
    assert list(stats.by_service.items()) == list(expected.items())


def test_empty_month_has_every_row_at_zero() -> None:
    stats = compute(MIXED, month="2025-01", zone=WITA, services=("Cuti",))
    assert stats.total == stats.still_open == 0
    assert list(stats.by_category) == [c.value for c in Category]
    assert set(stats.by_category.values()) == {0}
    assert list(stats.by_state) == [s.value for s in CaseState]
    assert set(stats.by_state.values()) == {0}
    assert stats.by_outcome == {"terbukti": 0, "tidak_terbukti": 0}
    assert stats.by_service == {"Cuti": 0}
    assert stats.median_days_to_first_action is None
    assert stats.median_days_to_close is None


# --- medians ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_action_days", "close_days", "median_first", "median_close"),
    [
        ([], [], None, None),
        ([None, None], [None], None, None),
        ([1.5], [], 1.5, None),
        ([1, 3, 2], [10, None, 20], 2.0, 15.0),  # odd / even
        ([0.25, 4, None, 1, 2], [30, 7, 60, None, 5], 1.5, 18.5),  # even / even, gaps skipped
        ([1, 2, 3, 4, 100], [5, 6, 7], 3.0, 6.0),  # the median ignores the outlier
    ],
)
def test_medians(
    first_action_days: list[float | None],
    close_days: list[float | None],
    median_first: float | None,
    median_close: float | None,
) -> None:
    count = max(len(first_action_days), len(close_days))

    def moment(days: list[float | None], i: int) -> datetime | None:
        value = days[i] if i < len(days) else None
        return None if value is None else NOV + timedelta(days=value)

    records = [
        rec(id=i, first_action_at=moment(first_action_days, i), closed_at=moment(close_days, i))
        for i in range(count)
    ]
    stats = compute(records, month="2026-11", zone=WITA)
    assert stats.median_days_to_first_action == pytest.approx(median_first)
    assert stats.median_days_to_close == pytest.approx(median_close)


def test_days_are_calendar_days_as_floats() -> None:
    # created Friday evening, first action Monday morning: 2.5 calendar days, not working days
    created = at("2026-11-13T10:00")
    record = rec(created_at=created, first_action_at=created + timedelta(hours=60))
    stats = compute([record], month=None, zone=WITA)
    assert stats.median_days_to_first_action == pytest.approx(2.5)


def test_to_dict_is_json_and_rounds_days() -> None:
    record = rec(first_action_at=NOV + timedelta(hours=29), closed_at=NOV + timedelta(days=10))
    data = compute([record], month="11/2026", zone=WITA).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["month"] == "2026-11"
    assert data["total"] == 1
    assert data["median_days_to_first_action"] == 1.2
    assert data["median_days_to_close"] == 10.0
    assert set(data) == {f.name for f in dataclasses.fields(MonthlyStats)}


# --- parse_month ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", "2026-11"),
        ("11/2026", "2026-11"),
        ("1/2027", "2027-01"),
        ("2027-1", "2027-01"),
        (" 2026-02 ", "2026-02"),
        ("12/2026", "2026-12"),
    ],
)
def test_parse_month_accepts(text: str, expected: str) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2026", "2026-13", "2026-00", "13/2026", "0/2026", "November", "2026/11", "26-11",
     "2026-11-01", "abc-de", "11/26"],
)  # fmt: skip
def test_parse_month_refuses_with_both_languages(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_month(text)
    message = str(caught.value)
    assert "Bulan tidak valid" in message
    assert "Invalid month" in message
    assert "YYYY-MM" in message


# --- render_text ------------------------------------------------------------------------------


def test_render_text_in_indonesian_has_the_numbers() -> None:
    records = [
        *MIXED,
        rec(id=11, first_action_at=NOV + timedelta(hours=36), closed_at=NOV + timedelta(days=12)),
    ]
    text = render_text(compute(records, month="2026-11", zone=WITA), Lang.ID)
    lines = text.splitlines()
    assert lines[0] == "📊 <b>Statistik WBS November 2026</b>"
    for expected in [
        "Total laporan: <b>10</b>",
        "• Pelanggaran Kode Etik: 5",
        "• Pelanggaran Benturan Kepentingan: 0",
        "• Kenaikan Pangkat: 2",
        "• Diterima: 2",
        "• Selesai: 3",
        "• Terbukti: 2",
        "• Tidak terbukti: 1",
        "Tindakan pertama: 1,5 hari",
        "Penyelesaian: 12,0 hari",
    ]:
        assert expected in lines, expected
    assert max(len(line) for line in lines) <= 45  # short lines on a phone


@pytest.mark.parametrize(
    ("month", "lang", "title", "days"),
    [
        ("2026-08", Lang.ID, "📊 <b>Statistik WBS Agustus 2026</b>", "Tindakan pertama: -"),
        ("2026-08", Lang.EN, "📊 <b>WBS statistics August 2026</b>", "First action: -"),
        (None, Lang.ID, "📊 <b>Statistik WBS (semua waktu)</b>", "Penyelesaian: -"),
    ],
)
def test_render_text_titles_and_missing_medians(
    month: str | None, lang: Lang, title: str, days: str
) -> None:
    text = render_text(compute([], month=month, zone=WITA), lang)
    assert text.splitlines()[0] == title
    assert days in text.splitlines()


def test_render_text_defaults_to_indonesian() -> None:
    assert "Statistik WBS" in render_text(compute([], month="2026-11", zone=WITA))


def test_render_text_escapes_labels() -> None:
    odd = "Layanan <script> & Co"
    records = [rec(category=SERVICE, service=odd)]
    text = render_text(compute(records, month="2026-11", zone=WITA, services=[odd]), Lang.ID)
    assert "• Layanan &lt;script&gt; &amp; Co: 1" in text
    assert "<script>" not in text
    tags = {part.split(">")[0] for part in text.split("<")[1:]}
    assert tags <= {"b", "/b"}  # the HTML subset: <b> only


# --- the chart --------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    "stats",
    [
        compute(MIXED, month="2026-11", zone=WITA),
        compute([], month="2026-11", zone=WITA),  # all zeros
        compute(MIXED, month=None, zone=WITA, services=["Cuti"]),
        compute([rec()] * 250, month="2026-11", zone=WITA),  # one long bar
    ],
    ids=["mixed", "all-zero", "all-time", "large"],
)
def test_stats_chart_is_a_phone_sized_png(stats: MonthlyStats) -> None:
    data = stats_chart(stats)
    assert isinstance(data, bytes)
    assert data.startswith(b"\x89PNG")
    width, height = png_size(data)
    assert 600 <= width <= 1200
    assert 700 <= height <= 1400
    assert height > width  # portrait, for a phone
    assert data.endswith(b"IEND\xaeB`\x82")
