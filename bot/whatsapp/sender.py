"""Queued messages to WhatsApp reporters, through the Graph API (pywa), inside the 24-hour window.

WhatsApp delivers free-form messages only within 24 hours of the person's last message. The
outbox row of a message due outside that window is not lost and not sent free-form: the
approved follow-up template (`whatsapp.followup_template`) goes out once, asking the reporter
to open the chat, and the message waits in the outbox ("waiting for the 24-hour window")
until the reporter writes; then `store.whatsapp.inbound` makes it due again and it is
delivered before the answer to what they wrote. The dispatcher keeps each chat's order: the
waiting message holds back the ones queued after it.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

import httpx
from pywa.types.callback import Button, Section, SectionList, SectionRow
from pywa_async import errors as wa_errors
from pywa_async.client import WhatsApp
from pywa_async.types.templates import TemplateLanguage

from bot.dispatcher import RetryLater, Undeliverable, WaitingForRecipient
from bot.whatsapp import CHANNEL
from bot.whatsapp.ports import WhatsAppStorage
from bot.whatsapp.render import WaMessage, render
from conversations.addresses import Address
from conversations.ports import Outgoing, QueuedMessage

log = logging.getLogger(__name__)
T = TypeVar("T")

GRAPH_HOST = "graph.facebook.com"
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)  # never bet the last minutes of a window
WAIT_RECHECK = timedelta(hours=24)  # a waiting message looks again (writing releases it at once)
WAITING = "waiting for the 24-hour window: the reporter must write first"
RECENT_LIMIT = 5000  # sent messages kept in memory, for a `failed` status that follows

# Graph API error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
RE_ENGAGEMENT = 131047  # more than 24 hours since the person's last message
PAIR_RATE_LIMIT = 131056  # too many messages to one person in a short time
GONE = frozenset(
    {
        131026,  # undeliverable (not on WhatsApp, old app, blocked the business)
        131030,  # not in the test number's allowed list
        131051,  # unsupported message type
        131008,  # a required parameter is missing
        131009,  # a parameter value is not valid
        100,  # invalid parameter
    }
)


def template_language(code: str) -> TemplateLanguage | None:
    """pywa's enum member for a template language code (`id`, `en_US`), or None."""
    return next((member for member in TemplateLanguage if member.value == code), None)


class GraphTransport(httpx.AsyncBaseTransport):
    """Sends pywa's Graph API requests to `api_base_url` (a proxy, or the test fake).

    pywa always builds `https://graph.facebook.com/v…` URLs; this rewrites the scheme, host,
    port and any path prefix to the configured base. Other hosts (media downloads) pass.
    """

    def __init__(self, base_url: str, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.base = httpx.URL(base_url.rstrip("/"))
        self.inner = inner or httpx.AsyncHTTPTransport(retries=1)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == GRAPH_HOST and self.base.host != GRAPH_HOST:
            prefix = self.base.raw_path.rstrip(b"/")
            request.url = request.url.copy_with(
                scheme=self.base.scheme,
                host=self.base.host,
                port=self.base.port,
                raw_path=prefix + request.url.raw_path,
            )
            request.headers["Host"] = self.base.netloc.decode("ascii")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def graph_client(api_base_url: str, *, timeout: float = 20.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=GraphTransport(api_base_url),
        timeout=httpx.Timeout(timeout, connect=5.0),
        follow_redirects=True,
    )


class WhatsAppSender:
    """The dispatcher's sender for `whatsapp:` addresses."""

    def __init__(
        self,
        wa: WhatsApp,
        store: WhatsAppStorage,
        *,
        template: str,
        template_language: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.wa = wa
        self.store = store
        self.template = template
        self.template_language = template_language
        self.clock = clock
        # What was sent lately, by delivered key: WhatsApp may accept a message and report
        # it failed seconds later; the outbox keeps no text once sent, so the copy is here.
        self._recent: OrderedDict[str, tuple[datetime, str, QueuedMessage]] = OrderedDict()

    async def send(self, chat_id: str, message: QueuedMessage) -> str | None:
        address = Address.of(CHANNEL, chat_id)
        now = self.clock()
        last_inbound, template_at = await self.store.whatsapp.window(address)
        if last_inbound is None or now >= last_inbound + WINDOW - WINDOW_MARGIN:
            await self._outside_window(chat_id, address, last_inbound, template_at, now)
        if message.payload.get("file") is not None:
            raise Undeliverable("files are not sent to WhatsApp reporters")
        first: str | None = None
        for part in render(message.payload, lang=str(message.payload.get("lang") or "id")):
            sent = await self._call(address, self._send_part(chat_id, part))
            key = self.store.whatsapp.sent_key(sent)
            self._remember(key, now, address, message)
            first = first or key
        return first

    def _remember(self, key: str, now: datetime, address: str, message: QueuedMessage) -> None:
        self._recent[key] = (now, address, message)
        while self._recent and (
            len(self._recent) > RECENT_LIMIT or next(iter(self._recent.values()))[0] < now - WINDOW
        ):
            self._recent.popitem(last=False)

    async def failed_after_sending(self, address: str, message_id: str) -> bool:
        """WhatsApp reports a sent message failed for the 24-hour window: the window is
        closed, and the message is queued again (it goes through the template way)."""
        now = self.clock()
        await self.store.whatsapp.window_closed(address, now - WINDOW)
        found = self._recent.pop(self.store.whatsapp.sent_key(message_id), None)
        if found is None or found[1] != address:
            return False
        message = found[2]
        again = Outgoing(address, message.payload, message.kind, message.ticket)
        await self.store.outbox.enqueue([again], now)
        return True

    async def _outside_window(
        self,
        chat_id: str,
        address: str,
        last_inbound: datetime | None,
        template_at: datetime | None,
        now: datetime,
    ) -> None:
        """The follow-up template, once for each message that came to wait (a question, then a
        reminder days later); the messages themselves wait in the outbox (RetryLater)."""
        if not self.template:
            log.warning("a WhatsApp message waits: no whatsapp.followup_template is configured")
            raise WaitingForRecipient(WAITING + " (no follow-up template)", _seconds(WAIT_RECHECK))
        if (
            template_at is None
            or (last_inbound is not None and template_at < last_inbound)
            or await self.store.whatsapp.queued_after(address, template_at)
        ):
            language = template_language(self.template_language)
            if language is None:
                raise RetryLater("whatsapp.followup_template_language is not a template language")
            await self._call(
                address,
                self.wa.send_template(to=chat_id, name=self.template, language=language),
                template=True,
            )
            await self.store.whatsapp.template_sent(address, now)
            log.info("WhatsApp follow-up template sent; the message waits for the reporter")
        raise WaitingForRecipient(WAITING, _seconds(WAIT_RECHECK))

    async def _send_part(self, chat_id: str, part: WaMessage) -> str:
        if part.kind == "text":
            sent = await self.wa.send_message(to=chat_id, text=part.text, preview_url=False)
        elif part.kind == "buttons":
            sent = await self.wa.send_message(
                to=chat_id,
                text=part.text,
                buttons=[Button(title=c.title, callback_data=c.id) for c in part.choices],
            )
        else:
            rows = [
                SectionRow(title=c.title, callback_data=c.id, description=c.description)
                for c in part.choices
            ]
            sent = await self.wa.send_message(
                to=chat_id,
                text=part.text,
                buttons=SectionList(
                    button_title=part.list_button, sections=[Section(title=part.section, rows=rows)]
                ),
            )
        return str(sent.id)

    async def _call(self, address: str, call: Awaitable[T], *, template: bool = False) -> T:
        """One Graph API call; its failure as the dispatcher's RetryLater or Undeliverable.

        Reasons name the error code only: the Graph API's messages may quote the number.
        """
        try:
            return await call
        except httpx.HTTPError as exc:
            raise RetryLater(f"network: {type(exc).__name__}") from None
        except wa_errors.WhatsAppError as exc:
            what = f"WhatsApp error {exc.code}" + (" (template)" if template else "")
            if exc.code == RE_ENGAGEMENT and not template:
                # Our clock and WhatsApp's disagree: the window is closed; go the template way.
                await self.store.whatsapp.window_closed(address, self.clock() - WINDOW)
                raise RetryLater(what + ": outside the 24-hour window", 1.0) from None
            if exc.code == PAIR_RATE_LIMIT:
                raise RetryLater(what + ": too fast for this chat", 6.0) from None
            if isinstance(exc, wa_errors.ThrottlingError):
                raise RetryLater(what + ": rate limited", 60.0) from None
            if isinstance(exc, wa_errors.AuthorizationError):
                log.error("the WhatsApp access token was refused (%s); check the config", exc.code)
                raise RetryLater(what + ": authorization") from None
            if exc.code in GONE and not template:
                raise Undeliverable(what) from None
            if template:
                log.error("the WhatsApp follow-up template failed (%s); check the config", exc.code)
            raise RetryLater(what) from None


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()
