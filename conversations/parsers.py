"""Parsers: turn what a reporter types into a clean value, or say politely what is wrong.

Each parser is a plain `str -> value` function. The form engine calls it on the reporter's
answer; on `ParseError` it shows the error (short Indonesian text with an example, English
through /bahasa) and asks the same question again. Nothing here does I/O.

The error texts live in the reporter's catalogue (`conversations.texts`, "why an answer is
refused"); they are sent as Telegram HTML, so any piece of the reporter's input or of the
configuration that is echoed back in a message is HTML-escaped here.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from conversations import texts
from conversations.i18n import Lang, Text

__all__ = [
    "IncidentTime",
    "ParseError",
    "Parser",
    "Precision",
    "amount",
    "email",
    "incident_time",
    "links",
    "person_name",
    "phone",
    "text",
]

T = TypeVar("T")

Parser = Callable[[str], T]
"""What the form engine calls on an answer: returns the normal form or raises `ParseError`."""


class ParseError(ValueError):
    """An answer that cannot be accepted; `message` says why, with an example."""

    def __init__(self, message: Text, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message.render(Lang.ID, **params))

    def render(self, lang: Lang = Lang.ID) -> str:
        """The message in the reader's language, parameters filled in."""
        return self.message.render(lang, **self.params)


def _escape(value: str) -> str:
    """Echoed input goes into an HTML message: keep it inert."""
    return html.escape(value, quote=False)


# -- names -------------------------------------------------------------------------------

NAME_MIN_LEN = 2
NAME_MAX_LEN = 100


# Typographic apostrophes and dashes that phones insert on their own.
_NAME_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
    }
)


def _is_letter(char: str) -> bool:
    """Any Unicode letter, plus combining marks (accents that NFC cannot merge)."""
    return char.isalpha() or unicodedata.category(char).startswith("M")


def person_name(text: str) -> str:
    """A reporter's name: Unicode letters, spaces and . ' -; whitespace tidied, case kept.

    Case is kept as typed because names such as "de Rozari" must not be "corrected".
    At least two letters are required, so "A." or "--" is not taken for a name.
    """
    name = " ".join(unicodedata.normalize("NFC", text).translate(_NAME_FOLD).split())
    if len(name) > NAME_MAX_LEN:
        raise ParseError(texts.NAME_TOO_LONG, max_len=NAME_MAX_LEN, count=len(name))
    if any(not (_is_letter(c) or c in " .'-") for c in name):
        raise ParseError(texts.NAME_BAD_CHARS)
    if len(name) < NAME_MIN_LEN or sum(c.isalpha() for c in name) < NAME_MIN_LEN:
        raise ParseError(texts.NAME_TOO_SHORT, min_len=NAME_MIN_LEN)
    return name


# -- phone -------------------------------------------------------------------------------


# Digits and the punctuation people put between them; letters would let the library read
# "vanity" numbers (0812-CALL-ME) or extensions, which a reporter never means.
_PHONE_CHARS = re.compile(r"[0-9+\-.()/\s]{6,30}")


def _parse_phone(number: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(number, "ID")
    except phonenumbers.NumberParseException:
        return None


def phone(text: str) -> str:
    """An Indonesian number, mobile or landline, in E.164 form (+62...).

    Written without "+", "62..." is read as the country code first: that is how Telegram
    shares a number, and a national number never starts with 62 once its leading 0 is gone.
    """
    raw = text.strip()
    if not _PHONE_CHARS.fullmatch(raw):
        raise ParseError(texts.PHONE_INVALID)
    digits = re.sub(r"\D", "", raw)
    number = None
    if not raw.startswith("+") and digits.startswith("62"):
        candidate = _parse_phone("+" + digits)
        if candidate is not None and phonenumbers.is_valid_number(candidate):
            number = candidate
    if number is None:
        number = _parse_phone(raw)
    if number is None:
        raise ParseError(texts.PHONE_INVALID)
    if number.country_code != 62:
        raise ParseError(texts.PHONE_FOREIGN)
    if not phonenumbers.is_valid_number(number):
        raise ParseError(texts.PHONE_INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- e-mail ------------------------------------------------------------------------------


def email(text: str) -> str:
    """An e-mail address, syntax only (no DNS: the bot must work offline), lower-cased.

    The whole address is lower-cased, as the form asks, so one reporter is one address.
    """
    try:
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ParseError(texts.EMAIL_INVALID) from None
    return checked.normalized.lower()


# -- free text ---------------------------------------------------------------------------


def _with_example(message: Text, example: Text) -> Text:
    """Bake the field's example into a message, so the engine only fills numbers in."""

    def fill(template: str, value: str) -> str:
        return template.replace("{example}", value.replace("{", "{{").replace("}", "}}"))

    return Text(id=fill(message.id, example.id), en=fill(message.en, example.en))


def text(min_len: int, max_len: int, *, example: Text = texts.TEXT_EXAMPLE) -> Parser[str]:
    """A parser for free text of `min_len`..`max_len` characters (outer whitespace removed).

    Line breaks inside are kept: a chronology is easier to read in paragraphs. The error
    tells how many characters were written, so the reporter knows how far off they are.
    `example` is shown in every error; pass one that suits the field.
    """
    if not 0 <= min_len <= max_len:
        raise ValueError(f"text(): need 0 <= min_len <= max_len, got {min_len}, {max_len}")
    too_short = _with_example(texts.TEXT_TOO_SHORT, example)
    too_long = _with_example(texts.TEXT_TOO_LONG, example)
    no_content = _with_example(texts.TEXT_NO_CONTENT, example)

    def parse_text(answer: str) -> str:
        value = answer.replace("\r\n", "\n").replace("\r", "\n").strip()
        # Every error carries all parameters, so the escaped braces of the example are
        # always unescaped by `str.format`.
        params: dict[str, object] = {"min_len": min_len, "max_len": max_len, "count": len(value)}
        if len(value) < min_len:
            raise ParseError(too_short, **params)
        if len(value) > max_len:
            raise ParseError(too_long, **params)
        if not any(c.isalnum() for c in value):
            raise ParseError(no_content, **params)
        return value

    parse_text.__doc__ = f"Free text, {min_len}-{max_len} characters."
    return parse_text


# -- amount of money ---------------------------------------------------------------------

AMOUNT_MAX = 10**15


# Indonesian first; "m" and "t" are the Indonesian miliar and triliun (as in "Rp 1,2 M").
# fmt: off
_MULTIPLIERS: dict[str, int] = {
    "ribu": 10**3, "rebu": 10**3, "rbu": 10**3, "rb": 10**3, "k": 10**3, "thousand": 10**3,
    "juta": 10**6, "jta": 10**6, "jt": 10**6, "million": 10**6,
    "miliar": 10**9, "milyar": 10**9, "milliar": 10**9, "m": 10**9, "billion": 10**9,
    "triliun": 10**12, "trilyun": 10**12, "t": 10**12, "trillion": 10**12,
}
# fmt: on
_MULTIPLIER_RE = "|".join(sorted(_MULTIPLIERS, key=len, reverse=True))
_AMOUNT_TERM = re.compile(
    rf"\s*(?P<num>\d+(?:[., ]\d+)*)\s*(?:(?P<mult>{_MULTIPLIER_RE})\.?)?(?![a-z])\s*"
)
_CURRENCY = re.compile(r"(?<![a-z])(?:rp|idr)\.?(?![a-z])|(?<![a-z])rupiah(?![a-z])")
_APPROX = re.compile(
    r"^(?:±|\+/?-|~|sekitar|kurang lebih|kurleb|kira-kira|kira2|about|around|approx\.?)\s*"
)
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def _decimal(number: str, has_multiplier: bool) -> Fraction | None:
    """Read "5.000.000", "5.000.000,00", "2,5", "2.5"; None if the grouping is wrong.

    "." groups thousands and "," marks decimals, as in Indonesian. A single separator
    followed by other than three digits is a decimal mark ("2.5 juta"). A single ","
    followed by three digits groups thousands ("5,000", nobody writes 5 rupiah that way),
    except before a multiplier, where Indonesians mean a decimal ("1,250 juta").
    """
    marks = [c for c in number if not c.isdigit()]
    decimal_mark: str | None = None
    if "." in marks and "," in marks:
        decimal_mark = marks[-1]
        if marks.count(decimal_mark) != 1:
            return None
    elif len(marks) == 1 and marks[0] != " ":
        after = number.rsplit(marks[0], 1)[1]
        if len(after) != 3 or (marks[0] == "," and has_multiplier):
            decimal_mark = marks[0]
    whole, fraction = number, ""
    if decimal_mark is not None:
        whole, _, fraction = number.rpartition(decimal_mark)
    group_marks = set(re.findall(r"\D", whole))
    if len(group_marks) > 1:
        return None
    groups = re.split(r"\D", whole)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        return None
    value = Fraction(int("".join(groups)))
    if fraction:
        value += Fraction(int(fraction), 10 ** len(fraction))
    return value


# Number words, as people say an amount: "lima juta", "dua ratus ribu", "satu setengah juta".
# fmt: off
_UNIT_WORDS: dict[str, int] = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9,
}
_SE_WORDS: dict[str, int] = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_SCALE_WORDS: dict[str, int] = {"belas": 10, "puluh": 10, "ratus": 100}
_SE_MULTIPLIERS = {"seribu": "ribu", "sejuta": "juta", "semiliar": "miliar", "semilyar": "miliar",
                   "setriliun": "triliun"}
# fmt: on


def number_words(text: str) -> str:
    """Indonesian number words written as digits: "dua ratus lima puluh ribu" → "250 ribu",
    "satu setengah juta" → "1,5 juta", "sejuta" → "1 juta"; other words are left as they are.

    A plain `str -> str` step before `amount` reads the digits (and the multipliers)."""
    out: list[str] = []
    group = unit = 0
    half = in_number = False

    def flush() -> None:
        nonlocal group, unit, half, in_number
        if in_number:
            out.append(f"{group + unit}" + (",5" if half else ""))
        group = unit = 0
        half = in_number = False

    for word in text.split():
        if word in _UNIT_WORDS and not unit:
            unit, in_number = _UNIT_WORDS[word], True
        elif word in _SE_WORDS:
            group, in_number = group + unit + _SE_WORDS[word], True
            unit = 0
        elif word in _SCALE_WORDS and in_number and unit:
            group += unit + 10 if word == "belas" else unit * _SCALE_WORDS[word]
            unit = 0
        elif word == "setengah":
            half = in_number = True
        elif word in _SE_MULTIPLIERS:
            flush()
            out += ["1", _SE_MULTIPLIERS[word]]
        else:
            flush()
            out.append(word)
    flush()
    return " ".join(out)


def amount(text: str) -> int:
    """Whole rupiah >= 0, from what Indonesians type: "Rp 5.000.000,-", "2,5 juta", "750rb".

    Several terms add up ("2 juta 500 ribu"); an "about" in front is dropped, since the
    field asks for the amount, not for how sure the reporter is. Fractions of a rupiah
    are refused rather than rounded, because "1,5" usually means a forgotten "juta".
    """
    s = text.strip().lower().translate(_MINUS)
    if len(s) > 100:
        raise ParseError(texts.AMOUNT_INVALID)
    if re.search(r"[a-z]{3}", s):
        s = number_words(s)
    s = _APPROX.sub("", s)
    s = _CURRENCY.sub(" ", s).strip()
    s = re.sub(r"[.,]?-+$", "", s).strip(" .")  # "Rp 5.000.000,-", a final full stop
    if s.startswith(("-", "minus")):
        raise ParseError(texts.AMOUNT_NEGATIVE)
    terms: list[tuple[Fraction, int | None]] = []
    pos = 0
    while pos < len(s):
        match = _AMOUNT_TERM.match(s, pos)
        if match is None or match.end() == pos:
            raise ParseError(texts.AMOUNT_INVALID)
        mult = match["mult"]
        multiplier = _MULTIPLIERS[mult] if mult else None
        value = _decimal(match["num"], multiplier is not None)
        if value is None:
            raise ParseError(texts.AMOUNT_INVALID)
        terms.append((value, multiplier))
        pos = match.end()
    if not terms:
        raise ParseError(texts.AMOUNT_INVALID)
    total = Fraction(0)
    previous: int | None = None
    for index, (value, multiplier) in enumerate(terms):
        if multiplier is None and index < len(terms) - 1:
            raise ParseError(texts.AMOUNT_INVALID)  # "5 2 juta"
        scale = multiplier or 1
        if previous is not None and (scale >= previous or value * scale >= previous):
            raise ParseError(texts.AMOUNT_INVALID)  # "500 ribu 2 juta", "1 juta 2.000.000"
        total += value * scale
        previous = scale
    if total > AMOUNT_MAX:
        raise ParseError(texts.AMOUNT_TOO_LARGE)
    if total.denominator != 1:
        raise ParseError(texts.AMOUNT_FRACTION)
    return int(total)


# -- time of the incident ----------------------------------------------------------------

try:
    WITA: tzinfo = ZoneInfo("Asia/Makassar")  # Kupang, NTT
except ZoneInfoNotFoundError:  # no tz database (slim image): WITA is UTC+8, no summer time
    WITA = timezone(timedelta(hours=8), "WITA")
MIN_YEAR = 1900


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    PERIOD = "period"


@dataclass(frozen=True)
class IncidentTime:
    """When it happened: the words typed, plus the dates they cover (both inclusive)."""

    text: str
    start: date
    end: date
    precision: Precision

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"IncidentTime: start {self.start} is after end {self.end}")

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly form, as stored with the draft and the report."""
        return {
            "text": self.text,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision.value,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, str]) -> IncidentTime:
        return cls(
            text=d["text"],
            start=date.fromisoformat(d["start"]),
            end=date.fromisoformat(d["end"]),
            precision=Precision(d["precision"]),
        )


# fmt: off
_MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "febuari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agus": 8, "agst": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
# fmt: on
_MN = "(?P<mn>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"
_SEP = r"(?:\s*|[-/.])"  # between a day, a month name and a year: "12 Mar 2024", "12-Mar-2024"

# Whole-string patterns for one point in time, most specific first. Day before month,
# always: 03/04/2024 is 3 April, never March 4.
_POINTS = [
    re.compile(p)
    for p in (
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",  # 2024-03-12
        r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4}|\d{2})",  # 12/03/2024, 12/3/24
        rf"(?P<d>\d{{1,2}}){_SEP}{_MN}{_SEP}(?P<y>\d{{4}}|\d{{2}})",  # 12 Maret 2024
        rf"{_MN}\s*(?P<d>\d{{1,2}})\s+(?P<y>\d{{4}})",  # March 12 2024
        rf"{_MN}{_SEP}(?P<y>\d{{4}})",  # Maret 2024
        r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})",  # 03/2024
        r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})",  # 2024-03
        r"(?P<y>\d{4})",  # 2024
        # Without a year: only the start of a period ("12 - 15 Maret 2024").
        rf"(?P<d>\d{{1,2}}){_SEP}{_MN}",  # 12 Maret
        rf"{_MN}\s*(?P<d>\d{{1,2}})",  # March 12
        r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})",  # 12/03
        _MN,  # Maret
        r"(?P<d>\d{1,2})",  # 12
    )
]

_WORDS_NOW = {
    "sekarang",
    "skrg",
    "skrng",
    "kini",
    "saat ini",
    "hari ini",
    "now",
    "today",
    "present",
    "ongoing",
    "masih berlangsung",
}
_WORDS_YESTERDAY = {"kemarin", "kmrn", "yesterday"}
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_WEEKDAYS = (
    r"senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_FILLERS = (
    r"tanggal|tgl|bulan|bln|tahun|thn|th|pada|sekitar|sekitaran|kurang lebih|kira-kira"
    r"|awal|akhir|pertengahan|tengah|on|in|of|the|around|about|early|late|mid"
)
_RANGE_WORDS = r"s/d|s\.d\.?|sd|sampai dengan|sampai|hingga|until|till|to|through|thru|dan|and"
_SINCE = re.compile(r"^(?:sejak|mulai|semenjak|dari|since|from|starting)\s+")
_BETWEEN = re.compile(r"^(?:antara|between)\s+")


@dataclass(frozen=True)
class _Point:
    """One side of an answer as typed; missing parts are None until borrowed."""

    day: int | None
    month: int | None
    year: int | None


def _match_point(s: str) -> _Point | None:
    for pattern in _POINTS:
        match = pattern.fullmatch(s)
        if match is None:
            continue
        groups = match.groupdict()
        month = _MONTHS[groups["mn"]] if groups.get("mn") else groups.get("m")
        year = groups.get("y")
        return _Point(
            day=int(groups["d"]) if groups.get("d") else None,
            month=int(month) if month is not None else None,
            year=(int(year) + 2000 if len(year) == 2 else int(year)) if year else None,
        )
    return None


def _span(point: _Point) -> tuple[date, date, Precision]:
    """The dates a complete point covers; raises on dates that do not exist."""
    year = point.year
    assert year is not None
    if year < MIN_YEAR:
        raise ParseError(texts.TIME_BAD_YEAR, year=year)
    if point.month is None:
        return date(year, 1, 1), date(year, 12, 31), Precision.PERIOD
    if not 1 <= point.month <= 12:
        raise ParseError(texts.TIME_IMPOSSIBLE)
    if point.day is None:
        last = calendar.monthrange(year, point.month)[1]
        return date(year, point.month, 1), date(year, point.month, last), Precision.MONTH
    try:
        day = date(year, point.month, point.day)
    except ValueError:
        raise ParseError(texts.TIME_IMPOSSIBLE) from None
    return day, day, Precision.DAY


def _range(left: _Point, right: _Point) -> tuple[date, date, Precision]:
    """A period; the start may borrow its month and year from the end ("12 - 15 Maret 2024").

    A start month without a year is the latest one not after the end, so
    "Desember - Februari 2024" starts in December 2023.
    """
    if right.year is None:
        if left.year is None:
            raise ParseError(texts.TIME_NEED_YEAR)
        if right.month is None and (right.day is None or left.month is None):
            raise ParseError(texts.TIME_INVALID)
        right = _Point(right.day, right.month or left.month, left.year)
    borrowed_year = left.year is None and left.month is not None
    if left.year is None:
        if left.month is None and (left.day is None or right.day is None or right.month is None):
            raise ParseError(texts.TIME_INVALID)  # "12 - Maret 2024", "12 - 2024"
        left = _Point(left.day, left.month or right.month, right.year)
    start, start_end, start_precision = _span(left)
    end_start, end, _ = _span(right)
    if start > end and borrowed_year and left.year is not None:
        start, start_end, start_precision = _span(_Point(left.day, left.month, left.year - 1))
    if start > end:
        raise ParseError(texts.TIME_REVERSED)
    if (start, start_end) == (end_start, end):
        return start, end, start_precision
    return start, end, Precision.PERIOD


def _normalise_time(text: str) -> str:
    """Lower-case and strip what carries no date: weekdays, clock times, filler words."""
    s = text.lower().translate(_DASHES).replace("\u00a0", " ")
    s = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", s)  # 12th
    s = re.sub(r"\b(?:pukul|pkl|jam)\.?\s*\d{1,2}(?:[.:]\d{2})?", " ", s)  # clock times
    s = re.sub(r"(?:\bat\s*)?\b\d{1,2}:\d{2}\b", " ", s)
    s = re.sub(r"\b(?:wita|wib|wit)\b", " ", s)
    s = re.sub(rf"\b(?:{_WEEKDAYS})\b", " ", s)
    s = re.sub(rf"(?<![\w-])(?:{_FILLERS})\.?(?![\w-])", " ", s)
    s = s.replace(",", " ")
    s = re.sub(rf"\s+(?:{_RANGE_WORDS})\s+", " - ", f" {s} ")
    s = re.sub(r"\s*/\s*", "/", s)
    return " ".join(s.split()).strip(" .")


def _today() -> date:
    return datetime.now(WITA).date()


def _read_time(s: str, today: date) -> tuple[date, date, Precision]:
    """Dates and precision of a normalised answer; the rules are in `incident_time`."""
    if s in _WORDS_NOW:
        return today, today, Precision.DAY
    if s in _WORDS_YESTERDAY:
        yesterday = today - timedelta(days=1)
        return yesterday, yesterday, Precision.DAY
    since = _SINCE.match(s)
    s = _SINCE.sub("", _BETWEEN.sub("", s))
    single = _match_point(s)
    if single is not None:
        if single.year is None:
            raise ParseError(texts.TIME_NEED_YEAR)
        start, end, precision = _span(single)
        if since:
            return start, max(start, today), Precision.PERIOD
        return start, end, precision
    # A period: try each "-" as the divider; the first split whose two sides both read as
    # dates wins ("12-03-2024 - 15-03-2024" divides at the spaced dash).
    for index, char in enumerate(s):
        if char != "-":
            continue
        left_text, right_text = s[:index].strip(), s[index + 1 :].strip()
        left = _match_point(left_text)
        if left is None:
            continue
        if right_text in _WORDS_NOW:
            if left.year is None:
                raise ParseError(texts.TIME_NEED_YEAR)
            start = _span(left)[0]
            return start, max(start, today), Precision.PERIOD
        right = _match_point(right_text)
        if right is not None:
            return _range(left, right)
    raise ParseError(texts.TIME_INVALID)


def incident_time(text: str, *, today: date | None = None) -> IncidentTime:
    """When the incident happened: a day, a month, or a period, never in the future.

    Numbers are read day first (Indonesian order, never US order); two-digit years are 20xx.
    Month names may be Indonesian or English, full or short. A bare year is a period of
    the whole year; "sejak Maret 2024" or "Maret 2024 - sekarang" runs until today.
    Only the start must not be after `today` (default: today in Kupang, WITA), so a month
    or period that is still going on is fine.
    """
    typed = text.strip()
    today = today or _today()
    if not typed or len(typed) > 100:
        raise ParseError(texts.TIME_INVALID)
    start, end, precision = _read_time(_normalise_time(typed), today)
    if start > today:
        raise ParseError(texts.TIME_FUTURE, today=today.strftime("%d/%m/%Y"))
    return IncidentTime(text=typed, start=start, end=end, precision=precision)


# -- links -------------------------------------------------------------------------------


_HOST = r"(?:[\w-]+\.)+[^\W\d_]{2,}"  # at least one dot, a top-level domain of letters
_LINK_START = re.compile(rf"(?i)https?://|www\.|{_HOST}(?::\d+)?/")
_SCHEME = re.compile(r"(?i)https?://")
_COMMA_BEFORE_LINK = re.compile(rf"(?i),(?=https?://|www\.|{_HOST}(?::\d+)?/)")
_TRAILING = ".,;:!?'\"\u2019\u201d\u00bb>]}\u2026"
_LABEL = re.compile(r"[\w-]+")


def _trim_link(link: str) -> str:
    """Drop punctuation that ends the sentence, not the link; keep a balanced ")"."""
    while link:
        last = link[-1]
        if last in _TRAILING or (last == ")" and link.count(")") > link.count("(")):
            link = link[:-1]
        else:
            break
    return link


def _clean_link(link: str) -> str | None:
    """The link with a lower-case scheme and host, or None if it has no proper host."""
    try:
        parts = urlsplit(link)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        return None
    if not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return None
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def links(text: str) -> list[str]:
    """Every http(s) link in the answer, in order, without repeats.

    Links may be separated by spaces, new lines or commas, and wrapped in brackets.
    A link without "http" ("drive.google.com/...", "www.x.com") gets "https://", but
    only with "www." or a "/" after the host, so a file name such as "foto.jpg" or an
    e-mail address is not mistaken for a link. A broken http link is an error rather than
    silently dropped, so the reporter knows that piece of evidence did not arrive.
    """
    found: list[str] = []
    for token in text.split():
        for piece in _COMMA_BEFORE_LINK.split(token):
            scheme = _SCHEME.search(piece)
            if scheme is not None:
                candidate = _trim_link(piece[scheme.start() :])
            else:
                piece = piece.lstrip("([{<'\"\u2018\u201c\u00ab")
                start = _LINK_START.match(piece)
                if start is None:
                    continue
                candidate = "https://" + _trim_link(piece)
            link = _clean_link(candidate)
            if link is None:
                shown = candidate if len(candidate) <= 60 else candidate[:57] + "..."
                raise ParseError(texts.LINK_INVALID, link=_escape(shown))
            if link not in found:
                found.append(link)
    if not found:
        raise ParseError(texts.LINKS_NONE)
    return found
