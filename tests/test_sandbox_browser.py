"""`wbs-bot sandbox` as people use it: the real command, a real browser, only 127.0.0.1.

The browser test drives Debian's headless Chromium with selenium (`.ci/run` installs
`chromium` and `chromium-driver`); without them it is skipped. It also saves the README's
screenshot, `docs/sandbox.png`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.server import sample_photo

ROOT = Path(__file__).resolve().parent.parent
# The README's picture is refreshed on request (WBS_SCREENSHOT=1), so a test run leaves the
# tree clean; otherwise the same screenshot is taken into a temporary folder and checked.
SCREENSHOT = ROOT / "docs" / "sandbox.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Flags known to work headless on these machines (no GPU, no network but loopback).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,960",
    "--lang=id",
)
TICKET = re.compile(r"WBS-\d{4}-\d{4,}")
CHRONOLOGY = (
    "Pada 12 Maret 2024 Kepala Sub Bidang meminta uang pelicin sebesar lima juta rupiah "
    "agar berkas mutasi saya diproses."
)
# What a reporter types is shown as typed, in both panes: never parsed as markup.
HOSTILE = "Tanggal 12 Maret <b>jam 10</b> pagi <img src=x onerror=alert(1)>"


# Pictures in a pane that the browser has drawn (loaded, with a size): not merely in the page.
SHOWN_PHOTOS = (
    "return [...document.querySelectorAll(arguments[0] + ' img.photo')]"
    ".filter(i => i.complete && i.naturalWidth > 0).length"
)
UNDRAWN_IMAGES = (
    "return [...document.querySelectorAll('img')].filter(i => !i.complete || !i.naturalWidth)"
    ".length"
)


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text() + self.stderr.read_text()[-3000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def sandbox_process(tmp_path: Path) -> Iterator[SandboxProcess]:
    """`wbs-bot sandbox --port 0`, started as a user starts it, stopped with SIGTERM."""
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WBS_")}
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "sandbox", "--port", "0"],
            stdout=out,
            stderr=err,
            cwd=tmp_path,
            env=env,
        )
    try:
        deadline = time.monotonic() + 60
        url = data = None
        while time.monotonic() < deadline and process.poll() is None:
            printed = stdout.read_text()
            found = re.search(r"open (http://127\.0\.0\.1:\d+) ", printed)
            folder = re.search(r"Data folder: (.+) \(deleted at exit\)", printed)
            if found and folder:
                url, data = found.group(1), Path(folder.group(1))
                break
            time.sleep(0.1)
        if url is None or data is None:
            pytest.fail(
                "the sandbox printed no address:\n" + stdout.read_text() + stderr.read_text()
            )
        yield SandboxProcess(process, url, data, stdout, stderr)
    finally:
        if process.poll() is None:  # SIGTERM first: the sandbox deletes its data folder
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket the process listens on, IPv4 and IPv6 (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = []
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, status, inode = fields[1], fields[3], fields[9]
            if status != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            address_hex, port_hex = local.split(":")
            raw = bytes.fromhex(address_hex)
            if width == 8:
                address = ".".join(str(b) for b in reversed(raw))
            else:  # four little-endian 32-bit words
                words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
                address = b"".join(words).hex(":", 2)
            found.append((address, int(port_hex, 16)))
    return found


@pytest.mark.skipif(not Path("/proc/self/net/tcp").exists(), reason="needs Linux /proc")
def test_every_listening_socket_is_on_127_0_0_1_and_sigterm_stops_cleanly(
    sandbox_process: SandboxProcess,
) -> None:
    sockets = listening_sockets(sandbox_process.process.pid)
    page_port = int(sandbox_process.url.rsplit(":", 1)[1])
    assert page_port in {port for _, port in sockets}
    assert len(sockets) >= 2, sockets  # the page and the local Bot API
    assert all(address == "127.0.0.1" for address, _ in sockets), sockets
    assert sandbox_process.data_dir.is_dir()

    assert sandbox_process.stop() == 0, sandbox_process.output()
    assert not sandbox_process.data_dir.exists()  # the throw-away data is gone
    assert "Traceback" not in sandbox_process.output()


# --------------------------------------------------------------------------- the browser


class Page:
    """The sandbox page in Chromium, with the steps a trainer shows."""

    def __init__(self, driver: Any, url: str) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.url = url
        self.wait = WebDriverWait(driver, 20, poll_frequency=0.1)
        self.seen = {"phone": 0, "group": 0}

    def open(self) -> None:
        self.driver.get(self.url + "/?poll=200")
        self.wait.until(lambda d: d.execute_script("return document.body.dataset.ready === '1'"))

    def bot_texts(self, pane: str) -> list[str]:
        return list(
            self.driver.execute_script(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)",
                f"#{pane}-messages .msg[data-from=bot]",
            )
        )

    def expect(self, pane: str, contains: str) -> str:
        """The next bot message in the pane that contains the text (earlier ones skipped)."""
        found: list[str] = []

        def arrived(_: Any) -> bool:
            texts = self.bot_texts(pane)
            for index in range(self.seen[pane], len(texts)):
                if contains in texts[index]:
                    self.seen[pane] = index + 1
                    found.append(texts[index])
                    return True
            return False

        try:
            self.wait.until(arrived)
        except Exception as exc:
            raise AssertionError(
                f"no bot message containing {contains!r} in the {pane} pane; "
                f"it shows: {[t[:60] for t in self.bot_texts(pane)]}"
            ) from exc
        return found[0]

    def _retry(self, action: Callable[[], None]) -> None:
        """The page redraws a chat when it changes: retry an element that went stale."""
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            NoSuchElementException,
            StaleElementReferenceException,
        )

        for attempt in range(30):
            try:
                action()
                return
            except (
                StaleElementReferenceException,
                NoSuchElementException,
                ElementClickInterceptedException,
            ):
                if attempt == 29:
                    raise
                time.sleep(0.1)

    def type(self, pane: str, text: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        field = self.driver.find_element(By.ID, f"{pane}-input")
        field.clear()
        field.send_keys(text)
        field.send_keys(Keys.ENTER)

    def press(self, pane: str, label: str) -> None:
        """Press the button with that label on the newest message that shows it."""
        from selenium.webdriver.common.by import By

        xpath = (
            f"(//div[@id='{pane}-messages']//button[contains(@class,'inline-btn')"
            f" and normalize-space(.)='{label}'])[last()]"
        )
        self._retry(lambda: self.driver.find_element(By.XPATH, xpath).click())

    def click(self, css: str) -> None:
        from selenium.webdriver.common.by import By

        self._retry(lambda: self.driver.find_element(By.CSS_SELECTOR, css).click())

    def choose(self, select_id: str, label: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        Select(self.driver.find_element(By.ID, select_id)).select_by_visible_text(label)

    def upload(self, path: Path) -> None:
        from selenium.webdriver.common.by import By

        self.click("#phone-attach")
        self.driver.find_element(By.ID, "phone-file").send_keys(str(path))

    def toast(self) -> str:
        from selenium.webdriver.common.by import By

        self.wait.until(lambda d: d.find_element(By.ID, "toast").is_displayed())
        return str(self.driver.find_element(By.ID, "toast").text)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(
            "needs Debian's chromium and chromium-driver (/usr/bin/chromium and "
            "/usr/bin/chromedriver); .ci/run installs them: "
            "apt-get install -y chromium chromium-driver"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_a_report_through_the_page_reaches_the_group_and_a_question_comes_back(
    sandbox_process: SandboxProcess, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    page = Page(browser, sandbox_process.url)
    page.open()
    photo = tmp_path / "kuitansi.png"
    photo.write_bytes(sample_photo())  # a real picture, as a phone's gallery has

    # A reporter files an identified report on the phone pane.
    page.type("phone", "/start")
    page.expect("phone", "Whistleblowing System")
    page.press("phone", "Buat Laporan")
    page.expect("phone", "Identitas Pelapor")
    page.press("phone", "Isi Identitas")
    page.expect("phone", "Nama Pelapor")
    page.type("phone", "Maria Kolo")
    page.expect("phone", "Telepon Pelapor")
    page.click("#phone-keyboard .kb-btn")  # Telegram's "share my number" button
    page.expect("phone", "Email Pelapor")
    page.type("phone", "maria.kolo@example.com")
    page.expect("phone", "Tindakan/Perbuatan yang Dilaporkan")
    page.press("phone", "Pelanggaran Kode Etik")
    page.expect("phone", "Nama Terlapor")
    page.type("phone", "Yohanes Benu")
    page.expect("phone", "Jabatan Terlapor")
    page.press("phone", "Lewati")
    page.expect("phone", "Waktu Kejadian")
    page.type("phone", "12 Maret 2024")
    page.expect("phone", "Lokasi Kejadian")
    page.type("phone", "Ruang Bidang Mutasi")
    page.expect("phone", "Kronologi Kejadian")
    page.type("phone", CHRONOLOGY)
    page.expect("phone", "Nominal")
    page.type("phone", "5 juta")
    page.expect("phone", "Link Bukti")
    page.upload(photo)
    page.expect("phone", "Bukti diterima (total 1)")
    page.click("#phone-attach")
    page.click("#sample-pdf")
    page.expect("phone", "total 2")
    page.press("phone", "Selesai")
    page.expect("phone", "Persetujuan Untuk Dihubungi Kembali")
    page.press("phone", "Ya, saya bersedia")
    summary = page.expect("phone", "Ringkasan Laporan")
    assert "Rp 5.000.000" in summary and "2 bukti" in summary
    page.press("phone", "Kirim Laporan")
    confirmation = page.expect("phone", "nomor registrasi")
    match = TICKET.search(confirmation)
    assert match, confirmation
    ticket = match.group()

    # The group pane shows the alert; the reporter's text shows as typed, never as markup.
    alert = page.expect("group", f"Laporan baru {ticket}")
    assert "Yohanes Benu" in alert and "dirahasiakan" in alert
    assert "uang pelicin" in alert and "Maria" not in alert
    # The evidence follows the alert as its own message: wait for it, shown (not just sent).
    page.wait.until(lambda d: d.execute_script(SHOWN_PHOTOS, "#group-messages") >= 1)

    # Someone who is not an officer presses a button: Telegram's alert, nothing changes.
    page.choose("actor-select", "Tamu (bukan petugas)")
    page.press("group", "Ambil")
    assert "hanya petugas" in page.toast()

    # An officer asks a question; the reporter's phone shows it, and the reply goes back.
    page.choose("actor-select", "Budi (petugas)")
    page.type("group", f"/tanya {ticket} Kapan tepatnya uang diminta?")
    page.expect("group", "pertanyaan dikirim")
    question = page.expect("phone", "Pertanyaan dari petugas WBS")
    assert ticket in question and "Kapan tepatnya uang diminta?" in question
    page.click("#phone-messages .msg[data-from=bot]:last-child .reply-btn")
    page.type("phone", HOSTILE)
    answer = page.expect("group", "jawaban pelapor")
    assert ticket in answer and HOSTILE in answer
    assert browser.find_elements(By.CSS_SELECTOR, ".text img") == []
    bold = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".text b")]
    assert "jam 10" not in bold

    # A second demo reporter, mid-report: the README's screenshot.
    page.choose("phone-select", "Agus (pelapor)")
    page.seen["phone"] = 0
    page.type("phone", "/lapor")
    page.expect("phone", "Identitas Pelapor")
    page.press("phone", "Lapor Anonim")
    page.expect("phone", "Tindakan/Perbuatan yang Dilaporkan")
    # The group pane scrolled to the alert, the non-officer's refusal gone: then the picture.
    page.wait.until(lambda d: not d.find_element(By.ID, "toast").is_displayed())
    scroll_to_alert = (
        "const alerts = [...document.querySelectorAll('#group-messages .msg[data-from=bot]')]"
        ".filter(e => e.innerText.includes(arguments[0]));"
        "alerts[0].scrollIntoView({block: 'start'});"
        "const box = document.getElementById('group-messages');"
        "return Math.abs(alerts[0].getBoundingClientRect().top - box.getBoundingClientRect().top)"
        " < 2 || box.scrollTop + box.clientHeight >= box.scrollHeight - 1;"
    )
    # Scrolled there (a redraw may have moved it back), and every picture drawn: the shot.
    page.wait.until(lambda d: d.execute_script(scroll_to_alert, f"Laporan baru {ticket}"))
    page.wait.until(lambda d: d.execute_script(UNDRAWN_IMAGES) == 0)
    shot = SCREENSHOT if os.environ.get("WBS_SCREENSHOT") else tmp_path / "sandbox.png"
    shot.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")

    assert sandbox_process.stop() == 0, sandbox_process.output()
    assert not sandbox_process.data_dir.exists()


def test_the_page_fits_a_phone_screen(
    sandbox_process: SandboxProcess, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    page = Page(browser, sandbox_process.url)
    page.open()
    phone = browser.find_element(By.ID, "phone-pane")
    group = browser.find_element(By.ID, "group-pane")
    assert phone.is_displayed() and not group.is_displayed()
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    page.type("phone", "/start")
    page.expect("phone", "Whistleblowing System")
    page.click("#tab-group")
    assert group.is_displayed() and not phone.is_displayed()
