"""Where the bundled files are: the source tree, an installed package, or a frozen build.

PyInstaller unpacks data under ``sys._MEIPASS`` (``_internal/``), never beside
``sys.executable``; everywhere else ``resources/`` is a package next to ``app/``.
"""
from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


SAMPLE_JSON = ("sample", "sample_109.json")
SCHEMA_JSON = ("schema", "workreport.schema.json")
PROOFREAD_DIR = ("proofread",)  # 校對 rule tables (app/proofread.py, resources/proofread/README.md)
