"""Compatibility name: print preview and print live in :mod:`ui.render.printing`."""
from __future__ import annotations

from .render.printing import preview, print_dialog  # noqa: F401
