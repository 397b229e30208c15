"""Shared fixtures.  Engine tests never create a QApplication.

QT_QPA_PLATFORM must be set before Qt is first imported (pytest-qt imports
it when a GUI test asks for ``qtbot``), so it is set here, at collection.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The seed of the property tests' random examples (tests/property/conftest.py),
# chosen here so that it is printed in the header of every run.
os.environ.setdefault("WORKREPORT_PROPERTY_SEED", str(__import__("random").SystemRandom().randrange(2**32)))

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.document import ReportDocument  # noqa: E402
from app.model import Department, Entry, Item, Report, Section  # noqa: E402
from app.sample import sample_report  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def pytest_report_header(config):
    seed = os.environ["WORKREPORT_PROPERTY_SEED"]
    profile = os.environ.get("WORKREPORT_PROPERTY_PROFILE", "ci")
    return f"property tests: profile {profile}, random seed {seed} (WORKREPORT_PROPERTY_SEED={seed} repeats it)"


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """Logs, settings and first-start copies go to a temporary folder."""
    monkeypatch.setenv("WORKREPORT_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture
def sample() -> Report:
    return sample_report()


@pytest.fixture
def sample_doc(tmp_path) -> ReportDocument:
    doc = ReportDocument.create(tmp_path / "sample.awr", sample_report())
    yield doc
    doc.close()


def small_report() -> Report:
    """Two departments, enough structure to exercise every level."""
    return Report(
        office="測試區公所",
        roc_year=112,
        published_roc_year=113,
        published_month=3,
        departments=[
            Department(
                name="民政部門",
                sections=[
                    Section(
                        title="一般民政",
                        items=[
                            Item(
                                title="選舉業務",
                                entries=[
                                    Entry(level=1, text="辦理里長補選。", completion=100),
                                    Entry(level=2, text="東區。"),
                                    Entry(level=2, text="西區。"),
                                    Entry(level=1, text="辦理總統選舉。", completion=80, remark="持續辦理"),
                                ],
                            ),
                            Item(title="民防團業務", numbered=False, entries=[Entry(level=0, text="隨時補充隊員。", completion=100)]),
                        ],
                    )
                ],
            ),
            Department(
                name="行政部門",
                sections=[Section(title="一般行政", items=[Item(title="印信典守", entries=[Entry(level=0, text="依規定用印。", completion=100)])])],
            ),
        ],
    )


@pytest.fixture
def small() -> Report:
    return small_report()


@pytest.fixture
def small_doc(tmp_path) -> ReportDocument:
    doc = ReportDocument.create(tmp_path / "small.awr", small_report())
    yield doc
    doc.close()


def pytest_sessionfinish(session, exitstatus):
    """The GUI tests end without QApplication.quit(): hand the clipboard back as the window's
    quit does (ui/application.py release_clipboard), or the process segfaults at exit after a cut."""
    import sys

    if "ui.application" in sys.modules:
        sys.modules["ui.application"].release_clipboard()
