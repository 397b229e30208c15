"""校對: the slips a section chief marks on paper, found in the report's text.

The engine half of issue 18 (no Qt).  :func:`check` runs every rule over a
report and returns located :class:`Finding` s — which node and field, the
character offsets of the suspicious text, a suggestion (or None), the rule,
a level (建議 / 可能錯誤), one zh-TW sentence and where it is
(「壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆」, built as
app/validate.py builds it).  :class:`Proofreader` keeps the findings of an
open report and, given each change record (app/changes.py), re-checks only
the nodes it touched.

Rules (each a small table in resources/proofread/ or a small function here;
docs/proofreading.md says how to extend them):

==================  ========================================================
doubled             a character or word written twice that is not a
                    legitimate reduplication (whitelist: 常常 人人 …)
phrase              a fixed official phrase with exactly one character
                    replaced by a near-homophone / look-alike (confusion table)
tai                 台/臺 in the terms of tai.txt: one form per report (臺 by default)
width               full-width and half-width digits or punctuation mixed
spacing             spaces between CJK and digits used inconsistently
simplified          a simplified character in Traditional text (OpenCC s2tw)
date                an ROC date that cannot be (13 月, 2 月 30 日), a 民國 year
                    far from the report's
completion          完成程度 100% but the text says 未完成 / 辦理中
duplicate-title     two 目 with the same title in one 項
duplicate-entry     an entry identical to another in the same 目
==================  ========================================================

Keys (for 忽略): a finding's ``key`` is ``rule|before[text]after`` — the rule,
the suspicious text and up to :data:`CONTEXT` characters either side in the
field's value — never a node id, so an ignore survives unrelated edits,
reordering, package export and merge, and rollover (which gives every node a
new id).  The same slip in the same words elsewhere shares the key, and one
忽略 covers both: that is deliberate (the same decision applies).  Editing
the words right around the slip makes it a new finding, which is also right.

A report of a non-default template (issue 19) is proofread by its template
(app/places.py): its levels' titles, and in each row its text, numbered-text
and unit columns (a finding's ``field`` is the column key, 「results」; keys are
built the same way, so they stay stable across edits).

Ignoring is an operation (:class:`IgnoreFinding`, :class:`UnignoreFinding`)
stored in the report file (migration 0005), so it is undoable and travels
with packages (app/packages.py) and rollover (app/rollover.py).  Words never
flagged come from the report (``Report.proofread_words``, :class:`SetWords`),
the user's own list (:func:`user_words_path`, a plain text file, one word a
line) and whatever the caller passes as ``words``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .edits import Edits
from .errors import ReportError, os_reason
from .layout import layout
from .model import Department, Entry, Item, Report, Section, field_label, get_field
from .operations import Operation
from .paths import user_data_dir
from .person import now_iso
from .places import LevelPlace, walk
from .resources import PROOFREAD_DIR, resource_path

if TYPE_CHECKING:
    from .changes import Changes
    from .templates import Template

SUGGESTION = "建議"
POSSIBLE_ERROR = "可能錯誤"
LEVELS = (SUGGESTION, POSSIBLE_ERROR)
#: Characters either side of the suspicious text that make up its key.
CONTEXT = 4
#: Fields checked, per node kind.
TEXT_FIELDS = {"department": ("name",), "section": ("title",), "item": ("title",), "entry": ("text", "remark")}
RULE_LABEL = {
    "doubled": "重複字詞", "phrase": "固定用語", "tai": "台/臺", "width": "全形半形", "spacing": "空格",
    "simplified": "簡體字", "date": "日期", "completion": "完成程度", "duplicate-title": "目名稱重複",
    "duplicate-entry": "辦理情形重複",
}


@dataclass(frozen=True)
class Finding:
    node_id: str
    field: str  # 'text' | 'title' | 'name' | 'remark'
    start: int
    end: int
    text: str  # value[start:end]
    suggestion: str | None
    rule: str
    level: str  # 建議 / 可能錯誤
    message: str
    where: str
    key: str


def finding_key(rule: str, value: str, start: int, end: int) -> str:
    """The stable key of a finding of ``rule`` at value[start:end] (see the module docstring)."""
    return f"{rule}|{value[max(0, start - CONTEXT):start]}[{value[start:end]}]{value[end:end + CONTEXT]}"


# --- where things are ------------------------------------------------------------


@dataclass
class _Place:
    node: Department | Section | Item | Entry
    where: str
    section: Section | None = None
    item: Item | None = None
    fields: tuple[str, ...] = ()  # a non-default template's entry: its text and unit column keys


def _text_fields(place: _Place) -> tuple[str, ...]:
    return place.fields or TEXT_FIELDS[place.node.kind]


def _value(node: Department | Section | Item | Entry, name: str) -> str:
    value = get_field(node, name)
    return value if isinstance(value, str) else ""


def _template_places(report: Report) -> dict[str, _Place]:
    """A non-default template's places (app/places.py): its levels' titles, and in each row
    the text, unit and remark columns (a finding's ``field`` is the column key)."""
    template = report.template
    keys = tuple(c.key for c in template.stored_columns
                 if c.type in ("text", "numbered_text", "unit"))
    places: dict[str, _Place] = {}
    for place in walk(report, template):
        if isinstance(place, LevelPlace):
            node = place.node
            places[node.id] = _Place(node, place.where, fields=("name",) if node.kind == "department" else ("title",))
        else:
            places[place.entry.id] = _Place(place.entry, f"{place.where} › 第 {place.index} 筆", None, place.item, keys)
    return places


def _places(report: Report) -> dict[str, _Place]:
    """Every node's 「壹、民政部門 › … › 第 2 筆」, as app/validate.py writes it."""
    if not report.template.is_default:
        return _template_places(report)
    places: dict[str, _Place] = {}
    for block in layout(report).departments:
        dep_where = block.label
        places[block.department.id] = _Place(block.department, dep_where)
        for section_block in block.sections:
            sec_where = f"{dep_where} › {section_block.label}"
            section = section_block.section
            places[section.id] = _Place(section, sec_where, section)
            for item_block in section_block.items:
                item = item_block.item
                item_where = f"{sec_where} › {item_block.label}"
                places[item.id] = _Place(item, item_where, section, item)
                for n, entry in enumerate(item.entries, start=1):
                    places[entry.id] = _Place(entry, f"{item_where} › 第 {n} 筆", section, item)
    return places


# --- the rules -------------------------------------------------------------------


@dataclass
class _Context:
    """What the rules of one check share: the report, the words never flagged."""

    report: Report
    words: frozenset[str]
    places: dict[str, _Place]
    #: Findings made before, by what they are made of (the Proofreader's report-wide rules reuse them).
    memo: dict[tuple, Finding] = field(default_factory=dict)
    #: value → its s2tw conversion, filled in one OpenCC call for a whole check (see _prefetch).
    converted: dict[str, str] = field(default_factory=dict)
    #: node id → its position in the report (for sorting), made from ``order_of`` (the places it was made for)
    order: dict[str, int] | None = None
    order_of: dict[str, _Place] | None = None

    def protected(self, value: str) -> list[tuple[int, int]]:
        """Spans of ``value`` covered by a word of the word lists."""
        spans = []
        for word in self.words:
            start = value.find(word)
            while start >= 0:
                spans.append((start, start + len(word)))
                start = value.find(word, start + 1)
        return spans


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    suggestion: str | None
    rule: str
    level: str
    message: str


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_cjk(char: str) -> bool:
    return bool(char) and _CJK_CHAR.match(char) is not None


# --- the data tables (resources/proofread/*.txt) ---------------------------------


def _lines(name: str) -> list[str]:
    """The words of one data file: whitespace-separated, '#' starts a comment."""
    words: list[str] = []
    with open(resource_path(*PROOFREAD_DIR, name), encoding="utf-8-sig") as handle:
        for line in handle:
            words.extend(line.split("#", 1)[0].split())
    return words


@dataclass(frozen=True)
class _Tables:
    reduplications: frozenset[str]
    doubled_next: tuple[str, ...]
    #: wrong form → (correct phrase, index of the wrong character or -1 for a missing one, "end" only)
    variants: dict[str, tuple[str, int, bool]]
    variant_pattern: re.Pattern[str]  # every variant, longest first, as a lookahead (overlapping matches)
    phrases: frozenset[str]
    phrase_lengths: tuple[int, ...]
    tai_terms: tuple[tuple[str, str], ...]  # (official 臺 form, 台 form)
    traditional_too: frozenset[str]
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The rule tables, read once from resources/proofread/ (a clerk may extend them)."""
    confusable: dict[str, set[str]] = {}
    for group in _lines("confusions.txt"):
        for char in group:
            confusable.setdefault(char, set()).update(c for c in group if c != char)
    phrases = frozenset(_lines("phrases.txt"))
    variants: dict[str, tuple[str, int, bool]] = {}
    for phrase in sorted(phrases, key=len):
        for i, char in enumerate(phrase):
            for other in sorted(confusable.get(char, ())):
                variant = phrase[:i] + other + phrase[i + 1:]
                if variant not in phrases:
                    variants.setdefault(variant, (phrase, i, False))
        if len(phrase) >= 5:
            for i in range(1, len(phrase) - 1):
                variant = phrase[:i] + phrase[i + 1:]
                if variant not in phrases:
                    variants.setdefault(variant, (phrase, -1, False))
        if len(phrase) >= 5:
            variant = phrase[:-1]  # 「貫徹考試用」 for 「貫徹考試用人」 (judged by what follows it)
            if not any(variant in other for other in phrases if other != phrase):
                variants.setdefault(variant, (phrase, -1, True))
    # A "variant" that is itself part of a correct phrase is no slip; a missing
    # last character is judged by what follows it (see _rule_phrase).
    for phrase in phrases:
        for variant in [v for v, (_, _, at_end) in variants.items() if not at_end and v in phrase]:
            del variants[variant]
    terms = tuple((term, term.replace("臺", "台")) for term in _lines("tai.txt") if "臺" in term)
    return _Tables(
        phrase_lengths=tuple(sorted({len(p) for p in phrases})),
        reduplications=frozenset(_lines("reduplications.txt")),
        doubled_next=tuple(_lines("doubled_next.txt")),
        variants=variants,
        variant_pattern=re.compile(
            "(?=(" + ("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)) or "(?!)") + "))"),
        phrases=phrases,
        tai_terms=terms,
        traditional_too=frozenset("".join(_lines("traditional_too.txt"))),
        words=tuple(_lines("words.txt")),
    )


# --- per-field rules -------------------------------------------------------------------

_DOUBLED_CHAR = re.compile(f"([{_CJK}])\\1")
_DOUBLED_WORD = re.compile(f"([{_CJK}]{{2,4}})\\1")


def _rule_doubled(value: str, ctx: _Context) -> Iterable[_Hit]:
    """A character (or a word of 2–4) written twice, unless a reduplication or a word boundary."""
    t = tables()
    for match in _DOUBLED_WORD.finditer(value):
        word = match.group(1)
        if match.group(0) in t.reduplications or len(set(word)) == 1:
            continue
        if len(word) == 2 and word not in t.phrases:
            continue  # 「做到隨到隨辦」: two characters twice are often two words
        yield _Hit(match.start(1) + len(word), match.end(), "", "doubled", POSSIBLE_ERROR,
                   f"「{word}」連續寫了兩次，請確認是否多打")
    for match in _DOUBLED_CHAR.finditer(value):
        pair, char = match.group(0), match.group(1)
        if pair in t.reduplications:
            continue
        # 「朝陽里」+「里長」: the second character starts a word of its own.
        if value.startswith(t.doubled_next, match.start() + 1):
            continue
        yield _Hit(match.start() + 1, match.end(), "", "doubled", POSSIBLE_ERROR,
                   f"「{pair}」重複了「{char}」字，請確認是否多打")


_PUNCT_AFTER = set("，。、；：！？）」』,.;:!?) \n\t")


def _in_phrase(value: str, position: int, t: _Tables) -> bool:
    """value[position] is part of an occurrence of one of the correct phrases."""
    for length in t.phrase_lengths:
        for start in range(max(0, position - length + 1), position + 1):
            if value[start:start + length] in t.phrases:
                return True
    return False


def _rule_phrase(value: str, ctx: _Context) -> Iterable[_Hit]:
    """A fixed phrase with one character swapped for a confusable one, or one missing."""
    t = tables()
    free = 0  # hits do not overlap
    for match in t.variant_pattern.finditer(value):
        wrong, i = match.group(1), match.start()
        end = i + len(wrong)
        if i < free:
            continue
        phrase, index, at_end = t.variants[wrong]
        if at_end and end < len(value) and value[end] not in _PUNCT_AFTER:
            continue
        if index >= 0:
            if _in_phrase(value, i + index, t):
                continue  # the character belongs to a correct phrase here (「符合」 in 「符合發放」)
            free = end
            yield _Hit(i + index, i + index + 1, phrase[index], "phrase", POSSIBLE_ERROR,
                       f"「{wrong}」應為「{phrase}」？（「{wrong[index]}」與「{phrase[index]}」常被混用）")
        else:
            free = end
            yield _Hit(i, end, phrase, "phrase", POSSIBLE_ERROR, f"「{wrong}」似乎少了一個字，應為「{phrase}」？")


@lru_cache(maxsize=1)
def _opencc():
    """OpenCC's Simplified → Traditional (Taiwan) converter, or None when the package or its data is missing."""
    try:
        import opencc  # the package index's `opencc` (offline dictionaries)

        return opencc.OpenCC("s2tw")  # config name: "s2tw" or "s2tw.json" (looked up in its share dir)
    except Exception:  # ImportError, or RuntimeError/OSError for a missing data file (a broken install)
        return None


def simplified_available() -> bool:
    """Whether the simplified-character rule can run (OpenCC and its data present)."""
    return _opencc() is not None


def _rule_simplified(value: str, ctx: _Context) -> Iterable[_Hit]:
    """A character OpenCC converts from Simplified, unless it is also Traditional (台, 里 …)."""
    t = tables()
    converter = _opencc()
    if converter is None or not any(ord(c) > 0x2e80 for c in value):
        return
    whole = ctx.converted.get(value)
    if whole is None:
        whole = converter.convert(value)
    if whole == value:
        return
    if len(whole) == len(value):
        positions: Iterable[int] = (i for i, (a, b) in enumerate(zip(value, whole)) if a != b)
    else:
        positions = range(len(value))
    for i in positions:
        char = value[i]
        if not _is_cjk(char) or char in t.traditional_too:
            continue
        single = converter.convert(char)
        if single == char:
            continue  # a variant OpenCC prefers in this phrase (每周 → 每週), not a simplified character
        suggestion = whole[i] if len(whole) == len(value) else single
        yield _Hit(i, i + 1, suggestion, "simplified", POSSIBLE_ERROR, f"「{char}」是簡體字，正體應為「{suggestion}」")


_MONTH_DAY = re.compile(r"(?<![\d.,])(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_YEAR_BEFORE = re.compile(r"(\d{2,3})\s*年\s*$")
_TIME = re.compile(r"(?<![\d.,])(\d{1,2})\s*時\s*(\d{1,2})\s*分")
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rule_date(value: str, ctx: _Context) -> Iterable[_Hit]:
    """A month beyond 12, a day beyond its month (2 月 29 日 only in a leap year), a time beyond 24:59."""
    if "月" not in value and "時" not in value:
        return
    for match in _MONTH_DAY.finditer(value):
        month = int(match.group(1))
        if not 1 <= month <= 12:
            yield _Hit(match.start(1), match.end(1), None, "date", POSSIBLE_ERROR, f"沒有「{month} 月」，請確認日期")
            continue
        if match.group(2) is None:
            continue
        day = int(match.group(2))
        limit = _DAYS[month - 1]
        if month == 2 and day == 29:
            before = _YEAR_BEFORE.search(value[:match.start()])
            year = int(before.group(1)) if before else ctx.report.roc_year
            limit = 29 if year and _leap(year + 1911) else 28
        if not 1 <= day <= limit:
            yield _Hit(match.start(2), match.end(2), None, "date", POSSIBLE_ERROR,
                       f"{month} 月沒有「{day} 日」，請確認日期")
    for match in _TIME.finditer(value):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 24 or minute > 59:
            yield _Hit(match.start(), match.end(), None, "date", POSSIBLE_ERROR, f"「{match.group(0)}」不是正確的時間")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# 「辦理中」 only at the end of a clause: 「辦理中元普渡」「辦理中低收入戶」 are other words.
_UNFINISHED = re.compile(r"未完成|尚未辦理|未辦理|(?:辦理|進行|執行|施工|規劃)中(?=[，。、；：）」\s]|$)")


def _rule_completion(entry: Entry, ctx: _Context) -> Iterable[_Hit]:
    """完成程度 100% while the text says the work is not done."""
    if entry.completion != 100:
        return
    for match in _UNFINISHED.finditer(entry.text):
        yield _Hit(match.start(), match.end(), None, "completion", POSSIBLE_ERROR,
                   f"完成程度為 100%，但內文寫「{match.group(0)}」，請確認完成程度或內文")
        return


_BOUNDARY = re.compile(f"(?<=[{_CJK}])( ?)(?=\\d)|(?<=\\d)( ?)(?=[{_CJK}])")


_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"「[^「」]*」|『[^『』]*』")


def _rule_spacing(value: str, ctx: _Context) -> Iterable[_Hit]:
    """Spaces between CJK and digits used both ways in one text: the fewer way is flagged."""
    if _DIGIT.search(value) is None:
        return
    spaced: list[int] = []
    tight: list[int] = []
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(value)]
    for match in _BOUNDARY.finditer(value):
        if any(s <= match.start() < e for s, e in quoted):
            continue  # a quoted name keeps its own spacing (「109年資深績優村里長…表揚大會」)
        gap = match.group(1) if match.group(1) is not None else match.group(2)
        (spaced if gap else tight).append(match.start())
    if not spaced or not tight:
        return
    if len(tight) < len(spaced):
        for p in tight:  # 「年8」 → 「年 8」
            yield _Hit(p - 1, p + 1, f"{value[p - 1]} {value[p]}", "spacing", SUGGESTION,
                       "這段文字的數字與中文之間多半空一格，這裡沒有空")
    else:
        for p in spaced:  # 「年 8」 → 「年8」
            yield _Hit(p - 1, p + 2, value[p - 1] + value[p + 1], "spacing", SUGGESTION,
                       "這段文字的數字與中文之間多半不空格，這裡空了一格")


#: Rules that look at one field's value on its own (a clerk's new rule goes here).
FIELD_RULES = (_rule_doubled, _rule_phrase, _rule_simplified, _rule_date, _rule_spacing)


def _finding(node_id: str, field_name: str, value: str, hit: _Hit, ctx: _Context) -> Finding:
    place = ctx.places.get(node_id)
    where = place.where if place is not None else ""
    memo_key = (node_id, field_name, value, hit, where)
    finding = ctx.memo.get(memo_key)
    if finding is None:
        finding = Finding(node_id, field_name, hit.start, hit.end, value[hit.start:hit.end], hit.suggestion, hit.rule,
                          hit.level, hit.message, where, finding_key(hit.rule, value, hit.start, hit.end))
        ctx.memo[memo_key] = finding
    return finding


def _keep(hits: Iterable[_Hit], value: str, ctx: _Context) -> Iterable[_Hit]:
    """Hits not inside a word of the word lists."""
    protected = ctx.protected(value)
    for hit in hits:
        if not any(s < max(hit.end, hit.start + 1) and hit.start < e for s, e in protected):
            yield hit


def _node_findings(node: Department | Section | Item | Entry, ctx: _Context) -> list[Finding]:
    found: list[Finding] = []
    place = ctx.places.get(node.id)
    for field_name in _text_fields(place) if place is not None else TEXT_FIELDS[node.kind]:
        value = _value(node, field_name)
        if not value:
            continue
        hits = [hit for rule in FIELD_RULES for hit in rule(value, ctx)]
        if field_name == "text" and isinstance(node, Entry):
            hits.extend(_rule_completion(node, ctx))
        found.extend(_finding(node.id, field_name, value, hit, ctx) for hit in _keep(hits, value, ctx))
    return found


# --- report-wide rules (recomputed on every update: one pass over the text) --------------

_HALF_PUNCT = re.compile(f"(?<=[{_CJK}])([,;:?!]) ?|(?<![\\d\\s])([,;:?!]) ?(?=[{_CJK}])")
_FULL_PUNCT = re.compile(f"(?<=[{_CJK}])[，；：？！]|[，；：？！](?=[{_CJK}])")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_FULL_DIGITS = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_NOT_A_PLACE = set("櫃平舞講陽電月燈吧站天砲炮兌柜")


@dataclass
class _Scan:
    """What the report-wide rules need of one node, kept per node so an update rescans only what changed."""

    half: list[tuple[str, str, _Hit]] = field(default_factory=list)  # (field, value, hit) half-width marks
    full_count: int = 0  # full-width marks next to CJK
    own: list[tuple[str, str, _Hit]] = field(default_factory=list)  # full-width digits: findings of their own
    tai: list[tuple[str, str, str, int]] = field(default_factory=list)  # (official term, field, value, start of 台 form)
    tai_official: dict[str, int] = field(default_factory=dict)
    duplicate_key: str = ""  # an entry's text without whitespace / a 目's title


def _scan(place: _Place) -> _Scan:
    node = place.node
    t = tables()
    scan = _Scan()
    for field_name in _text_fields(place):
        value = _value(node, field_name)
        if not value:
            continue
        if "，" in value or "：" in value or "；" in value or "？" in value or "！" in value:
            scan.full_count += len(_FULL_PUNCT.findall(value))
        for match in _HALF_PUNCT.finditer(value):
            mark = match.group(1) or match.group(2)
            scan.half.append((field_name, value, _Hit(
                match.start(), match.end(), _HALF_TO_FULL[mark], "width", SUGGESTION,
                f"中文之間用了半形的「{mark}」，本報告其他地方用全形「{_HALF_TO_FULL[mark]}」")))
        for match in _FULL_DIGITS.finditer(value):
            text = match.group(0)
            plain = "".join(chr(ord(c) - 0xFEE0) for c in text)
            scan.own.append((field_name, value, _Hit(match.start(), match.end(), plain, "width", SUGGESTION,
                                                     f"「{text}」是全形字，數字與英文字母請用半形「{plain}」")))
        if "台" in value or "臺" in value:
            for official, common in t.tai_terms:
                if official in value:
                    scan.tai_official[official] = scan.tai_official.get(official, 0) + value.count(official)
                start = value.find(common)
                while start >= 0:
                    if not (start > 0 and value[start - 1] in _NOT_A_PLACE):
                        scan.tai.append((official, field_name, value, start))
                    start = value.find(common, start + 1)
    if isinstance(node, Entry):
        text = "".join(node.text.split())
        scan.duplicate_key = text if len(text) >= 8 else ""
    elif isinstance(node, Item):
        scan.duplicate_key = " ".join(node.title.split())
    return scan


def _report_findings(ctx: _Context, scans: dict[str, _Scan] | None = None) -> list[Finding]:
    """台/臺 per term, full/half-width mixed, duplicate 目 titles and entries.

    ``scans`` (node id → :func:`_scan`, in report order) is the Proofreader's
    cache; without it every node is scanned."""
    if scans is None:
        scans = {node_id: _scan(place) for node_id, place in ctx.places.items()}
    found: list[Finding] = []
    half_count = sum(len(scan.half) for scan in scans.values())
    full_count = sum(scan.full_count for scan in scans.values())
    official_count: dict[str, int] = {}
    for scan in scans.values():
        for term, count in scan.tai_official.items():
            official_count[term] = official_count.get(term, 0) + count
    for node_id, scan in scans.items():
        hits = [(f, v, h) for f, v, h in scan.own]
        if half_count and full_count > half_count:  # half-width is the exception in this report
            hits.extend(scan.half)
        for official, field_name, value, start in scan.tai:
            if official_count.get(official):  # both forms in the report (else one form throughout: fine)
                common = official.replace("臺", "台")
                hits.append((field_name, value, _Hit(
                    start, start + len(common), official, "tai", SUGGESTION,
                    f"本報告「{official}」與「{common}」兩種寫法都有，建議統一用「{official}」")))
        for field_name, value, hit in hits:
            found.extend(_finding(node_id, field_name, value, h, ctx) for h in _keep([hit], value, ctx))
    found.extend(_duplicates(ctx, scans))
    return found


def _duplicates(ctx: _Context, scans: dict[str, _Scan]) -> list[Finding]:
    """Two 目 with the same title in one 項; an entry identical to an earlier one."""
    found: list[Finding] = []
    first_entry: dict[str, _Place] = {}
    titles: dict[tuple[str, str], _Place] = {}
    places = ctx.places
    for node_id, scan in scans.items():
        key = scan.duplicate_key
        if not key:
            continue
        place = places[node_id]
        node = place.node
        if isinstance(node, Item) and place.section is not None:
            earlier = titles.setdefault((place.section.id, key), place)
            if earlier is not place:
                found.append(_finding(node.id, "title", node.title, _Hit(
                    0, len(node.title), None, "duplicate-title", POSSIBLE_ERROR,
                    f"同一項中已有名稱相同的目（{earlier.where.rsplit(' › ', 1)[-1]}）"), ctx))
        elif isinstance(node, Entry):
            earlier = first_entry.setdefault(key, place)
            if earlier is not place:
                found.append(_finding(node.id, "text", node.text, _Hit(
                    0, len(node.text), None, "duplicate-entry", SUGGESTION,
                    f"與「{earlier.where}」的辦理情形完全相同，請確認是否重複"), ctx))
    return found


# --- the public API ----------------------------------------------------------------


def _context(report: Report, words: Iterable[str], places: dict[str, _Place] | None = None) -> _Context:
    all_words = {w.strip() for w in (*words, *tables().words, *report.proofread_words, *user_words()) if w and w.strip()}
    return _Context(report, frozenset(all_words), places if places is not None else _places(report))


def _prefetch(ctx: _Context) -> None:
    """Convert every text field with one OpenCC call (one call per field costs ten times more)."""
    values = list(dict.fromkeys(_value(place.node, name) for place in ctx.places.values()
                                for name in _text_fields(place) if _value(place.node, name)))
    values = [v for v in values if "\n" not in v]
    if not values:
        return
    converter = _opencc()
    if converter is None:
        return
    converted = converter.convert("\n".join(values)).split("\n")
    if len(converted) == len(values):
        ctx.converted = dict(zip(values, converted))


def _visible(findings: list[Finding], report: Report, include_ignored: bool) -> list[Finding]:
    if include_ignored:
        return findings
    return [f for f in findings if f.key not in report.proofread_ignored]


def _ordered(findings: list[Finding], ctx: _Context) -> list[Finding]:
    if ctx.order is None or ctx.order_of is not ctx.places:
        ctx.order, ctx.order_of = {node_id: n for n, node_id in enumerate(ctx.places)}, ctx.places
    order = ctx.order
    fields = {"name": 0, "title": 0, "text": 1, "remark": 2}
    return sorted(findings, key=lambda f: (order.get(f.node_id, len(order)), fields.get(f.field, 3), f.start, f.rule))


def check(report: Report, *, words: Iterable[str] = (), include_ignored: bool = False) -> list[Finding]:
    """Every finding of the report, in report order (ignored ones left out unless ``include_ignored``)."""
    ctx = _context(report, words)
    _prefetch(ctx)
    found: list[Finding] = []
    for place in ctx.places.values():
        found.extend(_node_findings(place.node, ctx))
    found.extend(_report_findings(ctx))
    return _visible(_ordered(found, ctx), report, include_ignored)


def check_node(report: Report, node_id: str, *, words: Iterable[str] = (), include_ignored: bool = False) -> list[Finding]:
    """The findings in one node's own fields (per-field rules, and the report-wide
    rules' findings that fall in this node — those are recomputed for the whole report)."""
    ctx = _context(report, words)
    place = ctx.places.get(node_id)
    if place is None:
        return []
    found = _node_findings(place.node, ctx)
    found.extend(f for f in _report_findings(ctx) if f.node_id == node_id)
    return _visible(_ordered(found, ctx), report, include_ignored)


class Proofreader:
    """The findings of an open report, kept current from its change records.

    ``update(changes)`` re-runs the per-field rules only on the nodes the
    change touched (their fields, inserted subtrees; deleted ones dropped)
    and recomputes the report-wide rules (台/臺, width, spacing, duplicates),
    which are cheap.  A structural change (insert, delete, move) recomputes
    the places (「第 2 筆」 moves).  ``findings()`` leaves out the ignored ones
    unless ``include_ignored``.
    """

    def __init__(self, report: Report, *, words: Iterable[str] = ()):
        self.report = report
        self.extra_words = tuple(words)
        self.refresh()

    def refresh(self) -> None:
        """Check the whole report again (word lists re-read)."""
        self._ctx = _context(self.report, self.extra_words)
        _prefetch(self._ctx)
        self._per_node: dict[str, list[Finding]] = {}
        for node_id, place in self._ctx.places.items():
            found = _node_findings(place.node, self._ctx)
            if found:
                self._per_node[node_id] = found
        self._scans = {node_id: _scan(place) for node_id, place in self._ctx.places.items()}
        self._report_wide = _report_findings(self._ctx, self._scans)
        self._ctx.converted = {}  # edits are converted one by one

    def findings(self, *, include_ignored: bool = False) -> list[Finding]:
        found = [f for node_findings in self._per_node.values() for f in node_findings]
        found.extend(self._report_wide)
        return _visible(_ordered(found, self._ctx), self.report, include_ignored)

    def findings_for(self, node_id: str, *, include_ignored: bool = False) -> list[Finding]:
        found = [*self._per_node.get(node_id, []), *(f for f in self._report_wide if f.node_id == node_id)]
        return _visible(sorted(found, key=lambda f: (f.field, f.start)), self.report, include_ignored)

    def update(self, changes: "Changes") -> None:
        """Re-check what ``changes`` touched (see the class docstring)."""
        if changes.proofread_words:
            self.refresh()  # every field may be affected
            return
        relabel = changes.structure or changes.titles or "numbering_style" in changes.report_fields
        if relabel:
            self._ctx.places = _places(self.report)
        places = self._ctx.places
        touched = set(changes.fields) | set(changes.inserted)
        for node_id in changes.inserted:
            place = places.get(node_id)
            if place is not None:
                touched.update(_descendant_ids(place.node))
        if changes.deleted:
            self._per_node = {k: v for k, v in self._per_node.items() if k in places}
        for node_id in touched:
            place = places.get(node_id)
            found = _node_findings(place.node, self._ctx) if place is not None else []
            if found:
                self._per_node[node_id] = found
            else:
                self._per_node.pop(node_id, None)
        if relabel:  # 「第 n 筆」 and labels move: the findings keep their text, take their new place
            for node_id, node_findings in self._per_node.items():
                where = places[node_id].where
                if node_findings[0].where != where:
                    self._per_node[node_id] = [replace(f, where=where) for f in node_findings]
        if changes.structure:  # new order (the scans' order is the report's)
            old = self._scans
            self._scans = {node_id: (old[node_id] if node_id in old and node_id not in touched else _scan(place))
                           for node_id, place in places.items()}
        else:
            for node_id in touched:
                if node_id in places:
                    self._scans[node_id] = _scan(places[node_id])
        if len(self._ctx.memo) > 4 * (len(self._report_wide) + 1000):
            self._ctx.memo.clear()  # findings of old values
        self._report_wide = _report_findings(self._ctx, self._scans)


def _descendant_ids(node: Department | Section | Item | Entry) -> list[str]:
    ids = [node.id]
    for child in node.children:
        ids.extend(_descendant_ids(child))
    return ids


FIELD_LABEL = {"text": "辦理情形", "remark": "備註", "title": "名稱", "name": "名稱"}


def format_finding(finding: Finding, *, ignored: bool = False, template: "Template | None" = None) -> str:
    """One line for the CLI: level, where (and which field), 「text」→「suggestion」, the message
    (with the report's ``template``, a column is named by its heading)."""
    if finding.suggestion is None:
        change = f"「{finding.text}」"
    elif finding.suggestion == "":
        change = f"「{finding.text}」→（刪除）"
    else:
        change = f"「{finding.text}」→「{finding.suggestion}」"
    if template is not None and not template.is_default and finding.field not in ("name", "title"):
        field_note = "" if finding.field == "text" else f"（{field_label(finding.field, 'entry', template)}）"
    else:
        field_note = "" if finding.field == "text" else f"（{FIELD_LABEL.get(finding.field, finding.field)}）"
    flag = "（已忽略）" if ignored else ""
    return f"{finding.level}{flag}\t{finding.where}{field_note}\t{change}\t{finding.message}"


def proofread_summary(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.level == POSSIBLE_ERROR)
    missing = "" if simplified_available() else "；簡體字檢查無法使用（程式缺少 OpenCC 資料，請重新安裝）"
    return f"校對：共 {len(findings)} 則（可能錯誤 {errors} 則、建議 {len(findings) - errors} 則）{missing}"


# --- ignoring and the word lists ----------------------------------------------------


@dataclass
class IgnoreFinding(Operation):
    """忽略 a finding: remembered in the report file by its key (who and when too)."""

    key: str
    rule: str = ""
    text: str = ""
    label: str = "忽略校對建議"
    old: dict | None = None
    record: dict | None = None  # who and when, made at the first apply: a redo ignores it as it was

    @classmethod
    def of(cls, finding: Finding) -> "IgnoreFinding":
        return cls(finding.key, finding.rule, finding.text)

    def apply(self, edits: Edits) -> None:
        if self.record is None:
            person = edits.person
            self.record = {"who": person.name, "role": person.role, "at": now_iso(), "rule": self.rule,
                           "text": self.text}
        self.old = edits.set_proofread_ignore(self.key, dict(self.record))

    def revert(self, edits: Edits) -> None:
        edits.set_proofread_ignore(self.key, self.old)


@dataclass
class UnignoreFinding(Operation):
    """Take back a 忽略: the finding shows again."""

    key: str
    label: str = "取消忽略校對建議"
    old: dict | None = None

    def apply(self, edits: Edits) -> None:
        self.old = edits.set_proofread_ignore(self.key, None)

    def revert(self, edits: Edits) -> None:
        edits.set_proofread_ignore(self.key, self.old)


@dataclass
class SetWords(Operation):
    """Replace the report's 校對 word list (names, local terms never flagged)."""

    words: list[str] = field(default_factory=list)
    label: str = "修改校對詞庫"
    old: list[str] = field(default_factory=list)

    def apply(self, edits: Edits) -> None:
        self.old = edits.set_proofread_words(list(self.words))

    def revert(self, edits: Edits) -> None:
        edits.set_proofread_words(self.old)


USER_WORDS_FILE = "proofread-words.txt"


def user_words_path() -> Path:
    """The user's own word list: a UTF-8 text file, one word a line, in the user's folder (app/paths.py)."""
    return user_data_dir() / USER_WORDS_FILE


def user_words() -> list[str]:
    """The user's words ('#' starts a comment); none when the file is missing or unreadable."""
    try:
        text = user_words_path().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def save_user_words(words: Iterable[str]) -> Path:
    """Write the user's word list; a ReportError naming the file when it cannot be written."""
    path = user_words_path()
    unique = list(dict.fromkeys(w.strip() for w in words if w and w.strip()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{w}\n" for w in unique), encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"無法儲存個人校對詞庫（{os_reason(exc)}）", path) from exc
    return path
