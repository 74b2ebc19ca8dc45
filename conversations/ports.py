"""What the domain needs from storage: the values it hands over, the records it reads back,
and the ports it calls, one per aggregate.

Storage (storage/, SQLite today) implements these structurally and imports nothing of ours;
the composition roots (bot/app.py, officer_cli) wire the concrete store into the services,
and mypy checks the fit there. A second backend implements the same ports (README,
"Architecture").

Codes the domain keeps as enums (`CaseState`, `Outcome`, `Lang`) cross this boundary as plain
`str`: the domain passes its StrEnum values in (they are str) and converts what it reads back
with the enum's constructor where it needs the enum (`CaseState(record.state)`). A stale
write is not an exception storage would have to share with us: a port method returns False
and writes nothing, and its docstring says when.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from conversations.workflow import CaseState

# The audit actors the store records for work nobody in particular did: the reporter's own
# writes (a report, added evidence) and the scheduler's (follow-ups, erasures).
REPORTER_ACTOR = "pelapor"
SYSTEM_ACTOR = "sistem"


# -- values the domain hands to storage ---------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: to whom (`channel:chat`), what (channel-neutral), about which case."""

    address: str
    payload: dict[str, Any]
    kind: str
    ticket: str | None = None


@dataclass(frozen=True)
class NewReport:
    channel: str
    address: str
    lang: str
    identity: dict[str, Any] | None  # None: anonymous
    category: str
    service: str | None
    amount: int | None
    consent: bool
    content: dict[str, Any]  # the form's text fields, by field id
    evidence: list[dict[str, Any]]
    state: str = CaseState.NEW  # where every case starts


# -- records the domain reads back ---------------------------------------------------------


class ReportRecord(Protocol):
    """A stored report as the case register shows it (never the identity or the chat)."""

    @property
    def id(self) -> int: ...
    @property
    def ticket(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def state(self) -> str: ...  # a `CaseState` value
    @property
    def outcome(self) -> str | None: ...  # an `Outcome` value
    @property
    def category(self) -> str: ...
    @property
    def service(self) -> str | None: ...
    @property
    def anonymous(self) -> bool: ...
    @property
    def consent(self) -> bool: ...
    @property
    def amount(self) -> int | None: ...
    @property
    def content(self) -> dict[str, Any]: ...
    @property
    def evidence(self) -> list[dict[str, Any]]: ...
    @property
    def officer(self) -> str | None: ...
    @property
    def lang(self) -> str: ...  # a `Lang` value: the reporter's language
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def first_action_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...


class AuditEntry(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def ticket(self) -> str | None: ...
    @property
    def detail(self) -> dict[str, Any]: ...


class QueuedMessage(Protocol):
    """An outbox message claimed for delivery."""

    @property
    def id(self) -> int: ...
    @property
    def address(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def kind(self) -> str: ...
    @property
    def ticket(self) -> str | None: ...
    @property
    def attempts(self) -> int: ...
    @property
    def created_at(self) -> datetime | None: ...


class Session(Protocol):
    """A chat's language (a `Lang` value, None until chosen), draft and `/bukti` case."""

    @property
    def lang(self) -> str | None: ...
    @property
    def draft(self) -> dict[str, Any] | None: ...
    @property
    def draft_updated_at(self) -> datetime | None: ...
    @property
    def attach_ticket(self) -> str | None: ...
    @property
    def held(self) -> list[dict[str, Any]] | None:
        """What the reporter sent while several cases wait, until they name the case."""
        ...


class StaleDraft(Protocol):
    @property
    def chat_hash(self) -> bytes: ...
    @property
    def address(self) -> str | None: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def draft(self) -> dict[str, Any]: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def warned(self) -> bool: ...


class CaseTimes(Protocol):
    """The times that drive a case's follow-ups (no report text, no identity)."""

    @property
    def ticket(self) -> str: ...
    @property
    def state(self) -> str: ...  # a `CaseState` value
    @property
    def created_at(self) -> datetime: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def has_evidence(self) -> bool: ...
    @property
    def questions(self) -> Sequence[tuple[int, datetime]]: ...  # (audit id, when)
    @property
    def answers(self) -> Sequence[datetime]: ...  # when the reporter answered
    @property
    def identity_erased(self) -> bool: ...
    @property
    def reachable(self) -> bool: ...  # the chat link still exists
    @property
    def taken(self) -> bool: ...  # an officer has taken it


class StoredBlob(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...  # of the plaintext
    @property
    def size(self) -> int: ...


# -- the ports ----------------------------------------------------------------------------


class SessionsPort(Protocol):
    """Chat sessions: language, the form draft, the case `/bukti` adds to; draft expiry."""

    async def get(self, address: str) -> Session: ...
    async def save(
        self,
        address: str,
        now: datetime,
        *,
        draft: dict[str, Any] | None,
        lang: str | None = None,
        outbox: Sequence[Outgoing] = (),
    ) -> list[int]:
        """Save the draft (None deletes it) and queue the replies in one transaction."""
        ...

    async def hold(
        self,
        address: str,
        now: datetime,
        held: list[dict[str, Any]] | None,
        outbox: Sequence[Outgoing] = (),
    ) -> list[int]:
        """Keep (None: forget) the answers waiting for a case, with the replies, at once."""
        ...

    async def set_language(self, address: str, lang: str) -> None: ...
    async def set_attach_ticket(self, address: str, ticket: str | None) -> None: ...
    async def stale_drafts(self, updated_before: datetime) -> Sequence[StaleDraft]: ...
    async def warn_draft(
        self, chat_hash: bytes, updated_at: datetime, now: datetime, messages: Sequence[Outgoing]
    ) -> bool:
        """Mark warned and queue the warning; False (nothing written) if it changed since."""
        ...

    async def drop_draft(self, chat_hash: bytes, updated_at: datetime) -> bool:
        """Delete an expired draft; False (nothing written) if it changed since."""
        ...


class ReportsPort(Protocol):
    """The case register: reports, their evidence, state, and the sealed identity."""

    async def submit(
        self,
        report: NewReport,
        now: datetime,
        year: int,
        messages: Callable[[str], Sequence[Outgoing]],
    ) -> tuple[str, list[int]]:
        """Number and store the report, drop the draft, audit it and queue `messages(ticket)`,
        in one durable transaction. Returns the ticket and the outbox ids."""
        ...

    async def all(self, state: str | None = None) -> Sequence[ReportRecord]:
        """Every report (or those in `state`), oldest first, each with its evidence."""
        ...

    async def of_chat(self, address: str) -> Sequence[ReportRecord]: ...
    async def get(self, ticket: str) -> ReportRecord | None: ...
    async def by_number(self, seq: int, prefer_year: int | None = None) -> ReportRecord | None:
        """A bare running number: `prefer_year`'s case if there is one, else the newest."""
        ...

    async def update_case(
        self,
        ticket: str,
        now: datetime,
        *,
        actor: str,
        action: str,
        detail: Mapping[str, Any],
        officer_action: bool,
        expect_state: str | None = None,
        state: str | None = None,
        outcome: str | None = None,
        final: bool = False,
        officer: str | None = None,
        messages: Sequence[Outgoing] = (),
    ) -> bool:
        """Change a case, audit it and queue `messages`, atomically. Returns False, writing
        nothing, when the case is not in `expect_state` (someone moved it meanwhile) or does
        not exist. `final` stamps the close; `officer_action` stamps the first action."""
        ...

    async def add_evidence(
        self,
        ticket: str,
        items: Sequence[Mapping[str, Any]],
        now: datetime,
        *,
        messages: Sequence[Outgoing] = (),
    ) -> None:
        """Evidence added to a sent report, audited, with its messages; KeyError if no case."""
        ...

    async def reporter_address(self, ticket: str) -> str | None: ...
    async def identity(self, ticket: str) -> dict[str, Any] | None: ...
    async def identity_erased(self, ticket: str) -> bool: ...
    async def attention(self) -> Mapping[str, str]:
        """Cases flagged for a decision: ticket -> why."""
        ...


class OutboxPort(Protocol):
    """Everything that must reach a person; claimed, delivered, retried, in order per chat."""

    async def enqueue(self, messages: Sequence[Outgoing], now: datetime) -> list[int]: ...
    async def claim_due(
        self,
        now: datetime,
        *,
        lease_seconds: float = 600,
        limit: int = 200,
        addresses: Sequence[str] | None = None,
        busy: Collection[str] = (),
    ) -> Sequence[QueuedMessage]:
        """Claim due messages, oldest first; a chat whose oldest message waits (a retry, or
        claimed elsewhere, or in `busy`) gets nothing newer either."""
        ...

    async def mark_sent_many(
        self, delivered: Sequence[tuple[int, str | None]], now: datetime
    ) -> None: ...
    async def mark_retry(self, message_id: int, due: datetime, error: str) -> None: ...
    async def mark_failed(self, message_id: int, now: datetime, error: str) -> None: ...
    async def release(self, message_ids: Sequence[int]) -> None: ...
    async def release_claims(self) -> None: ...
    async def undelivered_count(self) -> int: ...
    async def ticket_of_delivered(self, address: str, delivered_id: str) -> str | None:
        """The case a message we delivered to this chat was about (a reply's question)."""
        ...


class FollowupsPort(Protocol):
    """What the scheduler finds due, and the once-only record that it was sent."""

    async def case_clocks(
        self,
        final_states: Collection[str],
        *,
        questions: Collection[str],
        answers: Collection[str],
    ) -> Sequence[CaseTimes]:
        """Every case open (not in `final_states`) or not yet erased; `questions` and
        `answers` are the audit actions (all their stored names) of an officer's question and
        of the reporter's answer."""
        ...

    async def sent(self, keys: Sequence[str]) -> set[str]: ...
    async def record(
        self,
        key: str,
        kind: str,
        ticket: str | None,
        now: datetime,
        *,
        messages: Sequence[Outgoing],
        attention: str | None = None,
    ) -> bool:
        """Record `key` with its messages (and audit entry, for a case); False (nothing
        written) if the key was already recorded."""
        ...

    async def erase_identity(self, ticket: str, now: datetime, *, actor: str, key: str) -> bool:
        """Erase the identity and the chat link; False if already erased."""
        ...


class AuditPort(Protocol):
    """The hash-linked audit log."""

    async def record(
        self,
        now: datetime,
        actor: str,
        action: str,
        ticket: str | None,
        detail: Mapping[str, Any],
    ) -> None: ...
    async def history(self, ticket: str) -> Sequence[AuditEntry]: ...
    async def histories(self, tickets: Sequence[str]) -> Mapping[str, Sequence[AuditEntry]]:
        """The history of each case, read at once (one query, not one per case)."""
        ...

    async def entries(self) -> Sequence[AuditEntry]: ...
    async def last_actor_name(self, actor: str) -> str | None: ...


class BlobsPort(Protocol):
    """Evidence files, sealed at rest."""

    def put(self, data: bytes) -> StoredBlob: ...
    def get(self, name: str) -> bytes: ...
    def delete(self, name: str) -> None: ...


class Storage(Protocol):
    """Everything the services store, by aggregate."""

    @property
    def sessions(self) -> SessionsPort: ...
    @property
    def reports(self) -> ReportsPort: ...
    @property
    def outbox(self) -> OutboxPort: ...
    @property
    def followups(self) -> FollowupsPort: ...
    @property
    def audit(self) -> AuditPort: ...
    @property
    def blobs(self) -> BlobsPort: ...
