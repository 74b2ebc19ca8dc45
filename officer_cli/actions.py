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
from conversations.officer_texts import (
    C_AND,
    C_BAD_VALUE,
    C_CONFIRM_REVEAL,
    C_DOING_REVEAL,
    C_DONE,
    C_EMPTY,
    C_GROUP,
    C_IDENTITY_ANONYMOUS,
    C_IDENTITY_EMAIL,
    C_IDENTITY_ERASED,
    C_IDENTITY_NAME,
    C_IDENTITY_PHONE,
    C_IDENTITY_TITLE,
    C_MISSING,
    C_MOVED,
    C_NEEDS_OUTCOME,
    C_NOT_A_TERMINAL,
    C_OUTCOME_ONLY_CLOSED,
    C_QUEUED,
    C_QUEUED_NOTHING,
    C_REPORTER,
    C_TOO_LONG,
)
from conversations.workflow import STATE_LABELS, CaseState, Outcome
from officer_cli import context as ctx_module
from officer_cli.context import USAGE_EXIT, Context, case_name, fail, find_case, language, say
from storage.store import Store

TEXT_LIMIT = 3000  # a question or note must fit in one chat message with its frame
CLI_TYPES: Mapping[Callable[[str], Any], type[Enum]] = {state: CaseState, outcome: Outcome}
CASE_HELP = "The case: WBS-2026-0007, or 7 for this year's case."


def words(parts: list[str], what: str) -> str:
    text = " ".join(parts).strip()
    if not text:
        fail(C_EMPTY, USAGE_EXIT, what=what)
    if len(text) > TEXT_LIMIT:
        fail(C_TOO_LONG, USAGE_EXIT, what=what, length=len(text), limit=TEXT_LIMIT)
    return text


def delivered_to(addresses: list[str], group: str) -> str:
    """Who the queued messages are for, without ever printing a reporter's chat."""
    names = [say(C_REPORTER)] if any(a != group for a in addresses) else []
    names += [say(C_GROUP)] if group in addresses else []
    if not names:
        return say(C_QUEUED_NOTHING)
    return say(C_QUEUED, whom=say(C_AND).join(names))


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
        what = say(param.what)
        if raw is None or raw == []:
            if not param.optional:
                fail(C_MISSING, USAGE_EXIT, what=what)
            values[param.name] = "" if param.rest else None
            continue
        if isinstance(raw, Enum):
            raw = raw.value
        text = words(raw, what) if isinstance(raw, list) else str(raw)
        if param.rest and param.cli_option:
            text = words([text], what)
        try:
            values[param.name] = param.parse(text)
        except ValueError:
            usage = param.label.render(language())
            fail(C_BAD_VALUE, USAGE_EXIT, what=what, value=repr(text), usage=usage)
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
        fail(C_NOT_A_TERMINAL, USAGE_EXIT, doing=say(C_DOING_REVEAL))
    typer.confirm(say(C_CONFIRM_REVEAL, ticket=ticket), abort=True)


def said(context: Context, row: CaseAction, values: Mapping[str, Any]) -> str:
    """What was done, for the line the CLI prints."""
    if row.key == "move":
        target: CaseState = values["target"]
        result: Outcome | None = values.get("outcome")
        label = STATE_LABELS[target].render(context.lang)
        return say(C_MOVED, state=label) + (f" ({result.value})" if result else "")
    assert row.done is not None
    return row.done.render(context.lang, **values)


def print_identity(found: Revealed) -> None:
    if found.identity is None:
        gone = C_IDENTITY_ANONYMOUS if found.anonymous else C_IDENTITY_ERASED
        typer.echo(say(gone, ticket=found.ticket))
        return
    typer.echo(say(C_IDENTITY_TITLE, ticket=found.ticket))
    for label, key in (
        (C_IDENTITY_NAME, "name"),
        (C_IDENTITY_PHONE, "phone"),
        (C_IDENTITY_EMAIL, "email"),
    ):
        typer.echo(f"  {say(label)}: {found.identity.get(key) or '-'}")


def check_move(values: Mapping[str, Any]) -> None:
    if values["target"] is CaseState.CLOSED and values.get("outcome") is None:
        fail(C_NEEDS_OUTCOME, USAGE_EXIT)
    if values["target"] is not CaseState.CLOSED and values.get("outcome") is not None:
        fail(C_OUTCOME_ONLY_CLOSED, USAGE_EXIT)


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
        case = case_name(typed, context.settings.bot.zone)
        line = say(
            C_DONE,
            case=case.explained if case.bare else ticket,
            what=said(context, row, values),
            actor=actor.id,
            delivery=delivered_to(done.addresses, group),
        )
        typer.echo(line)

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
