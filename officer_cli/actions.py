"""The officer CLI's case commands, generated from the one action table.

Each row of `conversations.case_actions.ACTIONS` with a CLI path becomes a typer command whose
arguments are the row's parameters (free text as the rest of the line, `--reason` where the row
says so), parsed by the row's own parsers and run through `CaseService.perform`, exactly as the
group's `/command` is. Only what a terminal needs differs: the confirmation before an identity is
printed, and the line saying what was done.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Annotated, Any

import typer

from conversations.case_actions import (
    ACTIONS,
    CaseAction,
    Kind,
    Param,
    outcome,
    state,
    validate_actions,
)
from conversations.cases import Actor, CaseError, Performed, Revealed
from conversations.i18n import Lang
from conversations.workflow import STATE_LABELS, CaseState, Outcome
from officer_cli import context as ctx_module
from officer_cli.context import USAGE_EXIT, Context, case_name, fail, find_case
from storage.database import Store

TEXT_LIMIT = 3000  # a question or note must fit in one chat message with its frame
CLI_TYPES: Mapping[Callable[[str], Any], type[Enum]] = {state: CaseState, outcome: Outcome}
CASE_HELP = "The case: WBS-2026-0007, or 7 for this year's case."


def words(parts: list[str], what: str) -> str:
    text = " ".join(parts).strip()
    if not text:
        fail(f"{what} is empty", USAGE_EXIT)
    if len(text) > TEXT_LIMIT:
        fail(f"{what} is {len(text)} characters; at most {TEXT_LIMIT}", USAGE_EXIT)
    return text


def delivered_to(addresses: list[str], group: str) -> str:
    """Who the queued messages are for, without ever printing a reporter's chat."""
    names = ["reporter"] if any(a != group for a in addresses) else []
    names += ["group"] if group in addresses else []
    if not names:
        return "nothing queued"
    return f"queued for the {' and the '.join(names)} (the running wbs-bot delivers it)"


def cli_help(row: CaseAction) -> str:
    where = f" As /{row.command} in the officers' group." if row.command else ""
    admin = " For admins (--as an id in telegram.admin_user_ids)." if row.role == "admin" else ""
    usage = row.usage(Lang.EN)
    return f"{row.help.en[:1].upper()}{row.help.en[1:]}.{where}{admin}\n\nArguments: {usage}."


# -- the parameters of a generated command ----------------------------------------------------


def _annotation(param: Param) -> tuple[Any, Any]:
    """The typer annotation and default of one row parameter."""
    help_text = (
        CASE_HELP if param.name == "name" else f"{param.what.en[:1].upper()}{param.what.en[1:]}."
    )
    kind: Any = CLI_TYPES.get(param.parse, str)
    if param.cli_option is not None:
        info = typer.Option(param.cli_option, help=help_text, show_default=False)
        if param.optional:
            return Annotated[kind | None, info], None
        return Annotated[kind, info], inspect.Parameter.empty
    metavar = param.label.en.upper().replace("|", "|")
    if param.rest:
        info = typer.Argument(help=help_text, metavar=metavar, show_default=False)
        if param.optional:
            return Annotated[list[str] | None, info], None
        return Annotated[list[str], info], inspect.Parameter.empty
    info = typer.Argument(help=help_text, metavar=metavar, show_default=False)
    return Annotated[kind, info], inspect.Parameter.empty


def _values(row: CaseAction, given: Mapping[str, Any]) -> dict[str, Any]:
    """The command line's values through the row's parsers (exit 2 with the reason if wrong)."""
    values: dict[str, Any] = {}
    for param in row.params:
        raw = given.get(param.name)
        if raw is None or raw == []:
            if not param.optional:
                fail(f"{param.what.en} is missing", USAGE_EXIT)
            values[param.name] = "" if param.rest else None
            continue
        if isinstance(raw, Enum):
            raw = raw.value
        text = words(raw, param.what.en) if isinstance(raw, list) else str(raw)
        if param.rest and param.cli_option:
            text = words([text], param.what.en)
        try:
            values[param.name] = param.parse(text)
        except ValueError as error:
            fail(f"{param.what.en} {text!r}: {error}", USAGE_EXIT)
    return values


# -- running one -----------------------------------------------------------------------------


def perform(
    context: Context, row: CaseAction, typed: str, values: dict[str, Any]
) -> tuple[str, Performed, Actor]:
    """Run one row as the `--as` officer; a refusal is one line, exit 1."""
    zone = context.settings.bot.zone

    async def work(store: Store) -> tuple[str, Performed, Actor]:
        actor = await context.actor(store)
        record = await find_case(store, typed, zone)
        try:
            done = await context.cases(store).perform(actor, row, {**values, "name": record.ticket})
        except CaseError as error:
            context.refused(error)
        return record.ticket, done, actor

    return context.run(work)


def confirm_reveal(context: Context, typed: str, yes: bool) -> None:
    """An identity is printed only after the admin said so (or `--yes`, for scripts)."""
    zone = context.settings.bot.zone

    async def check(store: Store) -> str:
        await context.admin(store)
        return (await find_case(store, typed, zone)).ticket

    ticket = context.run(check)
    if yes:
        return
    if not ctx_module.interactive():
        fail(
            "not at a terminal, so nobody can be asked first: add --yes to print the "
            "identity without being asked",
            USAGE_EXIT,
        )
    typer.confirm(
        f"Print the reporter's identity of {ticket} here? This is written to the audit log",
        abort=True,
    )


def said(context: Context, row: CaseAction, values: Mapping[str, Any]) -> str:
    """What was done, for the line the CLI prints."""
    if row.key == "move":
        target: CaseState = values["target"]
        result: Outcome | None = values.get("outcome")
        label = STATE_LABELS[target].render(context.lang)
        return f"moved to {label}" + (f" ({result.value})" if result else "")
    assert row.done is not None
    return row.done.en.format(**values)


def print_identity(found: Revealed) -> None:
    if found.identity is None:
        typer.echo(
            f"{found.ticket}: sent anonymously; no identity is stored."
            if found.anonymous
            else f"{found.ticket}: the identity was erased under the retention rules."
        )
        return
    typer.echo(f"Identity of the reporter of {found.ticket} (secret, do not forward):")
    for label, key in (("Name", "name"), ("Phone", "phone"), ("E-mail", "email")):
        typer.echo(f"  {label}: {found.identity.get(key) or '-'}")


def check_move(values: Mapping[str, Any]) -> None:
    if values["target"] is CaseState.CLOSED and values.get("outcome") is None:
        fail("moving to selesai needs --outcome terbukti|tidak_terbukti", USAGE_EXIT)
    if values["target"] is not CaseState.CLOSED and values.get("outcome") is not None:
        fail("--outcome goes only with selesai", USAGE_EXIT)


def command_for(row: CaseAction) -> Callable[..., None]:
    """The typer command of one row: its signature is built from the row's parameters."""

    def command(ctx: typer.Context, **given: Any) -> None:
        context: Context = ctx.obj
        yes = bool(given.pop("yes", False))
        values = _values(row, given)
        typed = values.pop("name")
        if row.key == "move":
            check_move(values)
        if row.key == "reveal":
            confirm_reveal(context, typed, yes)
            values["to_terminal"] = True
        ticket, done, actor = perform(context, row, typed, values)
        if done.revealed is not None:
            print_identity(done.revealed)
            return
        group = context.group_address()
        shown = ["group" if a == group else a for a in done.addresses]
        case = case_name(typed, context.settings.bot.zone)
        who = f"{case.explained}" if case.bare else ticket
        typer.echo(
            f"{who}: {said(context, row, values)} (by {actor.id}); {delivered_to(shown, 'group')}."
        )

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    annotations: dict[str, Any] = {"ctx": typer.Context, "return": None}
    for param in row.params:
        annotation, default = _annotation(param)
        parameters.append(
            inspect.Parameter(
                param.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=annotation,
                default=default,
            )
        )
        annotations[param.name] = annotation
    if row.key == "reveal":
        yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask (for scripts).")]
        parameters.append(
            inspect.Parameter(
                "yes", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=yes, default=False
            )
        )
        annotations["yes"] = yes
    # Parameters with defaults must follow those without (positional order is kept).
    parameters.sort(key=lambda p: p.default is not inspect.Parameter.empty)
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = annotations
    command.__name__ = f"cases_{row.key}"
    command.__doc__ = cli_help(row)
    command.case_action = row.key  # type: ignore[attr-defined]
    return command


def register(groups: Mapping[str, typer.Typer], app: typer.Typer) -> None:
    """Every acting row with a CLI path, under its group (`cases`, `identity`) or at the top."""
    validate_actions()
    for row in ACTIONS:
        if row.kind is not Kind.ACT or row.cli is None:
            continue
        parent = groups[row.cli[0]] if len(row.cli) == 2 else app
        parent.command(row.cli[-1], help=cli_help(row))(command_for(row))
