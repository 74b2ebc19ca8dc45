"""A whistleblower who does not want to be contacted can still report; officers are told."""

from __future__ import annotations

import re

from tests.conftest import Reporter
from tests.support.fake_telegram import FakeTelegram
from tests.test_officer_group import Group, group

__all__ = ["group"]  # the officers' group fixture

TICKET = re.compile(r"WBS-\d{4}-\d{4,}")


async def test_a_report_without_consent_is_filed_and_cannot_be_asked(
    group: Group, reporter: Reporter, fake: FakeTelegram
) -> None:
    await reporter.answer("/lapor", then="Identitas Pelapor")
    await reporter.choose("Lapor Anonim", then="Tindakan")
    await reporter.choose("Pengaduan Layanan", then="Jenis Layanan")
    await reporter.choose("SIMPEG", then="Keluhan")
    await reporter.answer("Akun SIMPEG saya terkunci sejak awal bulan ini.", then="Link Bukti")
    await reporter.choose("Lewati", then="Persetujuan")
    await reporter.choose("Tidak", then="tanpa persetujuan")
    summary = await reporter.expect("Ringkasan Laporan")
    assert "Persetujuan Untuk Dihubungi Kembali: Tidak" in summary.text
    confirmation = await reporter.choose("Kirim Laporan", then="nomor registrasi")
    match = TICKET.search(confirmation.text)
    assert match, confirmation.text
    ticket = match.group()

    alert = await group.expect(f"Laporan baru {ticket}")
    assert "pelapor tidak bersedia dihubungi" in alert.text
    before = len(fake.messages(reporter.chat_id))

    refused = await group.command(group.officer, f"/tanya {ticket} Sejak kapan?", then=ticket)
    assert "tidak bersedia dihubungi" in refused.text and "tidak ada yang dikirim" in refused.text
    await group.command(group.officer, f"/telaah {ticket}", then="Penelaahan")
    refused = await group.command(
        group.officer, f"/panggil {ticket} pelapor Senin 09.00", then="tidak bersedia"
    )
    assert ticket in refused.text
    shown = await group.command(group.officer, f"/lihat {ticket}", then="Riwayat")
    assert "pelapor tidak bersedia dihubungi" in shown.text
    assert "pertanyaan ke pelapor" not in shown.text  # nothing was recorded as asked

    # The end of the case is still told: that asks nothing of the reporter.
    await group.command(
        group.officer, f"/selesai {ticket} terbukti Akun sudah dibuka.", then="Selesai"
    )
    end = await reporter.expect("telah selesai ditangani")
    assert ticket in end.text
    told = fake.messages(reporter.chat_id)[before:]
    assert [m.text for m in told] == [end.text], "only the end reached the reporter"
