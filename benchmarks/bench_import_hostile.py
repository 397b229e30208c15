"""How long the hostile inputs of tests/test_import_hostile.py take to be refused.

    python benchmarks/bench_import_hostile.py [--runs N]

The tests assert what is refused and how much work it costs (members opened,
bytes inflated), never time; this script prints the time: for each input, the
median of ``--runs`` in-process refusals (``app.importers.read_source`` up to
its ReportError) and one run of the CLI (``python -m app import``, a fresh
process, start-up included).  Nothing is asserted.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, median_time, print_table  # noqa: E402  (common puts the project on sys.path)

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "</w:body></w:document>"
)


def bomb(folder: Path) -> Path:
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b"\0" * MB)
    return path


def many_small_bombs(folder: Path) -> Path:
    path = folder / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(220):
            zf.writestr(f"xl/media/pad{n}.bin", b"\0" * (MB - 1))
    return path


def liar(folder: Path) -> Path:
    path = folder / "liar.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * (300 * MB))
    path.write_bytes(buffer.getvalue().replace(struct.pack("<I", 300 * MB + 1), struct.pack("<I", 1024)))
    return path


def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    path = folder / "laughs.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", DOCUMENT.format(doctype=f"<!DOCTYPE w:document [{entities}]>", text="&lol9;"))
    return path


def oversized_part(folder: Path) -> Path:
    path = folder / "huge.docx"
    rng = random.Random(6)
    alphabet = "辦理業務完成計畫民政社建兵役會計人事政風行政0123456789，。"
    line = "".join(rng.choice(alphabet) for _ in range(4096)).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            written = 0
            while written < 70 * MB:
                member.write(line)
                written += len(line)
    return path


def deeply_nested(folder: Path) -> Path:
    path = folder / "deep.docx"
    text = "<w:p>" * 30_000 + "</w:p>" * 30_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", DOCUMENT.format(doctype="", text="").replace("<w:body>", "<w:body>" + text))
    return path


INPUTS = (("zip bomb 300 MB", bomb), ("220 small bombs", many_small_bombs), ("sizes understated", liar),
          ("billion laughs", billion_laughs), ("70 MB XML part", oversized_part), ("30,000 nested elements", deeply_nested))


def refuse_in_process(path: Path) -> str:
    from app.errors import ReportError
    from app.importers import read_source

    try:
        read_source(path)
    except ReportError as refusal:
        return str(refusal)
    return "(not refused!)"


def refuse_by_cli(path: Path, out: Path) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("WORKREPORT_DEBUG", None)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "app", "import", str(path), "-o", str(out)],
                          capture_output=True, cwd=ROOT, env=env, timeout=600)
    return time.perf_counter() - started, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, make in INPUTS:
            path = make(folder)
            message = refuse_in_process(path)
            in_process = median_time(lambda: refuse_in_process(path), runs=args.runs)
            cli, code = refuse_by_cli(path, folder / "out.awr")
            rows.append([name, f"{path.stat().st_size / MB:.2f}", f"{in_process * 1000:.1f}", f"{cli * 1000:.0f}", code,
                         message.split("：", 1)[-1][:40]])
    print_table(["input", "file (MB)", "in process (ms)", "CLI (ms)", "exit", "message"], rows)


if __name__ == "__main__":
    main()
