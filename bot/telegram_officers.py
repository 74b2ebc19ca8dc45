"""The officers' group on Telegram: commands, the alert's buttons, and ForceReply prompts.

Every command and button is a row of `conversations.case_actions.ACTIONS`: its arguments are
parsed by the row's parsers and it runs through the case service, so the group, the buttons and
the officer CLI cannot differ. Only `telegram.officer_chat_id` is listened to, and only
`officer_user_ids` may act (admins for `/buka` and `/ungkap`); everyone else gets a refusal and
nothing changes. A button press is authorised by who pressed it, never by what its data says.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
from bot.spinner import stop_spinner
from bot.telegram_reporter import CHANNEL, App, Handler
from bot.telegram_text import split_html
from conversations.addresses import Address
from conversations.case_actions import (
    ACTIONS,
    BY_KEY,
    CaseAction,
    Kind,
    check_handlers,
    cli_only,
    help_lines,
)
from conversations.case_views import case_detail, case_list
from conversations.cases import Actor, CaseError, CaseService
from conversations.followup_service import FollowupService
from conversations.i18n import Lang, Text
from conversations.officer_texts import (
    G_HELP_CLI,
    G_HELP_TITLE,
    G_STATS_CAPTION,
    T_BUTTON_REFUSED,
    T_NO_PRIVATE_CHAT,
    T_NOT_OFFICER,
    T_USAGE,
)
from conversations.workflow import CaseState

log = logging.getLogger(__name__)

GROUP_ACTIONS = tuple(a for a in ACTIONS if a.command)
TICKET_IN_TEXT = re.compile(r"WBS-\d{4}-\d{4,}")
TAG = re.compile(r"<[^>]+>")
Reader = Callable[[Actor, dict[str, Any], Message], Awaitable[None]]


def prompt_marks(prompt: Text) -> tuple[str, ...]:
    """How a ForceReply prompt starts as the group reads it (no tags), in both languages."""
    return tuple(TAG.sub("", part.split("{ticket}")[0]).strip() for part in prompt)


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
            private_address=Address.of(CHANNEL, user.id),
        )


class TelegramOfficerGroup:
    def __init__(self, roles: Roles, lang: Lang, services: Sequence[str] = ()) -> None:
        self.roles = roles
        self.lang = lang
        self.services = tuple(services)
        self.cases: CaseService | None = None
        self.dispatcher: Dispatcher | None = None
        self.followups: FollowupService | None = None
        self.readers: Mapping[str, Reader] = {
            "list": self._list,
            "show": self._show,
            "stats": self._stats,
            "help": self._help,
        }
        check_handlers(GROUP_ACTIONS, Kind.READ, self.readers)

    def register(self, app: App) -> None:
        group = filters.Chat(self.roles.group_id) & filters.UpdateType.MESSAGE  # not edits
        for row in GROUP_ACTIONS:
            assert row.command is not None
            app.add_handler(CommandHandler(row.command, self._command(row), filters=group))
        app.add_handler(CallbackQueryHandler(self._pressed, pattern=r"^case:"))
        app.add_handler(
            MessageHandler(group & filters.REPLY & filters.TEXT & ~filters.COMMAND, self._replied)
        )

    async def publish_commands(self, app: App) -> None:
        await app.bot.set_my_commands(
            [
                BotCommand(
                    row.command or "",
                    f"{row.usage(self.lang)} – {row.help.render(self.lang)}".strip(" –")[:256],
                )
                for row in GROUP_ACTIONS
            ],
            scope=BotCommandScopeChat(self.roles.group_id),
        )

    @property
    def _cases(self) -> CaseService:
        assert self.cases is not None, "the application has not started"
        return self.cases

    # -- plumbing -------------------------------------------------------------------------

    def _command(self, row: CaseAction) -> Handler:
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message = update.effective_message
            if message is None:
                return
            actor = self.roles.actor(update.effective_user)
            line = (message.text or "").split(maxsplit=1)[1:]  # keep the text's own spacing
            try:
                if not actor.officer:
                    raise CaseError(T_NOT_OFFICER)
                try:
                    values = row.parse_words(line[0] if line else "")
                except ValueError:
                    raise Usage from None
                await self._run(row, actor, values, message)
            except Usage:
                usage = T_USAGE.render(self.lang, command=row.command, args=row.usage(self.lang))
                await message.reply_text(usage.strip())
            except CaseError as error:
                await message.reply_html(error.render(self.lang))

        handle.case_action = row.key  # type: ignore[attr-defined]
        return handle

    async def _run(
        self, row: CaseAction, actor: Actor, values: dict[str, Any], message: Message
    ) -> None:
        """A row of the action table: a read renders here, an action goes to the service."""
        if row.kind is Kind.READ:
            await self.readers[row.key](actor, values, message)
            return
        if row.key == "reveal":
            self._cases.require(actor, row)
            try:  # the identity may only go where the admin alone reads it: can it get there?
                await message.get_bot().send_chat_action(int(actor.id), ChatAction.TYPING)
            except (Forbidden, BadRequest):
                raise CaseError(T_NO_PRIVATE_CHAT) from None
        done = await self._cases.perform(actor, row, values)
        await self._flush(done.addresses)

    @staticmethod
    async def _reply(message: Message, text: str) -> None:
        """A direct answer in the group, split at line breaks to fit Telegram's limit."""
        for part in split_html(text):
            await message.reply_html(part)

    async def _flush(self, addresses: Sequence[str]) -> None:
        if addresses and self.dispatcher is not None:
            await self.dispatcher.deliver(addresses)

    # -- the reading commands -------------------------------------------------------------

    async def _list(self, actor: Actor, values: dict[str, Any], message: Message) -> None:
        state: CaseState | None = values.get("state")
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

    async def _show(self, actor: Actor, values: dict[str, Any], message: Message) -> None:
        record = await self._cases.find(values["name"])
        history = await self._cases.store.audit.history(record.ticket)
        await self._reply(message, case_detail(record, history, self._cases.zone, self.lang))

    async def _stats(self, actor: Actor, values: dict[str, Any], message: Message) -> None:
        from bot.charts import stats_chart
        from conversations.statistics import compute, render_text

        month: str | None = values.get("month")
        records = await self._cases.store.reports.all()
        stats = compute(records, month=month, zone=self._cases.zone, services=self.services)
        await self._reply(message, render_text(stats, self.lang))
        caption = G_STATS_CAPTION.render(self.lang, period=month or "").strip()
        await message.reply_photo(stats_chart(stats), caption=caption)

    async def _help(self, actor: Actor, values: dict[str, Any], message: Message) -> None:
        terminal = ", ".join(f"wbs-officer {a.cli_name}" for a in cli_only())
        lines = [
            G_HELP_TITLE.render(self.lang),
            *(html.escape(line, quote=False) for line in help_lines(self.lang)),
            "",
            G_HELP_CLI.render(self.lang, commands=html.escape(terminal, quote=False)),
        ]
        await message.reply_html("\n".join(lines))

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
            await stop_spinner(query, T_BUTTON_REFUSED.render(self.lang), alert=True)
            return
        parts = (query.data or "").split(":", 2)
        await stop_spinner(query)  # first, whatever happens next
        if len(parts) != 3 or parts[1] not in BY_KEY or BY_KEY[parts[1]].button is None:
            return
        row, ticket = BY_KEY[parts[1]], parts[2]
        try:
            if row.reply_prompt is None:
                await self._run(row, actor, {"name": ticket}, message)
            else:
                record = await self._cases.find(ticket)
                await message.reply_html(
                    row.reply_prompt.render(self.lang, ticket=record.ticket),
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
        row = next(
            (
                a
                for a in ACTIONS
                if a.reply_prompt is not None
                and any(prompt.text.startswith(mark) for mark in prompt_marks(a.reply_prompt))
            ),
            None,
        )
        if match is None or row is None:
            return
        actor = self.roles.actor(update.effective_user)
        text = (message.text or "").strip()
        try:
            if not actor.officer:
                raise CaseError(T_NOT_OFFICER)
            values = {"name": match.group(), row.params[-1].name: text}
            done = await self._cases.perform(actor, row, values)
        except CaseError as error:
            await message.reply_html(error.render(self.lang))
            return
        await self._flush(done.addresses)
