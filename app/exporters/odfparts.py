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

from odf.style import FooterStyle, HeaderFooterProperties, HeaderStyle, PageLayout, PageLayoutProperties, TextProperties

from ..pages import GEOMETRY as G
from ..pages import PT_PER_CM

FONT = G.font_east_asian  # the Asian font
FONT_LATIN = G.font_latin  # the western font, as in the .docx


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


BORDER = f"{G.border}pt solid #000000"

HF_HEIGHT = G.margin - G.header_distance  # the running header's and the page number's band
HF_SPACING = max(HF_HEIGHT - 0.1 * PT_PER_CM, 0.0)


def page_layout(name: str, *, width: float, height: float, margin: float, landscape: bool = False,
                header: bool = True, usage: str | None = None) -> PageLayout:
    """A page layout: the page, its margins and (``header``) the header and footer bands."""
    kwargs = {"name": name}
    if usage:
        kwargs["pageusage"] = usage
    pl = PageLayout(**kwargs)
    top = G.header_distance if header else G.margin
    bottom = G.footer_distance if header else G.margin
    pl.addElement(PageLayoutProperties(
        pagewidth=_pt(width), pageheight=_pt(height), printorientation="landscape" if landscape else "portrait",
        margintop=_pt(top), marginbottom=_pt(bottom), marginleft=_pt(margin), marginright=_pt(margin),
    ))
    if header:
        hs = HeaderStyle()
        hs.addElement(HeaderFooterProperties(minheight=_pt(HF_HEIGHT), marginbottom=_pt(HF_SPACING),
                                             dynamicspacing="true"))
        pl.addElement(hs)
        fs = FooterStyle()
        fs.addElement(HeaderFooterProperties(minheight=_pt(G.margin - G.footer_distance),
                                             margintop=_pt(HF_SPACING), dynamicspacing="true"))
        pl.addElement(fs)
    return pl


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
