"""Mutated .docx/.xlsx/.odt/.ods/.json files (issue 17): an import ends in a report
or a named refusal — a ReportError with one zh-TW line and no control characters —
never anything else (what the CLI would turn into its catch-all 「程式發生未預期的問題」).

The files start as our own exports of a small report; a mutation edits one XML
part as text (cuts, copies, inserted tags, attributes, entities, deep nesting,
odd characters) and zips it again, or damages the zip's bytes; for JSON it
replaces a value somewhere with an odd one or edits the text.  The whole CLI
path is run in-process: read, then write the report file.
"""
from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import given, note, seed
from hypothesis import strategies as st

from app.document import ReportDocument
from app.errors import ReportError
from app.exporters import export
from app.importers import read_source
from app.importers.official import read_with_report
from conftest import small_report

from .conftest import SEED, budget, count
from .strategies import scratch_dir

FIXED, RANDOM = budget(250, 40)
FORMATS = ("docx", "xlsx", "odt", "ods", "json")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@lru_cache(maxsize=None)
def original(fmt: str) -> bytes:
    folder = Path(tempfile.mkdtemp(prefix="workreport-fuzz-", dir=scratch_dir()))
    target = folder / f"small.{fmt}"
    export(small_report(), fmt, target)
    return target.read_bytes()


SNIPPETS = st.sampled_from([
    "<w:tbl>", "</w:tc>", "<w:tr><w:tc><w:p><w:r><w:t>", "<w:gridSpan w:val=\"99999\"/>", "<w:vMerge/>",
    "<text:p>", "</table:table-cell>", "<table:table-cell table:number-columns-repeated=\"99999999\">",
    "<table:table-row table:number-rows-repeated=\"-5\">", "table:number-columns-spanned=\"0\" ",
    "&#xD800;", "&#0;", "&#x1b;", "&amp;", "&unknown;", "<![CDATA[x]]>", "<!-- c -->", "<?pi x?>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>", "\ud7ff", "\x00", "\x1b[31m", "壹、民政部門", "（一）", "100%",
    "<c r=\"XFD1048576\" t=\"s\"><v>99999</v></c>", "<v>1e400</v>", "<si><t>", "</sheetData>",
])


@st.composite
def xml_mutation(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["cut", "copy", "insert", "insert", "deep", "attribute"]))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 400)):]
        elif kind == "copy":
            start = draw(st.integers(0, len(text)))
            text = text[:at] + text[start:start + draw(st.integers(1, 2000))] + text[at:]
        elif kind == "insert":
            text = text[:at] + draw(st.one_of(SNIPPETS, st.text(max_size=20))) + text[at:]
        elif kind == "deep":
            depth = draw(st.sampled_from([50, 190, 250, 1500, 30_000]))
            tag = draw(st.sampled_from(["text:span", "w:sdt", "a", "table:table-cell"]))
            text = text[:at] + f"<{tag}>" * depth + "深" + f"</{tag}>" * depth + text[at:]
        else:
            matches = list(re.finditer(r'="[^"]*"', text))
            if matches:
                match = draw(st.sampled_from(matches))
                value = draw(st.sampled_from(["-1", "0", "99999999", "1e9", "abc", "", "\u202e", "2147483648"]))
                text = text[:match.start()] + f'="{value}"' + text[match.end():]
    return text


@st.composite
def mutated_zip(draw, fmt: str) -> bytes:
    raw = original(fmt)
    if draw(st.integers(0, 5)) == 0:  # damage the bytes of the zip itself
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data[: draw(st.integers(len(data) // 2, len(data)))])
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    xml = [n for n, (info, _) in enumerate(members) if info.filename.endswith(".xml")]
    victim = draw(st.sampled_from(xml))
    info, data = members[victim]
    members[victim] = (info, draw(xml_mutation(data.decode("utf-8"))).encode("utf-8", "surrogatepass"))
    if draw(st.integers(0, 9)) == 0:
        del members[draw(st.integers(0, len(members) - 1))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in members:
            zf.writestr(info, data)
    return out.getvalue()


ODD_JSON = st.one_of(
    st.sampled_from(["9" * 5000, "\"\\ud800\"", "\"\\udfff x\"", "1e400", "-0", "NaN", "Infinity", "1.5", "true",
                     "null", "[]", "{}", "\"\"", "\"\\u0000\\u001b[31m\"", "[" * 3000 + "]" * 3000,
                     "\"" + "長" * 3000 + "\"", "2147483648", "-1", "101", "0.0"]),
    st.integers().map(str),
    st.text(max_size=10).map(json.dumps),
)


@st.composite
def mutated_json(draw) -> bytes:
    text = original("json").decode("utf-8")
    if draw(st.booleans()):
        data = json.loads(text)
        paths = []

        def walk(value, path):
            paths.append(path)
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item, path + [key])
            elif isinstance(value, list):
                for n, item in enumerate(value):
                    walk(item, path + [n])

        walk(data, [])
        marker = "\u0000MUTATION\u0000"
        for _ in range(draw(st.integers(1, 3))):
            path = draw(st.sampled_from(paths[1:]))
            holder = data
            try:
                for part in path[:-1]:
                    holder = holder[part]
                holder[path[-1]] = marker
            except (KeyError, IndexError, TypeError):
                continue
            text = json.dumps(data, ensure_ascii=False).replace(json.dumps(marker), draw(ODD_JSON), 1)
            data = None
            break
        if data is not None:
            text = json.dumps(data, ensure_ascii=False)
    else:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(ODD_JSON, st.text(max_size=5))) + text[at + draw(st.integers(0, 50)):]
    return text.encode("utf-8", "surrogatepass")


def files():
    return st.sampled_from(FORMATS).flatmap(
        lambda fmt: (mutated_json() if fmt == "json" else mutated_zip(fmt)).map(lambda data: (fmt, data)))


def check_import(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory(dir=scratch_dir()) as folder:
        source = Path(folder) / f"mutated.{fmt}"
        source.write_bytes(data)
        outcome = "imported"
        try:
            if fmt != "json":
                read_with_report(source, require_year=False)  # the GUI's import dialog
            report = read_source(source)  # the CLI's import
            ReportDocument.create(Path(folder) / "out.awr", report).close()
        except ReportError as exc:
            outcome = "refused"
            message = str(exc)
            note(message)
            assert "\n" not in message and "\r" not in message, message
            assert not _CONTROL.search(message), ascii(message)
            assert re.search("[\u4e00-\u9fff]", message), message
        count(files=1, **{f"files_{outcome}": 1})


@FIXED
@given(files())
def test_a_mutated_file_is_imported_or_refused_by_name(case):
    check_import(*case)


@RANDOM
@seed(SEED)
@given(files())
def test_a_mutated_file_is_imported_or_refused_by_name_random_seed(case):
    check_import(*case)
