"""The Qt (PySide6) user interface: one client of the engine in app/."""
