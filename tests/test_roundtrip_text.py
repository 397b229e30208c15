"""Line breaks and runs of spaces inside an entry survive export → import in every format."""
from __future__ import annotations

import pytest

from app.exporters import export
from app.importers import read_source

TEXT = "第一行\n第二行  兩個空白"


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "odt", "ods", "json"])
def test_in_cell_line_breaks_and_spaces_round_trip(tmp_path, small, fmt):
    small.departments[0].sections[0].items[0].entries[0].text = TEXT
    export(small, fmt, tmp_path / f"x.{fmt}")
    back = read_source(tmp_path / f"x.{fmt}")
    assert back.departments[0].sections[0].items[0].entries[0].text == TEXT
