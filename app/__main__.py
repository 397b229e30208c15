"""``python -m app`` and the ``workreport`` command.

No arguments, or a report file → the GUI; a sub-command or an option → the CLI.
"""
from __future__ import annotations

import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from . import COMMANDS

    if args and (args[0] in COMMANDS or args[0].startswith("-")):
        from .cli import main as cli_main

        try:
            return cli_main(args)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
    from ui.application import run

    return run(args[0] if args else None)


if __name__ == "__main__":
    sys.exit(main())
