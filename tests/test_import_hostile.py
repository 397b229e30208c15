"""Hostile and broken inputs, each through the real CLI in a subprocess.

Every one must end with exit 2, a one-line Chinese message on stderr that
names the file, no traceback, no output file — and with a bounded amount of
work, asserted as work done (bytes decompressed, members opened), never as
time: the bomb and the oversized parts are refused from the zip directory
without any member being decompressed, a directory that lies about sizes
cannot make us inflate more than it declares.  How long each refusal takes is
printed by benchmarks/bench_import_hostile.py.
"""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.exporters import export

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024

DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "</w:body></w:document>"
)


def run_import(source: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / "out.awr"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    env.pop("WORKREPORT_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "app", "import", str(source), "-o", str(out)],
                          capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=120)
    return proc, out


def assert_refused(source: Path, tmp_path: Path, *expected: str) -> str:
    proc, out = run_import(source, tmp_path)
    message = proc.stderr.strip()
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert len(message.splitlines()) == 1, message
    assert message.startswith("錯誤："), message
    assert str(source) in message
    for text in expected:
        assert text in message, message
    assert not out.exists()
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".out.awr*"))
    return message


@pytest.fixture
def inflated(monkeypatch):
    """Counts what the import decompresses, in process: members opened and bytes inflated.

    Every read of a zip member (read, read1, peek — ElementTree's and openpyxl's
    too) passes through ``ZipExtFile._read1``."""
    work = {"opened": [], "bytes": 0}
    real_open, real_read1 = zipfile.ZipFile.open, zipfile.ZipExtFile._read1

    def counting_open(self, name, *args, **kwargs):
        work["opened"].append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    def counting_read1(self, n):
        data = real_read1(self, n)
        work["bytes"] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    monkeypatch.setattr(zipfile.ZipExtFile, "_read1", counting_read1)
    return work


def refused_in_process(source: Path, expected: str) -> None:
    from app.errors import ReportError
    from app.importers import read_source

    with pytest.raises(ReportError, match=expected):
        read_source(source)


def minimal_docx(path: Path, document_xml: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", document_xml)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 300 KB .docx whose document.xml inflates to 300 MB of zeros."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * MB
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2 * MB
    return path


def test_zip_bomb_is_refused_from_the_directory(bomb, tmp_path):
    message = assert_refused(bomb, tmp_path, "疑似壓縮炸彈")
    assert "壓縮比" in message or "解壓後" in message


def test_zip_bomb_is_not_decompressed(bomb, inflated):
    """In process: refusing the bomb (the whole import path) never opens a member."""
    refused_in_process(bomb, "疑似壓縮炸彈")
    assert inflated == {"opened": [], "bytes": 0}


def test_many_small_bombs_add_up(tmp_path):
    """Entries each under the ratio floor, 220 MB in all: refused by the total."""
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        data = b"\0" * (MB - 1)
        for n in range(220):
            zf.writestr(f"xl/media/pad{n}.bin", data)
    assert_refused(path, tmp_path, "疑似壓縮炸彈", "200 MB")


def test_many_small_bombs_are_refused_without_inflating_any(tmp_path, inflated):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(220):
            zf.writestr(f"xl/media/pad{n}.bin", b"\0" * (MB - 1))
    inflated.update(opened=[], bytes=0)  # (writing opened them)
    refused_in_process(path, "疑似壓縮炸彈")
    assert inflated == {"opened": [], "bytes": 0}


def test_directory_that_understates_sizes_is_not_inflated(tmp_path):
    """Declared 1 KB, really 300 MB: zipfile stops at the declared size and the CRC fails."""
    source = tmp_path / "liar.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * (300 * MB))
    data = bytearray(buffer.getvalue())
    real = struct.pack("<I", 300 * MB + 1)
    fake = struct.pack("<I", 1024)
    assert data.count(real) == 2  # local header and central directory
    source.write_bytes(bytes(data).replace(real, fake))
    assert_refused(source, tmp_path, "損壞")


def test_a_directory_that_understates_sizes_bounds_what_is_inflated(tmp_path, inflated):
    """In process: of the 300 MB behind a declared 1 KB, no more than the declared size is inflated."""
    source = tmp_path / "liar.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * (300 * MB))
    source.write_bytes(buffer.getvalue().replace(struct.pack("<I", 300 * MB + 1), struct.pack("<I", 1024)))
    inflated.update(opened=[], bytes=0)
    refused_in_process(source, "損壞")
    assert "word/document.xml" in inflated["opened"]
    declared = sum(info.file_size for info in zipfile.ZipFile(source).infolist())
    assert 0 < inflated["bytes"] <= declared  # 1 KB + 8 bytes, not 300 MB


def test_xxe_is_refused(tmp_path):
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    source = minimal_docx(tmp_path / "xxe.docx", DOCUMENT.format(doctype=doctype, text="&xxe;"))
    assert_refused(source, tmp_path, "不安全的 XML")


def test_billion_laughs_is_refused(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    doctype = f"<!DOCTYPE w:document [{entities}]>"
    source = minimal_docx(tmp_path / "laughs.docx", DOCUMENT.format(doctype=doctype, text="&lol9;"))
    assert_refused(source, tmp_path, "不安全的 XML")


def test_xxe_in_xlsx_is_refused_before_openpyxl(small, tmp_path):
    clean = tmp_path / "clean.xlsx"
    export(small, "xlsx", clean)
    source = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(clean) as zin, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":  # the first department sheet
                data = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + data
            zout.writestr(info, data)
    assert_refused(source, tmp_path, "不安全的 XML")


def test_entity_in_ods_is_refused(small, tmp_path):
    clean = tmp_path / "clean.ods"
    export(small, "ods", clean)
    source = tmp_path / "laughs.ods"
    with zipfile.ZipFile(clean) as zin, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                text = data.decode("utf-8")
                head, rest = text.split("?>", 1)
                data = (head + '?>\n<!-- a comment first --><!DOCTYPE x [<!ENTITY a "aaaa">]>' + rest).encode("utf-8")
            zout.writestr(info, data)
    assert_refused(source, tmp_path, "不安全的 XML")


def test_truncated_zip(sample, tmp_path):
    whole = tmp_path / "whole.docx"
    export(sample, "docx", whole)
    source = tmp_path / "truncated.docx"
    source.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert_refused(source, tmp_path, "不是 Word/Excel/ODF 檔案或檔案已損壞")


def test_random_bytes_named_docx(tmp_path):
    source = tmp_path / "random.docx"
    source.write_bytes(os.urandom(64 * 1024))
    assert_refused(source, tmp_path, "不是 Word/Excel/ODF 檔案或檔案已損壞")


def test_empty_file(tmp_path):
    source = tmp_path / "empty.xlsx"
    source.write_bytes(b"")
    assert_refused(source, tmp_path, "空")


def test_docx_without_a_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("109 年度工作總報告")
    document.add_paragraph("這份文件沒有表格。")
    source = tmp_path / "notable.docx"
    document.save(source)
    assert_refused(source, tmp_path, "找不到工作總報告的表格")


def test_encrypted_office_file(tmp_path):
    """What Word writes for a password-protected file: a CFB container with EncryptedPackage."""
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[0x30:0x34] = (0).to_bytes(4, "little")  # directory in sector 0
    directory = bytearray(512)
    for n, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        encoded = name.encode("utf-16-le")
        directory[n * 128: n * 128 + len(encoded)] = encoded
    source = tmp_path / "secret.docx"
    source.write_bytes(bytes(header) + bytes(directory) + os.urandom(4096))
    assert_refused(source, tmp_path, "檔案已加密，請先移除密碼再匯入")


def test_legacy_office_file_renamed(tmp_path):
    source = tmp_path / "old.xlsx"
    source.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096))
    assert_refused(source, tmp_path, "檔案已加密", ".doc/.xls")


def test_workbook_named_docx(small, tmp_path):
    source = tmp_path / "really-a-workbook.docx"
    export(small, "xlsx", source)
    assert_refused(source, tmp_path, "不是Word 文件", "Excel")


def test_spreadsheet_named_odt(small, tmp_path):
    source = tmp_path / "really-a-sheet.odt"
    export(small, "ods", source)
    assert_refused(source, tmp_path, "ODF 試算表")


def test_wrong_json_types(tmp_path):
    source = tmp_path / "wrong.json"
    source.write_text(json.dumps({"format": "workreport", "version": 1, "office": 123, "roc_year": "一〇九",
                                  "departments": "none"}), encoding="utf-8")
    assert_refused(source, tmp_path, "型別錯誤")


def test_table_without_year_asks_for_it(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("項", "目", "辦理情形")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("一、一般民政", "(一) 選舉業務", "1. 辦理選舉。")):
        cell.text = text
    source = tmp_path / "noyear.docx"
    document.save(source)
    assert_refused(source, tmp_path, "找不到報告年度")


def test_unsupported_compression_method(tmp_path):
    source = tmp_path / "bzip.docx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("word/document.xml", DOCUMENT.format(doctype="", text="x"))
    assert_refused(source, tmp_path, "不支援的壓縮方式")


def test_oversized_xml_part_is_refused_from_the_directory(tmp_path):
    """70 MB of XML compressed under the bomb ratio (random-ish text): refused by the part limit."""
    import random

    source = tmp_path / "huge.docx"
    rng = random.Random(6)
    alphabet = "辦理業務完成計畫民政社建兵役會計人事政風行政0123456789，。"
    line = "".join(rng.choice(alphabet) for _ in range(4096)).encode("utf-8")
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            written = 0
            while written < 70 * MB:
                member.write(line)
                written += len(line)
    info = zipfile.ZipFile(source).getinfo("word/document.xml")
    assert info.file_size < 100 * info.compress_size  # not a bomb by ratio
    assert_refused(source, tmp_path, "內容過大", "64 MB")
    with pytest.MonkeyPatch.context() as patch:  # in process: refused before any member is read
        patch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a member was opened"))
        refused_in_process(source, "內容過大")
