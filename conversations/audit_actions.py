"""What the audit log says happened: one named value per kind of entry.

A move is written as the state it moves to (the codes of the workflow), every other entry by a
plain Indonesian name. Databases written before these names hold the old English ones; the audit
chain is HMAC-chained over the stored values, so those rows are never rewritten: they are read
through `LEGACY`, which maps each old name to its action.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from conversations.workflow import CaseState


class AuditAction(StrEnum):
    # Moves: the state the case goes to.
    SUBMITTED = CaseState.NEW.value
    INCOMPLETE = CaseState.INCOMPLETE.value
    REVIEW = CaseState.REVIEW.value
    CLARIFICATION = CaseState.CLARIFICATION.value
    CLOSED = CaseState.CLOSED.value
    REJECTED = CaseState.REJECTED.value
    REFERRED = CaseState.REFERRED.value
    REOPENED = "dibuka_kembali"  # an admin's move from a final state back to telaah
    # Everything else on a case.
    TAKEN = "diambil"
    ASSIGNED = "ditugaskan"
    NOTE = "catatan"
    ANSWERED = "jawaban_pelapor"
    EVIDENCE_ADDED = "bukti_tambahan"
    IDENTITY_REVEALED = "identitas_dibuka"
    IDENTITY_ERASED = "identitas_dihapus"
    EVIDENCE_ORIGINAL = "bukti_asli_dibuka"  # an admin exported a sealed original file
    # The bot's own follow-ups on a case.
    EVIDENCE_REMINDER = "pengingat_bukti"
    QUESTION_REMINDER = "pengingat_pertanyaan"
    NO_RESPONSE = "tidak_merespons"
    NOT_ACKNOWLEDGED = "belum_ditangani"
    SLA_WARNING = "peringatan_tenggat"
    SLA_OVERDUE = "lewat_tenggat"
    # Not about one case.
    EXPORT = "ekspor"
    PURGE = "pembersihan"

    @classmethod
    def read(cls, stored: str) -> AuditAction | None:
        """The action a stored value names, old English names included; None if unknown."""
        try:
            return cls(stored)
        except ValueError:
            return LEGACY.get(stored)


def action_code(stored: str) -> str:
    """The current name of a stored action (an unknown one, e.g. a newer kind, as it is)."""
    action = AuditAction.read(stored)
    return stored if action is None else action.value


def stored_names(action: AuditAction) -> tuple[str, ...]:
    """Every value an action may be stored as (for queries over old and new rows alike)."""
    return (action.value, *(old for old, new in LEGACY.items() if new is action))


# The names written before `AuditAction` (and still written by parts of storage).
LEGACY: Mapping[str, AuditAction] = {
    "report_submitted": AuditAction.SUBMITTED,
    "question": AuditAction.INCOMPLETE,
    "review": AuditAction.REVIEW,
    "call": AuditAction.CLARIFICATION,
    "closed": AuditAction.CLOSED,
    "rejected": AuditAction.REJECTED,
    "referred": AuditAction.REFERRED,
    "reopened": AuditAction.REOPENED,
    "taken": AuditAction.TAKEN,
    "assigned": AuditAction.ASSIGNED,
    "note": AuditAction.NOTE,
    "reporter_answered": AuditAction.ANSWERED,
    "evidence_added": AuditAction.EVIDENCE_ADDED,
    "identity_revealed": AuditAction.IDENTITY_REVEALED,
    "identity_erased": AuditAction.IDENTITY_ERASED,
    "erase_identity": AuditAction.IDENTITY_ERASED,
    "evidence_reminder": AuditAction.EVIDENCE_REMINDER,
    "question_reminder": AuditAction.QUESTION_REMINDER,
    "no_response": AuditAction.NO_RESPONSE,
    "not_acknowledged": AuditAction.NOT_ACKNOWLEDGED,
    "sla_warning": AuditAction.SLA_WARNING,
    "sla_overdue": AuditAction.SLA_OVERDUE,
    "export": AuditAction.EXPORT,
    "purge": AuditAction.PURGE,
}
