"""Table-driven tests for the answer parsers: every accepted format and every rejection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from conversations import parsers, texts
from conversations.i18n import Lang, Text
from conversations.parsers import IncidentTime, ParseError, Precision

TODAY = date(2026, 11, 23)


def assert_rejected(parse: Callable[[str], object], answer: str, message: Text) -> None:
    """The answer fails with `message`, shown in Indonesian with an example by default."""
    with pytest.raises(ParseError) as caught:
        parse(answer)
    error = caught.value
    assert error.message == message
    shown = str(error)
    assert shown == error.render(Lang.ID) == message.render(Lang.ID, **error.params)
    assert "Contoh:" in shown
    assert "{" not in shown
    english = error.render(Lang.EN)
    assert "Example:" in english
    assert english != shown


# -- ParseError --------------------------------------------------------------------------


def test_parse_error_keeps_message_and_params() -> None:
    message = Text(id="Minimal {n}. Contoh: 5", en="At least {n}. Example: 5")
    error = ParseError(message, n=3)
    assert isinstance(error, ValueError)
    assert error.message is message
    assert error.params == {"n": 3}
    assert str(error) == "Minimal 3. Contoh: 5"
    assert error.render(Lang.EN) == "At least 3. Example: 5"


# -- person_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Maria Goreti Bria", "Maria Goreti Bria"),
        ("  Maria   Goreti\tBria \n", "Maria Goreti Bria"),
        ("Yohanes D. Bria", "Yohanes D. Bria"),
        ("O'Neil", "O'Neil"),
        ("O\u2019Neil", "O'Neil"),
        ("Anna-Maria de Rozari", "Anna-Maria de Rozari"),
        ("Li", "Li"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Jose\u0301", "José"),  # decomposed accent is composed (NFC)
        ("A" * 100, "A" * 100),
    ],
)
def test_person_name_accepts(answer: str, expected: str) -> None:
    assert parsers.person_name(answer) == expected


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", texts.NAME_TOO_SHORT),
        ("   ", texts.NAME_TOO_SHORT),
        ("A", texts.NAME_TOO_SHORT),
        ("A.", texts.NAME_TOO_SHORT),
        ("--", texts.NAME_TOO_SHORT),
        ("A" * 101, texts.NAME_TOO_LONG),
        ("Budi 2", texts.NAME_BAD_CHARS),
        ("Budi_Santoso", texts.NAME_BAD_CHARS),
        ("budi@gmail.com", texts.NAME_BAD_CHARS),
        ("Budi, S.H.", texts.NAME_BAD_CHARS),
        ("Budi 😀", texts.NAME_BAD_CHARS),
    ],
)
def test_person_name_rejects(answer: str, message: Text) -> None:
    assert_rejected(parsers.person_name, answer, message)


def test_person_name_too_long_says_how_long() -> None:
    with pytest.raises(ParseError) as caught:
        parsers.person_name("A" * 120)
    assert "100" in str(caught.value)
    assert "120" in str(caught.value)


# -- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),  # Telegram's shared contact
        ("+6281234567890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        (" 0812 3456 7890 ", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("+62 0812 3456 7890", "+6281234567890"),
        ("(0380) 821234", "+62380821234"),
        ("0380-821234", "+62380821234"),
        ("62 380 821234", "+62380821234"),
        ("021 1234567", "+62211234567"),
    ],
)
def test_phone_accepts(answer: str, expected: str) -> None:
    assert parsers.phone(answer) == expected


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", texts.PHONE_INVALID),
        ("08123", texts.PHONE_INVALID),
        ("0812 CALL ME", texts.PHONE_INVALID),
        ("nomor saya 0812", texts.PHONE_INVALID),
        ("0812345678901234567", texts.PHONE_INVALID),
        ("+62 123", texts.PHONE_INVALID),
        ("+1 650 253 0000", texts.PHONE_FOREIGN),
        ("+44 20 7946 0958", texts.PHONE_FOREIGN),
        ("+65 6123 4567", texts.PHONE_FOREIGN),
        ("+670 7723 4567", texts.PHONE_FOREIGN),  # Timor-Leste, next door to NTT
    ],
)
def test_phone_rejects(answer: str, message: Text) -> None:
    assert_rejected(parsers.phone, answer, message)


# -- email -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("budi@gmail.com", "budi@gmail.com"),
        ("Budi.Santoso@Gmail.COM", "budi.santoso@gmail.com"),
        ("  pelapor@bkd.nttprov.go.id ", "pelapor@bkd.nttprov.go.id"),
        ("nama+wbs@yahoo.co.id", "nama+wbs@yahoo.co.id"),
    ],
)
def test_email_accepts(answer: str, expected: str) -> None:
    assert parsers.email(answer) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "budi",
        "budi@gmail",
        "budi @gmail.com",
        "budi@gmail..com",
        "@gmail.com",
        "budi@localhost",
    ],
)
def test_email_rejects(answer: str) -> None:
    assert_rejected(parsers.email, answer, texts.EMAIL_INVALID)


# -- text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_len", "max_len", "answer", "expected"),
    [
        (20, 4000, "  Petugas meminta uang pelicin.  ", "Petugas meminta uang pelicin."),
        (
            20,
            4000,
            "Baris pertama.\r\nBaris kedua.\n\nBaris ketiga.",
            "Baris pertama.\nBaris kedua.\n\nBaris ketiga.",
        ),
        (2, 100, "Bria", "Bria"),
        (2, 100, "Li", "Li"),
        (3, 300, "x" * 300, "x" * 300),
        (2, 150, "  Kepala Sub Bagian Umum  ", "Kepala Sub Bagian Umum"),
        (2, 10, "42", "42"),
    ],
)
def test_text_accepts(min_len: int, max_len: int, answer: str, expected: str) -> None:
    assert parsers.text(min_len, max_len)(answer) == expected


@pytest.mark.parametrize(
    ("min_len", "max_len", "answer", "message", "numbers"),
    [
        (20, 4000, "", texts.TEXT_TOO_SHORT, ("20", "0")),
        (20, 4000, "   \n  ", texts.TEXT_TOO_SHORT, ("20", "0")),
        (20, 4000, "  terlalu pendek  ", texts.TEXT_TOO_SHORT, ("20", "14")),
        (3, 300, "x" * 301, texts.TEXT_TOO_LONG, ("300", "301")),
        (30, 4000, "y" * 4100, texts.TEXT_TOO_LONG, ("4000", "4100")),
        (2, 100, "?!", texts.TEXT_NO_CONTENT, ()),
        (20, 4000, "." * 25, texts.TEXT_NO_CONTENT, ()),
        (2, 100, "😀😀😀", texts.TEXT_NO_CONTENT, ()),
    ],
)
def test_text_rejects(
    min_len: int, max_len: int, answer: str, message: Text, numbers: tuple[str, ...]
) -> None:
    parse = parsers.text(min_len, max_len)
    with pytest.raises(ParseError) as caught:
        parse(answer)
    error = caught.value
    # The example is baked into the message: same wording, not the same object.
    assert error.message.id.startswith(message.id.split("{")[0])
    shown = str(error)
    assert "Contoh:" in shown
    assert "Example:" in error.render(Lang.EN)
    assert "{" not in shown
    for number in numbers:
        assert number in shown


def test_text_error_uses_the_fields_example() -> None:
    example = Text(id="Ruang {Bidang} Disiplin", en="The {Discipline} office")
    parse = parsers.text(3, 300, example=example)
    with pytest.raises(ParseError) as caught:
        parse("ab")
    assert str(caught.value).endswith("Contoh: Ruang {Bidang} Disiplin")
    assert caught.value.render(Lang.EN).endswith("Example: The {Discipline} office")


@pytest.mark.parametrize(("min_len", "max_len"), [(-1, 10), (10, 5)])
def test_text_factory_refuses_bad_bounds(min_len: int, max_len: int) -> None:
    with pytest.raises(ValueError, match="min_len"):
        parsers.text(min_len, max_len)


# -- amount ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Rp 5.000.000", 5_000_000),
        ("Rp5.000.000,00", 5_000_000),
        ("Rp. 5.000.000,-", 5_000_000),
        ("Rp 5.000.000,00,-", 5_000_000),
        ("5000000", 5_000_000),
        ("5.000.000", 5_000_000),
        ("5.000.000.", 5_000_000),
        ("5 000 000", 5_000_000),
        ("5 juta", 5_000_000),
        ("5jt", 5_000_000),
        ("5 jt", 5_000_000),
        ("5 jt.", 5_000_000),
        ("5 Juta", 5_000_000),
        ("2,5 juta", 2_500_000),
        ("2.5 juta", 2_500_000),
        ("0,5 juta", 500_000),
        ("1,250 juta", 1_250_000),
        ("2.500 juta", 2_500_000_000),
        ("750 ribu", 750_000),
        ("750rb", 750_000),
        ("750 rb", 750_000),
        ("750k", 750_000),
        ("750K", 750_000),
        ("1,2 miliar", 1_200_000_000),
        ("1,2 milyar", 1_200_000_000),
        ("1.2 M", 1_200_000_000),
        ("1 triliun", 1_000_000_000_000),
        ("Rp 0", 0),
        ("0", 0),
        ("5 juta rupiah", 5_000_000),
        ("IDR 5.000.000", 5_000_000),
        ("idr 5.000.000", 5_000_000),
        ("5.000", 5_000),
        ("5,000", 5_000),
        ("5,000,000", 5_000_000),
        ("2 juta 500 ribu", 2_500_000),
        ("1 juta 500", 1_000_500),
        ("sekitar 5 juta", 5_000_000),
        ("± 5 juta", 5_000_000),
        ("1000 triliun", 10**15),
    ],
)
def test_amount_accepts(answer: str, expected: int) -> None:
    assert parsers.amount(answer) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("lima juta", 5_000_000),
        ("Lima Juta Rupiah", 5_000_000),
        ("dua ratus ribu", 200_000),
        ("1,5 M", 1_500_000_000),
        ("sejuta", 1_000_000),
        ("seratus lima puluh ribu", 150_000),
        ("dua juta lima ratus ribu", 2_500_000),
        ("satu setengah juta", 1_500_000),
        ("setengah juta", 500_000),
        ("tujuh belas juta", 17_000_000),
        ("sekitar sepuluh juta", 10_000_000),
        ("dua puluh lima ribu", 25_000),
    ],
)
def test_amount_in_words(answer: str, expected: int) -> None:
    assert parsers.amount(answer) == expected


def test_number_words_leave_other_words_alone() -> None:
    assert parsers.number_words("dua ratus ribu") == "200 ribu"
    assert parsers.number_words("satu setengah juta") == "1,5 juta"
    assert parsers.number_words("uang lima juta") == "uang 5 juta"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", texts.AMOUNT_INVALID),
        ("Rp", texts.AMOUNT_INVALID),
        ("tidak tahu", texts.AMOUNT_INVALID),
        ("juta", texts.AMOUNT_INVALID),
        ("lima kilo", texts.AMOUNT_INVALID),
        ("banyak sekali", texts.AMOUNT_INVALID),
        ("5 kg", texts.AMOUNT_INVALID),
        ("12.34.567", texts.AMOUNT_INVALID),
        ("5 2 juta", texts.AMOUNT_INVALID),
        ("500 ribu 2 juta", texts.AMOUNT_INVALID),
        ("-5000", texts.AMOUNT_NEGATIVE),
        ("Rp -5.000.000", texts.AMOUNT_NEGATIVE),
        ("−5 juta", texts.AMOUNT_NEGATIVE),
        ("minus 5 juta", texts.AMOUNT_NEGATIVE),
        ("1,5", texts.AMOUNT_FRACTION),
        ("2.5", texts.AMOUNT_FRACTION),
        ("Rp 5.000.000,50", texts.AMOUNT_FRACTION),
        ("1,2345 rb", texts.AMOUNT_FRACTION),
        ("1001 triliun", texts.AMOUNT_TOO_LARGE),
        ("9.999.999.999.999.999", texts.AMOUNT_TOO_LARGE),
    ],
)
def test_amount_rejects(answer: str, message: Text) -> None:
    assert_rejected(parsers.amount, answer, message)


# -- incident_time -----------------------------------------------------------------------

D = Precision.DAY
M = Precision.MONTH
P = Precision.PERIOD


@pytest.mark.parametrize(
    ("answer", "start", "end", "precision"),
    [
        ("12/03/2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12-03-2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12.03.2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12/3/24", date(2024, 3, 12), date(2024, 3, 12), D),
        ("3/4/2024", date(2024, 4, 3), date(2024, 4, 3), D),  # day first, never US order
        ("12 Maret 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12 maret 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12 Mar 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12 Mar. 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12-Mar-2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12 March 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("March 12, 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("12th March 2024", date(2024, 3, 12), date(2024, 3, 12), D),
        ("2024-03-12", date(2024, 3, 12), date(2024, 3, 12), D),
        ("29/02/2024", date(2024, 2, 29), date(2024, 2, 29), D),
        ("Senin, 12 Februari 2024", date(2024, 2, 12), date(2024, 2, 12), D),
        ("tanggal 12 Maret 2024 pukul 10.00 WITA", date(2024, 3, 12), date(2024, 3, 12), D),
        ("tgl 5/1/2025 jam 9:30", date(2025, 1, 5), date(2025, 1, 5), D),
        ("12 Maret 2024.", date(2024, 3, 12), date(2024, 3, 12), D),
        ("23/11/2026", TODAY, TODAY, D),
        ("hari ini", TODAY, TODAY, D),
        ("kemarin", date(2026, 11, 22), date(2026, 11, 22), D),
        ("Maret 2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("bulan Maret 2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("Mar 2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("March 2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("03/2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("3/2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("2024-03", date(2024, 3, 1), date(2024, 3, 31), M),
        ("Februari 2024", date(2024, 2, 1), date(2024, 2, 29), M),
        ("Pebruari 2023", date(2023, 2, 1), date(2023, 2, 28), M),
        ("Feb 2023", date(2023, 2, 1), date(2023, 2, 28), M),
        ("Januari 2024", date(2024, 1, 1), date(2024, 1, 31), M),
        ("Jan 2024", date(2024, 1, 1), date(2024, 1, 31), M),
        ("April 2024", date(2024, 4, 1), date(2024, 4, 30), M),
        ("Apr 2024", date(2024, 4, 1), date(2024, 4, 30), M),
        ("Mei 2024", date(2024, 5, 1), date(2024, 5, 31), M),
        ("May 2024", date(2024, 5, 1), date(2024, 5, 31), M),
        ("Juni 2024", date(2024, 6, 1), date(2024, 6, 30), M),
        ("Jun 2024", date(2024, 6, 1), date(2024, 6, 30), M),
        ("Juli 2024", date(2024, 7, 1), date(2024, 7, 31), M),
        ("Jul 2024", date(2024, 7, 1), date(2024, 7, 31), M),
        ("Agustus 2024", date(2024, 8, 1), date(2024, 8, 31), M),
        ("Agu 2024", date(2024, 8, 1), date(2024, 8, 31), M),
        ("Agt 2024", date(2024, 8, 1), date(2024, 8, 31), M),
        ("Ags 2024", date(2024, 8, 1), date(2024, 8, 31), M),
        ("Aug 2024", date(2024, 8, 1), date(2024, 8, 31), M),
        ("September 2024", date(2024, 9, 1), date(2024, 9, 30), M),
        ("Sep 2024", date(2024, 9, 1), date(2024, 9, 30), M),
        ("Sept 2024", date(2024, 9, 1), date(2024, 9, 30), M),
        ("Oktober 2024", date(2024, 10, 1), date(2024, 10, 31), M),
        ("Okt 2024", date(2024, 10, 1), date(2024, 10, 31), M),
        ("October 2024", date(2024, 10, 1), date(2024, 10, 31), M),
        ("November 2024", date(2024, 11, 1), date(2024, 11, 30), M),
        ("Nov 2024", date(2024, 11, 1), date(2024, 11, 30), M),
        ("Nop 2024", date(2024, 11, 1), date(2024, 11, 30), M),
        ("Nopember 2024", date(2024, 11, 1), date(2024, 11, 30), M),
        ("Desember 2024", date(2024, 12, 1), date(2024, 12, 31), M),
        ("Des 2024", date(2024, 12, 1), date(2024, 12, 31), M),
        ("December 2024", date(2024, 12, 1), date(2024, 12, 31), M),
        ("November 2026", date(2026, 11, 1), date(2026, 11, 30), M),  # contains today
        ("Januari - Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("Januari – Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("Januari s/d Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("Januari sampai Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("antara Januari dan Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("Januari 2024 - Maret 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("Jan-Mar 2024", date(2024, 1, 1), date(2024, 3, 31), P),
        ("12/03/2024 - 15/03/2024", date(2024, 3, 12), date(2024, 3, 15), P),
        ("12-03-2024 - 15-03-2024", date(2024, 3, 12), date(2024, 3, 15), P),
        ("12/03 - 15/03/2024", date(2024, 3, 12), date(2024, 3, 15), P),
        ("12 - 15 Maret 2024", date(2024, 3, 12), date(2024, 3, 15), P),
        ("dari 12 Maret sampai 15 Maret 2024", date(2024, 3, 12), date(2024, 3, 15), P),
        ("Desember 2023 - Februari 2024", date(2023, 12, 1), date(2024, 2, 29), P),
        ("Desember - Februari 2024", date(2023, 12, 1), date(2024, 2, 29), P),
        ("2024-03 - 2024-05", date(2024, 3, 1), date(2024, 5, 31), P),
        ("2023 - 2024", date(2023, 1, 1), date(2024, 12, 31), P),
        ("2024", date(2024, 1, 1), date(2024, 12, 31), P),
        ("tahun 2024", date(2024, 1, 1), date(2024, 12, 31), P),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), P),  # contains today
        ("sejak Maret 2024", date(2024, 3, 1), TODAY, P),
        ("mulai 12/03/2024", date(2024, 3, 12), TODAY, P),
        ("Maret 2024 - sekarang", date(2024, 3, 1), TODAY, P),
        ("Maret 2024 sampai sekarang", date(2024, 3, 1), TODAY, P),
        ("Maret 2024 - Maret 2024", date(2024, 3, 1), date(2024, 3, 31), M),
        ("1/11/2026 - 30/11/2026", date(2026, 11, 1), date(2026, 11, 30), P),
    ],
)
def test_incident_time_accepts(answer: str, start: date, end: date, precision: Precision) -> None:
    result = parsers.incident_time(f"  {answer} ", today=TODAY)
    assert result == IncidentTime(text=answer, start=start, end=end, precision=precision)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", texts.TIME_INVALID),
        ("kapan-kapan", texts.TIME_INVALID),
        ("minggu lalu", texts.TIME_INVALID),
        ("12/03/2024/5", texts.TIME_INVALID),
        ("Maretan 2024", texts.TIME_INVALID),
        ("12 - Maret 2024", texts.TIME_INVALID),
        ("x" * 101, texts.TIME_INVALID),
        ("Maret", texts.TIME_NEED_YEAR),
        ("12 Maret", texts.TIME_NEED_YEAR),
        ("12/03", texts.TIME_NEED_YEAR),
        ("Januari - Maret", texts.TIME_NEED_YEAR),
        ("31/02/2024", texts.TIME_IMPOSSIBLE),
        ("29/02/2023", texts.TIME_IMPOSSIBLE),
        ("31 April 2024", texts.TIME_IMPOSSIBLE),
        ("00/03/2024", texts.TIME_IMPOSSIBLE),
        ("12/13/2024", texts.TIME_IMPOSSIBLE),  # US order is not guessed
        ("13/2024", texts.TIME_IMPOSSIBLE),
        ("12/03/1024", texts.TIME_BAD_YEAR),
        ("24/11/2026", texts.TIME_FUTURE),
        ("Desember 2026", texts.TIME_FUTURE),
        ("2027", texts.TIME_FUTURE),
        ("12/3/27", texts.TIME_FUTURE),
        ("sejak Januari 2027", texts.TIME_FUTURE),
        ("Desember 2026 - Januari 2027", texts.TIME_FUTURE),
        ("Maret 2024 - Januari 2024", texts.TIME_REVERSED),
        ("15/03/2024 - 12/03/2024", texts.TIME_REVERSED),
        ("15 - 12 Maret 2024", texts.TIME_REVERSED),
        ("2024 - 2023", texts.TIME_REVERSED),
    ],
)
def test_incident_time_rejects(answer: str, message: Text) -> None:
    assert_rejected(lambda s: parsers.incident_time(s, today=TODAY), answer, message)


def test_incident_time_future_error_names_today() -> None:
    with pytest.raises(ParseError) as caught:
        parsers.incident_time("1 Desember 2026", today=TODAY)
    assert "23/11/2026" in str(caught.value)


def test_incident_time_defaults_to_today_in_wita() -> None:
    assert parsers.incident_time("12/03/2024").start == date(2024, 3, 12)
    with pytest.raises(ParseError):
        parsers.incident_time("9999")


def test_incident_time_round_trips_through_dict() -> None:
    value = parsers.incident_time("Januari - Maret 2024", today=TODAY)
    data = value.to_dict()
    assert data == {
        "text": "Januari - Maret 2024",
        "start": "2024-01-01",
        "end": "2024-03-31",
        "precision": "period",
    }
    assert IncidentTime.from_dict(data) == value


def test_incident_time_refuses_start_after_end() -> None:
    with pytest.raises(ValueError, match="after end"):
        IncidentTime("x", date(2024, 3, 2), date(2024, 3, 1), Precision.PERIOD)


# -- links -------------------------------------------------------------------------------

DRIVE = "https://drive.google.com/file/d/1AbC/view?usp=sharing"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (DRIVE, [DRIVE]),
        (f"  {DRIVE}  ", [DRIVE]),
        ("http://example.com/bukti.pdf", ["http://example.com/bukti.pdf"]),
        ("drive.google.com/file/d/1AbC", ["https://drive.google.com/file/d/1AbC"]),
        ("www.dropbox.com/s/x/foto.jpg", ["https://www.dropbox.com/s/x/foto.jpg"]),
        ("www.x.com", ["https://www.x.com"]),
        (
            "https://a.com/1 https://b.com/2\nhttps://c.com/3",
            ["https://a.com/1", "https://b.com/2", "https://c.com/3"],
        ),
        ("https://a.com/1, https://b.com/2", ["https://a.com/1", "https://b.com/2"]),
        ("https://a.com/1,https://b.com/2", ["https://a.com/1", "https://b.com/2"]),
        (
            "drive.google.com/a,www.dropbox.com/b",
            ["https://drive.google.com/a", "https://www.dropbox.com/b"],
        ),
        ("Bukti ada di sini: https://a.com/x.", ["https://a.com/x"]),
        ("(lihat https://a.com/x)", ["https://a.com/x"]),
        ("bukti:https://a.com/x", ["https://a.com/x"]),
        ("https://a.com/x!", ["https://a.com/x"]),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("https://a.com/x https://a.com/x", ["https://a.com/x"]),
        ("HTTPS://Drive.Google.COM/File/d/AbC", ["https://drive.google.com/File/d/AbC"]),
        ("https://a.com/?q=a,b", ["https://a.com/?q=a,b"]),
        ("foto.jpg dan https://a.com/x", ["https://a.com/x"]),
    ],
)
def test_links_accepts(answer: str, expected: list[str]) -> None:
    assert parsers.links(answer) == expected


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", texts.LINKS_NONE),
        ("tidak ada", texts.LINKS_NONE),
        ("foto.jpg", texts.LINKS_NONE),
        ("budi@gmail.com", texts.LINKS_NONE),
        ("drive google com", texts.LINKS_NONE),
        ("ftp://a.com/x", texts.LINKS_NONE),
        ("http://localhost/x", texts.LINK_INVALID),
        ("https://drive", texts.LINK_INVALID),
        ("https://", texts.LINK_INVALID),
        ("https://a.com:port/x", texts.LINK_INVALID),
        ("https://a.com/ok https://intranet/x", texts.LINK_INVALID),
    ],
)
def test_links_rejects(answer: str, message: Text) -> None:
    assert_rejected(parsers.links, answer, message)


def test_links_error_escapes_the_echoed_link() -> None:
    with pytest.raises(ParseError) as caught:
        parsers.links("https://<b>intranet</b>/x")
    assert "<b>" not in str(caught.value)
