"""Entry point of the frozen program (PyInstaller): the same as ``python -m app``.

Three things only a frozen build needs live here, so that app/ and ui/ stay
unaware of PyInstaller:

* **Windows console output.**  ``workreport.exe`` is a windowed (GUI-subsystem)
  program: Windows gives it no console, and Python sets ``sys.stdout`` to None.
  The supported command line is the console twin ``workreport-cli.exe`` built
  from the same Analysis (see build_installer.spec).  Typing a sub-command at
  ``workreport.exe`` from a console still answers: we attach to the parent
  console (``AttachConsole(ATTACH_PARENT_PROCESS)``) and write to ``CONOUT$``.
  That is a fallback — cmd.exe does not wait for a GUI program, so the prompt
  comes back before the output and ``%ERRORLEVEL%`` is not the exit status.

* **Qt's zh_TW catalogue from the bundle.**  ui/application.py loads
  ``qtbase_zh_TW`` from ``QLibraryInfo``'s TranslationsPath, which in a
  PyInstaller build is ``_internal/PySide6/Qt/translations`` (Linux) or
  ``_internal/PySide6/translations`` (Windows); the spec keeps the zh_TW and
  en files there.  Should a PySide6/PyInstaller combination ever put them
  elsewhere, we load them from the bundle instead of showing English dialogs.

* **A smoke test of the GUI** (CI, benchmarks/bench_startup.py):
  ``WORKREPORT_SMOKE_EXIT=1`` quits the program 250 ms after the main window
  is shown (an integer > 1 is the delay in ms) and prints one line on stderr,
  ``workreport-smoke: shown …``, naming the platform plugin, the loaded
  translations and the window title.  Nobody is there to click: a modal
  dialog shown before the window (the first start's 使用者身分) is dismissed
  after 100 ms and named in that line; an exception prints its traceback and
  exits with status 1 instead of opening the error dialog; no window after
  90 s prints what is on screen and exits with status 3.
"""
from __future__ import annotations

import os
import sys
import time

STARTED = time.perf_counter()
SMOKE_ENV = "WORKREPORT_SMOKE_EXIT"
SMOKE_MARK = "workreport-smoke:"
SMOKE_TIMEOUT_S = 90


def _wants_cli(args: list[str]) -> bool:
    from app import COMMANDS

    return bool(args) and (args[0] in COMMANDS or args[0].startswith("-"))


def _attach_parent_console() -> None:
    """Windowed build on Windows, run from cmd/PowerShell with a sub-command: print there."""
    if sys.platform != "win32" or (sys.stdout is not None and sys.stderr is not None):
        return
    import ctypes

    ATTACH_PARENT_PROCESS = -1
    if not ctypes.windll.kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        return  # started from Explorer or a shortcut: nowhere to print, exit status still counts
    # CONOUT$ is opened as a console stream (PEP 528): Chinese text reaches the
    # console as UTF-16 whatever its code page (cp950 on Taiwanese Windows).
    if sys.stdout is None:
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    print()  # the prompt has already been printed by cmd: start on a fresh line


def _bundle_translation_dirs() -> list[str]:
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return []
    return [os.path.join(base, "PySide6", "Qt", "translations"), os.path.join(base, "PySide6", "translations")]


def _ensure_translations(app) -> None:
    from PySide6.QtCore import QTranslator

    if any(t.filePath() for t in app.findChildren(QTranslator)):  # a failed load leaves an empty translator
        return
    for folder in _bundle_translation_dirs():
        translator = QTranslator(app)
        if translator.load("qtbase_zh_TW", folder):
            app.installTranslator(translator)
            return


def _shown_path(path: str) -> str:
    """A path inside the bundle as ``<bundle>/…`` so that the smoke line shows where Qt looked."""
    base = getattr(sys, "_MEIPASS", None)
    path = os.path.normpath(path)
    if base and path.startswith(os.path.normpath(base) + os.sep):
        return "<bundle>/" + os.path.relpath(path, base).replace(os.sep, "/")
    return path


def _arm_smoke(app, delay_ms: int) -> None:
    from PySide6.QtCore import QEvent, QLibraryInfo, QObject, QTimer, QTranslator
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog, QMainWindow

    dialogs: list[str] = []

    class ShownWatcher(QObject):
        shown = False

        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() != QEvent.Type.Show or self.shown:
                return False
            if isinstance(obj, QDialog) and obj.isModal():
                # A question before the window (the first start's 使用者身分, a lock
                # message…) would wait for a click forever: note it and dismiss it.
                dialogs.append(obj.windowTitle() or type(obj).__name__)
                QTimer.singleShot(100, obj.reject)
            elif isinstance(obj, QMainWindow):
                self.shown = True
                shown_ms = (time.perf_counter() - STARTED) * 1000
                translations = ",".join(
                    _shown_path(t.filePath()) for t in app.findChildren(QTranslator) if t.filePath()
                ) or "none"
                print(
                    f"{SMOKE_MARK} shown after {shown_ms:.0f} ms in Python;"
                    f" platform={QGuiApplication.platformName()};"
                    f" translations={translations};"
                    f" translations_path={_shown_path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))};"
                    f" icon_sizes={len(app.windowIcon().availableSizes())};"
                    f" dialogs_dismissed={','.join(dialogs) or 'none'};"
                    f" title={obj.windowTitle()}",
                    file=sys.stderr,
                    flush=True,
                )
                QTimer.singleShot(delay_ms, lambda: app.exit(0))
            return False

    def watchdog() -> None:
        if not watcher.shown:  # stuck before the window: say where, and fail
            open_windows = [w.windowTitle() or type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()]
            print(f"{SMOKE_MARK} FAILED: no main window after {SMOKE_TIMEOUT_S} s;"
                  f" visible: {open_windows}; dialogs dismissed: {dialogs}", file=sys.stderr, flush=True)
            os._exit(3)

    watcher = ShownWatcher(app)
    app.installEventFilter(watcher)
    QTimer.singleShot(SMOKE_TIMEOUT_S * 1000, watchdog)


def _install_gui_hooks(smoke: str | None) -> None:
    import ui.application as application

    make_application = application.make_application

    def make_frozen_application(argv=None):
        app = make_application(argv)
        _ensure_translations(app)
        if smoke:
            _arm_smoke(app, int(smoke) if smoke.isdigit() and int(smoke) > 1 else 250)
        return app

    application.make_application = make_frozen_application

    if smoke:
        def fail_loudly(app) -> None:
            def hook(exc_type, exc, tb):
                sys.__excepthook__(exc_type, exc, tb)
                app.exit(1)

            sys.excepthook = hook

        application.install_safety_net = fail_loudly


def main() -> int:
    args = sys.argv[1:]
    if _wants_cli(args):
        _attach_parent_console()
    else:
        _install_gui_hooks(os.environ.get(SMOKE_ENV))
    from app.__main__ import main as app_main

    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())
