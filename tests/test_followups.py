"""Follow-up rules, with an injected clock: due, not yet due, answered, limit reached, holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.calendar import WorkCalendar
from conversations.followups import (
    Due,
    Rules,
    due_followups,
    render,
)
from conversations.i18n import Lang
from conversations.workflow import CaseState
from storage.followups import CaseClock

WITA = ZoneInfo("Asia/Makassar")
RULES = Rules(
    evidence_reminder_after=timedelta(days=1),
    reminder_interval=timedelta(days=2),
    max_reminders=2,
    response_deadline=timedelta(days=30),
    acknowledge_within=timedelta(days=3),
    resolve_within=timedelta(days=60),
    digest_time=time(8, 0),
    erase_identity_after=timedelta(days=180),
)
CALENDAR = WorkCalendar(WITA)
PLAIN = WorkCalendar(WITA, working_days=False)


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


# -- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (wita(2026, 11, 23, 10), 3, wita(2026, 11, 26, 10)),  # Mon → Thu
        (wita(2026, 11, 27, 10), 1, wita(2026, 11, 30, 10)),  # Fri → Mon
        (wita(2026, 11, 28, 10), 1, wita(2026, 11, 30, 10)),  # Sat → Mon
        # Christmas (Fri 25 Dec 2026) and the weekend are skipped.
        (wita(2026, 12, 23, 9), 3, wita(2026, 12, 29, 9)),
        # Independence Day (Mon 17 Aug 2026) is skipped.
        (wita(2026, 8, 14, 9), 1, wita(2026, 8, 18, 9)),
    ],
)
def test_working_days_skip_weekends_and_public_holidays(
    start: datetime, days: int, due: datetime
) -> None:
    assert CALENDAR.add(start, timedelta(days=days)) == due


def test_extra_holidays_and_the_plain_calendar() -> None:
    start = wita(2026, 12, 23, 9)
    extra = WorkCalendar(WITA, extra_holidays=[date(2026, 12, 24)])
    assert extra.add(start, timedelta(days=1)) == wita(2026, 12, 28, 9)
    assert PLAIN.add(start, timedelta(days=3)) == wita(2026, 12, 26, 9)
    assert CALENDAR.add(start, timedelta(seconds=5)) == start + timedelta(seconds=5)


# -- the rules ------------------------------------------------------------------------------

RECEIVED = wita(2026, 11, 2, 9)  # a Monday


def case(**changes: object) -> CaseClock:
    base = {"ticket": "WBS-2026-0001", "state": CaseState.NEW, "created_at": RECEIVED}
    return CaseClock(**{**base, **changes})  # type: ignore[arg-type]


def kinds(cases: list[CaseClock], now: datetime, calendar: WorkCalendar = CALENDAR) -> list[str]:
    return sorted(f.key for f in due_followups(cases, now, RULES, calendar))


def test_missing_evidence_reminder_once_after_a_day_unless_evidence_arrived() -> None:
    assert "WBS-2026-0001:evidence" not in kinds([case()], RECEIVED + timedelta(hours=23))
    assert "WBS-2026-0001:evidence" in kinds([case()], RECEIVED + timedelta(days=1))
    assert "WBS-2026-0001:evidence" not in kinds(
        [case(has_evidence=True)], RECEIVED + timedelta(days=5)
    )
    closed = case(state=CaseState.REJECTED, closed_at=RECEIVED)
    assert "WBS-2026-0001:evidence" not in kinds([closed], RECEIVED + timedelta(days=5))


def asked(at: datetime, *, answers: tuple[datetime, ...] = ()) -> CaseClock:
    return case(
        state=CaseState.INCOMPLETE, has_evidence=True, questions=[(42, at)], answers=answers
    )


def reminders(clock: CaseClock, now: datetime) -> list[str]:
    return [k for k in kinds([clock], now) if ":question:" in k]


def test_question_reminders_every_interval_up_to_the_limit_then_the_deadline() -> None:
    question = RECEIVED + timedelta(days=1)
    clock = asked(question)
    assert reminders(clock, question + timedelta(days=1)) == []
    assert reminders(clock, question + timedelta(days=2)) == [
        "WBS-2026-0001:question:42:reminder:1"
    ]
    assert reminders(clock, question + timedelta(days=20)) == [
        "WBS-2026-0001:question:42:reminder:1",
        "WBS-2026-0001:question:42:reminder:2",
    ]  # never a third
    after_deadline = reminders(clock, CALENDAR.add(question, timedelta(days=30)))
    assert "WBS-2026-0001:question:42:no_response" in after_deadline


def test_an_answer_stops_the_reminders_at_once() -> None:
    question = RECEIVED + timedelta(days=1)
    answered = asked(question, answers=(question + timedelta(hours=3),))
    assert reminders(answered, question + timedelta(days=40)) == []
    # An answer to an older question does not answer a newer one.
    older = case(
        state=CaseState.INCOMPLETE,
        questions=[(40, question - timedelta(days=1)), (42, question)],
        answers=(question - timedelta(hours=1),),
    )
    assert reminders(older, question + timedelta(days=2)) == [
        "WBS-2026-0001:question:42:reminder:1"
    ]


def test_a_new_case_not_taken_in_three_working_days_is_raised() -> None:
    friday = wita(2026, 11, 27, 10)
    fresh = case(created_at=friday, has_evidence=True)
    assert "WBS-2026-0001:not_acknowledged" not in kinds([fresh], wita(2026, 12, 1, 9))
    assert "WBS-2026-0001:not_acknowledged" in kinds([fresh], wita(2026, 12, 2, 10))
    assert "WBS-2026-0001:not_acknowledged" in kinds([fresh], wita(2026, 11, 30, 10), PLAIN)
    taken = case(created_at=friday, state=CaseState.REVIEW, has_evidence=True)
    assert "WBS-2026-0001:not_acknowledged" not in kinds([taken], wita(2026, 12, 9))


def test_resolution_deadline_warns_at_80_percent_then_is_overdue() -> None:
    open_case = case(state=CaseState.REVIEW, has_evidence=True)
    due = CALENDAR.add(RECEIVED, timedelta(days=60))
    warning = CALENDAR.add(RECEIVED, timedelta(days=48))
    assert "WBS-2026-0001:sla_warning" not in kinds([open_case], warning - timedelta(minutes=1))
    assert "WBS-2026-0001:sla_warning" in kinds([open_case], warning)
    at_due = kinds([open_case], due)
    assert "WBS-2026-0001:sla_overdue" in at_due and "WBS-2026-0001:sla_warning" not in at_due
    done = case(state=CaseState.CLOSED, closed_at=RECEIVED, has_evidence=True)
    assert not [k for k in kinds([done], due) if "sla" in k]


def test_the_digest_is_daily_from_digest_time_and_only_with_news() -> None:
    waiting = case(has_evidence=True)
    before = wita(2026, 11, 3, 7, 59)
    assert not [k for k in kinds([waiting], before) if k.startswith("digest")]
    (digest,) = [
        f
        for f in due_followups([waiting], wita(2026, 11, 3, 8), RULES, CALENDAR)
        if f.kind is Due.DIGEST
    ]
    assert digest.key == "digest:2026-11-03" and digest.tickets == ("WBS-2026-0001",)
    assert "WBS-2026-0001" in render(digest, Lang.ID)
    quiet = case(state=CaseState.REVIEW, has_evidence=True)
    assert not [k for k in kinds([quiet], wita(2026, 11, 3, 9)) if k.startswith("digest")]


def test_identity_is_erased_after_the_retention_period_of_a_final_case() -> None:
    closed_at = RECEIVED + timedelta(days=10)
    final = case(state=CaseState.CLOSED, closed_at=closed_at, has_evidence=True)
    assert "WBS-2026-0001:erase_identity" not in kinds([final], closed_at + timedelta(days=179))
    assert "WBS-2026-0001:erase_identity" in kinds([final], closed_at + timedelta(days=180))
    erased = case(state=CaseState.CLOSED, closed_at=closed_at, identity_erased=True)
    assert "WBS-2026-0001:erase_identity" not in kinds([erased], closed_at + timedelta(days=400))
    still_open = case(state=CaseState.REVIEW, has_evidence=True)
    assert "WBS-2026-0001:erase_identity" not in kinds([still_open], RECEIVED + timedelta(days=400))


def test_an_unreachable_reporter_gets_no_reminders_but_officers_still_see_deadlines() -> None:
    gone = case(state=CaseState.INCOMPLETE, questions=[(42, RECEIVED)], reachable=False)
    found = kinds([gone], RECEIVED + timedelta(days=90))
    assert not [k for k in found if "reminder" in k or "evidence" in k]
    assert "WBS-2026-0001:sla_overdue" in found


def test_messages_read_well_in_both_languages() -> None:
    (reminder,) = [
        f
        for f in due_followups([asked(RECEIVED)], RECEIVED + timedelta(days=2), RULES, CALENDAR)
        if f.kind is Due.QUESTION_REMINDER
    ]
    assert "Pengingat (1)" in render(reminder, Lang.ID) and "/balas WBS-2026-0001" in render(
        reminder, Lang.ID
    )
    assert "Reminder (1)" in render(reminder, Lang.EN)


def test_a_taken_case_is_not_raised_as_unhandled() -> None:
    taken = case(has_evidence=True, taken=True)
    assert "WBS-2026-0001:not_acknowledged" not in kinds([taken], RECEIVED + timedelta(days=10))


def test_the_response_deadline_counts_from_the_first_unanswered_question() -> None:
    """An answered question long ago does not make a new question's deadline fall due at once."""
    first = RECEIVED
    answered = first + timedelta(days=1)
    second = first + timedelta(days=40)
    clock = case(
        state=CaseState.INCOMPLETE,
        has_evidence=True,
        questions=[(41, first), (42, second)],
        answers=(answered,),
    )
    assert "WBS-2026-0001:question:42:no_response" not in kinds([clock], second + timedelta(days=1))
    late = CALENDAR.add(second, timedelta(days=30))
    assert "WBS-2026-0001:question:42:no_response" in kinds([clock], late)
