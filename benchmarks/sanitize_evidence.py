"""Benchmark: time and peak memory to clean a 12-megapixel JPEG and a 20 MB PDF.

Run by hand (it is not a test):

    .venv/bin/python benchmarks/sanitize_evidence.py [--runs 3]

The files are made here first (a 4000x3000 photo with EXIF GPS, serial and a thumbnail; a
PDF of 20 pages, each with a 1 MB photo, with an author and XMP). Each run cleans one file in
a fresh subprocess, so memory is measured alone: the child imports everything and warms the
cleaner on a tiny file, notes its resident set size, reads the file, cleans it, and reports
its peak RSS (VmHWM) above that mark. That is the memory the file costs, input bytes,
decoded pixels and clean copy included. Prints a markdown table with the median time and
the largest peak of the runs, and the peak as a multiple of the file's size; exits 1 when a
20 MB file needs more than 3x its size (the issue's bound) or a clean copy keeps a marker.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from bot.evidence import sanitize
from tests.support import evidence_samples as samples

def status_kib(field):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith(field + ":"))

def rss_kib():
    return status_kib("VmRSS")

sanitize(samples.phone_jpeg()); sanitize(samples.pdf_with_metadata())  # imports and warm-up
before = rss_kib()
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
result = sanitize(data)
seconds = time.perf_counter() - start
peak = status_kib("VmHWM")  # not ru_maxrss: that one counts the parent's size at fork
clean = result.clean or b""
markers = [m for m in ("AcmeCam", "SN-4242-XYZ", "Pdf-Author-Marker") if m.encode() in clean]
print(json.dumps({"seconds": seconds, "extra_kib": max(peak - before, 0), "size": len(data),
                  "verdict": str(result.verdict), "clean_size": len(clean), "markers": markers}))
"""


def make_jpeg(path: Path) -> None:
    from PIL import Image

    from tests.support import evidence_samples as samples

    width, height = 4000, 3000
    noise = [Image.effect_noise((width, height), sigma) for sigma in (40, 55, 70)]
    base = Image.linear_gradient("L").resize((width, height))
    channels = [Image.blend(base, layer, 0.35) for layer in noise]
    photo = Image.merge("RGB", channels)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90, exif=samples.exif_block(thumbnail=samples.thumbnail_jpeg()))
    path.write_bytes(out.getvalue())


def make_pdf(path: Path, target: int = 20 * 1024 * 1024) -> None:
    import pikepdf
    from PIL import Image

    from tests.support import evidence_samples as samples

    pdf = pikepdf.open(io.BytesIO(samples.pdf_with_metadata()))
    photo = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise((1000, 750), 60) for _ in range(3)]).save(
        photo, "JPEG", quality=95
    )
    page_bytes = len(photo.getvalue())
    for number in range(max(1, target // page_bytes)):
        page = pdf.add_blank_page(page_size=(1000, 750))
        image = pdf.make_stream(
            photo.getvalue(),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=1000,
            Height=750,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(f"q 1000 0 0 750 0 0 cm /Im0 Do Q % {number}".encode())
    pdf.save(path)
    with path.open("rb+") as handle:  # just under the Telegram limit, as the worst case
        size = handle.seek(0, 2)
        if size < target:
            handle.write(b"\n%" + b"0" * (target - size - 3) + b"\n")


def run(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    failed = False
    rows = []
    with tempfile.TemporaryDirectory(prefix="wbs-bench-") as folder:
        files = {"12 MP JPEG": Path(folder) / "photo.jpg", "20 MB PDF": Path(folder) / "doc.pdf"}
        make_jpeg(files["12 MP JPEG"])
        make_pdf(files["20 MB PDF"])
        for name, path in files.items():
            reports = [run(path) for _ in range(args.runs)]
            size = int(str(reports[0]["size"]))
            seconds = statistics.median(float(str(r["seconds"])) for r in reports)
            extra = max(int(str(r["extra_kib"])) for r in reports) * 1024
            ratio = extra / size
            markers = {m for r in reports for m in r["markers"]}  # type: ignore[attr-defined]
            bad = bool(markers) or any(r["verdict"] != "cleaned" for r in reports)
            if name.endswith("PDF") and ratio > 3:
                bad = True
            failed |= bad
            rows.append(
                f"| {name} | {size / 2**20:.1f} MB | {seconds:.2f} s | {extra / 2**20:.0f} MB "
                f"| {ratio:.1f}x | {int(str(reports[0]['clean_size'])) / 2**20:.1f} MB "
                f"| {'FAIL' if bad else 'ok'} |"
            )
    print(f"Runs: {args.runs} each, median time, largest peak.\n")
    print("| file | size | time | peak memory | peak / size | clean copy | |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
