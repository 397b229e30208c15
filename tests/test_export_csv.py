"""The open-data CSV read back with the csv module."""
from __future__ import annotations

import csv

from app.exporters import export
from app.exporters.csv_export import COLUMNS
from app.layout import clean_text, layout
from app.model import Department, Entry, Item, Report, Section


def read(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_one_row_per_entry_with_labels(tmp_path, sample):
    path = tmp_path / "s.csv"
    export(sample, "csv", path)
    rows = read(path)
    assert rows[0] == list(COLUMNS) == ["年度", "機關", "類", "項", "目", "編號", "辦理情形", "完成程度", "備註"]
    assert len(rows) == 377 + 1
    assert rows[1] == ["109", "嘉義市東區區公所", "壹、民政部門", "一、一般民政", "(一) 選舉業務", "1.",
                       "1月4日辦理嘉義市第十屆東區朝陽里里長補選。", "100", ""]
    expected = []
    for block in layout(sample).departments:
        for section in block.sections:
            for item in section.items:
                for row in item.rows:
                    for entry, number in zip(row.entries, row.numbers):
                        expected.append([
                            "109", "嘉義市東區區公所", block.label, section.label, item.label, number,
                            clean_text(entry.text), "" if entry.completion is None else str(entry.completion),
                            clean_text(entry.remark),
                        ])
    assert rows[1:] == expected
    numbers = {row[5] for row in rows[1:]}
    assert {"1.", "(1)", ""} <= numbers
    assert all(not row[6].startswith(("1.", "(1)")) for row in rows[1:] if row[5])
    assert {row[4] for row in rows[1:]} >= {"民防團業務", "(一) 選舉業務"}
    assert all(row[7] == "" or 0 <= int(row[7]) <= 100 for row in rows[1:])


def test_quoting_keeps_newlines_commas_and_formula_text(tmp_path):
    report = Report(office="區公所", roc_year=112, departments=[Department(name="部門", sections=[
        Section(title="項", items=[Item(title="目", entries=[
            Entry(level=1, text="=1+1", completion=100, remark="+SUM(A1)"),
            Entry(level=2, text="-2+3"),
            Entry(level=1, text="@x"),
            Entry(level=1, text='多行\x0b第二行, "引號"\x07\x00'),
        ])])])])
    path = tmp_path / "h.csv"
    export(report, "csv", path)
    rows = read(path)
    assert [r[6] for r in rows[1:]] == ["=1+1", "-2+3", "@x", '多行\n第二行, "引號"']
    assert rows[1][8] == "+SUM(A1)"
    assert [r[5] for r in rows[1:]] == ["1.", "(1)", "2.", "3."]
    text = path.read_bytes().decode("utf-8-sig")
    assert '"多行\n第二行, ""引號"""' in text  # QUOTE_MINIMAL, newline kept inside quotes
    assert "\r\n" in text and "\x00" not in text and "\x07" not in text
    assert text.split("\r\n")[1].startswith("112,區公所,壹、部門,一、項,(一) 目,1.,=1+1,100,+SUM(A1)")


def test_department_option(tmp_path, sample):
    path = tmp_path / "one.csv"
    export(sample, "csv", path, department="兵役部門")
    rows = read(path)
    count = sum(1 for _ in sample.department_named("兵役部門").entries())
    assert len(rows) == count + 1
    assert {r[2] for r in rows[1:]} == {"參、兵役部門"}
