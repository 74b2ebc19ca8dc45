"""`wbs-officer`: the case officers' desk tool, over the same storage as the bot."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import ConfigError, Settings, load_settings
from conversations.workflow import STATE_LABELS, CaseState
from officer_cli.views import case_json
from storage.audit import AuditBreak, first_break
from storage.database import ReportRecord, Store
from storage.vault import KeyFileError, Vault

T = TypeVar("T")

app = typer.Typer(add_completion=False, no_args_is_help=True, help="WBS case officers' tool.")
cases = typer.Typer(no_args_is_help=True, help="List and inspect cases.")
app.add_typer(cases, name="cases")
audit = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")
app.add_typer(audit, name="audit")

TICKET = re.compile(r"^(?:WBS-(\d{4})-)?(\d+)$", re.IGNORECASE)


class Context:
    def __init__(self, settings: Settings, actor: str) -> None:
        self.settings = settings
        self.actor = actor

    def run(self, work: Callable[[Store], Awaitable[T]]) -> T:
        async def main() -> T:
            try:
                vault = Vault.open_or_create(self.settings.security.key_file)
            except KeyFileError as exc:
                raise typer.BadParameter(str(exc)) from exc
            store = await Store.open(self.settings.storage.database, vault)
            try:
                return await work(store)
            finally:
                await store.close()

        return asyncio.run(main())


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Path, typer.Option("--config", "-c", help="The TOML configuration file.")],
    actor: Annotated[
        str | None,
        typer.Option("--as", help="Who acts (Telegram user id or name), for the audit log."),
    ] = None,
) -> None:
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        typer.echo(f"Configuration error in {config}:\n{exc}", err=True)
        raise typer.Exit(2) from None
    import getpass

    ctx.obj = Context(settings, actor or getpass.getuser())


async def find_case(store: Store, name: str) -> ReportRecord:
    match = TICKET.match(name.strip())
    if match is None:
        typer.echo(f"'{name}' is not a case number (example: WBS-2026-0007 or 7).", err=True)
        raise typer.Exit(2)
    record = (
        await store.report(name.strip().upper())
        if match.group(1)
        else await store.report_by_number(int(match.group(2)))
    )
    if record is None:
        typer.echo(f"No case {name}.", err=True)
        raise typer.Exit(1)
    return record


def emit_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@cases.command("list")
def cases_list(
    ctx: typer.Context,
    state: Annotated[CaseState | None, typer.Option(help="Only cases in this state.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The cases, oldest first."""
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> list[dict[str, Any]]:
        return [
            case_json(r, await store.history(r.ticket), zone, full=False)
            for r in await store.reports(state)
        ]

    rows = context.run(work)
    if as_json:
        emit_json(rows)
        return
    table = Table("Nomor", "Kategori", "Layanan", "Status", "Diterima")
    for row in rows:
        table.add_row(
            row["ticket"],
            row["category"],
            row["service"] or "-",
            STATE_LABELS[CaseState(row["state"])].id,
            row["created_at"][:16].replace("T", " "),
        )
    Console().print(table)


@cases.command("show")
def cases_show(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="WBS-2026-0007 or 7")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One case in full (never the reporter's identity)."""
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> dict[str, Any]:
        record = await find_case(store, case)
        return case_json(record, await store.history(record.ticket), zone, full=True)

    data = context.run(work)
    if as_json:
        emit_json(data)
        return
    console = Console()
    table = Table(show_header=False)
    for key, value in data.items():
        if key != "history":
            table.add_row(
                key,
                json.dumps(value, ensure_ascii=False)
                if isinstance(value, (dict, list))
                else str(value),
            )
    console.print(table)
    for entry in data["history"]:
        console.print(f"{entry['at']}  {entry['actor']}  {entry['action']}")


@audit.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Exit 0 when the chain is intact; 1 naming the first changed, inserted or deleted entry."""
    context: Context = ctx.obj

    async def work(store: Store) -> tuple[int, AuditBreak | None]:
        rows = await store.audit_rows()
        return len(rows), first_break(rows, key=store.vault.audit_key)

    count, broken = context.run(work)
    if broken is not None:
        typer.echo(f"BROKEN: {broken}", err=True)
        raise typer.Exit(1)
    typer.echo(f"intact: {count} entries")


@audit.command("log")
def audit_log(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Argument(help="Only this case (WBS-2026-0007 or 7).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The audit entries, oldest first (of one case, if given)."""
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> list[dict[str, Any]]:
        if case is None:
            entries = await store.audit_entries()
        else:
            entries = await store.history((await find_case(store, case)).ticket)
        return [
            {
                "id": e.id,
                "at": e.at.astimezone(zone).isoformat(timespec="seconds"),
                "actor": e.actor,
                "action": e.action,
                "ticket": e.ticket,
                **e.detail,
            }
            for e in entries
        ]

    entries = context.run(work)
    if as_json:
        emit_json(entries)
        return
    table = Table("#", "Waktu", "Oleh", "Tindakan", "Kasus", "Keterangan")
    for e in entries:
        extra = {k: v for k, v in e.items() if k not in ("id", "at", "actor", "action", "ticket")}
        table.add_row(
            str(e["id"]),
            e["at"][:19].replace("T", " "),
            e["actor"],
            e["action"],
            e["ticket"] or "-",
            json.dumps(extra, ensure_ascii=False),
        )
    Console().print(table)


def main() -> None:
    app()
