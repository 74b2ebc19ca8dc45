"""The bot's request layer parses Telegram's answers with orjson, and fails like PTB does."""

from __future__ import annotations

import logging

import pytest
from telegram.error import TelegramError

from bot.http import AiohttpRequest


def test_an_answer_is_parsed_whole_with_its_emoji_and_large_ids() -> None:
    payload = '{"ok":true,"result":{"message_id":9007199254740993,"text":"➡️ Ya"}}'.encode()

    assert AiohttpRequest.parse_json_payload(payload) == {
        "ok": True,
        "result": {"message_id": 9007199254740993, "text": "➡️ Ya"},
    }


def test_bytes_that_are_not_utf8_are_replaced_not_fatal() -> None:
    payload = b'{"ok":true,"result":{"text":"caf\xe9"}}'

    assert AiohttpRequest.parse_json_payload(payload)["result"]["text"] == "caf\ufffd"


def test_an_answer_that_is_not_json_is_an_invalid_server_response(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.CRITICAL), pytest.raises(TelegramError, match="Invalid server"):
        AiohttpRequest.parse_json_payload(b"<html>502 Bad Gateway</html>")
