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
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Column, Table
from typer.core import TyperGroup

from conversations import statistics
from conversations.audit_actions import AuditAction, action_code
from conversations.case_actions import ACTIONS, BY_KEY
from conversations.case_views import case_fields, detail_text, history_line
from conversations.i18n import Lang
from conversations.officer_texts import (
    C_ABORTED,
    C_AUDIT_BROKEN,
    C_AUDIT_INTACT,
    C_AUDIT_NONE,
    C_AUDIT_PROBLEMS,
    C_BAD_DAY,
    C_BAD_FORMAT,
    C_BAD_MONTH,
    C_CANNOT_WRITE,
    C_COLUMN_ACTION,
    C_COLUMN_AT,
    C_COLUMN_BY,
    C_COLUMN_CASE,
    C_COLUMN_DETAIL,
    C_COLUMN_NUMBER,
    C_DOING_PURGE,
    C_EVIDENCE_FILE,
    C_EVIDENCE_LINK,
    C_EXPORTED,
    C_FROM_AFTER_TO,
    C_HISTORY_NONE,
    C_IDENTITY_MANY,
    C_IDENTITY_ONE,
    C_IS_FOLDER,
    C_MONTH_OR_RANGE,
    C_NO_FOLDER,
    C_NOT_A_TERMINAL,
    C_PURGE_CONFIRM,
    C_PURGE_DONE,
    C_PURGE_DRAFTS,
    C_PURGE_DRY,
    C_PURGE_FINAL_SINCE,
    C_PURGE_IDENTITIES,
    C_PURGE_NOTHING,
    C_PURGE_WAITING,
    C_RESOLVED,
    FIELD_LABELS,
    KIND_NAMES,
)
from conversations.ports import AuditEntry, ReportRecord
from conversations.statistics import compute, parse_month
from conversations.workflow import STATE_LABELS, CaseState
from officer_cli import actions
from officer_cli import context as ctx_module
from officer_cli import evidence as evidence_commands
from officer_cli import export as register
from officer_cli import purge as retention
from officer_cli.context import (
    USAGE_EXIT,
    Context,
    case_name,
    console,
    fail,
    find_case,
    plain,
    say,
)
from officer_cli.views import case_json
from storage.audit import AuditBreak, first_break
from storage.store import Store

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
            typer.echo(say(C_ABORTED), err=True)
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
    "\n\nExit codes: 0 done; 1 no such case, refused or declined, or the database busy (try"
    " again); 2 bad usage or config.",
)
cases = typer_app("List, inspect and act on cases (as in the officers' group).")
app.add_typer(cases, name="cases")
audit = typer_app("The tamper-evident audit log.")
app.add_typer(audit, name="audit")
identity = typer_app("Admin: the reporter's identity (audited).")
app.add_typer(identity, name="identity")
app.add_typer(evidence_commands.evidence, name="evidence")

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
        records = await store.reports.all(state)
        histories = await store.audit.histories([r.ticket for r in records])
        return [case_json(r, histories[r.ticket], zone, full=False) for r in records]

    rows = context.run(work)
    if as_json:
        emit_json(rows)
        return
    lang = context.lang
    # The register number is never cut (rows must be told apart); the other columns fold.
    table = Table(
        Column(FIELD_LABELS["ticket"].render(lang), no_wrap=True, min_width=13),
        Column(FIELD_LABELS["category"].render(lang), overflow="fold"),
        Column(FIELD_LABELS["service"].render(lang), overflow="fold"),
        Column(FIELD_LABELS["state"].render(lang), overflow="fold"),
        Column(FIELD_LABELS["officer"].render(lang), overflow="fold"),
        Column(FIELD_LABELS["received"].render(lang), overflow="fold"),
    )
    for row in rows:
        table.add_row(
            row["ticket"],
            row["category"],
            row["service"] or "-",
            STATE_LABELS[CaseState(row["state"])].render(lang),
            row["officer"] or "-",
            when(row["created_at"], zone),
        )
    console().print(table)


def when(moment: str | datetime, zone: ZoneInfo) -> str:
    """A moment for a person: `02/11/2026 11:00 WITA` (the bot's zone)."""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return at.astimezone(zone).strftime("%d/%m/%Y %H:%M %Z")


def size_text(size: object) -> str:
    if not isinstance(size, int):
        return "?"
    return f"{size} B" if size < 1024 else f"{size / 1024:.0f} KB"


def evidence_lines(evidence: list[dict[str, Any]], lang: Lang) -> list[str]:
    lines = []
    for item in evidence:
        if item["kind"] == "link":
            lines.append("• " + C_EVIDENCE_LINK.render(lang, url=item.get("url", "")))
        else:
            kind = KIND_NAMES.get(item["kind"])
            lines.append(
                "• "
                + C_EVIDENCE_FILE.render(
                    lang,
                    kind=kind.render(lang) if kind else item["kind"],
                    name=item.get("name") or "-",
                    size=size_text(item.get("size")),
                    sha256=item.get("sha256") or "-",
                )
            )
    return lines


@cases.command("show", help=read_help("show", "Never the reporter's identity."))
def cases_show(ctx: typer.Context, case: CaseArg, as_json: JsonOpt = False) -> None:
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> tuple[ReportRecord, Sequence[AuditEntry]]:
        record = await find_case(store, case, zone)
        return record, await store.audit.history(record.ticket)

    record, history = context.run(work)
    if as_json:
        emit_json(case_json(record, history, zone, full=True))
        return
    lang = context.lang
    named = case_name(case, zone)
    out = console()
    out.print(
        record.ticket + (f" {say(C_RESOLVED, explained=named.explained)}" if named.bare else "")
    )
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for label, value in case_fields(record, lang):
        table.add_row(label, value)
        if label == FIELD_LABELS["evidence"].render(lang):
            for line in evidence_lines(list(record.evidence), lang):
                table.add_row("", line)
    table.add_row(FIELD_LABELS["received"].render(lang), when(record.created_at, zone))
    table.add_row(FIELD_LABELS["updated"].render(lang), when(record.updated_at, zone))
    out.print(table)
    out.print(FIELD_LABELS["history"].render(lang), style="bold")
    for entry in history:
        out.print("  " + history_line(entry, zone, lang, when="%d/%m/%Y %H:%M %Z"))
    if not history:
        out.print("  " + say(C_HISTORY_NONE))


# -- export and statistics ----------------------------------------------------------------


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail(C_BAD_DAY, USAGE_EXIT, option=option, value=repr(value))


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
        fail(C_BAD_FORMAT, USAGE_EXIT, given=file_format or output.suffix or "?")
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if month is not None:
        if first or last:
            fail(C_MONTH_OR_RANGE, USAGE_EXIT)
        try:
            first, last = month_bounds(parse_month(month))
        except ValueError:
            fail(C_BAD_MONTH, USAGE_EXIT, value=repr(month))
    if first and last and first > last:
        fail(C_FROM_AFTER_TO, USAGE_EXIT, first=first, last=last)
    if output.is_dir():
        fail(C_IS_FOLDER, USAGE_EXIT, output=output)
    if not output.parent.is_dir():
        fail(C_NO_FOLDER, USAGE_EXIT, folder=output.parent, name=output.name)
    zone = context.settings.bot.zone
    services = context.settings.form.services
    period = register.period_text(first, last)

    async def work(store: Store) -> int:
        actor = await context.actor(store)
        chosen = register.select(await store.reports.all(), zone, first, last)
        # The register is the agency's document, in Indonesian like its headers.
        rows = register.register_rows(chosen, zone, Lang.ID)
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
            await store.audit.record(ctx_module.clock(), actor.id, AuditAction.EXPORT, None, detail)
        return len(rows)

    try:
        count = context.run(work)
    except OSError as exc:
        fail(C_CANNOT_WRITE, 1, output=output, error=exc.strerror or exc)
    typer.echo(say(C_EXPORTED, output=output, count=count, period=period, kind=kind))


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
            fail(C_BAD_MONTH, USAGE_EXIT, value=repr(month))
    zone, services = context.settings.bot.zone, context.settings.form.services

    async def work(store: Store) -> statistics.MonthlyStats:
        return compute(await store.reports.all(), month=wanted, zone=zone, services=services)

    result = context.run(work)
    if as_json:
        emit_json(result.to_dict())
        return
    # The same lines as /statistik in the group, as plain text.
    for line in plain(statistics.render_text(result, context.lang)).splitlines():
        typer.echo(line)


# -- retention ----------------------------------------------------------------------------


def show_plan(context: Context, work: retention.Plan) -> None:
    zone = context.settings.bot.zone
    after = context.settings.privacy.erase_identity_after.days
    if work.identities:
        table = Table(
            Column(say(C_COLUMN_CASE), no_wrap=True),
            say(C_PURGE_FINAL_SINCE),
            title=say(C_PURGE_IDENTITIES, days=after),
        )
        for item in work.identities:
            table.add_row(item.ticket, item.final_since.astimezone(zone).strftime("%Y-%m-%d"))
        console().print(table)
    ttl = context.settings.form.draft_ttl.days
    if work.drafts:
        typer.echo(say(C_PURGE_DRAFTS, days=ttl, count=len(work.drafts)))
    if work.drafts_waiting:
        typer.echo(say(C_PURGE_WAITING, count=len(work.drafts_waiting)))
    if work.empty:
        typer.echo(say(C_PURGE_NOTHING))


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
        typer.echo(say(C_PURGE_DRY))
        return
    if shown.empty:
        return
    if not yes:
        if not ctx_module.interactive():
            fail(C_NOT_A_TERMINAL, USAGE_EXIT, doing=say(C_DOING_PURGE))
        typer.confirm(say(C_PURGE_CONFIRM), abort=True)

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
            await store.audit.record(now, actor.id, AuditAction.PURGE, None, detail)
        return identities, drafts

    identities, drafts = context.run(erase)
    word = C_IDENTITY_ONE if identities == 1 else C_IDENTITY_MANY
    typer.echo(say(C_PURGE_DONE, identities=identities, identity_word=say(word), drafts=drafts))


# -- the audit log ------------------------------------------------------------------------


@audit.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Exit 0 when the chain is intact; 1 naming the first changed, inserted or deleted entry."""
    context: Context = ctx.obj

    async def work(store: Store) -> tuple[int, AuditBreak | None]:
        rows = await store.audit.rows()
        return len(rows), first_break(rows, key=store.vault.audit_key)

    count, broken = context.run(work)
    if broken is not None:
        problem = C_AUDIT_PROBLEMS.get(broken.problem)
        typer.echo(
            say(
                C_AUDIT_BROKEN,
                entry=broken.entry_id,
                problem=say(problem) if problem else broken.problem,
            ),
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(say(C_AUDIT_INTACT, count=count))


NARROW = 100  # below this many columns, the audit log is one block an entry


@audit.command("log")
def audit_log(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Argument(help="Only this case (WBS-2026-0007 or 7).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The audit entries, oldest first (of one case, if given); --json for programs.

    Actions are named as they are written today (a move by the state it goes to: kelengkapan,
    telaah, selesai…), also for entries an older version wrote in English."""
    context: Context = ctx.obj
    zone = context.settings.bot.zone

    async def work(store: Store) -> Sequence[AuditEntry]:
        if case is None:
            return await store.audit.entries()
        return await store.audit.history((await find_case(store, case, zone)).ticket)

    entries = context.run(work)
    if as_json:
        emit_json(
            [
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
        )
        return
    lang = context.lang
    out = console()
    if not entries:
        out.print(say(C_AUDIT_NONE))
        return

    def who(entry: AuditEntry) -> str:
        name = entry.detail.get("by")
        return entry.actor if not name or name == entry.actor else f"{entry.actor} ({name})"

    if out.width < NARROW:
        for e in entries:
            out.print(f"#{e.id} · {when(e.at, zone)} · {e.ticket or '-'}", style="bold")
            out.print(f"  {action_code(e.action)} · {who(e)}")
            details = detail_text(e.detail, lang, skip=("by",))
            if details:
                out.print(f"  {details}")
        return
    table = Table(
        Column(say(C_COLUMN_NUMBER), no_wrap=True, justify="right"),
        Column(say(C_COLUMN_AT), no_wrap=True),
        Column(say(C_COLUMN_BY), overflow="fold"),
        Column(say(C_COLUMN_ACTION), no_wrap=True),
        Column(say(C_COLUMN_CASE), no_wrap=True),
        Column(say(C_COLUMN_DETAIL), overflow="fold", ratio=1),
    )
    for e in entries:
        table.add_row(
            str(e.id),
            e.at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
            who(e),
            action_code(e.action),
            e.ticket or "-",
            detail_text(e.detail, lang, skip=("by",)) or "-",
        )
    out.print(table)


actions.register({"cases": cases, "identity": identity}, app)


def main() -> None:
    app()
