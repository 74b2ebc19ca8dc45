"""The follow-up rules as the configuration sets them: one reading for the bot and the CLI.

Kept out of `bot.app` so that `wbs-officer purge` applies the bot's very rules without
loading python-telegram-bot.
"""

from __future__ import annotations

from bot.settings import Settings
from conversations.followups import Rules


def followup_rules(settings: Settings) -> Rules:
    return Rules(
        evidence_reminder_after=settings.followup.evidence_reminder_after,
        reminder_interval=settings.followup.reminder_interval,
        max_reminders=settings.followup.max_reminders,
        response_deadline=settings.followup.response_deadline,
        acknowledge_within=settings.sla.acknowledge_within,
        resolve_within=settings.sla.resolve_within,
        digest_time=settings.sla.digest_time,
        erase_identity_after=settings.privacy.erase_identity_after,
    )
