from __future__ import annotations

import pytest

from app.numbering import (
    chinese_numeral,
    entry_numbers,
    financial_numeral,
    item_numbers,
    spaced_name,
    split_entry_text,
    strip_prefix,
    style_named,
)


@pytest.mark.parametrize(
    "n, plain, financial",
    [(1, "一", "壹"), (7, "七", "柒"), (10, "十", "拾"), (11, "十一", "拾壹"), (20, "二十", "貳拾"),
     (21, "二十一", "貳拾壹"), (99, "九十九", "玖拾玖"), (100, "一百", "壹佰"), (101, "一百零一", "壹佰零壹"),
     (110, "一百一十", "壹佰壹拾")],
)
def test_chinese_numerals(n, plain, financial):
    assert chinese_numeral(n) == plain
    assert financial_numeral(n) == financial


def test_every_level_of_the_standard_style():
    style = style_named("standard")
    assert style.department_number(3) == "參、"
    assert style.section_number(12) == "十二、"
    assert style.item_number(7) == "(七)"
    assert style.entry_number(1, 2) == "2."
    assert style.entry_number(2, 3) == "(3)"
    assert style.entry_number(0, 1) == ""


def test_comma_style_uses_1_dun_at_the_fourth_level():
    assert entry_numbers([1, 2, 1], "comma") == ["1、", "(1)", "2、"]


def test_entry_numbers_restart_sub_items_and_skip_paragraphs():
    assert entry_numbers([0, 1, 2, 2, 1, 2, 0, 1]) == ["", "1.", "(1)", "(2)", "2.", "(1)", "", "3."]


def test_unnumbered_item_gets_no_number_and_does_not_count():
    assert item_numbers([True, False, True]) == ["(一)", "", "(二)"]


def test_unknown_style_falls_back_to_standard():
    assert style_named("nonsense").name == "standard"


@pytest.mark.parametrize(
    "typed, kind, rest",
    [
        ("1. 辦理", "entry", "辦理"),
        ("1.辦理", "entry", "辦理"),
        ("12、辦理", "entry", "辦理"),
        ("１．辦理", "entry", "辦理"),
        ("1 . 辦理", "entry", "辦理"),
        ("(1) 辦理", "subitem", "辦理"),
        ("（1）辦理", "subitem", "辦理"),
        ("( 2 )辦理", "subitem", "辦理"),
        ("（１）辦理", "subitem", "辦理"),
        ("一、一般民政", "section", "一般民政"),
        ("十二、 一般民政", "section", "一般民政"),
        ("(一) 選舉業務", "item", "選舉業務"),
        ("（十一）選舉業務", "item", "選舉業務"),
        ("壹、民政部門", "department", "民政部門"),
        ("柒、 行政部門", "department", "行政部門"),
        ("\u30002、辦理", "entry", "辦理"),
    ],
)
def test_strip_prefix_recognises_typed_numbering(typed, kind, rest):
    assert strip_prefix(typed) == (kind, rest)


@pytest.mark.parametrize(
    "text",
    ["1.5 萬元補助", "109 年 1 月至 12 月", "3月21日辦理", "2 至 4 歲育兒津貼", "COVID-19 防疫", "1.", "十分順利"],
)
def test_text_that_only_starts_with_a_number_is_kept(text):
    assert strip_prefix(text) == (None, text)


def test_split_entry_text_gives_levels():
    assert split_entry_text("1、辦理選舉") == (1, "辦理選舉")
    assert split_entry_text("（2）東區") == (2, "東區")
    assert split_entry_text("依規定辦理", default_level=0) == (0, "依規定辦理")
    assert split_entry_text("(一) 標題", default_level=1) == (1, "標題")


def test_spaced_name():
    assert spaced_name("民政部門") == "民 政 部 門"
    assert spaced_name("民政 部門") == "民 政 部 門"
