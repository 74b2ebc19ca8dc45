"""Builds the running bot from settings: `build_app(settings)`. Nothing happens at import.

Telegram ──updates──▶ PerChatUpdateProcessor ──▶ handlers ──▶ ReportingService (engine)
                                                                 │ one transaction
                                                                 ▼
                                             SQLite: drafts · reports · outbox · audit
                                                                 │
Telegram ◀──send──── TelegramSender ◀──── Dispatcher ◀───────────┘ (now, and every few s)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import BotCommand, BotCommandScopeAllPrivateChats
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes

from bot.dispatcher import Dispatcher
from bot.evidence import clean_evidence
from bot.http import AiohttpRequest
from bot.rules import followup_rules
from bot.set_aside import SetAside, TolerantBot
from bot.settings import Settings
from bot.telegram_officers import Roles, TelegramOfficerGroup
from bot.telegram_reporter import CHANNEL, App, TelegramReporterChats
from bot.telegram_sender import TelegramSender, allow_raw_calls
from bot.update_processor import PerChatUpdateProcessor
from bot.whatsapp import CHANNEL as WHATSAPP
from bot.whatsapp import channel_for
from conversations.addresses import Address
from conversations.calendar import WorkCalendar
from conversations.case_actions import validate_actions
from conversations.cases import CaseService
from conversations.engine import FormEngine
from conversations.followup_service import FollowupService
from conversations.form import build_form
from conversations.i18n import Lang
from conversations.reporter_commands import menu_commands
from conversations.reporting import ReportingService, utc_now
from conversations.workflow import validate_moves
from storage.store import Store
from storage.vault import Vault

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 2.0


@dataclass
class Services:
    """What the handlers need, opened when the application starts and closed when it stops."""

    store: Store
    reporting: ReportingService
    cases: CaseService
    dispatcher: Dispatcher
    followups: FollowupService


async def open_services(
    settings: Settings,
    app: App,
    clock: Callable[[], datetime] = utc_now,
) -> Services:
    vault = Vault.open_or_create(settings.security.key_file)
    store = await Store.open(settings.storage.database, vault)
    await store.outbox.release_claims()
    form = build_form(
        services=settings.form.services, allow_anonymous=settings.form.allow_anonymous
    )
    officer_address = Address.of(CHANNEL, settings.telegram.officer_chat_id)
    cases = CaseService(
        store,
        officer_address=officer_address,
        zone=settings.bot.zone,
        lang=Lang(settings.bot.language),
        clock=clock,
    )
    reporting = ReportingService(
        store,
        FormEngine(form),
        cases,
        officer_address=officer_address,
        zone=settings.bot.zone,
        cleaner=clean_evidence,
        default_lang=Lang(settings.bot.language),
        clock=clock,
    )
    dispatcher = Dispatcher(
        store.outbox,
        {CHANNEL: TelegramSender(app.bot, store.blobs, settings.telegram.officer_chat_id)},
        clock,
    )
    followups = FollowupService(
        store,
        rules=followup_rules(settings),
        calendar=WorkCalendar(
            settings.bot.zone,
            working_days=settings.sla.count_working_days,
            extra_holidays=settings.sla.extra_holidays,
        ),
        draft_ttl=settings.form.draft_ttl,
        officer_address=officer_address,
        lang=Lang(settings.bot.language),
        clock=clock,
    )
    return Services(store, reporting, cases, dispatcher, followups)


async def publish_reporter_commands(app: App, default: Lang) -> None:
    """Telegram's command menu for private chats, from the reporter commands' table: in the
    bot's language for everyone, and in each language for clients set to it."""
    scope = BotCommandScopeAllPrivateChats()

    def menu(lang: Lang) -> list[BotCommand]:
        return [BotCommand(command, description) for command, description in menu_commands(lang)]

    await app.bot.set_my_commands(menu(default), scope=scope)
    for lang in Lang:
        await app.bot.set_my_commands(menu(lang), scope=scope, language_code=lang.value)


def build_app(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, concurrency: int = 96
) -> App:
    """The whole Telegram bot: handlers, request layer, outbox job. Run it with run_polling."""
    validate_moves()
    validate_actions()
    allow_raw_calls()
    build_form(services=settings.form.services, allow_anonymous=settings.form.allow_anonymous)
    reporter_chats = TelegramReporterChats()
    roles = Roles(
        settings.telegram.officer_chat_id,
        frozenset(settings.telegram.officer_user_ids),
        frozenset(settings.telegram.admin_user_ids),
    )
    officer_group = TelegramOfficerGroup(roles, Lang(settings.bot.language), settings.form.services)
    holder: dict[str, Services] = {}
    set_aside = SetAside(settings.telegram.officer_chat_id)
    whatsapp = channel_for(settings, clock)  # None unless whatsapp.enabled

    async def post_init(app: App) -> None:
        services = await open_services(settings, app, clock)
        holder["services"] = services
        reporter_chats.reporting = services.reporting
        set_aside.reporting, set_aside.deliver = services.reporting, services.dispatcher.deliver
        reporter_chats.dispatcher = services.dispatcher
        officer_group.cases = services.cases
        officer_group.dispatcher = services.dispatcher
        officer_group.followups = services.followups
        app.bot_data["services"] = services
        if whatsapp is not None:  # the webhook server, and a sender for whatsapp: addresses
            sender = await whatsapp.start(services.store, services.reporting, services.dispatcher)
            services.dispatcher.senders = {**services.dispatcher.senders, WHATSAPP: sender}
            app.bot_data["whatsapp"] = whatsapp
        await publish_reporter_commands(app, Lang(settings.bot.language))
        await officer_group.publish_commands(app)
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            deliver_due, interval=OUTBOX_INTERVAL_SECONDS, first=0.1, name="outbox"
        )
        # The database says what is due; these only wake up to look (and once at start).
        interval = settings.sla.scan_interval.total_seconds()
        app.job_queue.run_repeating(scan_due, interval=interval, first=0.5, name="followups")
        digest_at = settings.sla.digest_time.replace(tzinfo=settings.bot.zone)
        app.job_queue.run_daily(scan_due, time=digest_at, name="digest")
        log.info(
            "wbs-bot started; %s messages waiting in the outbox",
            await services.store.outbox.undelivered_count(),
        )

    async def deliver_due(context: ContextTypes.DEFAULT_TYPE) -> None:
        await holder["services"].dispatcher.deliver()

    async def scan_due(context: ContextTypes.DEFAULT_TYPE) -> None:
        services = holder["services"]
        await services.dispatcher.deliver(await services.followups.scan())

    async def post_shutdown(app: App) -> None:
        if whatsapp is not None:  # before the store closes: messages in hand finish
            await whatsapp.stop()
        services = holder.pop("services", None)
        if services is not None:
            await services.store.close()

    rate_limiter = AIORateLimiter(max_retries=3) if settings.telegram.rate_limit else None
    bot = TolerantBot(  # getUpdates reads each update on its own (bot/set_aside.py)
        settings.telegram.token,
        base_url=settings.telegram.api_base_url,
        base_file_url=settings.telegram.file_base_url,
        request=AiohttpRequest(connections=128),
        get_updates_request=AiohttpRequest(connections=2, read_timeout=40),
        rate_limiter=rate_limiter,
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(PerChatUpdateProcessor(concurrency))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    set_aside.register(app)  # unreadable updates first; failed handlers: its error handler
    officer_group.register(app)  # first: the group's handlers must see group updates
    reporter_chats.register(app)
    return app
