"""Start the GUI: Qt's zh_TW translations, a font that renders Traditional
Chinese, a safety net for unexpected errors, and the main window."""
from __future__ import annotations

import os
import sys
import traceback

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__
from app.paths import write_crash_log

UI_FONTS = ("Microsoft JhengHei UI", "Microsoft JhengHei", "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC",
            "Source Han Sans TC", "WenQuanYi Zen Hei")


class KeyNames(QTranslator):
    """The keys in the menus named as the F1 list and the README name them (ui/actions.py
    ``KEY_NAMES``): 「Alt+↑」, 「Del」 — not Qt's catalogue's 「Alt+上鍵」 and 「刪除鍵 (Del)」.

    Qt parses key names with the same translations (``QKeySequence("…")`` reads native text), so a
    name may not become another key's name: 「Return」 stays (as 「Enter」 it would make
    ``QKeySequence("Ctrl+Enter")`` — the keypad's Enter — read as Ctrl+Return, and two shortcuts
    on one key fire neither)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        from .actions import KEY_NAMES

        # QKeySequence names Key_Delete 「Del」 and Key_Escape 「Esc」 (its catalogue's source texts).
        self.names = {("Del" if qt == "Delete" else "Esc" if qt == "Escape" else qt): shown
                      for qt, shown in KEY_NAMES.items() if qt != "Return"}

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102 (Qt's)
        if context == "QShortcut" and source in self.names:
            return self.names[source]
        return None  # not ours: the next catalogue (Qt's zh_TW) answers

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False


def load_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own zh_TW catalogues, so standard dialogs (file, print, message box buttons) speak Chinese;
    on top of them :class:`KeyNames` for the keys in the menus."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.Taiwan))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    # qtbase covers every standard dialog; qt_zh_TW (a meta catalogue) needs
    # catalogues PySide6-Essentials does not ship and never loads.
    for name in ("qtbase_zh_TW",):
        if app.findChild(QTranslator, name) is not None:
            continue  # loaded by an earlier call (tests make the application more than once)
        translator = QTranslator(app)
        translator.setObjectName(name)
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded.append(translator)
    keys = app.findChild(KeyNames) or KeyNames(app)
    app.removeTranslator(keys)
    app.installTranslator(keys)  # installed last: asked first
    loaded.append(keys)
    return loaded


def pick_ui_font() -> QFont | None:
    families = set(QFontDatabase.families())
    for family in UI_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            return font
    return None


def install_safety_net(app: QApplication) -> None:
    """An unexpected error shows a Chinese message (with 'copy details') and is logged; the window lives on."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log = write_crash_log((exc_type, exc, tb))
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        if os.environ.get("WORKREPORT_RAISE"):  # tests: fail loudly
            sys.__excepthook__(exc_type, exc, tb)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME,
                          "程式發生未預期的問題，這個動作沒有完成；已存入的資料不受影響。\n"
                          + (f"詳細記錄已寫入：{log}" if log else ""))
        copy = box.addButton("複製詳細資料", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        box.exec()

    sys.excepthook = hook


def release_clipboard() -> None:
    """Before Qt goes away: a clipboard still holding a QMimeData made here (copy puts an HTML table
    there, cut the moved ids) makes PySide6 crash as Python exits (the object is freed twice) — the
    process ends with a segfault after the window closed.  Its text is handed back as Qt's own
    data; anything another program put there is left alone."""
    import shiboken6

    app = QApplication.instance()
    clipboard = app.clipboard() if app is not None else None
    data = clipboard.mimeData() if clipboard is not None else None
    if data is not None and shiboken6.createdByPython(data):
        clipboard.setText(data.text())


def make_application(argv: list[str] | None = None) -> QApplication:
    made = QApplication.instance() is None
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    if made:
        app.aboutToQuit.connect(release_clipboard)
    app.setApplicationName("workreport")
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("workreport")
    load_translations(app)
    font = pick_ui_font()
    if font is not None:
        app.setFont(font)
    from .icons import app_icon

    app.setWindowIcon(app_icon())
    return app


def start(path: str | None = None):
    """The main window, shown; on first start the identity question follows once it is up."""
    from PySide6.QtCore import QTimer

    from .dialogs.identity import ask_on_first_start
    from .main_window import MainWindow

    window = MainWindow(path)
    window.show()
    QTimer.singleShot(0, lambda: ask_on_first_start(window))
    return window


def run(path: str | None = None) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # sqlite-utils imports numpy when it is installed (≈75 ms of start-up) but
    # never needs it here; the frozen build leaves numpy out anyway.
    sys.modules.setdefault("numpy", None)
    app = make_application()
    install_safety_net(app)
    window = start(path)  # noqa: F841  (kept alive while the application runs)
    return app.exec()
