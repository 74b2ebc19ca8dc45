"""What is due, and when: reminders to reporters, deadlines for officers, retention.

`due_followups` is pure: case timestamps and `now` in, the follow-ups that have fallen due out.
Each carries a `key` that names it for good (e.g. the second reminder of question 42), and the
store records a key in the same transaction as the message it sends, so a follow-up goes out
once even if the bot was stopped when it fell due, and never twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from conversations import texts
from conversations.calendar import WorkCalendar
from conversations.i18n import Lang, Text
from conversations.ports import CaseTimes
from conversations.workflow import FINAL_STATES, CaseState


class Due(StrEnum):
    EVIDENCE_REMINDER = "evidence_reminder"
    QUESTION_REMINDER = "question_reminder"
    NO_RESPONSE = "no_response"
    NOT_ACKNOWLEDGED = "not_acknowledged"
    SLA_WARNING = "sla_warning"
    SLA_OVERDUE = "sla_overdue"
    DIGEST = "digest"
    ERASE_IDENTITY = "erase_identity"


@dataclass(frozen=True)
class Rules:
    """The configured durations (see `[followup]`, `[sla]`, `[privacy]`)."""

    evidence_reminder_after: timedelta
    reminder_interval: timedelta
    max_reminders: int
    response_deadline: timedelta
    acknowledge_within: timedelta
    resolve_within: timedelta
    digest_time: time
    erase_identity_after: timedelta
    warning_share: float = 0.8


@dataclass(frozen=True)
class FollowUp:
    key: str
    kind: Due
    ticket: str | None
    number: int = 0  # which reminder (1, 2, …)
    tickets: tuple[str, ...] = ()  # for the digest
    overdue: tuple[str, ...] = ()


@dataclass
class Scan:
    rules: Rules
    calendar: WorkCalendar
    now: datetime
    found: list[FollowUp] = field(default_factory=list)

    def add(self, followup: FollowUp) -> None:
        self.found.append(followup)


def resolve_due(case: CaseTimes, rules: Rules, calendar: WorkCalendar) -> datetime:
    return calendar.add(case.created_at, rules.resolve_within)


def is_overdue(case: CaseTimes, rules: Rules, calendar: WorkCalendar, now: datetime) -> bool:
    return case.state not in FINAL_STATES and now >= resolve_due(case, rules, calendar)


def unanswered_question(case: CaseTimes) -> tuple[int, datetime] | None:
    """The latest question, if the reporter has not answered since it was asked."""
    if not case.questions:
        return None
    question_id, asked = max(case.questions, key=lambda q: q[1])
    if any(answer >= asked for answer in case.answers):
        return None
    return question_id, asked


def due_followups(
    cases: Iterable[CaseTimes], now: datetime, rules: Rules, calendar: WorkCalendar
) -> list[FollowUp]:
    """Every follow-up whose time has come; the caller sends each key at most once."""
    scan = Scan(rules, calendar, now)
    waiting: list[str] = []
    overdue: list[str] = []
    for case in cases:
        _reporter_side(scan, case)
        _officer_side(scan, case)
        _retention(scan, case)
        if case.state not in FINAL_STATES:
            if is_overdue(case, rules, calendar, now):
                overdue.append(case.ticket)
            elif case.state == CaseState.NEW or unanswered_question(case) is not None:
                waiting.append(case.ticket)
    _digest(scan, waiting, overdue)
    return scan.found


def _reporter_side(scan: Scan, case: CaseTimes) -> None:
    rules, now, add = scan.rules, scan.now, scan.calendar.add
    if case.state in FINAL_STATES or not case.reachable:
        return
    if not case.has_evidence and now >= case.created_at + rules.evidence_reminder_after:
        scan.add(FollowUp(f"{case.ticket}:evidence", Due.EVIDENCE_REMINDER, case.ticket))
    pending = unanswered_question(case)
    if pending is None or case.state != CaseState.INCOMPLETE:
        return
    question_id, asked = pending
    for number in range(1, rules.max_reminders + 1):
        if now >= asked + rules.reminder_interval * number:
            key = f"{case.ticket}:question:{question_id}:reminder:{number}"
            scan.add(FollowUp(key, Due.QUESTION_REMINDER, case.ticket, number=number))
    # The silence started with the first question after the reporter's last answer.
    last_answer = max(case.answers, default=None)
    first_asked = min(w for _, w in case.questions if last_answer is None or w > last_answer)
    if now >= add(first_asked, rules.response_deadline):
        key = f"{case.ticket}:question:{question_id}:no_response"
        scan.add(FollowUp(key, Due.NO_RESPONSE, case.ticket))


def _officer_side(scan: Scan, case: CaseTimes) -> None:
    rules, now, calendar = scan.rules, scan.now, scan.calendar
    if case.state in FINAL_STATES:
        return
    not_taken = case.state == CaseState.NEW and not case.taken
    if not_taken and now >= calendar.add(case.created_at, rules.acknowledge_within):
        scan.add(FollowUp(f"{case.ticket}:not_acknowledged", Due.NOT_ACKNOWLEDGED, case.ticket))
    if now >= resolve_due(case, rules, calendar):
        scan.add(FollowUp(f"{case.ticket}:sla_overdue", Due.SLA_OVERDUE, case.ticket))
    elif now >= calendar.fraction(case.created_at, rules.resolve_within, rules.warning_share):
        scan.add(FollowUp(f"{case.ticket}:sla_warning", Due.SLA_WARNING, case.ticket))


def _retention(scan: Scan, case: CaseTimes) -> None:
    if case.state not in FINAL_STATES or case.identity_erased or case.closed_at is None:
        return
    if scan.now >= case.closed_at + scan.rules.erase_identity_after:
        scan.add(FollowUp(f"{case.ticket}:erase_identity", Due.ERASE_IDENTITY, case.ticket))


def _digest(scan: Scan, waiting: list[str], overdue: list[str]) -> None:
    """Once a day from `digest_time` on (in the calendar's zone), and only with news."""
    local = scan.now.astimezone(scan.calendar.zone)
    if local.timetz().replace(tzinfo=None) < scan.rules.digest_time or not (waiting or overdue):
        return
    scan.add(
        FollowUp(
            f"digest:{local.date().isoformat()}",
            Due.DIGEST,
            None,
            tickets=tuple(waiting),
            overdue=tuple(overdue),
        )
    )


# --- what the group reads (the reporter's reminders are in conversations.texts) ----------

G_NO_RESPONSE = Text(
    "🚩 <b>{ticket}</b>: pelapor tidak merespons pertanyaan. Mohon diputuskan: telaah dengan "
    "data yang ada, tolak, atau limpahkan.",
    "🚩 <b>{ticket}</b>: the reporter did not respond to the question. Please decide: review "
    "with what there is, reject, or refer.",
)
G_NOT_ACKNOWLEDGED = Text(
    "⏰ <b>{ticket}</b> belum ditangani sejak diterima. Ambil dengan <i>/ambil {ticket}</i>.",
    "⏰ <b>{ticket}</b> has not been handled since it arrived. "
    "Take it with <i>/ambil {ticket}</i>.",
)
G_SLA_WARNING = Text(
    "⚠️ <b>{ticket}</b>: 80% batas waktu penyelesaian sudah lewat (batas: {due}).",
    "⚠️ <b>{ticket}</b>: 80% of the time to resolve has passed (deadline: {due}).",
)
G_SLA_OVERDUE = Text(
    "⏰ <b>{ticket}</b> melewati batas waktu penyelesaian ({due}).",
    "⏰ <b>{ticket}</b> is past its deadline ({due}).",
)
G_DIGEST = Text("📋 <b>Ringkasan harian WBS</b>\n{lines}", "📋 <b>WBS daily digest</b>\n{lines}")
G_DIGEST_OVERDUE = Text("Lewat batas waktu: {tickets}", "Overdue: {tickets}")
G_DIGEST_WAITING = Text("Menunggu tindakan: {tickets}", "Waiting: {tickets}")


def render(followup: FollowUp, lang: Lang, *, due: str = "") -> str:
    """The message a follow-up sends (to the reporter or to the group, by its kind)."""
    if followup.kind is Due.DIGEST:
        lines = []
        if followup.overdue:
            lines.append(G_DIGEST_OVERDUE.render(lang, tickets=", ".join(followup.overdue)))
        if followup.tickets:
            lines.append(G_DIGEST_WAITING.render(lang, tickets=", ".join(followup.tickets)))
        return G_DIGEST.render(lang, lines="\n".join(lines))
    template = {
        Due.EVIDENCE_REMINDER: texts.REMIND_EVIDENCE,
        Due.QUESTION_REMINDER: texts.REMIND_QUESTION,
        Due.NO_RESPONSE: G_NO_RESPONSE,
        Due.NOT_ACKNOWLEDGED: G_NOT_ACKNOWLEDGED,
        Due.SLA_WARNING: G_SLA_WARNING,
        Due.SLA_OVERDUE: G_SLA_OVERDUE,
    }[followup.kind]
    return template.render(lang, ticket=followup.ticket, number=followup.number, due=due)


TO_REPORTER = frozenset({Due.EVIDENCE_REMINDER, Due.QUESTION_REMINDER})


def draft_warning_lead(ttl: timedelta) -> timedelta:
    """A day before expiry, as the form promises; proportionally less for short test TTLs."""
    return min(timedelta(days=1), ttl / 7)
