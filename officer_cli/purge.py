"""`wbs-officer purge`: erase now what the retention rules say is due, as the scheduler would.

The rules are the bot's (`conversations.followups`): a reporter's identity and chat link go
`privacy.erase_identity_after` after the case became final (the case stays, for the record and
the statistics); an unsent draft goes once it has been untouched for `form.draft_ttl`. The
erasures are the store's own (`store.followups.erase_identity`, `store.sessions.drop_draft`),
with the scheduler's keys, so the bot and the CLI never erase twice.

One difference from the scheduler: the form promises the reporter a warning before a draft
expires. A draft whose owner was not warned yet (e.g. the bot was stopped) is left for the
bot, which warns first and deletes it on a later scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.rules import followup_rules  # the bot's own reading of the configuration
from bot.settings import Settings
from conversations.calendar import WorkCalendar
from conversations.followup_service import case_clocks
from conversations.followups import Due, due_followups
from conversations.ports import StaleDraft
from conversations.sanitizing import blobs_of
from storage.store import Store


@dataclass(frozen=True)
class IdentityDue:
    ticket: str
    final_since: datetime
    key: str  # the scheduler's key for this erasure


@dataclass(frozen=True)
class Plan:
    identities: list[IdentityDue]
    drafts: list[StaleDraft]  # expired, owner warned (or unreachable): deleted now
    drafts_waiting: list[StaleDraft]  # expired, owner not yet warned: left for the bot

    @property
    def empty(self) -> bool:
        return not (self.identities or self.drafts)


async def plan(store: Store, settings: Settings, now: datetime) -> Plan:
    """What is due at `now` (nothing is changed)."""
    calendar = WorkCalendar(
        settings.bot.zone,
        working_days=settings.sla.count_working_days,
        extra_holidays=settings.sla.extra_holidays,
    )
    clocks = {c.ticket: c for c in await case_clocks(store.followups)}
    due = [
        f
        for f in due_followups(clocks.values(), now, followup_rules(settings), calendar)
        if f.kind is Due.ERASE_IDENTITY and f.ticket is not None
    ]
    identities = []
    for followup in due:
        assert followup.ticket is not None
        closed = clocks[followup.ticket].closed_at
        assert closed is not None
        identities.append(IdentityDue(followup.ticket, closed, followup.key))
    expired = await store.sessions.stale_drafts(now - settings.form.draft_ttl)
    return Plan(
        identities=identities,
        drafts=[d for d in expired if d.warned or d.address is None],
        drafts_waiting=[d for d in expired if not (d.warned or d.address is None)],
    )


async def carry_out(store: Store, work: Plan, now: datetime, actor: str) -> tuple[int, int]:
    """Erase what `work` lists; returns how many identities and drafts went (something the bot
    erased meanwhile, or a draft the reporter touched meanwhile, is skipped)."""
    identities = 0
    for item in work.identities:
        if await store.followups.erase_identity(item.ticket, now, actor=actor, key=item.key):
            identities += 1
    drafts = 0
    for draft in work.drafts:
        if await store.sessions.drop_draft(draft.chat_hash, draft.updated_at):
            drafts += 1
            for evidence in draft.draft.get("evidence", []):
                for name in blobs_of(evidence):
                    store.blobs.delete(name)
    return identities, drafts
