"""Idle detection for the automatic screen lock."""

from __future__ import annotations

from workstation.qt import QEvent, QObject, QTimer, pyqtSignal

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """An application-wide event filter that restarts a timer on every key or mouse event.

    Install with ``app.installEventFilter(watcher)``; :attr:`idle` fires once when no input arrived for
    the interval; :meth:`restart` arms it again (after unlocking).

    Signals:
        idle(): no input for the interval.
    """

    idle = pyqtSignal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.idle)
        self.paused = False

    def start(self) -> None:
        """Arm the timer (after login or unlock)."""
        self.paused = False
        self.timer.start()

    def stop(self) -> None:
        """Disarm while locked, so the lock screen's own input does not re-arm it."""
        self.paused = True
        self.timer.stop()

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt override
        """Restart the timer on user input; never consumes the event."""
        if not self.paused and event is not None and event.type() in _ACTIVITY:
            self.timer.start()
        return False
