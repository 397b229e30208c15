"""Fit the page model to the published report: per department, table pages and matched page breaks.

Lays the bundled sample out with the page model (app.pages) for one page
geometry — or a grid of them — and compares where each table page starts
with where the published report starts it (tests/data/seed_page_breaks.json,
the same facts and the same rule as
tests/test_export_pdf.py::test_page_breaks_against_the_published_report: a
break matches when our page starts in the same row within one line).  It
prints, per department, the number of table pages (published / ours), the
matched breaks and, with ``-v``, every break's published and our slot.

    python3 tools/calibrate_pages.py                  # the model as it is (app.pages.GEOMETRY)
    python3 tools/calibrate_pages.py -v               # ... with every break
    python3 tools/calibrate_pages.py --pitch 20.3 --progress 13.95 --title 2 --no-repeat \\
        --hang-labels -v                              # one geometry (H3, the best found)
    python3 tools/calibrate_pages.py --grid           # search pitch × 辦理情形 width
    python3 tools/calibrate_pages.py --grid --as-published --department 人事部門 --hang-labels
    python3 tools/calibrate_pages.py --hypotheses     # title / header rows / label indents
    python3 tools/calibrate_pages.py --cuts [--hang-items]   # line widths the published cuts allow

Figures and the decision they led to: docs/official-layout.md, "Calibration".
No Qt; reads nothing outside the project.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.layout import ReportLayout, body_plan, layout  # noqa: E402
from app.pages import GEOMETRY, PROGRESS_COL, REMARK_COL, DepartmentPlan, PageGeometry, plan_report  # noqa: E402
from app.sample import sample_report  # noqa: E402

SEED = ROOT / "tests" / "data" / "seed_page_breaks.json"


def squash(text: str) -> str:
    return "".join(text.split())


def department_breaks(department: DepartmentPlan, facts: dict) -> list[tuple[int, int | None, bool]]:
    """(published slot, our slot or None, matched) of every published page break of a department."""
    lines: list[tuple[int, int, str]] = []  # (row index, slot, 辦理情形 line)
    for index, box in enumerate(department.rows):
        cell = next(c for c in department.cells if c.col == PROGRESS_COL and c.start == box.start)
        lines += [(index, box.start + n, squash(text)) for n, text in enumerate(cell.lines)]
    ends, at = [], 0
    for _, _, text in lines:
        at += len(text)
        ends.append(at)

    def line_at(offset: int) -> tuple[int, int]:
        index = next((i for i, end in enumerate(ends) if end > offset), None)
        if index is None:  # past the text: a page of empty slots only
            return -1, department.total_slots
        return lines[index][0], lines[index][1]

    ours = [line_at(sum(len(t) for _, slot, t in lines if slot < page.first)) for page in department.pages[1:]]
    row_starts: dict[tuple[str | None, str], int] = {}
    item = None
    for index, box in enumerate(department.rows):
        if box.body.item_label:
            item = box.body.item_label
        if box.body.row is not None:
            row_starts.setdefault((item, box.body.row.numbers[0]), index)
    result = []
    for fact in facts["page_starts"]:
        row = row_starts[fact["item"], fact["row"]]
        before = sum(len(text) for r, _, text in lines if r < row)
        row_text = "".join(text for r, _, text in lines if r == row)
        offset = row_text.find(squash(fact["starts_with"]))
        assert offset >= 0, fact
        seed_row, seed_slot = line_at(before + offset)
        n = fact["page"] - 2
        if n < len(ours):
            our_row, our_slot = ours[n]
            result.append((seed_slot, our_slot, our_row == seed_row and abs(our_slot - seed_slot) <= 1))
        else:
            result.append((seed_slot, None, False))
    return result


def measure(report_layout: ReportLayout, geometry: PageGeometry, verbose: bool = False) -> tuple[int, int, bool]:
    """Print the figures of one geometry; returns (matched, total, page counts as published)."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    plan = plan_report(report_layout, geometry)
    matched = total = 0
    counts_ok = True
    for department, facts in zip(plan.departments, seed["departments"]):
        assert facts["name"] == department.block.name
        breaks = department_breaks(department, facts)
        hits = sum(ok for _, _, ok in breaks)
        matched += hits
        total += len(breaks)
        counts_ok &= department.table_pages == facts["table_pages"]
        line = (f"{department.block.name}: pages {facts['table_pages']}/{department.table_pages}"
                f"{'' if department.table_pages == facts['table_pages'] else ' ✗'}, breaks {hits}/{len(breaks)}")
        if verbose:
            line += "  " + " ".join(f"{seed_slot}/{'-' if ours is None else ours}{'✓' if ok else ''}"
                                    for seed_slot, ours, ok in breaks)
        print(line)
    print(f"目錄 {plan.start_pages}; breaks as published: {matched}/{total} = {matched / total:.0%}")
    return matched, total, counts_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pitch", type=float, help="line pitch of the table text, pt")
    parser.add_argument("--progress", type=float, help="辦理情形 text width, em of the table text")
    parser.add_argument("--title", type=float, help="height of the title above the table on a first page, in lines")
    parser.add_argument("--no-repeat", action="store_true", help="header rows on a department's first page only")
    parser.add_argument("--hang-items", action="store_true", help="hanging indent under item numbers")
    parser.add_argument("--hang-labels", action="store_true", help="hanging indent under 項/目 numbers")
    parser.add_argument("--columns", help="column widths in twips: 類,項,目,辦理情形,完成程度百分比,備註 (16 cm = 9070)")
    parser.add_argument("--cuts", action="store_true",
                        help="the 辦理情形 widths at which each row cut by a published page break is cut at a line end "
                             "(with --hang-items: under a hanging indent)")
    parser.add_argument("--hypotheses", action="store_true",
                        help="title above the first page's table × header rows repeated or not × label indents: "
                             "best breaks over a pitch × 辦理情形 grid, overall and with the published page counts")
    parser.add_argument("--department", help="grid: one department alone (民政部門 …)")
    parser.add_argument("--grid", action="store_true", help="search pitch 18.5–21 pt × 辦理情形 13–15 em")
    parser.add_argument("--pitch-from", type=int, default=185, help="grid: lowest pitch, tenths of a pt")
    parser.add_argument("--pitch-to", type=int, default=210, help="grid: highest pitch, tenths of a pt")
    parser.add_argument("--as-published", action="store_true", help="grid: only geometries giving the published page counts")
    parser.add_argument("--em-from", type=int, default=260, help="grid: narrowest 辦理情形, twentieths of an em")
    parser.add_argument("--em-to", type=int, default=300, help="grid: widest 辦理情形, twentieths of an em")
    parser.add_argument("-v", "--verbose", action="store_true", help="every break: published slot/ours")
    args = parser.parse_args(argv)
    report_layout = layout(sample_report())
    base = GEOMETRY
    if args.title is not None:
        base = dataclasses.replace(base, title_height=args.title * (args.pitch or base.line_height))
    if args.columns:
        base = dataclasses.replace(base, column_shares=tuple(int(x) for x in args.columns.split(",")))
    if args.hang_items:
        base = dataclasses.replace(base, hanging_items=True)
    if args.hang_labels:
        base = dataclasses.replace(base, hanging_labels=True)
    if args.no_repeat:
        base = dataclasses.replace(base, repeat_header_rows=False)
    if args.cuts:
        cut_widths(report_layout, args.hang_items)
        return 0
    if args.hypotheses:
        hypotheses(report_layout, base)
        return 0
    if args.department:
        report_layout = ReportLayout(report_layout.report,
                                     [b for b in report_layout.departments if b.name == args.department])
        if not report_layout.departments:
            parser.error(f"no department named {args.department}")
    if args.grid:
        best = []
        for pitch in [x / 10 for x in range(args.pitch_from, args.pitch_to + 1)]:
            for em in [x / 20 for x in range(args.em_from, args.em_to + 1)]:
                geometry = with_figures(base, pitch, em)
                if args.title is not None:  # the title is so many lines of this pitch
                    geometry = dataclasses.replace(geometry, title_height=args.title * pitch)
                hits, as_published, pages = score(report_layout, geometry)
                best.append((hits, as_published, pitch, em, pages))
        best.sort(reverse=True)
        if args.as_published:
            best = [b for b in best if b[1]]
        total = sum(len(f["page_starts"]) for f in seed_facts(report_layout))
        for hits, counts, pitch, em, pages in best[:15]:
            print(f"pitch {pitch} pt, 辦理情形 {em} em: breaks {hits}/{total}, pages {pages}"
                  f"{' (as published)' if counts else ''}")
        return 0
    measure(report_layout, with_figures(base, args.pitch, args.progress), args.verbose)
    return 0


def cut_widths(report_layout: ReportLayout, hanging: bool) -> None:
    """For every published page break inside an entry: the 辦理情形 widths (em) at
    which the model's line breaking ends a line exactly where the page cuts it."""
    from app.textmetrics import text_width, wrap

    for block, facts in zip(report_layout.departments, seed_facts(report_layout)):
        for fact in facts["page_starts"]:
            if fact["row_start"]:
                continue
            want = squash(fact["starts_with"])
            found = next((line for body in body_plan(block) if body.row is not None for line in body.row.lines
                          if want in squash(line) and not squash(line).startswith(want)), None)
            if found is None:
                continue
            cut = squash(found).find(want)
            number = found.split(" ", 1)[0] + " " if found[:1] in "0123456789(" else ""
            fits = []
            for hundredths in range(1250, 1551, 5):
                width = hundredths / 100
                lines = wrap(found, width, hanging=text_width(number) if hanging and number else 0.0)
                ends, at = set(), 0
                for line in lines:
                    at += len(squash(line))
                    ends.add(at)
                if cut in ends:
                    fits.append(width)
            span = f"{min(fits)}–{max(fits)} em" if fits else "no width"
            print(f"{block.name} p.{fact['page']}: …{squash(found)[max(0, cut - 12):cut]} | "
                  f"{squash(found)[cut:cut + 8]}…: {span}{' (not every width between)' if fits and len(fits) != round((max(fits) - min(fits)) / 0.05) + 1 else ''}")


def seed_facts(report_layout: ReportLayout) -> list[dict]:
    """The published facts of the departments laid out, by name."""
    seed = {f["name"]: f for f in json.loads(SEED.read_text(encoding="utf-8"))["departments"]}
    return [seed[block.name] for block in report_layout.departments]


def score(report_layout: ReportLayout, geometry: PageGeometry) -> tuple[int, bool, list[int]]:
    """(matched breaks, page counts as published, page counts) of one geometry."""
    facts = seed_facts(report_layout)
    plan = plan_report(report_layout, geometry)
    hits = sum(ok for d, f in zip(plan.departments, facts) for _, _, ok in department_breaks(d, f))
    pages = [d.table_pages for d in plan.departments]
    return hits, pages == [f["table_pages"] for f in facts], pages


def hypotheses(report_layout: ReportLayout, base: PageGeometry) -> None:
    for title in (0, 2):
        for repeat in (True, False):
            for hang in (False, True):
                results = []
                pitches = [x / 10 for x in range(190, 226, 2)] if not repeat else [x / 10 for x in range(186, 216, 2)]
                for pitch in pitches:
                    for em in [x / 10 for x in range(133, 146)]:
                        geometry = with_figures(dataclasses.replace(
                            base, title_height=title * pitch, repeat_header_rows=repeat, hanging_labels=hang), pitch, em)
                        hits, as_published, pages = score(report_layout, geometry)
                        results.append((hits, as_published, pitch, em, pages))
                best = max(results)
                kept = max((r for r in results if r[1]), default=None)
                print(f"title {title} lines, header rows {'repeated' if repeat else 'first page only'}, "
                      f"label indents {'hanging' if hang else 'none'}: best {best[0]}/32 "
                      f"({best[2]} pt, {best[3]} em, pages {best[4]}); with the published pages "
                      + (f"{kept[0]}/32 ({kept[2]} pt, {kept[3]} em)" if kept else "none"), flush=True)


def with_figures(geometry: PageGeometry, pitch: float | None, progress_em: float | None) -> PageGeometry:
    """``geometry`` with another line pitch and/or 辦理情形 width (the other columns keep their widths)."""
    changes: dict = {}
    if pitch is not None:
        changes["line_height"] = round(pitch * 20) / 20
    if progress_em is not None:
        # 辦理情形 takes from (or gives to) 備註; the label columns keep their widths
        shares = list(geometry.column_shares)
        want = round((progress_em * geometry.font_size + 2 * geometry.cell_padding) * 20)
        shares[REMARK_COL] -= want - shares[PROGRESS_COL]
        shares[PROGRESS_COL] = want
        changes["column_shares"] = tuple(shares)
    return dataclasses.replace(geometry, **changes)


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    sys.exit(main())
