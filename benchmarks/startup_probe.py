"""Run in a child process by :mod:`benchmarks.bench_startup`: start a GUI, print READY once it shows.

``bare``: a bare PyQt6 window. ``app``: the workstation up to its interactive login window, through
:func:`workstation.app.run_gui` itself (the login dialog's ``exec`` is replaced by show-and-report).
"""

from __future__ import annotations

import os
import sys


def _ready() -> None:
    print("READY", flush=True)
    os._exit(0)  # no teardown: the benchmark measures start-up only


def main() -> None:
    """Start the requested GUI and report when its first window is on screen."""
    mode = sys.argv[1]
    if mode == "bare":
        from PyQt6.QtWidgets import QApplication, QLineEdit

        app = QApplication(sys.argv[:1])
        window = QLineEdit()
        window.show()
        app.processEvents()
        _ready()
    else:
        from workstation.app import run_gui
        from workstation.qt import QApplication
        from workstation.ui.login import LoginDialog

        def show_and_report(self: LoginDialog) -> int:
            self.show()
            QApplication.processEvents()
            _ready()
            return 0

        LoginDialog.exec = show_and_report  # type: ignore[method-assign]
        run_gui(sys.argv[:1])


if __name__ == "__main__":
    main()
