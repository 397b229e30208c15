"""Write the README's keyboard table from the action registry (ui/actions.py).

    python tools/shortcut_table.py           print the table
    python tools/shortcut_table.py --write   put it into README.md between its markers
    python tools/shortcut_table.py --check   exit 1 when README.md's table is not current

tests/test_shortcut_table.py fails when the README and the registry disagree.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BEGIN = "<!-- shortcuts: made by tools/shortcut_table.py from ui/actions.py; do not edit by hand -->"
END = "<!-- /shortcuts -->"


def readme_with_table(readme: str, table: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + table + "\n" + readme[end:]


def main(argv: list[str]) -> int:
    from ui.actions import readme_table

    table = readme_table()
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    if "--write" in argv:
        path.write_text(readme_with_table(readme, table), encoding="utf-8")
    elif "--check" in argv:
        if readme_with_table(readme, table) != readme:
            print("README.md 的快速鍵表不是最新的：請執行 python tools/shortcut_table.py --write", file=sys.stderr)
            return 1
    else:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
