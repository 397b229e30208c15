"""ODF text pieces the .odt exporters share (app/exporters/odt.py for the default template,
odt_template.py for every other one), moved here unchanged from odt.py so that both use them
without importing each other: the two fonts (標楷體 Asian, Times New Roman western, as in the
.docx), lengths in points, text properties with zh-TW as the Asian language, LibreOffice's
East Asian typography, the cell border, and :func:`paused_gc` (also used by the .ods).
"""
from __future__ import annotations

import contextlib
import gc
from typing import Iterator

from odf.style import TextProperties

from ..pages import GEOMETRY as G

FONT = G.font_east_asian  # the Asian font
FONT_LATIN = G.font_latin  # the western font, as in the .docx


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


BORDER = f"{G.border}pt solid #000000"


def _text_props(size: float = G.font_size, **extra: str) -> TextProperties:
    return TextProperties(
        fontname=FONT_LATIN, fontnameasian=FONT, fontnamecomplex=FONT_LATIN,
        fontsize=f"{size}pt", fontsizeasian=f"{size}pt", fontsizecomplex=f"{size}pt",
        language="en", country="US", languageasian="zh", countryasian="TW", **extra,
    )


# How LibreOffice sets East Asian text in the .docx (what its own .odt of
# that .docx says), which is what the page model was checked against:
# automatic space between ideographs and Latin letters/digits, strict line
# breaking (kinsoku), LibreOffice's punctuation wrap.
_TYPOGRAPHY = {"punctuationwrap": "hanging", "linebreak": "strict", "textautospace": "ideograph-alpha"}


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the DOM is built and saved.

    odfpy elements point to their parents, so every node is part of a cycle
    and each generation-2 collection walks the whole growing tree: at 20×
    the sample that made the export 30-odd times slower than at 1×, not 20.
    Everything built here stays alive until the file is written anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
