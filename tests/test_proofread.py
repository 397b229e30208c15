"""校對 (app/proofread.py): each rule with true and false cases, the Proofreader kept
current by change records, 忽略 as an undoable operation that survives a package round
trip, a rollover and JSON, the word lists, the sample's documented findings, the CLI."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import PROJECT_ROOT
from app.document import Person, ReportDocument
from app.interchange import dumps, report_from_dict
from app.model import Department, Entry, Item, Report, Section
from app.operations import DeleteNode, InsertNode, MoveNode, SetField
from app.packages import apply_merge, issue_package, plan_merge
from app.proofread import (
    POSSIBLE_ERROR,
    SUGGESTION,
    IgnoreFinding,
    Proofreader,
    SetWords,
    UnignoreFinding,
    check,
    check_node,
    finding_key,
    save_user_words,
    user_words_path,
)
from app.rollover import next_year
from app.sample import sample_report

CHIEF = Person("李課長", "chief")
CLERK = Person("王小明", "clerk")


def report_of(*texts: str, completion: int | None = None, titles: tuple[str, ...] = ("選舉業務",),
              roc_year: int = 109) -> Report:
    """One department, one 項, the given 目 titles; the texts are the first 目's entries."""
    items = [Item(title=title) for title in titles]
    items[0].entries.extend(Entry(text=text, completion=completion) for text in texts)
    return Report(office="測試區公所", roc_year=roc_year,
                  departments=[Department(name="民政部門", sections=[Section(title="一般民政", items=items)])])


def found(report: Report, rule: str | None = None, **kwargs) -> list[tuple[str, str | None]]:
    return [(f.text, f.suggestion) for f in check(report, **kwargs) if rule is None or f.rule == rule]


# --- the rules, true and false ----------------------------------------------------------


def test_doubled_character_is_found_and_the_suggestion_removes_it():
    report = report_of("適時宣導全民國防共計計 14 次。")
    [finding] = check(report)
    assert (finding.rule, finding.level, finding.text, finding.suggestion) == ("doubled", POSSIBLE_ERROR, "計", "")
    value = report.departments[0].sections[0].items[0].entries[0].text
    assert value[:finding.start] + finding.suggestion + value[finding.end:] == "適時宣導全民國防共計 14 次。"
    assert finding.where == "壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 1 筆"


@pytest.mark.parametrize("text", [
    "民眾常常洽詢，人人稱便，謝謝各界。",           # reduplications
    "辦理嘉義市第十屆東區朝陽里里長補選。",          # 朝陽里 + 里長
    "依據嘉義市東、西區區公所聯合採購案。",          # 西區 + 區公所
    "參加祭祀公業業務講習會。",                      # 公業 + 業務
    "辦理替代役役男徵集作業計 1,111 件。",          # 替代役 + 役男; digits
    "公款支付切實做到隨到隨辦。",                    # 到隨到隨 is two words
])
def test_legitimate_reduplications_and_word_boundaries_are_not_doubled(text):
    assert found(report_of(text), "doubled") == []


def test_a_doubled_known_word_is_found():
    assert found(report_of("本所辦理辦理里長補選。"), "doubled") == [("辦理", "")]


def test_phrase_with_a_confusable_character_is_found():
    report = report_of("膺續辦理兵籍調查講習。", "受理補發退役證名之申請。", "辦理號備軍人遷入。", "地方創昇提案討論。")
    assert found(report, "phrase") == [("膺", "賡"), ("名", "明"), ("號", "後"), ("昇", "生")]


@pytest.mark.parametrize("text", [
    "賡續辦理兵籍調查講習。",                 # the correct phrase
    "辦理中低收入戶老人生活津貼符合發放標準。",  # 符合 is a word: 合 is not 核 here
    "辦理身心障礙者輔助器具補助。",             # 輔助 is a word
    "辦理後備軍官遷入。",                      # 人→官 is no confusion of the table
    "辦理替代役備役除役計 104 人。",
])
def test_phrase_rule_leaves_correct_text_and_other_differences_alone(text):
    assert found(report_of(text), "phrase") == []


def test_a_missing_character_in_a_fixed_term_is_found():
    report = report_of("辦理替代備役遷入 115 人。", "成立東區人口及住宅普所。", "登錄財產管理系。")
    assert found(report, "phrase") == [("替代備役", "替代役備役"), ("住宅普所", "住宅普查所"),
                                       ("財產管理系", "財產管理系統")]
    title = report_of(titles=("貫徹考試用",))
    assert found(title, "phrase") == [("貫徹考試用", "貫徹考試用人")]
    # a prefix followed by more text is not a missing last character
    assert found(report_of("登錄財產管理系列報表。"), "phrase") == []
    assert found(report_of(titles=("貫徹考試用人",)), "phrase") == []


def test_tai_is_flagged_only_where_both_forms_of_a_term_appear():
    mixed = report_of("計新台幣 7,919 萬 4,000 元整。", "合計發放新臺幣 1,642 萬元。")
    [finding] = check(mixed)
    assert (finding.rule, finding.level, finding.text, finding.suggestion) == ("tai", SUGGESTION, "新台幣", "新臺幣")
    assert found(report_of("計新台幣 7,919 萬元。", "計新台幣 2 萬元。"), "tai") == []  # one form throughout
    assert found(report_of("新臺幣 7,919 萬 4,000 元"), ) == []


def test_names_with_tai_in_a_word_list_and_platforms_are_fine():
    report = report_of("於臺中市舉辦。", "地點：台中路 84 號。", "服務櫃台中午照常服務。")
    assert found(report, "tai") == [("台中", "臺中")]
    report.proofread_words.append("台中路")
    assert found(report, "tai") == []
    # a name in the program's own list (resources/proofread/words.txt)
    assert found(report_of("參加臺灣地方創生年會。", "參加 2020 台灣設計展。"), "tai") == []


def test_half_width_punctuation_between_cjk_in_a_full_width_report():
    report = report_of("編製 110 年度預算, 歲入預算數 16 萬 9,000 元。", "依實施計畫按月分配，均於預算實施前為之，如期完成。",
                       "辦理完竣，成效良好。")
    assert found(report, "width") == [(", ", "，")]
    # a report written with half-width commas throughout has no mix
    assert found(report_of("編製預算, 歲入預算數 16 萬元。"), "width") == []


def test_full_width_digits_are_found():
    assert found(report_of("計１２３件。"), "width") == [("１２３", "123")]


def test_spacing_mixed_in_one_text_flags_the_fewer_way():
    report = report_of("109 年 8 月 18 日辦理查報計有10 件。")
    assert found(report, "spacing") == [("有1", "有 1")]
    assert found(report_of("109年1月至12月查報案件計有 2,626 件。"), "spacing") == [("有 2", "有2"), ("6 件", "6件")]


@pytest.mark.parametrize("text", [
    "1月4日辦理朝陽里里長補選。", "共計收文 1 萬 904 件。", "受理 83-92 年次役男申請計 10 件。",
    "修補面積 287m²。", "計新臺幣 7,919 萬 4,000 元整。", "於「109年資深績優村里長表揚大會」 10 月 27 日表揚。",
])
def test_consistent_spacing_numbers_ranges_and_quoted_names_are_fine(text):
    assert found(report_of(text)) == []


def test_simplified_characters_are_found_traditional_look_alikes_are_not():
    assert found(report_of("辦理补助发放。"), "simplified") == [("补", "補"), ("发", "發")]
    assert found(report_of("里長范先生于台灣辦理每周一次。"), "simplified") == []


def test_impossible_dates_and_times():
    report = report_of("13 月 5 日辦理。", "2 月 30 日辦理。", "下午25時10分集合。", "12 月 31 日辦理。")
    assert found(report, "date") == [("13", None), ("30", None), ("25時10分", None)]
    assert found(report_of("109 年 2 月 29 日辦理。"), "date") == []          # 2020 is a leap year
    assert found(report_of("110 年 2 月 29 日辦理。"), "date") == [("29", None)]
    assert found(report_of("2 月 29 日辦理。", roc_year=110), "date") == [("29", None)]


def test_completion_100_with_text_saying_unfinished():
    assert found(report_of("道路工程辦理中。", completion=100), "completion") == [("辦理中", None)]
    assert found(report_of("尚未完成驗收。", completion=100), "completion") == [("未完成", None)]
    assert found(report_of("以節約方式辦理中元普渡。", "辦理中低收入戶補助。", completion=100), "completion") == []
    assert found(report_of("道路工程辦理中。", completion=80), "completion") == []


def test_duplicate_titles_in_one_section_and_identical_entries():
    report = report_of("辦理里鄰長異動(改聘)共 27 件。", "辦理里鄰長異動(改聘)共 27 件。", "事故人員處理。", "事故人員處理。",
                       titles=("選舉業務", "自治行政", "選舉業務"))
    findings = check(report)
    assert [(f.rule, f.where) for f in findings] == [
        ("duplicate-entry", "壹、民政部門 › 一、一般民政 › (一) 選舉業務 › 第 2 筆"),
        ("duplicate-title", "壹、民政部門 › 一、一般民政 › (三) 選舉業務"),
    ]
    other = report_of(titles=("選舉業務",))
    other.departments[0].sections.append(Section(title="民政管理", items=[Item(title="選舉業務")]))
    assert found(other, "duplicate-title") == []


# --- keys, check_node, the Proofreader ---------------------------------------------------


def test_key_is_rule_text_and_context_not_an_id():
    report = report_of("適時宣導全民國防共計計 14 次。")
    [finding] = check(report)
    assert finding.key == "doubled|國防共計[計] 14 "  # CONTEXT = 4 characters either side
    assert finding.node_id not in finding.key
    assert finding_key("doubled", "共計計", 2, 3) == "doubled|共計[計]"


def test_check_node_returns_only_that_nodes_findings(sample):
    everything = check(sample)
    entry_id = next(f.node_id for f in everything if f.text == "膺")
    assert [f.text for f in check_node(sample, entry_id)] == ["膺"]
    assert check_node(sample, "no such id") == []


def _same(proofreader: Proofreader, report: Report) -> None:
    assert proofreader.findings() == check(report)


def test_proofreader_update_matches_a_full_check_after_every_kind_of_change(sample_doc):
    doc = sample_doc
    proofreader = Proofreader(doc.report)
    doc.subscribe(proofreader.update)
    _same(proofreader, doc.report)
    item = doc.report.departments[0].sections[0].items[0]
    entry = item.entries[0]
    doc.apply(SetField(entry.id, "text", "辦理號備軍人遷入，共計計 3 次。"))
    _same(proofreader, doc.report)
    assert {f.text for f in proofreader.findings_for(entry.id)} == {"號", "計"}
    doc.apply(SetField(entry.id, "remark", "膺續辦理"))
    _same(proofreader, doc.report)
    doc.apply(InsertNode(item.id, 0, Entry(text="退役證名補發。")))
    _same(proofreader, doc.report)
    doc.apply(MoveNode(entry.id, item.id, 3))
    _same(proofreader, doc.report)
    doc.apply(DeleteNode(entry.id))
    _same(proofreader, doc.report)
    doc.apply(SetField(item.id, "title", "勵行選舉業務"))
    _same(proofreader, doc.report)
    first = proofreader.findings()[0]
    doc.apply(IgnoreFinding.of(first))
    assert first not in proofreader.findings() and first in proofreader.findings(include_ignored=True)
    _same(proofreader, doc.report)
    doc.apply(SetWords(["號備軍人"]))
    _same(proofreader, doc.report)


def test_proofreader_update_after_a_structural_change_renumbers_where(sample_doc):
    doc = sample_doc
    proofreader = Proofreader(doc.report)
    doc.subscribe(proofreader.update)
    target = next(f for f in proofreader.findings() if f.text == "膺")
    item = doc.parent(target.node_id)
    doc.apply(InsertNode(item.id, 0, Entry(text="新增的一筆。")))
    moved = next(f for f in proofreader.findings() if f.text == "膺")
    assert moved.where.endswith("第 2 筆") and target.where.endswith("第 1 筆")
    assert moved.key == target.key


# --- 忽略: an operation, stored, undoable; the word lists -----------------------------


def test_ignore_is_stored_undoable_and_in_the_history(tmp_path):
    path = tmp_path / "r.awr"
    doc = ReportDocument.create(path, sample_report(), person=CHIEF)
    target = next(f for f in check(doc.report) if f.text == "膺")
    operation = IgnoreFinding.of(target)
    changes = doc.apply(operation)
    assert changes.proofread_ignored == {target.key} and not changes.empty
    assert target not in check(doc.report)
    assert target in check(doc.report, include_ignored=True)
    record = doc.report.proofread_ignored[target.key]
    assert (record["who"], record["role"], record["rule"], record["text"]) == ("李課長", "chief", "phrase", "膺")
    assert any(row["field"] == "proofread_ignore" for row in doc.repo.history(node_ids=[doc.report.id]))
    doc.revert(operation)
    assert target in check(doc.report)
    doc.apply(operation)
    assert doc.report.proofread_ignored[target.key] == record  # a redo ignores it as it was (who, when)
    doc.close()
    doc = ReportDocument.open(path, person=CHIEF)
    assert doc.report.proofread_ignored[target.key] == record
    assert target not in check(doc.report)
    doc.apply(UnignoreFinding(target.key))
    doc.close()
    doc = ReportDocument.open(path)
    assert doc.report.proofread_ignored == {} and target in check(doc.report)
    doc.close()


def test_an_ignore_survives_reordering_and_unrelated_edits(sample_doc):
    doc = sample_doc
    target = next(f for f in check(doc.report) if f.text == "膺")
    doc.apply(IgnoreFinding.of(target))
    item = doc.parent(target.node_id)
    doc.apply(MoveNode(target.node_id, item.id, len(item.entries)))
    doc.apply(SetField(item.entries[0].id if item.entries[0].id != target.node_id else item.entries[1].id,
                       "text", "另一筆的內容改了。"))
    assert all(f.text != "膺" for f in check(doc.report))


def test_report_words_and_user_words_are_never_flagged(sample_doc):
    doc = sample_doc
    assert any(f.text == "號" for f in check(doc.report))
    doc.apply(SetWords(["號備軍人", " 號備軍人 ", ""]))
    assert doc.report.proofread_words == ["號備軍人"]
    assert all(f.text != "號" for f in check(doc.report))
    doc.apply(SetWords([]))
    assert any(f.text == "號" for f in check(doc.report))
    path = save_user_words(["地方創昇", "地方創昇"])
    assert path == user_words_path() and path.read_text(encoding="utf-8") == "地方創昇\n"
    assert all(f.text != "昇" for f in check(doc.report))
    assert all(f.text != "膺" for f in check(doc.report, words=["膺續"]))


def test_ignores_and_words_travel_through_a_package_round_trip(tmp_path):
    report_path, package_path = tmp_path / "report.awr", tmp_path / "pkg.awr"
    ReportDocument.create(report_path, sample_report(), person=CHIEF).close()
    doc = ReportDocument.open(report_path, person=CHIEF)
    findings = [f for f in check(doc.report) if f.where.startswith("參、兵役部門")]
    chief_ignores, clerk_ignores = findings[0], findings[1]
    doc.apply(IgnoreFinding.of(chief_ignores))
    doc.apply(SetWords(["嘉邑鎮天宮"]))
    issue_package(doc, "兵役部門", package_path)

    clerk = ReportDocument.open(package_path, person=CLERK)
    assert chief_ignores.key in clerk.report.proofread_ignored            # the chief's decision travels
    assert clerk.report.proofread_words == ["嘉邑鎮天宮"]
    assert chief_ignores.key not in {f.key for f in check(clerk.report)}
    clerk.apply(IgnoreFinding.of(next(f for f in check(clerk.report) if f.key == clerk_ignores.key)))
    clerk.apply(SetWords(["嘉邑鎮天宮", "蘭潭國小"]))
    clerk.close()

    plan = plan_merge(doc, package_path)
    assert set(plan.ignored_added) == {clerk_ignores.key} and plan.ignored_removed == []
    operation = apply_merge(doc, plan, backup=False)
    assert {chief_ignores.key, clerk_ignores.key} <= set(doc.report.proofread_ignored)
    assert doc.report.proofread_words == ["嘉邑鎮天宮", "蘭潭國小"]
    assert doc.report.proofread_ignored[clerk_ignores.key]["who"] == "王小明"
    doc.revert(operation)  # one undo step takes the package's 校對 back too
    assert clerk_ignores.key not in doc.report.proofread_ignored and doc.report.proofread_words == ["嘉邑鎮天宮"]
    doc.apply(operation)
    doc.close()
    doc = ReportDocument.open(report_path, person=CHIEF)
    assert {chief_ignores.key, clerk_ignores.key} <= set(doc.report.proofread_ignored)

    # a 忽略 taken back in the package is taken back in the report
    second = tmp_path / "pkg2.awr"
    issue_package(doc, "兵役部門", second)
    clerk = ReportDocument.open(second, person=CLERK)
    clerk.apply(UnignoreFinding(chief_ignores.key))
    clerk.close()
    plan = plan_merge(doc, second)
    assert plan.ignored_removed == [chief_ignores.key] and plan.ignored_added == {}
    apply_merge(doc, plan, backup=False)
    assert chief_ignores.key not in doc.report.proofread_ignored
    assert clerk_ignores.key in doc.report.proofread_ignored
    doc.close()


def test_a_chiefs_ignore_survives_a_rollover(tmp_path):
    doc = ReportDocument.create(tmp_path / "109.awr", sample_report(), person=CHIEF)
    title_finding = next(f for f in check(doc.report) if f.text == "貫徹考試用")  # a 目 title: copied to next year
    entry_finding = next(f for f in check(doc.report) if f.text == "膺")
    doc.apply(IgnoreFinding.of(title_finding))
    doc.apply(IgnoreFinding.of(entry_finding))
    doc.apply(SetWords(["嘉邑鎮天宮"]))
    following = next_year(doc.report, keep_entries=True)
    doc.close()
    new = ReportDocument.create(tmp_path / "110.awr", following)
    new.close()
    new = ReportDocument.open(tmp_path / "110.awr")
    report = new.report
    assert report.roc_year == 110 and report.proofread_words == ["嘉邑鎮天宮"]
    assert {title_finding.key, entry_finding.key} <= set(report.proofread_ignored)
    texts = [f.text for f in check(report)]
    assert "貫徹考試用" not in texts and "膺" not in texts                  # new ids, same decisions
    assert "貫徹考試用" in [f.text for f in check(report, include_ignored=True)]
    new.close()


def test_ignores_and_words_in_the_json_interchange():
    report = sample_report()
    target = next(f for f in check(report) if f.text == "膺")
    report.proofread_ignored[target.key] = {"who": "李課長", "role": "chief", "at": "2026-01-01T00:00:00",
                                            "rule": "phrase", "text": "膺"}
    report.proofread_words = ["嘉邑鎮天宮"]
    data = json.loads(dumps(report))
    assert data["proofread"]["words"] == ["嘉邑鎮天宮"] and target.key in data["proofread"]["ignored"]
    back = report_from_dict(data)
    assert back.proofread_ignored == report.proofread_ignored and back.proofread_words == ["嘉邑鎮天宮"]
    assert target not in check(back)
    assert "proofread" not in json.loads(dumps(sample_report()))  # nothing to say: no key
    data["proofread"]["words"] = [3]
    with pytest.raises(Exception, match="proofread.words"):
        report_from_dict(data)


# --- the bundled sample: the documented list ---------------------------------------------

DOC = PROJECT_ROOT / "docs" / "proofreading.md"


def documented_sample_findings() -> list[tuple[str, str, str]]:
    """(where, text, rule) of each row of the table between the sample-findings markers."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- sample-findings -->", 1)[1].split("<!-- /sample-findings -->", 1)[0]
    rows = []
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not cells[0].isdigit():
            continue
        rows.append((cells[1], cells[2].strip("`「」"), cells[3].strip("`")))
    return rows


def test_the_samples_findings_are_exactly_the_documented_list(sample):
    actual = [(f.where + ("" if f.field == "text" else f"（{'名稱'}）"), f.text, f.rule) for f in check(sample)]
    assert actual == documented_sample_findings()


# --- the CLI ---------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, timeout=120)


def test_cli_check_proofread_prints_one_line_per_finding_and_exits_0(tmp_path):
    path = tmp_path / "s.awr"
    doc = ReportDocument.create(path, sample_report())
    expected = check(doc.report)
    doc.apply(IgnoreFinding.of(expected[0]))
    doc.close()
    result = _cli("check", "--proofread", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) - 1 + 1  # one ignored, plus the summary line
    assert "可能錯誤\t參、兵役部門 › 二、徵集業務 › (一) 役男兵籍調查作業 › 第 1 筆\t「膺」→「賡」\t" in result.stdout
    assert "「計」→（刪除）" in result.stdout
    assert re.fullmatch(r"校對：共 \d+ 則（可能錯誤 \d+ 則、建議 \d+ 則）", lines[-1])
    everything = _cli("check", "--proofread", "--include-ignored", str(path))
    assert "（已忽略）" in everything.stdout and len(everything.stdout.splitlines()) == len(expected) + 1


def test_cli_check_proofread_on_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = _cli("check", "--proofread", str(tmp_path / "none.awr"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "找不到檔案" in result.stderr


def test_a_file_from_before_proofread_is_migrated_and_can_ignore(tmp_path):
    import sqlite3

    from app.storage import schema

    path = tmp_path / "old.awr"
    ReportDocument.create(path, sample_report()).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE proofread_ignore")
    conn.execute("DROP TABLE proofread_word")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0005_proofread'")
    conn.commit()
    conn.close()
    doc = ReportDocument.open(path)
    assert "0005_proofread" in [m.name for m in schema.migrations.applied(doc.repo.db)]
    assert doc.report.proofread_ignored == {} and doc.report.proofread_words == []
    target = check(doc.report)[0]
    doc.apply(IgnoreFinding.of(target))
    doc.close()
    doc = ReportDocument.open(path)
    assert target.key in doc.report.proofread_ignored
    doc.close()


def test_the_user_word_file_is_plain_text_with_comments(tmp_path):
    from app.proofread import user_words

    assert user_words() == []  # no file yet
    path = user_words_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff# 人名\n號備軍人  # 這裡不是錯字\n\n蘭潭國小\n", encoding="utf-8")
    assert user_words() == ["號備軍人", "蘭潭國小"]
    assert found(report_of("辦理號備軍人遷入。"), "phrase") == []


# --- issue 19: a report of another template -------------------------------------------------

def test_template_text_and_unit_columns_are_proofread(tmp_path):
    from template_reports import budget_report

    from app.editing import with_implicit
    from app.proofread import format_finding

    doc = ReportDocument.create(tmp_path / "budget.awr", budget_report())
    try:
        report = doc.report
        proofreader = Proofreader(report)
        doc.subscribe(proofreader.update)
        first, second = report.departments[0].sections[0].items[0].entries
        doc.apply(SetField(first.id, "results", "上半年辦理辦理 2 場"))
        doc.apply(SetField(second.id, "grantor", "内政部"))
        doc.apply(SetField(report.departments[1].id, "name", "社會業務業務"))
        found = [(f.field, f.rule, f.where, f.key) for f in check(report)]
        assert found == [
            ("results", "doubled", "壹、民政業務 › 第 1 筆", "doubled|半年辦理[辦理] 2 場"),
            ("grantor", "simplified", "壹、民政業務 › 第 2 筆", "simplified|[内]政部"),
            ("name", "doubled", "貳、社會業務業務", "doubled|社會業務[業務]"),
        ]
        _same(proofreader, report)
        grantor = next(f for f in check(report) if f.field == "grantor")
        assert format_finding(grantor, template=report.template) == (
            "可能錯誤\t壹、民政業務 › 第 2 筆（補助機關名稱）\t「内」→「內」\t「内」是簡體字，正體應為「內」")
        doc.apply(InsertNode(report.id, 0, with_implicit(report.template, Department(name="財政財政業務"))))
        _same(proofreader, report)
        assert [f.where for f in check(report)][-1] == "參、社會業務業務"  # renumbered after the insert
    finally:
        doc.close()
