"""JSON interchange: exact keys, lossless round trip, clear refusals."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from app.errors import ReportError
from app.interchange import dumps, read_json, report_from_dict, report_to_dict
from app.resources import SCHEMA_JSON, resource_path


def test_export_has_the_documented_keys(sample):
    data = report_to_dict(sample)
    assert {"format", "version", "office", "roc_year", "published", "departments"} <= set(data)
    assert data["format"] == "workreport" and data["version"] == 1
    assert data["published"] == {"roc_year": 110, "month": 3}
    entry = data["departments"][0]["sections"][0]["items"][0]["entries"][0]
    assert set(entry) == {"id", "level", "text", "completion", "remark"}


def test_exported_json_satisfies_the_bundled_schema(sample):
    schema = json.loads(resource_path(*SCHEMA_JSON).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(json.loads(dumps(sample)))) == []


def test_round_trip_is_lossless_with_ids(sample):
    again = report_from_dict(json.loads(dumps(sample)))
    assert report_to_dict(again) == report_to_dict(sample)


def test_missing_ids_are_made_and_unknown_keys_ignored():
    data = {"format": "workreport", "version": 1, "office": "x", "roc_year": 110, "extra": 1,
            "departments": [{"name": "民政部門", "color": "red", "sections": [
                {"title": "t", "items": [{"title": "i", "entries": [{"text": "e"}]}]}]}]}
    report = report_from_dict(data)
    entry = report.departments[0].sections[0].items[0].entries[0]
    assert entry.id and entry.level == 1 and entry.completion is None and entry.remark == ""


def _base():
    return {"format": "workreport", "version": 1, "office": "x", "roc_year": 110,
            "departments": [{"name": "d", "sections": [{"title": "s", "items": [
                {"title": "i", "entries": [{"text": "e", "completion": 100, "level": 1}]}]}]}]}


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d.update(format="other"), "不是工作總報告"),
        (lambda d: d.update(version=2), "版本 2 不受支援"),
        (lambda d: d.update(roc_year="110"), "roc_year 的型別錯誤"),
        (lambda d: d.pop("departments"), "缺少必要欄位「departments」"),
        (lambda d: d["departments"][0]["sections"][0]["items"][0]["entries"][0].update(completion=150),
         "departments[0].sections[0].items[0].entries[0].completion"),
        (lambda d: d["departments"][0]["sections"][0]["items"][0]["entries"][0].update(level=5),
         "entries[0].level"),
        (lambda d: d["departments"][0]["sections"][0]["items"][0]["entries"][0].update(text=None),
         "entries[0].text 的型別錯誤"),
        (lambda d: d["departments"][0].update(id="same") or d["departments"][0]["sections"][0].update(id="same"),
         "重複"),
    ],
)
def test_bad_values_are_refused_with_a_chinese_message_naming_the_place(mutate, expected):
    data = _base()
    mutate(data)
    with pytest.raises(ReportError, match=expected.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        report_from_dict(data, "in.json")


def test_broken_json_names_the_file_and_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "workreport",', encoding="utf-8")
    with pytest.raises(ReportError) as info:
        read_json(path)
    assert str(path) in str(info.value) and "JSON 格式錯誤" in str(info.value)


def test_non_utf8_is_refused(tmp_path):
    path = tmp_path / "big5.json"
    path.write_bytes('{"office": "嘉義市"}'.encode("big5"))
    with pytest.raises(ReportError, match="UTF-8"):
        read_json(path)
