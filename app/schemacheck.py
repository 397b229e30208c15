"""JSON Schema checks with one zh-TW line for the first error (report JSON and templates).

jsonschema is imported when a schema is first used (it costs start-up time);
each schema file is compiled once.  ``first_problem`` names the place
(``departments[0].sections[1].title``) and what is wrong there, prefixed by
what the file is (「範本的 」) where that helps the reader.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import shown
from .resources import resource_path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

TYPE_NAMES = {
    "string": "文字", "integer": "整數", "number": "數字", "boolean": "true/false",
    "array": "清單", "object": "物件", "null": "null",
}


@lru_cache(maxsize=None)
def validator(*schema: str) -> "Draft202012Validator":
    """The compiled validator of the schema file ``resources/<schema…>``."""
    from jsonschema import Draft202012Validator

    with open(resource_path(*schema), encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle))


def where(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "（最外層）"


def first_problem(schema: tuple[str, ...], data: Any, prefix: str = "") -> str | None:
    """One zh-TW line for the first error (in document order) of ``data``, or None when it is valid."""
    errors = sorted(validator(*schema).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return message(errors[0], prefix) if errors else None


def message(error: "ValidationError", prefix: str = "") -> str:
    at = prefix + where(error.absolute_path)
    kind = error.validator
    actual = shown(json.dumps(error.instance, ensure_ascii=False), quote=False)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return f"{at} 缺少必要欄位「{missing}」"
    if kind == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        return f"{at} 的型別錯誤：應為{'或'.join(TYPE_NAMES.get(w, w) for w in wanted)}，實際為 {actual}"
    if kind == "enum":
        allowed = "、".join(str(v) if v != "" else "（空白）" for v in error.validator_value)
        return f"{at} 的值 {actual} 不在允許的值（{allowed}）之中"
    if kind == "const":
        return f"{at} 的值應為 {error.validator_value}"
    if kind in ("minimum", "maximum"):
        return f"{at} 的值 {shown(error.instance, quote=False)} 超出範圍"
    if kind in ("minItems", "maxItems"):
        return f"{at} 項目數不符（{'至少' if kind == 'minItems' else '至多'} {error.validator_value} 項）"
    if kind in ("minLength", "maxLength"):
        return f"{at} 的長度不符"
    if kind == "additionalProperties":
        return f"{at} 有不認得的欄位（{error.message.split('(')[-1].rstrip(')')}）"
    return f"{at} 不符合格式（{kind}）"
