"""Random edits on both sides of a work package, then the merge (issue 17).

* other departments are untouched by a merge;
* a plan predicts its apply: a plan that is not refused and has no unresolved
  conflicts applies without a refusal and gives exactly ``plan.result.merged``;
  a plan with unresolved conflicts is refused by apply and changes nothing;
* without conflicts, every non-conflicting edit of both sides is in the result
  (fields changed on one side, nodes added on either side);
* a second merge of the same package changes nothing (no changes, no new
  comments or history; no conflicts when the first took the package's side);
* memory equals the file after the merge.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, note, seed
from hypothesis import strategies as st

from app.document import Person, ReportDocument
from app.errors import ReportError
from app.interchange import report_from_dict, report_to_dict
from app.model import Department, Entry, Item, Report, Section
from app.packages import apply_merge, issue_package, plan_merge

from .conftest import SEED, budget, count
from .strategies import draw_operation, scratch_dir, state

CHIEF = Person("李課長", "chief")
CLERK = Person("王小明", "clerk")
FIXED, RANDOM = budget(120, 25)


def merge_report() -> Report:
    """Three departments; the first (issued as the package) has 3 項 × 2 目 × 2–3 entries."""
    def item(name, n):
        return Item(title=name, entries=[Entry(level=1, text=f"{name}第{k}筆。", completion=50) for k in range(n)])

    civil = Department(name="民政部門", sections=[
        Section(title=f"項{s}", items=[item(f"目{s}{i}", 2 + (s + i) % 2) for i in range(2)]) for s in range(3)])
    social = Department(name="社建部門", sections=[Section(title="社會福利", items=[item("老人福利", 2)])])
    admin = Department(name="行政部門", sections=[Section(title="一般行政", items=[item("印信典守", 1)])])
    return Report(office="測試區公所", roc_year=112, departments=[civil, social, admin])


def tree(node) -> tuple:
    return (node.kind, node.id, tuple(getattr(node, f) for f in node.FIELDS), tuple(tree(c) for c in node.children))


def index(department: Department) -> dict:
    found = {}

    def visit(node, parent):
        found[node.id] = (node, parent)
        for child in node.children:
            visit(child, node.id)

    visit(department, None)
    return found


def others(report: Report, department_id: str) -> list:
    return [d for d in report_to_dict(report)["departments"] if d["id"] != department_id]


def run_merge(data) -> None:
    with tempfile.TemporaryDirectory(dir=scratch_dir()) as folder:
        folder = Path(folder)
        doc = ReportDocument.create(folder / "r.awr", merge_report(), person=CHIEF)
        try:
            issue_package(doc, "民政部門", folder / "p.awr")
            department_id = doc.report.departments[0].id
            package = ReportDocument.open(folder / "p.awr", person=CLERK)
            try:
                for _ in range(data.draw(st.integers(0, 12), label="package edits")):
                    try:
                        package.apply(draw_operation(data, package))
                    except ReportError:
                        pass
                base = report_from_dict({"format": "workreport", "version": 1, "office": "", "roc_year": 1,
                                         "departments": [package.report.package["base"]]}).departments[0]
                package_side = package.report.departments[0]
            finally:
                package.close()
            for _ in range(data.draw(st.integers(0, 12), label="report edits")):
                doc.person = data.draw(st.sampled_from([CHIEF, CLERK]))
                try:
                    doc.apply(draw_operation(data, doc))
                except ReportError:
                    pass
            doc.person = CHIEF
            report_side = doc.find(department_id)
            prefer = data.draw(st.sampled_from(["package", "report", None]), label="prefer")
            before = state(doc.report)
            before_others = others(doc.report, department_id)
            try:
                plan = plan_merge(doc, folder / "p.awr", prefer=prefer)
            except ReportError as exc:
                note(f"refused: {exc}")
                assert state(doc.report) == before
                count(merges_refused=1)
                return
            if plan.unresolved:
                try:
                    apply_merge(doc, plan, backup=False)
                except ReportError:
                    pass
                else:
                    raise AssertionError("apply took a plan with unresolved conflicts")
                assert state(doc.report) == before == state(doc.repo.load())
                count(merges_unresolved=1)
                return
            if not plan.conflicts:
                _assert_edits_present(index(base), index(package_side), index(report_side), index(plan.result.merged))
            try:
                apply_merge(doc, plan, backup=False)
            except ReportError as exc:
                raise AssertionError(f"the plan did not predict apply's refusal: {exc}") from None
            assert tree(doc.node(department_id)) == tree(plan.result.merged), "apply differs from the plan"
            assert others(doc.report, department_id) == before_others, "a merge changed another department"
            after = state(doc.report)
            assert state(doc.repo.load()) == after
            try:
                again = plan_merge(doc, folder / "p.awr", prefer=prefer)
            except ReportError as exc:
                raise AssertionError(f"a second merge of the same package was refused: {exc}") from None
            assert again.changes == [] and again.new_comments == [] and again.new_history == [], \
                [c.summary() for c in again.changes]
            if prefer == "package" or not plan.conflicts:
                assert again.conflicts == [], [c.summary() for c in again.conflicts]
            if not again.unresolved:
                apply_merge(doc, again, backup=False)
                assert state(doc.report) == after
            count(merges_applied=1, conflicts=len(plan.conflicts), changes=len(plan.changes))
        finally:
            doc.close()


def _assert_edits_present(base: dict, package: dict, report: dict, merged: dict) -> None:
    for node_id, (node, _parent) in merged.items():
        if node_id not in base:
            continue
        for name in node.FIELDS:
            was = getattr(base[node_id][0], name)
            for side in (package, report):
                if node_id in side and getattr(side[node_id][0], name) != was:
                    assert getattr(node, name) == getattr(side[node_id][0], name), (node_id, name)
    for side in (package, report):
        for node_id in side:
            if node_id not in base:
                assert node_id in merged, f"a node added on one side is missing: {node_id}"


@FIXED
@given(st.data())
def test_random_edits_on_both_sides_merge_safely(data):
    run_merge(data)


@RANDOM
@seed(SEED)
@given(st.data())
def test_random_edits_on_both_sides_merge_safely_random_seed(data):
    run_merge(data)


# --- issue 19: a budget report (a template with value columns), merged per column ------------------

TEMPLATE_FIXED, TEMPLATE_RANDOM = budget(30, 8)
_VALUES = {
    "project": ["辦理研習", "修繕工程", None], "unit": ["民政課", "社會課", None],
    "funding": [("市庫負擔",), ("市庫負擔", "補助款"), None], "budget": [100, 2500, "由其他項目下勻支", None],
    "spent": [0, 99, None], "results": ["完成。", "辦理 2 場。", None],
}


def _template_tree(node) -> tuple:
    values = tuple(sorted(node.values.items())) if node.kind == "entry" else ()
    return (node.kind, node.id, tuple(getattr(node, f) for f in node.FIELDS), values,
            tuple(_template_tree(c) for c in node.children))


def _edit_values(data, doc, label: str) -> None:
    from app.operations import DeleteNode, InsertNode, SetField

    department = doc.report.departments[0]
    for _ in range(data.draw(st.integers(0, 6), label=f"{label} edits")):
        rows = list(department.entries())
        what = data.draw(st.sampled_from(["set", "set", "set", "add", "delete"]), label=f"{label} kind")
        try:
            if what == "add" or not rows:
                item = department.sections[0].items[0]
                doc.apply(InsertNode(item.id, len(item.entries), Entry(level=1, values={"project": "新增"})))
            elif what == "delete":
                doc.apply(DeleteNode(data.draw(st.sampled_from(rows)).id))
            else:
                key = data.draw(st.sampled_from(sorted(_VALUES)), label=f"{label} column")
                doc.apply(SetField(data.draw(st.sampled_from(rows)).id, key, data.draw(st.sampled_from(_VALUES[key]))))
        except ReportError:
            pass


def run_template_merge(data) -> None:
    from template_reports import budget_report

    with tempfile.TemporaryDirectory(dir=scratch_dir()) as folder:
        folder = Path(folder)
        doc = ReportDocument.create(folder / "b.awr", budget_report(), person=CHIEF)
        try:
            issue_package(doc, "民政業務", folder / "p.awr")
            department_id = doc.report.departments[0].id
            package = ReportDocument.open(folder / "p.awr", person=CLERK)
            try:
                _edit_values(data, package, "package")
                package_rows = {e.id: dict(e.values) for e in package.report.departments[0].entries()}
            finally:
                package.close()
            base_rows = {e.id: dict(e.values) for e in doc.report.departments[0].entries()}
            _edit_values(data, doc, "report")
            report_rows = {e.id: dict(e.values) for e in doc.report.departments[0].entries()}
            prefer = data.draw(st.sampled_from(["package", "report", None]), label="prefer")
            plan = plan_merge(doc, folder / "p.awr", prefer=prefer)
            if plan.unresolved:
                count(merges_unresolved=1)
                return
            merged_rows = {e.id: e.values for e in plan.result.merged.entries()}
            if not plan.conflicts:  # every column changed on one side only is in the result
                for row_id, values in merged_rows.items():
                    if row_id not in base_rows:
                        continue
                    for key in _VALUES:
                        was = base_rows[row_id].get(key)
                        for side in (package_rows, report_rows):
                            if row_id in side and side[row_id].get(key) != was:
                                assert values.get(key) == side[row_id].get(key), (row_id, key)
            apply_merge(doc, plan, backup=False)
            assert _template_tree(doc.node(department_id)) == _template_tree(plan.result.merged)
            assert _template_tree(doc.repo.load().departments[0]) == _template_tree(plan.result.merged)
            again = plan_merge(doc, folder / "p.awr", prefer=prefer)
            assert again.changes == [], [c.summary() for c in again.changes]
            count(merges_applied=1, conflicts=len(plan.conflicts), changes=len(plan.changes))
        finally:
            doc.close()


@TEMPLATE_FIXED
@given(st.data())
def test_random_value_edits_of_a_budget_report_merge_per_column(data):
    run_template_merge(data)


@TEMPLATE_RANDOM
@seed(SEED)
@given(st.data())
def test_random_value_edits_of_a_budget_report_merge_per_column_random_seed(data):
    run_template_merge(data)
