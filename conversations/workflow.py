"""The case workflow: named states, outcomes, and the one table of allowed moves.

Group commands, the alert's buttons and the officer CLI all ask `check_move` before a case
changes state, so the table below is the only place the procedure is written down.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from conversations.i18n import Text


class CaseState(StrEnum):
    NEW = "baru"
    INCOMPLETE = "kelengkapan"
    REVIEW = "telaah"
    CLARIFICATION = "klarifikasi"
    CLOSED = "selesai"
    REJECTED = "ditolak"
    REFERRED = "dilimpahkan"


class Outcome(StrEnum):
    PROVEN = "terbukti"
    NOT_PROVEN = "tidak_terbukti"


STATE_LABELS: Mapping[CaseState, Text] = {
    CaseState.NEW: Text("Diterima", "Received"),
    CaseState.INCOMPLETE: Text("Menunggu Kelengkapan", "Waiting for more information"),
    CaseState.REVIEW: Text("Penelaahan", "Under review"),
    CaseState.CLARIFICATION: Text("Klarifikasi", "Clarification"),
    CaseState.CLOSED: Text("Selesai", "Concluded"),
    CaseState.REJECTED: Text("Ditolak", "Rejected"),
    CaseState.REFERRED: Text("Dilimpahkan", "Referred"),
}

FINAL_STATES = frozenset({CaseState.CLOSED, CaseState.REJECTED, CaseState.REFERRED})

MOVES: Mapping[CaseState, frozenset[CaseState]] = {
    CaseState.NEW: frozenset(
        {CaseState.INCOMPLETE, CaseState.REVIEW, CaseState.REJECTED, CaseState.REFERRED}
    ),
    CaseState.INCOMPLETE: frozenset(
        {CaseState.INCOMPLETE, CaseState.REVIEW, CaseState.REJECTED, CaseState.REFERRED}
    ),
    CaseState.REVIEW: frozenset(
        {
            CaseState.INCOMPLETE,
            CaseState.CLARIFICATION,
            CaseState.CLOSED,
            CaseState.REJECTED,
            CaseState.REFERRED,
        }
    ),
    CaseState.CLARIFICATION: frozenset(
        {CaseState.REVIEW, CaseState.CLARIFICATION, CaseState.CLOSED, CaseState.REFERRED}
    ),
    CaseState.CLOSED: frozenset(),
    CaseState.REJECTED: frozenset(),
    CaseState.REFERRED: frozenset(),
}
REOPEN_TO = CaseState.REVIEW  # an admin reopens a final case, with a reason


class WorkflowDefinitionError(ValueError):
    """The table moves to a state it does not define; raised at import-time checks in tests
    and by `validate_moves` at start-up."""


class MoveRefused(Exception):
    """A move the procedure does not allow; `allowed` names the moves that are."""

    def __init__(self, current: CaseState, target: CaseState, allowed: frozenset[CaseState]):
        self.current, self.target, self.allowed = current, target, allowed
        names = ", ".join(sorted(allowed)) or "-"
        super().__init__(f"{current} → {target} is not allowed; allowed: {names}")


def validate_moves(moves: Mapping[CaseState, frozenset[CaseState]] = MOVES) -> None:
    """Every state has a row and every move goes to a known state; checked at start-up."""
    for state in CaseState:
        if state not in moves:
            raise WorkflowDefinitionError(f"state {state} has no row in the move table")
    for source, targets in moves.items():
        unknown = [t for t in targets if t not in CaseState.__members__.values()]
        if unknown:
            raise WorkflowDefinitionError(f"{source} moves to unknown state(s) {unknown}")
        if source in FINAL_STATES and targets:
            raise WorkflowDefinitionError(f"final state {source} must have no moves")


def check_move(current: CaseState, target: CaseState, *, reopen: bool = False) -> None:
    """Raise `MoveRefused` unless the table (or an admin's reopening) allows the move."""
    if reopen:
        if current in FINAL_STATES and target is REOPEN_TO:
            return
        raise MoveRefused(
            current, target, frozenset({REOPEN_TO}) if current in FINAL_STATES else frozenset()
        )
    allowed = MOVES[current]
    if target not in allowed:
        raise MoveRefused(current, target, allowed)
