"""Render the application icon from its one source image, resources/icons/workreport.svg.

    python tools/make_icons.py            # writes workreport-{16,32,48,64,128,256}.png and workreport.ico
    python tools/make_icons.py --check    # exit 1 when the committed files differ from a fresh render

The outputs are committed, so neither the app nor a PyInstaller build needs to
render anything (nor QtSvg, which the frozen program leaves out).

The .ico is assembled here rather than with QImageWriter: Qt's "ico" writer
stores a single image per file, and Windows picks the entry closest to the
size it needs (16 in Explorer's list view, 32 on the taskbar at 100 %, 48 at
150 %, 256 in large-icon views).  Entries below 256 are 32-bit DIBs (the form
every Windows icon consumer reads: the resource compiler in PyInstaller,
Inno Setup, Explorer); the 256 entry is PNG-compressed, as Windows Vista and
later expect.  The file is read back through Qt's ico plugin when it exists.
"""
from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICON_DIR / "workreport.svg"
SIZES = (16, 32, 48, 64, 128, 256)  # ui/icons.py loads exactly these


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    # Straight (non-premultiplied) alpha: what PNG and the ICO's DIBs store.
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode PNG")
    buffer.close()
    return bytes(data)


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA DIB as stored in an ICO: bottom-up rows, height doubled, then the AND mask."""
    width, height = image.width(), image.height()
    rows = []
    mask_rows = []
    mask_stride = ((width + 31) // 32) * 4
    for y in range(height - 1, -1, -1):  # bottom-up
        # Format_ARGB32 is 0xAARRGGBB per pixel: B, G, R, A in memory on little-endian hosts.
        line = bytes(image.constScanLine(y))[: width * 4]
        if sys.byteorder != "little":
            line = b"".join(line[i : i + 4][::-1] for i in range(0, len(line), 4))
        rows.append(line)
        bits = bytearray(mask_stride)
        for x in range(width):
            if line[4 * x + 3] == 0:  # fully transparent → set in the AND mask (for old readers)
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    pixels = b"".join(rows)
    mask = b"".join(mask_rows)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0)
    return header + pixels + mask


def ico_bytes(images: list[QImage]) -> bytes:
    payloads = [png_bytes(im) if im.width() >= 256 else dib_bytes(im) for im in images]
    offset = 6 + 16 * len(images)
    directory = struct.pack("<HHH", 0, 1, len(images))
    for image, payload in zip(images, payloads):
        side = image.width()
        directory += struct.pack("<BBBBHHII", side % 256, side % 256, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    return directory + b"".join(payloads)


def outputs() -> dict[Path, bytes]:
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG for Qt")
    images = [render(renderer, size) for size in SIZES]
    files = {ICON_DIR / f"workreport-{size}.png": png_bytes(image) for size, image in zip(SIZES, images)}
    files[ICON_DIR / "workreport.ico"] = ico_bytes(images)
    return files


def verify_ico(path: Path) -> None:
    """Read the .ico back with Qt's ico plugin (when installed): every size, in order."""
    if b"ico" not in [bytes(f) for f in QImageReader.supportedImageFormats()]:
        print("note: Qt has no ico plugin here; the .ico was not read back")
        return
    reader = QImageReader(str(path), b"ico")
    found = []
    for _ in range(reader.imageCount()):
        image = reader.read()
        if image.isNull():
            raise SystemExit(f"{path}: Qt could not read an entry: {reader.errorString()}")
        found.append(image.width())
        reader.jumpToNextImage()
    if sorted(found) != sorted(SIZES):
        raise SystemExit(f"{path}: Qt reads sizes {found}, expected {list(SIZES)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (painting needs one)
    files = outputs()
    if args.check:
        stale = [p.name for p, data in files.items() if not p.exists() or p.read_bytes() != data]
        if stale:
            print("out of date (run python tools/make_icons.py):", ", ".join(stale))
            return 1
        print("icons up to date")
        return 0
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ICON_DIR.parent.parent)} ({len(data)} bytes)")
    verify_ico(ICON_DIR / "workreport.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
