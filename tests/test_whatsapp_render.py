"""The pure parts of the WhatsApp channel: prompts as WhatsApp messages, typed commands,
webhook bodies, configuration checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from bot.whatsapp.inbound import Malformed, parse_webhook
from bot.whatsapp.render import (
    MAX_BODY,
    MAX_BUTTON_TITLE,
    MAX_ROW_TITLE,
    MAX_TEXT,
    OWN_NUMBER_DATA,
    render,
    shorten,
    to_whatsapp_text,
)
from conversations.engine import Button, Prompt
from conversations.reporter_commands import read_typed_command


def prompt(text: str, *labels: str, ask_contact: bool = False) -> dict[str, object]:
    buttons = tuple((Button(label, f"q:{n}"),) for n, label in enumerate(labels))
    return Prompt(text, buttons, ask_contact).to_dict()


def test_html_becomes_whatsapp_formatting() -> None:
    text = "<b>Ringkasan</b> &amp; <i>Selesai</i>: &lt;b&gt;uang&lt;/b&gt; 'x'"
    assert to_whatsapp_text(text) == "*Ringkasan* & _Selesai_: <b>uang</b> 'x'"


def test_shortening_keeps_the_start() -> None:
    assert shorten("Pelanggaran Benturan Kepentingan", 20) == "Pelanggaran Bentura…"
    assert shorten("Lewati", 20) == "Lewati"
    assert len(shorten("x" * 50, MAX_ROW_TITLE)) == MAX_ROW_TITLE


def test_up_to_three_choices_are_reply_buttons() -> None:
    [message] = render(prompt("Pilih", "Isi Identitas", "Lapor Anonim"))
    assert message.kind == "buttons"
    assert [(c.title, c.id) for c in message.choices] == [
        ("Isi Identitas", "q:0"),
        ("Lapor Anonim", "q:1"),
    ]
    [long] = render(prompt("Pilih", "Pelanggaran Benturan Kepentingan", "Pelanggaran Benturan X"))
    titles = [c.title for c in long.choices]
    assert all(len(t) <= MAX_BUTTON_TITLE for t in titles) and len(set(titles)) == 2
    assert titles[0].startswith("Pelanggaran Bentur")


def test_four_to_ten_choices_are_one_list_with_full_labels_below() -> None:
    labels = ["Penipuan", "Pelanggaran Kode Etik", "Pelanggaran Benturan Kepentingan", "Hukum"]
    [message] = render(prompt("Kategori?", *labels))
    assert message.kind == "list" and message.list_button == "Pilih"
    row = message.choices[2]
    assert row.title == "Pelanggaran Benturan Ke…" and row.description == labels[2]
    assert message.choices[0].description is None


def test_more_than_ten_choices_are_split_into_lists() -> None:
    messages = render(prompt("Bagian mana?", *(f"Pilihan {n}" for n in range(14))))
    assert [m.kind for m in messages] == ["list", "list"]
    assert len(messages[0].choices) == 10 and len(messages[1].choices) == 4
    assert messages[0].text == "Bagian mana?" and messages[1].text == "Pilihan lainnya:"


def test_a_long_text_with_buttons_goes_first_as_text() -> None:
    summary = "<b>Ringkasan Laporan</b>\n" + "\n".join(f"baris {n} " + "x" * 80 for n in range(20))
    messages = render(prompt(summary + "\n\nPeriksa lagi.", "Kirim Laporan", "Ubah", "Reset"))
    assert [m.kind for m in messages] == ["text", "buttons"]
    assert messages[0].text.startswith("*Ringkasan Laporan*")
    assert messages[1].text == "Periksa lagi." and len(messages[1].text) <= MAX_BODY
    huge = render(prompt("y" * 9000))
    assert [m.kind for m in huge] == ["text"] * 3 and all(len(m.text) <= MAX_TEXT for m in huge)
    assert "".join(m.text for m in huge) == "y" * 9000


def test_the_phone_question_offers_the_own_number() -> None:
    [message] = render(prompt("Telepon Pelapor?", ask_contact=True))
    assert [(c.title, c.id) for c in message.choices] == [("Bagikan Nomor Saya", OWN_NUMBER_DATA)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lapor", ("lapor", "")),
        ("/lapor", ("lapor", "")),
        ("  LAPOR! ", ("lapor", "")),
        ("/Status sekarang", ("status", "sekarang")),
        ("/entah", ("bantuan", "")),
        ("menu", ("start", "")),
        ("balas WBS-2026-0007 sudah saya kirim", ("balas", "WBS-2026-0007 sudah saya kirim")),
        ("bukti 7", ("bukti", "7")),
        ("balas", ("balas", "")),
        ("Lapor pak, ada pungli", None),  # an answer that starts with a command word
        ("balas dendam terlapor", None),
        ("Batal", ("batal", "")),
        ("/", None),
        ("Selesai", None),
    ],
)
def test_typed_commands(typed: str, expected: tuple[str, str] | None) -> None:
    assert read_typed_command(typed) == expected


def body(value: dict[str, object], field: str = "messages") -> bytes:
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": field, "value": value}]}],
        }
    ).encode()


def test_webhook_bodies_are_split_per_message() -> None:
    value = {
        "metadata": {"phone_number_id": "42"},
        "messages": [
            {"from": "62811", "id": "wamid.A", "type": "text", "text": {"body": "a"}},
            {"from_user_id": "ID.123", "id": "wamid.B", "type": "text", "text": {"body": "b"}},
            {"from": "62811", "id": "wamid.C", "group_id": "G1", "type": "text"},
            {"id": "wamid.D"},
        ],
        "statuses": [
            {
                "id": "wamid.E",
                "status": "failed",
                "recipient_id": "62811",
                "errors": [{"code": 131047}],
            },
        ],
    }
    hook = parse_webhook(body(value), "42")
    assert [(r.message_id, r.sender) for r in hook.received] == [
        ("wamid.A", "62811"),
        ("wamid.B", "ID.123"),  # a username user: the business-scoped id
    ]
    assert hook.skipped == 2  # a group message and one without a sender
    assert hook.statuses[0].error_codes == (131047,)
    assert parse_webhook(body(value), "other").received == []
    assert parse_webhook(body(value, field="account_update"), "42").skipped == 1
    for junk in (b"", b"\xff", b"[]", b'{"object": "whatsapp_business_account"}'):
        with pytest.raises(Malformed):
            parse_webhook(junk, "42")


def test_check_config_names_the_wrong_whatsapp_keys(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[telegram]\ntoken = "1:x"\nofficer_chat_id = -100\n'
        '[whatsapp]\nenabled = true\nphone_number_id = "1"\naccess_token = "t"\n'
        'app_secret = "s"\nverify_token = "v"\nlisten = "8080"\napi_version = "vX"\n'
        'followup_template_language = "klingon"\n'
    )
    result = CliRunner().invoke(cli, ["check-config", "--config", str(config)])
    assert result.exit_code == 2
    for key in ("whatsapp.listen", "whatsapp.api_version", "whatsapp.followup_template_language"):
        assert key in result.output, result.output
