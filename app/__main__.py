"""``python -m app`` and the ``workreport`` command.

No arguments, or a report file → the GUI; a sub-command or an option → the CLI;
any other word (a mistyped command, a file that is not there) → one zh-TW line
on stderr and exit status 2, not a window.

The launcher is the one module of app/ that may import ``ui``: it registers
the GUI package's PDF exporter (ui/render/pdf.py, drawn with Qt; importing it
loads no Qt) before either runs, so that ``workreport export -f pdf`` and the
export dialog both offer PDF.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence


def register_ui_exporters() -> None:
    """The exporters that live in ui/ (PDF), registered with app.exporters."""
    import ui.render.pdf  # noqa: F401  (registers "pdf" on import)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    register_ui_exporters()
    from . import COMMANDS

    if args and (args[0] in COMMANDS or args[0].startswith("-")):
        from .cli import main as cli_main

        try:
            return cli_main(args)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
    if args and not Path(args[0]).exists():
        print(f"「{args[0]}」不是子命令，也不是存在的檔案（子命令：{'、'.join(COMMANDS)}；用 --help 查看用法）",
              file=sys.stderr)
        return 2
    from ui.application import run

    return run(args[0] if args else None)


if __name__ == "__main__":
    sys.exit(main())
