"""`wbs-bot backup`, `restore` and `key export|import`: the operator's commands for the data.

For the server's operator, in English, one line per problem, never a traceback. Exit codes:
2 for a configuration or usage error, 1 for anything refused or failed.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bot.settings import ConfigError, Settings, load_settings
from storage.backup import BackupError, DataPaths, make_backup, prune_backups
from storage.recovery_key import (
    RecoveryTextError,
    key_from_recovery_text,
    key_opens_database,
    read_key_file,
    recovery_text,
    write_key_file,
)
from storage.restore import restore_backup
from storage.sealed_stream import ArchiveError, read_passphrase
from storage.vault import KeyFileError

PASSPHRASE_VARIABLE = "WBS_BACKUP_PASSPHRASE"

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The TOML configuration file.", show_default=False)
]
PassphraseOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help=f"A file whose first line is the archive's passphrase (or set {PASSPHRASE_VARIABLE}; "
        "at a terminal, it is asked for).",
        show_default=False,
    ),
]

key_cli = typer.Typer(
    add_completion=False, no_args_is_help=True, help="The master key as a recovery text."
)


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _paths(config: Path) -> DataPaths:
    try:
        settings: Settings = load_settings(config)
    except ConfigError as exc:
        _fail(f"Configuration error in {config}:\n{exc}", 2)
    return DataPaths(settings.storage.database, settings.security.key_file)


def _passphrase(file: Path | None, *, confirm: bool) -> str:
    """From the file, the environment, or (at a terminal) typed without echo."""
    typed = None
    if file is None and not os.environ.get(PASSPHRASE_VARIABLE) and sys.stdin.isatty():
        typed = typer.prompt("Backup passphrase", hide_input=True, confirmation_prompt=confirm)
    try:
        return read_passphrase(file, typed or os.environ.get(PASSPHRASE_VARIABLE))
    except ArchiveError as exc:
        _fail(f"Cannot take a passphrase: {exc}.", 2)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    size = count / 1024
    for unit in ("KB", "MB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _counts(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    return (
        f"{counts['reports']} report(s), {counts['evidence_files']} evidence file(s), "
        f"{counts['audit_entries']} audit entries, {counts['outbox_undelivered']} message(s) "
        f"waiting to be sent; schema {manifest['schema_version']}"
    )


def backup(
    config: ConfigOption,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The archive to write (a new file), or a folder: then it is named after the time.",
            show_default=False,
        ),
    ],
    passphrase_file: PassphraseOption = None,
    keep: Annotated[
        int,
        typer.Option(
            "--keep",
            help="With a folder as --output: keep only the newest N archives there (0: all).",
            min=0,
        ),
    ] = 0,
) -> None:
    """An online, consistent, encrypted backup of the database and evidence (never the key)."""
    paths = _paths(config)
    passphrase = _passphrase(passphrase_file, confirm=True)
    try:
        archive, manifest = make_backup(paths, output, passphrase, datetime.now(UTC))
    except BackupError as exc:
        _fail(f"Backup failed: {exc}.")
    except (OSError, sqlite3.Error) as exc:
        _fail(f"Backup failed: {_reason(exc)}.")
    typer.echo(f"Backup written: {archive} ({_size(archive.stat().st_size)})")
    typer.echo(f"  {_counts(manifest)}")
    typer.echo(
        "  The key is not in the archive: keep its recovery text (wbs-bot key export) "
        "apart from the archive and from the passphrase."
    )
    if keep and output.is_dir():
        for old in prune_backups(output, keep):
            typer.echo(f"  Removed the older backup {old.name}")


def restore(
    archive: Annotated[Path, typer.Argument(help="The backup archive.", show_default=False)],
    config: ConfigOption,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Restore into a data folder that is not empty, moving what is there aside.",
        ),
    ] = False,
    passphrase_file: PassphraseOption = None,
) -> None:
    """Restore a backup into the config's paths, after checking hashes and the audit chain.

    Stop the bot first. Put the key in place before or after (wbs-bot key import)."""
    paths = _paths(config)
    passphrase = _passphrase(passphrase_file, confirm=False)
    try:
        result = restore_backup(archive, paths, passphrase, force=force, now=datetime.now(UTC))
    except BackupError as exc:
        _fail(f"Nothing was restored: {exc}.")
    except (OSError, sqlite3.Error) as exc:
        _fail(f"Nothing was restored: {_reason(exc)}.")
    manifest = result.manifest
    typer.echo(f"Restored the backup of {manifest['created_at']} into {paths.folder}:")
    typer.echo(f"  {_counts(manifest)}")
    typer.echo("  every file matches its SHA-256 in the manifest; SQLite's integrity check: ok")
    typer.echo(f"  {result.audit}")
    if result.replaced is not None:
        typer.echo(f"  What was in the data folder before is now in {result.replaced}")
    if not result.key_present:
        typer.echo(
            f"The key file {paths.key_file} is missing: before starting the bot, put it back "
            f"with: wbs-bot key import --config {config}   (and type the recovery text)"
        )


@key_cli.command("export")
def key_export(config: ConfigOption) -> None:
    """Print the master key as a recovery text, to write down and keep in a safe."""
    paths = _paths(config)
    try:
        key = read_key_file(paths.key_file)
    except KeyFileError as exc:
        _fail(f"No key to export: {exc}.")
    typer.echo(
        "The recovery text of the key follows. Write it on paper and keep it in a safe, apart\n"
        "from the backups: with it and a copy of the database anyone can read every report.\n"
        "Without it, a backup cannot be read. Put it back with: wbs-bot key import --config FILE",
        err=True,
    )
    typer.echo(recovery_text(key))


@key_cli.command("import")
def key_import(config: ConfigOption) -> None:
    """Read a recovery text from standard input and write the key file (never overwrites)."""
    paths = _paths(config)
    if sys.stdin.isatty():
        typer.echo("Type or paste the recovery text (14 groups of four), then Ctrl-D:", err=True)
    try:
        key = key_from_recovery_text(sys.stdin.read())
    except RecoveryTextError as exc:
        _fail(f"Not a recovery text: {exc}. Nothing was changed.")
    if paths.key_file.exists():
        try:
            existing = read_key_file(paths.key_file)
        except KeyFileError as exc:
            _fail(f"Refused: {exc}. Move that file aside first. Nothing was changed.")
        if existing == key:
            typer.echo(f"{paths.key_file} already holds this key. Nothing was changed.")
            return
        _fail(
            f"Refused: {paths.key_file} holds a different key. Reports sealed with it would be "
            "lost: move that file aside yourself if you are sure. Nothing was changed."
        )
    try:
        if key_opens_database(key, paths.database) is False:
            _fail(
                f"Refused: this key does not match the database {paths.database} (it cannot "
                "open what is sealed there). Nothing was changed."
            )
        write_key_file(paths.key_file, key)
    except (OSError, sqlite3.Error) as exc:
        _fail(f"Cannot write the key: {_reason(exc)}.")
    typer.echo(f"Key written to {paths.key_file} (mode 0600).")


def status(
    config: ConfigOption,
    as_json: Annotated[bool, typer.Option("--json", help="For a monitoring system.")] = False,
) -> None:
    """Health: outbox, messages given up, overdue cases, database, last backup.

    Exit status 0 when all is well, 1 when a line marked ! needs you, 2 when it cannot tell."""
    from bot import status as health

    try:
        settings = load_settings(config)
    except ConfigError as exc:
        _fail(f"Configuration error in {config}:\n{exc}", 2)
    now = datetime.now(UTC)
    try:
        report = health.collect(settings, now)
    except (OSError, sqlite3.Error) as exc:
        _fail(f"Cannot read the database: {_reason(exc)}.", 2)
    found = health.lines(report, now)
    typer.echo(health.as_json(report) if as_json else health.render(found))
    if any(line.attention for line in found):
        raise typer.Exit(1)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return str(exc) or type(exc).__name__


def register(cli: typer.Typer) -> None:
    """Add these commands to `wbs-bot`."""
    cli.command("backup")(backup)
    cli.command("restore")(restore)
    cli.add_typer(key_cli, name="key")
    cli.command("status")(status)
