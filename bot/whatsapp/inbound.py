"""What a WhatsApp webhook says, as plain data: one item per user message, plus statuses.

The Cloud API batches: one POST may carry several entries, changes, messages and statuses.
Each message becomes its own `Received` (stored in the inbox, deduplicated by its id); pywa's
update types read only the first message of a payload and require `contacts[].user_id`, which
Meta's documented payloads do not carry yet, so the payload is read here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MEDIA_KINDS = {
    "image": "photo",
    "video": "video",
    "document": "document",
    "audio": "audio",  # voice notes too (audio.voice = true)
    "sticker": "sticker",
}


class Malformed(ValueError):
    """Not a WhatsApp Business webhook body (bad JSON or the wrong shape)."""


@dataclass(frozen=True)
class Received:
    """One message from a person, as stored in the inbox until it is processed."""

    message_id: str
    sender: str  # wa_id (the number, digits only) or, for username users, the BSUID
    message: dict[str, Any]


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    recipient: str
    status: str  # sent, delivered, read, failed
    error_codes: tuple[int, ...] = ()


@dataclass
class Webhook:
    received: list[Received] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    skipped: int = 0  # items that were not for us or could not be read


def parse_webhook(body: bytes, phone_number_id: str) -> Webhook:
    """Split a webhook body; raise `Malformed` when it is not one at all."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("not JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise Malformed("no entry list")
    if data.get("object") != "whatsapp_business_account":
        raise Malformed("not a WhatsApp Business Account webhook")
    found = Webhook()
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise Malformed("an entry without changes")
        for change in changes:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise Malformed("a change without value")
            if change.get("field") != "messages":
                found.skipped += 1
                continue
            _read_value(change["value"], phone_number_id, found)
    return found


def _read_value(value: Mapping[str, Any], phone_number_id: str, found: Webhook) -> None:
    metadata = value.get("metadata")
    if isinstance(metadata, dict) and str(metadata.get("phone_number_id")) != phone_number_id:
        found.skipped += 1  # another number of the same business account
        return
    for message in value.get("messages") or []:
        if not isinstance(message, dict):
            found.skipped += 1
            continue
        sender = message.get("from") or message.get("from_user_id")
        if (
            not isinstance(message.get("id"), str)
            or not isinstance(sender, str)
            or not sender
            or message.get("group_id")  # the bot serves private chats only
        ):
            found.skipped += 1
            continue
        found.received.append(Received(message["id"], sender, dict(message)))
    for status in value.get("statuses") or []:
        if not isinstance(status, dict) or not isinstance(status.get("id"), str):
            found.skipped += 1
            continue
        codes = tuple(
            int(error["code"])
            for error in status.get("errors") or []
            if isinstance(error, dict) and str(error.get("code", "")).isdigit()
        )
        found.statuses.append(
            StatusUpdate(
                status["id"],
                str(status.get("recipient_id") or status.get("recipient_user_id") or ""),
                str(status.get("status") or ""),
                codes,
            )
        )


def sent_at(message: Mapping[str, Any]) -> datetime | None:
    """When the person sent it (the webhook's `timestamp`, Unix seconds)."""
    try:
        return datetime.fromtimestamp(int(message["timestamp"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


@dataclass(frozen=True)
class Media:
    kind: str  # photo, video, document (the evidence kinds)
    media_id: str
    mime: str | None
    name: str | None


def media_of(message: Mapping[str, Any]) -> Media | None:
    kind = message.get("type")
    content = message.get(str(kind))
    if kind not in MEDIA_KINDS or not isinstance(content, dict) or not content.get("id"):
        return None
    return Media(
        MEDIA_KINDS[str(kind)],
        str(content["id"]),
        content.get("mime_type"),
        content.get("filename") if kind == "document" else None,
    )


def text_of(message: Mapping[str, Any]) -> str | None:
    if message.get("type") != "text":
        return None
    body = (message.get("text") or {}).get("body")
    return body if isinstance(body, str) else None


def choice_of(message: Mapping[str, Any]) -> str | None:
    """The id of a pressed reply button or chosen list row."""
    if message.get("type") != "interactive":
        return None
    interactive = message.get("interactive") or {}
    kind = interactive.get("type")
    if kind not in ("button_reply", "list_reply"):
        return None
    chosen = interactive.get(kind) or {}
    return str(chosen["id"]) if chosen.get("id") is not None else None


def quoted_id(message: Mapping[str, Any]) -> str | None:
    """The id of our message this one quotes (a WhatsApp reply), if any."""
    context = message.get("context")
    quoted = context.get("id") if isinstance(context, dict) else None
    return quoted if isinstance(quoted, str) else None


def shared_phones(message: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """A shared contact card: its numbers, each with the WhatsApp id when it has one."""
    if message.get("type") != "contacts":
        return []
    phones = []
    for contact in message.get("contacts") or []:
        for phone in (contact or {}).get("phones") or []:
            if isinstance(phone, dict) and phone.get("phone"):
                phones.append((str(phone["phone"]), phone.get("wa_id")))
    return phones
