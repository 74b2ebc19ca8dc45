"""`wbs-officer`: the case officers' desk tool, over the same storage as the bot.

Every change goes through the case service and its one transition table, exactly like the
group's commands: the change, its audit entry (with the `--as` name) and the messages it causes
are written in one short transaction. Messages are queued in the database; the running `wbs-bot`
delivers them (or does when it next starts). The reporter's identity is printed by
`identity reveal` alone, and only on this terminal.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Column, Table
from typer.core import TyperGroup

from conversations import statistics
from conversations.audit_actions import AuditAction, action_code
from conversations.case_actions import ACTIONS, BY_KEY
from conversations.statistics import compute, parse_month
from conversations.workflow import STATE_LABELS, CaseState
from officer_cli import actions
from officer_cli import context as ctx_module
from officer_cli import export as register
from officer_cli import purge as retention
from officer_cli.context import USAGE_EXIT, Context, console, fail, find_case
from officer_cli.views import case_json
from storage.audit import AuditBreak, first_break
from storage.database import Store

try:  # typer ≥ 0.2x carries its own click
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # pragma: no cover - older typer on plain click
    from click.exceptions import ClickException, NoArgsIsHelpError  # type: ignore[no-redef]


def table_help() -> str:
    """Every row of the action table, with its group command: the same table as /bantuan."""
    lines = []
    for row in ACTIONS:
        cli = f"`{row.cli_name}`" if row.cli else "(group only)"
        group = f"/{row.command}" if row.command else "(terminal only)"
        lines.append(f"- {cli} · {group} · {row.help.en}")
    return "Case actions (the same table as the group's /bantuan):\n\n" + "\n".join(lines)


class OfficerGroup(TyperGroup):
    """Usage errors as one line (`wbs-officer cases ask: Missing argument 'TEXT'.`), exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except ClickException as error:
            failed = getattr(error, "ctx", None)
            where = failed.command_path if failed is not None else "wbs-officer"
            message = " ".join(error.format_message().split())
            hint = f" (see: {where} --help)" if error.exit_code == USAGE_EXIT else ""
            typer.echo(f"{where}: {message}{hint}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("Aborted: nothing was done.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def typer_app(help_text: str) -> typer.Typer:
    return typer.Typer(
        no_args_is_help=True, help=help_text, add_completion=False, rich_markup_mode="markdown"
    )


app = typer.Typer(
    cls=OfficerGroup,
    name="wbs-officer",
    add_completion=False,
    rich_markup_mode="markdown",
    no_args_is_help=True,
    help="WBS case officers' tool. Changes are queued and delivered by the running wbs-bot.",
    epilog=table_help()
    + "\n\nExample: `wbs-officer --config config.toml --as 5001 cases ask 7 Kapan uang diminta?`"
    "\n\nExit codes: 0 done; 1 no such case, refused or declined; 2 bad usage or config.",
)
cases = typer_app("List, inspect and act on cases (as in the officers' group).")
app.add_typer(cases, name="cases")
audit = typer_app("The tamper-evident audit log.")
app.add_typer(audit, name="audit")
identity = typer_app("Admin: the reporter's identity (audited).")
app.add_typer(identity, name="identity")

CaseArg = Annotated[str, typer.Argument(help=actions.CASE_HELP, show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="The bot's TOML configuration file (required)."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Who acts, for the audit log: an officer's Telegram user id (admins: an id in "
            "telegram.admin_user_ids) or a name. Default: your login name.",
        ),
    ] = None,
) -> None:
    ctx.obj = Context(config, actor)


def emit_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


# -- cases: reading -----------------------------------------------------------------------


def read_help(key: str, more: str) -> str:
    row = BY_KEY[key]
    return f"{row.help.en[:1].upper()}{row.help.en[1:]} (as /{row.command} in the group). {more}"


@cases.command("list", help=read_help("list", "Oldest first; never the reporter's identity."))
def cases_list(
    ctx: typer.Context,
    state: Annotated[CaseState | None, typer.Option(help="Only cases in this state.")] = None,
    as_json: JsonOpt = False,
) -> None:
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
    table = Table("Nomor", "Kategori", "Layanan", "Status", "Petugas", "Diterima")
    for row in rows:
        table.add_row(
            row["ticket"],
            row["category"],
            row["service"] or "-",
            STATE_LABELS[CaseState(row["state"])].render(context.lang),
            row["officer"] or "-",
            row["created_at"][:16].replace("T", " "),
        )
    console().print(table)


@cases.command("show", help=read_help("show", "Never the reporter's identity."))
def cases_show(ctx: typer.Context, case: CaseArg, as_json: JsonOpt = False) -> None:
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> dict[str, Any]:
        record = await find_case(store, case, zone)
        return case_json(record, await store.history(record.ticket), zone, full=True)

    data = context.run(work)
    if as_json:
        emit_json(data)
        return
    out = console()
    table = Table(show_header=False)
    for key, value in data.items():
        if key != "history":
            table.add_row(
                key,
                json.dumps(value, ensure_ascii=False)
                if isinstance(value, (dict, list))
                else "-"
                if value is None
                else str(value),
            )
    out.print(table)
    for entry in data["history"]:
        extra = {k: v for k, v in entry.items() if k not in ("at", "actor", "action")}
        detail = f"  {json.dumps(extra, ensure_ascii=False)}" if extra else ""
        out.print(f"{entry['at']}  {entry['actor']}  {entry['action']}{detail}")


# -- export and statistics ----------------------------------------------------------------


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {value!r}: use YYYY-MM-DD, e.g. 2026-11-01", USAGE_EXIT)


def month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(p) for p in month.split("-"))
    following = date(year + number // 12, number % 12 + 1, 1)
    return date(year, number, 1), date.fromordinal(following.toordinal() - 1)


@app.command("export")
def export_register(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The file to write (replaced if it exists).", show_default=False
        ),
    ],
    file_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv or xlsx (default: from the file's suffix)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (inclusive, WITA).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (inclusive, WITA).")
    ] = None,
    month: Annotated[
        str | None, typer.Option(help="A whole month, YYYY-MM (instead of --from/--to).")
    ] = None,
) -> None:
    """The monthly WBS register for the Zona Integritas report; never the identity.

    One row a case: register number, date received, category, service, state, outcome, date
    closed, days to the first action and to the close, officer, anonymous (Ya/Tidak). Never the
    identity, the evidence or the report's text.

    The xlsx has a header row, column widths and a second sheet (Rekap) with the period's
    counts; the csv is UTF-8 with a BOM (for Excel). Every export is written to the audit log.
    """
    context: Context = ctx.obj
    kind = (file_format or output.suffix.lstrip(".")).lower()
    if kind not in register.FORMATS:
        fail(f"--format {file_format or output.suffix or '?'}: use csv or xlsx", USAGE_EXIT)
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if month is not None:
        if first or last:
            fail("--month or --from/--to, not both", USAGE_EXIT)
        try:
            first, last = month_bounds(parse_month(month))
        except ValueError:
            fail(f"--month {month!r}: use YYYY-MM, e.g. 2026-11", USAGE_EXIT)
    if first and last and first > last:
        fail(f"--from {first} is after --to {last}", USAGE_EXIT)
    if output.is_dir():
        fail(f"{output} is a folder; name a file", USAGE_EXIT)
    if not output.parent.is_dir():
        fail(f"no folder {output.parent} for {output.name}", USAGE_EXIT)
    zone = context.settings.bot.zone
    services = context.settings.form.services
    period = register.period_text(first, last)

    async def work(store: Store) -> int:
        actor = await context.actor(store)
        chosen = register.select(await store.reports(), zone, first, last)
        rows = register.register_rows(chosen, zone, context.lang)
        with register.replacing(output) as temporary:
            if kind == "csv":
                register.write_csv(temporary, rows)
            else:
                stats = compute(chosen, month=None, zone=zone, services=services)
                register.write_xlsx(temporary, rows, stats, period)
            detail = {
                "format": kind,
                "from": first.isoformat() if first else None,
                "to": last.isoformat() if last else None,
                "rows": len(rows),
                "by": actor.name,
            }
            await store.record(ctx_module.clock(), actor.id, AuditAction.EXPORT, None, detail)
        return len(rows)

    try:
        count = context.run(work)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    typer.echo(f"{output}: {count} case(s), {period} ({kind}); the export is in the audit log.")


@app.command(
    "stats", help=read_help("stats", "By category, service, state and outcome; median days.")
)
def stats_command(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: all time).")] = None,
    as_json: JsonOpt = False,
) -> None:
    context: Context = ctx.obj
    wanted = None
    if month is not None:
        try:
            wanted = parse_month(month)
        except ValueError:
            fail(f"--month {month!r}: use YYYY-MM, e.g. 2026-11", USAGE_EXIT)
    zone, services = context.settings.bot.zone, context.settings.form.services

    async def work(store: Store) -> statistics.MonthlyStats:
        return compute(await store.reports(), month=wanted, zone=zone, services=services)

    result = context.run(work)
    if as_json:
        emit_json(result.to_dict())
        return
    table = Table("", "Jumlah", title=f"Statistik WBS {statistics.period_label(wanted)}")
    for label, value, heading in register.summary_lines(result, wanted or "semua waktu"):
        if heading:
            table.add_section()
            table.add_row(label, "", style="bold")
        else:
            table.add_row(label, "-" if value is None else str(value))
    console().print(table)


# -- retention ----------------------------------------------------------------------------


def show_plan(context: Context, work: retention.Plan) -> None:
    zone = context.settings.bot.zone
    after = context.settings.privacy.erase_identity_after.days
    if work.identities:
        table = Table(
            "Nomor",
            "Final sejak",
            title=f"Identity and chat link to erase ({after} days after the case became final)",
        )
        for item in work.identities:
            table.add_row(item.ticket, item.final_since.astimezone(zone).strftime("%Y-%m-%d"))
        console().print(table)
    ttl = context.settings.form.draft_ttl.days
    if work.drafts:
        typer.echo(f"Unsent drafts untouched for {ttl} days or more, to delete: {len(work.drafts)}")
    if work.drafts_waiting:
        typer.echo(
            f"Expired drafts whose owner has not been warned yet: {len(work.drafts_waiting)} "
            "(left for the running wbs-bot: it warns first, then deletes)"
        )
    if work.empty:
        typer.echo("Nothing is due for erasure.")


@app.command("purge")
def purge_command(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would be erased.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")] = False,
) -> None:
    """Erase what the retention rules say is due, as the bot's scheduler does.

    The reporter's identity and chat link, privacy.erase_identity_after after the case became
    final (the case itself stays for the record and the statistics); unsent drafts untouched for
    form.draft_ttl.

    Shows the list first and asks before erasing; --dry-run changes nothing. Each erasure is
    written to the audit log with the --as name. It cannot be undone.
    """
    context: Context = ctx.obj
    settings = context.settings

    async def look(store: Store) -> retention.Plan:
        if not dry_run:
            await context.actor(store)  # a wrong --as fails before anything is asked
        return await retention.plan(store, settings, ctx_module.clock())

    shown = context.run(look)
    show_plan(context, shown)
    if dry_run:
        typer.echo("Dry run: nothing was erased.")
        return
    if shown.empty:
        return
    if not yes:
        if not ctx_module.interactive():
            fail("not at a terminal: add --yes to erase without being asked", USAGE_EXIT)
        typer.confirm("Erase all of this now? It cannot be undone", abort=True)

    async def erase(store: Store) -> tuple[int, int]:
        actor = await context.actor(store)
        now = ctx_module.clock()
        # Only what was shown and is still due (a case reopened meanwhile keeps its reporter).
        still = await retention.plan(store, settings, now)
        due = {item.ticket for item in still.identities}
        fresh = {(d.chat_hash, d.updated_at) for d in still.drafts}
        work = retention.Plan(
            [item for item in shown.identities if item.ticket in due],
            [d for d in shown.drafts if (d.chat_hash, d.updated_at) in fresh],
            [],
        )
        identities, drafts = await retention.carry_out(store, work, now, actor.id)
        if identities or drafts:
            detail = {"identities": identities, "drafts": drafts, "by": actor.name}
            await store.record(now, actor.id, AuditAction.PURGE, None, detail)
        return identities, drafts

    identities, drafts = context.run(erase)
    typer.echo(
        f"Erased: {identities} reporter identit{'y' if identities == 1 else 'ies'} "
        f"(with the chat link), {drafts} draft(s). Written to the audit log."
    )


# -- the audit log ------------------------------------------------------------------------


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
    as_json: JsonOpt = False,
) -> None:
    """The audit entries, oldest first (of one case, if given)."""
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> list[dict[str, Any]]:
        if case is None:
            entries = await store.audit_entries()
        else:
            entries = await store.history((await find_case(store, case, zone)).ticket)
        return [
            {
                "id": e.id,
                "at": e.at.astimezone(zone).isoformat(timespec="seconds"),
                "actor": e.actor,
                "action": action_code(e.action),
                "ticket": e.ticket,
                **e.detail,
            }
            for e in entries
        ]

    entries = context.run(work)
    if as_json:
        emit_json(entries)
        return
    table = Table("#", "Waktu", "Oleh", Column("Tindakan", min_width=17), "Kasus", "Keterangan")
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
    console().print(table)


actions.register({"cases": cases, "identity": identity}, app)


def main() -> None:
    app()
