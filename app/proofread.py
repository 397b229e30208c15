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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .edits import Edits
from .errors import ReportError
from .layout import layout
from .model import Department, Entry, Item, Report, Section
from .operations import Operation
from .paths import user_data_dir
from .person import now_iso

if TYPE_CHECKING:
    from .changes import Changes

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


def _places(report: Report) -> dict[str, _Place]:
    """Every node's 「壹、民政部門 › … › 第 2 筆」, as app/validate.py writes it."""
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


# Legitimate reduplications (AA); a doubled character not here is a finding.
_REDUPLICATIONS = frozenset("""
常常 人人 各各 謝謝 天天 年年 月月 日日 時時 處處 家家 戶戶 紛紛 漸漸 慢慢 剛剛 往往 默默 多多 輕輕 久久 偏偏
""".split())
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_DOUBLED = re.compile(rf"([{_CJK}])\1")


def _rule_doubled(value: str, ctx: _Context) -> Iterable[_Hit]:
    for match in _DOUBLED.finditer(value):
        pair = match.group(0)
        if pair in _REDUPLICATIONS:
            continue
        yield _Hit(match.start(), match.end(), match.group(1), "doubled", POSSIBLE_ERROR,
                   f"「{pair}」重複了一個字，請確認")


#: Rules that look at one field's value on its own.
FIELD_RULES = (_rule_doubled,)


def _field_findings(node_id: str, field_name: str, value: str, ctx: _Context) -> list[Finding]:
    if not value:
        return []
    protected = ctx.protected(value)
    place = ctx.places.get(node_id)
    where = place.where if place is not None else ""
    found = []
    for rule in FIELD_RULES:
        for hit in rule(value, ctx):
            if any(s < hit.end and hit.start < e for s, e in protected):
                continue
            found.append(Finding(node_id, field_name, hit.start, hit.end, value[hit.start:hit.end], hit.suggestion,
                                 hit.rule, hit.level, hit.message, where,
                                 finding_key(hit.rule, value, hit.start, hit.end)))
    return found


def _node_findings(node: Department | Section | Item | Entry, ctx: _Context) -> list[Finding]:
    found: list[Finding] = []
    for field_name in TEXT_FIELDS[node.kind]:
        found.extend(_field_findings(node.id, field_name, getattr(node, field_name), ctx))
    return found


def _report_findings(ctx: _Context) -> list[Finding]:
    """The report-wide rules (台/臺, width, spacing, duplicates): cheap, always recomputed."""
    return []


# --- the public API ----------------------------------------------------------------


def _context(report: Report, words: Iterable[str], places: dict[str, _Place] | None = None) -> _Context:
    all_words = {w.strip() for w in (*words, *report.proofread_words, *user_words()) if w and w.strip()}
    return _Context(report, frozenset(all_words), places if places is not None else _places(report))


def _visible(findings: list[Finding], report: Report, include_ignored: bool) -> list[Finding]:
    if include_ignored:
        return findings
    return [f for f in findings if f.key not in report.proofread_ignored]


def _ordered(findings: list[Finding], ctx: _Context) -> list[Finding]:
    order = {node_id: n for n, node_id in enumerate(ctx.places)}
    fields = {"name": 0, "title": 0, "text": 1, "remark": 2}
    return sorted(findings, key=lambda f: (order.get(f.node_id, len(order)), fields.get(f.field, 3), f.start, f.rule))


def check(report: Report, *, words: Iterable[str] = (), include_ignored: bool = False) -> list[Finding]:
    """Every finding of the report, in report order (ignored ones left out unless ``include_ignored``)."""
    ctx = _context(report, words)
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
        self._per_node: dict[str, list[Finding]] = {}
        for node_id, place in self._ctx.places.items():
            found = _node_findings(place.node, self._ctx)
            if found:
                self._per_node[node_id] = found
        self._report_wide = _report_findings(self._ctx)

    def findings(self, *, include_ignored: bool = False) -> list[Finding]:
        found = [f for node_findings in self._per_node.values() for f in node_findings]
        found.extend(self._report_wide)
        return _visible(_ordered(found, self._ctx), self.report, include_ignored)

    def findings_for(self, node_id: str, *, include_ignored: bool = False) -> list[Finding]:
        found = [*self._per_node.get(node_id, []), *(f for f in self._report_wide if f.node_id == node_id)]
        return _visible(sorted(found, key=lambda f: (f.field, f.start)), self.report, include_ignored)

    def update(self, changes: "Changes") -> None:
        if changes.proofread_words:
            self.refresh()
            return
        if changes.structure or "numbering_style" in changes.report_fields:
            self._ctx.places = _places(self.report)
        touched = set(changes.fields) | set(changes.inserted)
        for node_id in changes.deleted:
            self._per_node.pop(node_id, None)
        if changes.deleted:
            self._per_node = {k: v for k, v in self._per_node.items() if k in self._ctx.places}
        for node_id in changes.inserted:
            place = self._ctx.places.get(node_id)
            if place is not None:
                touched.update(_descendant_ids(place.node))
        if changes.structure:
            touched.update(self._per_node)  # their 「第 n 筆」 may have moved
        for node_id in touched:
            place = self._ctx.places.get(node_id)
            if place is None:
                self._per_node.pop(node_id, None)
                continue
            found = _node_findings(place.node, self._ctx)
            if found:
                self._per_node[node_id] = found
            else:
                self._per_node.pop(node_id, None)
        self._report_wide = _report_findings(self._ctx)


def _descendant_ids(node: Department | Section | Item | Entry) -> list[str]:
    ids = [node.id]
    for child in node.children:
        ids.extend(_descendant_ids(child))
    return ids


# --- ignoring and the word lists ----------------------------------------------------


@dataclass
class IgnoreFinding(Operation):
    """忽略 a finding: remembered in the report file by its key (who and when too)."""

    key: str
    rule: str = ""
    text: str = ""
    label: str = "忽略校對建議"
    old: dict | None = None

    @classmethod
    def of(cls, finding: Finding) -> "IgnoreFinding":
        return cls(finding.key, finding.rule, finding.text)

    def apply(self, edits: Edits) -> None:
        person = edits.person
        self.old = edits.set_proofread_ignore(self.key, {"who": person.name, "role": person.role, "at": now_iso(),
                                                         "rule": self.rule, "text": self.text})

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
        raise ReportError(f"無法儲存個人校對詞庫（{exc.strerror}）", path) from exc
    return path
