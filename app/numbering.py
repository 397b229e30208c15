"""Derived numbering (壹、 一、 (一) 1. (1)) and stripping of typed numbering.

Numbers are never stored: they follow from a node's position and the report's
numbering style.  A style names the five levels' formats; ``standard`` is the
seed's 壹、/一、/(一)/1./(1), ``comma`` uses ``1、`` at the fourth level as many
offices do.

Report templates (app/templates.py) number their levels with
:func:`format_number`: a numbering system (:data:`NUMBER_SYSTEMS` — 大寫 壹 貳
參 … 拾壹 貳拾 壹佰, 一 二 … 二十一 三十 一百零一, 天干 甲 乙, 1 2 3, A B C, none)
and its punctuation (:data:`PUNCTUATION` — 、 . ． () （） or bare).  The
default template's levels give exactly the ``standard`` style's numbers.

:func:`strip_prefix` removes a numbering prefix typed or pasted into a text
(``1.`` ``1、`` ``1．`` ``(1)`` ``（1）`` ``一、`` ``(一)`` ``壹、``, half- or
full-width, with or without spaces) and says which level it was.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from .levels import LEVEL_ITEM, LEVEL_PARAGRAPH, LEVEL_SUBITEM

_DIGITS = "零一二三四五六七八九"
_FINANCIAL_DIGITS = "零壹貳參肆伍陸柒捌玖"


_UNITS = ("", "十", "百", "千")
_FINANCIAL_UNITS = ("", "拾", "佰", "仟")
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _chinese(n: int, digits: str, units: tuple[str, str, str, str]) -> str:
    """1–9999 in Chinese numerals: 十一 (a lone 十 for 10–19), 二十一, 一百零一, 一百一十五,
    一千零五十; 10000 and more stay Arabic digits (no report numbers that far)."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    if n >= 10000:
        return str(n)
    if n < 20 and n >= 10:
        return units[1] + (digits[n % 10] if n % 10 else "")
    text = ""
    zero = False
    figures = str(n)
    for place, figure in zip(range(len(figures) - 1, -1, -1), figures):
        d = int(figure)
        if d == 0:
            zero = bool(text)
            continue
        if zero:  # 一百零一, 一千零五十: one 零 for any run of zeros inside
            text += digits[0]
            zero = False
        text += digits[d] + units[place]
    return text


def chinese_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 21 → 二十一, 30 → 三十, 110 → 一百一十, 1005 → 一千零五."""
    return _chinese(n, _DIGITS, _UNITS)


def financial_numeral(n: int) -> str:
    """1 → 壹, 7 → 柒, 11 → 拾壹, 20 → 貳拾 (大寫, the 類 numbering), 110 → 壹佰壹拾."""
    return _chinese(n, _FINANCIAL_DIGITS, _FINANCIAL_UNITS)


def stem_numeral(n: int) -> str:
    """The 天干 甲 乙 丙 … 癸 (1–10) of an extra level such as 甲、自治行政業務.

    There are only ten; past 癸 the count goes on in Chinese numerals (十一,
    十二 …) rather than start the 干支 cycle (甲子 would read as a different level)."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    return _STEMS[n - 1] if n <= len(_STEMS) else chinese_numeral(n)


def latin_numeral(n: int, *, upper: bool = True) -> str:
    """1 → A, 26 → Z, 27 → AA (as spreadsheet columns)."""
    if n <= 0:
        raise ValueError(f"numbering starts at 1, got {n}")
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A" if upper else "a") + rest) + text
    return text


# Numbering systems a template level can use (app/templates.py), by name.
NUMBER_SYSTEMS: dict[str, tuple[str, Callable[[int], str]]] = {
    "financial": ("壹 貳 參（大寫）", financial_numeral),
    "chinese": ("一 二 三", chinese_numeral),
    "stem": ("甲 乙 丙（天干）", stem_numeral),
    "arabic": ("1 2 3", str),
    "latin_upper": ("A B C", latin_numeral),
    "latin_lower": ("a b c", lambda n: latin_numeral(n, upper=False)),
    "none": ("不編號", lambda n: ""),
}
# Punctuation around a number: 壹、 1. 1． (一) （一） and a bare number (項次 1 2 3).
PUNCTUATION: dict[str, str] = {
    "、": "{n}、",
    ".": "{n}.",
    "．": "{n}．",
    "()": "({n})",
    "（）": "（{n}）",
    "": "{n}",
}


def format_number(n: int, system: str, punctuation: str) -> str:
    """The ``n``-th number of a level: ``format_number(3, "financial", "、")`` → 參、,
    ``format_number(1, "chinese", "（）")`` → （一）, ``format_number(2, "arabic", "、")`` → 2、."""
    digits = NUMBER_SYSTEMS[system][1](n)
    if not digits:
        return ""
    return PUNCTUATION[punctuation].format(n=digits)


@dataclass(frozen=True)
class NumberingStyle:
    name: str
    label: str
    department: str  # format strings taking {n}
    section: str
    item: str
    entry: str
    subitem: str

    def department_number(self, n: int) -> str:
        return self.department.format(n=financial_numeral(n))

    def section_number(self, n: int) -> str:
        return self.section.format(n=chinese_numeral(n))

    def item_number(self, n: int) -> str:
        return self.item.format(n=chinese_numeral(n))

    def entry_number(self, level: int, n: int) -> str:
        if level == LEVEL_ITEM:
            return self.entry.format(n=n)
        if level == LEVEL_SUBITEM:
            return self.subitem.format(n=n)
        return ""


STYLES: dict[str, NumberingStyle] = {
    style.name: style
    for style in (
        NumberingStyle("standard", "壹、 一、 (一) 1. (1)", "{n}、", "{n}、", "({n})", "{n}.", "({n})"),
        NumberingStyle("comma", "壹、 一、 (一) 1、 (1)", "{n}、", "{n}、", "({n})", "{n}、", "({n})"),
    )
}
DEFAULT_STYLE = "standard"


def style_named(name: str | None) -> NumberingStyle:
    return STYLES.get(name or DEFAULT_STYLE, STYLES[DEFAULT_STYLE])


def entry_numbers(levels: Iterable[int], style: NumberingStyle | str | None = None) -> list[str]:
    """The number shown before each entry of one 目, in order.

    Level-1 items count 1, 2, 3 … through the 目 (a plain paragraph between
    them does not restart the count); level-2 sub-items count (1), (2) …
    and restart after every item.
    """
    if not isinstance(style, NumberingStyle):
        style = style_named(style)
    numbers: list[str] = []
    item_count = 0
    sub_count = 0
    for level in levels:
        if level == LEVEL_ITEM:
            item_count += 1
            sub_count = 0
            numbers.append(style.entry_number(LEVEL_ITEM, item_count))
        elif level == LEVEL_SUBITEM:
            sub_count += 1
            numbers.append(style.entry_number(LEVEL_SUBITEM, sub_count))
        else:
            numbers.append("")
    return numbers


def item_numbers(numbered_flags: Sequence[bool], style: NumberingStyle | str | None = None) -> list[str]:
    """Numbers of the 目 of one 項: (一) (二) …; an unnumbered 目 gets none."""
    if not isinstance(style, NumberingStyle):
        style = style_named(style)
    numbers = []
    count = 0
    for numbered in numbered_flags:
        if numbered:
            count += 1
            numbers.append(style.item_number(count))
        else:
            numbers.append("")
    return numbers


# --- stripping typed numbering -------------------------------------------------

PREFIX_DEPARTMENT = "department"
PREFIX_SECTION = "section"
PREFIX_ITEM = "item"
PREFIX_ENTRY = "entry"
PREFIX_SUBITEM = "subitem"

_SP = r"[ \t\u3000]*"
_CN = "零一二三四五六七八九十百"
_FIN = "零壹貳參叁肆伍陸柒捌玖拾佰"
# Order matters: parenthesised forms before bare ones, financial before plain.
_PREFIXES: list[tuple[str, re.Pattern[str]]] = [
    (PREFIX_ITEM, re.compile(rf"^{_SP}[(（]{_SP}[{_CN}]+{_SP}[)）]{_SP}[、.．]?{_SP}")),
    (PREFIX_SUBITEM, re.compile(rf"^{_SP}[(（]{_SP}\d{{1,3}}{_SP}[)）]{_SP}[、.．]?{_SP}")),
    (PREFIX_DEPARTMENT, re.compile(rf"^{_SP}[{_FIN}]+{_SP}[、，,]{_SP}")),
    (PREFIX_SECTION, re.compile(rf"^{_SP}[{_CN}]+{_SP}[、，,]{_SP}")),
    # "1." but not "1.5 萬"; "1、" "1．"; "1)" as typed by some.
    (PREFIX_ENTRY, re.compile(rf"^{_SP}\d{{1,3}}{_SP}(?:[、．]|\.(?!\d)|[)）]){_SP}")),
]

_ENTRY_LEVEL = {PREFIX_ENTRY: LEVEL_ITEM, PREFIX_SUBITEM: LEVEL_SUBITEM}


def _normalise_digits(text: str) -> str:
    # Full-width digits (１２３) count as digits for prefixes.
    return "".join(unicodedata.normalize("NFKC", ch) if "０" <= ch <= "９" else ch for ch in text)


def strip_prefix(text: str) -> tuple[str | None, str]:
    """``(kind, rest)``: the kind of numbering prefix found (or None) and the text without it.

    ``kind`` is one of ``department`` (壹、), ``section`` (一、), ``item``
    ((一)), ``entry`` (1.) and ``subitem`` ((1)).
    """
    probe = _normalise_digits(text)
    for kind, pattern in _PREFIXES:
        match = pattern.match(probe)
        if match and match.end() < len(probe):
            return kind, text[match.end():].lstrip()
        if match and match.end() == len(probe):
            # A bare number with nothing after it is not a prefix of anything.
            return None, text
    return None, text


def strip_numbering(text: str) -> str:
    """The text without a typed numbering prefix (any level)."""
    return strip_prefix(text)[1]


def split_entry_text(text: str, default_level: int = LEVEL_PARAGRAPH) -> tuple[int, str]:
    """For text typed or pasted into 辦理情形: ``(level, text)`` without its number.

    ``1.`` / ``1、`` → level 1, ``(1)`` / ``（1）`` → level 2; anything else keeps
    ``default_level``.  Chinese-numeral prefixes are stripped too but keep the
    default level (a pasted ``(一)`` is a heading the clerk typed by habit).
    """
    kind, rest = strip_prefix(text)
    if kind is None:
        return default_level, text.strip()
    return _ENTRY_LEVEL.get(kind, default_level), rest.strip()


def spaced_name(name: str) -> str:
    """``民政部門`` → ``民 政 部 門`` (the divider page of a department)."""
    return " ".join(name.replace(" ", ""))


# A number typed at the start of a text, by system (the digits a clerk may type for it).
_TYPED_DIGITS = {
    "financial": "[壹貳參叁肆伍陸柒捌玖拾佰仟零]+",
    "chinese": "[一二三四五六七八九十百千零〇]+",
    "stem": "[甲乙丙丁戊己庚辛壬癸]",
    "arabic": "[0-9０-９]+",
    "latin_upper": "[A-ZＡ-Ｚ]{1,2}",
    "latin_lower": "[a-zａ-ｚ]{1,2}",
}
# …and its punctuation, half- or full-width as typed.
_TYPED_PUNCTUATION = {
    "、": "{n}[、，,]", ".": "{n}[.．](?![0-9０-９])", "．": "{n}[.．](?![0-9０-９])",
    "()": "[(（]{n}[)）]", "（）": "[(（]{n}[)）]",
}


def split_typed_number(text: str, formats) -> tuple[int | None, str]:
    """``(level, rest)`` when ``text`` starts with a number typed in one of ``formats``
    (a numbered text column's levels, from level 1 down: 一、 (一) 1. (1)); ``(None, text)``
    otherwise.  The level is the first format the prefix fits (「(一)」 in 一、 (一) 1. (1) is 2)."""
    for level, number_format in enumerate(formats, start=1):
        digits = _TYPED_DIGITS.get(number_format.system)
        shape = _TYPED_PUNCTUATION.get(number_format.punctuation)
        if digits is None or shape is None:
            continue
        match = re.match(r"\s*" + shape.format(n=digits) + r"\s*", text)
        if match and match.end() < len(text):
            return level, text[match.end():]
    return None, text
