"""The case service: every officer action, whether from the group, a button or the CLI.

Each action checks the actor, checks the move against the one transition table, and writes
the change, its audit entry and the messages it causes (to the reporter, to the group) in one
transaction. The reporter is told only what the procedure says, never internal notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations import texts
from conversations.alerts import esc, evidence_caption, evidence_summary
from conversations.engine import Prompt
from conversations.i18n import Lang, Text
from conversations.outbox_kinds import OutboxKind
from conversations.workflow import (
    FINAL_STATES,
    REOPEN_TO,
    STATE_LABELS,
    CaseState,
    MoveRefused,
    Outcome,
    check_move,
)
from storage.database import Outgoing, ReportRecord, StateConflict, Store

CASE_NAME = re.compile(r"^(?:WBS-(\d{4})-)?0*(\d{1,6})$", re.IGNORECASE)
CALLED = ("pelapor", "saksi", "terlapor")


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


T_NOT_FOUND = Text("Kasus {name} tidak ditemukan.", "No case {name}.")
T_BAD_NAME = Text(
    "'{name}' bukan nomor kasus. Contoh: WBS-2026-0007 atau 7.",
    "'{name}' is not a case number. Example: WBS-2026-0007 or 7.",
)
T_NOT_OFFICER = Text(
    "Maaf, perintah ini hanya untuk petugas WBS.", "Sorry, this command is for WBS officers only."
)
T_NOT_ADMIN = Text(
    "Maaf, perintah ini hanya untuk admin WBS.", "Sorry, this command is for WBS admins only."
)
T_REFUSED = Text(
    "{ticket} berstatus {state}; langkah ke {target} tidak diizinkan. Yang diizinkan: {allowed}.",
    "{ticket} is {state}; moving to {target} is not allowed. Allowed: {allowed}.",
)
T_CONFLICT = Text(
    "{ticket} baru saja diubah oleh orang lain. Periksa dengan /lihat lalu coba lagi.",
    "{ticket} was just changed by someone else. Check with /lihat and try again.",
)
T_UNREACHABLE = Text(
    "Pelapor {ticket} tidak dapat dihubungi lagi (tautan chat sudah dihapus).",
    "The reporter of {ticket} can no longer be reached (the chat link was erased).",
)
T_NO_PRIVATE_CHAT = Text(
    "Identitas hanya dikirim ke chat pribadi admin. Buka chat pribadi dengan bot (/start) "
    "lalu ulangi.",
    "An identity is only sent to the admin's private chat. Open a private chat with the bot "
    "(/start) and try again.",
)
T_REPORTER_NOT_YOURS = Text(
    "Nomor {name} bukan laporan Anda. Lihat nomor laporan Anda dengan /status.",
    "{name} is not one of your reports. See your report numbers with /status.",
)

# What the group sees after each action (register number first, as officers scan by it).
G_TAKEN = Text(
    "📌 <b>{ticket}</b> diambil oleh {officer}.", "📌 <b>{ticket}</b> taken by {officer}."
)
G_ASKED = Text(
    "❓ <b>{ticket}</b>: pertanyaan dikirim ke pelapor oleh {officer}:\n{text}",
    "❓ <b>{ticket}</b>: question sent to the reporter by {officer}:\n{text}",
)
G_NOTED = Text(
    "📝 <b>{ticket}</b>: catatan {officer}:\n{text}",
    "📝 <b>{ticket}</b>: note by {officer}:\n{text}",
)
G_MOVED = Text(
    "🔄 <b>{ticket}</b> → {state} ({officer}){extra}",
    "🔄 <b>{ticket}</b> → {state} ({officer}){extra}",
)
G_REVEALED = Text(
    "🔐 <b>{ticket}</b>: identitas pelapor dibuka oleh {officer} (tercatat di log audit).",
    "🔐 <b>{ticket}</b>: the reporter's identity was opened by {officer} (audit logged).",
)
G_ANSWER = Text(
    "💬 <b>{ticket}</b>: jawaban pelapor:\n{text}",
    "💬 <b>{ticket}</b>: the reporter answers:\n{text}",
)
G_EVIDENCE = Text(
    "📎 <b>{ticket}</b>: pelapor menambah bukti: {what}",
    "📎 <b>{ticket}</b>: the reporter added evidence: {what}",
)

# What the reporter is told.
R_QUESTION = Text(
    "❓ <b>Pertanyaan dari petugas WBS</b> tentang laporan <b>{ticket}</b>:\n\n{text}\n\n"
    "Balas (reply) pesan ini untuk menjawab, atau ketik <i>/balas {ticket} jawaban Anda</i>. "
    "Bukti tambahan: <i>/bukti {ticket}</i>.",
    "❓ <b>A question from the WBS officers</b> about report <b>{ticket}</b>:\n\n{text}\n\n"
    "Reply to this message to answer, or type <i>/balas {ticket} your answer</i>. "
    "More evidence: <i>/bukti {ticket}</i>.",
)
R_CALLED = Text(
    "📞 Petugas WBS mengundang Anda untuk <b>klarifikasi</b> laporan <b>{ticket}</b>.{extra}\n\n"
    "Balas (reply) pesan ini bila ada yang ingin Anda sampaikan. Identitas Anda tetap "
    "dirahasiakan.",
    "📞 The WBS officers invite you to a <b>clarification</b> of report <b>{ticket}</b>.{extra}\n\n"
    "Reply to this message if you want to tell us something. Your identity stays secret.",
)
R_CLOSED = Text(
    "✅ Laporan <b>{ticket}</b> telah selesai ditangani.\nHasil: <b>{result}</b>\n{summary}\n\n"
    "Terima kasih atas keberanian dan kepedulian Anda.",
    "✅ Report <b>{ticket}</b> has been concluded.\nOutcome: <b>{result}</b>\n{summary}\n\n"
    "Thank you for your courage and care.",
)
R_REJECTED = Text(
    "Laporan <b>{ticket}</b> tidak dapat ditindaklanjuti.\nAlasan: {reason}\n\n"
    "Anda dapat membuat laporan baru dengan /lapor bila ada informasi lain.",
    "Report <b>{ticket}</b> cannot be followed up.\nReason: {reason}\n\n"
    "You can make a new report with /lapor if you have other information.",
)
R_REFERRED = Text(
    "Laporan <b>{ticket}</b> telah dilimpahkan kepada <b>{target}</b> yang berwenang "
    "menanganinya. Identitas Anda tetap dirahasiakan.",
    "Report <b>{ticket}</b> was handed to <b>{target}</b>, who is competent to handle it. "
    "Your identity stays secret.",
)
R_ANSWER_TAKEN = Text(
    "Terima kasih, jawaban Anda untuk <b>{ticket}</b> sudah diteruskan ke petugas.",
    "Thank you, your answer on <b>{ticket}</b> was passed to the officers.",
)
OUTCOME_LABELS = {
    Outcome.PROVEN: Text("Terbukti", "Proven"),
    Outcome.NOT_PROVEN: Text("Tidak terbukti", "Not proven"),
}
A_REVEALED = Text(
    "🔐 <b>Identitas pelapor {ticket}</b> (rahasia, jangan diteruskan)\nNama: {name}\n"
    "Telepon: {phone}\nEmail: {email}\nAlasan: {reason}",
    "🔐 <b>Reporter identity of {ticket}</b> (secret, do not forward)\nName: {name}\n"
    "Phone: {phone}\nE-mail: {email}\nReason: {reason}",
)
A_ERASED = Text(
    "🔐 Identitas pelapor {ticket} sudah dihapus sesuai masa simpan.",
    "🔐 The reporter identity of {ticket} was erased at the end of its retention period.",
)
A_ANONYMOUS = Text(
    "🔐 Laporan {ticket} dikirim secara anonim: tidak ada identitas yang tersimpan.",
    "🔐 Report {ticket} was sent anonymously: no identity is stored.",
)


def say(prompt_text: str) -> dict[str, Any]:
    return Prompt(prompt_text).to_dict()


class CaseService:
    def __init__(
        self,
        store: Store,
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

    async def find(self, name: str) -> ReportRecord:
        match = CASE_NAME.match(name.strip())
        if match is None:
            raise CaseError(T_BAD_NAME, name=esc(name))
        year, number = match.groups()
        record = (
            await self.store.report(f"WBS-{year}-{int(number):04d}")
            if year
            else await self.store.report_by_number(
                int(number), prefer_year=self.clock().astimezone(self.zone).year
            )
        )
        if record is None:
            raise CaseError(T_NOT_FOUND, name=esc(name))
        return record

    @staticmethod
    def require_officer(actor: Actor, *, admin: bool = False) -> None:
        if not actor.officer:
            raise CaseError(T_NOT_OFFICER)
        if admin and not actor.admin:
            raise CaseError(T_NOT_ADMIN)

    def _refused(self, record: ReportRecord, error: MoveRefused) -> CaseError:
        labels = [STATE_LABELS[s].render(self.lang) for s in CaseState if s in error.allowed]
        return CaseError(
            T_REFUSED,
            ticket=record.ticket,
            state=STATE_LABELS[record.state].render(self.lang),
            target=STATE_LABELS[error.target].render(self.lang),
            allowed=", ".join(labels) or "-",
        )

    def _group(self, record: ReportRecord, template: Text, **params: object) -> Outgoing:
        return Outgoing(
            self.group, say(template.render(self.lang, **params)), OutboxKind.CASE, record.ticket
        )

    async def _reporter(self, record: ReportRecord, template: Text, **params: object) -> Outgoing:
        address = await self.store.reporter_address(record.ticket)
        if address is None:
            raise CaseError(T_UNREACHABLE, ticket=record.ticket)
        # Text parameters (e.g. the outcome's label) read in the reporter's own language.
        rendered = {
            k: v.render(record.lang) if isinstance(v, Text) else v for k, v in params.items()
        }
        payload = say(template.render(record.lang, ticket=record.ticket, **rendered))
        return Outgoing(address, payload, OutboxKind.TO_REPORTER, record.ticket)

    async def _change(
        self,
        actor: Actor,
        record: ReportRecord,
        action: str,
        detail: dict[str, Any],
        messages: Sequence[Outgoing],
        *,
        state: CaseState | None = None,
        outcome: Outcome | None = None,
        officer: str | None = None,
        check_state: bool = True,
    ) -> list[str]:
        try:
            await self.store.update_case(
                record.ticket,
                self.clock(),
                actor=actor.id,
                action=action,
                detail={**detail, "by": actor.name},
                expect_state=record.state if check_state else None,
                state=state,
                outcome=outcome,
                officer=officer,
                messages=messages,
            )
        except StateConflict:
            raise CaseError(T_CONFLICT, ticket=record.ticket) from None
        return sorted({m.address for m in messages})

    async def _move(
        self,
        actor: Actor,
        name: str,
        target: CaseState,
        action: str,
        detail: dict[str, Any],
        build: Callable[[ReportRecord], Any],
        *,
        outcome: Outcome | None = None,
        reopen: bool = False,
    ) -> list[str]:
        self.require_officer(actor, admin=reopen)
        record = await self.find(name)
        try:
            check_move(record.state, target, reopen=reopen)
        except MoveRefused as error:
            raise self._refused(record, error) from None
        messages = await build(record)
        return await self._change(
            actor, record, action, detail, messages, state=target, outcome=outcome
        )

    # -- the actions --------------------------------------------------------------------

    async def take(self, actor: Actor, name: str) -> list[str]:
        self.require_officer(actor)
        record = await self.find(name)
        message = self._group(record, G_TAKEN, ticket=record.ticket, officer=esc(actor.name))
        return await self._change(actor, record, "taken", {}, [message], officer=actor.name)

    async def note(self, actor: Actor, name: str, text: str) -> list[str]:
        self.require_officer(actor)
        record = await self.find(name)
        message = self._group(
            record, G_NOTED, ticket=record.ticket, officer=esc(actor.name), text=esc(text)
        )
        return await self._change(actor, record, "note", {"text": text}, [message])

    async def ask(self, actor: Actor, name: str, question: str) -> list[str]:
        async def build(record: ReportRecord) -> list[Outgoing]:
            return [
                await self._reporter(record, R_QUESTION, text=esc(question)),
                self._group(
                    record,
                    G_ASKED,
                    ticket=record.ticket,
                    officer=esc(actor.name),
                    text=esc(question),
                ),
            ]

        return await self._move(
            actor, name, CaseState.INCOMPLETE, "question", {"text": question}, build
        )

    async def review(self, actor: Actor, name: str) -> list[str]:
        return await self._moved(actor, name, CaseState.REVIEW, "review", {}, None)

    async def call(self, actor: Actor, name: str, who: str, info: str) -> list[str]:
        detail = {"who": who, "text": info}

        async def build(record: ReportRecord) -> list[Outgoing]:
            extra = f" {esc(who)}" + (f": {esc(info)}" if info else "")
            messages = [self._moved_message(actor, record, CaseState.CLARIFICATION, extra)]
            if who == "pelapor":
                note = f"\n{esc(info)}" if info else ""
                messages.insert(0, await self._reporter(record, R_CALLED, extra=note))
            return messages

        return await self._move(actor, name, CaseState.CLARIFICATION, "call", detail, build)

    async def close(self, actor: Actor, name: str, outcome: Outcome, summary: str) -> list[str]:
        label = OUTCOME_LABELS[outcome]
        return await self._conclude(
            actor,
            name,
            CaseState.CLOSED,
            "closed",
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
            CaseState.REJECTED,
            "rejected",
            {"text": reason},
            R_REJECTED,
            esc(reason),
            reason=esc(reason),
        )

    async def refer(self, actor: Actor, name: str, target: str) -> list[str]:
        return await self._conclude(
            actor,
            name,
            CaseState.REFERRED,
            "referred",
            {"target": target},
            R_REFERRED,
            esc(target),
            target=esc(target),
        )

    async def _conclude(
        self,
        actor: Actor,
        name: str,
        state: CaseState,
        action: str,
        detail: dict[str, Any],
        told: Text,
        group_note: str,
        *,
        outcome: Outcome | None = None,
        **params: object,
    ) -> list[str]:
        """A final move: the reporter is told how it ended, the group sees the move."""

        async def build(record: ReportRecord) -> list[Outgoing]:
            return [
                await self._reporter(record, told, **params),
                self._moved_message(actor, record, state, f": {group_note}"),
            ]

        return await self._move(actor, name, state, action, detail, build, outcome=outcome)

    async def reopen(self, actor: Actor, name: str, reason: str) -> list[str]:
        async def build(record: ReportRecord) -> list[Outgoing]:
            return [self._moved_message(actor, record, REOPEN_TO, f": {esc(reason)}")]

        return await self._move(
            actor, name, REOPEN_TO, "reopened", {"text": reason}, build, reopen=True
        )

    async def move(
        self, actor: Actor, name: str, target: CaseState, *, outcome: Outcome | None, reason: str
    ) -> list[str]:
        """The CLI's generic move: the same actions as the group commands, by target state."""
        if target is CaseState.INCOMPLETE:
            return await self.ask(actor, name, reason)
        if target is CaseState.CLARIFICATION:
            return await self.call(actor, name, "", reason)  # invites no one: a record only
        if target is CaseState.CLOSED:
            if outcome is None:
                raise CaseError(
                    Text("Hasil wajib: terbukti atau tidak_terbukti.", "Outcome required.")
                )
            return await self.close(actor, name, outcome, reason)
        if target is CaseState.REJECTED:
            return await self.reject(actor, name, reason)
        if target is CaseState.REFERRED:
            return await self.refer(actor, name, reason)
        record = await self.find(name)
        if record.state in FINAL_STATES:
            return await self.reopen(actor, name, reason)
        return await self._moved(actor, name, target, "review", {"text": reason}, None)

    async def reveal(
        self, actor: Actor, name: str, reason: str
    ) -> tuple[list[str], dict[str, Any] | None]:
        """The identity goes only to the admin's private chat; the group learns that it happened."""
        self.require_officer(actor, admin=True)
        if actor.private_address is None:
            raise CaseError(T_NO_PRIVATE_CHAT)
        record = await self.find(name)
        identity = await self.store.identity(record.ticket)
        if identity is None and await self.store.identity_erased(record.ticket):
            text = A_ERASED.render(self.lang, ticket=record.ticket)
        elif identity is None:
            text = A_ANONYMOUS.render(self.lang, ticket=record.ticket)
        else:
            text = A_REVEALED.render(
                self.lang,
                ticket=record.ticket,
                name=esc(identity.get("name") or "-"),
                phone=esc(identity.get("phone") or "-"),
                email=esc(identity.get("email") or "-"),
                reason=esc(reason),
            )
        messages = [
            Outgoing(actor.private_address, say(text), OutboxKind.IDENTITY, record.ticket),
            self._group(record, G_REVEALED, ticket=record.ticket, officer=esc(actor.name)),
        ]
        addresses = await self._change(
            actor, record, "identity_revealed", {"reason": reason}, messages
        )
        return addresses, identity

    # -- what the reporter sends back ---------------------------------------------------

    async def reporter_answer(self, address: str, name: str, text: str) -> list[str]:
        record = await self.own_case(address, name)
        reporter = Actor("pelapor", "pelapor", officer=False)
        messages = [
            Outgoing(
                address,
                say(R_ANSWER_TAKEN.render(record.lang, ticket=record.ticket)),
                OutboxKind.REPLY,
            ),
            self._group(record, G_ANSWER, ticket=record.ticket, text=esc(text)),
        ]
        # An answer is kept whatever the case's state has just become: no state check.
        return await self._change(
            reporter, record, "reporter_answered", {"text": text}, messages, check_state=False
        )

    async def reporter_evidence(
        self, address: str, name: str, items: Sequence[dict[str, Any]]
    ) -> list[str]:
        """Evidence added with `/bukti`: stored with the case and passed on to the group."""
        record = await self.own_case(address, name)
        links = "".join(f"\n• {esc(item['url'])}" for item in items if item["kind"] == "link")
        files = [item for item in items if item["kind"] != "link"]
        messages = [
            Outgoing(
                address,
                say(texts.ATTACH_TAKEN.render(record.lang, ticket=record.ticket)),
                OutboxKind.REPLY,
                record.ticket,
            ),
            self._group(
                record,
                G_EVIDENCE,
                ticket=record.ticket,
                what=evidence_summary(list(items), self.lang) + links,
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
        await self.store.add_evidence(record.ticket, list(items), self.clock(), messages=messages)
        return [address, self.group]

    async def own_case(self, address: str, name: str) -> ReportRecord:
        """A reporter names a case: it must be one of theirs, or it does not exist for them."""
        try:
            record = await self.find(name)
        except CaseError:
            raise CaseError(T_REPORTER_NOT_YOURS, name=esc(name)) from None
        if record.ticket not in {r.ticket for r in await self.store.reports_of_chat(address)}:
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
        self,
        actor: Actor,
        name: str,
        target: CaseState,
        action: str,
        detail: dict[str, Any],
        outcome: Outcome | None,
    ) -> list[str]:
        async def build(record: ReportRecord) -> list[Outgoing]:
            return [self._moved_message(actor, record, target, "")]

        return await self._move(actor, name, target, action, detail, build, outcome=outcome)

    # -- the officer CLI's `cases assign` (added for wbs-officer) -------------------------

    async def assign(self, actor: Actor, name: str, officer_name: str) -> list[str]:
        """`take`, naming another officer: the case is theirs; the group is told who did it."""
        assigned = Text(
            "📌 <b>{ticket}</b> ditugaskan kepada {officer} oleh {by}.",
            "📌 <b>{ticket}</b> assigned to {officer} by {by}.",
        )
        self.require_officer(actor)
        officer_name = " ".join(officer_name.split())
        if not officer_name:
            raise CaseError(Text("Nama petugas kosong.", "The officer's name is empty."))
        record = await self.find(name)
        message = self._group(
            record, assigned, ticket=record.ticket, officer=esc(officer_name), by=esc(actor.name)
        )
        return await self._change(
            actor, record, "assigned", {"officer": officer_name}, [message], officer=officer_name
        )
