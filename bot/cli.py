"""`wbs-bot`: run the bot, or check a configuration file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

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


def configure_logging() -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx and the Bot API client log full URLs, which contain the bot token.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@cli.command("check-config")
def check_config(config: ConfigOption) -> None:
    """Validate the file and say, key by key, what is wrong."""
    settings = _load(config)
    problems = settings.problems_for_running()
    if problems:
        typer.echo(f"{config} is valid TOML, but the bot cannot start yet:", err=True)
        for line in problems:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{config}: OK (database {settings.storage.database})")


@cli.command()
def run(config: ConfigOption) -> None:
    """Run the bot: Telegram, the outbox and the scheduler, until SIGINT/SIGTERM."""
    settings = _load(config)
    problems = settings.problems_for_running()
    if problems:
        typer.echo("The bot cannot start:", err=True)
        for line in problems:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(2)
    configure_logging()
    from bot.app import build_app

    app = build_app(settings)
    if settings.telegram.webhook_url:
        app.run_webhook(
            listen="0.0.0.0",
            port=8443,
            webhook_url=settings.telegram.webhook_url,
            secret_token=settings.telegram.webhook_secret or None,
        )
    else:
        app.run_polling(drop_pending_updates=False)


def main() -> None:
    cli()
