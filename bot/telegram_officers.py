"""The officers' group on Telegram: commands, the alert's buttons, and ForceReply prompts.

Only `telegram.officer_chat_id` is listened to, and only `officer_user_ids` may act (admins
for `/buka` and `/ungkap`); everyone else gets a refusal and nothing changes. A button press
is authorised by who pressed it, never by what its data says.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    ForceReply,
    Message,
    Update,
    User,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.dispatcher import Dispatcher
from bot.telegram_reporter import CHANNEL, App, Handler
from bot.telegram_text import split_html
from conversations.case_views import case_detail, case_list
from conversations.cases import (
    CALLED,
    T_NO_PRIVATE_CHAT,
    T_NOT_OFFICER,
    Actor,
    CaseError,
    CaseService,
)
from conversations.followup_service import FollowupService
from conversations.i18n import Lang, Text
from conversations.workflow import CaseState, Outcome

log = logging.getLogger(__name__)

OFFICER_COMMANDS = (
    ("kasus", "[status]", "kasus terbuka (atau berstatus tertentu)"),
    ("lihat", "N", "kasus lengkap dengan riwayat dan catatan"),
    ("ambil", "N", "ambil kasus untuk diri sendiri"),
    ("tanya", "N teks", "kirim pertanyaan ke pelapor"),
    ("catat", "N teks", "catatan internal (tidak ke pelapor)"),
    ("telaah", "N", "laporan lengkap, mulai penelaahan"),
    ("panggil", "N pelapor|saksi|terlapor [keterangan]", "catat pemanggilan klarifikasi"),
    ("selesai", "N terbukti|tidak_terbukti ringkasan", "kasus selesai"),
    ("tolak", "N alasan", "tolak laporan"),
    ("limpahkan", "N tujuan", "limpahkan ke instansi berwenang"),
    ("statistik", "[YYYY-MM]", "statistik bulanan"),
    ("buka", "N alasan", "admin: buka kembali kasus final"),
    ("ungkap", "N alasan", "admin: identitas pelapor ke chat pribadi admin"),
    ("bantuan", "", "daftar perintah"),
)
USAGE = Text("Cara pakai: /{command} {args}", "Usage: /{command} {args}")
ASK_MARK = "✍️ Pertanyaan untuk pelapor"
REJECT_MARK = "✍️ Alasan penolakan"
PROMPT_TEXT = {
    "ask": f"{ASK_MARK} <b>{{ticket}}</b>: balas (reply) pesan ini dengan pertanyaannya.",
    "reject": f"{REJECT_MARK} <b>{{ticket}}</b>: balas (reply) pesan ini dengan alasannya.",
}
TICKET_IN_TEXT = re.compile(r"WBS-\d{4}-\d{4,}")


class Usage(Exception):
    """Missing or wrong arguments: answered with the command's usage line."""


@dataclass(frozen=True)
class Roles:
    group_id: int
    officers: frozenset[int]
    admins: frozenset[int]

    def actor(self, user: User | None) -> Actor:
        if user is None:
            return Actor("unknown", "unknown", officer=False)
        officer = user.id in self.officers or user.id in self.admins
        return Actor(
            str(user.id),
            user.full_name,
            officer=officer,
            admin=user.id in self.admins,
            private_address=f"{CHANNEL}:{user.id}",
        )


class TelegramOfficerGroup:
    def __init__(self, roles: Roles, lang: Lang, services: Sequence[str] = ()) -> None:
        self.roles = roles
        self.lang = lang
        self.services = tuple(services)
        self.cases: CaseService | None = None
        self.dispatcher: Dispatcher | None = None
        self.followups: FollowupService | None = None

    def register(self, app: App) -> None:
        group = filters.Chat(self.roles.group_id) & filters.UpdateType.MESSAGE  # not edits
        commands: dict[str, Callable[[Actor, list[str], Message], Awaitable[Sequence[str]]]] = {
            "kasus": self._list,
            "lihat": self._show,
            "ambil": self._take,
            "tanya": self._ask,
            "catat": self._note,
            "telaah": self._review,
            "panggil": self._call,
            "selesai": self._close,
            "tolak": self._reject,
            "limpahkan": self._refer,
            "buka": self._reopen,
            "ungkap": self._reveal,
            "statistik": self._stats,
            "bantuan": self._help,
        }
        for name, run in commands.items():
            app.add_handler(CommandHandler(name, self._command(name, run), filters=group))
        app.add_handler(CallbackQueryHandler(self._pressed, pattern=r"^case:"))
        app.add_handler(
            MessageHandler(group & filters.REPLY & filters.TEXT & ~filters.COMMAND, self._replied)
        )

    async def publish_commands(self, app: App) -> None:
        await app.bot.set_my_commands(
            [
                BotCommand(name, f"{args} – {about}".strip(" –"))
                for name, args, about in OFFICER_COMMANDS
            ],
            scope=BotCommandScopeChat(self.roles.group_id),
        )

    @property
    def _cases(self) -> CaseService:
        assert self.cases is not None, "the application has not started"
        return self.cases

    # -- plumbing -------------------------------------------------------------------------

    def _command(
        self, name: str, run: Callable[[Actor, list[str], Message], Awaitable[Sequence[str]]]
    ) -> Handler:
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message = update.effective_message
            if message is None:
                return
            actor = self.roles.actor(update.effective_user)
            args = (message.text or "").split(maxsplit=1)[1:]  # keep the text's own spacing
            words = args[0].split(" ") if args else []
            try:
                if not actor.officer:
                    raise CaseError(T_NOT_OFFICER)
                addresses = await run(actor, words, message)
            except Usage:
                args_help = next(a for n, a, _ in OFFICER_COMMANDS if n == name)
                await message.reply_text(USAGE.render(self.lang, command=name, args=args_help))
                return
            except CaseError as error:
                await message.reply_html(error.render(self.lang))
                return
            await self._flush(addresses)

        return handle

    @staticmethod
    async def _reply(message: Message, text: str) -> None:
        """A direct answer in the group, split at line breaks to fit Telegram's limit."""
        for part in split_html(text):
            await message.reply_html(part)

    async def _flush(self, addresses: Sequence[str]) -> None:
        if addresses and self.dispatcher is not None:
            await self.dispatcher.deliver(addresses)

    @staticmethod
    def _case_and_text(words: list[str], *, need_text: bool = True) -> tuple[str, str]:
        if not words or not words[0] or (need_text and not " ".join(words[1:]).strip()):
            raise Usage
        return words[0], " ".join(words[1:]).strip()

    # -- commands -------------------------------------------------------------------------

    async def _list(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        state = None
        if words and words[0]:
            try:
                state = CaseState(words[0].lower())
            except ValueError:
                raise Usage from None
        records = await self._cases.store.reports.all(state)
        overdue = await self.followups.overdue_tickets() if self.followups else frozenset()
        flagged = frozenset(await self._cases.store.reports.attention())
        await self._reply(
            message,
            case_list(
                records,
                self._cases.zone,
                self.lang,
                only_open=state is None,
                now=self._cases.clock(),
                overdue=overdue,
                flagged=flagged,
            ),
        )
        return ()

    async def _show(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, _ = self._case_and_text(words, need_text=False)
        record = await self._cases.find(name)
        history = await self._cases.store.audit.history(record.ticket)
        await self._reply(message, case_detail(record, history, self._cases.zone, self.lang))
        return ()

    async def _take(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, _ = self._case_and_text(words, need_text=False)
        return await self._cases.take(actor, name)

    async def _ask(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        return await self._cases.ask(actor, *self._case_and_text(words))

    async def _note(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        return await self._cases.note(actor, *self._case_and_text(words))

    async def _review(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, _ = self._case_and_text(words, need_text=False)
        return await self._cases.review(actor, name)

    async def _call(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, rest = self._case_and_text(words)
        who, _, info = rest.partition(" ")
        if who.lower() not in CALLED:
            raise Usage
        return await self._cases.call(actor, name, who.lower(), info.strip())

    async def _close(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, rest = self._case_and_text(words)
        outcome, _, summary = rest.partition(" ")
        try:
            result = Outcome(outcome.lower())
        except ValueError:
            raise Usage from None
        if not summary.strip():
            raise Usage
        return await self._cases.close(actor, name, result, summary.strip())

    async def _reject(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        return await self._cases.reject(actor, *self._case_and_text(words))

    async def _refer(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        return await self._cases.refer(actor, *self._case_and_text(words))

    async def _reopen(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        return await self._cases.reopen(actor, *self._case_and_text(words))

    async def _reveal(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        name, reason = self._case_and_text(words)
        self._cases.require_officer(actor, admin=True)
        try:  # the identity may only go where the admin alone reads it: check it can get there
            await message.get_bot().send_chat_action(int(actor.id), ChatAction.TYPING)
        except (Forbidden, BadRequest):
            raise CaseError(T_NO_PRIVATE_CHAT) from None
        addresses, _ = await self._cases.reveal(actor, name, reason)
        return addresses

    async def _stats(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        from bot.charts import stats_chart
        from conversations.statistics import compute, parse_month, render_text

        month = None
        if words and words[0]:
            try:
                month = parse_month(words[0])
            except ValueError:
                raise Usage from None
        records = await self._cases.store.reports.all()
        stats = compute(records, month=month, zone=self._cases.zone, services=self.services)
        await self._reply(message, render_text(stats, self.lang))
        await message.reply_photo(
            stats_chart(stats), caption=f"Statistik WBS {month or ''}".strip()
        )
        return ()

    async def _help(self, actor: Actor, words: list[str], message: Message) -> Sequence[str]:
        lines = [
            f"/{name} {args} – {about}".replace("  ", " ") for name, args, about in OFFICER_COMMANDS
        ]
        await message.reply_text("\n".join(lines))
        return ()

    # -- the alert's buttons and the prompts they open --------------------------------------

    async def _pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        actor = self.roles.actor(query.from_user)
        message = query.message
        if (
            not actor.officer
            or not isinstance(message, Message)
            or message.chat.id != self.roles.group_id
        ):
            await query.answer("Maaf, hanya petugas WBS.", show_alert=True)
            return
        parts = (query.data or "").split(":", 2)
        await query.answer()
        if len(parts) != 3:
            return
        _, action, ticket = parts
        try:
            if action == "take":
                await self._flush(await self._cases.take(actor, ticket))
            elif action == "review":
                await self._flush(await self._cases.review(actor, ticket))
            elif action in PROMPT_TEXT:
                record = await self._cases.find(ticket)
                await message.reply_html(
                    PROMPT_TEXT[action].format(ticket=record.ticket),
                    reply_markup=ForceReply(selective=True, input_field_placeholder=record.ticket),
                )
        except CaseError as error:
            await message.reply_html(error.render(self.lang))

    async def _replied(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An officer's reply to one of our ForceReply prompts carries the question or reason."""
        message = update.effective_message
        if message is None or message.reply_to_message is None:
            return
        prompt = message.reply_to_message
        if prompt.from_user is None or prompt.from_user.id != context.bot.id or not prompt.text:
            return
        match = TICKET_IN_TEXT.search(prompt.text)
        action = (
            "ask"
            if prompt.text.startswith(ASK_MARK)
            else "reject"
            if prompt.text.startswith(REJECT_MARK)
            else None
        )
        if match is None or action is None:
            return
        actor = self.roles.actor(update.effective_user)
        text = (message.text or "").strip()
        try:
            if not actor.officer:
                raise CaseError(T_NOT_OFFICER)
            if action == "ask":
                addresses = await self._cases.ask(actor, match.group(), text)
            else:
                addresses = await self._cases.reject(actor, match.group(), text)
        except CaseError as error:
            await message.reply_html(error.render(self.lang))
            return
        await self._flush(addresses)
