"""Checks on an untrusted Office/ODF file before anything parses it.

.docx .xlsx .odt .ods are zip packages of XML.  A clerk's file may come from
anywhere (mail, USB sticks), so before a parser sees one byte of XML:

* the file must be a zip at all — an encrypted Office file is not a zip but an
  OLE2/CFB container (magic ``D0 CF 11 E0``, with an ``EncryptedPackage``
  stream), and so is a legacy .doc/.xls renamed to .docx;
* the zip *directory* (read without decompressing anything) must declare at
  most :data:`MAX_ENTRIES` entries, at most :data:`MAX_TOTAL_BYTES`
  uncompressed in all, no XML part over :data:`MAX_XML_PART_BYTES` (parsed
  whole, it would cost ten times that in memory), only the stored or deflate
  methods, and no entry over :data:`RATIO_FLOOR_BYTES` may be
  compressed more than :data:`MAX_RATIO`:1 — a zip bomb is refused from its
  directory and never decompressed.  Python's :mod:`zipfile` stops
  decompressing an entry at its declared size (and then fails its CRC), so a
  directory that lies about sizes cannot make us inflate more than declared;
* every XML part's prolog is scanned for ``<!DOCTYPE``/``<!ENTITY`` before any
  parser runs (openpyxl parses with lxml, not defusedxml, when lxml is
  installed), and our own readers parse only through :mod:`defusedxml` with
  DTDs forbidden — external entities (XXE) and entity expansion (billion
  laughs) are refused with one message.

Every failure is a :class:`~app.errors.ReportError` naming the file.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import ReportError, os_reason, shown

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts compress well and harmlessly (e.g. empty styles)
MAX_FILE_BYTES = 200 * 1024 * 1024  # the zip itself
# One XML part is parsed whole: ~10x its size in memory.  The 109 sample's
# document.xml is 0.5 MB and twenty times the sample 10 MB; pictures (not
# parsed) may use the rest of MAX_TOTAL_BYTES.
MAX_XML_PART_BYTES = 64 * 1024 * 1024
PROLOG_SCAN_BYTES = 64 * 1024

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

MSG_NOT_ZIP = "不是 Word/Excel/ODF 檔案或檔案已損壞"
MSG_ENCRYPTED = "檔案已加密，請先移除密碼再匯入"
MSG_LEGACY = "檔案已加密，或是舊版 Office 格式（.doc/.xls）：請先移除密碼，或另存為 .docx/.xlsx 後再匯入"
MSG_BOMB = "疑似壓縮炸彈"
MSG_UNSAFE_XML = "檔案含有不安全的 XML 內容"
MSG_DAMAGED = "檔案內容已損壞"
MSG_TOO_DEEP = "檔案內容的巢狀層數過深，不像是工作總報告"
# Elements nested deeper than this are refused while parsing: the walkers
# that read cells and paragraphs recurse, and no real report comes close.
MAX_XML_DEPTH = 200

# What a package must contain, per suffix: (required part, label, mimetype or None)
_KINDS = {
    ".docx": ("word/document.xml", "Word 文件", None),
    ".xlsx": ("xl/workbook.xml", "Excel 活頁簿", None),
    ".odt": ("content.xml", "ODF 文字文件", "application/vnd.oasis.opendocument.text"),
    ".ods": ("content.xml", "ODF 試算表", "application/vnd.oasis.opendocument.spreadsheet"),
}
# Which kind a package really is, to say "this .docx is an Excel workbook".
_SIGNATURES = (
    ("word/document.xml", "Word 文件（.docx）"),
    ("xl/workbook.xml", "Excel 活頁簿（.xlsx）"),
    ("ppt/presentation.xml", "PowerPoint 簡報"),
)
_ODF_LABELS = {
    "application/vnd.oasis.opendocument.text": "ODF 文字文件（.odt）",
    "application/vnd.oasis.opendocument.spreadsheet": "ODF 試算表（.ods）",
}


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _cfb_is_encrypted(head: bytes, handle: BinaryIO) -> bool:
    """Whether a CFB container holds an ``EncryptedPackage`` stream (an encrypted OOXML file).

    The directory's first sector is named in the header (offset 0x30) and
    usually holds every stream name of a small container; the first MB is
    searched as well in case the directory lies elsewhere.
    """
    try:
        shift = int.from_bytes(head[0x1E:0x20], "little")
        first_dir = int.from_bytes(head[0x30:0x34], "little")
        if shift in (9, 12) and first_dir < 0xFFFFFFFA:
            size = 1 << shift
            handle.seek((first_dir + 1) * size)
            if _ENCRYPTED_STREAM in handle.read(size):
                return True
        handle.seek(0)
        return _ENCRYPTED_STREAM in handle.read(1024 * 1024)
    except OSError:
        return False


def check_container(path: Path) -> None:
    """The file exists, is not empty, is not a CFB (encrypted/legacy) file and is a zip."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReportError("找不到檔案", path) from None
    except OSError as exc:
        raise ReportError(f"無法讀取檔案（{os_reason(exc)}）", path) from exc
    if size == 0:
        raise ReportError("檔案是空的", path)
    if size > MAX_FILE_BYTES:
        raise ReportError(f"檔案過大（{_mb(size)}，上限 {_mb(MAX_FILE_BYTES)}）", path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
            if head.startswith(CFB_MAGIC):
                raise ReportError(MSG_ENCRYPTED if _cfb_is_encrypted(head, handle) else MSG_LEGACY, path)
    except OSError as exc:
        raise ReportError(f"無法讀取檔案（{os_reason(exc)}）", path) from exc
    if not head.startswith(b"PK"):
        raise ReportError(MSG_NOT_ZIP, path)


def check_directory(zf: zipfile.ZipFile, path: Path) -> None:
    """Counts, sizes and ratios from the central directory; nothing is decompressed."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReportError(f"{MSG_BOMB}：壓縮檔內有 {len(infos)} 個項目（上限 {MAX_ENTRIES}）", path)
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ReportError(f"{MSG_BOMB}：解壓後超過 {_mb(MAX_TOTAL_BYTES)}", path)
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ReportError(f"{MSG_BOMB}：{shown(info.filename, 80)}壓縮比 {ratio}:1（上限 {MAX_RATIO}:1）", path)
        if info.file_size > MAX_XML_PART_BYTES and info.filename.lower().endswith((".xml", ".rels")):
            raise ReportError(
                f"內容過大：{shown(info.filename, 80)}解壓後 {_mb(info.file_size)}（上限 {_mb(MAX_XML_PART_BYTES)}），不像是工作總報告", path)
        if info.flag_bits & 0x1:
            raise ReportError(MSG_ENCRYPTED, path)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Office and ODF use only these two; bzip2/lzma would also inflate
            # a whole read chunk at once, past any declared size.
            raise ReportError(f"{MSG_NOT_ZIP}（不支援的壓縮方式）", path)


def _package_kind(zf: zipfile.ZipFile) -> str | None:
    names = set(zf.namelist())
    for part, label in _SIGNATURES:
        if part in names:
            return label
    if "mimetype" in names:
        try:
            mimetype = read_member(zf, "mimetype", Path(zf.filename or ""), limit=200).decode("ascii", "replace").strip()
        except ReportError:
            return None
        return _ODF_LABELS.get(mimetype)
    return None


def check_kind(zf: zipfile.ZipFile, path: Path, suffix: str) -> None:
    required, label, mimetype = _KINDS[suffix]
    names = set(zf.namelist())
    actual = _package_kind(zf)
    if required not in names:
        if actual:
            raise ReportError(f"這不是{label}，看起來是{actual}：請確認副檔名", path)
        raise ReportError(f"{MSG_NOT_ZIP}（找不到 {required}）", path)
    if mimetype is not None and "mimetype" in names:
        if zf.getinfo("mimetype").file_size > 200:  # not a media type: say so, not "a bomb"
            raise ReportError(f"這不是{label}，看起來是其他格式（mimetype 過長）：請確認副檔名", path)
        found = read_member(zf, "mimetype", path, limit=200).decode("ascii", "replace").strip()
        if found != mimetype:
            other = _ODF_LABELS.get(found) or (f"其他格式（mimetype 為{shown(found)}）" if found else "未知格式")
            raise ReportError(f"這不是{label}，看起來是{other}：請確認副檔名", path)


_PROLOG_DANGER = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")


def _decode_prolog(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data[:2] in (b"<\x00", b"\x00<"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "replace")
    return data.decode("utf-8", "replace")


def check_xml_prologs(zf: zipfile.ZipFile, path: Path) -> None:
    """Refuse any XML part that declares a DTD or entities, reading only its prolog."""
    for info in zf.infolist():
        name = info.filename.lower()
        if info.is_dir() or not (name.endswith((".xml", ".rels")) or name in ("mimetype",)):
            continue
        if name == "mimetype":
            continue
        text = ""
        try:
            with zf.open(info) as member:
                data = b""
                # A DOCTYPE can only come before the first element; long
                # comments in the prolog just make us read a little more.
                while len(data) < PROLOG_SCAN_BYTES * 16:
                    chunk = member.read(PROLOG_SCAN_BYTES)
                    if not chunk:
                        break
                    data += chunk
                    text = _decode_prolog(data)
                    stripped = re.sub(r"<!--.*?-->|<\?.*?\?>", "", text, flags=re.DOTALL)
                    if _PROLOG_DANGER.search(stripped[: _first_element(stripped)]):
                        raise ReportError(MSG_UNSAFE_XML, path)
                    if _FIRST_ELEMENT.search(stripped):
                        break
        except ReportError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise ReportError(f"{MSG_DAMAGED}（{shown(info.filename, 80, quote=False)}）", path) from exc


def _first_element(text: str) -> int:
    match = _FIRST_ELEMENT.search(text)
    return match.start() if match else len(text)


def read_member(zf: zipfile.ZipFile, name: str, path: Path, *, limit: int | None = None) -> bytes:
    """One part, decompressed in chunks and never beyond its declared size (or ``limit``)."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ReportError(f"{MSG_NOT_ZIP}（找不到 {name}）", path) from None
    cap = min(info.file_size, limit) if limit is not None else info.file_size
    buffer = io.BytesIO()
    try:
        with zf.open(info) as member:
            while True:
                chunk = member.read(1024 * 1024)
                if not chunk:
                    break
                buffer.write(chunk)
                if buffer.tell() > cap:
                    raise ReportError(f"{MSG_BOMB}：「{name}」解壓後比宣告的大", path)
    except ReportError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise ReportError(f"{MSG_DAMAGED}（{name}）", path) from exc
    return buffer.getvalue()


def parse_xml(data: bytes, path: Path, part: str) -> Element:
    """An ElementTree root parsed by defusedxml with DTDs, entities and external references
    refused, and elements nested deeper than :data:`MAX_XML_DEPTH` refused."""
    root = None
    for event, element in _iterparse(io.BytesIO(data), path, part):
        if root is None:
            root = element
    if root is None:
        raise ReportError(f"{MSG_DAMAGED}（{part} 的 XML 格式錯誤）", path)
    return root


def _iterparse(source, path: Path, part: str, events=("start", "end")) -> Iterator:
    depth = 0
    wanted = set(events)
    try:
        for event, element in SafeET.iterparse(source, events=("start", "end"), forbid_dtd=True,
                                               forbid_entities=True, forbid_external=True):
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise ReportError(f"{MSG_TOO_DEEP}（{shown(part, 80, quote=False)}）", path)
            else:
                depth -= 1
            if event in wanted:
                yield event, element
    except DefusedXmlException:
        raise ReportError(MSG_UNSAFE_XML, path) from None
    except SafeET.ParseError as exc:
        raise ReportError(f"{MSG_DAMAGED}（{shown(part, 80, quote=False)} 的 XML 格式錯誤）", path) from exc


def iterparse_member(zf: zipfile.ZipFile, name: str, path: Path,
                     events: tuple[str, ...] = ("start", "end")) -> Iterator[tuple[str, Element]]:
    """Stream one XML part through defusedxml's iterparse (for large spreadsheets)."""
    data = read_member(zf, name, path)
    yield from _iterparse(io.BytesIO(data), path, name, events)


def check_file(path: str | os.PathLike[str]) -> Path:
    """All checks for a .docx/.xlsx/.odt/.ods without keeping the zip open."""
    with open_package(path):
        pass
    return Path(path)


@contextmanager
def open_package(path: str | os.PathLike[str]) -> Iterator[zipfile.ZipFile]:
    """The checked zip, open for reading; every check above has passed."""
    path = Path(path)
    suffix = path.suffix.lower()
    check_container(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise ReportError(MSG_NOT_ZIP, path) from exc
    try:
        check_directory(zf, path)
        if suffix in _KINDS:
            check_kind(zf, path, suffix)
        check_xml_prologs(zf, path)
        yield zf
    finally:
        zf.close()
