"""The supervisor workspace's tabs: the queues, then 日终报表 and 统计 (issue 8).

The report tabs are built when first shown, so opening the workspace does not load the charts
library or run a report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.permissions import Action, allowed
from workstation.qt import QTabWidget, QVBoxLayout, QWidget
from workstation.session import Session

if TYPE_CHECKING:
    from workstation.ui.day_report_tab import DayReportTab
    from workstation.ui.statistics_tab import StatisticsTab


class ReportTabs(QTabWidget):
    """The queues page and the report tabs of the supervisor workspace."""

    def __init__(self, session: Session, queues: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("supervisorTabs")
        self._day: DayReportTab | None = None
        self._stats: StatisticsTab | None = None
        self.addTab(queues, self.tr("队列(&1)"))
        self._day_holder = self._holder("dayReportHolder")
        self._stats_holder = self._holder("statisticsHolder")
        if allowed(session.user, Action.VIEW_REPORTS):
            self.addTab(self._day_holder, self.tr("日终报表(&2)"))
            self.addTab(self._stats_holder, self.tr("统计(&3)"))
        self.currentChanged.connect(self._shown)

    @staticmethod
    def _holder(name: str) -> QWidget:
        holder = QWidget()
        holder.setObjectName(name)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        return holder

    def _shown(self, index: int) -> None:
        widget = self.widget(index)
        if widget is self._day_holder:
            self.day_report_tab()
        elif widget is self._stats_holder:
            self.statistics_tab()

    def day_report_tab(self) -> DayReportTab:
        """The end-of-day tab (built, and today's report loaded, on first use)."""
        if self._day is None:
            from workstation.ui.day_report_tab import DayReportTab

            self._day = DayReportTab(self.session)
            layout = self._day_holder.layout()
            assert layout is not None
            layout.addWidget(self._day)
            self._day.refresh()
        return self._day

    def statistics_tab(self) -> StatisticsTab:
        """The statistics tab (built, and the last 30 days computed, on first use)."""
        if self._stats is None:
            from workstation.ui.statistics_tab import StatisticsTab

            self._stats = StatisticsTab(self.session)
            layout = self._stats_holder.layout()
            assert layout is not None
            layout.addWidget(self._stats)
            self._stats.refresh()
        return self._stats

    def show_day_report(self) -> DayReportTab:
        """Switch to the end-of-day tab."""
        self.setCurrentWidget(self._day_holder)
        return self.day_report_tab()

    def show_statistics(self) -> StatisticsTab:
        """Switch to the statistics tab."""
        self.setCurrentWidget(self._stats_holder)
        return self.statistics_tab()


__all__ = ["ReportTabs"]
