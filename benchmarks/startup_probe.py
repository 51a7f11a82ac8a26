"""Run in a child process by :mod:`benchmarks.bench_startup`: start a GUI, print READY once it shows.

``bare``: a bare PyQt6 window. ``app``: the workstation up to its interactive login window, through
:func:`workstation.app.run_gui` itself. Both run their real event loop and report when their window
has been painted for the first time (the end of its first ``paintEvent``): whatever the program
queues before that first frame counts, whatever it defers until after does not.
"""

from __future__ import annotations

import os
import sys


def _ready() -> None:
    print("READY", flush=True)
    os._exit(0)  # no teardown: the benchmark measures start-up only


def main() -> None:
    """Start the requested GUI and report when its first window has been painted."""
    mode = sys.argv[1]
    if mode == "bare":
        from PyQt6.QtGui import QPaintEvent
        from PyQt6.QtWidgets import QApplication, QLineEdit

        class Window(QLineEdit):
            def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt override
                super().paintEvent(event)
                _ready()

        app = QApplication(sys.argv[:1])
        window = Window()
        window.show()
        app.exec()
    else:
        from workstation.app import run_gui
        from workstation.qt import QDialog, QPaintEvent
        from workstation.ui.login import LoginDialog

        def paint_and_report(self: LoginDialog, event: QPaintEvent | None) -> None:
            QDialog.paintEvent(self, event)
            _ready()

        LoginDialog.paintEvent = paint_and_report  # type: ignore[method-assign, assignment]
        run_gui(sys.argv[:1])


if __name__ == "__main__":
    main()
