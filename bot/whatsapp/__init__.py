"""The WhatsApp channel (Business Cloud API): webhook in, outbox out, same form engine.

    Meta ──POST webhook──▶ webhook.py (HMAC on the raw body) ──▶ inbox table (dedupe by id)
                                                                    │ per chat, in order
                                                                    ▼
                                         adapter.py ──▶ ReportingService (the one engine)
                                                                    │ outbox
    Meta ◀──Graph API (pywa)──── sender.py (24-hour window) ◀── Dispatcher

`channel.WhatsAppChannel` wires these together; `bot.app` starts it when `whatsapp.enabled`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from conversations.addresses import Channel

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.whatsapp.channel import WhatsAppChannel

CHANNEL = Channel.WHATSAPP


def channel_for(settings: Settings, clock: Callable[[], datetime]) -> WhatsAppChannel | None:
    """The channel when `whatsapp.enabled`, else None (pywa is then not even imported)."""
    if not settings.whatsapp.enabled:
        return None
    from bot.whatsapp.channel import WhatsAppChannel

    return WhatsAppChannel(settings.whatsapp, clock=clock)


def whatsapp_problems(settings: Settings) -> list[str]:
    """What `whatsapp.*` gets wrong when it is enabled, one line per key."""
    if not settings.whatsapp.enabled:
        return []
    from bot.whatsapp.channel import config_problems

    return config_problems(settings.whatsapp)
