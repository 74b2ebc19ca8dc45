"""`wbs-bot run` with `whatsapp.enabled = true` serves the webhook too, as a real process."""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path

import aiohttp

from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_whatsapp import FakeWhatsApp
from tests.test_process_kill import start_bot, write_config
from tests.test_whatsapp_harness import WaReporter
from tests.waiting import wait_until

WA_ID = "6281234567890"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_listening(wa: FakeWhatsApp, timeout: float = 20.0) -> None:
    async def answers() -> bool:
        try:
            return (await wa.verify(wa.verify_token, "ping"))[0] == 200
        except aiohttp.ClientError:
            return False

    await wait_until(answers, timeout=timeout, what="the webhook answering", poll=0.1)


async def test_run_serves_the_webhook_and_stops_cleanly(fake: FakeTelegram, tmp_path: Path) -> None:
    port = free_port()
    async with FakeWhatsApp() as wa:
        config = write_config(tmp_path, fake)
        config.write_text(
            config.read_text()
            + f"""
[whatsapp]
enabled = true
phone_number_id = "{wa.phone_number_id}"
access_token = "{wa.access_token}"
app_secret = "{wa.app_secret}"
verify_token = "{wa.verify_token}"
api_base_url = "{wa.base_url}"
api_version = "{wa.api_version}"
listen = "127.0.0.1:{port}"
webhook_path = "/wa/hook"
followup_template = "wbs_tindak_lanjut"
"""
        )
        wa.webhook_url = f"http://127.0.0.1:{port}/wa/hook"
        reporter = WaReporter(wa, wa.user(WA_ID, "Maria Kolo"))

        process = await start_bot(config)
        try:
            await until_listening(wa)
            assert (await wa.verify("wrong"))[0] == 403
            await reporter.answer("lapor", then="Identitas Pelapor")
            await reporter.choose("Isi Identitas", then="Nama Pelapor")
            await reporter.answer("Maria Kolo", then="Telepon Pelapor")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode == 0, stderr.decode()[-2000:]
        assert b"WhatsApp webhook on 127.0.0.1" in stderr
        for secret in (WA_ID.encode(), b"Maria Kolo", b"wamid."):
            assert secret not in stderr, secret

        process = await start_bot(config)  # the draft is where the reporter left it
        try:
            await until_listening(wa)
            await reporter.choose("Bagikan Nomor Saya", then="Email Pelapor")
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode == 0, stderr.decode()[-2000:]
