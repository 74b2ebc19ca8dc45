"""The scheduler's one job: look at the database, send what has fallen due, once.

Nothing is kept in memory: after a stop of any length, the next scan finds every follow-up
that fell due meanwhile and sends each exactly once (its key is recorded with its messages).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from conversations import texts
from conversations.alerts import esc
from conversations.audit_actions import AuditAction, stored_names
from conversations.calendar import WorkCalendar
from conversations.engine import Prompt
from conversations.followups import (
    TO_REPORTER,
    Due,
    FollowUp,
    Rules,
    draft_warning_lead,
    due_followups,
    is_overdue,
    render,
    resolve_due,
)
from conversations.i18n import Lang
from conversations.outbox_kinds import OutboxKind
from conversations.ports import SYSTEM_ACTOR, CaseTimes, FollowupsPort, Outgoing, Storage
from conversations.sanitizing import blobs_of
from conversations.workflow import FINAL_STATES


async def case_clocks(followups: FollowupsPort) -> Sequence[CaseTimes]:
    """The clocks of every case that may still have a follow-up (open, or not yet erased)."""
    return await followups.case_clocks(
        FINAL_STATES,
        questions=stored_names(AuditAction.INCOMPLETE),
        answers=stored_names(AuditAction.ANSWERED),
    )


class FollowupService:
    def __init__(
        self,
        store: Storage,
        *,
        rules: Rules,
        calendar: WorkCalendar,
        draft_ttl: timedelta,
        officer_address: str,
        lang: Lang,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.rules = rules
        self.calendar = calendar
        self.draft_ttl = draft_ttl
        self.group = officer_address
        self.lang = lang
        self.clock = clock

    async def scan(self) -> list[str]:
        """Queue every due follow-up; returns the addresses to deliver to now."""
        now = self.clock()
        clocks = {c.ticket: c for c in await case_clocks(self.store.followups)}
        due = due_followups(clocks.values(), now, self.rules, self.calendar)
        already = await self.store.followups.sent([f.key for f in due])
        addresses: set[str] = set()
        for followup in due:
            if followup.key in already:
                continue
            if followup.kind is Due.ERASE_IDENTITY:
                assert followup.ticket is not None
                await self.store.followups.erase_identity(
                    followup.ticket, now, actor=SYSTEM_ACTOR, key=followup.key
                )
                continue
            messages = await self._messages(followup, clocks)
            attention = "no_response" if followup.kind is Due.NO_RESPONSE else None
            if await self.store.followups.record(
                followup.key,
                followup.kind,
                followup.ticket,
                now,
                messages=messages,
                attention=attention,
            ):
                addresses.update(m.address for m in messages)
        addresses.update(await self._expire_drafts(now))
        return sorted(addresses)

    async def _messages(self, followup: FollowUp, clocks: dict[str, CaseTimes]) -> list[Outgoing]:
        if followup.kind in TO_REPORTER:
            assert followup.ticket is not None
            address = await self.store.reports.reporter_address(followup.ticket)
            record = await self.store.reports.get(followup.ticket)
            if address is None or record is None:
                return []  # unreachable: the key is still recorded, so it is not retried
            text = render(followup, Lang(record.lang))
            return [Outgoing(address, Prompt(text).to_dict(), OutboxKind.REMINDER, followup.ticket)]
        due = ""
        clock = clocks.get(followup.ticket or "")
        if followup.kind in (Due.SLA_WARNING, Due.SLA_OVERDUE) and clock is not None:
            when = resolve_due(clock, self.rules, self.calendar).astimezone(self.calendar.zone)
            due = when.strftime("%d/%m/%Y")
        text = render(followup, self.lang, due=esc(due))
        return [
            Outgoing(self.group, Prompt(text).to_dict(), OutboxKind(followup.kind), followup.ticket)
        ]

    async def _expire_drafts(self, now: datetime) -> set[str]:
        """Warn once before a draft expires; delete it (and its files) once it has."""
        lead = draft_warning_lead(self.draft_ttl)
        addresses: set[str] = set()
        for draft in await self.store.sessions.stale_drafts(now - (self.draft_ttl - lead)):
            expired = now >= draft.updated_at + self.draft_ttl
            if not draft.warned and draft.address is not None:
                text = texts.DRAFT_EXPIRING.render(Lang(draft.lang) if draft.lang else self.lang)
                message = Outgoing(draft.address, Prompt(text).to_dict(), OutboxKind.DRAFT_EXPIRY)
                if await self.store.sessions.warn_draft(
                    draft.chat_hash, draft.updated_at, now, [message]
                ):
                    addresses.add(draft.address)
            elif expired and await self.store.sessions.drop_draft(
                draft.chat_hash, draft.updated_at
            ):
                for item in draft.draft.get("evidence", []):
                    for name in blobs_of(item):
                        self.store.blobs.delete(name)
        return addresses

    async def overdue_tickets(self) -> frozenset[str]:
        now = self.clock()
        return frozenset(
            c.ticket
            for c in await case_clocks(self.store.followups)
            if is_overdue(c, self.rules, self.calendar, now)
        )
