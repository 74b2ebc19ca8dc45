"""Every test is marked by speed, so `make test-fast` can leave out the slow kinds.

The kinds (registered in pyproject.toml):
- unit: plain code, no database, no network, no process (a small file under tmp_path is fine);
- storage: a real SQLite file (the store, the officer CLI, another process sharing the file);
- journey: the real bot (python-telegram-bot or the WhatsApp webhook) over HTTP against the fakes;
- slow: the bot as a real process (started, killed), the browser, anything over a few seconds.

Each test module is listed below with its kind, so a new test in a listed module is marked without
effort. A test (or a module, with `pytestmark`) may carry its own speed marker instead, e.g.
`@pytest.mark.slow` on the one long test of a journey module: its own marker replaces the default.
A module that is not listed and whose tests carry no speed marker stops the collection, saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

KINDS = ("unit", "storage", "journey", "slow")

TESTS = Path(__file__).parent

# Path under tests/ -> the kind of its tests (unless a test says otherwise).
MODULE_KIND: dict[str, str] = {
    "test_answer_without_reply.py": "journey",
    "test_answer_without_reply_whatsapp.py": "journey",
    "test_architecture.py": "unit",
    "test_audit_chain.py": "storage",
    "test_consent_refused.py": "journey",
    "test_engine.py": "unit",
    "test_fake_telegram.py": "journey",
    "test_followups.py": "unit",
    "test_followups_journey.py": "journey",
    "test_form_definition.py": "unit",
    "test_group_commit.py": "storage",
    "test_http_layer.py": "unit",
    "test_many_reporters.py": "journey",
    "test_officer_cli.py": "storage",
    "test_officer_cli_bot.py": "journey",
    "test_officer_cli_purge.py": "storage",
    "test_officer_group.py": "journey",
    "test_parsers.py": "unit",
    "test_per_key.py": "unit",
    "test_process_kill.py": "slow",
    "test_reporter_commands.py": "journey",
    "test_reporter_journey.py": "journey",
    "test_reporter_vocabulary.py": "unit",
    "test_retention.py": "storage",
    "test_sandbox.py": "journey",
    "test_sandbox_browser.py": "slow",
    "test_settings.py": "unit",
    "test_statistics.py": "unit",
    "test_storage.py": "storage",
    "test_story_in_parts.py": "journey",
    "test_storage_listing.py": "storage",
    "test_vault.py": "unit",
    "test_whatsapp_journey.py": "journey",
    "test_whatsapp_process.py": "slow",
    "test_whatsapp_render.py": "unit",
    "test_whatsapp_webhook.py": "journey",
    "test_whatsapp_window.py": "journey",
}

# Fixtures that start the fake servers: a test using one is at least a journey.
SERVER_FIXTURES = frozenset({"fake", "running_bot"})


def module_key(item: pytest.Item) -> str:
    try:
        return item.path.relative_to(TESTS).as_posix()
    except ValueError:
        return item.path.as_posix()


def own_kinds(item: pytest.Item) -> set[str]:
    return {mark.name for mark in item.iter_markers() if mark.name in KINDS}


def mark_by_speed(items: list[pytest.Item]) -> None:
    """Give each collected test its module's kind; refuse tests that would have none."""
    stale = sorted(name for name in MODULE_KIND if not (TESTS / name).is_file())
    if stale:
        raise pytest.UsageError(
            f"tests/speed.py lists test modules that do not exist: {', '.join(stale)}. "
            "Rename or remove them in MODULE_KIND."
        )
    unmarked: set[str] = set()
    misfiled: list[str] = []
    for item in items:
        kinds = own_kinds(item)
        if not kinds:
            kind = MODULE_KIND.get(module_key(item))
            if kind is None:
                unmarked.add(module_key(item))
                continue
            item.add_marker(kind)
            kinds = {kind}
        fixtures = set(getattr(item, "fixturenames", ()))
        if kinds <= {"unit", "storage"} and fixtures & SERVER_FIXTURES:
            misfiled.append(item.nodeid)
    if unmarked:
        raise pytest.UsageError(
            "these test modules have no speed marker: "
            + ", ".join(sorted(unmarked))
            + ". List each in MODULE_KIND in tests/speed.py with its kind "
            + f"({' | '.join(KINDS)}; see that file's docstring), "
            + "or mark every test in it, e.g. `pytestmark = pytest.mark.storage`."
        )
    if misfiled:
        raise pytest.UsageError(
            "these tests start the fake servers yet are marked unit or storage: "
            + ", ".join(misfiled)
            + ". Mark them journey (or slow) in tests/speed.py or on the test."
        )
