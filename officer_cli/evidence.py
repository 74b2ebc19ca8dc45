"""`wbs-officer evidence`: a case's files. Officers get clean copies; an admin, the original.

The clean copy is what the group received. The original (kept sealed for a later legal
process) leaves only through `evidence original`, for an admin, with a reason, written to the
audit log like an identity reveal; its SHA-256 is checked against the one recorded when it
arrived before a byte is written.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from conversations.audit_actions import AuditAction
from conversations.i18n import Text
from conversations.sanitizing import (
    E_CLEAN,
    E_EXISTS,
    E_HASH_MISMATCH,
    E_LINE,
    E_NO_FILES,
    E_NO_ITEM,
    E_NO_ORIGINAL,
    E_ORIGINAL,
    E_REASON,
    E_SEALED,
    E_WRITTEN,
    human_size,
)
from officer_cli import context as ctx_module
from officer_cli.context import USAGE_EXIT, Context, fail, find_case, say
from storage.store import Store

evidence = typer.Typer(
    help="A case's evidence files: clean copies for officers, the sealed original for admins "
    "(audited).",
    no_args_is_help=True,
    add_completion=False,
)

CaseArg = Annotated[str, typer.Argument(help="The case: WBS-2026-0007, or 7 for this year's.")]
ItemArg = Annotated[int, typer.Argument(help="The file's number, as `evidence list` shows.")]
OutArg = Annotated[Path, typer.Argument(help="The file to write (never overwritten).")]


def files_of(record: Any) -> list[dict[str, Any]]:
    return [item for item in record.evidence if item.get("kind") != "link"]


def pick(record: Any, item: int) -> dict[str, Any]:
    files = files_of(record)
    if not files:
        fail(E_NO_FILES, ticket=record.ticket)
    if not 1 <= item <= len(files):
        fail(E_NO_ITEM, ticket=record.ticket, item=item, count=len(files))
    return files[item - 1]


def write_new(output: Path, data: bytes) -> None:
    """Created 0600, never over an existing file: evidence leaves as the officer asked, once."""
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fail(E_EXISTS, output=output)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@evidence.command("list")
def list_files(ctx: typer.Context, case: CaseArg) -> None:
    """The case's files: kind, type, size, whether metadata was removed, hash."""
    context: Context = ctx.obj
    record = context.run(lambda store: find_case(store, case, context.settings.bot.zone))
    files = files_of(record)
    if not files:
        typer.echo(say(E_NO_FILES, ticket=record.ticket))
    for number, item in enumerate(files, start=1):
        typer.echo(
            say(
                E_LINE,
                item=number,
                kind=item.get("kind", "?"),
                type=str(item.get("type", "?")).upper(),
                size=human_size(int(item.get("size") or 0)),
                verdict=item.get("verdict", "-"),
                sha256=item.get("sha256", "?"),
            )
        )


@evidence.command("get")
def get_clean(ctx: typer.Context, case: CaseArg, item: ItemArg, output: OutArg) -> None:
    """Write the clean copy of one file (what the group received)."""
    context: Context = ctx.obj
    if output.exists():
        fail(E_EXISTS, output=output)

    async def work(store: Store) -> tuple[str, bytes]:
        await context.actor(store)
        record = await find_case(store, case, context.settings.bot.zone)
        chosen = pick(record, item)
        if not chosen.get("blob"):
            fail(E_SEALED, ticket=record.ticket, item=item, reason=chosen.get("reason", "-"))
        return record.ticket, store.blobs.get(chosen["blob"])

    ticket, data = context.run(work)
    _write_and_tell(output, data, what=E_CLEAN, item=item, ticket=ticket)


@evidence.command("original")
def export_original(
    ctx: typer.Context,
    case: CaseArg,
    item: ItemArg,
    output: OutArg,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the original is needed (audited).")
    ] = "",
) -> None:
    """Admin: write the sealed original of one file, with a reason; audited."""
    context: Context = ctx.obj
    if not reason.strip():
        fail(E_REASON, USAGE_EXIT)
    if output.exists():  # before the audit entry: nothing leaves, nothing is logged
        fail(E_EXISTS, output=output)

    async def work(store: Store) -> tuple[str, bytes]:
        actor = await context.admin(store)
        record = await find_case(store, case, context.settings.bot.zone)
        chosen = pick(record, item)
        original = chosen.get("original") or {}
        if not original.get("blob"):
            fail(E_NO_ORIGINAL, ticket=record.ticket, item=item)
        data = store.blobs.get(original["blob"])
        if hashlib.sha256(data).hexdigest() != original.get("sha256"):
            fail(E_HASH_MISMATCH, ticket=record.ticket, item=item)
        detail = {"item": item, "sha256": original["sha256"], "reason": reason.strip()}
        detail["by"] = actor.name
        await store.audit.record(
            ctx_module.clock(), actor.id, AuditAction.EVIDENCE_ORIGINAL, record.ticket, detail
        )
        return record.ticket, data

    ticket, data = context.run(work)
    _write_and_tell(output, data, what=E_ORIGINAL, item=item, ticket=ticket)


def _write_and_tell(output: Path, data: bytes, *, what: Text, item: int, ticket: str) -> None:
    """Write the file (never over another) and say what was written, its size and hash."""
    write_new(output, data)
    typer.echo(
        say(
            E_WRITTEN,
            what=say(what),
            item=item,
            ticket=ticket,
            output=output,
            size=human_size(len(data)),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    )
