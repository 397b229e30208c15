"""Compatibility name: the PDF painter lives in :mod:`ui.render.pdf`."""
from __future__ import annotations

from .render.pdf import (  # noqa: F401
    KAI_FAMILIES,
    LATIN_FAMILIES,
    ensure_application,
    font_families,
    front_pages,
    make_font,
    page_plan,
    paint_plan,
    paint_report,
    plan,
    write,
)
