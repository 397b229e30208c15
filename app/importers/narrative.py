"""Recognise a narrative report (the city 施政報告: headings and paragraphs, no table) under a
template of layout ``narrative`` (issue 19).

The paragraphs come from the format loaders (``SourceDocument.paragraphs``:
docx and odt, each with the outline level of its heading style; a 目錄 left
out) or, for a spreadsheet, from a sheet of one column (each cell one
paragraph, as app/exporters write a narrative report to xlsx/ods).

* **Levels.**  A heading paragraph (標題 1/2/3, ``text:h`` outline level
  1–3) is a node of template level 1–3.  A paragraph without a heading style
  is a node when it starts with a level's own number (壹、 → 部門, 甲、 → 業務)
  or, for an unnumbered level, is a short line ending with the level's name
  (民政處部分 → 部分; only in a document without heading styles).  Numbers
  are stripped from titles.
* **Entries.**  Every other paragraph after the first top-level node is an
  entry of the current last-level node: its level is the numbered text's
  level whose number it starts with (一、 → 1, (一) → 2, 1. → 3, (1) → 4; full-
  or half-width, 1、 for 1.), else 0 (a paragraph); the number is stripped.
  A paragraph before any last-level node goes into an untitled one (a
  warning naming the paragraph).
* **Skipped.**  Paragraphs before the first top-level node (cover: office,
  year, date — read for the report's office and year; in a document with
  heading styles the first 標題 1, so that a 目錄 of plain lines is passed), a divider page's
  spaced name (民 政 部 門), 目錄 lines typed by hand (a title then a page
  number after a tab or dots).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..editing import with_implicit
from ..errors import ReportError
from ..model import NODE_CLASS, Department, Entry, Item, Node, Report, child_list
from ..rows import items_of
from ..templates import Template, builtin_templates
from .source import ImportResult, apply_meta, ImportWarning, Paragraph, SourceDocument, _short, department_counts, join_lines
from .templated import _node_title, entry_level, find_template_meta, own_number

_DIVIDER = re.compile(r"^(?:\S[ \u3000]+)+\S$")
_TOC_LINE = re.compile(r"(?:\t|[.．…·‧]{2,})\s*\d{1,4}\s*$")
_SENTENCE = re.compile(r"[。；;！？：:，,]")


def narrative_templates(template: Template | None) -> list[Template]:
    if template is not None:
        return [template] if template.layout == "narrative" else []
    return [t for t in builtin_templates() if t.layout == "narrative"]


def source_paragraphs(source: SourceDocument) -> list[Paragraph]:
    """The document's paragraphs; for a spreadsheet, the cells of its one-column sheets."""
    if source.paragraphs:
        return source.paragraphs
    result: list[Paragraph] = []
    for grid in source.grids:
        if grid.cells and all(cell.col == 0 for cell in grid.cells):
            for cell in sorted(grid.cells, key=lambda c: c.row):
                if cell.text.strip():
                    result.append(Paragraph(cell.text.strip(), None,
                                            f"{grid.place}第 {cell.row + grid.first_row_number} 列"))
    return result


class NarrativeBuilder:
    def __init__(self, source: SourceDocument, template: Template):
        self.source = source
        self.template = template
        self.report = Report()
        self.report.template = template
        self.warnings: list[ImportWarning] = list(source.warnings)
        self.meta_texts: list[str] = []
        self.path_nodes: list[Node] = []
        self.last = len(template.levels) - 1
        self.entries = 0
        self.started = False
        self.styled = False  # the document has heading paragraphs (標題 1 …)
        self.year_found = True

    def warn(self, place: str, message: str) -> None:
        self.warnings.append(ImportWarning(str(self.source.path), place, None, message))

    def level_of(self, paragraph: Paragraph) -> int | None:
        """The template level ``paragraph`` is a heading of, or None (an entry)."""
        levels = self.template.levels
        if paragraph.heading is not None and 1 <= paragraph.heading <= len(levels):
            return paragraph.heading - 1
        text = join_lines(paragraph.text)
        for depth, level in enumerate(levels):
            if level.numbering.system == "none":
                if self.styled:
                    continue  # a document with heading styles says its unnumbered levels by them
                if text.endswith(level.name) and len(text) <= 30 and not _SENTENCE.search(text) \
                        and len(text) > len(level.name):
                    return depth
            elif own_number(level.numbering, text)[0]:
                return depth
        return None

    def open_node(self, depth: int, text: str, place: str) -> None:
        template = self.template
        level = template.levels[depth]
        if depth > 0 and len(self.path_nodes) < depth:
            self.ensure(depth - 1, place, f"「{_short(text)}」")
        numbered, title = _node_title(level, depth, text) if text else (True, "")
        if level.numbering.system == "none":
            title = join_lines(text).strip()
        parent: Node | Report
        if depth == 0:
            node: Node = Department(name=title)
            parent = self.report
        else:
            node = NODE_CLASS[template.level_kinds[depth]](title=title)
            if isinstance(node, Item):
                node.numbered = numbered or not level.may_be_unnumbered
            parent = self.path_nodes[depth - 1]
        child_list(parent).append(with_implicit(template, node))
        del self.path_nodes[depth:]
        self.path_nodes.append(node)

    def ensure(self, depth: int, place: str, what: str) -> None:
        while len(self.path_nodes) <= depth:
            level = self.template.levels[len(self.path_nodes)]
            self.warn(place, f"{what}之前沒有{level.name}，已放入未命名的{level.name}")
            self.open_node(len(self.path_nodes), "", place)

    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text.strip()
        if not text:
            return
        if _TOC_LINE.search(text):
            return  # a 目錄 line typed by hand (壹、民政部門……1)
        depth = self.level_of(paragraph)
        if not self.started:
            # The body starts at the first 部門: a 標題 1 in a document with heading styles (a 目錄
            # typed or generated as plain lines 壹、民政部門 comes before it), else the first 壹、.
            if depth != 0 or self.styled and paragraph.heading != 1:
                self.meta_texts.append(text)
                return
            self.started = True
        if depth is None and _DIVIDER.fullmatch(text):
            return  # 民 政 部 門 on a divider page
        if depth is not None:
            self.open_node(depth, text, paragraph.place)
            return
        self.ensure(self.last, paragraph.place, f"段落「{_short(text)}」")
        level, rest = entry_level(self.template.text_column, text)
        item = items_of(self.path_nodes[self.last])[-1]
        item.entries.append(Entry(level=level, text=rest))
        self.entries += 1


def recognise_narrative(source: SourceDocument, template: Template | None = None, *, office: str | None = None,
                        roc_year: int | None = None, require_year: bool = True) -> ImportResult | None:
    """The report in ``source``'s paragraphs under a narrative template; None when they hold no
    top-level heading of one."""
    paragraphs = source_paragraphs(source)
    path = source.path
    for candidate in narrative_templates(template):
        builder = NarrativeBuilder(source, candidate)
        builder.styled = any(p.heading is not None for p in paragraphs)
        for paragraph in paragraphs:
            builder.paragraph(paragraph)
        if not builder.started:
            continue
        report = builder.report
        if builder.entries == 0:
            raise ReportError(f"文件中有「{candidate.levels[0].name}」的標題，但沒有任何內容段落", path)
        _finish(builder, report, source.texts + builder.meta_texts, path, office, roc_year, require_year)
        return ImportResult(report, builder.warnings, department_counts(report), path, builder.year_found)
    return None


def _finish(builder: NarrativeBuilder, report: Report, texts: Sequence[str], path, office, roc_year,
            require_year) -> None:
    meta = find_template_meta(list(texts), builder.template, path.stem)
    builder.year_found = apply_meta(
        report, meta, lambda message: builder.warn("", message), office=office, roc_year=roc_year,
        require_year=require_year, path=path, office_example="嘉義市政府",
        year_missing="找不到報告年度（如封面的「113 年度」），請在檔案中加上後再匯入")


__all__ = ["NarrativeBuilder", "recognise_narrative", "source_paragraphs"]
