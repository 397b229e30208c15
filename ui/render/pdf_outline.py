"""What QPdfWriter cannot write: outline, 目錄 links, page labels, metadata.

Qt's PDF writer has no API for bookmarks, links or page labels, so after the
pages are painted (:mod:`ui.render.pdf`) this module opens the file with
pypdf and adds (docs/export-word-pdf.md):

* **bookmarks** — one per department (``一、民政部門``, to its divider page)
  with one child per 項 (``一、一般民政``, to the top of the row where its
  cell opens);
* **links** — every 目錄 line is a link to the page whose number it prints;
* **page labels** (``/PageLabels``) — a viewer shows the printed page numbers:
  table pages (and the blank pages counted between them) in Arabic numerals
  as printed, the cover and 目錄 in lower-case Roman numerals, and a divider
  that carries no printed number is labelled with its department's name;
* **metadata** — title ``{office} {year} 年度工作總報告``, the office as author,
  ``{year} 年度工作總報告`` as subject, ``/Lang (zh-TW)`` in the catalogue, the
  title shown in the window (``DisplayDocTitle``) and the outline opened;
* **text extraction line by line** — Qt writes every piece of a line in a
  text object of its own that first sets ``1 0 0 -1 0 0 Tm`` and then moves
  with ``x y Td``; text extractors take that jump to the origin for a new
  line and cut ``共 23 件`` into three lines.  The two operators are folded
  into the one equivalent ``1 0 0 -1 x -y Tm`` (the same glyphs on the same
  spot), so a cell's lines come out as lines, cell after cell in painting order.

What is where is not guessed from the page texts: the painter records it
while it paints (:class:`PageMarks`, filled through ``_Canvas.mark``): which
physical page holds which divider, which table page, which printed number,
and where each 目錄 line is.  pypdf is pure Python (no compiled parts) and a
run-time dependency of the program for this.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGE = "zh-TW"


@dataclass
class PageMarks:
    """What the painter put on each physical page (0-based page indexes)."""

    plan: Any = None  # the app.pages.ReportPlan painted
    items: list[tuple[int, str, Any]] = field(default_factory=list)

    def start(self, plan) -> list[tuple[int, str, Any]]:
        self.plan = plan
        self.items = []
        return self.items

    def of_kind(self, kind: str) -> list[tuple[int, Any]]:
        return [(page, value) for page, k, value in self.items if k == kind]


# ---------------------------------------------------------------------------
# Page labels


def page_labels(page_count: int, marks: PageMarks) -> list[tuple[int, str | None, str | None, int]]:
    """``(first page index, style, prefix, start)`` ranges covering every page.

    A page with a printed number is labelled with it; a page without one
    after the first numbered page is a counted blank page (the number after
    the previous one) unless it is a divider, which is labelled with its
    department's name; the pages before (cover, 目錄, padding) are i, ii, …
    """
    numbers: dict[int, int] = {}
    for page, number in marks.of_kind("number"):
        numbers[page] = int(number)
    for page, number in marks.of_kind("counted"):  # a counted blank page: its number, unprinted
        numbers[page] = int(number)
    # a divider and its blank back: the department's name
    dividers = {page: department.block.name
                for page, department in marks.of_kind("divider") + marks.of_kind("divider_back")}
    labels: list[tuple[str, str | None, int]] = []  # (style, prefix, value) per page
    previous: int | None = None
    for page in range(page_count):
        if page in numbers:
            previous = numbers[page]
            labels.append(("/D", None, previous))
        elif page in dividers:
            labels.append(("", dividers[page], 0))
        elif previous is None:
            labels.append(("/r", None, page + 1))
        else:
            previous += 1
            labels.append(("/D", None, previous))
    ranges: list[tuple[int, str | None, str | None, int]] = []
    for page, (style, prefix, value) in enumerate(labels):
        if ranges and page > 0:
            last_style, last_prefix, last_value = labels[page - 1]
            continues = style == last_style and style != "" and prefix == last_prefix and value == last_value + 1
            if continues:
                continue
        ranges.append((page, style or None, prefix, value))
    return ranges


# ---------------------------------------------------------------------------
# The content stream fix for text extraction

_QT_TEXT_POSITION = re.compile(rb"1 0 0 -1 0 0 Tm\s+(-?[0-9.]+) (-?[0-9.]+) Td")


def _fold_text_position(match: re.Match) -> bytes:
    x, y = match.group(1), match.group(2)
    y = y[1:] if y.startswith(b"-") else b"-" + y
    return b"1 0 0 -1 " + x + b" " + y + b" Tm"


def fold_text_positions(data: bytes) -> bytes:
    """``1 0 0 -1 0 0 Tm x y Td`` → ``1 0 0 -1 x -y Tm`` (Td translates the line matrix)."""
    return _QT_TEXT_POSITION.sub(_fold_text_position, data)


# ---------------------------------------------------------------------------
# The post-processing


def open_to_finish(path: str):
    """A pypdf writer on the PDF Qt wrote at ``path``, its text positions folded (fold_text_positions)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        contents = page.get_contents()
        if contents is None:
            continue
        data = contents.get_data()
        folded = fold_text_positions(data)
        if folded != data:
            contents.set_data(folded)
            page.replace_contents(contents)
    return writer


def save_finished(writer, path: str, labels, *, title: str, author: str, subject: str, creator: str) -> None:
    """What every PDF the program writes carries, then the file rewritten in place: /PageLabels
    from ``labels`` ((first page, style, prefix, start), as :func:`page_labels` gives them: a
    number tree whose ranges each run to the next one's start), the document information, the
    catalogue's /Lang, the title shown in the viewer and the outline open."""
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    nums = ArrayObject()
    for first, style, prefix, start in labels:
        label = DictionaryObject()
        if style:
            label[NameObject("/S")] = NameObject(style)
            if start != 1:
                label[NameObject("/St")] = NumberObject(start)
        if prefix:
            label[NameObject("/P")] = TextStringObject(prefix)
        nums.extend([NumberObject(first), label])
    labels_tree = DictionaryObject()
    labels_tree[NameObject("/Nums")] = nums
    root = writer._root_object
    root[NameObject("/PageLabels")] = writer._add_object(labels_tree)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": creator})
    root[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    preferences = DictionaryObject()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    root[NameObject("/ViewerPreferences")] = preferences
    writer.page_mode = "/UseOutlines"
    temporary = path + ".outline"
    with open(temporary, "wb") as out:
        writer.write(out)
    os.replace(temporary, path)


def finish(path: Path | str, marks: PageMarks, *, title: str, author: str, subject: str, creator: str) -> None:
    """Add outline, links, page labels and metadata to the PDF at ``path`` (rewritten in place)."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    path = str(path)
    writer = open_to_finish(path)
    plan = marks.plan
    g = plan.geometry
    pages = writer.pages
    count = len(pages)

    def height(index: int) -> float:
        return float(pages[index].mediabox.height)

    def scale(index: int) -> float:
        """PDF units per point of the plan (1 for A4 in points)."""
        return height(index) / g.height

    dividers = {id(department): page for page, department in marks.of_kind("divider")}
    table_pages = {id(table_page): page for page, table_page in marks.of_kind("table")}
    numbers = {page: int(number) for page, number in marks.of_kind("number")}

    def numbered_page(department) -> int | None:
        """The physical page printed with the department's 目錄 number (its divider or first table page)."""
        candidates = [dividers.get(id(department))] + [table_pages.get(id(p)) for p in department.pages]
        for page in candidates:
            if page is not None and numbers.get(page) == department.start_page:
                return page
        return next((page for page in candidates if page is not None), None)

    # Bookmarks: department → 項
    body_top = g.margin + plan.header_height
    for department in plan.departments:
        divider = dividers.get(id(department))
        target = divider if divider is not None else numbered_page(department)
        if target is None:
            continue
        parent = writer.add_outline_item(title=department.block.toc_label, page_number=target,
                                         fit=Fit.fit(), is_open=False)
        for box in department.rows:
            body = box.body
            if not body.opens_section or body.section is None:
                continue
            table_page = next((p for p in department.pages if p.first <= box.start < p.last), None)
            page = table_pages.get(id(table_page)) if table_page is not None else None
            if page is None:
                continue
            top = body_top + table_page.boundary(box.start, g)
            s = scale(page)
            writer.add_outline_item(title=body.section.label, page_number=page, parent=parent,
                                    fit=Fit.xyz(left=0, top=height(page) - (top - g.line_height) * s, zoom=None))

    # 目錄 lines link to their pages
    for page, (department, top, bottom) in marks.of_kind("toc"):
        target = numbered_page(department)
        if target is None:
            continue
        s = scale(page)
        rect = (g.margin * s, height(page) - bottom * s, (g.width - g.margin) * s, height(page) - top * s)
        writer.add_annotation(page, Link(rect=rect, target_page_index=target, fit=Fit.xyz(left=0, top=height(target), zoom=None)))

    save_finished(writer, path, page_labels(count, marks), title=title, author=author, subject=subject,
                  creator=creator)
