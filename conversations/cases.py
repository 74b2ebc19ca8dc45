"""The case service: every officer action, whether from the group, a button or the CLI.

Each action checks the actor, checks the move against the one transition table, and writes
the change, its audit entry and the messages it causes (to the reporter, to the group) in one
transaction. The reporter is told only what the procedure says, never internal notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations import texts
from conversations.alerts import esc, evidence_caption, evidence_files, evidence_summary
from conversations.audit_actions import AuditAction
from conversations.case_actions import CALLED, CaseAction, Role, action
from conversations.engine import Prompt
from conversations.i18n import Lang, Text
from conversations.officer_texts import (
    A_ANONYMOUS,
    A_ERASED,
    A_REVEALED,
    G_ANSWER,
    G_ASKED,
    G_ASSIGNED,
    G_EVIDENCE,
    G_MOVED,
    G_NOTED,
    G_REVEALED,
    G_TAKEN,
    OUTCOME_LABELS,
    R_ANSWER_TAKEN,
    R_CALLED,
    R_CLOSED,
    R_QUESTION,
    R_REFERRED,
    R_REJECTED,
    T_BAD_NAME,
    T_CONFLICT,
    T_FINAL,
    T_NO_CONSENT,
    T_NO_PRIVATE_CHAT,
    T_NOT_ADMIN,
    T_NOT_FOUND,
    T_NOT_FOUND_BARE,
    T_NOT_OFFICER,
    T_OFFICER_EMPTY,
    T_OUTCOME_REQUIRED,
    T_REFUSED,
    T_REOPEN_NOT_FINAL,
    T_REPORTER_NOT_YOURS,
    T_UNREACHABLE,
)
from conversations.outbox_kinds import OutboxKind
from conversations.ports import Outgoing, ReportRecord, Storage
from conversations.sanitizing import forwarded
from conversations.tickets import CASE_NAME, CaseName, NotATicket, resolve
from conversations.workflow import (
    FINAL_STATES,
    REOPEN_TO,
    STATE_LABELS,
    CaseState,
    MoveRefused,
    Outcome,
    check_move,
)

__all__ = ["CALLED", "CASE_NAME", "Actor", "CaseError", "CaseService", "Revealed", "say"]


@dataclass(frozen=True)
class Actor:
    """Who acts: `id` goes to the audit log (a Telegram user id or the CLI's --as name)."""

    id: str
    name: str
    officer: bool
    admin: bool = False
    private_address: str | None = None  # where an admin receives a revealed identity


class CaseError(Exception):
    """An action that cannot be done; `text` is what the officer reads."""

    def __init__(self, text: Text, **params: object) -> None:
        super().__init__(text.id.format(**params) if params else text.id)
        self.text = text
        self.params = params

    def render(self, lang: Lang) -> str:
        return self.text.render(lang, **self.params)


def say(prompt_text: str) -> dict[str, Any]:
    return Prompt(prompt_text).to_dict()


@dataclass(frozen=True)
class Revealed:
    """What an identity reveal found: the identity, or why there is none."""

    ticket: str
    identity: Mapping[str, Any] | None
    anonymous: bool
    erased: bool


@dataclass(frozen=True)
class Performed:
    """An action done through the table: who must be told, and what a reveal found."""

    addresses: list[str]
    revealed: Revealed | None = None


class CaseService:
    def __init__(
        self,
        store: Storage,
        *,
        officer_address: str,
        zone: ZoneInfo,
        lang: Lang,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.group = officer_address
        self.zone = zone
        self.lang = lang
        self.clock = clock

    # -- finding and checking -----------------------------------------------------------

    def resolve(self, name: str) -> CaseName:
        """A typed case name; a bare number is this year's case (in the bot's zone)."""
        try:
            return resolve(name, year=self.clock().astimezone(self.zone).year)
        except NotATicket:
            raise CaseError(T_BAD_NAME, name=esc(name)) from None

    async def find(self, name: str) -> ReportRecord:
        case = self.resolve(name)
        record = await self.store.reports.get(str(case.ticket))
        if record is None:
            if case.bare:
                raise CaseError(T_NOT_FOUND_BARE, name=esc(case.typed), ticket=case.ticket)
            raise CaseError(T_NOT_FOUND, name=esc(name))
        return record

    @staticmethod
    def require_officer(actor: Actor, *, admin: bool = False) -> None:
        if not actor.officer:
            raise CaseError(T_NOT_OFFICER)
        if admin and not actor.admin:
            raise CaseError(T_NOT_ADMIN)

    def require(self, actor: Actor, row: CaseAction) -> None:
        self.require_officer(actor, admin=row.role is Role.ADMIN)

    def _refused(self, record: ReportRecord, error: MoveRefused, *, reopen: bool) -> CaseError:
        label: dict[str, str] = {s: STATE_LABELS[s].render(self.lang) for s in CaseState}
        params = {
            "ticket": record.ticket,
            "state": label[record.state],
            "target": label[error.target],
        }
        if reopen:
            return CaseError(T_REOPEN_NOT_FINAL, ticket=record.ticket, state=label[record.state])
        if record.state in FINAL_STATES:
            return CaseError(T_FINAL, **params)
        allowed = ", ".join(label[s] for s in CaseState if s in error.allowed)
        return CaseError(T_REFUSED, **params, allowed=allowed)

    def _group(self, record: ReportRecord, template: Text, **params: object) -> Outgoing:
        return Outgoing(
            self.group, say(template.render(self.lang, **params)), OutboxKind.CASE, record.ticket
        )

    @staticmethod
    def _contactable(record: ReportRecord) -> ReportRecord:
        """A case whose reporter may be asked or called: they consented to be contacted (the
        end of the case is still told; that is not asking anything of them)."""
        if not record.consent:
            raise CaseError(T_NO_CONSENT, ticket=record.ticket)
        return record

    async def _reporter(self, record: ReportRecord, template: Text, **params: object) -> Outgoing:
        address = await self.store.reports.reporter_address(record.ticket)
        if address is None:
            raise CaseError(T_UNREACHABLE, ticket=record.ticket)
        # Text parameters (e.g. the outcome's label) read in the reporter's own language.
        lang = Lang(record.lang)
        rendered = {k: v.render(lang) if isinstance(v, Text) else v for k, v in params.items()}
        payload = say(template.render(lang, ticket=record.ticket, **rendered))
        return Outgoing(address, payload, OutboxKind.TO_REPORTER, record.ticket)

    async def _change(
        self,
        actor: Actor,
        record: ReportRecord,
        audit: AuditAction,
        detail: dict[str, Any],
        messages: Sequence[Outgoing],
        *,
        state: CaseState | None = None,
        outcome: Outcome | None = None,
        officer: str | None = None,
        check_state: bool = True,
    ) -> list[str]:
        changed = await self.store.reports.update_case(
            record.ticket,
            self.clock(),
            actor=actor.id,
            action=audit.value,
            detail={**detail, "by": actor.name},
            officer_action=actor.officer,
            expect_state=record.state if check_state else None,
            state=state,
            outcome=outcome,
            final=state in FINAL_STATES,
            officer=officer,
            messages=messages,
        )
        if not changed:
            raise CaseError(T_CONFLICT, ticket=record.ticket)
        return sorted({m.address for m in messages})

    async def _move(
        self,
        actor: Actor,
        name: str,
        row: CaseAction,
        detail: dict[str, Any],
        build: Callable[[ReportRecord], Any],
        *,
        outcome: Outcome | None = None,
    ) -> list[str]:
        """The row's move, checked against the one transition table, then written."""
        assert row.target is not None and row.audit is not None, row.key
        self.require(actor, row)
        record = await self.find(name)
        reopen = row.audit is AuditAction.REOPENED
        try:
            check_move(CaseState(record.state), row.target, reopen=reopen)
        except MoveRefused as error:
            raise self._refused(record, error, reopen=reopen) from None
        messages = await build(record)
        return await self._change(
            actor, record, row.audit, detail, messages, state=row.target, outcome=outcome
        )

    async def perform(self, actor: Actor, row: CaseAction, values: Mapping[str, Any]) -> Performed:
        """Run a row of the action table with its parsed arguments (the channels' one entry)."""
        if row.key == "reveal":
            addresses, revealed = await self.reveal(actor, **values)
            return Performed(addresses, revealed)
        method: Callable[..., Any] = getattr(self, row.key)
        return Performed(await method(actor, **values))

    # -- the actions (one method a row of the action table, named by its key) -------------

    async def take(self, actor: Actor, name: str) -> list[str]:
        row = action("take")
        self.require(actor, row)
        record = await self.find(name)
        message = self._group(record, G_TAKEN, ticket=record.ticket, officer=esc(actor.name))
        assert row.audit is not None
        return await self._change(actor, record, row.audit, {}, [message], officer=actor.name)

    async def note(self, actor: Actor, name: str, text: str) -> list[str]:
        row = action("note")
        self.require(actor, row)
        record = await self.find(name)
        message = self._group(
            record, G_NOTED, ticket=record.ticket, officer=esc(actor.name), text=esc(text)
        )
        assert row.audit is not None
        return await self._change(actor, record, row.audit, {"text": text}, [message])

    async def ask(self, actor: Actor, name: str, question: str) -> list[str]:
        async def build(record: ReportRecord) -> list[Outgoing]:
            return [
                await self._reporter(self._contactable(record), R_QUESTION, text=esc(question)),
                self._group(
                    record,
                    G_ASKED,
                    ticket=record.ticket,
                    officer=esc(actor.name),
                    text=esc(question),
                ),
            ]

        return await self._move(actor, name, action("ask"), {"text": question}, build)

    async def review(self, actor: Actor, name: str, note: str = "") -> list[str]:
        return await self._moved(actor, name, action("review"), {"text": note} if note else {})

    async def call(self, actor: Actor, name: str, who: str, info: str = "") -> list[str]:
        row = action("call")
        assert row.target is not None
        target = row.target
        detail = {"who": who, "text": info}

        async def build(record: ReportRecord) -> list[Outgoing]:
            extra = f" {esc(who)}" + (f": {esc(info)}" if info else "")
            messages = [self._moved_message(actor, record, target, extra)]
            if who == "pelapor":
                note = f"\n{esc(info)}" if info else ""
                invitation = await self._reporter(self._contactable(record), R_CALLED, extra=note)
                messages.insert(0, invitation)
            return messages

        return await self._move(actor, name, row, detail, build)

    async def close(self, actor: Actor, name: str, outcome: Outcome, summary: str) -> list[str]:
        label = OUTCOME_LABELS[outcome]
        return await self._conclude(
            actor,
            name,
            action("close"),
            {"outcome": outcome.value, "text": summary},
            R_CLOSED,
            f"{label.render(self.lang)} – {esc(summary)}",
            outcome=outcome,
            result=label,
            summary=esc(summary),
        )

    async def reject(self, actor: Actor, name: str, reason: str) -> list[str]:
        return await self._conclude(
            actor,
            name,
            action("reject"),
            {"text": reason},
            R_REJECTED,
            esc(reason),
            reason=esc(reason),
        )

    async def refer(self, actor: Actor, name: str, target: str) -> list[str]:
        return await self._conclude(
            actor,
            name,
            action("refer"),
            {"target": target},
            R_REFERRED,
            esc(target),
            target=esc(target),
        )

    async def _conclude(
        self,
        actor: Actor,
        name: str,
        row: CaseAction,
        detail: dict[str, Any],
        told: Text,
        group_note: str,
        *,
        outcome: Outcome | None = None,
        **params: object,
    ) -> list[str]:
        """A final move: the reporter is told how it ended, the group sees the move."""
        assert row.target is not None
        state = row.target

        async def build(record: ReportRecord) -> list[Outgoing]:
            return [
                await self._reporter(record, told, **params),
                self._moved_message(actor, record, state, f": {group_note}"),
            ]

        return await self._move(actor, name, row, detail, build, outcome=outcome)

    async def reopen(self, actor: Actor, name: str, reason: str) -> list[str]:
        async def build(record: ReportRecord) -> list[Outgoing]:
            return [self._moved_message(actor, record, REOPEN_TO, f": {esc(reason)}")]

        return await self._move(actor, name, action("reopen"), {"text": reason}, build)

    async def move(
        self, actor: Actor, name: str, target: CaseState, *, outcome: Outcome | None, reason: str
    ) -> list[str]:
        """The CLI's generic move: the row of the action table that moves to `target`.

        A move to telaah from a final state is the admin's reopening."""
        if target is CaseState.CLOSED:
            if outcome is None:
                raise CaseError(T_OUTCOME_REQUIRED)
            return await self.close(actor, name, outcome, reason)
        if target is CaseState.INCOMPLETE:
            return await self.ask(actor, name, reason)
        if target is CaseState.CLARIFICATION:
            return await self.call(actor, name, "", reason)  # invites no one: a record only
        if target is CaseState.REJECTED:
            return await self.reject(actor, name, reason)
        if target is CaseState.REFERRED:
            return await self.refer(actor, name, reason)
        if target is REOPEN_TO and (await self.find(name)).state in FINAL_STATES:
            return await self.reopen(actor, name, reason)
        if target is CaseState.REVIEW:
            return await self.review(actor, name, reason)
        record = await self.find(name)  # baru: no action moves back to it
        error = MoveRefused(CaseState(record.state), target, frozenset())
        raise self._refused(record, error, reopen=False)

    async def reveal(
        self, actor: Actor, name: str, reason: str, *, to_terminal: bool = False
    ) -> tuple[list[str], Revealed]:
        """The identity goes only to the admin: their private chat, or (from the officer CLI)
        the terminal they typed on. The group learns that it happened, never what."""
        row = action("reveal")
        self.require(actor, row)
        if actor.private_address is None and not to_terminal:
            raise CaseError(T_NO_PRIVATE_CHAT)
        record = await self.find(name)
        identity = await self.store.reports.identity(record.ticket)
        erased = identity is None and await self.store.reports.identity_erased(record.ticket)
        messages = [self._group(record, G_REVEALED, ticket=record.ticket, officer=esc(actor.name))]
        if not to_terminal:
            assert actor.private_address is not None
            if identity is None:
                text = (A_ERASED if erased else A_ANONYMOUS).render(self.lang, ticket=record.ticket)
            else:
                text = A_REVEALED.render(
                    self.lang,
                    ticket=record.ticket,
                    name=esc(identity.get("name") or "-"),
                    phone=esc(identity.get("phone") or "-"),
                    email=esc(identity.get("email") or "-"),
                    reason=esc(reason),
                )
            messages.insert(
                0, Outgoing(actor.private_address, say(text), OutboxKind.IDENTITY, record.ticket)
            )
        detail = {"reason": reason, **({"via": "cli"} if to_terminal else {})}
        assert row.audit is not None
        # A reveal does not depend on the case's state: no state check, nothing to retry.
        addresses = await self._change(
            actor, record, row.audit, detail, messages, check_state=False
        )
        found = Revealed(record.ticket, identity, record.anonymous and identity is None, erased)
        return addresses, found

    async def assign(self, actor: Actor, name: str, officer_name: str) -> list[str]:
        """`take`, naming another officer: the case is theirs; the group is told who did it."""
        row = action("assign")
        self.require(actor, row)
        officer_name = " ".join(officer_name.split())
        if not officer_name:
            raise CaseError(T_OFFICER_EMPTY)
        record = await self.find(name)
        message = self._group(
            record, G_ASSIGNED, ticket=record.ticket, officer=esc(officer_name), by=esc(actor.name)
        )
        assert row.audit is not None
        return await self._change(
            actor, record, row.audit, {"officer": officer_name}, [message], officer=officer_name
        )

    # -- what the reporter sends back ---------------------------------------------------

    async def reporter_answer(self, address: str, name: str, text: str) -> list[str]:
        record = await self.own_case(address, name)
        reporter = Actor("pelapor", "pelapor", officer=False)
        messages = [
            Outgoing(
                address,
                say(R_ANSWER_TAKEN.render(Lang(record.lang), ticket=record.ticket)),
                OutboxKind.REPLY,
            ),
            self._group(record, G_ANSWER, ticket=record.ticket, text=esc(text)),
        ]
        # An answer is kept whatever the case's state has just become: no state check.
        return await self._change(
            reporter,
            record,
            AuditAction.ANSWERED,
            {"text": text},
            messages,
            check_state=False,
        )

    async def reporter_evidence(
        self,
        address: str,
        name: str,
        items: Sequence[dict[str, Any]],
        *,
        taken: Text = texts.ATTACH_TAKEN,
    ) -> list[str]:
        """Evidence added with `/bukti` (or sent as an answer, `taken` then says so): stored
        with the case and passed on to the group."""
        record = await self.own_case(address, name)
        links = "".join(f"\n• {esc(item['url'])}" for item in items if item["kind"] == "link")
        files = forwarded(items)
        messages = [
            Outgoing(
                address,
                say(taken.render(Lang(record.lang), ticket=record.ticket)),
                OutboxKind.REPLY,
                record.ticket,
            ),
            self._group(
                record,
                G_EVIDENCE,
                ticket=record.ticket,
                what="\n".join(
                    [evidence_summary(list(items), self.lang), *evidence_files(items, self.lang)]
                )
                + links,
            ),
            *(
                Outgoing(
                    self.group,
                    {"file": item, "caption": evidence_caption(record.ticket, n, len(files), item)},
                    OutboxKind.EVIDENCE,
                    record.ticket,
                )
                for n, item in enumerate(files, start=1)
            ),
        ]
        await self.store.reports.add_evidence(
            record.ticket, list(items), self.clock(), messages=messages
        )
        return [address, self.group]

    async def own_case(self, address: str, name: str) -> ReportRecord:
        """A reporter names a case: it must be one of theirs, or it does not exist for them."""
        try:
            record = await self.find(name)
        except CaseError:
            raise CaseError(T_REPORTER_NOT_YOURS, name=esc(name)) from None
        if record.ticket not in {r.ticket for r in await self.store.reports.of_chat(address)}:
            raise CaseError(T_REPORTER_NOT_YOURS, name=esc(name))
        return record

    # -- helpers ------------------------------------------------------------------------

    def _moved_message(
        self, actor: Actor, record: ReportRecord, state: CaseState, extra: str
    ) -> Outgoing:
        return self._group(
            record,
            G_MOVED,
            ticket=record.ticket,
            state=STATE_LABELS[state].render(self.lang),
            officer=esc(actor.name),
            extra=extra,
        )

    async def _moved(
        self, actor: Actor, name: str, row: CaseAction, detail: dict[str, Any]
    ) -> list[str]:
        assert row.target is not None
        target = row.target

        async def build(record: ReportRecord) -> list[Outgoing]:
            return [self._moved_message(actor, record, target, "")]

        return await self._move(actor, name, row, detail, build)
