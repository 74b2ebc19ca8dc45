"""Reply markup as Telegram checks it: inline keyboards, reply keyboards, force-reply.

The bot's buttons must pass the same checks here as on Telegram (a callback_data over 64
bytes, an empty label or a button with no action is refused).
"""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.bot_api_types import MAX_CALLBACK_DATA_BYTES, JSONDict, bad_request

_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def reply_markup(params: JSONDict) -> JSONDict | None:
    """The reply_markup a send or edit method was given, checked as Telegram does."""
    markup = params.get("reply_markup")
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
        for row in rows:
            for button in row:
                label = button if isinstance(button, str) else None
                if isinstance(button, dict):
                    label = button.get("text")
                if not isinstance(label, str) or not label:
                    raise bad_request("keyboard button text is empty")
    elif markup.get("remove_keyboard") is not True and markup.get("force_reply") is not True:
        raise bad_request("can't parse reply keyboard markup JSON object")
    return copy.deepcopy(markup)


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    count = 0
    for row in rows:
        for button in row:
            count += 1
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: Object expected")
            if "text" not in button:
                raise bad_request("can't parse inline keyboard button: Can't find field \"text\"")
            if not isinstance(button["text"], str) or not button["text"].strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            if all(button.get(key) in (None, "") for key in _INLINE_BUTTON_ACTIONS):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None:
                if not isinstance(data, str):
                    raise bad_request(
                        'can\'t parse inline keyboard button: Field "callback_data" '
                        "must be of type String"
                    )
                if len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and (
                not isinstance(url, str) or not url.strip() or any(c.isspace() for c in url)
            ):
                raise bad_request("BUTTON_URL_INVALID")
    if count > 100:
        raise bad_request("reply markup is too long")
