"""What a queued message is, as written to the outbox's `kind` column.

The values are stored: they stay the strings they have always been, so existing databases
keep working. The follow-up kinds for the group share their values with `followups.Due`.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxKind(StrEnum):
    # to the reporter
    REPLY = "reply"  # an answer in the conversation (form, commands, receipts)
    SUBMITTED = "submitted"  # the register number after "Kirim Laporan"
    TO_REPORTER = "to_reporter"  # an officer's question or a case's news
    REMINDER = "reminder"  # evidence or question reminder
    DRAFT_EXPIRY = "draft_expiry"  # the draft is deleted tomorrow
    # to the officers' group
    ALERT = "alert"  # a new report
    EVIDENCE = "evidence"  # a file of a report
    CASE = "case"  # a case's news in the group
    NO_RESPONSE = "no_response"
    NOT_ACKNOWLEDGED = "not_acknowledged"
    SLA_WARNING = "sla_warning"
    SLA_OVERDUE = "sla_overdue"
    DIGEST = "digest"
    # to one officer
    IDENTITY = "identity"  # a revealed identity, in the admin's private chat
