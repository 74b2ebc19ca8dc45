"""The fake Bot API, driven over real HTTP by python-telegram-bot's own Bot and Application."""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.support.fake_telegram import FakeTelegram, FakeUser

pytestmark = pytest.mark.asyncio

TOKEN = "123456:TEST-TOKEN"
ANI = 4242


def png(width: int, height: int) -> bytes:
    """Just enough of a PNG for its size to be read from the header."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", width, height) + b"\x08"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


@pytest.fixture
def ani(fake: FakeTelegram) -> FakeUser:
    person = fake.user(ANI, "Ani", username="ani_k")
    fake.send_text(person, "halo")  # the private chat exists once she has written
    return person


@pytest_asyncio.fixture
async def http(fake: FakeTelegram) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# --------------------------------------------------------------------------- basics


async def test_get_me_describes_the_bot(bot: Bot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (
        123456,
        True,
        "WBS BKD NTT",
        "wbs_bkd_test_bot",
    )
    assert fake.bot["username"] == "wbs_bkd_test_bot"
    assert fake.calls[0].method == "getMe" and fake.calls[0].ok


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG", base_url=fake.base_url):
            pass


async def test_raw_http_errors_and_method_names(
    fake: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{fake.url}/bot123456:WRONG/getMe") as response:
        assert response.status == 401
        assert await response.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    async with http.post(f"{fake.base_url}{TOKEN}/noSuchMethod") as response:
        assert response.status == 404
        assert (await response.json())["description"] == "Not Found"
    async with http.get(f"{fake.base_url}{TOKEN}/GETME") as response:
        body = await response.json()
        assert response.status == 200 and body["ok"] and body["result"]["is_bot"] is True


async def test_json_and_urlencoded_bodies(
    fake: FakeTelegram, ani: FakeUser, http: aiohttp.ClientSession
) -> None:
    url = f"{fake.base_url}{TOKEN}/sendMessage"
    keyboard = {"inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]}
    payload = {"chat_id": ANI, "text": "json", "reply_markup": keyboard}
    async with http.post(url, json=payload) as response:
        body = await response.json()
    assert body["ok"] and body["result"]["reply_markup"] == keyboard
    assert body["result"]["chat"] == {
        "id": ANI,
        "type": "private",
        "first_name": "Ani",
        "username": "ani_k",
    }
    form = {"chat_id": str(ANI), "text": "form", "reply_markup": '{"remove_keyboard": true}'}
    async with http.post(url, data=form) as response:
        body = await response.json()
    assert body["ok"] and "reply_markup" not in body["result"]  # only inline ones are echoed
    sent = fake.messages(ANI)
    assert [m.text for m in sent] == ["json", "form"]
    assert sent[1].reply_markup == {"remove_keyboard": True}
    assert fake.calls[-1].params["chat_id"] == ANI  # decoded back to an int


# --------------------------------------------------------------------------- updates


async def test_application_runs_commands_and_buttons(fake: FakeTelegram) -> None:
    pressed: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            f"Halo <b>{' '.join(context.args or [])}</b>",
            parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("Ya", callback_data="yes")],
                    [InlineKeyboardButton("Tidak", callback_data="no")],
                ]
            ),
        )

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        pressed.append(query.data)
        await query.answer("Tercatat")
        await query.edit_message_text(f"Pilihan: {query.data}")

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    ani = fake.user(ANI, "Ani")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            fake.send_text(ani, "/start@wbs_bkd_test_bot Ani")
            menu = await fake.next_message(ANI, contains="Halo")
            assert (menu.text, menu.raw_text) == ("Halo Ani", "Halo <b>Ani</b>")
            assert menu.entities == [{"type": "bold", "offset": 5, "length": 3}]
            assert fake.buttons(menu) == ["Ya", "Tidak"]

            query_id = fake.press(ani, menu.message_id, "Tidak")
            await fake.wait_until(lambda: menu.text == "Pilihan: no", what="the edit")
            assert pressed == ["no"]
            assert fake.answered_callbacks[query_id]["text"] == "Tercatat"
            assert menu.reply_markup is None  # an edit without markup drops the keyboard
            with pytest.raises(LookupError, match="available: \\[\\]"):
                fake.press(ani, menu.message_id, "Ya")
        finally:
            await app.updater.stop()
            await app.stop()
    assert fake.pending_updates == []  # the last getUpdates confirmed everything


async def test_command_entities_match_telegram(fake: FakeTelegram) -> None:
    ani = fake.user(ANI, "Ani")
    message = fake.send_text(ani, "/lapor@wbs_bkd_test_bot sekarang")
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 23}]
    assert message["from"] == {
        "id": ANI,
        "is_bot": False,
        "first_name": "Ani",
        "language_code": "id",
    }
    assert "entities" not in fake.send_text(ani, "tanpa perintah")
    update = fake.pending_updates[0]
    assert update["update_id"] == 1 and update["message"]["text"].startswith("/lapor")


async def test_get_updates_long_poll_offset_and_limit(bot: Bot, fake: FakeTelegram) -> None:
    ani = fake.user(ANI, "Ani")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10, read_timeout=15))
    await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")))
    fake.send_text(ani, "satu")
    updates = await poll
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["satu"]

    fake.send_text(ani, "dua")
    fake.send_text(ani, "tiga")
    again = await bot.get_updates(limit=1)
    assert [u.update_id for u in again] == [updates[0].update_id]  # not confirmed yet
    rest = await bot.get_updates(offset=updates[0].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["dua", "tiga"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()  # an empty answer when the time is up
    assert 0.9 <= time.monotonic() - started < 2


async def test_stop_answers_a_pending_long_poll_at_once(bot: Bot, fake: FakeTelegram) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
    await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")))
    started = time.monotonic()
    await fake.stop()
    assert time.monotonic() - started < 1.5
    assert await asyncio.wait_for(poll, 2) == ()


async def test_webhook_blocks_polling_until_deleted(bot: Bot, fake: FakeTelegram) -> None:
    fake.send_text(fake.user(ANI, "Ani"), "halo")
    with pytest.raises(BadRequest, match=r"(?i)https url"):
        await bot.set_webhook("http://example.org/hook")
    assert await bot.set_webhook("https://example.org/hook")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.org/hook", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


# --------------------------------------------------------------------------- validation


async def test_html_must_be_telegram_html(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    for bad, reason in [
        ("Nama: a < b", 'unsupported start tag "" at byte offset 8'),
        ("<b>tebal</i>", "unmatched end tag"),
        ("<b>tebal", "can't find end tag"),
        ("<div>x</div>", 'unsupported start tag "div"'),
        ("Tom &nbsp; Jerry", "unsupported html entity"),
        ("Tom & Jerry", 'unescaped "&"'),
    ]:
        with pytest.raises(BadRequest, match="parse entities") as error:
            await bot.send_message(ANI, bad, parse_mode="HTML")
        assert reason in error.value.message.lower()
    sent = await bot.send_message(
        ANI,
        '<b>A</b> &lt;&amp;&gt; <a href="https://x.org/?a=1&amp;b=2">tautan</a> '
        '<pre><code class="language-python">x = 1</code></pre> <tg-spoiler>s</tg-spoiler>',
        parse_mode="HTML",
    )
    assert sent.text == "A <&> tautan x = 1 s"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 1),
        ("text_link", 6, 6),
        ("pre", 13, 5),
        ("spoiler", 19, 1),
    ]
    assert sent.entities[1].url == "https://x.org/?a=1&b=2"
    assert sent.entities[2].language == "python"
    assert fake.calls_to("sendMessage")[0].response == {
        "ok": False,
        "error_code": 400,
        "description": 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte '
        "offset 8",
    }


async def test_markdown_v2_reserved_characters(bot: Bot, ani: FakeUser) -> None:
    with pytest.raises(BadRequest, match="reserved and must be escaped"):
        await bot.send_message(ANI, "Laporan No. 5", parse_mode="MarkdownV2")
    sent = await bot.send_message(ANI, "*Laporan* No\\. 5", parse_mode="MarkdownV2")
    assert sent.text == "Laporan No. 5"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 7)]
    emoji = await bot.send_message(ANI, "👍 _oke_ 👍 ~x~", parse_mode="MarkdownV2")
    assert [(e.type, e.offset, e.length) for e in emoji.entities] == [
        ("italic", 3, 3),  # offsets count UTF-16 code units, as Telegram does
        ("strikethrough", 10, 1),
    ]


async def test_text_and_caption_limits(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(ANI, "  <b></b> ", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ANI, "x" * 4097)
    assert (await bot.send_message(ANI, "é" * 4096)).text == "é" * 4096
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(ANI, png(10, 10), caption="c" * 1025)
    assert (await bot.send_message(ANI, "  rapi \n")).text == "rapi"


async def test_keyboard_validation(bot: Bot, ani: FakeUser) -> None:
    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Pilih", callback_data=data)]])

    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(ANI, "pilih", reply_markup=keyboard("x" * 65))
    await bot.send_message(ANI, "pilih", reply_markup=keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(
            ANI, "pilih", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Pilih")]])
        )


async def test_edit_delete_and_not_modified(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]])
    sent = await bot.send_message(ANI, "Status: baru", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Status: baru", ANI, sent.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text(
        "Status: diproses", ANI, sent.message_id, reply_markup=keyboard
    )
    assert isinstance(edited, object) and getattr(edited, "edit_date", None) is not None
    await bot.edit_message_reply_markup(ANI, sent.message_id, reply_markup=None)
    (message,) = fake.messages(ANI)
    assert (message.text, message.reply_markup) == ("Status: diproses", None)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ANI, 999)
    user_message_id = fake.send_text(ani, "tulisan saya")["message_id"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", ANI, user_message_id)
    assert await bot.delete_message(ANI, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ANI, sent.message_id)
    assert fake.messages(ANI) == []
    assert fake.messages(ANI, include_deleted=True)[0].deleted


async def test_replies(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    question = await bot.send_message(ANI, "Kapan kejadiannya?")
    answer = fake.send_text(ani, "kemarin", reply_to=question.message_id)
    assert answer["reply_to_message"]["text"] == "Kapan kejadiannya?"
    assert answer["reply_to_message"]["from"]["is_bot"] is True
    reply = await bot.send_message(
        ANI, "Terima kasih", reply_parameters=ReplyParameters(answer["message_id"])
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "kemarin"
    assert fake.messages(ANI)[-1].reply_to_message_id == answer["message_id"]
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(ANI, "x", reply_parameters=ReplyParameters(999))
    ok = await bot.send_message(
        ANI, "x", reply_parameters=ReplyParameters(999, allow_sending_without_reply=True)
    )
    assert ok.reply_to_message is None


async def test_answer_callback_once(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    sent = await bot.send_message(
        ANI,
        "?",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="y")]]),
    )
    query_id = fake.press(ani, sent.message_id, "Ya")
    with pytest.raises(LookupError, match="available: \\['Ya'\\]"):
        fake.press(ani, sent.message_id, "Tidak")
    update = (await bot.get_updates())[-1]
    assert update.callback_query is not None
    assert (update.callback_query.id, update.callback_query.data) == (query_id, "y")
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


# --------------------------------------------------------------------------- chats


async def test_private_chat_exists_only_after_the_user_writes(bot: Bot, fake: FakeTelegram) -> None:
    budi = fake.user(777, "Budi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(777, "halo")
    fake.send_text(budi, "/start")
    assert (await bot.send_message(777, "halo")).chat.first_name == "Budi"
    chat = await bot.get_chat(777)
    assert (chat.type, chat.first_name) == ("private", "Budi")


async def test_blocked_user_is_forbidden(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    fake.block(ani)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ANI, "halo")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(ANI, "typing")
    fake.send_text(ani, "/start")  # writing again means she unblocked the bot
    assert await bot.send_chat_action(ANI, "typing")


async def test_groups_and_members(bot: Bot, fake: FakeTelegram) -> None:
    officer = fake.user(5001, "Petugas")
    outsider = fake.user(5009, "Orang Lain")
    group = fake.group(-1001234567890, "Tim WBS", members=[officer])
    chat = await bot.get_chat(group.id)
    assert (chat.type, chat.title) == ("supergroup", "Tim WBS")
    assert (await bot.get_chat_member(group.id, officer.id)).status == "member"
    assert (await bot.get_chat_member(group.id, outsider.id)).status == "left"
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(group.id, 31337)
    sent = await bot.send_message(group.id, "Laporan baru")
    reply = fake.send_text(officer, "/tanya apa?", chat=group, reply_to=sent.message_id)
    assert reply["chat"] == {"id": group.id, "title": "Tim WBS", "type": "supergroup"}
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-100999, "x")


async def test_commands_per_scope_and_language(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand("lapor", "Buat laporan")], scope=scope)
    await bot.set_my_commands(
        [BotCommand("report", "Make a report")], scope=scope, language_code="en"
    )
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["lapor"]
    assert [c.command for c in await bot.get_my_commands(scope=scope, language_code="en")] == [
        "report"
    ]
    assert await bot.get_my_commands() == ()
    assert fake.my_commands({"type": "all_private_chats"}) == [
        {"command": "lapor", "description": "Buat laporan"}
    ]
    await bot.delete_my_commands(scope=scope)
    assert await bot.get_my_commands(scope=scope) == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Lapor!", "x")], scope=BotCommandScopeChat(ANI))
    assert await bot.set_chat_menu_button(ANI)
    assert fake.menu_button(ANI) == {"type": "default"}


# --------------------------------------------------------------------------- files


async def test_photo_roundtrip(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    data = png(1600, 1200) + b"pixels"
    message = fake.send_photo(ani, data, caption="bukti")
    sizes = message["photo"]
    assert len(sizes) >= 2 and (sizes[-1]["width"], sizes[-1]["height"]) == (1600, 1200)
    assert all(
        {"file_id", "file_unique_id", "width", "height", "file_size"} <= s.keys() for s in sizes
    )
    assert sizes[0]["width"] < sizes[-1]["width"]
    file = await bot.get_file(sizes[-1]["file_id"])
    assert file.file_size == len(data)
    assert bytes(await file.download_as_bytearray()) == data

    resent = await bot.send_photo(
        ANI, sizes[-1]["file_id"], caption="<i>salinan</i>", parse_mode="HTML"
    )
    assert resent.caption == "salinan" and resent.photo[-1].width == 1600
    uploaded = await bot.send_photo(ANI, png(50, 40))
    assert len(uploaded.photo) >= 2
    last = fake.messages(ANI)[-1]
    assert (last.kind, last.file) == ("photo", png(50, 40))
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(ANI, "AgACnope")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_documents_videos_and_media_groups(
    bot: Bot, fake: FakeTelegram, ani: FakeUser
) -> None:
    doc = fake.send_document(ani, b"%PDF-1.7", file_name="surat.pdf", mime_type="application/pdf")
    assert doc["document"]["file_name"] == "surat.pdf"
    sent = await bot.send_document(ANI, b"a,b\n1,2\n", filename="data.csv", caption="tabel")
    assert sent.document is not None and sent.document.file_name == "data.csv"
    video = fake.send_video(ani, b"\x00\x00\x00\x18ftypmp42")
    file = await bot.get_file(video["video"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"\x00\x00\x00\x18ftypmp42"
    album = await bot.send_media_group(
        ANI, [InputMediaPhoto(png(10, 10), caption="satu"), InputMediaPhoto(png(20, 20))]
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    kinds = [(m.kind, m.text) for m in fake.messages(ANI)]
    assert kinds[-3:] == [("document", "tabel"), ("photo", "satu"), ("photo", "")]


async def test_file_over_20_mb_cannot_be_downloaded(
    bot: Bot, fake: FakeTelegram, ani: FakeUser
) -> None:
    big = fake.send_document(
        ani, bytes(20 * 1024 * 1024 + 1), file_name="rekaman.zip", mime_type="application/zip"
    )
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big["document"]["file_id"])


async def test_copy_and_forward(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    group = fake.group(-100777, "Tim")
    photo = fake.send_photo(ani, png(300, 200), caption="bukti")
    copied = await bot.copy_message(group.id, ANI, photo["message_id"], caption="Bukti #1")
    forwarded = await bot.forward_message(group.id, ANI, photo["message_id"])
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    in_group = fake.messages(group.id)
    assert [(m.message_id, m.kind, m.text) for m in in_group] == [
        (copied.message_id, "photo", "Bukti #1"),
        (forwarded.message_id, "photo", "bukti"),
    ]
    assert in_group[0].file == png(300, 200)
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(group.id, ANI, 999)


async def test_reply_keyboard_and_contact(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Bagikan Nomor", request_contact=True)]], one_time_keyboard=True
    )
    sent = await bot.send_message(ANI, "Nomor HP?", reply_markup=keyboard)
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    (message,) = [m for m in fake.messages(ANI) if m.text == "Nomor HP?"]
    assert message.reply_markup == {
        "keyboard": [[{"text": "Bagikan Nomor", "request_contact": True}]],
        "one_time_keyboard": True,
    }
    shared = fake.send_contact(ani, "6281234567890")
    assert shared["contact"] == {
        "phone_number": "6281234567890",
        "first_name": "Ani",
        "user_id": ANI,
    }
    updates = await bot.get_updates()
    contact = updates[-1].message.contact if updates[-1].message else None
    assert contact is not None and contact.user_id == ANI


# --------------------------------------------------------------------------- behaviour


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_wait_surfaces_as_retry_after(
    bot: Bot, fake: FakeTelegram, ani: FakeUser
) -> None:
    fake.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as error:
        await bot.send_message(ANI, "halo")
    assert "Retry in 3 seconds" in str(error.value)
    assert fake.calls[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert fake.messages(ANI) == []
    assert (await bot.send_message(ANI, "halo")).text == "halo"


async def test_injected_server_errors(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    fake.fail_next("SENDMESSAGE", 2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(ANI, "halo")
    fake.fail_next("getMe", error_code=502, description="Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    assert (await bot.send_message(ANI, "halo")).text == "halo"


async def test_next_message_cursor_and_timeout(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    await bot.send_message(ANI, "satu")
    await bot.send_message(ANI, "dua")
    await bot.send_message(ANI, "tiga")
    assert (await fake.next_message(ANI)).text == "satu"
    assert (await fake.next_message(ANI, contains="tiga")).text == "tiga"  # skips "dua"
    with pytest.raises(TimeoutError) as error:
        await fake.next_message(ANI, timeout=0.2, contains="empat")
    assert "'empat'" in str(error.value) and "['satu', 'dua', 'tiga']" in str(error.value)
    waiting = asyncio.create_task(fake.next_message(ANI, timeout=5))
    await asyncio.sleep(0)  # one turn of the loop: the task looked, found nothing, now waits
    assert not waiting.done()
    await bot.send_message(ANI, "empat")
    assert (await waiting).text == "empat"


async def test_latency_is_applied_to_every_request(fake: FakeTelegram, bot: Bot) -> None:
    fake.latency = 0.2
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.2
    fake.latency = 0.0


async def test_product_request_layer_multipart(fake: FakeTelegram, ani: FakeUser) -> None:
    """The bot's own aiohttp request layer (bot/http.py) uploads files the fake understands."""
    from bot.http import AiohttpRequest

    bot = Bot(
        TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url, request=AiohttpRequest()
    )
    async with bot:
        sent = await bot.send_document(
            ANI, b"isi", filename="bukti.txt", caption="<b>x</b>", parse_mode="HTML"
        )
        assert sent.document is not None and sent.document.file_name == "bukti.txt"
        assert sent.caption == "x"
    assert fake.messages(ANI)[-1].file == b"isi"


async def test_allowed_updates_and_raw_updates(bot: Bot, fake: FakeTelegram) -> None:
    ani = fake.user(ANI, "Ani")
    fake.add_update({"chat_member": {"note": "not delivered by default"}})
    sent = fake.send_text(ani, "halo")
    fake.add_update({"update_id": 50, "edited_message": {**sent, "edit_date": sent["date"]}})
    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [2, 50]  # chat_member is opt-in, as on Telegram
    fake.send_text(ani, "lagi")
    only_messages = await bot.get_updates(offset=51, allowed_updates=["message"])
    assert [u.update_id for u in only_messages] == [51]


async def test_a_newer_get_updates_ends_the_older_one(bot: Bot, fake: FakeTelegram) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=10, read_timeout=15))
    await fake.wait_until(lambda: bool(fake.calls_to("getUpdates")))
    async with Bot(TOKEN, base_url=fake.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older


async def test_privacy_mode_hides_plain_group_chatter() -> None:
    fake = FakeTelegram(token=TOKEN, privacy_mode=True)
    async with fake, Bot(TOKEN, base_url=fake.base_url) as private_bot:
        me = await private_bot.get_me()
        assert me.can_read_all_group_messages is False
        officer = fake.user(5001, "Petugas")
        group = fake.group(-100555, "Tim", members=[officer])
        alert = await private_bot.send_message(group.id, "Laporan baru")
        fake.send_text(officer, "obrolan biasa", chat=group)
        fake.send_text(officer, "/terima", chat=group)
        fake.send_text(officer, "balasan", chat=group, reply_to=alert.message_id)
        texts = [u.message.text for u in await private_bot.get_updates() if u.message]
        assert texts == ["/terima", "balasan"]


async def test_uploads_over_50_mb_are_refused(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    with pytest.raises(NetworkError, match="Request Entity Too Large"):
        await bot.send_document(
            ANI, bytes(50 * 1024 * 1024 + 1), filename="besar.bin", write_timeout=60
        )
    assert fake.calls[-1].method == "sendDocument"
    assert fake.calls[-1].response == {
        "ok": False,
        "error_code": 413,
        "description": "Request Entity Too Large",
    }
    assert fake.messages(ANI) == []


async def test_small_methods(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    assert await bot.log_out() and await bot.close()
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(ANI, "dancing")
    photo = await bot.send_photo(ANI, png(64, 64), caption="lama")
    edited = await bot.edit_message_caption(
        ANI, photo.message_id, caption="<b>baru</b>", parse_mode="HTML"
    )
    assert not isinstance(edited, bool) and edited.caption == "baru"
    assert fake.messages(ANI)[-1].text == "baru"
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", ANI, photo.message_id)


async def test_restart_keeps_port_and_state(bot: Bot, fake: FakeTelegram, ani: FakeUser) -> None:
    url = fake.url
    await fake.stop()
    await fake.start()
    assert fake.url == url
    assert (await bot.send_message(ANI, "masih di sini")).message_id == 2  # after "halo"
    assert [m.text for m in fake.messages(ANI)] == ["masih di sini"]
