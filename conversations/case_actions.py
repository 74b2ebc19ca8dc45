"""Every case action and officer command, in one table.

A row names the action, the move it makes (checked against the one transition table in
`workflow`), the arguments it takes and how each is parsed, who may do it, and its help line.
The officers' group (`/tanya`, the alert's buttons), the officer CLI (`wbs-officer cases ask`)
and both helps (`/bantuan`, `--help`) are generated from it, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from conversations import officer_texts as texts
from conversations.audit_actions import AuditAction
from conversations.i18n import Lang, Text
from conversations.statistics import parse_month
from conversations.workflow import REOPEN_TO, CaseState, Outcome

CALLED = ("pelapor", "saksi", "terlapor")
WORD = re.compile(r"(\S+)\s*(.*)", re.DOTALL)  # one word, then the rest with its own spacing


class Role(StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"


class Kind(StrEnum):
    READ = "read"  # shows something, changes nothing; each channel renders it
    ACT = "act"  # a `CaseService` method of the row's key: audited, may move the case


class ActionTableError(ValueError):
    """The table is inconsistent (duplicate names, a move the workflow does not know…)."""


# -- parsers: plain `str -> value`, raising ValueError with a reason ----------------------------


def case_name(text: str) -> str:
    """A case as typed (`WBS-2026-0007` or `7`); the case service resolves it."""
    name = text.strip()
    if not name:
        raise ValueError("a case number is needed")
    return name


def free_text(text: str) -> str:
    value = text.strip()
    if not value:
        raise ValueError("the text is empty")
    return value


def called(text: str) -> str:
    who = text.strip().lower()
    if who not in CALLED:
        raise ValueError(f"{text!r}: one of {', '.join(CALLED)}")
    return who


def outcome(text: str) -> Outcome:
    return Outcome(text.strip().lower())


def state(text: str) -> CaseState:
    return CaseState(text.strip().lower())


def month(text: str) -> str:
    return parse_month(text)


# -- the rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str  # the keyword of the case service's method
    label: Text  # as shown in usage lines: N, teks, alasan…
    parse: Callable[[str], Any]
    what: Text  # for error messages: "the question"
    rest: bool = False  # takes the rest of the line (free text)
    optional: bool = False
    cli_option: str | None = None  # the CLI takes it as an option (`--reason`), not positional

    def usage(self, lang: Lang) -> str:
        label = self.label.render(lang)
        return f"[{label}]" if self.optional else label


@dataclass(frozen=True)
class CaseAction:
    key: str
    help: Text
    params: tuple[Param, ...] = ()
    role: Role = Role.OFFICER
    kind: Kind = Kind.ACT
    target: CaseState | None = None  # the move it makes, if it always makes one
    audit: AuditAction | None = None  # what the audit log records
    command: str | None = None  # the group's /command
    cli: tuple[str, ...] | None = None  # the officer CLI's command path
    button: Text | None = None  # a button under the new report's alert
    reply_prompt: Text | None = None  # the button first asks for the last argument
    done: Text | None = None  # what the CLI prints when it is done

    def usage(self, lang: Lang) -> str:
        return " ".join(p.usage(lang) for p in self.params)

    @property
    def cli_name(self) -> str:
        return " ".join(self.cli or ())

    def parse_words(self, line: str) -> dict[str, Any]:
        """The arguments of a typed command line (after the command): ValueError if wrong."""
        values: dict[str, Any] = {}
        rest = line.strip()
        for param in self.params:
            if param.rest:
                token, rest = rest, ""
            else:
                first = WORD.match(rest)
                token, rest = (first.group(1), first.group(2)) if first else ("", "")
            if not token.strip():
                if param.optional:
                    values[param.name] = "" if param.rest else None
                    continue
                raise ValueError(f"{param.what.en} is missing")
            values[param.name] = param.parse(token)
        return values


CASE = Param("name", Text("N", "N"), case_name, Text("nomor kasus", "the case"))


def _text(name: str, label: Text, what: Text, *, optional: bool = False) -> Param:
    return Param(name, label, free_text, what, rest=True, optional=optional)


ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "list",
        Text("kasus terbuka (atau berstatus tertentu)", "open cases (or those in a state)"),
        (
            Param(
                "state", Text("status", "state"), state, Text("status", "the state"), optional=True
            ),
        ),
        kind=Kind.READ,
        command="kasus",
        cli=("cases", "list"),
    ),
    CaseAction(
        "show",
        Text("kasus lengkap dengan riwayat dan catatan", "one case in full, with its history"),
        (CASE,),
        kind=Kind.READ,
        command="lihat",
        cli=("cases", "show"),
    ),
    CaseAction(
        "take",
        Text("ambil kasus untuk diri sendiri", "take the case yourself"),
        (CASE,),
        audit=AuditAction.TAKEN,
        command="ambil",
        cli=("cases", "take"),
        button=Text("Ambil", "Ambil"),
        done=Text("diambil", "taken"),
    ),
    CaseAction(
        "ask",
        Text(
            "kirim pertanyaan ke pelapor (→ Menunggu Kelengkapan)",
            "send the reporter a question (→ kelengkapan)",
        ),
        (CASE, _text("question", Text("teks", "text"), Text("pertanyaan", "the question"))),
        target=CaseState.INCOMPLETE,
        audit=AuditAction.INCOMPLETE,
        command="tanya",
        cli=("cases", "ask"),
        button=Text("Minta Kelengkapan", "Minta Kelengkapan"),
        reply_prompt=texts.G_PROMPT_ASK,
        done=Text("pertanyaan dikirim", "question sent"),
    ),
    CaseAction(
        "note",
        Text("catatan internal (tidak ke pelapor)", "an internal note (never to the reporter)"),
        (CASE, _text("text", Text("teks", "text"), Text("catatan", "the note"))),
        audit=AuditAction.NOTE,
        command="catat",
        cli=("cases", "note"),
        done=Text("catatan disimpan", "note saved"),
    ),
    CaseAction(
        "review",
        Text("laporan lengkap, mulai penelaahan (→ telaah)", "the report is complete (→ telaah)"),
        (CASE,),
        target=CaseState.REVIEW,
        audit=AuditAction.REVIEW,
        command="telaah",
        cli=("cases", "review"),
        button=Text("Telaah", "Telaah"),
        done=Text("ke Penelaahan", "moved to Penelaahan"),
    ),
    CaseAction(
        "call",
        Text(
            "catat pemanggilan klarifikasi (→ klarifikasi); pelapor juga diundang",
            "record a call for clarification (→ klarifikasi); the reporter is also invited",
        ),
        (
            CASE,
            Param(
                "who",
                Text("pelapor|saksi|terlapor", "pelapor|saksi|terlapor"),
                called,
                Text("yang dipanggil", "who is called"),
            ),
            _text(
                "info",
                Text("keterangan", "details"),
                Text("keterangan", "the details"),
                optional=True,
            ),
        ),
        target=CaseState.CLARIFICATION,
        audit=AuditAction.CLARIFICATION,
        command="panggil",
        cli=("cases", "call"),
        done=Text("pemanggilan dicatat", "call recorded"),
    ),
    CaseAction(
        "close",
        Text(
            "kasus selesai, dengan hasil dan ringkasan", "conclude, with the outcome and a summary"
        ),
        (
            CASE,
            Param(
                "outcome",
                Text("terbukti|tidak_terbukti", "terbukti|tidak_terbukti"),
                outcome,
                Text("hasil", "the outcome"),
            ),
            _text("summary", Text("ringkasan", "summary"), Text("ringkasan", "the summary")),
        ),
        target=CaseState.CLOSED,
        audit=AuditAction.CLOSED,
        command="selesai",
        cli=("cases", "close"),
        done=Text("selesai", "concluded"),
    ),
    CaseAction(
        "reject",
        Text("tolak laporan, dengan alasan", "reject the report, with a reason"),
        (CASE, _text("reason", Text("alasan", "reason"), Text("alasan", "the reason"))),
        target=CaseState.REJECTED,
        audit=AuditAction.REJECTED,
        command="tolak",
        cli=("cases", "reject"),
        button=Text("Tolak", "Tolak"),
        reply_prompt=texts.G_PROMPT_REJECT,
        done=Text("ditolak", "rejected"),
    ),
    CaseAction(
        "refer",
        Text("limpahkan ke instansi berwenang", "hand over to the competent body"),
        (CASE, _text("target", Text("tujuan", "body"), Text("tujuan", "the body"))),
        target=CaseState.REFERRED,
        audit=AuditAction.REFERRED,
        command="limpahkan",
        cli=("cases", "refer"),
        done=Text("dilimpahkan", "referred"),
    ),
    CaseAction(
        "stats",
        Text("statistik bulanan", "monthly statistics"),
        (
            Param(
                "month",
                Text("YYYY-MM", "YYYY-MM"),
                month,
                Text("bulan", "the month"),
                optional=True,
            ),
        ),
        kind=Kind.READ,
        command="statistik",
        cli=("stats",),
    ),
    CaseAction(
        "reopen",
        Text("admin: buka kembali kasus final (→ telaah)", "admin: reopen a final case (→ telaah)"),
        (CASE, _text("reason", Text("alasan", "reason"), Text("alasan", "the reason"))),
        role=Role.ADMIN,
        target=REOPEN_TO,
        audit=AuditAction.REOPENED,
        command="buka",
        cli=("cases", "reopen"),
        done=Text("dibuka kembali", "reopened"),
    ),
    CaseAction(
        "reveal",
        Text(
            "admin: identitas pelapor ke chat pribadi admin (tercatat di log audit)",
            "admin: the reporter's identity, to the admin alone (audit logged)",
        ),
        (
            CASE,
            Param(
                "reason",
                Text("alasan", "reason"),
                free_text,
                Text("alasan", "--reason"),
                rest=True,
                cli_option="--reason",
            ),
        ),
        role=Role.ADMIN,
        audit=AuditAction.IDENTITY_REVEALED,
        command="ungkap",
        cli=("identity", "reveal"),
    ),
    CaseAction(
        "help",
        Text("daftar perintah", "the commands"),
        kind=Kind.READ,
        command="bantuan",
    ),
    CaseAction(
        "assign",
        Text("tugaskan kasus kepada petugas lain", "assign the case to an officer"),
        (
            CASE,
            _text(
                "officer_name",
                Text("PETUGAS", "OFFICER"),
                Text("nama petugas", "the officer's name"),
            ),
        ),
        audit=AuditAction.ASSIGNED,
        cli=("cases", "assign"),
        done=Text("ditugaskan kepada {officer_name}", "assigned to {officer_name}"),
    ),
    CaseAction(
        "move",
        Text(
            "pindahkan kasus ke status mana pun yang diizinkan tabel",
            "move the case to any state the transition table allows",
        ),
        (
            CASE,
            Param("target", Text("STATUS", "STATE"), state, Text("status", "the state")),
            Param(
                "reason",
                Text("alasan", "reason"),
                free_text,
                Text("alasan", "--reason"),
                rest=True,
                cli_option="--reason",
            ),
            Param(
                "outcome",
                Text("hasil", "outcome"),
                outcome,
                Text("hasil", "--outcome"),
                optional=True,
                cli_option="--outcome",
            ),
        ),
        cli=("cases", "move"),
    ),
)

BY_KEY: Mapping[str, CaseAction] = {a.key: a for a in ACTIONS}
BY_COMMAND: Mapping[str, CaseAction] = {a.command: a for a in ACTIONS if a.command}
BUTTONS: tuple[CaseAction, ...] = tuple(a for a in ACTIONS if a.button is not None)


def action(key: str) -> CaseAction:
    return BY_KEY[key]


def validate_actions(actions: Sequence[CaseAction] = ACTIONS) -> None:
    """Names unique, moves known to the workflow, buttons and prompts complete: at start-up."""
    for attribute in ("key", "command", "cli"):
        seen: set[object] = set()
        for row in actions:
            value = getattr(row, attribute)
            if value is None:
                continue
            if value in seen:
                raise ActionTableError(f"duplicate {attribute} {value!r} in the action table")
            seen.add(value)
    for row in actions:
        if row.command is None and row.cli is None:
            raise ActionTableError(f"action {row.key!r} has neither a group command nor a CLI one")
        if row.target is not None and row.target not in CaseState.__members__.values():
            raise ActionTableError(f"action {row.key!r} moves to unknown state {row.target!r}")
        if row.kind is Kind.ACT and row.audit is None and row.key != "move":
            raise ActionTableError(f"action {row.key!r} changes a case but audits nothing")
        if row.reply_prompt is not None and (row.button is None or not row.params[-1].rest):
            raise ActionTableError(f"action {row.key!r}: a reply prompt needs a button and text")
        positional = [p for p in row.params if p.cli_option is None]
        if any(p.rest for p in positional[:-1]):
            raise ActionTableError(f"action {row.key!r}: free text must come last")


def check_handlers(actions: Iterable[CaseAction], kind: Kind, handled: Iterable[str]) -> None:
    """A channel handles every row of a kind it serves: checked when it is built."""
    missing = sorted({a.key for a in actions if a.kind is kind} - set(handled))
    if missing:
        raise ActionTableError(f"no handler for action(s) {', '.join(missing)}")


def help_lines(lang: Lang) -> list[str]:
    """`/bantuan`: one line a group command, then the actions only the terminal has."""
    lines = [
        f"/{a.command} {a.usage(lang)} – {a.help.render(lang)}".replace("  ", " ")
        for a in ACTIONS
        if a.command
    ]
    return lines


def cli_only() -> list[CaseAction]:
    return [a for a in ACTIONS if a.command is None]
