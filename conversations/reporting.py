"""The reporter's side, for any channel: commands, form answers, files, submission.

Both channels hand over what a reporter sent as a `ReporterInput`; `receive` is the one
entry point. Each call loads the chat's session, runs the engine, and saves the new draft
together with the replies (queued in the outbox) in one transaction. It returns the
addresses whose queue the caller should deliver now; if that fails, the dispatcher retries
later.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations import parsers, texts
from conversations.addresses import Address, Channel
from conversations.alerts import evidence_caption, officer_alert
from conversations.audit_actions import AuditAction
from conversations.cases import CaseError, CaseService
from conversations.engine import (
    Attached,
    Button,
    Draft,
    Event,
    FormEngine,
    Pressed,
    Prompt,
    SharedContact,
    Step,
    Typed,
    Unsupported,
    is_anonymous,
)
from conversations.form import FieldId
from conversations.i18n import Lang, Text
from conversations.outbox_kinds import OutboxKind
from conversations.ports import NewReport, Outgoing, Storage
from conversations.reporter_commands import (
    COMMANDS,
    CommandTableError,
    ReporterCommand,
    command_named,
    help_text,
)
from conversations.reporter_input import (
    Chose,
    Command,
    Contact,
    FileTooBig,
    Replied,
    ReporterInput,
    Said,
    SentFile,
)
from conversations.sanitizing import (
    Sanitized,
    Verdict,
    blobs_of,
    evidence_item,
    forwarded,
)
from conversations.workflow import FINAL_STATES, STATE_LABELS, CaseState

ANSWER_FOR = "answer:"  # the button naming the case that held answers are for
TICKET_IN_TEXT = re.compile(r"WBS-\d{4}-\d{4,}")
CONTENT_FIELDS = (
    FieldId.COMPLAINT,
    FieldId.ACCUSED_NAME,
    FieldId.ACCUSED_POSITION,
    FieldId.INCIDENT_TIME,
    FieldId.LOCATION,
    FieldId.CHRONOLOGY,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


# Cleans one file (data, claimed MIME type, claimed name, size limit): bot.evidence.sanitize,
# run off the event loop.
EvidenceCleaner = Callable[[bytes, str | None, str | None, int], Awaitable[Sanitized]]
CommandRun = Callable[[Address, Lang, Draft | None], Awaitable[list[str]]]


def _lang(stored: str | None, default: Lang) -> Lang:
    """The chat's chosen language (stored as its code), else the bot's."""
    return Lang(stored) if stored else default


def message(prompt: Prompt, **extra: Any) -> dict[str, Any]:
    return {**prompt.to_dict(), **extra}


class ReportingService:
    def __init__(
        self,
        store: Storage,
        engine: FormEngine,
        cases: CaseService,
        *,
        officer_address: Address,
        zone: ZoneInfo,
        cleaner: EvidenceCleaner,
        default_lang: Lang = Lang.ID,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.cleaner = cleaner
        self.store = store
        self.engine = engine
        self.cases = cases
        self.officer_address = officer_address
        self.zone = zone
        self.default_lang = default_lang
        self.clock = clock
        self._commands = self._command_handlers()

    # -- the one entry point -----------------------------------------------------------

    async def receive(self, received: ReporterInput) -> list[str]:
        """Whatever a reporter sent, on any channel; returns the addresses to deliver to."""
        chat, content = received.sender, received.content
        if isinstance(content, Command):
            return await self._command(chat, content.name, content.args)
        if isinstance(content, Said):
            if content.replied is not None:
                relayed = await self._reply(chat, content.text, content.replied)
                if relayed is not None:
                    return relayed
            busy = await self._busy(chat)
            if content.after_wait and not busy:
                # What waited for the reporter to write is the answer: a welcome menu on
                # top would only be noise.
                return []
            if not busy:
                relayed = await self._to_waiting_case(chat, {"text": content.text})
                if relayed is not None:
                    return relayed
            return await self._event(chat, Typed(content.text, self.clock().timestamp()))
        if isinstance(content, Chose):
            if content.data.startswith(ANSWER_FOR):
                return await self._release(chat, content.data.removeprefix(ANSWER_FOR))
            return await self._event(chat, Pressed(content.data))
        if isinstance(content, Contact):
            return await self._event(chat, SharedContact(content.phone, content.own))
        if isinstance(content, SentFile):
            return await self._file(chat, content)
        return await self._event(chat, Unsupported())

    # -- commands ---------------------------------------------------------------------

    async def _command(self, chat: Address, name: str, args: str = "") -> list[str]:
        """A reporter command of the table (by name or alias); unknown ones get the help."""
        command = command_named(name) or ReporterCommand.BANTUAN
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        if command in (ReporterCommand.BALAS, ReporterCommand.BUKTI):
            return await self._case_command(chat, lang, command, args)
        if session.attach_ticket is not None:  # any other command ends adding evidence
            await self.store.sessions.set_attach_ticket(chat, None)
        draft = Draft.from_dict(session.draft) if session.draft else None
        return await self._commands[command](chat, lang, draft)

    def _command_handlers(self) -> dict[ReporterCommand, CommandRun]:
        """The handler of each row of the reporter commands' table (checked at start)."""
        handlers: dict[ReporterCommand, CommandRun] = {
            ReporterCommand.START: self._start,
            ReporterCommand.LAPOR: self._lapor,
            ReporterCommand.STATUS: self._show_status,
            ReporterCommand.BATAL: self._batal,
            ReporterCommand.BAHASA: self._bahasa,
            ReporterCommand.PRIVASI: self._privasi,
            ReporterCommand.BANTUAN: self._bantuan,
        }
        relayed = {ReporterCommand.BALAS, ReporterCommand.BUKTI}  # see _case_command
        missing = {row.name for row in COMMANDS} - set(handlers) - relayed
        if missing:
            raise CommandTableError(f"reporter commands without a handler: {sorted(missing)}")
        return handlers

    async def _start(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        return await self._say(chat, lang, self._welcome(lang))

    async def _lapor(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        return await self._apply(chat, draft, self.engine.start(draft, lang), lang)

    async def _batal(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        if draft is None:
            return await self._say(chat, lang, Prompt(texts.NO_DRAFT.render(lang)))
        return await self._apply(chat, draft, self.engine.cancel(draft, lang), lang)

    async def _show_status(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        return await self._say(chat, lang, await self._status(chat, lang, draft))

    async def _bahasa(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        buttons = (
            (
                Button(texts.LANGUAGE_ID.render(lang), "lang:id"),
                Button(texts.LANGUAGE_EN.render(lang), "lang:en"),
            ),
        )
        return await self._say(chat, lang, Prompt(texts.LANGUAGE_ASK.render(lang), buttons))

    async def _privasi(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        return await self._say(chat, lang, Prompt(texts.PRIVACY.render(lang)))

    async def _bantuan(self, chat: Address, lang: Lang, draft: Draft | None) -> list[str]:
        typed = chat.channel is Channel.WHATSAPP  # no command menu there: commands are typed
        return await self._say(chat, lang, Prompt(help_text(lang, typed=typed)))

    def _welcome(self, lang: Lang) -> Prompt:
        menu = (
            (texts.MENU_REPORT, "menu:lapor"),
            (texts.MENU_STATUS, "menu:status"),
            (
                texts.MENU_HELP,
                "menu:bantuan",
            ),
        )
        return Prompt(
            texts.WELCOME.render(lang),
            tuple((Button(label.render(lang), data),) for label, data in menu),
        )

    async def _status(self, chat: Address, lang: Lang, draft: Draft | None) -> Prompt:
        reports = await self.store.reports.of_chat(chat)
        lines = [
            texts.STATUS_LINE.render(
                lang,
                ticket=r.ticket,
                category=r.category,
                state=STATE_LABELS[CaseState(r.state)].render(lang),
                changed=r.updated_at.astimezone(self.zone).strftime("%d/%m/%Y %H:%M"),
            )
            for r in reports
        ]
        text = (
            "\n".join([texts.STATUS_TITLE.render(lang), *lines])
            if lines
            else texts.STATUS_NONE.render(lang)
        )
        if draft is not None and draft.started:
            text += "\n\n" + texts.STATUS_DRAFT.render(lang)
        return Prompt(text)

    # -- form events ------------------------------------------------------------------

    async def _event(self, chat: Address, event: Event) -> list[str]:
        """An answer, a button press or a shared contact from the reporter."""
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        if isinstance(event, Pressed) and event.data.startswith(("menu:", "lang:")):
            return await self._menu(chat, event.data, lang)
        if session.attach_ticket is not None and (
            not isinstance(event, Pressed) or event.data.startswith("attach:")
        ):
            return await self._add_to_case(chat, session.attach_ticket, lang, event)
        if session.draft is None:
            # Nothing in progress: a reporter with cases is told what the bot expects, a
            # newcomer gets the welcome, whatever the first message is.
            if not isinstance(event, Pressed):
                told = await self._nothing_waits(chat, lang, texts.NOTHING_WAITING)
                if told is not None:
                    return told
            return await self._say(chat, lang, self._welcome(lang))
        draft = Draft.from_dict(session.draft)
        return await self._apply(chat, draft, self.engine.handle(draft, event, lang), lang)

    async def _menu(self, chat: Address, data: str, lang: Lang) -> list[str]:
        kind, _, value = data.partition(":")
        if kind == "lang" and value in ("id", "en"):
            lang = Lang(value)
            await self.store.sessions.set_language(chat, lang)
            return await self._say(chat, lang, Prompt(texts.LANGUAGE_SET.render(lang)))
        return await self._command(chat, value)

    async def _expects_files(self, chat: Address) -> bool:
        session = await self.store.sessions.get(chat)
        if session.attach_ticket is not None:
            return True
        return session.draft is not None and self.engine.expects_files(
            Draft.from_dict(session.draft)
        )

    # -- the relay: answers and evidence for a report already sent ----------------------

    async def _case_command(
        self, chat: Address, lang: Lang, command: ReporterCommand, args: str
    ) -> list[str]:
        """`/balas WBS-… teks` answers an officer; `/bukti WBS-…` starts adding evidence."""
        answer = command is ReporterCommand.BALAS
        case, _, text = args.strip().partition(" ")
        usage = texts.USAGE_BALAS if answer else texts.USAGE_BUKTI
        if not case or (answer and not text.strip()):
            return await self._say(chat, lang, Prompt(usage.render(lang)))
        try:
            if answer:
                closed = await self._closed(chat, str(self.cases.resolve(case).ticket))
                if closed is not None:
                    return closed
                return await self.cases.reporter_answer(chat, case, text.strip())
            record = await self.cases.own_case(chat, case)
        except CaseError as error:
            return await self._say(chat, lang, Prompt(error.render(lang)))
        await self.store.sessions.set_attach_ticket(chat, record.ticket)
        done = Button(texts.BUTTON_DONE.render(lang), "attach:done")
        prompt = Prompt(texts.ATTACH_START.render(lang, ticket=record.ticket), ((done,),))
        return await self._say(chat, lang, prompt)

    async def _reply(self, chat: Address, text: str, replied: Replied) -> list[str] | None:
        """A reply to one of our messages is an answer when that message was about a case.

        The case is the one we recorded for the replied message or, since a fast reply can
        arrive before that record, the register number the replied text shows; either way it
        must be one of the reporter's own cases.
        """
        ticket = await self.store.outbox.ticket_of_delivered(chat, replied.key)
        if ticket is None and replied.text:
            found = TICKET_IN_TEXT.search(replied.text)
            ticket = found.group() if found else None
        if ticket is None:
            return None
        closed = await self._closed(chat, ticket)
        if closed is not None:
            return closed
        try:
            return await self.cases.reporter_answer(chat, ticket, text)
        except CaseError as error:
            session = await self.store.sessions.get(chat)
            lang = _lang(session.lang, self.default_lang)
            return await self._say(chat, lang, Prompt(error.render(lang)))

    async def _closed(self, chat: Address, ticket: str) -> list[str] | None:
        """An answer to a case that has ended is not passed on: the reporter is told so,
        and what they can do (None: the case is open, or not theirs, which the relay says)."""
        record = await self.store.reports.get(ticket)
        if record is None or CaseState(record.state) not in FINAL_STATES:
            return None
        if ticket not in {r.ticket for r in await self.store.reports.of_chat(chat)}:
            return None
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        state = STATE_LABELS[CaseState(record.state)].render(lang)
        prompt = Prompt(texts.CASE_CLOSED.render(lang, ticket=ticket, state=state))
        return await self._say(chat, lang, prompt)

    async def _add_to_case(self, chat: Address, ticket: str, lang: Lang, event: Event) -> list[str]:
        """`/bukti` mode: files and links go to the sent report until the reporter is done."""
        done = texts.BUTTON_DONE.render(lang).casefold()
        if isinstance(event, Pressed) or (
            isinstance(event, Typed) and event.text.strip().casefold() == done
        ):
            await self.store.sessions.set_attach_ticket(chat, None)
            return await self._say(chat, lang, Prompt(texts.ATTACH_END.render(lang, ticket=ticket)))
        if isinstance(event, Attached):
            items = [dict(event.evidence)]
        elif isinstance(event, Typed):
            try:
                items = [{"kind": "link", "url": url} for url in parsers.links(event.text)]
            except parsers.ParseError as error:
                return await self._say(chat, lang, Prompt("⚠️ " + error.render(lang)))
        else:
            prompt = Prompt(texts.ATTACH_START.render(lang, ticket=ticket))
            return await self._say(chat, lang, prompt)
        return await self.cases.reporter_evidence(chat, ticket, items)

    # -- answers typed without a reply: the case that waits for them --------------------

    async def waiting_cases(self, chat: Address) -> list[str]:
        """The reporter's cases waiting for their answer, oldest first: in kelengkapan with a
        question asked since their last answer, or in klarifikasi with the reporter called
        since then. When none is unanswered, those already answered in that state (a second
        message, or a photo after the text, belongs to the same answer)."""
        reports = [
            r
            for r in await self.store.reports.of_chat(chat)
            if r.state in (CaseState.INCOMPLETE, CaseState.CLARIFICATION)
        ]
        if not reports:
            return []
        histories = await self.store.audit.histories([r.ticket for r in reports])
        waiting, answered_too = [], []
        for report in reports:
            asked = answered = 0
            for entry in histories.get(report.ticket, ()):
                done = AuditAction.read(entry.action)
                if done is AuditAction.ANSWERED:
                    answered = entry.id
                elif _asks_reporter(done, entry.detail, CaseState(report.state)):
                    asked = entry.id
            if asked > answered:
                waiting.append(report.ticket)
            elif asked:
                answered_too.append(report.ticket)
        return waiting or answered_too

    async def _to_waiting_case(self, chat: Address, item: dict[str, Any]) -> list[str] | None:
        """Text or a file sent with nothing in progress: to the one case waiting for it, or
        held while the reporter says which of several; None when no case waits."""
        waiting = await self.waiting_cases(chat)
        if not waiting:
            return None
        if len(waiting) == 1:
            return await self._forward(chat, waiting[0], [item])
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        held = [*(session.held or []), item]
        buttons = tuple((Button(ticket, ANSWER_FOR + ticket),) for ticket in waiting)
        prompt = Prompt(texts.WHICH_CASE.render(lang, count=len(held)), buttons)
        reply = Outgoing(chat, message(prompt, lang=lang), OutboxKind.REPLY)
        await self.store.sessions.hold(chat, self.clock(), held, [reply])
        return [chat]

    async def _forward(self, chat: Address, ticket: str, items: list[dict[str, Any]]) -> list[str]:
        """Typed answers (joined) and files, to the officers of one of the reporter's cases."""
        said = "\n\n".join(i["text"] for i in items if "text" in i)
        files = [i["file"] for i in items if "file" in i]
        addresses: set[str] = set()
        try:
            if said:
                addresses.update(await self.cases.reporter_answer(chat, ticket, said))
            if files:
                addresses.update(
                    await self.cases.reporter_evidence(
                        chat, ticket, files, taken=texts.ANSWER_FILE_TAKEN
                    )
                )
        except CaseError as error:
            session = await self.store.sessions.get(chat)
            lang = _lang(session.lang, self.default_lang)
            return await self._say(chat, lang, Prompt(error.render(lang)))
        return sorted(addresses)

    async def _release(self, chat: Address, ticket: str) -> list[str]:
        """The reporter named the case for what was held: it goes there, and is forgotten."""
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        if not session.held:
            return await self._say(
                chat, lang, Prompt(texts.WHICH_CASE_GONE.render(lang, ticket=ticket))
            )
        addresses = await self._forward(chat, ticket, list(session.held))
        await self.store.sessions.hold(chat, self.clock(), None)
        return addresses

    async def _nothing_waits(self, chat: Address, lang: Lang, reason: Text) -> list[str] | None:
        """A reporter with reports but no question waiting gets why, and the help (never the
        welcome menu); a newcomer (None) gets the welcome."""
        if not await self.store.reports.of_chat(chat):
            return None
        typed = chat.channel is Channel.WHATSAPP
        text = reason.render(lang) + "\n\n" + help_text(lang, typed=typed)
        return await self._say(chat, lang, Prompt(text))

    async def _busy(self, chat: Address) -> bool:
        session = await self.store.sessions.get(chat)
        return session.draft is not None or session.attach_ticket is not None

    async def _file(self, chat: Address, file: SentFile) -> list[str]:
        """Downloaded only where the conversation takes files (within the channel's limit):
        the form's evidence question, `/bukti`, or a case waiting for the reporter's answer."""
        to_case = False
        if not await self._expects_files(chat):
            if await self._busy(chat):
                return await self._event(chat, Unsupported())
            if not await self.waiting_cases(chat):
                session = await self.store.sessions.get(chat)
                lang = _lang(session.lang, self.default_lang)
                told = await self._nothing_waits(chat, lang, texts.FILE_NOT_EXPECTED)
                return told if told is not None else await self._event(chat, Unsupported())
            to_case = True
        try:
            downloaded = await file.download()
        except FileTooBig:
            return await self.say(chat, texts.FILE_TOO_BIG, limit=file.limit_mb)
        mime = file.mime or downloaded.mime
        result = await self.cleaner(downloaded.data, mime, file.name, file.limit_mb * 1024 * 1024)
        return await self._attach(chat, file.kind, downloaded.data, result, to_case=to_case)

    async def _attach(
        self, chat: Address, kind: str, data: bytes, result: Sanitized, *, to_case: bool = False
    ) -> list[str]:
        """A file sent at the evidence question (or, `to_case`, as an answer), cleaned: the
        original sealed with its hash (chain of custody), the clean copy beside it for
        officers; then recorded, and the reporter told what was removed. A refused file is
        not stored at all."""
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        if result.verdict is Verdict.REFUSED:
            return await self._say(chat, lang, Prompt("⚠️ " + result.reporter_text(lang)))
        original = self.store.blobs.put(data)
        clean = self.store.blobs.put(result.clean) if result.clean is not None else None
        item = evidence_item(kind, result, original.name, clean.name if clean else None)
        try:
            if to_case:
                routed = await self._to_waiting_case(chat, {"file": item}) or []
            else:
                routed = await self._event(chat, Attached(item))
        except BaseException:
            for name in blobs_of(item):
                self.store.blobs.delete(name)
            raise
        await self._say(chat, lang, Prompt(result.reporter_text(lang)))
        return routed

    async def say(self, chat: Address, text: Text, **params: object) -> list[str]:
        session = await self.store.sessions.get(chat)
        lang = _lang(session.lang, self.default_lang)
        return await self._say(chat, lang, Prompt(text.render(lang, **params)))

    # -- persistence ------------------------------------------------------------------

    async def _say(self, chat: Address, lang: Lang, *prompts: Prompt) -> list[str]:
        await self.store.outbox.enqueue(
            [Outgoing(chat, message(p, lang=lang), OutboxKind.REPLY) for p in prompts], self.clock()
        )
        return [chat]

    async def _apply(
        self, chat: Address, before: Draft | None, step: Step, lang: Lang
    ) -> list[str]:
        if step.submit and step.draft is not None:
            return await self._submit(chat, step.draft, lang)
        replies = [Outgoing(chat, message(p, lang=lang), OutboxKind.REPLY) for p in step.prompts]
        await self.store.sessions.save(
            chat,
            self.clock(),
            draft=step.draft.to_dict() if step.draft is not None else None,
            outbox=replies,
        )
        self._drop_unused_files(before, step.draft)
        return [chat]

    def _drop_unused_files(self, before: Draft | None, after: Draft | None) -> None:
        kept = {name for e in after.evidence for name in blobs_of(e)} if after else set()
        for item in before.evidence if before else []:
            for name in blobs_of(item):
                if name not in kept:
                    self.store.blobs.delete(name)

    async def _submit(self, chat: Address, draft: Draft, lang: Lang) -> list[str]:
        answers = draft.answers
        report = NewReport(
            channel=chat.channel,
            address=chat,
            lang=lang,
            identity=None
            if is_anonymous(answers)
            else {
                "name": answers.get(FieldId.REPORTER_NAME),
                "phone": answers.get(FieldId.REPORTER_PHONE),
                "email": answers.get(FieldId.REPORTER_EMAIL),
            },
            category=answers[FieldId.CATEGORY],
            service=answers.get(FieldId.SERVICE),
            amount=answers.get(FieldId.AMOUNT),
            consent=bool(answers.get(FieldId.CONSENT)),
            content={f.value: answers[f] for f in CONTENT_FIELDS if answers.get(f) is not None},
            evidence=list(draft.evidence),
        )
        now = self.clock()
        group_lang = self.default_lang

        def messages(ticket: str) -> Sequence[Outgoing]:
            alert = officer_alert(ticket, _alert_view(report), group_lang)
            files = forwarded(report.evidence)
            return [
                Outgoing(
                    chat,
                    message(Prompt(texts.SUBMITTED.render(lang, ticket=ticket))),
                    OutboxKind.SUBMITTED,
                    ticket,
                ),
                Outgoing(self.officer_address, message(alert), OutboxKind.ALERT, ticket),
                *(
                    Outgoing(
                        self.officer_address,
                        {"file": item, "caption": evidence_caption(ticket, n, len(files), item)},
                        OutboxKind.EVIDENCE,
                        ticket,
                    )
                    for n, item in enumerate(files, start=1)
                ),
            ]

        await self.store.reports.submit(report, now, now.astimezone(self.zone).year, messages)
        return [chat, self.officer_address]


def _asks_reporter(done: AuditAction | None, detail: dict[str, Any], state: CaseState) -> bool:
    """An entry that waits for the reporter: a question (kelengkapan) or their call."""
    if state is CaseState.INCOMPLETE:
        return done is AuditAction.INCOMPLETE
    return done is AuditAction.CLARIFICATION and detail.get("who") == "pelapor"


def _alert_view(report: NewReport) -> dict[str, Any]:
    return {
        "category": report.category,
        "service": report.service,
        "amount": report.amount,
        "anonymous": report.identity is None,
        "consent": report.consent,
        "content": report.content,
        "evidence": report.evidence,
    }
