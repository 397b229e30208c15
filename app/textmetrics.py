"""Text metrics: how wide a character is and where a line breaks.

One model of setting text, used by every paged export (docx, odt, the
program's PDF and print preview, through :mod:`app.pages`): Times New Roman
advance widths for ASCII (Liberation Serif is metric compatible), one em for
East Asian wide characters, kinsoku (no line starting with closing or ending
with opening punctuation), LibreOffice's automatic space where an ideograph
meets a Latin letter or digit, and Latin words that move whole to the next
line; optionally a hanging indent (``wrap(hanging=…)``, lines after a
paragraph's first narrower by it).  docs/official-layout.md and docs/export-word-pdf.md say where the
figures come from and how they were calibrated against the published report.

Pure Python, no Qt; widths are in em (multiply by the font size in points).
"""
from __future__ import annotations

import unicodedata
from typing import Callable, Iterator

Advance = Callable[[str], float]

# Advance widths of Times New Roman (= Liberation Serif, metric compatible)
# for ASCII 32..126, in thousandths of an em.
_TNR_ASCII = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
    921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
    556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
    333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
    500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
)


def model_advance(char: str) -> float:
    """Width of ``char`` in em as Word/LibreOffice set it (TNR ASCII, CJK full width)."""
    code = ord(char)
    if 32 <= code <= 126:
        return _TNR_ASCII[code - 32] / 1000
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return 1.0
    return 0.5


# Kinsoku: a line may not start with closing punctuation nor end with opening
# punctuation.  Word (with ``overflowPunct`` off, as written here) and
# LibreOffice then carry the last character of the line along to the next
# line rather than letting the punctuation hang into the margin.
_NO_LINE_START = frozenset("，。、；：！？）」』】〉》﹞％…,.;:!?)]}%")
_NO_LINE_END = frozenset("（「『【〈《﹝([{")


def tokens(text: str) -> Iterator[str]:
    """Unbreakable pieces: runs of printable ASCII, runs of spaces, single other chars."""
    start = 0
    n = len(text)
    while start < n:
        char = text[start]
        end = start + 1
        if char == " ":
            while end < n and text[end] == " ":
                end += 1
        elif "!" <= char <= "~":
            # a Latin word; a line may break after a hyphen inside it (COVID-/19)
            while end < n and "!" <= text[end] <= "~" and not (text[end - 1] == "-" and end - start > 1):
                end += 1
        elif char in _NO_LINE_START and end < n and text[end].isascii() and text[end].isalnum():
            # no break between closing punctuation and a following number
            # (，3115 stays together in LibreOffice)
            while end < n and "!" <= text[end] <= "~":
                end += 1
        yield text[start:end]
        start = end


# Word and LibreOffice put a little space where an ideograph meets a Latin
# letter or digit (Word's autoSpaceDE/DN; LibreOffice applies it whatever
# the document says).  LibreOffice's amount is a fifth of an em; the page
# model adds it between such neighbours on one line.
AUTOSPACE_EM = 0.2
# A space after Asian text takes the Asian font in LibreOffice: half an em
# in 標楷體 and in TW-Kai (全字庫正楷體), the Kai font a Linux fontconfig maps
# 標楷體 to.  (Word sets every space in the ASCII font, Times New Roman,
# a quarter em: docs/export-word-pdf.md, known limits.)
CJK_SPACE_EM = 0.5


def script(char: str) -> int:
    """1 for an ideograph/kana, 2 for a Latin letter or digit, 0 for anything else."""
    category = unicodedata.category(char)
    if category[0] not in "LN":
        return 0
    return 1 if unicodedata.east_asian_width(char) in ("W", "F") else 2


def token_widths(pieces: list[str], advance: Advance) -> list[tuple[float, float]]:
    """(width, gap before it) of each token; the gap is dropped at a line start."""
    result: list[tuple[float, float]] = []
    previous = 0
    asian = False  # a space after Asian text is set in the Asian font
    for token in pieces:
        width = 0.0
        lead = 0.0
        for i, char in enumerate(token):
            if char == " ":
                width += CJK_SPACE_EM if asian else advance(char)
                previous = 0
                continue
            asian = unicodedata.east_asian_width(char) in ("W", "F")
            kind = script(char)
            gap = AUTOSPACE_EM if previous and kind and previous != kind else 0.0
            if i == 0:
                lead = gap
            else:
                width += gap
            width += advance(char)
            previous = kind
        result.append((width, lead))
    return result


def text_width(text: str, advance: Advance = model_advance) -> float:
    """Width of ``text`` set on one line, in em (spaces and automatic spacing included)."""
    measures = token_widths(list(tokens(text)), advance)
    return sum(width + lead for width, lead in measures) - (measures[0][1] if measures else 0.0)


def wrap(text: str, width_em: float, advance: Advance = model_advance, hanging: float = 0.0) -> list[str]:
    """The lines ``text`` takes in a box ``width_em`` wide; ``\\n`` forces a break.

    ``hanging`` (em) indents every line of a paragraph but its first (a
    hanging indent: the lines of a numbered item under its text, not under
    its number)."""
    lines: list[str] = []
    full = width_em + 1e-9
    for paragraph in text.split("\n"):
        limit = full
        pieces = list(tokens(paragraph))
        measures = token_widths(pieces, advance)
        if any(width > limit and len(piece) > 1 for piece, (width, _) in zip(pieces, measures)):
            # a Latin word longer than the box is broken anywhere
            pieces = [part for piece, (width, _) in zip(pieces, measures)
                      for part in (list(piece) if width > limit and len(piece) > 1 else [piece])]
            measures = token_widths(pieces, advance)
        line: list[int] = []  # piece indexes
        used = 0.0
        for index, piece in enumerate(pieces):
            width, lead = measures[index]
            if not line:
                lead = 0.0
            if used + lead + width <= limit or piece[0] == " " or not line:
                line.append(index)  # trailing spaces may pass the edge
                used += lead + width
                continue
            carried = [index]
            # closing punctuation takes the previous piece along (and that one
            # may itself be closing punctuation: 號）。 moves as a whole)
            while (len(line) > 1 and pieces[line[-1]][0] != " "
                   and pieces[carried[0]][0] in _NO_LINE_START):
                carried.insert(0, line.pop())
            while len(line) > 1 and pieces[line[-1]] in _NO_LINE_END:
                carried.insert(0, line.pop())
            lines.append("".join(pieces[i] for i in line).rstrip(" "))
            limit = full - hanging
            line = carried
            used = sum(measures[i][0] + measures[i][1] for i in line) - measures[line[0]][1]
        lines.append("".join(pieces[i] for i in line).rstrip(" "))
    return lines


def positioned_runs(line: str, advance: Advance = model_advance) -> list[tuple[float, str]]:
    """(x in em, text) pieces of a line, placed as :func:`wrap` measured them:
    split at spaces and where ideographs meet Latin letters or digits."""
    runs: list[tuple[float, str]] = []
    x = 0.0
    start: float | None = None
    text: list[str] = []
    previous = 0
    asian = False

    def close() -> None:
        nonlocal text, start
        if text and start is not None:
            runs.append((start, "".join(text)))
        text, start = [], None

    for char in line:
        if char == " ":
            close()
            x += CJK_SPACE_EM if asian else advance(char)
            previous = 0
            continue
        kind = script(char)
        if previous and kind and previous != kind:
            close()
            x += AUTOSPACE_EM
        asian = unicodedata.east_asian_width(char) in ("W", "F")
        if start is None:
            start = x
        text.append(char)
        x += advance(char)
        previous = kind
    close()
    return runs
