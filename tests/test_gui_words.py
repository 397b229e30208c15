"""Words on screen (issue 15): the first-start identity question, Qt's dialogs in Chinese,
messages that name the file and the person."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from gui_helpers import open_window  # noqa: F401  (sets the offscreen platform)

from app.document import ReportDocument
from app.sample import sample_report


def test_first_start_asks_who_is_working_after_the_window_is_shown(qtbot, tmp_path, monkeypatch):
    from ui.application import make_application, start
    from ui.dialogs.identity import IdentityDialog
    from ui.settings import settings

    path = tmp_path / "r.awr"
    ReportDocument.create(path, sample_report()).close()
    make_application()
    asked = []

    def answer(dialog):
        window = dialog.parent()
        asked.append((window.isVisible(), dialog.name.text(), dialog.role.currentData(), dialog.isModal()))
        dialog.name.setText("陳承辦")
        return QDialog.DialogCode.Accepted

    monkeypatch.setenv("WORKREPORT_USER", "")
    monkeypatch.setattr(IdentityDialog, "exec", answer)
    window = start(str(path))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert [a[:3] for a in asked] == [(True, "", "clerk")]  # over the shown window, empty name, 承辦人
    assert (window.person.name, window.person.role) == ("陳承辦", "clerk")
    assert window.document.person.name == "陳承辦"
    assert settings().value("user/name") == "陳承辦"
    # The next start does not ask again.
    from ui.dialogs.identity import ask_on_first_start

    ask_on_first_start(window)
    assert len(asked) == 1
