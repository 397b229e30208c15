"""Who is working: name and role (承辦人 / 主管 / 彙整), asked once, kept in the settings."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox

from app.document import Person
from app.model import ROLE_LABEL, ROLES


def stored_person(settings: QSettings) -> Person | None:
    name = settings.value("user/name")
    role = settings.value("user/role")
    if not name or role not in ROLES:
        return None
    return Person(str(name), str(role))


def store_person(settings: QSettings, person: Person) -> None:
    settings.setValue("user/name", person.name)
    settings.setValue("user/role", person.role)
    settings.sync()


class IdentityDialog(QDialog):
    def __init__(self, person: Person | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("使用者身分")
        form = QFormLayout(self)
        form.addRow(QLabel("每一筆修改與審核都會記下您的姓名與身分。"))
        self.name = QLineEdit(person.name if person else "")
        self.name.setPlaceholderText("例如：王小明")
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(ROLE_LABEL[role], role)
        # First start (no person yet): 承辦人, the role most people have; the name is asked
        # for, not guessed from the login name (a clerk's record must carry their name).
        self.role.setCurrentIndex(ROLES.index(person.role if person is not None else "clerk"))
        form.addRow("姓名", self.name)
        form.addRow("身分", self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.name.text().strip():
            QMessageBox.warning(self, "使用者身分", "請輸入姓名")
            return
        self.accept()

    def person(self) -> Person:
        return Person(self.name.text().strip(), self.role.currentData())


def ensure_person(settings: QSettings, parent=None) -> Person | None:
    """The stored person, or ask once (first start); None when the question is cancelled."""
    person = stored_person(settings)
    if person is not None:
        return person
    dialog = IdentityDialog(None, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        person = dialog.person()
        store_person(settings, person)
        return person
    return None


def ask_on_first_start(window) -> None:
    """After the window is shown (it is the dialog's parent): who is working, asked once.

    Cancelled, the window keeps working as the login name's 彙整 (as the command line
    does) and asks again at the next start."""
    person = ensure_person(window.settings, window)
    if person is None:
        return
    window.person = person
    if window.document is not None:
        window.document.person = person
