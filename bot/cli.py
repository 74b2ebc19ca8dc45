"""`wbs-bot`: run the bot, or check a configuration file."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TextIO
from urllib.parse import urlparse

import typer

from bot import config_checks, log_privacy
from bot.ops_cli import register as register_operations
from bot.settings import ConfigError, Settings, load_settings

cli = typer.Typer(add_completion=False, no_args_is_help=True, help="WBS BKD Provinsi NTT chat bot.")

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The TOML configuration file.", show_default=False)
]


def _load(config: Path) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        typer.echo(f"Configuration error in {config}:\n{exc}", err=True)
        raise typer.Exit(2) from None


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """One handler on the root logger, with the privacy filter on it and on any other root
    handler: no log line of any logger carries a person's data (bot/log_privacy.py)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    log_privacy.install_everywhere()
    if level > logging.DEBUG:  # their info lines are noise (and payloads) in production
        for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler", "pywa"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


@cli.command("check-config")
def check_config(config: ConfigOption) -> None:
    """Validate the file and say, key by key, what is wrong (errors, then warnings)."""
    settings = _load(config)
    found = config_checks.findings(settings)
    problems = config_checks.errors(found)
    if problems:
        typer.echo(f"{config} is valid TOML, but the bot cannot start yet:", err=True)
    elif found:
        typer.echo(f"{config}:", err=True)
    for finding in found:
        typer.echo(f"  {finding}", err=True)
    if problems:
        raise typer.Exit(2)
    warned = f", with {len(found)} warning(s)" if found else ""
    typer.echo(f"{config}: OK{warned} (database {settings.storage.database})")


@cli.command()
def run(config: ConfigOption) -> None:
    """Run the bot: Telegram, the outbox and the scheduler, until SIGINT/SIGTERM."""
    settings = _load(config)
    if not settings.telegram.token and not settings.whatsapp.enabled:
        typer.echo(
            f"No Telegram token is configured (telegram.token in {config}, or "
            "WBS_TELEGRAM__TOKEN): starting the local sandbox instead. "
            "Nothing is sent to Telegram."
        )
        _sandbox(settings, port=DEFAULT_SANDBOX_PORT, data=None, fast_clock=False)
        return
    found = config_checks.findings(settings)
    if config_checks.errors(found):
        typer.echo("The bot cannot start:", err=True)
    for finding in found:
        typer.echo(f"  {finding}", err=True)
    if config_checks.errors(found):
        raise typer.Exit(2)
    configure_logging()
    from bot.app import build_app

    app = build_app(settings)
    use_fast_event_loop()
    collect_garbage_less_often()
    if settings.telegram.webhook_url:
        # Telegram signs each call with the secret; the path is the URL's own, so nothing
        # else on the server answers updates.
        host, port = config_checks.listen_address(settings)
        app.run_webhook(
            listen=host,
            port=port,
            url_path=urlparse(settings.telegram.webhook_url).path.lstrip("/"),
            webhook_url=settings.telegram.webhook_url,
            secret_token=settings.telegram.webhook_secret,
        )
    else:
        app.run_polling(drop_pending_updates=False)


def use_fast_event_loop() -> None:
    """uvloop where it exists (not on Windows): under load, the bot's CPU per update drops by
    about a tenth (benchmarks/form_load.py). PTB's run_polling takes the loop set here."""
    factory = fast_loop_factory()
    if factory is not None:
        asyncio.set_event_loop(factory())


def fast_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop factory, or None (asyncio's own) where uvloop is not installed."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def collect_garbage_less_often() -> None:
    """Fewer, cheaper garbage collections while serving.

    Each update makes thousands of short-lived objects (PTB's parsed update, aiohttp's
    requests), nearly all freed at once by reference counting; yet with the default first
    threshold (700) a collection ran every few updates, and the older generations rescanned
    every module and class loaded at start-up. Freezing what start-up made and collecting
    the youngest generation 30x less often took a seventh off the CPU per update, for 2 MB
    more memory (benchmarks/form_load.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


DEFAULT_SANDBOX_PORT = 8765


def _sandbox(settings: Settings, *, port: int, data: Path | None, fast_clock: bool) -> None:
    from bot.sandbox import SandboxError, run_sandbox

    configure_logging()
    try:
        asyncio.run(run_sandbox(settings, port=port, data_dir=data, fast_clock=fast_clock))
    except SandboxError as exc:
        typer.echo(f"The sandbox cannot start: {exc}", err=True)
        raise typer.Exit(2) from None


@cli.command()
def sandbox(
    port: Annotated[
        int, typer.Option("--port", help="Port of the page on 127.0.0.1 (0: any free port).")
    ] = DEFAULT_SANDBOX_PORT,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Keep the sandbox's database here (default: a temporary folder deleted at exit).",
            show_default=False,
        ),
    ] = None,
    fast_clock: Annotated[
        bool,
        typer.Option(
            "--fast-clock", help="Follow-up and SLA durations: a configured day lasts a second."
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Optional: take language, form, follow-up and SLA settings from this file "
            "(its token, group and data paths are not used).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Try the bot without a token or internet: a local Telegram and a page on 127.0.0.1."""
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        typer.echo(f"Configuration error in {config or 'the environment'}:\n{exc}", err=True)
        raise typer.Exit(2) from None
    _sandbox(settings, port=port, data=data, fast_clock=fast_clock)


register_operations(cli)  # backup, restore, key export|import (bot/ops_cli.py)


def main() -> None:
    cli()
